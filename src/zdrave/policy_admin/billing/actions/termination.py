"""Early termination decided by a person (004 Чл.28, Чл.25 т.5, т.7–10): the contract's
``terminated_on`` through ``contracts.actions.terminate_contract`` (claims pay nothing for
events from that day), the money the clause settles, open tasks closed, and the letter."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.contracts import actions as contracts_actions
from zdrave.contracts.models import Contract, TerminationReason
from zdrave.engine.adjudication.health_contract import (
    higher_risk_answer_deadline,
    misrepresentation_deadline,
)
from zdrave.policy_admin.billing import best_doctors, emails
from zdrave.policy_admin.billing.actions.tasks import HEALTH
from zdrave.policy_admin.billing.fetch import costs_percent, effective_date, termination_preview
from zdrave.policy_admin.billing.models import (
    OPEN_TASKS,
    BillingTask,
    TaskKind,
    TaskStatus,
    Termination,
)
from zdrave.policy_admin.billing.models import BestDoctorsTermination as BD


def _check_right_in_time(kind: str, since: dt.date | None, today: dt.date) -> None:
    """004 Чл.28 т.3: the insurer may terminate within one month of learning of the
    misrepresentation; Чл.28 т.4: only once the two weeks to answer its proposal have passed
    without an acceptance. ``since``: the day it learned / the proposal was received."""
    if kind not in (TerminationReason.MISREPRESENTATION, TerminationReason.HIGHER_RISK):
        return
    if since is None or since > today:
        raise ValidationError(
            {"since": _("Learned / proposal received on: enter the date, not in the future.")}
        )
    if kind == TerminationReason.MISREPRESENTATION:
        last = misrepresentation_deadline(since)
        if today > last:
            raise ValidationError(
                {
                    "since": _(
                        "Learned / proposal received on: the month to terminate for "
                        "misrepresentation ended on %(day)s (004 Чл.28 т.3)."
                    )
                    % {"day": last.strftime("%d.%m.%Y")}
                }
            )
    elif today <= higher_risk_answer_deadline(since):
        raise ValidationError(
            {
                "since": _(
                    "Learned / proposal received on: the policyholder has until %(day)s to "
                    "answer the proposal (004 Чл.28 т.4)."
                )
                % {"day": higher_risk_answer_deadline(since).strftime("%d.%m.%Y")}
            }
        )


# Which task may lead to which termination: arrears to non-payment (Чл.25 т.5), repricing to
# the refusal of the higher premium (Чл.25 т.8).
TASK_KIND = {
    TaskKind.ARREARS: TerminationReason.PREMIUM_OVERDUE,
    TaskKind.REPRICING: TerminationReason.REPRICING_REFUSED,
}


def terminate(
    contract: Contract,
    *,
    kind: str,
    effective_on: dt.date | None,
    actor,
    note: str = "",
    task: BillingTask | None = None,
    since: dt.date | None = None,
) -> Termination:
    """End ``contract`` early by ``kind`` as a person decided. By notice the day is the end of
    the current insurance period (004 Чл.28 т.5); otherwise ``effective_on`` (cover ends at
    00:00 of it). Non-payment and repricing refusal come only from their task. The same
    decision twice is recorded once."""
    if best_doctors.is_best_doctors(contract):
        return _terminate_best_doctors(
            contract, kind=kind, effective_on=effective_on, actor=actor, note=note, since=since
        )
    if kind not in TerminationReason.values:
        raise ValidationError({"kind": _("Kind: choose how the contract ends.")})
    if task is None and kind in TASK_KIND.values():
        raise ValidationError(
            {"kind": _("Kind: this termination is decided from its task (004 Чл.25 т.5, т.8).")}
        )
    if contract.product_code != HEALTH:
        raise ValidationError(
            {
                "kind": _(
                    "Kind: this contract follows other general conditions (Best Doctors 001 / "
                    "003); its termination is not handled on this page."
                )
            }
        )
    today = timezone.localdate()
    _check_right_in_time(kind, since, today)
    if effective_on is None and kind != TerminationReason.NOTICE:
        raise ValidationError({"effective_on": _("Cover ends on: enter the date.")})
    effective_on = effective_date(contract, kind, effective_on, today)
    with transaction.atomic():
        done = Termination.objects.filter(contract=contract).first()
        if done is not None:
            if (done.kind, done.effective_on) == (kind, effective_on):
                return done
            raise ValidationError(
                {
                    "kind": _("Kind: the contract was already terminated as of %(day)s.")
                    % {"day": done.effective_on.strftime("%d.%m.%Y")}
                }
            )
        if task is not None:
            task = BillingTask.objects.select_for_update().get(pk=task.pk)
            if task.contract_id != contract.pk or task.status not in OPEN_TASKS:
                raise ValidationError(_("This task is closed; nothing changed."))
            if TASK_KIND[task.kind] != kind:
                raise ValidationError({"kind": _("Kind: this task cannot end in that way.")})
        costs = costs_percent() if kind == TerminationReason.MUTUAL else 0
        money = termination_preview(contract, kind, effective_on, costs=costs)
        # By notice at the end of the last insurance period the contract simply runs out at
        # its end (004 Чл.28 т.2): nothing to cut short, the decision stops any renewal.
        if effective_on <= contract.end:
            contracts_actions.terminate_contract(contract, on=effective_on, reason=kind, by=actor)
        termination = Termination.objects.create(
            contract=contract,
            kind=kind,
            decided_on=today,
            effective_on=effective_on,
            refund=money.refund,
            premium_to_claim=money.premium_to_claim,
            costs_kept=money.costs_kept,
            costs_percent=costs,
            clause=money.clause,
            task=task,
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=(note or "").strip()[:2000],
        )
        _close_tasks_and_write(
            termination, contract, actor=actor, today=today, costs_kept=money.costs_kept
        )
    return termination


def _day(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def check_best_doctors(
    contract: Contract, kind: str, effective_on: dt.date | None, since: dt.date | None, today
) -> None:
    """The rules of time of 001 т.27.1–27.3 and 003 т.24 а)–б) (``best_doctors``)."""
    if kind not in dict(best_doctors.kinds_for(contract)):
        raise ValidationError(
            {"kind": _("Kind: the general conditions of this contract do not offer it.")}
        )
    if effective_on is None:
        raise ValidationError({"effective_on": _("Cover ends on: enter the date.")})
    if effective_on <= contract.start:
        raise ValidationError(
            {"effective_on": _("Cover ends on: a day after the start of the contract.")}
        )
    if kind == BD.MUTUAL:
        return
    if since is None or since > today:
        raise ValidationError(
            {"since": _("Learned / request received on: enter the date, not in the future.")}
        )
    if kind == BD.MISREPRESENTATION:
        last = best_doctors.misrepresentation_deadline(since)
        if today > last:
            raise ValidationError(
                {
                    "since": _(
                        "Learned / request received on: the month to terminate for "
                        "misrepresentation ended on %(day)s (001 т.27.3)."
                    )
                    % {"day": _day(last)}
                }
            )
    elif kind == BD.INTEREST_LOST:
        if effective_on < since:
            raise ValidationError(
                {
                    "effective_on": _(
                        "Cover ends on: not before the policyholder's application of %(day)s "
                        "(001 т.27.2)."
                    )
                    % {"day": _day(since)}
                }
            )
    else:
        first = best_doctors.first_day_after_notice(since)
        if effective_on < first:
            raise ValidationError(
                {
                    "effective_on": _(
                        "Cover ends on: three months' notice given on %(notice)s ends at 24:00 "
                        "on %(last)s at the earliest, so cover ends at 00:00 on %(day)s or later "
                        "(003 т.24 б))."
                    )
                    % {
                        "notice": _day(since),
                        "last": _day(first - dt.timedelta(days=1)),
                        "day": _day(first),
                    }
                }
            )


def _terminate_best_doctors(
    contract: Contract, *, kind, effective_on, actor, note, since
) -> Termination:
    """End a Best Doctors contract as a person decided (001 т.27.1–27.3, 003 т.24 а)–б)): the
    insurer's rights (т.27.3, т.24 б) by the insurer) are this person's decision; for the
    policyholder's rights (т.27.2, т.24 б) by the holder) the written request and its date are
    recorded. The lapse for non-payment is not decided here (``actions.lapse``)."""
    today = timezone.localdate()
    check_best_doctors(contract, kind, effective_on, since, today)
    with transaction.atomic():
        done = Termination.objects.filter(contract=contract).first()
        if done is not None:
            if (done.kind, done.effective_on) == (kind, effective_on):
                return done
            raise ValidationError(
                {
                    "kind": _("Kind: the contract was already terminated as of %(day)s.")
                    % {"day": _day(done.effective_on)}
                }
            )
        money = best_doctors.money(contract, kind, effective_on)
        if effective_on <= contract.end:
            contracts_actions.terminate_contract(
                contract, on=effective_on, reason=best_doctors.CONTRACT_REASON[kind], by=actor
            )
        termination = Termination.objects.create(
            contract=contract,
            kind=kind,
            decided_on=today,
            requested_on=since if kind in best_doctors.HOLDER_REQUESTS else None,
            effective_on=effective_on,
            refund=money.refund,
            premium_to_claim=money.premium_to_claim,
            costs_kept=money.costs_kept,
            costs_percent=0,
            clause=money.clause,
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=(note or "").strip()[:2000],
        )
        _close_tasks_and_write(
            termination, contract, actor=actor, today=today, requested_on=termination.requested_on
        )
    return termination


def _close_tasks_and_write(termination, contract, *, actor, today: dt.date, **details) -> None:
    """The end of every termination: the contract's open billing tasks close as "terminated",
    the letter goes to the holder through the outbox and the decision is recorded with the
    money as settled (``details``: what only one kind of termination carries)."""
    for open_task in BillingTask.objects.filter(contract=contract, status__in=OPEN_TASKS):
        open_task.status = TaskStatus.TERMINATED
        open_task.closed_on = today
        open_task.save(update_fields=["status", "closed_on"])
    mailed = emails.send_letter("termination", termination, contract)
    record(
        actor=actor,
        verb="contract.termination_settled",
        obj=termination,
        contract=contract.number,
        kind=termination.kind,
        effective_on=termination.effective_on,
        refund=termination.refund,
        premium_to_claim=termination.premium_to_claim,
        clause=termination.clause,
        emailed=mailed,
        **details,
    )
