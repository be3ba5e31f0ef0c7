"""``zdrave abroad_daily``: run the daily checks of the open treatment-abroad cases now
(pre-certificate run out, 001 т.72.2; premiums unpaid, 001 т.40 / 003 т.36; contract ended,
001 т.41 / 003 т.37; steps overdue) and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zdrave.treatment_abroad.tasks import run_daily_checks, schedule_next


class Command(BaseCommand):
    help = "Open case-manager tasks found by the daily checks of treatment-abroad cases."

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
        opened = run_daily_checks(on)
        queued = False if options["no_schedule"] else schedule_next()
        if options["verbosity"]:
            counts = ", ".join(f"{kind}: {n}" for kind, n in opened.items())
            self.stdout.write(
                f"treatment abroad: tasks opened ({counts}); next run "
                f"{'queued' if queued else 'already queued or skipped'}"
            )
