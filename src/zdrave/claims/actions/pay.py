"""Paying claims: a final decision's payable amount becomes one scheduled payment; a later
version's difference becomes an extra payment or an amount to recover. Every claim is paid
exactly once per euro: ``committed_amount`` counts what is scheduled, sent or paid.

004 Чл.29 т.7: the reimbursement goes to the personal account named in the claim; for
reimbursements up to 20.00 лв the bank fee is the insured's. Чл.29 т.8: after the insured's
death, to the legal heirs — once a claims adjuster has recorded the death and the heirs'
documents (``pay_heirs``).

Sending the money (SEPA files, the bank's confirmation and returns) is ``actions.bank``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_handle_claim_payments, can_work_claims
from zdrave.claims import states
from zdrave.claims.actions import together
from zdrave.claims.fetch import lock_claim, may_claim_for
from zdrave.claims.models import (
    Claim,
    ClaimForm,
    ClaimStatus,
    Payee,
    Payment,
    PaymentPurpose,
    PaymentStatus,
)
from zdrave.claims.states import By
from zdrave.claims.validation import clean_iban
from zdrave.engine.adjudication.health_claims import Payee as EnginePayee
from zdrave.engine.adjudication.health_claims import PaymentCheck, payment_check

ZERO = Decimal("0.00")
S = ClaimStatus
COMMITTED = (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED, PaymentStatus.PAID)
ENGINE_PAYEE = {
    Payee.INSURED: EnginePayee.INSURED,
    Payee.HOLDER: EnginePayee.INSURED,  # the policyholder's own account (004 Чл.29 т.7)
    Payee.HEIRS: EnginePayee.HEIRS,
    Payee.PROVIDER: EnginePayee.INSURED,  # not read: ``check_payee`` answers first
}
# 004 Чл.29 т.8: the two facts an adjuster records before heirs are paid (``pay_heirs``), kept
# as steps of the claim's history: who recorded them and when is part of the record.
INSURED_DIED = "insured_death_recorded"
HEIRS_DOCUMENTED = "heirs_documents_recorded"
MAX_TEXT = 500


def committed_amount(claim: Claim) -> Decimal:
    """What the claim has been paid or will be: scheduled, sent and paid transfers, less what
    is to be recovered. A returned transfer is not committed: it is owed again."""
    total = claim.payments.filter(status__in=(*COMMITTED, PaymentStatus.TO_RECOVER)).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def heirs_facts(claim: Claim) -> tuple[bool, bool]:
    """(the insured's death recorded, the heirs' documents recorded) — 004 Чл.29 т.8."""
    kinds = set(
        claim.events.filter(kind__in=(INSURED_DIED, HEIRS_DOCUMENTED)).values_list(
            "kind", flat=True
        )
    )
    return INSURED_DIED in kinds, HEIRS_DOCUMENTED in kinds


def check_payee(claim: Claim, amount: Decimal, *, first: bool = False) -> PaymentCheck:
    """The engine's rules of 004 Чл.29 т.7–8 for paying ``amount`` on ``claim``: whether it may
    go to the claim's payee, and whether the bank fee is the insured's. ``first``: a claim made
    in this transaction, whose history records no death yet."""
    if claim.payee == Payee.PROVIDER:
        # 001 т.72.3: the hospital or travel agency is paid on its bill; 004 Чл.29 т.7–8 (the
        # insured's own account, heirs, the small-payment fee) are about refunds to people.
        return PaymentCheck(allowed=True, bank_fee_borne_by_insured=False, reasons=())
    died, documented = (False, False) if first else heirs_facts(claim)
    return payment_check(
        ENGINE_PAYEE[Payee(claim.payee or Payee.INSURED)],
        abs(amount),
        insured_died=died,
        heirs_documented=documented,
    )


def payment_held(claim: Claim, *, first: bool = False) -> str:
    """Why the claim's payable amount may not be paid to its payee (004 Чл.29 т.8), or ""."""
    check = check_payee(claim, claim.payable, first=first)
    return "" if check.allowed else _refusal(check)


def _refusal(check: PaymentCheck) -> str:
    codes = {reason.code for reason in check.reasons}
    if "insured-died-pay-heirs" in codes:
        return _(
            "Paid to: the insured person has died; the money goes to the legal heirs "
            "(004 Чл.29 т.8). Record the heirs and their account first."
        )
    return _(
        "Paid to: the legal heirs are paid only after a claims adjuster has recorded the insured "
        "person's death and the heirs' documents (004 Чл.29 т.8)."
    )


