"""Rules of the general conditions that adjudication applies: exclusions, waiting periods,
purchase deadlines, the documents each kind of claim needs, and claim-handling deadlines.

Each rule carries its clause. Matching is by ICD-10 code or range, by service code (a code or a
prefix ending in ``*``: ``2.12*`` is item 12 and everything under it), by service category, or
by a circumstance flag the claim carries (``sport``, ``epidemic``, ``pre-existing`` …).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypedDict, Unpack

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Citation, Icd10, Strict, Text, icd10_matches
from zdrave.engine.terms.health import ServiceCategory


class Circumstance(StrEnum):
    """Facts about how a condition arose that a claim handler records (004 Чл.21(1))."""

    WAR = "war"
    PANDEMIC = "pandemic"
    EPIDEMIC = "epidemic"
    INTOXICANTS = "intoxicants"
    RADIATION = "radiation"
    POLLUTION = "pollution"
    CRIME = "crime"
    ADDICTION = "addiction"
    NATURAL_DISASTER = "natural-disaster"
    EXPERIMENTAL = "experimental"
    SELF_HARM = "self-harm"
    SPORT = "sport"
    COVERED_BY_STATE = "covered-by-state"
    EMERGENCY_CARE = "emergency-care"
    PRE_EXISTING = "pre-existing"
    PLANNED_BEFORE_CONTRACT = "planned-before-contract"
    NO_SYMPTOMS = "no-symptoms"
    NOT_PRESCRIBED = "not-prescribed"
    NOT_RELATED_TO_DIAGNOSIS = "not-related-to-diagnosis"
    UNCONVENTIONAL = "unconventional"
    COSMETIC = "cosmetic"
    NON_MEDICAL = "non-medical"
    COMFORT = "comfort"
    ADMIN_FEE = "admin-fee"
    FORENSIC = "forensic"
    NON_COMPLIANCE = "non-compliance"
    SIMULATION = "simulation"
    FALSE_DOCUMENTS = "false-documents"
    REIMBURSED_BY_NHIF = "reimbursed-by-nhif"
    HYGIENE = "hygiene"
    EXCLUDED_MEDICINE = "excluded-medicine"
    EXCLUDED_DENTAL = "excluded-dental"
    OTHER = "other"
    # Facts that neither the ICD-10 code nor the catalog's service code can show: the claim
    # handler records them so that each named item of 004 Чл.21(1) can be cited exactly.
    SUICIDE = "suicide"  # Чл.21(1) т.11, first run
    REFUSED_STATE_TREATMENT = "refused-state-treatment"  # т.13, first run
    DIALYSIS_TRANSFUSION_TRANSPLANT = "dialysis-transfusion-transplant"
    BLOOD_GROUP_TEST = "blood-group-test"
    MEDICAL_INDICATION = "medical-indication"  # lifts the abortion exclusion (т.5)
    HOSPICE_SPA = "hospice-spa"
    REHAB_WITHOUT_HOSPITAL_STAY = "rehab-without-hospital-stay"
    UNAPPROVED_VARICOSE_TREATMENT = "unapproved-varicose-treatment"
    DIETOLOGY = "dietology"
    COMPULSORY_TREATMENT = "compulsory-treatment"
    NOT_BY_PHYSICIAN = "not-by-physician"
    UNREGISTERED_FACILITY = "unregistered-facility"
    ALTERNATIVE_THERAPY = "alternative-therapy"
    LASER_VISION_CORRECTION = "laser-vision-correction"
    INTRAOCULAR_LENS = "intraocular-lens"
    SPECTACLE_FRAME = "spectacle-frame"
    SUN_LENSES = "sun-lenses"
    CARDIAC_SURGERY = "cardiac-surgery"
    NEUROSURGERY = "neurosurgery"
    VERY_MAJOR_SURGERY = "very-major-surgery"
    PARENTERAL_IMMUNOTHERAPY = "parenteral-immunotherapy"
    DEEP_VEIN_SCLEROTHERAPY = "deep-vein-sclerotherapy"
    PLASMAPHERESIS = "plasmapheresis"
    PET_SCAN = "pet-scan"
    NIPT = "nipt"
    GENETIC_TEST = "genetic-test"
    FOOD_INTOLERANCE_TEST = "food-intolerance-test"
    NOT_CONTRACTED_COVER = "not-contracted-cover"
    HOSPITAL_CARE_PACKAGE = "hospital-care-package"
    NO_NHIF_RIGHTS = "no-nhif-rights"
    # Kinds of medicine and goods (Чл.21(1) т.31 and the bullets of the last run's т.4).
    VITAMINS = "vitamins"
    NSAID = "nsaid"
    VACCINE_IMMUNOMODULATOR = "vaccine-immunomodulator"
    LAXATIVE_SLIMMING = "laxative-slimming"
    CONTRACEPTIVE = "contraceptive"
    PESSARY = "pessary"
    HOMEOPATHIC = "homeopathic"
    PSYCHIATRIC_ONCOLOGY_MEDICINE = "psychiatric-oncology-medicine"
    PSYCHOTROPIC = "psychotropic"
    UNREGISTERED_MEDICINE = "unregistered-medicine"
    FOOD_SUPPLEMENT = "food-supplement"
    TRAVEL_SICKNESS = "travel-sickness"
    DOPING = "doping"
    MEDICAL_COSMETICS = "medical-cosmetics"
    CHONDROPROTECTOR = "chondroprotector"
    SANITARY_MATERIALS = "sanitary-materials"
    # Dental services of the last run's т.2.
    DENTAL_PROSTHETICS = "dental-prosthetics"
    DENTAL_BUILD_UP = "dental-build-up"
    DENTAL_IMPLANT = "dental-implant"
    ORTHODONTICS = "orthodontics"
    TEETH_WHITENING = "teeth-whitening"


def _check_service_pattern(pattern: str) -> str:
    body = pattern[:-1] if pattern.endswith("*") else pattern
    if not body or not body[0].isdigit():
        raise ValueError(
            f"service pattern {pattern!r} must be a service code, optionally ending in *"
        )
    return pattern


def service_matches(code: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return code.startswith(pattern[:-1])
    return code == pattern


class Match(Strict):
    """What a rule applies to. Several lists combine with OR; an empty Match matches nothing."""

    icd10: list[Icd10] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    categories: list[ServiceCategory] = Field(default_factory=list)
    circumstances: list[Circumstance] = Field(default_factory=list)

    @model_validator(mode="after")
    def _patterns(self) -> Match:
        for p in self.services:
            _check_service_pattern(p)
        return self

    @property
    def empty(self) -> bool:
        return not (self.icd10 or self.services or self.categories or self.circumstances)

    def matches(
        self,
        *,
        service: str | None = None,
        category: str | None = None,
        diagnosis: str | None = None,
        circumstances: Iterable[str] = (),
    ) -> bool:
        """Whether one claim line matches (any list may match: they combine with OR)."""
        if diagnosis and any(icd10_matches(diagnosis, p) for p in self.icd10):
            return True
        if service and any(service_matches(service, p) for p in self.services):
            return True
        if category and category in {c.value for c in self.categories}:
            return True
        flags = {c.value for c in self.circumstances}
        return any(c in flags for c in circumstances)


class LineKeys(TypedDict, total=False):
    """The claim line a rule is matched against: the keywords of ``Match.matches``."""

    service: str | None
    category: str | None
    diagnosis: str | None
    circumstances: Iterable[str]


class Exclusion(Strict):
    """One exclusion of 004 Чл.21 (or 001/003 §IV). ``code`` becomes the reason code
    ``excluded-<code>`` that members read."""

    code: str
    clause: Citation
    title: Text
    match: Match
    # Some exclusions yield to another rule: psychotherapy (Чл.21 т.6) is covered where the
    # package itself lists it (002 II.11.b). Listed services are then not excluded.
    unless_services: list[str] = Field(default_factory=list)
    # Exceptions printed in the item itself: influenza epidemics (т.3: J09-J11) or an abortion
    # on medical indication (т.5). A line whose diagnosis or circumstances match is not excluded.
    unless_icd10: list[Icd10] = Field(default_factory=list)
    unless_circumstances: list[Circumstance] = Field(default_factory=list)
    # The kinds of service the item names, when it names only some: 004 Чл.21(1) т.11 excludes
    # the *removal* of naevi, warts … (surgery, procedure), not their examination. Empty: every
    # kind. Combines with ``match`` by AND.
    only_categories: list[ServiceCategory] = Field(default_factory=list)
    interpretation: str | None = None

    @model_validator(mode="after")
    def _unless_patterns(self) -> Exclusion:
        for p in self.unless_services:
            _check_service_pattern(p)
        return self

    @property
    def unless(self) -> Match:
        """The item's own exceptions, matched as ``match`` is (their patterns are checked
        above)."""
        return Match.model_construct(
            services=self.unless_services,
            icd10=self.unless_icd10,
            circumstances=self.unless_circumstances,
        )

    def excludes(self, **line: Unpack[LineKeys]) -> bool:
        """Whether this exclusion refuses the line, after its own exceptions."""
        line["circumstances"] = frozenset(line.get("circumstances", ()))  # read more than once
        category = line.get("category")
        if self.only_categories and category not in {c.value for c in self.only_categories}:
            return False
        return self.match.matches(**line) and not self.unless.matches(**line)


class WaitingPeriod(Strict):
    """Отлагателен период: no cover for matching services within ``months`` of the person's
    cover start (004 Чл.19), unless the contract renews an earlier one without a break."""

    code: str
    clause: Citation
    months: int = Field(ge=1)
    title: Text
    match: Match


class PurchaseDeadline(Strict):
    """A service must be bought or done within ``days`` of its prescription or referral
    (004 Чл.21(1) т.28, Чл.29 т.5)."""

    code: str
    clause: Citation
    days: int = Field(ge=1)
    title: Text
    match: Match


class QuantityLimit(Strict):
    """Medicine bought for longer than ``days`` is paid only for ``days`` (004 Чл.21(1) т.35)."""

    code: str
    clause: Citation
    chronic_days: int
    acute_days: int
    title: Text


class DocumentKind(Strict):
    key: str  # claim-form, ambulatory-sheet, invoice, …
    name: Text
    clause: Citation


class ConditionalDocument(Strict):
    key: str
    when: Match
    note: Text | None = None


class ClaimType(Strict):
    """A kind of claim of 004 Приложение №1 and the documents it needs. ``required`` lists
    document keys; an inner list means any one of them (a fiscal receipt or a bank payment
    order)."""

    code: str
    clause: Citation
    title: Text
    match: Match
    required: list[str | list[str]]
    forms: list[str] = Field(default_factory=lambda: ["reimbursement"])
    # Of ``required``, the documents the annex asks for with the first claim of this type only
    # (the sheet establishing the pregnancy, I.4; the full dental status, IV.1).
    first_claim_only: list[str] = Field(default_factory=list)
    # Documents the annex asks for only for some lines of the claim (the imaging report for an
    # imaging test, implant stickers for consumables): required when a line matches ``when``.
    conditional: list[ConditionalDocument] = Field(default_factory=list)
    # Documents the annex names "where applicable" in words the engine cannot test (a referral
    # "when the tests are not written in the medical document"): a claim handler may ask.
    optional: list[str] = Field(default_factory=list)
    # 004 Чл.34 (разходооправдателни документи): "Вместо фискален бон, при извършена продажба
    # чрез електронен магазин ... приема и заверено от банката издател платежно нареждане". A
    # type whose annex item asks for the receipt alone (Приложение №1 III, IV) takes the payment
    # order instead only for an e-shop purchase.
    e_shop_payment_order: bool = False
    interpretation: str | None = None

    @model_validator(mode="after")
    def _first_claim_subset(self) -> ClaimType:
        flat = {k for req in self.required for k in ([req] if isinstance(req, str) else req)}
        stray = [k for k in self.first_claim_only if k not in flat]
        if stray:
            raise ValueError(f"first_claim_only documents {stray} are not in required")
        return self

    def document_keys(self) -> set[str]:
        keys = {k for req in self.required for k in ([req] if isinstance(req, str) else req)}
        keys.update(c.key for c in self.conditional)
        keys.update(self.optional)
        if self.e_shop_payment_order:
            keys.add("payment-order")
        return keys


class ReasonableCost(Strict):
    """004 Чл.21(1) т.29 and Чл.29 т.11: costs above the reasonable and customary cost are cut
    to it; that cost is the average the insurer paid in its network for the same good or
    service over the previous ``lookback_months`` months."""

    clause: Citation
    definition_clause: Citation
    lookback_months: int = Field(ge=1)
    title: Text


class ClaimHandling(Strict):
    """Deadlines of the claims procedure, in working days unless said otherwise."""

    request_missing_documents_working_days: int
    request_missing_documents_clause: Citation
    decide_and_pay_working_days: int
    decide_and_pay_clause: Citation
    final_answer_months: int
    final_answer_clause: Citation
    prescription_years: int
    prescription_clause: Citation


class Rules(Strict):
    exclusions: list[Exclusion] = Field(default_factory=list)
    waiting_periods: list[WaitingPeriod] = Field(default_factory=list)
    purchase_deadlines: list[PurchaseDeadline] = Field(default_factory=list)
    quantity_limit: QuantityLimit | None = None
    documents: list[DocumentKind] = Field(default_factory=list)
    claim_types: list[ClaimType] = Field(default_factory=list)
    claim_handling: ClaimHandling | None = None
    reasonable_cost: ReasonableCost | None = None

    @model_validator(mode="after")
    def _unique_and_known(self) -> Rules:
        for name in ("exclusions", "waiting_periods", "purchase_deadlines", "claim_types"):
            codes = [r.code for r in getattr(self, name)]
            dupes = {c for c in codes if codes.count(c) > 1}
            if dupes:
                raise ValueError(f"duplicate {name} code(s): {sorted(dupes)}")
        keys = {d.key for d in self.documents}
        for ct in self.claim_types:
            for key in sorted(ct.document_keys()):
                if keys and key not in keys:
                    raise ValueError(f"claim type {ct.code!r} needs unknown document {key!r}")
        return self

    def exclusions_for(self, **line: Unpack[LineKeys]) -> list[Exclusion]:
        """Every exclusion that refuses the line, in the order of the data."""
        line["circumstances"] = frozenset(line.get("circumstances", ()))  # read once per rule
        return [e for e in self.exclusions if e.excludes(**line)]
