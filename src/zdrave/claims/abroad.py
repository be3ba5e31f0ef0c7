"""Best Doctors refunds (001 / 003 §VII; issue 10): a claim on a ``best-doctors`` contract read
from the database as the treatment-abroad engine's facts and decided by it
(``engine.adjudication.abroad.adjudicate``), which returns the same ``ClaimDecision`` as the
health engine, so ``actions.decide`` stores it unchanged.

What BDU records about the treatment abroad (the precertificate, the nights in hospital, the
day the insured came home) is declared on the member's form and kept on the claim; a claims
adjuster checks it against BDU's file before a decision is final only where the amount calls
for it (the four-eyes threshold), as for health. Reads only.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zdrave.claims.fetch import memberships_in_force
from zdrave.claims.models import Claim, ClaimKind, ClaimLine, Payee
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    PremiumInstalment,
)
from zdrave.engine.adjudication import abroad as engine
from zdrave.engine.adjudication.abroad_facts import (
    Claim as ClaimFactsClaim,
)
from zdrave.engine.adjudication.abroad_facts import (
    ClaimFacts,
    HistoryLine,
    Insured,
    Line,
    Precertificate,
)
from zdrave.engine.adjudication.abroad_facts import (
    Contract as ContractFacts,
)
from zdrave.engine.decisions import ClaimDecision
from zdrave.engine.money import ZERO, to_eur
from zdrave.engine.terms.abroad import (
    AbroadCircumstance,
    AbroadTerms,
    BenefitCode,
    ConditionCode,
    ContractType,
)
from zdrave.products.terms import terms

PRODUCT = engine.PRODUCT

CONDITION_LABELS = {
    ConditionCode.CANCER: _("Cancer"),
    ConditionCode.CORONARY_BYPASS: _("Coronary artery bypass"),
    ConditionCode.HEART_VALVE: _("Heart valve replacement or repair"),
    ConditionCode.NEUROSURGERY: _("Neurosurgery (brain or spinal cord)"),
    ConditionCode.LIVING_DONOR_TRANSPLANT: _("Organ transplant from a living donor"),
    ConditionCode.BONE_MARROW_TRANSPLANT: _("Bone marrow transplant"),
}
BENEFIT_LABELS = {
    BenefitCode.SECOND_OPINION: _("Second medical opinion"),
    BenefitCode.TREATMENT_ABROAD: _("Medical costs of the treatment abroad"),
    BenefitCode.TRAVEL: _("Travel for the treatment abroad"),
    BenefitCode.ACCOMMODATION: _("Accommodation during the treatment abroad"),
    BenefitCode.REPATRIATION: _("Repatriation"),
    BenefitCode.DAILY_HOSPITAL_CASH: _("Daily cash for a stay in hospital"),
    BenefitCode.MEDICINES_AFTER_RETURN: _("Medicines bought in Bulgaria after the return"),
    BenefitCode.FOLLOW_UP_CARE: _("Follow-up care after the return"),
}
# What a member may put on a refund form: costs with an invoice. The second opinion is
# arranged by the partner without a bill (001 т.48), the daily cash has no invoice (001 Г1).
FORM_BENEFITS = (
    BenefitCode.MEDICINES_AFTER_RETURN,
    BenefitCode.TREATMENT_ABROAD,
    BenefitCode.TRAVEL,
    BenefitCode.ACCOMMODATION,
    BenefitCode.FOLLOW_UP_CARE,
    BenefitCode.REPATRIATION,
)
# 001 т.65.1: the medicines after the return are bought and paid by the insured by design; any
# other cost the insured paid themselves is excluded (001 т.10.13 / 003 т.10.14), so a refund of
# it carries that circumstance and the engine refuses it with its clause.
PAID_BY_INSURED = frozenset({BenefitCode.MEDICINES_AFTER_RETURN, BenefitCode.DAILY_HOSPITAL_CASH})
# 001 т.53 / 003 т.49: medicines prescribed abroad after the operation, bought by the insured
# before the return: a treatment-abroad line of this service (the engine's
# ``post_operative_medicine``), covered 30 days from the end of the treatment.
POST_OPERATIVE_SERVICE = "post-operative-medicine"
DOCUMENT_LABELS = {
    "prescription": _("The prescription"),
    "invoice": _("The invoice"),
    "fiscal-receipt": _("The cash register receipt"),
    "payment-order": _("The payment order"),
}
DAY = dt.timedelta(days=1)


def abroad_terms(contract: Contract) -> AbroadTerms:
    version = terms(contract.product_code, contract.product_version)
    assert version.abroad is not None, f"{version.product} has no treatment-abroad terms"
    return version.abroad


def abroad_members(people_ids: list[int], today: dt.date | None = None) -> list[ContractMember]:
    """The memberships of ``people_ids`` on a Best Doctors contract in force today."""
    return list(memberships_in_force(people_ids, PRODUCT, today or timezone.localdate()))


def document_checklist(contract: Contract, benefit: str) -> list[tuple[tuple[str, ...], str]]:
    """The documents the terms name for ``benefit`` (001 т.65.1 for medicines), as the engine's
    ``_missing_documents`` reads them: (keys of which any one will do, their names)."""
    try:
        found = abroad_terms(contract).benefit(BenefitCode(benefit))
    except ValueError:
        return []
    if found is None or found.documents is None:
        return []
    items = []
    for requirement in found.documents.required:
        keys = (requirement,) if isinstance(requirement, str) else tuple(requirement)
        items.append((keys, " / ".join(str(DOCUMENT_LABELS.get(k, k)) for k in keys)))
    return items


def decide_abroad(
    claim: Claim, *, member: ContractMember | None = None, rows=None
) -> ClaimDecision:
    """The treatment-abroad engine's decision on ``claim`` as it stands (caller holds the
    person's lock)."""
    if member is None:
        member = ContractMember.objects.select_related("person", "contract").get(pk=claim.member_id)
    if rows is None:
        rows = list(ClaimLine.objects.filter(claim_id=claim.pk).order_by("index"))
    return engine.adjudicate(abroad_terms(member.contract), facts_for(claim, member, rows))


