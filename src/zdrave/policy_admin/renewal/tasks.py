"""The daily renewal run, by the database worker (``zdrave db_worker``): offers for contracts
ending within 45 days, offers not answered by the contract's last day closed. It queues itself
for the next day; ``zdrave renewal_daily`` runs it at once and makes sure the next run is
queued."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zdrave.base import daily
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
    return daily.next_run(RUN_AT_HOUR, 0, now)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    return daily.schedule_once(renewal_daily, RUN_AT_HOUR, 0)
