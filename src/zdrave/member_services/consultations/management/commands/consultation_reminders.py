"""``zdrave consultation_reminders``: run at start-up, before the worker (like ``outbox_retry``).

Sends every consultation reminder that is due and was not sent (000 б) стъпка 7) — the worker
may have been down at the time — and makes sure the periodic sweep is queued.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from zdrave.member_services.consultations.tasks import schedule_sweep, sweep_due_reminders


class Command(BaseCommand):
    help = "Send due consultation reminders that were not sent and queue the periodic sweep."

    def handle(self, *args, **options):
        sent = sweep_due_reminders()
        scheduled = schedule_sweep()
        if options["verbosity"]:
            self.stdout.write(
                f"consultation reminders: {sent} sent; periodic sweep "
                f"{'queued' if scheduled else 'already queued'}"
            )
