"""000 б) стъпка 7: "Получавате напомняне с линка или телефонния номер един час преди сесията" —
sent by the background worker, once, surviving restarts and following a moved session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import run_worker_batch
from member_services.consultations.conftest import book, days_ahead
from zdrave.member_services.consultations import actions, reminders
from zdrave.member_services.consultations.models import Consultation, ConsultationStatus, EventKind
from zdrave.member_services.consultations.tasks import (
    send_reminder,
    sweep_due_reminders,
    sweep_reminders,
)

REMINDER_SUBJECT = "Extra Care – напомняне: консултация след един час"


def _reminders() -> list:
    return [m for m in mail.outbox if m.subject == REMINDER_SUBJECT]


def _waiting(task) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=task.module_path
        ).order_by("run_after")
    )


def _confirm_soon(member, therapist, partner, capture, *, minutes: int = 30, channel="video"):
    """A session confirmed ``minutes`` from now: its reminder (one hour before) is due already."""
    consultation = book(member, therapist, channel=channel)
    start = (timezone.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    actions.propose_dates(consultation, actor=partner, starts=[start], phone="+359 2 987 6543")
    with capture(execute=True):
        actions.choose_slot(
            consultation, actor=member, slot_id=consultation.current_slots().get().pk
        )
    consultation.refresh_from_db()
    return consultation


@pytest.mark.django_db
def test_000b_step7_confirming_schedules_the_reminder_one_hour_before(confirmed):
    [waiting] = _waiting(send_reminder)
    assert waiting.args_kwargs["args"] == [confirmed.pk]
    assert waiting.run_after == days_ahead(2, 9)


@pytest.mark.django_db
def test_000b_step7_task_called_twice_sends_one_reminder(
    member, therapist, partner, django_capture_on_commit_callbacks
):
    consultation = _confirm_soon(member, therapist, partner, django_capture_on_commit_callbacks)

    assert send_reminder.call(consultation.pk) is True
    assert send_reminder.call(consultation.pk) is False

    [reminder] = _reminders()
    assert reminder.to == ["maria@example.bg"]
    assert consultation.video_url in reminder.body
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.REMINDED
    assert consultation.reminder_sent_at is not None
    assert consultation.events.filter(kind=EventKind.REMINDED, actor=None).count() == 1


@pytest.mark.django_db
def test_000b_step7_phone_session_reminder_gives_the_number(
    member, therapist, partner, django_capture_on_commit_callbacks
):
    consultation = _confirm_soon(
        member, therapist, partner, django_capture_on_commit_callbacks, channel="phone"
    )
    send_reminder.call(consultation.pk)
    [reminder] = _reminders()
    assert "Обадете се на терапевта на: +359 2 987 6543" in reminder.body


@pytest.mark.django_db(transaction=True)
def test_000b_step7_the_worker_sends_the_reminder_once(
    member, therapist, partner, django_capture_on_commit_callbacks
):
    consultation = _confirm_soon(member, therapist, partner, django_capture_on_commit_callbacks)
    send_reminder.enqueue(consultation.pk)  # a duplicate task: a retry, a second worker
    assert len(_waiting(send_reminder)) == 2

    run_worker_batch()

    assert len(_reminders()) == 1
    assert _waiting(send_reminder) == []


@pytest.mark.django_db
def test_000b_step7_a_reminder_is_not_sent_before_it_is_due(confirmed):
    assert (
        reminders.send_reminder(confirmed.pk, now=days_ahead(2, 8) + timedelta(minutes=59)) is False
    )
    assert reminders.send_reminder(confirmed.pk, now=days_ahead(2, 9)) is True
    assert len(_reminders()) == 1


@pytest.mark.django_db
def test_000b_step7_moving_the_session_reschedules_the_reminder(
    confirmed, member, partner, django_capture_on_commit_callbacks
):
    old_due = confirmed.reminder_due_at
    actions.ask_to_move(confirmed, actor=member)
    actions.propose_dates(confirmed, actor=partner, starts=[days_ahead(5, 11)])
    with django_capture_on_commit_callbacks(execute=True):
        actions.choose_slot(confirmed, actor=member, slot_id=confirmed.current_slots().get().pk)

    assert [t.run_after for t in _waiting(send_reminder)] == [old_due, days_ahead(5, 10)]
    # The old task runs at the old time and finds nothing to do …
    assert reminders.send_reminder(confirmed.pk, now=old_due) is False
    # … the new one sends it at the new time.
    assert reminders.send_reminder(confirmed.pk, now=days_ahead(5, 10)) is True
    [reminder] = _reminders()
    assert "11:00" in reminder.body


@pytest.mark.django_db
def test_000b_step7_cancelled_session_gets_no_reminder(confirmed, member):
    actions.cancel_consultation(confirmed, actor=member)
    assert reminders.send_reminder(confirmed.pk, now=days_ahead(2, 9)) is False
    assert _reminders() == []


@pytest.mark.django_db
def test_000b_step7_sweep_after_a_restart_finds_the_due_reminder(confirmed):
    # Given: the worker was down and the task table was lost
    DBTaskResult.objects.all().delete()

    # When: the sweep runs at the reminder time, twice (a periodic sweep right after start-up)
    assert sweep_due_reminders(now=days_ahead(2, 9) + timedelta(minutes=5)) == 1
    assert sweep_due_reminders(now=days_ahead(2, 9) + timedelta(minutes=10)) == 0

    # Then: one reminder
    assert len(_reminders()) == 1
    assert Consultation.objects.get(pk=confirmed.pk).status == ConsultationStatus.REMINDED


@pytest.mark.django_db
def test_sweep_sends_nothing_for_a_session_that_already_started(confirmed):
    DBTaskResult.objects.all().delete()
    assert sweep_due_reminders(now=days_ahead(2, 10) + timedelta(minutes=1)) == 0
    assert _reminders() == []


@pytest.mark.django_db
def test_start_up_command_sends_due_reminders_and_queues_the_periodic_sweep(
    member, therapist, partner, django_capture_on_commit_callbacks, capsys
):
    _confirm_soon(member, therapist, partner, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()

    call_command("consultation_reminders")

    assert len(_reminders()) == 1
    [sweep] = _waiting(sweep_reminders)
    assert timedelta(minutes=4) < sweep.run_after - timezone.now() <= timedelta(minutes=5)
    assert "1 sent" in capsys.readouterr().out
    call_command("consultation_reminders", verbosity=0)
    assert len(_waiting(sweep_reminders)) == 1
    assert len(_reminders()) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_000b_step7_workers_racing_for_one_reminder_send_it_once(
    member, therapist, partner, django_capture_on_commit_callbacks
):
    """Four workers (the task, its duplicate, two sweeps) claim the same reminder at the same
    moment: the compare-and-set on the row lets exactly one of them write the e-mail."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor == "sqlite":
        # Shared-cache in-memory SQLite locks whole tables; the embedded default runs one worker.
        pytest.skip("needs PostgreSQL: concurrent writers")
    consultation = _confirm_soon(member, therapist, partner, django_capture_on_commit_callbacks)
    barrier = Barrier(4)

    def worker(_):
        barrier.wait()
        try:
            return reminders.send_reminder(consultation.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(worker, range(4)))
    assert outcomes == [False, False, False, True]
    assert len(_reminders()) == 1
    assert consultation.events.filter(kind=EventKind.REMINDED).count() == 1
