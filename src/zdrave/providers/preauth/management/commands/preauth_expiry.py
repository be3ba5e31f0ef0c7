"""``zdrave preauth_expiry``: close the guarantee letters whose validity has ended (what they held
against the limits is free again) and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

from zdrave.base.daily import DailyCommand
from zdrave.providers.preauth.actions import expire_guarantees
from zdrave.providers.preauth.tasks import schedule_next


class Command(DailyCommand):
    help = "Expire guarantee letters past their validity; queue the next daily run."

    def run(self, on):
        return expire_guarantees(on)

    def schedule(self):
        return schedule_next()

    def summary(self, done):
        return f"preauth: {done} guarantee letter(s) expired"
