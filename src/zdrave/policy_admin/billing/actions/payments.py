"""Premium payments: money received for a contract, spread over its unpaid instalments oldest
first through ``contracts.actions.record_premium_payment``; once the last instalment is paid,
claims held under 004 Чл.25 т.6 are decided again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.claims.actions.decide import auto_decide
from zdrave.claims.models import Claim, ClaimStatus
from zdrave.contracts import actions as contracts_actions
from zdrave.contracts.models import Contract, ContractStatus, PremiumInstalment
from zdrave.engine.premiums import allocate
from zdrave.policy_admin.billing.models import (
    BillingTask,
    PaymentSource,
    PremiumPayment,
    TaskKind,
    TaskStatus,
)

ZERO = Decimal("0.00")


def record_payment(
    contract: Contract,
    *,
    amount: Decimal,
    received_on: dt.date,
    actor,
    payer: str = "",
    source: str = PaymentSource.STAFF,
    statement_line=None,
    idempotency_key: str | None = None,
) -> PremiumPayment:
    """Book ``amount`` received on ``received_on`` to ``contract``'s unpaid instalments,
    oldest first. Refused: a non-positive amount, a date in the future, a contract not in force
    (a draft's first premium is recorded with its issuance), more than is owed. The same
    ``idempotency_key`` twice books once."""
    if amount is None or amount <= ZERO or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("Amount: enter an amount above zero, to the cent.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Received on: the date cannot be in the future.")})
    with transaction.atomic():
        if idempotency_key:
            done = PremiumPayment.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return done
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status not in (
            ContractStatus.IN_FORCE,
            ContractStatus.TERMINATED,
            ContractStatus.DRAFT,
        ):
            raise ValidationError(
                {"amount": _("Amount: contract %(n)s has ended.") % {"n": locked.number}}
            )
        unpaid = list(
            PremiumInstalment.objects.filter(contract=locked, paid_on__isnull=True).order_by("due")
        )
        parts, surplus = allocate(amount, [i.outstanding for i in unpaid])
        if surplus > ZERO:
            owed = amount - surplus
            raise ValidationError(
                {
                    "amount": _(
                        "Amount: contract %(n)s owes %(owed)s EUR; %(amount)s EUR is more than that."
                    )
                    % {"n": locked.number, "owed": owed, "amount": amount}
                }
            )
        allocations = []
        for instalment, part in zip(unpaid, parts, strict=True):
            if part <= ZERO:
                continue
            contracts_actions.record_premium_payment(instalment, received_on, part, by=actor)
            allocations.append(
                {
                    "instalment": instalment.pk,
                    "due": instalment.due.isoformat(),
                    "amount": str(part),
                }
            )
        payment = PremiumPayment.objects.create(
            contract=locked,
            amount=amount,
            received_on=received_on,
            payer=payer[:200],
            source=source,
            statement_line=statement_line,
            allocations=allocations,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=idempotency_key or None,
        )
        record(
            actor=actor,
            verb="premium_payment.recorded",
            obj=payment,
            contract=locked.number,
            amount=amount,
            received_on=received_on,
            source=source,
            allocations=allocations,
        )
        _close_paid_arrears(locked, actor)
    release_held_claims(locked)
    return payment


def _close_paid_arrears(contract: Contract, actor) -> None:
    """An arrears task whose instalment is now paid has nothing left to decide."""
    paid = BillingTask.objects.filter(
        contract=contract,
        kind=TaskKind.ARREARS,
        status__in=(TaskStatus.OPEN, TaskStatus.NOTICE_SENT, TaskStatus.WAITING),
        instalment__paid_on__isnull=False,
    )
    for task in paid:
        task.status = TaskStatus.CLOSED
        task.closed_on = timezone.localdate()
        task.note = (task.note + "\n" if task.note else "") + _("The instalment was paid.")
        task.save(update_fields=["status", "closed_on", "note"])
        record(actor=actor, verb="billing_task.closed_paid", obj=task)


def release_held_claims(contract: Contract) -> list[str]:
    """004 Чл.25 т.6: a claim held until the unpaid instalments are paid is decided again once
    none is left (``claims.actions.decide.auto_decide``, which pays it if nothing else holds it).
    A held claim is stored waiting (``pending_documents``) without its reasons; one that waits
    for no document waits for the premium (the only hold without a document: the euro invoice
    and prescription holds name theirs, ``engine.adjudication.health.HOLD_DOCUMENTS``). A claim
    that also lacks documents is decided again when they arrive. Returns the claims' numbers."""
    if PremiumInstalment.objects.filter(contract=contract, paid_on__isnull=True).exists():
        return []
    released = []
    held = Claim.objects.filter(contract=contract, status=ClaimStatus.PENDING_DOCUMENTS)
    for claim in held.only("pk", "number", "missing_documents"):
        if not claim.missing_documents:
            auto_decide(claim.pk)
            released.append(claim.number)
    return released
