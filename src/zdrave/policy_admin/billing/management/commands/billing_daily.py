"""``zdrave billing_daily``: open the day's arrears and repricing tasks now (004 Чл.25 т.5,
т.8) and make sure the daily run is queued for the worker. ``--on YYYY-MM-DD`` runs as of
another day (catching up after downtime)."""

from __future__ import annotations

from zdrave.base.daily import DailyCommand
from zdrave.policy_admin.billing.tasks import run_daily, schedule_next


class Command(DailyCommand):
    help = "Open billing tasks for overdue instalments and high loss ratios; queue the next run."

    def run(self, on):
        return run_daily(on)

    def schedule(self):
        return schedule_next()

    def summary(self, opened):
        return (
            f"billing: {opened['arrears']} arrears task(s), {opened['repricing']} repricing "
            f"task(s) opened; Best Doctors: {opened['lapsed']} lapsed, {opened['reinstated']} "
            f"reinstated, {opened['ended']} ended (001 т.27.4, т.40–41); grounds to decide: "
            f"{opened['bd_unpaid']} unpaid, {opened['bd_misrepresentation']} misrepresentation "
            f"opened, {opened['bd_grounds_closed']} closed (001 т.27.3–27.4, 003 т.24 б)–в))"
        )
