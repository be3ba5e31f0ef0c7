"""The daily checks of the open treatment-abroad cases, run by the database worker (``zdrave
db_worker``): tasks for the case managers (``actions.daily``). The run queues itself for the
next day; ``zdrave abroad_daily`` runs it at once and makes sure the next run is queued (the
pattern of ``policy_admin.billing.tasks``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.treatment_abroad.actions.daily import run_daily_checks

RUN_AT_HOUR = 6  # Sofia time: the tasks are in the queue when the case managers start


@task()
def abroad_daily() -> dict[str, int]:
    opened = run_daily_checks()
    schedule_next()
    return opened


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=abroad_daily.module_path
    )
    if waiting.exists():
        return False
    abroad_daily.using(run_after=next_run()).enqueue()
    return True
