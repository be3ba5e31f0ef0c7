"""The daily expiry of guarantee letters, run by the database worker (``zdrave db_worker``): a
letter past its validity stops holding its amount against the person's limits. It queues itself
for the next day; ``zdrave preauth_expiry`` runs it at once and makes sure the next run waits."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.providers.preauth.actions import expire_guarantees

RUN_AT_HOUR = 0  # Sofia time, just after midnight: the day after a letter's last valid day
RUN_AT_MINUTE = 15


@task()
def preauth_expiry() -> int:
    expired = expire_guarantees()
    schedule_next()
    return expired


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now)
    at = now.replace(hour=RUN_AT_HOUR, minute=RUN_AT_MINUTE, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=preauth_expiry.module_path
    )
    if waiting.exists():
        return False
    preauth_expiry.using(run_after=next_run()).enqueue()
    return True
