"""The daily renewal run, by the database worker (``zdrave db_worker``): offers for contracts
ending within 45 days, offers not answered by the contract's last day closed. It queues itself
for the next day; ``zdrave renewal_daily`` runs it at once and makes sure the next run is
queued."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.policy_admin.renewal.actions import open_renewal_offers

RUN_AT_HOUR = 5  # Sofia time: before the billing run, so the desk sees the day's offers


def run_daily(on: dt.date | None = None) -> dict[str, int]:
    return open_renewal_offers(on)


@task()
def renewal_daily() -> dict[str, int]:
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
        status=TaskResultStatus.READY, task_path=renewal_daily.module_path
    )
    if waiting.exists():
        return False
    renewal_daily.using(run_after=next_run()).enqueue()
    return True
