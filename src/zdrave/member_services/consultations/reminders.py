"""The reminder one hour before a session (000 б) стъпка 7), sent at most once whoever asks:
the task queued at confirmation, or the sweep that catches what no task sent (``tasks``)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zdrave.member_services import journey
from zdrave.member_services.consultations import emails
from zdrave.member_services.consultations.fetch import due_reminders
from zdrave.member_services.consultations.models import Consultation, ConsultationEvent, EventKind
from zdrave.member_services.consultations.models import ConsultationStatus as Status

logger = logging.getLogger(__name__)


def send_reminder(consultation_id: int, *, now: datetime | None = None) -> bool:
    """000 б) стъпка 7: the reminder, sent at most once. The claim is an atomic
    compare-and-set on the row — still confirmed, due, not started, not reminded — so two
    workers (or a task and the sweep) cannot both send it, and a session moved or cancelled
    since the task was queued gets nothing. Returns whether this call sent it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Consultation.objects.filter(
            pk=consultation_id,
            status=Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            reminder_due_at__lte=now,
            starts_at__gt=now,
        ).update(reminder_sent_at=now, status=Status.REMINDED, updated_at=now)
        if not claimed:
            return False
        consultation = Consultation.objects.select_related("member", "therapist").get(
            pk=consultation_id
        )
        journey.record_event(
            ConsultationEvent,
            "consultation",
            consultation,
            EventKind.REMINDED,
            actor=None,
            before=Status.CONFIRMED,
            at=now,
        )
        emails.send_reminder(consultation)
    return True


def sweep_due_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders due at ``now`` (default: the current time) that were not sent yet;
    returns how many this sweep sent."""
    now = now or timezone.now()
    sent = sum(
        send_reminder(pk, now=now) for pk in list(due_reminders(now).values_list("pk", flat=True))
    )
    if sent:
        logger.info("consultation reminders: %s sent by the sweep", sent)
    return sent
