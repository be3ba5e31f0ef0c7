"""The daily expiry of guarantee letters, run by the database worker (``zdrave db_worker``): a
letter past its validity stops holding its amount against the person's limits. It queues itself
for the next day; ``zdrave preauth_expiry`` runs it at once and makes sure the next run waits."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zdrave.base import daily
from zdrave.providers.preauth.actions import expire_guarantees

RUN_AT_HOUR = 0  # Sofia time, just after midnight: the day after a letter's last valid day
RUN_AT_MINUTE = 15


@task()
def preauth_expiry() -> int:
    expired = expire_guarantees()
    schedule_next()
    return expired


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    return daily.next_run(RUN_AT_HOUR, RUN_AT_MINUTE, now)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    return daily.schedule_once(preauth_expiry, RUN_AT_HOUR, RUN_AT_MINUTE)
