"""The daily billing sweep, run by the database worker (``zdrave db_worker``): arrears tasks
for instalments more than 15 days overdue (004 Чл.25 т.5) and repricing tasks for group
contracts whose loss ratio reached 100 % (Чл.25 т.8). It queues itself for the next day;
``zdrave billing_daily`` runs it at once and makes sure the next run is queued. Both only open
tasks for a person: nothing here changes a contract."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zdrave.base import daily
from zdrave.policy_admin.billing.actions.grounds import follow_best_doctors_grounds
from zdrave.policy_admin.billing.actions.lapse import follow_best_doctors_premiums
from zdrave.policy_admin.billing.actions.tasks import open_arrears_tasks, open_repricing_tasks

RUN_AT_HOUR = 6  # Sofia time: the tasks are there when the desk opens


def run_daily(on: dt.date | None = None) -> dict[str, int]:
    return {
        "arrears": open_arrears_tasks(on),
        "repricing": open_repricing_tasks(on),
        **follow_best_doctors_premiums(on),
        # Best Doctors grounds for a person's decision (001 т.27.3–27.4, 003 т.24 б)–в)).
        **follow_best_doctors_grounds(on),
    }


@task()
def billing_daily() -> dict[str, int]:
    opened = run_daily()
    schedule_next()
    return opened


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    return daily.next_run(RUN_AT_HOUR, 0, now)


def schedule_next() -> bool:
    """Make sure one run waits in the queue; False when one already did."""
    return daily.schedule_once(billing_daily, RUN_AT_HOUR, 0)
