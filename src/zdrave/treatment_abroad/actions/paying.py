"""Paying the amounts of a case through ``zdrave.claims`` (issue 13): each cost the case's engine
covers becomes a line of a Best Doctors claim that the claims engine decides and the claims
payment module pays by SEPA credit transfer — to the provider (``Payee.PROVIDER``, 001 т.72.3)
or to the member. Used by ``actions.money``; caller holds the case's lock."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.claims.actions.intake import ClaimInput, LineInput, submit_claim
from zdrave.claims.models import ClaimKind
from zdrave.claims.validation import clean_iban
from zdrave.engine.money import ZERO
from zdrave.treatment_abroad import states
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CostStatus
from zdrave.treatment_abroad.money import CostInput, decide

MAX_AMOUNT = Decimal("2000000.00")


def check_amount(amount: Decimal, field: str, label: str) -> None:
    if amount is None or amount <= ZERO:
        raise ValidationError({field: _("%(label)s: more than zero, in euro.") % {"label": label}})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("%(label)s: too large; check it.") % {"label": label}})


def provider_account(iban: str) -> str:
    try:
        return clean_iban(iban)
    except ValidationError as error:
        raise ValidationError({"iban": error.messages}) from None


def check_provider(name: str, field: str = "paid_to") -> None:
    if not (name or "").strip():
        raise ValidationError({field: _("Paid to: name the hospital or the agency.")})


def existing(key: str) -> list[CaseCost]:
    """The statement lines a submission with ``key`` already made (a double submit)."""
    if not key:
        return []
    return list(CaseCost.objects.filter(claim__idempotency_key=key).order_by("id"))


def pay_through_claims(
    case: AbroadCase,
    items: list[tuple[CostInput, str]],
    *,
    actor,
    payee: str,
    payee_name: str,
    iban: str,
    idempotency_key: str = "",
    service: str = "",
    dose_days: int | None = None,
) -> list[CaseCost]:
    """Decide each ``(cost, description)`` with the case's engine, and send what it covers as
    one Best Doctors claim for the claims engine to decide and the claims payment module to pay
    (caller holds the case's lock). A cost the case's engine refuses is a refused line of the
    statement with its reasons; no claim is made for it."""
    today = timezone.localdate()
    decided = [(cost, label, decide(case, cost)[1]) for cost, label in items]
    covered = [(cost, label, line) for cost, label, line in decided if line.payable > ZERO]
    claim = None
    if covered:
        discharged = timezone.localtime(case.discharged_at).date() if case.discharged_at else None
        claim = submit_claim(
            ClaimInput(
                member=case.member,
                kind=ClaimKind.BEST_DOCTORS,
                lines=[
                    LineInput(
                        service=service or cost.benefit,
                        benefit=cost.benefit,
                        # The provider's invoice: a trip booked ahead is paid when booked.
                        date=min(cost.date, today),
                        amount=cost.amount,
                        quantity=cost.quantity or 1,
                        dose_days=dose_days,
                        country=cost.country,
                    )
                    for cost, _label, _line in covered
                ],
                iban=iban,
                payee=payee,
                payee_name=payee_name,
                provider=case.hospital,
                diagnosis=case.diagnosis,
                idempotency_key=idempotency_key,
                condition=case.condition,
                precertificate_issued=case.precertificate_issued,
                hospital_nights=case.full_days or None,
                returned_home=case.returned_on,
                treatment_ended=discharged,
            ),
            actor=actor,
        )
    rows = []
    for cost, label, line in decided:
        row = store_cost(
            case,
            cost,
            line,
            actor=actor,
            status=CostStatus.CLAIMED,
            description=label,
            paid_to=payee_name,
        )
        if line.payable > ZERO:
            row.claim = claim
            row.save(update_fields=["claim"])
        rows.append(row)
    if claim is not None:
        states.note(case, "claim_made", actor=actor, text=claim.number)
    return rows


def store_cost(case, cost: CostInput, line, *, actor, status, description: str, paid_to: str = ""):
    return CaseCost.objects.create(
        case=case,
        benefit=cost.benefit,
        description=description[:200],
        date=cost.date,
        billed=line.billed,
        payable=line.payable,
        status=status if line.payable > ZERO else CostStatus.REFUSED,
        reasons=[r.to_json() for r in line.reasons],
        paid_to=paid_to[:200],
        created_by=actor,
    )
