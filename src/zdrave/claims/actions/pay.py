"""Paying claims: a final decision's payable amount becomes one scheduled payment; a later
version's difference becomes an extra payment or an amount to recover. Every claim is paid
exactly once per euro: ``committed_amount`` counts what is scheduled, sent or paid.

004 Чл.29 т.7: the reimbursement goes to the personal account named in the claim; for
reimbursements up to 20.00 лв the bank fee is the insured's. Чл.29 т.8: after the insured's
death, to the legal heirs.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from zdrave.base.audit.models import record
from zdrave.claims import states
from zdrave.claims.models import Claim, ClaimStatus, Payee, Payment, PaymentStatus
from zdrave.claims.states import By
from zdrave.engine.adjudication.health_claims import Payee as EnginePayee
from zdrave.engine.adjudication.health_claims import payment_check

ZERO = Decimal("0.00")
COMMITTED = (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED, PaymentStatus.PAID)
ENGINE_PAYEE = {
    Payee.INSURED: EnginePayee.INSURED,
    Payee.HOLDER: EnginePayee.INSURED,  # the policyholder's own account (004 Чл.29 т.7)
    Payee.HEIRS: EnginePayee.HEIRS,
}


def committed_amount(claim: Claim) -> Decimal:
    """What the claim has been paid or will be: scheduled, sent and paid transfers, less what
    is to be recovered."""
    total = claim.payments.filter(status__in=(*COMMITTED, PaymentStatus.TO_RECOVER)).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def new_payment(claim: Claim, version) -> Payment:
    """The payment of a claim's first decision, made in the transaction that created it (the
    caller sets the claim's status and records the step)."""
    check = payment_check(ENGINE_PAYEE[Payee(claim.payee or Payee.INSURED)], claim.payable)
    return Payment.objects.create(
        claim=claim,
        version=version,
        end_to_end_id=claim.number,
        amount=claim.payable,
        bank_fee_borne_by_insured=check.bank_fee_borne_by_insured,
        payee=claim.payee or Payee.INSURED,
        payee_name=claim.payee_name,
        iban=claim.iban,
    )


def schedule_payment(
    claim: Claim, *, actor, by: By, version=None, first: bool = False
) -> Payment | None:
    """After a final decision (caller holds the claim's lock): the difference between the
    decision's payable amount and what is committed becomes one payment — or, when negative,
    an amount to recover from the member (shown to them with the reason). ``first``: the
    claim's first decision, made in this transaction (nothing committed yet)."""
    version = version or claim.versions.order_by("-number").first()
    difference = claim.payable - (ZERO if first else committed_amount(claim))
    if difference == ZERO:
        return None
    check = payment_check(ENGINE_PAYEE[Payee(claim.payee or Payee.INSURED)], abs(difference))
    sequence = 0 if first else claim.payments.count()
    payment = Payment.objects.create(
        claim=claim,
        version=version,
        end_to_end_id=claim.number if sequence == 0 else f"{claim.number}-{sequence + 1}",
        amount=difference,
        bank_fee_borne_by_insured=check.bank_fee_borne_by_insured,
        payee=claim.payee or Payee.INSURED,
        payee_name=claim.payee_name,
        iban=claim.iban,
        status=PaymentStatus.SCHEDULED if difference > ZERO else PaymentStatus.TO_RECOVER,
    )
    if difference > ZERO:
        states.move(claim, ClaimStatus.PAYMENT_SCHEDULED, "payment_scheduled", by=by, actor=actor)
    else:
        states.note(claim, "overpayment", actor=actor, text=str(-difference))
    record(actor=actor, verb="claim_payment_scheduled", obj=claim, amount=str(difference))
    return payment
