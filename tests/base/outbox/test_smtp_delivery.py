"""Delivery through a real SMTP server on loopback (aiosmtpd), run by the real worker loop."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from zdrave.base.outbox.delivery import MAX_ATTEMPTS, deliver
from zdrave.base.outbox.ics import event_attachment
from zdrave.base.outbox.mail import send_templated
from zdrave.base.outbox.models import MessageStatus, OutboxMessage
from zdrave.base.outbox.tasks import deliver_message, sweep

SOFIA = ZoneInfo("Europe/Sofia")
# 000 б) стъпка 5: the subject the team's proposal e-mail carries.
CONSULTATION_SUBJECT = "Extra Care – консултация чрез Diagnose.me"

pytestmark = pytest.mark.django_db(transaction=True)


def _parse(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def _subject(message: email.message.EmailMessage) -> str:
    # Django 5.2 folds a long encoded subject right after "Subject:"; unfolding leaves one
    # leading space, which every mail client drops.
    return message["Subject"].strip()


def _let_time_pass(delta: timedelta) -> None:
    """Move every waiting retry ``delta`` into the past, as if the time had gone by."""
    for row in OutboxMessage.objects.filter(status=MessageStatus.QUEUED):
        row.next_attempt_at -= delta
        row.save(update_fields=["next_attempt_at"])
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.READY):
        task.run_after -= delta
        task.save(update_fields=["run_after"])


def test_000_consultation_invite_with_ics_arrives_through_real_smtp(
    mail_via_smtp, smtp_server, run_worker
):
    # Given: a running SMTP server and an appointment at 10:00 Sofia time (summer time, +03:00)
    smtp_server.start()
    start = datetime(2026, 4, 7, 10, 0, tzinfo=SOFIA)
    invite = event_attachment(
        "consultation.ics",
        uid="consultation-42@zdrave.example",
        summary="Консултация с психолог",
        start=start,
        end=start + timedelta(minutes=50),
        url="https://meet.example/abc-defg-hij",
    )
    # When: a business action sends it and commits, and the worker runs one batch
    with transaction.atomic():
        row = send_templated(
            "member@example.bg",
            CONSULTATION_SUBJECT,
            "outbox/email/notice",
            {"message": "Потвърждаваме Вашата консултация.", "link": "https://meet.example/abc"},
            attachments=[invite],
            bcc=["audit@zdrave.example"],
        )
    assert smtp_server.envelopes == []  # never sent inline
    run_worker()

    # Then: exactly one message reached the server, with the Cyrillic subject and the invite
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.mail_from == "noreply@zdrave.example"
    assert envelope.rcpt_tos == ["member@example.bg", "audit@zdrave.example"]
    received = _parse(envelope)
    assert _subject(received) == CONSULTATION_SUBJECT
    assert received["To"] == "member@example.bg"
    assert "Bcc" not in received
    assert received["Message-ID"] == row.message_id
    assert "Потвърждаваме Вашата консултация." in received.get_body(("plain",)).get_content()
    ics_part = next(
        p for p in received.iter_attachments() if p.get_filename() == "consultation.ics"
    )
    assert ics_part.get_content_type() == "text/calendar"
    event = Calendar.from_ical(ics_part.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Sofia"
    assert event["DTSTART"].dt == start
    assert event["DTSTART"].dt.utcoffset() == timedelta(hours=3)
    assert str(event["SUMMARY"]) == "Консултация с психолог"
    # 000 б) стъпка 7: the reminder one hour before
    assert event.walk("VALARM")[0]["TRIGGER"].dt == timedelta(hours=-1)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 1, "")
    assert row.sent_at is not None


def test_smtp_down_keeps_message_queued_then_retry_sends_it_exactly_once(
    mail_via_smtp, smtp_server, run_worker
):
    # Given: nothing listens on the SMTP port
    before = timezone.now()
    mail.send_mail(CONSULTATION_SUBJECT, "Предлагаме дати.", None, ["member@example.bg"])
    run_worker()

    # Then: the row stays queued, one attempt recorded, the next one a minute later
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.QUEUED, 1)
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert before + timedelta(minutes=1) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + timedelta(minutes=1)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.task_path == deliver_message.module_path
    assert retry.run_after == row.next_attempt_at
    run_worker()  # not due yet: nothing happens
    row.refresh_from_db()
    assert row.attempts == 1

    # When: the server comes up and the minute passes
    smtp_server.start()
    _let_time_pass(timedelta(minutes=1))
    run_worker()

    # Then: sent, once
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MessageStatus.SENT, 2, "")
    assert len(smtp_server.envelopes) == 1
    assert _subject(_parse(smtp_server.envelopes[0])) == CONSULTATION_SUBJECT

    # And: a duplicate delivery task, the sweep and another batch never send it again
    deliver_message.enqueue(row.pk)
    assert sweep() == {"enqueued": 0, "interrupted": 0}
    run_worker()
    assert len(smtp_server.envelopes) == 1
    assert OutboxMessage.objects.get().attempts == 2


def test_retries_back_off_then_message_fails_after_the_last_attempt(mail_via_smtp):
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    row = OutboxMessage.objects.get()
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        row.refresh_from_db()
        now = row.next_attempt_at  # each attempt runs exactly when it is due
        outcome = deliver(row.pk, now=now)
        if outcome.retry_at is not None:
            waits.append(outcome.retry_at - now)
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes[:6] == [1, 5, 15, 60, 60, 60]
    assert len(minutes) == MAX_ATTEMPTS - 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, MAX_ATTEMPTS)
    assert deliver(row.pk).status == "skipped"  # failed stays failed until staff retry it


def test_recipient_refused_with_550_fails_at_once_without_retry(
    mail_via_smtp, smtp_server, run_worker
):
    smtp_server.handler.refuse.add("nobody@example.bg")
    smtp_server.start()
    mail.send_mail("Тема", "Текст", None, ["nobody@example.bg"])
    run_worker()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 1)
    assert "550" in row.last_error
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert smtp_server.envelopes == []


def test_rolled_back_action_sends_nothing(mail_via_smtp, smtp_server, run_worker):
    smtp_server.start()

    def failing_action():
        with transaction.atomic():
            mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
            raise RuntimeError("the business change failed")

    with pytest.raises(RuntimeError):
        failing_action()
    run_worker()
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert smtp_server.envelopes == []


@pytest.mark.postgres
def test_workers_racing_for_one_message_send_it_once(mail_via_smtp, smtp_server):
    """Four workers pick up the same message at the same moment: the status compare-and-set lets
    exactly one of them talk to the SMTP server."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor == "sqlite":
        # Shared-cache in-memory SQLite locks whole tables; the embedded default runs one worker.
        pytest.skip("needs PostgreSQL: concurrent writers")
    smtp_server.start()
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    row = OutboxMessage.objects.get()
    barrier = Barrier(4)

    def worker(_):
        barrier.wait()
        try:
            return str(deliver(row.pk).status)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(worker, range(4)))
    assert outcomes == ["sent", "skipped", "skipped", "skipped"]
    assert len(smtp_server.envelopes) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)
