"""The daily reminder run of the group sale, by the database worker (``zdrave db_worker``): the
declaration links not filled in are e-mailed again (``reminders.send_due_reminders``, 004 Чл.23
т.1). It queues itself for the next day; ``zdrave groupsales_daily`` runs it at once and makes
sure the next run is queued."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.policy_admin.groupsales.reminders import send_due_reminders

RUN_AT_HOUR = 9  # Sofia time: a reminder arrives in the working morning


def run_daily(on: dt.date | None = None) -> dict[str, int]:
    return send_due_reminders(on)


@task()
def groupsales_daily() -> dict[str, int]:
    done = run_daily()
    schedule_next()
    return done


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=groupsales_daily.module_path
    )
    if waiting.exists():
        return False
    groupsales_daily.using(run_after=next_run()).enqueue()
    return True
