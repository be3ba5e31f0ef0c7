"""``zdrave renewal_daily``: make the day's renewal offers now (contracts ending within 45
days) and close unanswered ones, and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zdrave.policy_admin.renewal.tasks import run_daily, schedule_next


class Command(BaseCommand):
    help = "Make renewal offers for contracts ending within 45 days; queue the next run."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to run as of (YYYY-MM-DD); default today")
        parser.add_argument("--no-schedule", action="store_true", help="do not queue the next run")

    def handle(self, *args, **options):
        on = None
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError("--on: a date YYYY-MM-DD") from None
        done = run_daily(on)
        queued = False if options["no_schedule"] else schedule_next()
        if options["verbosity"]:
            self.stdout.write(
                f"renewal: {done['offered']} offer(s) made, {done['not_offered']} not offered, "
                f"{done['expired']} expired; next run "
                f"{'queued' if queued else 'already queued or skipped'}"
            )
