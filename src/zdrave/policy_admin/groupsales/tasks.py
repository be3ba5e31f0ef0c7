"""The daily reminder run of the group sale, by the database worker (``zdrave db_worker``): the
declaration links not filled in are e-mailed again (``reminders.send_due_reminders``, 004 Чл.23
т.1). It queues itself for the next day; ``zdrave groupsales_daily`` runs it at once and makes
sure the next run is queued."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zdrave.base import daily
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
    return daily.next_run(RUN_AT_HOUR, 0, now)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    return daily.schedule_once(groupsales_daily, RUN_AT_HOUR, 0)