def new_payment(claim: Claim, version) -> Payment:
    """The payment of a claim's first decision, not yet saved: the caller writes it with the
    claim that the transaction creates (it sets the claim's status and records the step;
    ``payment_held`` said yes)."""
    check = check_payee(claim, claim.payable, first=True)
    return _payment(claim, version, claim.payable, sequence=0, check=check)


def _payment_row(claim: Claim, version, amount, *, sequence: int, check) -> Payment:
    payment = _payment(claim, version, amount, sequence=sequence, check=check)
    payment.save(force_insert=True)
    return payment


def _payment(claim: Claim, version, amount, *, sequence: int, check) -> Payment:
    """One transfer (``amount`` > 0) or amount to recover (< 0) to the claim's account, not yet
    saved; the first is named by the claim number, later ones ``<number>-2`` …"""
    return together.instance(
        Payment,
        claim=claim,
        version=version,
        end_to_end_id=claim.number if sequence == 0 else f"{claim.number}-{sequence + 1}",
        amount=amount,
        bank_fee_borne_by_insured=check.bank_fee_borne_by_insured,
        payee=claim.payee or Payee.INSURED,
        payee_name=claim.payee_name,
        iban=claim.iban,
        status=PaymentStatus.SCHEDULED if amount > ZERO else PaymentStatus.TO_RECOVER,
    )


def schedule_payment(
    claim: Claim, *, actor, by: By, version=None, first: bool = False
) -> Payment | None:
    """After a final decision (caller holds the claim's lock): the difference between the
    decision's payable amount and what is committed becomes one payment — or, when negative,
    an amount to recover from the member (shown to them with the reason). ``first``: the
    claim's first decision, made in this transaction (nothing committed yet).

    004 Чл.29 т.8: a payment the payee rules refuse (heirs without the recorded death and
    documents, the insured's own account after their death) is refused with a message on
    ``payee`` when a person decides; when the engine decided alone, the claim keeps its decision
    and the step ``payment_held`` tells the adjusters why nothing was scheduled."""
    if claim.form == ClaimForm.SUBSCRIPTION:
        # 004 Чл.29 т.12: the provider is paid in its monthly statement (providers.settlement),
        # and an amount paid without grounds is a recovery there (Чл.29 т.10). The caller may
        # have moved the claim without saving (``states.move(save=False)``).
        claim.save()
        return None
    version = version or claim.versions.order_by("-number").first()
    difference = claim.payable - (ZERO if first else committed_amount(claim))
    if difference == ZERO:
        return None
    check = check_payee(claim, difference, first=first)
    if difference > ZERO and not check.allowed:
        refusal = _refusal(check)
        if by is By.ENGINE:
            # The caller may have moved the claim without saving (``states.move(save=False)``).
            claim.save()
            states.note(claim, "payment_held", actor=actor, text=refusal)
            return None
        raise ValidationError({"payee": refusal})
    sequence = 0 if first else claim.payments.count()
    payment = _payment_row(claim, version, difference, sequence=sequence, check=check)
    if difference > ZERO:
        states.move(claim, ClaimStatus.PAYMENT_SCHEDULED, "payment_scheduled", by=by, actor=actor)
    else:
        states.note(claim, "overpayment", actor=actor, text=str(-difference))
    record(actor=actor, verb="claim_payment_scheduled", obj=claim, amount=str(difference))
    return payment


