"""The reminder one hour before a session (000 б) стъпка 7), run by the database worker.

- Confirming a session enqueues ``send_reminder`` with ``run_after`` = the reminder time. The task
  re-checks the state when it runs (``reminders.send_reminder``: compare-and-set on the row), so a
  session moved or cancelled in the meantime gets nothing and a task that runs twice sends once.
  Moving a session and choosing a new date enqueues a new task for the new time; the old one
  finds the reminder not yet due and does nothing.
- ``sweep_reminders`` sends every due reminder that no task sent (a lost task table, a worker
  that was down at the time) and queues itself again; ``zdrave consultation_reminders`` runs it
  at start-up and makes sure the periodic sweep is queued. Tasks live in the database, so a
  restart loses none of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.member_services.consultations import reminders
from zdrave.member_services.consultations.reminders import sweep_due_reminders

SWEEP_EVERY = timedelta(minutes=5)


@task()
def send_reminder(consultation_id: int) -> bool:
    return reminders.send_reminder(consultation_id)


@task()
def sweep_reminders() -> int:
    sent = sweep_due_reminders()
    schedule_sweep(after=SWEEP_EVERY)
    return sent


def schedule_reminder(consultation_id: int, due_at: datetime) -> None:
    """Called on commit of the confirmation."""
    send_reminder.using(run_after=max(due_at, timezone.now())).enqueue(consultation_id)


def schedule_sweep(*, after: timedelta = SWEEP_EVERY) -> bool:
    """Make sure one sweep waits in the queue; returns False when one already did."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=sweep_reminders.module_path
    )
    if waiting.exists():
        return False
    sweep_reminders.using(run_after=timezone.now() + after).enqueue()
    return True
