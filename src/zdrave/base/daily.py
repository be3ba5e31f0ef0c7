"""A run that the database worker (``zdrave db_worker``) repeats once a day at a fixed Sofia
time: the daily checks of billing, renewal, group sales, treatment abroad and guarantee letters
share these two functions instead of each writing them again, and ``DailyCommand``, the
command that runs one now."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def next_run(hour: int, minute: int = 0, now: dt.datetime | None = None) -> dt.datetime:
    """The next ``hour:minute`` in Sofia time after ``now``."""
    now = timezone.localtime(now)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def schedule_once(task, hour: int, minute: int = 0) -> bool:
    """Make sure one run of ``task`` waits in the queue; False when one already did."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    if waiting.exists():
        return False
    task.using(run_after=next_run(hour, minute)).enqueue()
    return True


class DailyCommand(BaseCommand):
    """``zdrave <name>``: run a daily run now and make sure its next run is queued for the
    worker. ``--on YYYY-MM-DD`` runs as of another day (catching up after downtime), and
    ``--no-schedule`` queues nothing. A subclass states what it runs (``run``), how it queues the
    next run (``schedule``) and what it did (``summary``); an unreadable ``--on`` stops the
    command with one line on stderr and exit status 1, before anything runs."""

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day to run as of (YYYY-MM-DD); default today")
        parser.add_argument("--no-schedule", action="store_true", help="do not queue the next run")

    def handle(self, *args, **options):
        done = self.run(_run_day(options["on"]))
        queued = False if options["no_schedule"] else self.schedule()
        if options["verbosity"]:
            waiting = "queued" if queued else "already queued or skipped"
            self.stdout.write(f"{self.summary(done)}; next run {waiting}")

    def run(self, on: dt.date | None):
        """Run as of ``on`` (None: today); what it returns goes to ``summary``."""
        raise NotImplementedError

    def schedule(self) -> bool:
        """Make sure the next run waits in the queue; False when one already did."""
        raise NotImplementedError

    def summary(self, done) -> str:
        """What ``run`` did, in one line, without the next run."""
        raise NotImplementedError


def _run_day(on: str | None) -> dt.date | None:
    if not on:
        return None
    try:
        return dt.date.fromisoformat(on)
    except ValueError:
        raise CommandError("--on: a date YYYY-MM-DD") from None
