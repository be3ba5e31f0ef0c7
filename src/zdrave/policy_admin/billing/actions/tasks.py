"""Decisions the insurer owes where 004 gives it a right, as tasks for a person:

- arrears (004 Чл.25 т.5): an instalment unpaid more than 15 days after its due date opens a
  task for billing staff (the daily ``open_arrears_tasks``); they send the notice (letter and
  e-mail), then decide to wait or to terminate (``termination.terminate``). Cover never ends by
  itself;
- repricing (Чл.25 т.8): a group contract whose gross loss ratio reached 100 % opens a task for
  an underwriter, who proposes a higher premium (letter), records the answer, and may terminate
  on refusal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.contracts.models import ContractStatus, PremiumInstalment
from zdrave.engine.premiums import ARREARS_DAYS
from zdrave.policy_admin.billing import emails
from zdrave.policy_admin.billing.fetch import loss_ratios
from zdrave.policy_admin.billing.models import (
    OPEN_TASKS,
    BillingTask,
    TaskKind,
    TaskStatus,
)

HEALTH = "health"  # the product whose general conditions are 004


def open_arrears_tasks(on: dt.date | None = None) -> int:
    """One task per instalment more than 15 days overdue on ``on`` (the 16th day after the due
    date and later) of a contract in force and not terminated; returns how many were opened.
    Running it twice on a day opens nothing more."""
    on = on or timezone.localdate()
    last_due = on - dt.timedelta(days=ARREARS_DAYS + 1)
    overdue = PremiumInstalment.objects.filter(
        paid_on__isnull=True,
        due__lte=last_due,
        contract__status=ContractStatus.IN_FORCE,
        contract__terminated_on__isnull=True,
        # 004's rule; Best Doctors (001 т.27.4, т.40–41) has its own, not built here.
        contract__product_code=HEALTH,
    ).exclude(pk__in=BillingTask.objects.filter(kind=TaskKind.ARREARS).values("instalment_id"))
    opened = 0
    for instalment in overdue.select_related("contract"):
        with transaction.atomic():
            task, created = BillingTask.objects.get_or_create(
                kind=TaskKind.ARREARS,
                instalment=instalment,
                defaults={"contract": instalment.contract, "opened_on": on},
            )
            if created:
                opened += 1
                record(
                    actor=None,
                    verb="billing_task.opened",
                    obj=task,
                    kind=task.kind,
                    contract=instalment.contract.number,
                    due=instalment.due,
                )
    return opened


def open_repricing_tasks(on: dt.date | None = None) -> int:
    """A task for an underwriter for each group contract in force whose gross loss ratio
    reached 100 % (004 Чл.25 т.8) and has no repricing task open or decided this term."""
    on = on or timezone.localdate()
    opened = 0
    for row in loss_ratios(on):
        if not row.may_reprice or row.contract.status != ContractStatus.IN_FORCE:
            continue
        if row.contract.terminated_on is not None or row.task is not None:
            continue
        with transaction.atomic():
            task = BillingTask.objects.create(
                kind=TaskKind.REPRICING,
                contract=row.contract,
                opened_on=on,
                loss_ratio=row.ratio,
            )
            record(actor=None, verb="billing_task.opened", obj=task, kind=task.kind)
            opened += 1
    return opened


def _locked(task: BillingTask, kind: str) -> BillingTask:
    locked = (
        BillingTask.objects.select_for_update().select_related("contract__holder").get(pk=task.pk)
    )
    if locked.kind != kind or locked.status not in OPEN_TASKS:
        raise ValidationError(_("This task is closed; nothing changed."))
    return locked


def send_arrears_notice(task: BillingTask, *, actor) -> BillingTask:
    """The notice of 004 Чл.25 т.5: the letter (PDF) by e-mail through the outbox; a second
    click sends nothing more."""
    with transaction.atomic():
        locked = _locked(task, TaskKind.ARREARS)
        if locked.notice_sent_on is not None:
            return locked
        locked.status = TaskStatus.NOTICE_SENT
        locked.notice_sent_on = timezone.localdate()
        locked.decided_by = actor
        locked.save(update_fields=["status", "notice_sent_on", "decided_by"])
        mailed = emails.send_letter("arrears", locked, locked.contract)
        record(actor=actor, verb="billing_task.notice_sent", obj=locked, emailed=mailed)
    return locked


def decide_to_wait(task: BillingTask, *, actor, note: str) -> BillingTask:
    """The person decides not to terminate now (a promise to pay, a hardship): the task stays
    open for a later decision, with the reason."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Note: say why the insurer waits.")})
    with transaction.atomic():
        locked = _locked(task, TaskKind.ARREARS)
        locked.status = TaskStatus.WAITING
        locked.note = note[:2000]
        locked.decided_by = actor
        locked.save(update_fields=["status", "note", "decided_by"])
        record(actor=actor, verb="billing_task.wait", obj=locked, note=locked.note)
    return locked


def propose_repricing(task: BillingTask, *, actor, premium: Decimal) -> BillingTask:
    """004 Чл.25 т.8: the underwriter proposes a higher yearly premium; the letter goes out."""
    with transaction.atomic():
        locked = _locked(task, TaskKind.REPRICING)
        current = sum((i.amount for i in locked.contract.instalments.all()), start=Decimal(0))
        if premium is None or premium <= current:
            raise ValidationError(
                {
                    "premium": _("Proposed premium: more than the current %(current)s EUR.")
                    % {"current": current}
                }
            )
        locked.status = TaskStatus.PROPOSED
        locked.proposed_premium = premium
        locked.notice_sent_on = timezone.localdate()
        locked.decided_by = actor
        locked.save(update_fields=["status", "proposed_premium", "notice_sent_on", "decided_by"])
        mailed = emails.send_letter("repricing", locked, locked.contract)
        record(
            actor=actor, verb="billing_task.repricing_proposed", obj=locked, premium=premium,
            emailed=mailed,
        )  # fmt: skip
    return locked


def close_task(task: BillingTask, *, actor, note: str) -> BillingTask:
    """Nothing more to do: the higher premium accepted (it comes by annex), or the insurer
    decides not to use its right."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Note: say why the task is closed.")})
    with transaction.atomic():
        locked = BillingTask.objects.select_for_update().get(pk=task.pk)
        if locked.status not in OPEN_TASKS:
            return locked
        locked.status = TaskStatus.CLOSED
        locked.closed_on = timezone.localdate()
        locked.note = note[:2000]
        locked.decided_by = actor
        locked.save(update_fields=["status", "closed_on", "note", "decided_by"])
        record(actor=actor, verb="billing_task.closed", obj=locked, note=locked.note)
    return locked