def facts_for(claim: Claim, member: ContractMember, rows: list[ClaimLine]) -> ClaimFacts:
    contract = member.contract
    precertificate = (
        Precertificate(issued=claim.precertificate_issued, hospital=None)
        if claim.precertificate_issued
        else None
    )
    return ClaimFacts(
        contract=contract_facts(contract),
        insured=Insured(
            id=str(member.person_id),
            birth_date=member.person.birth_date,
            covered_from=max(member.covered_from, contract.start),
            resident=True,  # 001 т.2-3: residence is checked when the contract is made
        ),
        history=history_for(member.pk, excluding_claim=claim.pk),
        claim=ClaimFactsClaim(
            ref=claim.number,
            condition=ConditionCode(claim.condition),
            diagnosis=claim.diagnosis,
            notified=None,
            first_symptoms=None,
            precertificate=precertificate,
            returned_home=claim.returned_home,
            hospital_nights=claim.hospital_nights,
            submitted=claim.submitted,
            documents=frozenset(claim.documents),
            circumstances=frozenset(),
            lines=tuple(_line(row, provider=claim.payee == Payee.PROVIDER) for row in rows),
            treatment_ended=claim.treatment_ended,
        ),
    )


def _line(row: ClaimLine, *, provider: bool = False) -> Line:
    benefit = BenefitCode(row.benefit or row.service)
    post_operative = row.service == POST_OPERATIVE_SERVICE
    # A bill paid to the provider on a managed case (001 т.72.3) is the insurer's own
    # arrangement; the same cost refunded to the member is what the insured paid themselves
    # (001 т.10.13 / 003 т.10.14), unless the terms say the insured buys it (001 т.65.1, т.53).
    circumstances = (
        frozenset()
        if provider or post_operative or benefit in PAID_BY_INSURED
        else frozenset({AbroadCircumstance.INCURRED_BY_INSURED_OR_RELATIVES})
    )
    return Line(
        index=row.index,
        benefit=benefit,
        date=row.date,
        amount=ZERO
        if benefit is BenefitCode.DAILY_HOSPITAL_CASH
        else to_eur(row.amount, row.currency),
        quantity=row.quantity if benefit is BenefitCode.DAILY_HOSPITAL_CASH else None,
        hospital=None,
        purchased=row.date,
        nhif_paid=to_eur(row.nhif_paid, row.currency),
        other_insurer_paid=to_eur(row.other_insurer_paid, row.currency),
        dose_days=row.dose_days,
        country=row.country or None,
        submitted=None,
        circumstances=circumstances,
        currency=row.currency,
        post_operative_medicine=post_operative,
    )