def reschedule(claim: Claim, *, actor) -> Payment:
    """After the bank returned a payment and the member gave another account (the claim's
    ``iban``, ``payee`` and ``payee_name``): a new payment of what is still owed, with the next
    end-to-end id (``<number>-2`` …), and the claim is "payment scheduled" again.

    The member of the claim (or whoever may claim for the person) or a payments handler; refused
    with a message on ``status`` unless the claim's payment failed, and on ``iban`` when the
    account is the one the bank returned."""
    if not (can_handle_claim_payments(actor) or may_claim_for(actor, claim.member.person_id)):
        raise PermissionDenied
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        if claim.status != S.PAYMENT_FAILED:
            raise ValidationError(
                {
                    "status": _(
                        "Status: only a claim whose payment failed is paid again; this one is "
                        "“%(status)s”."
                    )
                    % {"status": claim.get_status_display()}
                }
            )
        returned = claim.payments.filter(status=PaymentStatus.RETURNED).order_by("-id").first()
        if returned is not None and returned.iban == claim.iban:
            raise ValidationError(
                {"iban": _("IBAN: the bank returned the payment to this account; give another.")}
            )
        if claim.payable - committed_amount(claim) <= ZERO:
            raise ValidationError({"status": _("Status: nothing is owed on this claim any more.")})
        # The platform pays again on the member's new account: the move is the platform's.
        payment = schedule_payment(claim, actor=actor, by=By.ENGINE)
        if payment is None:
            # Held by the payee rules (004 Чл.29 т.8): the held step says why.
            raise ValidationError({"payee": _refusal(check_payee(claim, claim.payable))})
        record(actor=actor, verb="claim_payment_rescheduled", obj=claim, payment=payment.pk)
    return payment


def pay_heirs(
    claim: Claim,
    *,
    actor,
    died_on: dt.date,
    documents: str,
    iban: str,
    payee_name: str,
) -> Claim:
    """004 Чл.29 т.8: a claims adjuster records the insured person's death, the heirs'
    documents (a certificate of heirs, the cost documents of the provider) and the heirs'
    account; the claim's payment then goes to them. A decided claim whose payment was held for
    this is scheduled at once."""
    if not can_work_claims(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if died_on > timezone.localdate():
        errors["died_on"] = [_("Date of death: it cannot be in the future.")]
    if not documents.strip():
        errors["documents"] = [
            _("Heirs' documents: name the certificate of heirs and the documents received.")
        ]
    if not payee_name.strip():
        errors["payee_name"] = [_("Account holder: name the heir or heirs the account is of.")]
    try:
        account = clean_iban(iban)
    except ValidationError as error:
        errors["iban"] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        claim.payee = Payee.HEIRS
        claim.iban = account
        claim.payee_name = payee_name.strip()[:200]
        claim.save(update_fields=["payee", "iban", "payee_name"])
        states.note(claim, INSURED_DIED, actor=actor, text=died_on.isoformat())
        states.note(claim, HEIRS_DOCUMENTED, actor=actor, text=documents.strip()[:MAX_TEXT])
        record(actor=actor, verb="claim_heirs_recorded", obj=claim, iban_end=account[-4:])
        owed = claim.payable - committed_amount(claim)
        if owed > ZERO and claim.status in (S.APPROVED, S.PARTIALLY_APPROVED, S.PAYMENT_FAILED):
            schedule_payment(claim, actor=actor, by=By.ADJUSTER)
    return claim


# -- premium refunds ----------------------------------------------------------------------------

MAX_PAYEE = 200


def schedule_premium_refund(
    contract, *, amount: Decimal, payee_name: str, iban: str, reference: str, actor
) -> Payment:
    """A premium refund of a terminated ``contract`` as a scheduled payment, sent in the next
    SEPA batch with the claims (``bank.create_batch``). ``reference`` (the termination, e.g.
    ``H-100-T7``) is its end-to-end id: the same refund scheduled twice is one payment; after
    the bank returned it, a new account gives ``<reference>-2`` …. The caller (billing) has
    checked who may ask and the amount the clause settles."""
    iban = clean_iban(iban)
    payee_name = " ".join((payee_name or "").split())[:MAX_PAYEE]
    if amount is None or amount <= ZERO:
        raise ValidationError({"amount": _("Amount: a refund is more than zero.")})
    with transaction.atomic():
        earlier = list(
            Payment.objects.select_for_update()
            .filter(contract=contract, purpose=PaymentPurpose.PREMIUM_REFUND)
            .order_by("id")
        )
        live = [p for p in earlier if p.status in COMMITTED]
        if live:
            return live[0]
        end_to_end = reference if not earlier else f"{reference}-{len(earlier) + 1}"
        payment = Payment.objects.create(
            purpose=PaymentPurpose.PREMIUM_REFUND,
            contract=contract,
            end_to_end_id=end_to_end[:35],
            amount=amount,
            payee=Payee.HOLDER,
            payee_name=payee_name,
            iban=iban,
        )
        record(
            actor=actor,
            verb="premium_refund_scheduled",
            obj=payment,
            contract=contract.number,
            amount=str(amount),
        )
    return payment
