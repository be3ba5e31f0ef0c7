"""A run that the database worker (``zdrave db_worker``) repeats once a day at a fixed Sofia
time: the daily checks of billing, renewal, group sales, treatment abroad and guarantee letters
share these two functions instead of each writing them again."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def next_run(hour: int, minute: int = 0, now: dt.datetime | None = None) -> dt.datetime:
    """The next ``hour:minute`` in Sofia time after ``now``."""
    now = timezone.localtime(now)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def schedule_once(task, hour: int, minute: int = 0) -> bool:
    """Make sure one run of ``task`` waits in the queue; False when one already did."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    if waiting.exists():
        return False
    task.using(run_after=next_run(hour, minute)).enqueue()
    return True
