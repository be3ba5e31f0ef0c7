"""Sending claim payments through the bank: the SEPA credit transfer file of a batch
(pain.001.001.09), the bank's confirmation that it paid, and payments it returned (a pain.002
or camt.054 file, or a person's entry).

Every claim is paid exactly once: a batch takes only scheduled payments that are in no batch,
locked with ``SKIP LOCKED`` so two people pressing "create batch" at once get one batch and
a "nothing waiting" answer; the file is built once and stored, so exporting it again gives the
same bytes.

Lock order of the payment actions: the batch, then payment rows, then each claim's person and
claim (``fetch.lock_claim``, in the order of the person). Payments come before claims because
creating a batch writes a step on each claim while holding its payments, and that step's
foreign key waits for any lock on the claim; deciding a claim (person, claim, then a new
payment) never waits for an existing payment row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.banking import reasons as bank_reasons
from zdrave.base.banking.iban import normalise_iban
from zdrave.base.banking.returns import parse_returns
from zdrave.base.banking.sepa import (
    NAME_LENGTH,
    CreditTransferBatch,
    Debtor,
    Transfer,
    credit_transfer_xml,
)
from zdrave.base.banking.transliteration import sepa_text
from zdrave.base.identity.permissions import can_handle_claim_payments
from zdrave.claims import states
from zdrave.claims.emails import RETURN_CODE, plain_return_reason, send_claim_mail
from zdrave.claims.fetch import lock_claim
from zdrave.claims.models import Claim, ClaimStatus, Payment, PaymentBatch, PaymentStatus
from zdrave.claims.states import By
from zdrave.engine.calendar import is_working_day

S = ClaimStatus
ZERO = Decimal("0.00")
# The remittance the payee reads on their statement: the claim, never a diagnosis or a service.
# Bulgarian, written in SEPA letters by the official transliteration.
REMITTANCE = "Възстановяване на разходи по претенция {number}"
REMITTANCE_AGAIN = "Възстановяване на разходи по претенция {number}, плащане {sequence}"
REMITTANCE_REFUND = "Връщане на премия по договор {number}"
RETURNABLE = (PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED, PaymentStatus.PAID)
MAX_REASON = 200


def _allowed(actor) -> None:
    if not can_handle_claim_payments(actor):
        raise PermissionDenied


def insurer_account() -> Debtor:
    """The insurer's paying account (settings ``ZDRAVE_INSURER_NAME`` / ``_IBAN`` / ``_BIC``)."""
    return Debtor(
        name=settings.ZDRAVE_INSURER_NAME,
        iban=settings.ZDRAVE_INSURER_IBAN,
        bic=settings.ZDRAVE_INSURER_BIC or None,
    )


def remittance(payment: Payment) -> str:
    if payment.claim_id is None:
        return REMITTANCE_REFUND.format(number=payment.contract.number)
    number = payment.claim.number
    sequence = payment.end_to_end_id.removeprefix(number).lstrip("-")
    if sequence:
        return REMITTANCE_AGAIN.format(number=number, sequence=sequence)
    return REMITTANCE.format(number=number)


def first_execution_date(today: dt.date | None = None) -> dt.date:
    """The next Bulgarian working day: the default execution date of a new batch."""
    day = (today or timezone.localdate()) + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# -- the batch -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeftOut:
    """A scheduled payment no bank would accept as it stands: it stays scheduled."""

    payment: Payment
    problem: str


@dataclass(frozen=True)
class BatchResult:
    batch: PaymentBatch
    left_out: list[LeftOut] = field(default_factory=list)


def unsendable(payment: Payment) -> str:
    """Why ``payment`` cannot go in a SEPA file (an account outside SEPA, a name with no Latin
    letters), or ""."""
    try:
        normalise_iban(payment.iban, label=_("IBAN"), sepa_only=True)
    except ValidationError as error:
        return error.messages[0]
    if not sepa_text(payment.payee_name or _holder_name(payment), NAME_LENGTH):
        return _("Account holder: the name is empty once written in Latin letters.")
    return ""


def _holder_name(payment: Payment) -> str:
    if payment.claim_id is None:  # a premium refund goes to the policyholder
        return payment.contract.holder.name
    return payment.claim.member.person.full_name


