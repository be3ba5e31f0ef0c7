"""The daily checks of the open cases (``tasks.abroad_daily``, ``zdrave abroad_daily``): what
they find becomes a task for the case's manager, never a change of the case — where the terms
give the insurer a right (001 т.41 / 003 т.37: the cover ends for unpaid premiums; 001 т.72.2:
new versions of the list and the pre-certificate), a person decides and records the decision
(``resolve_task``), then takes the step on the case (put on hold, contract ended, new list).

Found:
- the pre-certificate ran out before the treatment began (001 т.72.1–72.2: three months; 003
  has no period and is never flagged);
- premiums unpaid more than 30 days after their due date during the case (001 т.27.4, т.40 /
  003 т.36), unless reinstated;
- the contract ended (its term, or terminated) while the case is open (001 т.41, т.26 / 003
  т.37);
- the step's deadline passed (``steps.next_due``).

A finding opens its task once: the same pre-certificate, instalment, end date or deadline is
not reported again after a person closed the task."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_work_abroad_cases
from zdrave.claims.abroad import abroad_terms, contract_facts
from zdrave.engine.calendar import add_months
from zdrave.treatment_abroad import states
from zdrave.treatment_abroad.fetch import lock_case
from zdrave.treatment_abroad.models import AbroadCase, CaseStatus, CaseTask, TaskKind
from zdrave.treatment_abroad.states import OPEN
from zdrave.treatment_abroad.steps import clause_of

S = CaseStatus
# 001 т.27.4: cover stops when a premium is not paid within 30 days of its due date.
GRACE_DAYS = 30
MAX_DECISION = 2000


def findings(case: AbroadCase, today: dt.date) -> list[tuple[str, str, str]]:
    """(kind, clause, what was found) for one open case on ``today``."""
    contract = case.member.contract
    terms = abroad_terms(contract)
    found = []
    validity = terms.precertificate.validity_months
    if (
        case.status in (S.PRECERTIFICATE_ISSUED, S.TRAVEL_BOOKED)
        and case.precertificate_issued
        and validity
    ):
        until = add_months(case.precertificate_issued, validity)
        if until < today:
            found.append(
                (
                    TaskKind.PRECERTIFICATE_EXPIRED,
                    terms.precertificate.validity_clause,
                    f"{case.precertificate_number} · {until.isoformat()}",
                )
            )
    facts = contract_facts(contract)
    ended = facts.terminated_on or (facts.end if facts.end < today else None)
    if ended is not None and ended <= today and case.status != S.CONTRACT_ENDED:
        found.append(
            (TaskKind.CONTRACT_ENDED, clause_of(terms, S.CONTRACT_ENDED), ended.isoformat())
        )
    elif (
        facts.paid_until is not None
        and facts.reinstated_on is None
        and facts.paid_until + dt.timedelta(days=1 + GRACE_DAYS) < today
        and case.status != S.SUSPENDED
    ):
        found.append(
            (
                TaskKind.PREMIUM_UNPAID,
                clause_of(terms, S.SUSPENDED),
                (facts.paid_until + dt.timedelta(days=1)).isoformat(),
            )
        )
    if case.next_due is not None and case.next_due < today:
        found.append(
            (
                TaskKind.OVERDUE,
                clause_of(terms, case.status),
                f"{case.status} · {case.next_due.isoformat()}",
            )
        )
    return found


def run_daily_checks(on: dt.date | None = None) -> dict[str, int]:
    """Open the day's tasks; returns how many of each kind were opened."""
    today = on or timezone.localdate()
    opened: Counter[str] = Counter()
    cases = AbroadCase.objects.filter(status__in=OPEN).select_related(
        "member__contract", "member__person"
    )
    for case in cases.order_by("id").iterator(chunk_size=200):
        for kind, clause, detail in findings(case, today):
            if _open_task(case, kind, clause, detail, today):
                opened[kind] += 1
    return {kind.value: opened[kind.value] for kind in TaskKind}


def _open_task(case: AbroadCase, kind: str, clause: str, detail: str, today: dt.date) -> bool:
    if CaseTask.objects.filter(case=case, kind=kind, detail=detail).exists():
        return False
    try:
        with transaction.atomic():
            if CaseTask.objects.filter(case=case, kind=kind, done_on__isnull=True).exists():
                return False
            task = CaseTask.objects.create(
                case=case, kind=kind, clause=clause, detail=detail[:300], opened_on=today
            )
            states.note(case, f"task_{kind}", actor=None, text=f"{clause} {detail}")
            record(actor=None, verb="abroad_task_opened", obj=task, case=case.number, kind=kind)
    except IntegrityError:  # another run opened it at the same moment
        return False
    return True


def resolve_task(task: CaseTask, *, actor, decision: str) -> CaseTask:
    """The case manager records what they decided on a task (and takes the step on the case
    themselves: the task changes nothing)."""
    if not can_work_abroad_cases(actor):
        raise PermissionDenied
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("Decision: write what you decided and why.")})
    with transaction.atomic():
        case = lock_case(task.case_id)
        task = CaseTask.objects.select_for_update().get(pk=task.pk)
        if task.done_on is not None:
            return task
        task.done_on = timezone.localdate()
        task.done_by = actor
        task.decision = decision[:MAX_DECISION]
        task.save(update_fields=["done_on", "done_by", "decision"])
        states.note(case, f"task_{task.kind}_done", actor=actor, text=task.decision)
        record(actor=actor, verb="abroad_task_done", obj=task, case=case.number)
    return task
