"""Delivering one stored message over SMTP, exactly once.

The worker calls ``deliver`` (through ``zdrave.base.outbox.tasks``). A message moves
``queued → sending → sent``; a compare-and-set on the status claims it, so two workers (or a
scheduled retry racing the periodic sweep) can never both send it. The SMTP conversation happens
outside any transaction: holding a row lock through a slow mail server would block SQLite.
"""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from zdrave.base.outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

# Back-off after the 1st, 2nd, 3rd, 4th failed attempt; then hourly until MAX_ATTEMPTS
# (about a day in all), after which the message is marked failed for staff to look at.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
)
HOURLY = timedelta(hours=1)
MAX_ATTEMPTS = 28
# A message claimed longer ago than this was being sent by a worker that died mid-way.
STALE_SENDING_AFTER = timedelta(minutes=15)
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_at: datetime | None = None


SKIPPED = Outcome("skipped")


def retry_delay(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed attempts (1-based)."""
    if attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return HOURLY


def deliver(message_id: int, *, now: datetime | None = None) -> Outcome:
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        pk=message_id, status=MessageStatus.QUEUED, next_attempt_at__lte=now
    )
    if not settings.EMAIL_HOST:
        # The embedded default: staff read the mail at /outbox/.
        held = due.update(status=MessageStatus.HELD, last_attempt_at=now)
        return Outcome(MessageStatus.HELD) if held else SKIPPED
    claimed = due.update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    if not claimed:
        return SKIPPED
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send_over_smtp(message)
    except (OSError, smtplib.SMTPException) as exc:
        return _record_failure(message, exc, now)
    OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbox: message %s sent to %s", message_id, message.recipients())
    return Outcome(MessageStatus.SENT)


def fail_interrupted(*, now: datetime | None = None) -> int:
    """Mark messages whose worker died while sending as failed.

    They are not retried automatically: the server may already have accepted them, and the
    platform promises never to send a message twice. Staff decide (admin action "retry now").
    """
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING_AFTER
    ).update(
        status=MessageStatus.FAILED,
        last_error="Delivery was interrupted; the message may or may not have been sent.",
    )


class _StoredEmail(EmailMessage):
    """Sends the stored MIME byte for byte, so every attempt carries the same Message-ID."""

    def __init__(self, stored: OutboxMessage):
        super().__init__(from_email=stored.from_email, to=stored.to, cc=stored.cc, bcc=stored.bcc)
        self._raw = bytes(stored.raw_mime)

    def message(self, *, policy=None):
        return _RawMime(self._raw)


class _RawMime:
    def __init__(self, raw: bytes):
        self._raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return re.sub(rb"\r?\n", linesep.encode(), self._raw)


def _send_over_smtp(message: OutboxMessage) -> None:
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT_SECONDS,
        fail_silently=False,
    )
    sent = connection.send_messages([_StoredEmail(message)])
    if sent != 1:
        raise smtplib.SMTPException("The SMTP backend did not accept the message.")


def _is_permanent(exc: Exception) -> bool:
    """SMTP 5xx replies will not change on retry (unknown mailbox, rejected sender)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _record_failure(message: OutboxMessage, exc: Exception, now: datetime) -> Outcome:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    still_sending = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    if _is_permanent(exc) or message.attempts >= MAX_ATTEMPTS:
        still_sending.update(status=MessageStatus.FAILED, last_error=error)
        logger.warning("outbox: message %s failed for good: %s", message.pk, error)
        return Outcome(MessageStatus.FAILED)
    retry_at = now + retry_delay(message.attempts)
    still_sending.update(status=MessageStatus.QUEUED, last_error=error, next_attempt_at=retry_at)
    logger.info("outbox: message %s attempt %s failed: %s", message.pk, message.attempts, error)
    return Outcome(MessageStatus.QUEUED, retry_at=retry_at)
