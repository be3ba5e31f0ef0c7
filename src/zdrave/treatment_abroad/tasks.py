"""The daily checks of the open treatment-abroad cases, run by the database worker (``zdrave
db_worker``): tasks for the case managers (``actions.daily``). The run queues itself for the
next day; ``zdrave abroad_daily`` runs it at once and makes sure the next run is queued (the
pattern of ``policy_admin.billing.tasks``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zdrave.base import daily
from zdrave.treatment_abroad.actions.daily import run_daily_checks

RUN_AT_HOUR = 6  # Sofia time: the tasks are in the queue when the case managers start


@task()
def abroad_daily() -> dict[str, int]:
    opened = run_daily_checks()
    schedule_next()
    return opened


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    return daily.next_run(RUN_AT_HOUR, 0, now)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    return daily.schedule_once(abroad_daily, RUN_AT_HOUR, 0)
