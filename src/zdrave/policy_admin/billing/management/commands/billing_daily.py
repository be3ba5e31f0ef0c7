"""``zdrave billing_daily``: open the day's arrears and repricing tasks now (004 Чл.25 т.5,
т.8) and make sure the daily run is queued for the worker. ``--on YYYY-MM-DD`` runs as of
another day (catching up after downtime)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zdrave.policy_admin.billing.tasks import run_daily, schedule_next


class Command(BaseCommand):
    help = "Open billing tasks for overdue instalments and high loss ratios; queue the next run."

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
        opened = run_daily(on)
        queued = False if options["no_schedule"] else schedule_next()
        if options["verbosity"]:
            self.stdout.write(
                f"billing: {opened['arrears']} arrears task(s), {opened['repricing']} repricing "
                f"task(s) opened; Best Doctors: {opened['lapsed']} lapsed, {opened['reinstated']} "
                f"reinstated, {opened['ended']} ended (001 т.27.4, т.40–41); grounds to decide: "
                f"{opened['bd_unpaid']} unpaid, {opened['bd_misrepresentation']} misrepresentation "
                f"opened, {opened['bd_grounds_closed']} closed (001 т.27.3–27.4, 003 т.24 б)–в)); "
                f"next run {'queued' if queued else 'already queued or skipped'}"
            )
