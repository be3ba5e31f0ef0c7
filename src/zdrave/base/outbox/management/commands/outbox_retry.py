"""``zdrave outbox_retry``: enqueue every outbox message that is due, and keep the sweep going.

``scripts/run.sh`` runs it right before starting the worker, so a restart resumes delivery of
everything still queued. ``--failed`` also gives failed messages a fresh attempt.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zdrave.base.outbox import tasks
from zdrave.base.outbox.models import MessageStatus, OutboxMessage


class Command(BaseCommand):
    help = "Re-enqueue due outbox messages and schedule the periodic retry sweep."

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed",
            action="store_true",
            help="Also retry messages that have failed for good (attempts are kept).",
        )

    def handle(self, *args, failed: bool, verbosity: int, **options):
        with transaction.atomic():
            revived = 0
            if failed:
                revived = OutboxMessage.objects.filter(status=MessageStatus.FAILED).update(
                    status=MessageStatus.QUEUED, next_attempt_at=timezone.now()
                )
            counts = tasks.sweep()
            scheduled = tasks.schedule_sweep()
        if verbosity < 1:
            return
        self.stdout.write(
            f"outbox: {counts['enqueued']} enqueued, {revived} failed revived, "
            f"{counts['interrupted']} interrupted marked failed, "
            f"sweep {'scheduled' if scheduled else 'already scheduled'}"
        )
