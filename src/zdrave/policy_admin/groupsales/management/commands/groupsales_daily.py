"""``zdrave groupsales_daily``: e-mail again the group declaration links not filled in after 3
working days (at most twice, 004 Чл.23 т.1), and make sure the daily run is queued for the
worker. ``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zdrave.policy_admin.groupsales.tasks import run_daily, schedule_next


class Command(BaseCommand):
    help = (
        "Remind the people of a group who have not filled in their declaration; queue the next run."
    )

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
                f"groupsales: {done['reminded']} reminder(s) sent, {done['exhausted']} link(s) "
                f"past the last reminder; next run "
                f"{'queued' if queued else 'already queued or skipped'}"
            )
