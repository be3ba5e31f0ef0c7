"""Treatment-abroad terms: DZI Best Doctors (001, version of 01.02.2019; 003, version of
14.09.2015).

The product pays for a second medical opinion and for treatment abroad of six covered conditions
(cancer, coronary bypass, heart valve, intracranial/spinal neurosurgery, living-donor organ
transplant, bone-marrow transplant), organised by a partner (BDU / Best Doctors). Every rule here
carries the clause of the version it comes from, so the two versions can differ rule by rule.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Citation, Icd10, Limit, LimitPeriod, LimitUnit, Strict, Text


class ConditionCode(StrEnum):
    """Покрити заболявания и медицински процедури (001 т.6, 003 т.6)."""

    CANCER = "cancer"
    CORONARY_BYPASS = "coronary-bypass"
    HEART_VALVE = "heart-valve"
    NEUROSURGERY = "neurosurgery"
    LIVING_DONOR_TRANSPLANT = "living-donor-transplant"
    BONE_MARROW_TRANSPLANT = "bone-marrow-transplant"


class BenefitCode(StrEnum):
    """Покрити услуги, разходи и парични обезщетения (001 т.7, 003 т.7)."""

    SECOND_OPINION = "second-opinion"
    TREATMENT_ABROAD = "treatment-abroad"
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    REPATRIATION = "repatriation"
    DAILY_HOSPITAL_CASH = "daily-hospital-cash"
    MEDICINES_AFTER_RETURN = "medicines-after-return"
    FOLLOW_UP_CARE = "follow-up-care"


class ContractType(StrEnum):
    INDIVIDUAL = "individual"
    FAMILY = "family"
    GROUP = "group"


class AbroadCircumstance(StrEnum):
    """Facts about a claim that the partner's case manager records and the exclusions of §IV
    turn on; a claim or a line lists the ones that apply."""

    WAR = "war"  # war, terrorism, riots, earthquakes, nuclear events
    EPIDEMIC = "epidemic"  # officially declared epidemic
    ADDICTION = "addiction"  # alcoholism, drugs, intoxication
    SELF_HARM = "self-harm"  # suicide attempt, self-injury
    CRIME = "crime"  # intentional, fraudulent, criminal acts of the insured
    NON_COMPLIANCE = "non-compliance"  # refused treatment or ignored the treatment plan
    EXPERIMENTAL = "experimental"
    HIV_AIDS = "hiv-aids"
    NOT_MEDICALLY_NECESSARY = "not-medically-necessary"
    TRANSPLANT_IS_BEST_TREATMENT = "transplant-is-best-treatment"  # alternative to a transplant
    CAUSED_BY_COVERED_PROCEDURE = "caused-by-covered-procedure"
    LONG_TERM_EFFECTS = "long-term-effects"  # chronic symptoms, rehabilitation, physiotherapy
    TREATED_IN_BULGARIA = "treated-in-bulgaria"
    NON_RESIDENT = "non-resident"
    OUTSIDE_CLAIMS_PROCEDURE = "outside-claims-procedure"
    SOCIAL_OR_HOME_CARE = "social-or-home-care"  # spas, rehab centres, hospices, nursing homes
    PROSTHESIS_OR_AID = "prosthesis-or-aid"  # except breast prostheses and heart valves
    MEDICAL_EQUIPMENT = "medical-equipment"  # wheelchairs, special beds, air filters
    OVER_THE_COUNTER = "over-the-counter"  # medicines without prescription / not from a pharmacist
    ALTERNATIVE_MEDICINE = "alternative-medicine"
    COGNITIVE_DISORDER = "cognitive-disorder"  # dementia, senility, cerebral damage
    PERSONAL_OR_NON_MEDICAL = "personal-or-non-medical"  # interpreter, phone, companions' costs
    UNREASONABLE_COST = "unreasonable-cost"
    SELF_ORGANISED = "self-organised"  # travel or accommodation not organised by the partner
    OTHER_CORONARY_TECHNIQUE = "other-coronary-technique"  # angioplasty, stents
    AUTOTRANSPLANT = "autotransplant"
    INSURED_IS_DONOR = "insured-is-donor"
    DECEASED_DONOR = "deceased-donor"
    STEM_CELL_TREATMENT = "stem-cell-treatment"
    PURCHASED_ORGAN = "purchased-organ"
    CORD_BLOOD = "cord-blood"
    NON_INVASIVE_SKIN_CANCER = "non-invasive-skin-cancer"
    # 001 т.10.13 / 003 т.10.14: a cost the insured or a relative or companion incurred themselves
    # (paid, booked or arranged outside the partner), other than the costs the terms expressly
    # leave to them (medicines after return, 001 т.65.1).
    INCURRED_BY_INSURED_OR_RELATIVES = "incurred-by-insured-or-relatives"


class CoveredCondition(Strict):
    """A covered condition or procedure with its definition (001 VIII-1, 003 VIII-1).

    ``diagnoses`` are ICD-10 codes that *are* the condition; where the condition is a diagnosis
    (cancer) ``diagnosis_must_match`` makes a claim outside them "not a covered condition".
    Procedures (bypass, valve, neurosurgery, transplants) are covered whatever the indication, so
    their ``typical_diagnoses`` only help a claim handler and are not enforced.
    """

    code: ConditionCode
    clause: Citation
    definition_clause: Citation
    title: Text
    definition: Text
    diagnoses: list[Icd10] = Field(default_factory=list)
    diagnosis_must_match: bool = False
    typical_diagnoses: list[Icd10] = Field(default_factory=list)
    interpretation: str | None = None

    @model_validator(mode="after")
    def _diagnoses(self) -> CoveredCondition:
        if self.diagnosis_must_match and not self.diagnoses:
            raise ValueError("diagnosis_must_match needs the ICD-10 codes of the condition")
        return self


class Exclusion(Strict):
    """One exclusion of §IV. It applies when the claim's diagnosis falls under ``icd10`` or the
    claim (or line) records one of ``circumstances``; ``conditions`` / ``benefits`` narrow it
    (empty = all). The reason code members see is ``excluded-<code>``."""

    code: str
    clause: Citation
    title: Text
    conditions: list[ConditionCode] = Field(default_factory=list)
    benefits: list[BenefitCode] = Field(default_factory=list)
    icd10: list[Icd10] = Field(default_factory=list)
    circumstances: list[AbroadCircumstance] = Field(default_factory=list)
    interpretation: str | None = None

    @model_validator(mode="after")
    def _matches_something(self) -> Exclusion:
        if not self.icd10 and not self.circumstances:
            raise ValueError("an exclusion needs icd10 codes or circumstances to match")
        return self


class CountPerClaim(Strict):
    count: int = Field(ge=1)
    clause: Citation


class DailyAllowance(Strict):
    """So much per full 24 hours in hospital, for at most ``max_days`` per claim / event."""

    amount: Limit
    max_days: int = Field(ge=1)
    max_days_clause: Citation
    per: LimitPeriod = LimitPeriod.CLAIM

    @model_validator(mode="after")
    def _money(self) -> DailyAllowance:
        if self.amount.unit is not LimitUnit.MONEY:
            raise ValueError("a daily allowance amount is money")
        return self


class DayWindow(Strict):
    """Something must happen within ``days`` after an anchor date."""

    days: int = Field(ge=1)
    clause: Citation


class MinimumStay(Strict):
    """The stay abroad must be MORE than ``more_than_nights`` nights in hospital."""

    more_than_nights: int = Field(ge=0)
    clause: Citation
    interpretation: str | None = None


class DoseCap(Strict):
    """A condition of reimbursement (001 т.64.5, 003 т.60.5): the prescribed dose is for at most
    ``max_days`` days of intake (two months of therapy, 30 days each). A larger dose fails the
    condition and the purchase is refused, not paid in part (001 т.64: "само при следните
    условия")."""

    max_days: int = Field(ge=1)
    clause: Citation
    interpretation: str | None = None


class PostOperativeMedicines(Strict):
    """Medicines prescribed for the post-operative treatment, part of the medical costs abroad
    (001 т.53, 003 т.49): covered for ``days`` days from the day the treatment abroad ended and
    only when bought before the return to Bulgaria."""

    days: int = Field(ge=1)
    clause: Citation


class Reassessment(Strict):
    """001 т.74: after the return, the partner may reassess the same condition; further treatment
    it confirms continues the same claim under a new precertificate, may include a new second
    opinion when the partner finds it medically justified, and opens a new 180-day period of
    follow-up care."""

    clause: Citation


class RequiredDocuments(Strict):
    """Documents (keys of the scenario format) a benefit needs; an inner list = any one."""

    required: list[str | list[str]]
    clause: Citation


class Benefit(Strict):
    code: BenefitCode
    clause: Citation
    title: Text
    description: Text
    requires_precertificate: bool = True
    precertificate_clause: Citation | None = None
    per_claim: CountPerClaim | None = None
    daily_allowance: DailyAllowance | None = None
    lifetime_limit: Limit | None = None
    minimum_stay: MinimumStay | None = None
    within_days_of_return: DayWindow | None = None
    invoice_within_days_of_purchase: DayWindow | None = None
    dose_cap: DoseCap | None = None
    post_operative_medicines: PostOperativeMedicines | None = None
    in_bulgaria_only_clause: Citation | None = None  # medicines bought in Bulgaria only
    deducts_other_payers_clause: Citation | None = None  # НЗОК / another insurer's share
    documents: RequiredDocuments | None = None
    organised_by_partner_clause: Citation | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Benefit:
        if self.requires_precertificate and self.precertificate_clause is None:
            raise ValueError("requires_precertificate needs precertificate_clause")
        if self.lifetime_limit is not None and self.lifetime_limit.per is not LimitPeriod.LIFETIME:
            raise ValueError("lifetime_limit must have per: lifetime")
        return self


class PrecertificateRule(Strict):
    """Предварителен медицински сертификат: issued for one hospital; treatment must begin
    within ``validity_months`` of its issue; nothing before its issue is paid."""

    validity_months: int | None = Field(default=None, ge=1)
    validity_clause: Citation | None = None
    one_hospital_clause: Citation
    before_issue_clause: Citation


class WaitingPeriod(Strict):
    """Период на изключване / отлагателен период: no cover for treatment in it, and never for a
    disease first documented in it."""

    contract_types: list[ContractType]
    months: int = Field(ge=1)
    clause: Citation
    symptoms_clause: Citation


class GroupJoinerRule(Strict):
    """People joining a group later wait ``months`` from the start of the next insurance month."""

    months: int = Field(ge=1)
    clause: Citation


class RenewalRule(Strict):
    """A renewal without a break (new policy in force within ``max_gap_days`` of the old one's
    end) starts no new waiting period."""

    max_gap_days: int = Field(ge=0)
    clause: Citation


class PreExistingRule(Strict):
    lookback_years: int = Field(ge=1)
    clause: Citation
    definition_clause: Citation


class PremiumRules(Strict):
    frequencies: list[str]
    currency: str = "EUR"
    clause: Citation
    currency_clause: Citation
    lapse_days_after_due: int = Field(ge=1)
    lapse_clause: Citation
    # Reinstatement (001 т.40, 003 т.36): paying every missed premium restores the cover from
    # 00:00 of the next day. The two-month window for it is the clause on final termination
    # (001 т.41, 003 т.37), so ``reinstatement_months`` cites that one.
    reinstatement_months: int = Field(ge=1)
    reinstatement_months_clause: Citation
    reinstatement_clause: Citation
    final_termination_clause: Citation


class CoverPeriodRules(Strict):
    start_clause: Citation  # 00:00 on the start date
    end_clause: Citation  # 24:00 on the end date
    termination_clause: Citation  # early termination: nothing is covered after it
    max_age: int = Field(ge=1)
    max_age_clause: Citation
    # 001 т.21.1.5: a person who leaves the group after a precertificate was issued keeps its
    # benefits for up to this many months after the cover ends.
    group_leaver_months: int | None = Field(default=None, ge=1)
    group_leaver_clause: Citation | None = None


class TerritoryRule(Strict):
    """Where treatment may take place: abroad only; 003 sells the cover with or without the USA."""

    excluded_countries: list[str]
    clause: Citation
    usa_option: bool = False
    usa_default_included: bool = True
    usa_clause: Citation | None = None
    resident_clause: Citation

    @model_validator(mode="after")
    def _usa(self) -> TerritoryRule:
        if self.usa_option and self.usa_clause is None:
            raise ValueError("usa_option needs usa_clause")
        return self


class ComplaintRule(Strict):
    """How soon a written answer to a complaint is due: in months, or in working days (a range:
    the short end for simple complaints, the long end at most)."""

    months: int | None = Field(default=None, ge=1)
    working_days_min: int | None = Field(default=None, ge=1)
    working_days_max: int | None = Field(default=None, ge=1)
    clause: Citation

    @model_validator(mode="after")
    def _one_kind(self) -> ComplaintRule:
        if (self.months is None) == (self.working_days_max is None):
            raise ValueError("give either months or working_days_max")
        return self


class Prescription(Strict):
    """Давност: rights under the contract lapse this many years after the insured event."""

    years: int = Field(ge=1)
    clause: Citation


class Provision(Strict):
    """A clause kept for members and staff that decides no money (personal data, disputes)."""

    code: str
    clause: Citation
    title: Text
    text: Text


class AbroadTerms(Strict):
    partner: str  # code of the ``partners`` entry that organises opinions and treatment
    conditions_clause: Citation  # the list of covered conditions; anything else is not covered
    conditions: list[CoveredCondition]
    benefits_clause: Citation  # the list of covered costs; a benefit not in it is not covered
    benefits: list[Benefit]
    year_limit: Limit
    lifetime_limit: Limit
    limits_shared_clause: Citation  # every benefit counts towards the year / lifetime limits
    exclusions: list[Exclusion] = Field(default_factory=list)
    precertificate: PrecertificateRule
    waiting_periods: list[WaitingPeriod]
    group_joiners: GroupJoinerRule | None = None
    renewal: RenewalRule
    pre_existing: PreExistingRule
    premium: PremiumRules
    cover_period: CoverPeriodRules
    territory: TerritoryRule
    complaints: ComplaintRule
    prescription: Prescription
    reassessment: Reassessment | None = None  # 001 т.74; 003 has no such clause
    provisions: list[Provision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistency(self) -> AbroadTerms:
        for name in ("conditions", "benefits", "exclusions", "provisions"):
            codes = [item.code for item in getattr(self, name)]
            dupes = sorted({str(c) for c in codes if codes.count(c) > 1})
            if dupes:
                raise ValueError(f"duplicate {name} code(s): {dupes}")
        for limit, period in (
            (self.year_limit, LimitPeriod.YEAR),
            (self.lifetime_limit, LimitPeriod.LIFETIME),
        ):
            if limit.unit is not LimitUnit.MONEY or limit.per is not period:
                raise ValueError(f"the {period.value} limit must be money per {period.value}")
        covered = {c.code for c in self.conditions}
        for exclusion in self.exclusions:
            unknown = set(exclusion.conditions) - covered
            if unknown:
                raise ValueError(
                    f"exclusion {exclusion.code!r} names uncovered condition(s) {sorted(unknown)}"
                )
        types = [t for w in self.waiting_periods for t in w.contract_types]
        if sorted(types) != sorted(set(types)) or set(types) != set(ContractType):
            raise ValueError("waiting_periods must name every contract type exactly once")
        return self

    def condition(self, code: str) -> CoveredCondition | None:
        return next((c for c in self.conditions if c.code == code), None)

    def benefit(self, code: str) -> Benefit | None:
        return next((b for b in self.benefits if b.code == code), None)

    def waiting_period(self, contract_type: str) -> WaitingPeriod:
        return next(w for w in self.waiting_periods if contract_type in w.contract_types)
