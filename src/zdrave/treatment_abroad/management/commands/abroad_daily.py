"""``zdrave abroad_daily``: run the daily checks of the open treatment-abroad cases now
(pre-certificate run out, 001 т.72.2; premiums unpaid, 001 т.40 / 003 т.36; contract ended,
001 т.41 / 003 т.37; steps overdue) and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

from zdrave.base.daily import DailyCommand
from zdrave.treatment_abroad.tasks import run_daily_checks, schedule_next


class Command(DailyCommand):
    help = "Open case-manager tasks found by the daily checks of treatment-abroad cases."

    def run(self, on):
        return run_daily_checks(on)

    def schedule(self):
        return schedule_next()

    def summary(self, opened):
        counts = ", ".join(f"{kind}: {n}" for kind, n in opened.items())
        return f"treatment abroad: tasks opened ({counts})"
