"""The member gives another account for a claim's reimbursement: after the bank returned the
payment, or any time before the payment is scheduled (004 Чл.29 т.7: the reimbursement goes to
the personal account named in the claim, the insured person's own or the policyholder's). The
payments side reschedules a returned payment from the stored account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.claims import states
from zdrave.claims.actions.pay import reschedule
from zdrave.claims.fetch import lock_claim_of
from zdrave.claims.models import Claim, ClaimStatus, Payee
from zdrave.claims.states import account_can_change
from zdrave.claims.validation import clean_iban

MEMBER_PAYEES = (Payee.INSURED, Payee.HOLDER)


def change_account(claim: Claim, *, actor, iban: str, payee: str, payee_name: str) -> Claim:
    """Store the new account on the claim and record the step ``account_changed``; refused
    (nothing changes) for a claim whose payment is scheduled, sent or done, or that pays
    nothing."""
    try:
        account = clean_iban(iban)
    except ValidationError as error:
        raise ValidationError({"iban": error.messages}) from None
    if payee not in MEMBER_PAYEES:
        raise ValidationError(
            {"payee": _("Paid to: choose the insured person or the policyholder.")}
        )
    name = (payee_name or "").strip()[:200]
    if not name:
        raise ValidationError({"payee": _("Paid to: the account holder's name is missing.")})
    with transaction.atomic():
        claim = lock_claim_of(actor, claim.pk)
        if claim.payee == Payee.PROVIDER:
            # 001 т.72.3: the provider's account comes from its bill, not from the member.
            raise ValidationError(
                {"iban": _("IBAN: this claim pays the hospital or agency; its account is theirs.")}
            )
        if not account_can_change(claim):
            raise ValidationError(
                {
                    "iban": _(
                        "IBAN: the account of a claim that is “%(status)s” cannot be changed."
                    )
                    % {"status": claim.get_status_display()}
                }
            )
        claim.iban = account
        claim.payee = payee
        claim.payee_name = name
        claim.save(update_fields=["iban", "payee", "payee_name"])
        # The step and the audit row name the account by its last four characters only.
        states.note(claim, "account_changed", actor=actor, text=f"…{account[-4:]}")
        record(
            actor=actor,
            verb="claim_account_changed",
            obj=claim,
            payee=payee,
            iban_end=account[-4:],
        )
        if claim.status == ClaimStatus.PAYMENT_FAILED:
            # The bank returned the payment: what is owed goes out again to the new account.
            reschedule(claim, actor=actor)
            claim.refresh_from_db()
    return claim
