"""Unpaid Best Doctors premiums (001 т.27.4, т.32, т.40–41; 003 т.24 в), т.29, т.36–37).

Unlike 004 (Чл.25 т.5 gives the insurer a *right* to terminate, so a person decides), the Best
Doctors conditions write both steps as consequences, so they happen by themselves:

- 30 days after an unpaid due date the cover stops (001 т.27.4 / 003 т.24 в): "Застрахователят
  прекратява застрахователното покритие 30 дни след датата на падежа"). The day after (the due
  date does not count, ЗЗД чл.72(1): services on due + 30 are still covered) the daily sweep
  opens a *lapse* task for billing staff (to call the policyholder) and sends the letter: cover
  stopped, every missed premium paid within two months of the date the premium is paid until
  restores it from 00:00 of the next day (001 т.40 / 003 т.36).
- Not reinstated within those two months, the contract "се прекратява окончателно" (001 т.41 /
  003 т.37): the sweep terminates it as of the day after the last day to pay, with nothing
  refunded and nothing owed either way, and sends the termination letter.

A reinstatement in time closes the task. The dates are the ones the claims engine applies to
Best Doctors claims (``claims.abroad.contract_facts``, ``engine.adjudication.abroad_checks``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zdrave.base.audit.models import record
from zdrave.contracts import actions as contracts_actions
from zdrave.contracts.models import Contract, ContractStatus, PremiumInstalment, TerminationReason
from zdrave.policy_admin.billing import emails
from zdrave.policy_admin.billing.lapses import BEST_DOCTORS, Lapse, lapse_of
from zdrave.policy_admin.billing.models import (
    OPEN_TASKS,
    BillingTask,
    TaskKind,
    TaskStatus,
    Termination,
)

ZERO = Decimal("0.00")


def follow_best_doctors_premiums(on: dt.date | None = None) -> dict[str, int]:
    """The daily sweep over Best Doctors contracts in force: lapse tasks and letters opened,
    tasks closed by a reinstatement, contracts ended for good. Running it twice on a day does
    nothing more."""
    on = on or timezone.localdate()
    done = {"lapsed": 0, "reinstated": 0, "ended": 0}
    contracts = Contract.objects.filter(
        product_code=BEST_DOCTORS,
        status=ContractStatus.IN_FORCE,
        terminated_on__isnull=True,
        start__lte=on,
        instalments__isnull=False,
    ).distinct()
    for contract in contracts.select_related("holder"):
        lapse = lapse_of(contract)
        open_task = (
            BillingTask.objects.filter(
                contract=contract, kind=TaskKind.LAPSE, status__in=OPEN_TASKS
            )
            .order_by("id")
            .first()
        )
        if lapse is None or (lapse.reinstated_on is not None and lapse.reinstated_on <= on):
            if open_task is not None:
                _close_reinstated(open_task, lapse, on)
                done["reinstated"] += 1
            continue
        if on >= lapse.stops and lapse.reinstated_on is None:
            if on > lapse.last_day_to_pay:
                if lapse.ends_on <= contract.end:
                    _end_for_good(contract, lapse, open_task, on)
                    done["ended"] += 1
            elif open_task is None and _open_lapse_task(contract, lapse, on):
                done["lapsed"] += 1
    return done


def _open_lapse_task(contract: Contract, lapse: Lapse, on: dt.date) -> bool:
    instalment = PremiumInstalment.objects.filter(contract=contract, due=lapse.due).first()
    with transaction.atomic():
        task, created = BillingTask.objects.get_or_create(
            kind=TaskKind.LAPSE,
            instalment=instalment,
            defaults={
                "contract": contract,
                "opened_on": on,
                "status": TaskStatus.NOTICE_SENT,
                "notice_sent_on": on,
            },
        )
        if not created:
            return False
        mailed = emails.send_letter("lapse", task, contract)
        record(
            actor=None,
            verb="billing_task.opened",
            obj=task,
            kind=task.kind,
            contract=contract.number,
            due=lapse.due,
            cover_stopped=lapse.stops,
            last_day_to_pay=lapse.last_day_to_pay,
            clause=lapse.lapse_clause,
            emailed=mailed,
        )
    return True


def _close_reinstated(task: BillingTask, lapse: Lapse | None, on: dt.date) -> None:
    with transaction.atomic():
        locked = BillingTask.objects.select_for_update().get(pk=task.pk)
        if locked.status not in OPEN_TASKS:
            return
        locked.status = TaskStatus.CLOSED
        locked.closed_on = on
        clause = lapse.reinstatement_clause if lapse else "001 т.40 / 003 т.36"
        locked.note = f"Reinstated: every missed premium paid ({clause})."
        locked.save(update_fields=["status", "closed_on", "note"])
        record(actor=None, verb="billing_task.reinstated", obj=locked, clause=clause)


def _end_for_good(contract: Contract, lapse: Lapse, task: BillingTask | None, on: dt.date) -> None:
    """001 т.41 / 003 т.37: ended for good; premiums paid are not returned and nothing is owed
    or paid under the contract any more."""
    with transaction.atomic():
        if Termination.objects.filter(contract=contract).exists():
            return
        contracts_actions.terminate_contract(
            contract, on=lapse.ends_on, reason=TerminationReason.PREMIUM_OVERDUE, by=None
        )
        termination = Termination.objects.create(
            contract=contract,
            kind=TerminationReason.PREMIUM_OVERDUE,
            decided_on=on,
            effective_on=lapse.ends_on,
            refund=ZERO,
            premium_to_claim=ZERO,
            costs_kept=ZERO,
            costs_percent=ZERO,
            clause=lapse.final_clause,
            task=task,
            decided_by=None,
        )
        BillingTask.objects.filter(contract=contract, status__in=OPEN_TASKS).update(
            status=TaskStatus.TERMINATED, closed_on=on
        )
        mailed = emails.send_letter("termination", termination, contract)
        record(
            actor=None,
            verb="contract.termination_settled",
            obj=termination,
            contract=contract.number,
            kind=termination.kind,
            effective_on=lapse.ends_on,
            refund=ZERO,
            premium_to_claim=ZERO,
            costs_kept=ZERO,
            clause=lapse.final_clause,
            emailed=mailed,
        )
