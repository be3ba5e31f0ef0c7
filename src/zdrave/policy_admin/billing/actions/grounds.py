"""The daily check of the grounds the Best Doctors conditions give the insurer to act on a
contract (001 т.27.3–27.4, 003 т.24 б)–в)): for each ground the platform can see it opens ONE
task per contract and ground for billing staff, with the clause and the last day the clause
gives; the person decides on the contract's termination page (terminate with the letter) or
closes the task with the reason the contract is kept. Nothing here ends a contract: the only
automatic ends are the lapse's (``actions.lapse``, 001 т.27.4, т.41 / 003 т.24 в), т.37).

The grounds, as the seeds write them:

- an unpaid premium past its due date (001 т.27.4 / 003 т.24 в)): from the day after the due
  date the cover runs for 30 days more and stops by itself after them. The task is open while
  the premium is unpaid within those 30 days (its last day is the deadline: due + 30); paid, it
  closes; not paid, it closes when the cover stops and the lapse task takes over. Under 003 the
  insurer may also give three months' notice (003 т.24 б)); 001 gives no other right for it.
- misrepresentation (001 т.27.3): "обявил неточно или е премълчал обстоятелство, за което
  Застрахователят е задал писмено въпрос" — seen when the medical expert's opinion on a claim of
  the contract finds that the condition existed before the contract (``claims`` records it as
  the claim's ``pre-existing`` circumstance, ``actions.decide.code_diagnosis``, audited as
  ``claim_diagnosis_coded``). The insurer learned of it that day; 001 т.27.3 gives one month
  from it. 003 has no misrepresentation clause: its insurer may end any contract with three
  months' notice (003 т.24 б)), with no time limit, so the task carries no deadline.

The platform records no fraud flag on claims (only possible duplicates), so no task opens for
fraud; docs/decisions.md "Best Doctors grounds".
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zdrave.base.audit.models import AuditEvent, record
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract, ContractStatus, PremiumInstalment
from zdrave.engine.terms.rules import Circumstance
from zdrave.policy_admin.billing import best_doctors
from zdrave.policy_admin.billing.lapses import BEST_DOCTORS
from zdrave.policy_admin.billing.models import OPEN_TASKS, BillingTask, TaskKind, TaskStatus

COVER_DAYS_AFTER_DUE = 30  # 001 т.27.4 / 003 т.24 в): cover stops 30 days after the due date
UNPAID_CLAUSE = {"001": "001 т.27.4", "003": "003 т.24 в)"}
MISREPRESENTATION_CLAUSE = {"001": "001 т.27.3", "003": "003 т.24 б)"}
FINDING = Circumstance.PRE_EXISTING.value
OPINION_VERB = "claim_diagnosis_coded"


def unpaid_deadline(due: dt.date) -> dt.date:
    """001 т.27.4 / 003 т.24 в): the last day of cover of an unpaid premium (the due date does
    not count, ЗЗД чл.72(1)); the cover stops at 00:00 of the next day."""
    return due + dt.timedelta(days=COVER_DAYS_AFTER_DUE)


def misrepresentation_deadline(contract: Contract, learned_on: dt.date) -> dt.date | None:
    """001 т.27.3: one month from learning; 003 т.24 б): notice at any time, no deadline."""
    if best_doctors.document(contract) == "001":
        return best_doctors.misrepresentation_deadline(learned_on)
    return None


def follow_best_doctors_grounds(on: dt.date | None = None) -> dict[str, int]:
    """The daily check: tasks opened for grounds that arose, tasks closed whose ground went
    away. Running it twice on a day does nothing more."""
    on = on or timezone.localdate()
    done = {"bd_unpaid": 0, "bd_misrepresentation": 0, "bd_grounds_closed": 0}
    done["bd_grounds_closed"] += _close_gone(on)
    contracts = Contract.objects.filter(
        product_code=BEST_DOCTORS,
        status=ContractStatus.IN_FORCE,
        terminated_on__isnull=True,
        start__lte=on,
    )
    open_kinds = set(
        BillingTask.objects.filter(
            contract__in=contracts,
            kind__in=(TaskKind.BD_UNPAID, TaskKind.BD_MISREPRESENTATION),
            status__in=OPEN_TASKS,
        ).values_list("contract_id", "kind")
    )
    unpaid = (
        PremiumInstalment.objects.filter(
            contract__in=contracts,
            paid_on__isnull=True,
            due__lt=on,
            due__gte=on - dt.timedelta(days=COVER_DAYS_AFTER_DUE),
        )
        .exclude(
            pk__in=BillingTask.objects.filter(
                kind=TaskKind.BD_UNPAID, instalment__isnull=False
            ).values("instalment")
        )
        .select_related("contract")
        .order_by("due")
    )
    for instalment in unpaid:
        if (instalment.contract_id, TaskKind.BD_UNPAID) in open_kinds:
            continue
        if _open_unpaid(instalment, on):
            open_kinds.add((instalment.contract_id, TaskKind.BD_UNPAID))
            done["bd_unpaid"] += 1
    for claim, learned_on in _findings(contracts):
        if (claim.contract_id, TaskKind.BD_MISREPRESENTATION) in open_kinds:
            continue
        deadline = misrepresentation_deadline(claim.contract, learned_on)
        if learned_on > on or (deadline is not None and on > deadline):
            continue  # the month of 001 т.27.3 is over: the right is gone, nothing to decide
        if _open_misrepresentation(claim, learned_on, deadline, on):
            open_kinds.add((claim.contract_id, TaskKind.BD_MISREPRESENTATION))
            done["bd_misrepresentation"] += 1
    return done


def _findings(contracts) -> list[tuple[Claim, dt.date]]:
    """Claims of ``contracts`` whose medical opinion found a pre-existing condition, each with
    the day of the first opinion that found it (the day the insurer learned)."""
    claims = {
        str(c.pk): c
        for c in Claim.objects.filter(contract__in=contracts)
        .exclude(
            pk__in=BillingTask.objects.filter(
                kind=TaskKind.BD_MISREPRESENTATION, claim__isnull=False
            ).values("claim")
        )
        .select_related("contract")
        if FINDING in (c.circumstances or [])
    }
    if not claims:
        return []
    learned: dict[str, dt.date] = {}
    opinions = AuditEvent.objects.filter(
        verb=OPINION_VERB, object_type=Claim._meta.label_lower, object_id__in=list(claims)
    ).order_by("at", "id")
    for event in opinions:
        if FINDING in (event.details or {}).get("circumstances", []):
            learned.setdefault(event.object_id, timezone.localdate(event.at))
    return sorted(((claims[pk], day) for pk, day in learned.items()), key=lambda x: (x[1], x[0].pk))


def _open_unpaid(instalment: PremiumInstalment, on: dt.date) -> bool:
    contract = instalment.contract
    deadline = unpaid_deadline(instalment.due)
    return _open(
        TaskKind.BD_UNPAID,
        {"instalment": instalment},
        contract=contract,
        clause=UNPAID_CLAUSE[best_doctors.document(contract)],
        deadline=deadline,
        on=on,
        noted={"due": instalment.due},
    )


def _open_misrepresentation(
    claim: Claim, learned_on: dt.date, deadline: dt.date | None, on: dt.date
) -> bool:
    contract = claim.contract
    return _open(
        TaskKind.BD_MISREPRESENTATION,
        {"claim": claim},
        contract=contract,
        clause=MISREPRESENTATION_CLAUSE[best_doctors.document(contract)],
        deadline=deadline,
        on=on,
        fields={"learned_on": learned_on},
        noted={"claim": claim.number, "learned_on": learned_on},
    )


def _open(
    kind: str,
    ground: dict,
    *,
    contract: Contract,
    clause: str,
    deadline: dt.date | None,
    on: dt.date,
    fields: dict | None = None,
    noted: dict,
) -> bool:
    """The task of ``kind`` for its ``ground`` (the instalment or the claim), opened once (the
    constraints of billing 0004 make a second run find it) with its audit row; True if it
    was opened now."""
    with transaction.atomic():
        task, created = BillingTask.objects.get_or_create(
            kind=kind,
            **ground,
            defaults={
                "contract": contract,
                "opened_on": on,
                "clause": clause,
                "deadline": deadline,
                **(fields or {}),
            },
        )
        if created:
            record(
                actor=None,
                verb="billing_task.opened",
                obj=task,
                kind=task.kind,
                contract=contract.number,
                **noted,
                deadline=deadline,
                clause=clause,
            )
    return created


def _close_gone(on: dt.date) -> int:
    """Close the open ground tasks whose ground went away: the premium paid, the cover stopped
    (the lapse task follows), the finding withdrawn, the month of 001 т.27.3 over."""
    closed = 0
    tasks = BillingTask.objects.filter(
        kind__in=(TaskKind.BD_UNPAID, TaskKind.BD_MISREPRESENTATION), status__in=OPEN_TASKS
    ).select_related("instalment", "claim")
    for task in tasks:
        note = _gone(task, on)
        if note is None:
            continue
        with transaction.atomic():
            locked = BillingTask.objects.select_for_update().get(pk=task.pk)
            if locked.status not in OPEN_TASKS:
                continue
            locked.status = TaskStatus.CLOSED
            locked.closed_on = on
            locked.note = note
            locked.save(update_fields=["status", "closed_on", "note"])
            record(actor=None, verb="billing_task.ground_gone", obj=locked, note=note)
            closed += 1
    return closed


def _gone(task: BillingTask, on: dt.date) -> str | None:
    if task.kind == TaskKind.BD_UNPAID:
        if task.instalment.paid_on is not None:
            return (
                f"Paid on {task.instalment.paid_on:%d.%m.%Y}: the ground went away ({task.clause})."
            )
        if on > task.deadline:
            return (
                f"Cover stopped at 00:00 on {task.deadline + dt.timedelta(days=1):%d.%m.%Y} by "
                f"itself ({task.clause}); the lapse task follows."
            )
        return None
    if FINDING not in (task.claim.circumstances or []):
        return f"The medical finding was withdrawn from claim {task.claim.number}."
    if task.deadline is not None and on > task.deadline:
        return (
            f"The month to terminate ended on {task.deadline:%d.%m.%Y} ({task.clause}): not used."
        )
    return None
