"""``zdrave groupsales_daily``: e-mail again the group declaration links not filled in after 3
working days (at most twice, 004 Чл.23 т.1), and make sure the daily run is queued for the
worker. ``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

from zdrave.base.daily import DailyCommand
from zdrave.policy_admin.groupsales.tasks import run_daily, schedule_next


class Command(DailyCommand):
    help = (
        "Remind the people of a group who have not filled in their declaration; queue the next run."
    )

    def run(self, on):
        return run_daily(on)

    def schedule(self):
        return schedule_next()

    def summary(self, done):
        return (
            f"groupsales: {done['reminded']} reminder(s) sent, {done['exhausted']} link(s) "
            f"past the last reminder"
        )
