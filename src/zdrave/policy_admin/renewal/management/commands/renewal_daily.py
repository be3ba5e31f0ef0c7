"""``zdrave renewal_daily``: make the day's renewal offers now (contracts ending within 45
days) and close unanswered ones, and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

from zdrave.base.daily import DailyCommand
from zdrave.policy_admin.renewal.tasks import run_daily, schedule_next


class Command(DailyCommand):
    help = "Make renewal offers for contracts ending within 45 days; queue the next run."

    def run(self, on):
        return run_daily(on)

    def schedule(self):
        return schedule_next()

    def summary(self, done):
        return (
            f"renewal: {done['offered']} offer(s) made, {done['not_offered']} not offered, "
            f"{done['expired']} expired"
        )