def create_batch(*, actor, execution_date: dt.date) -> BatchResult:
    """Put every scheduled payment that is in no batch into one new batch with its SEPA file
    (stored, validated against the official XSD) and mark them sent. Payments a bank would
    refuse stay scheduled and are listed back. A ``ValidationError`` on ``execution_date`` when
    the date is past or not a Bulgarian working day; one without a field (code
    ``nothing_waiting`` / ``nothing_sendable``) when there is nothing to send."""
    _allowed(actor)
    today = timezone.localdate()
    if execution_date < today or not is_working_day(execution_date):
        raise ValidationError(
            {
                "execution_date": _(
                    "Execution date: choose a Bulgarian working day from today on, such as %(day)s."
                )
                % {"day": f"{first_execution_date(today):%d.%m.%Y}"}
            }
        )
    with transaction.atomic():
        # SKIP LOCKED: a payment another batch is taking right now is not waited for (it is
        # not waiting any more); the status and the empty batch make the rest sure.
        ids = list(
            Payment.objects.select_for_update(skip_locked=True)
            .filter(status=PaymentStatus.SCHEDULED, batch__isnull=True, amount__gt=ZERO)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        payments = list(
            Payment.objects.filter(pk__in=ids)
            .select_related("claim__member__person", "contract__holder")
            .order_by("id")
        )
        problems = {p.pk: unsendable(p) for p in payments}
        left_out = [LeftOut(p, problems[p.pk]) for p in payments if problems[p.pk]]
        sendable = [p for p in payments if not problems[p.pk]]
        if not payments:
            raise ValidationError(
                _(
                    "Payment batch: no scheduled payment is waiting to be sent; nothing was "
                    "created."
                ),
                code="nothing_waiting",
            )
        if not sendable:
            raise ValidationError(
                _(
                    "Payment batch: none of the waiting payments can be sent as they stand; see "
                    "the problem listed with each."
                ),
                code="nothing_sendable",
            )
        batch = _store_batch(sendable, actor=actor, execution_date=execution_date)
        for payment in sendable:
            if payment.claim_id is not None:
                states.note(payment.claim, "payment_sent", actor=actor, text=batch.message_id)
        record(
            actor=actor,
            verb="payment_batch_created",
            obj=batch,
            count=batch.count,
            total=str(batch.total),
        )
    return BatchResult(batch, left_out)


def store_transfer_batch(model, *, prefix: str, actor, execution_date: dt.date, transfers):
    """One SEPA credit-transfer batch of ``model`` (the claims' ``PaymentBatch``, the provider
    settlement's batch: the same fields) with its pain.001.001.09 file built once and stored, so
    a re-export is byte-identical. Its message id is ``<prefix>-<Sofia date>-<pk>``."""
    created = timezone.now().replace(microsecond=0)
    batch = model.objects.create(
        message_id=f"new-{uuid.uuid4().hex[:24]}",
        created_at=created,
        created_by=actor,
        execution_date=execution_date,
        total=sum((t.amount for t in transfers), ZERO),
        count=len(transfers),
        xml=b"",
    )
    batch.message_id = f"{prefix}-{timezone.localtime(created):%Y%m%d}-{batch.pk:06d}"
    batch.xml = credit_transfer_xml(
        CreditTransferBatch(
            message_id=batch.message_id,
            created_at=created,
            execution_date=execution_date,
            debtor=insurer_account(),
            transfers=transfers,
        )
    )
    batch.save(update_fields=["message_id", "xml"])
    return batch


def _store_batch(payments: list[Payment], *, actor, execution_date: dt.date) -> PaymentBatch:
    batch = store_transfer_batch(
        PaymentBatch,
        prefix="ZDR",
        actor=actor,
        execution_date=execution_date,
        transfers=[
            Transfer(
                end_to_end_id=p.end_to_end_id,
                creditor_name=p.payee_name or _holder_name(p),
                creditor_iban=p.iban,
                amount=p.amount,
                remittance=remittance(p),
            )
            for p in payments
        ],
    )
    updated = Payment.objects.filter(
        pk__in=[p.pk for p in payments], status=PaymentStatus.SCHEDULED, batch__isnull=True
    ).update(batch=batch, status=PaymentStatus.EXPORTED)
    if updated != len(payments):  # pragma: no cover — the lock above makes this impossible
        raise RuntimeError("a payment of the batch was taken by another batch")
    return batch


def batch_file(batch: PaymentBatch, *, actor) -> bytes:
    """The batch's SEPA file, exactly as it was first built (a re-export never books twice)."""
    _allowed(actor)
    record(actor=actor, verb="payment_batch_exported", obj=batch)
    return bytes(batch.xml)


# -- the bank's answer ---------------------------------------------------------------------------


def confirm_batch_paid(batch: PaymentBatch, *, actor, on: dt.date) -> int:
    """The bank paid the batch on ``on``: its sent payments are paid, their claims "paid" (a
    claim with another payment still on its way stays as it is) and the members are told.
    Returns the number of payments confirmed. Confirming twice is refused and changes
    nothing."""
    _allowed(actor)
    today = timezone.localdate()
    created = timezone.localdate(batch.created_at)
    if on > today or on < created:
        raise ValidationError(
            {"on": _("Paid on: a date from %(start)s to today.") % {"start": f"{created:%d.%m.%Y}"}}
        )
    paid_at = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    with transaction.atomic():
        batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.confirmed_at is not None:
            raise ValidationError(
                {
                    "on": _("Paid on: this batch was already confirmed on %(day)s.")
                    % {"day": f"{timezone.localtime(batch.confirmed_at):%d.%m.%Y}"}
                }
            )
        sent = list(
            Payment.objects.select_for_update()
            .filter(batch=batch, status=PaymentStatus.EXPORTED)
            .order_by("id")
        )
        confirmed = 0
        for refund in (p for p in sent if p.claim_id is None):
            refund.status = PaymentStatus.PAID
            refund.paid_at = paid_at
            refund.save(update_fields=["status", "paid_at"])
            record(actor=actor, verb="premium_refund_paid", obj=refund, amount=str(refund.amount))
            confirmed += 1
        for claim_id in _claims_in_person_order(sent):
            claim = lock_claim(claim_id)
            payments = [p for p in sent if p.claim_id == claim_id]
            for payment in payments:
                payment.status = PaymentStatus.PAID
                payment.paid_at = paid_at
                payment.save(update_fields=["status", "paid_at"])
                confirmed += 1
            _claim_paid(claim, actor=actor, amount=sum((p.amount for p in payments), ZERO))
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_at"])
        record(actor=actor, verb="payment_batch_paid", obj=batch, on=on.isoformat())
    return confirmed


def _claims_in_person_order(payments: list[Payment]) -> list[int]:
    """The claims of ``payments`` ordered by their person: two batches confirmed at once lock
    people in the same order."""
    ids = {p.claim_id for p in payments if p.claim_id is not None}
    return list(
        Claim.objects.filter(pk__in=ids).order_by("member_id", "id").values_list("pk", flat=True)
    )


def _claim_paid(claim: Claim, *, actor, amount: Decimal) -> None:
    pending = claim.payments.filter(
        status__in=(PaymentStatus.SCHEDULED, PaymentStatus.EXPORTED)
    ).exists()
    if not pending and states.allowed(claim.status, S.PAID, By.PAYMENTS):
        states.move(claim, S.PAID, "paid", by=By.PAYMENTS, actor=actor, note=str(amount))
    else:
        states.note(claim, "payment_paid", actor=actor, text=str(amount))
    record(actor=actor, verb="claim_paid", obj=claim, amount=str(amount))
    transaction.on_commit(lambda: send_claim_mail(claim.pk, "paid"))


@dataclass(frozen=True)
class ReturnOutcome:
    end_to_end_id: str
    outcome: str  # "returned" | "already" | "unknown" | "refused"
    claim: str = ""
    reason: str = ""


def record_return(end_to_end_id: str, *, reason_code: str, reason_text: str, actor):
    """The bank did not pay (or sent back) the payment ``end_to_end_id``: it is "returned" with
    the reason, its claim "payment failed", and the member is told why and asked for another
    account. A payment not yet sent may be entered too (an account no bank would take). Returns
    a ``ReturnOutcome``; refusals are ``ValidationError``s naming the field."""
    _allowed(actor)
    end_to_end_id = (end_to_end_id or "").strip()
    code = (reason_code or "").strip().upper()
    words = " ".join((reason_text or "").split())
    if code and not RETURN_CODE.fullmatch(code):
        raise ValidationError(
            {"reason_code": _("Reason code: four letters or digits, such as AC01.")}
        )
    if not code and not words:
        raise ValidationError({"reason_code": _("Reason: give the bank's code or say why.")})
    reason = (f"{code}: {words}" if code and words else code or words)[:MAX_REASON]
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(end_to_end_id=end_to_end_id).first()
        if payment is None:
            return ReturnOutcome(end_to_end_id, "unknown")
        if payment.claim_id is None:
            return _refund_returned(payment, reason, code, actor=actor)
        claim = lock_claim(payment.claim_id)
        if payment.status == PaymentStatus.RETURNED:
            return ReturnOutcome(end_to_end_id, "already", claim.number)
        if payment.status not in RETURNABLE:
            raise ValidationError(
                {
                    "end_to_end_id": _(
                        "Payment %(id)s: a payment that is “%(status)s” cannot come back."
                    )
                    % {"id": payment.end_to_end_id, "status": payment.get_status_display()}
                }
            )
        payment.status = PaymentStatus.RETURNED
        payment.return_reason = reason
        payment.save(update_fields=["status", "return_reason"])
        note = f"{payment.end_to_end_id} · {reason}"
        if states.allowed(claim.status, S.PAYMENT_FAILED, By.PAYMENTS):
            states.move(
                claim, S.PAYMENT_FAILED, "payment_failed", by=By.PAYMENTS, actor=actor, note=note
            )
        else:
            # The claim moved on (reopened, or an extra payment is still on its way): the
            # return is recorded, the status stays for the adjusters.
            states.note(claim, "payment_returned", actor=actor, text=note)
        record(
            actor=actor,
            verb="claim_payment_returned",
            obj=claim,
            payment=payment.end_to_end_id,
            reason=code,
        )
        transaction.on_commit(lambda: send_claim_mail(claim.pk, "payment_failed"))
    return ReturnOutcome(end_to_end_id, "returned", claim.number, str(plain_return_reason(payment)))


def _refund_returned(payment: Payment, reason: str, code: str, *, actor) -> ReturnOutcome:
    """A premium refund the bank did not pay: returned, for billing to ask the policyholder for
    another account (the contract page shows it and schedules it again)."""
    number = payment.contract.number
    if payment.status == PaymentStatus.RETURNED:
        return ReturnOutcome(payment.end_to_end_id, "already", number)
    if payment.status not in RETURNABLE:
        raise ValidationError(
            {
                "end_to_end_id": _(
                    "Payment %(id)s: a payment that is “%(status)s” cannot come back."
                )
                % {"id": payment.end_to_end_id, "status": payment.get_status_display()}
            }
        )
    payment.status = PaymentStatus.RETURNED
    payment.return_reason = reason
    payment.save(update_fields=["status", "return_reason"])
    record(actor=actor, verb="premium_refund_returned", obj=payment, reason=code)
    return ReturnOutcome(
        payment.end_to_end_id, "returned", number, str(plain_return_reason(payment))
    )


def import_returns(file_bytes: bytes, *, actor) -> list[ReturnOutcome]:
    """The payments a pain.002 status report or a camt.054 notification says did not arrive,
    each recorded as ``record_return`` does, in one transaction. End-to-end ids this platform
    never sent are listed back as "unknown"; a file that is not such a report (or rejects the
    whole file) is a ``ValidationError`` with the banking kit's message."""
    _allowed(actor)
    returned = parse_returns(file_bytes)
    outcomes = []
    with transaction.atomic():
        for item in returned:
            try:
                outcome = record_return(
                    item.end_to_end_id,
                    reason_code=item.reason_code if RETURN_CODE.fullmatch(item.reason_code) else "",
                    reason_text=item.bank_text or str(item.reason_text),
                    actor=actor,
                )
            except ValidationError as error:
                outcome = ReturnOutcome(item.end_to_end_id, "refused", reason=error.messages[0])
            outcomes.append(outcome)
    return outcomes


REASON_CHOICES = sorted(bank_reasons.REASONS)
