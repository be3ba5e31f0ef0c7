"""``zdrave preauth_expiry``: close the guarantee letters whose validity has ended (what they held
against the limits is free again) and make sure the daily run is queued for the worker.
``--on YYYY-MM-DD`` runs as of another day (catching up after downtime)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zdrave.providers.preauth.actions import expire_guarantees
from zdrave.providers.preauth.tasks import schedule_next


class Command(BaseCommand):
    help = "Expire guarantee letters past their validity; queue the next daily run."

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
        expired = expire_guarantees(on)
        queued = False if options["no_schedule"] else schedule_next()
        if options["verbosity"]:
            self.stdout.write(
                f"preauth: {expired} guarantee letter(s) expired; next run "
                f"{'queued' if queued else 'already queued or skipped'}"
            )
