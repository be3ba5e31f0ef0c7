"""The documents a claim needs (004 Приложение №1) and which of them are missing.

Missing documents make the claim ``pending``, not rejected: the insurer asks for them within 15
working days (004 Чл.29 т.2). Only lines that could be paid need documents — nobody is asked to
send papers for something refused anyway.
"""

from __future__ import annotations

from collections.abc import Iterable

from zdrave.engine.adjudication.facts import ClaimLine, HealthCase
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.terms.rules import ClaimType

# Documents the annex asks for with the first claim only: the full dental status
# (004 Приложение №1 IV.1) and the sheet establishing the pregnancy (004 Приложение №1 I.4).
FIRST_CLAIM_ONLY = ("dental-status", "pregnancy-sheet")
DENTAL_PACKAGE = 6
PREGNANCY_ITEM = "2.12"
NOTHING: frozenset[str] = frozenset()


def claim_types_for(
    info: ServiceInfo, diagnosis: str, form: str, index: ProductIndex
) -> tuple[ClaimType, ...]:
    """The most specific claim types of the annex for the line: by service code, else by
    diagnosis, else by category of service."""
    _exclusions, _waiting, by_icd = index.by_diagnosis(diagnosis)
    for group in (info.claim_types_by_service, by_icd, info.claim_types_by_category):
        chosen = tuple(t for t in group if form in t.forms)
        if chosen:
            return chosen
    return ()


def given_earlier(usage: Usage) -> frozenset[str]:
    """First-claim documents that an earlier paid claim already brought (call before the
    current claim's lines are recorded)."""
    if not usage.total_paid:
        return NOTHING
    dental = usage.package_used(DENTAL_PACKAGE)
    pregnancy = usage.count(-1, PREGNANCY_ITEM) > 0
    if not (dental or pregnancy):
        return NOTHING
    return frozenset(
        k for k, given in (("dental-status", dental), ("pregnancy-sheet", pregnancy)) if given
    )


def missing_documents(
    case: HealthCase,
    lines: Iterable[tuple[ClaimLine, ServiceInfo]],
    index: ProductIndex,
    earlier: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    present = case.claim.documents | earlier if earlier else case.claim.documents
    form = case.claim.form
    missing: list[str] = []
    for line, info in lines:
        diagnosis = line.diagnosis or case.claim.diagnosis
        key = ("documents", info.code, diagnosis, form)
        required = index.memo.get(key)
        if required is None:
            required = index.memo[key] = tuple(
                item
                for claim_type in claim_types_for(info, diagnosis, form, index)
                for item in claim_type.required
            )
        for item in required:
            absent = _missing(item, present)
            if absent and absent not in missing:
                missing.append(absent)
    return tuple(missing)


def _missing(required: str | list[str], present: frozenset[str]) -> str | None:
    if isinstance(required, str):
        return None if required in present else required
    # An inner list is "any one of": a fiscal receipt or a bank-certified payment order.
    return None if any(key in present for key in required) else required[0]
