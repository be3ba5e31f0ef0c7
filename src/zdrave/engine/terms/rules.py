"""Rules of the general conditions that adjudication applies: exclusions, waiting periods,
purchase deadlines, the documents each kind of claim needs, and claim-handling deadlines.

Each rule carries its clause. Matching is by ICD-10 code or range, by service code (a code or a
prefix ending in ``*``: ``2.12*`` is item 12 and everything under it), by service category, or
by a circumstance flag the claim carries (``sport``, ``epidemic``, ``pre-existing`` …).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Citation, Icd10, Strict, Text
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


def _check_service_pattern(pattern: str) -> str:
    body = pattern[:-1] if pattern.endswith("*") else pattern
    if not body or not body[0].isdigit():
        raise ValueError(f"service pattern {pattern!r} must be a service code, optionally ending in *")
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
    interpretation: str | None = None


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

    @model_validator(mode="after")
    def _unique_and_known(self) -> Rules:
        for name in ("exclusions", "waiting_periods", "purchase_deadlines", "claim_types"):
            codes = [r.code for r in getattr(self, name)]
            dupes = {c for c in codes if codes.count(c) > 1}
            if dupes:
                raise ValueError(f"duplicate {name} code(s): {sorted(dupes)}")
        keys = {d.key for d in self.documents}
        for ct in self.claim_types:
            for req in ct.required:
                for key in [req] if isinstance(req, str) else req:
                    if keys and key not in keys:
                        raise ValueError(f"claim type {ct.code!r} needs unknown document {key!r}")
        return self
