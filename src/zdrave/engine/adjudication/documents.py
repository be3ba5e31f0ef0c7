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
RECEIPT = "fiscal-receipt"
E_SHOP_RECEIPT = ["fiscal-receipt", "payment-order"]
# (the required items, the single documents among them, the choices of documents)
Needs = tuple[tuple[str | list[str], ...], frozenset[str], tuple[frozenset[str], ...]]


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
    form = case.claim.form
    if form not in index.document_forms:
        return ()  # the annex asks nothing of claims in this form (in-network care)
    present = case.claim.documents | earlier if earlier else case.claim.documents
    missing: list[str] = []
    for line, info in lines:
        diagnosis = line.diagnosis or case.claim.diagnosis
        key = (info.code, diagnosis, form, line.e_shop)
        needs = index.documents.get(key)
        if needs is None:
            needs = index.documents[key] = _needs(info, diagnosis, form, index, line.e_shop)
        required, plain, choices = needs
        # Nearly every claim brings everything: a subset test per kind settles the line.
        if plain <= present and not any(map(present.isdisjoint, choices)):
            continue
        for item in required:
            absent = _missing(item, present)
            if absent and absent not in missing:
                missing.append(absent)
    return tuple(missing)


def required_documents(
    index: ProductIndex,
    service: str,
    form: str,
    diagnosis: str = "",
    *,
    e_shop: bool = False,
    earlier: frozenset[str] = NOTHING,
) -> tuple[str | tuple[str, ...], ...]:
    """The documents a line of ``service`` needs before anything is delivered, in the annex's
    order (004 Приложение №1 and the service-specific documents): a key, or a tuple of keys of
    which any one will do (a fiscal receipt or a payment order). ``earlier``: first-claim-only
    documents an earlier paid claim already brought (``given_earlier``). The same rules as
    ``missing_documents`` on an empty set of documents, for a checklist shown before upload."""
    if form not in index.document_forms:
        return ()
    info = index.services[service]
    key = (info.code, diagnosis, form, e_shop)
    needs = index.documents.get(key)
    if needs is None:
        needs = index.documents[key] = _needs(info, diagnosis, form, index, e_shop)
    required, _plain, _choices = needs
    found: list[str | tuple[str, ...]] = []
    for item in required:
        entry = item if isinstance(item, str) else tuple(item)
        if isinstance(entry, str) and entry in earlier:
            continue
        if entry not in found:
            found.append(entry)
    return tuple(found)


def _needs(
    info: ServiceInfo, diagnosis: str, form: str, index: ProductIndex, e_shop: bool
) -> Needs:
    """What a line of the row with the diagnosis in the form needs: the required items in the
    annex's order, the single documents among them, and the choices of which any one will do
    (a fiscal receipt or a payment order). A purchase in an e-shop may bring a payment order
    instead of the receipt where the type allows it (004 Чл.34)."""
    types = claim_types_for(info, diagnosis, form, index)
    required = tuple(
        E_SHOP_RECEIPT if e_shop and claim_type.e_shop_payment_order and item == RECEIPT else item
        for claim_type in types
        for item in claim_type.required
    )
    # Documents the annex asks for only with some services of the claim type: the pregnancy
    # programme's test results (Приложение №1 I), implant stickers, the dental X-ray (IV).
    required += tuple(
        document.key
        for claim_type in types
        for document in claim_type.conditional
        if document.key not in required
        and document.when.matches(service=info.code, category=info.category, diagnosis=diagnosis)
    )
    plain = frozenset(item for item in required if isinstance(item, str))
    choices = tuple(frozenset(item) for item in required if not isinstance(item, str))
    return required, plain, choices


def _missing(required: str | list[str], present: frozenset[str]) -> str | None:
    if isinstance(required, str):
        return None if required in present else required
    # An inner list is "any one of": a fiscal receipt or a bank-certified payment order.
    return None if any(key in present for key in required) else required[0]