def contract_facts(contract: Contract) -> ContractFacts:
    """The contract with its premiums as the engine reads them: ``paid_until`` is the day
    before the first instalment not paid by 30 days after its due date (001 т.27.4); paid
    later, every missed premium paid on that day reinstates the cover (001 т.40). A contract
    without a schedule is read as paid (as for health, docs/decisions.md)."""
    paid_until = reinstated_on = None
    for row in PremiumInstalment.objects.filter(contract_id=contract.pk).order_by("due"):
        if row.paid_on is None or row.paid_on > row.due + dt.timedelta(days=30):
            paid_until = row.due - DAY
            reinstated_on = row.paid_on
            break
    if reinstated_on is not None:
        # Reinstated only once every later instalment then due was paid as well.
        later = PremiumInstalment.objects.filter(
            contract_id=contract.pk, due__gt=paid_until + DAY, due__lte=reinstated_on
        )
        if later.filter(paid_on__isnull=True).exists():
            reinstated_on = None
    return ContractFacts(
        type=ContractType(contract.type),
        start=contract.start,
        # 001 т.26.1: the end date is covered to 24:00 (the model keeps the last day of cover).
        end=contract.end,
        paid_until=paid_until,
        reinstated_on=reinstated_on,
        terminated_on=contract.terminated_on,
        renewal_of_previous=False,
        previous_end=None,
        usa_included=None,
    )


def history_for(member_id: int, *, excluding_claim: int | None = None) -> tuple[HistoryLine, ...]:
    """The person's earlier paid Best Doctors lines: the limits they used (001 т.28–29)."""
    rows = ClaimLine.objects.filter(
        member_id=member_id, payable__gt=0, claim__contract__product_code=PRODUCT
    )
    if excluding_claim is not None:
        rows = rows.exclude(claim_id=excluding_claim)
    return tuple(
        HistoryLine(
            benefit=BenefitCode(r.benefit or r.service),
            claim_ref=r.claim.number,
            date=r.date,
            paid=r.payable,
            quantity=r.paid_quantity or None,
        )
        for r in rows.select_related("claim").order_by("date", "id")
    )


def abroad_errors(data) -> dict[str, list[str]]:
    """What is wrong with a submitted claim (``actions.intake.ClaimInput``) as a Best Doctors
    refund: the kind must match the contract's product, the condition be one of 001 т.6 and
    every line name a benefit of 001 т.7 and, if given, a two-letter country."""
    is_abroad = data.member.contract.product_code == PRODUCT
    if (data.kind == ClaimKind.BEST_DOCTORS) != is_abroad:
        return {"kind": [gettext("Kind of claim: this contract does not cover it.")]}
    if not is_abroad:
        return {}
    errors: dict[str, list[str]] = {}
    if data.condition not in {c.value for c in ConditionCode}:
        errors["condition"] = [
            gettext("Covered condition: choose the condition you were treated for.")
        ]
    for number, line in enumerate(data.lines, start=1):
        label = gettext("Line %(n)s") % {"n": number}
        if line.benefit not in {b.value for b in BenefitCode}:
            errors.setdefault("lines", []).append(
                gettext("%(line)s: choose what the cost was for.") % {"line": label}
            )
        if line.country and not (len(line.country) == 2 and line.country.isalpha()):
            errors.setdefault("lines", []).append(
                gettext("%(line)s: the country is a two-letter code, such as BG.") % {"line": label}
            )
    return errors
