"""Paying out the refund a termination settles (004 Чл.25 т.7–8, Чл.28 т.5; the amount is the
``Termination``'s): billing names the policyholder's account and the refund becomes a scheduled
payment of the claims payment module, sent in its next SEPA batch with the claims
(``claims.actions.bank.create_batch``), confirmed paid or returned there."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zdrave.base.identity.permissions import can_handle_billing
from zdrave.claims.actions.pay import schedule_premium_refund
from zdrave.claims.models import Payment, PaymentPurpose, PaymentStatus
from zdrave.policy_admin.billing.models import StatementLine, Termination

PENDING_OR_PAID = (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED, PaymentStatus.PAID)


def refund_payments(termination: Termination) -> QuerySet[Payment]:
    return Payment.objects.filter(
        contract_id=termination.contract_id, purpose=PaymentPurpose.PREMIUM_REFUND
    ).select_related("batch")


def refund_to_pay(termination: Termination) -> bool:
    """A refund is owed and none is scheduled, on its way or paid (a returned one is owed
    again)."""
    return (
        termination.refund > 0
        and not refund_payments(termination).filter(status__in=PENDING_OR_PAID).exists()
    )


def known_account(termination: Termination) -> str:
    """The account the premium last came from on a bank statement: a suggestion for the form."""
    line = (
        StatementLine.objects.filter(contract_id=termination.contract_id)
        .exclude(payer_iban="")
        .order_by("-booked_on", "-id")
        .first()
    )
    return line.payer_iban if line is not None else ""


def pay_refund(termination: Termination, *, iban: str, payee_name: str, actor) -> Payment:
    """Schedule the termination's refund to ``iban`` for the next payment batch. Twice is one
    payment; refused when nothing is owed."""
    if not can_handle_billing(actor):
        raise PermissionDenied
    if termination.refund <= 0:
        raise ValidationError(
            {"iban": _("IBAN: this termination refunds nothing (%(clause)s).")
            % {"clause": termination.clause}}
        )  # fmt: skip
    try:
        return schedule_premium_refund(
            termination.contract,
            amount=termination.refund,
            payee_name=payee_name or termination.contract.holder.name,
            iban=iban,
            reference=f"{termination.contract.number}-T{termination.pk}",
            actor=actor,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"iban": error.messages}) from error
