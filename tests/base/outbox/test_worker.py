"""The worker: restarts lose nothing, interrupted sends are never repeated, and the real
``zdrave db_worker`` command delivers through SMTP."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.base.audit.models import AuditEvent
from zdrave.base.outbox.actions import requeue_message
from zdrave.base.outbox.models import MessageStatus, OutboxMessage
from zdrave.base.outbox.tasks import deliver_message, retry_due_messages


def _waiting(task) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=task.module_path)
    )


@pytest.mark.django_db
def test_restart_reenqueues_a_queued_message_that_lost_its_task(mail_via_smtp, capsys):
    # Given: the process died between the commit and the enqueue (the on-commit hook never ran)
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    row = OutboxMessage.objects.get()
    assert _waiting(deliver_message) == []

    # When: scripts/run.sh starts again
    call_command("outbox_retry")

    # Then: a delivery task waits for it and the periodic sweep is scheduled, once
    [task] = _waiting(deliver_message)
    assert task.args_kwargs["args"] == [row.pk]
    [sweep] = _waiting(retry_due_messages)
    assert timedelta(minutes=4) < sweep.run_after - timezone.now() <= timedelta(minutes=5)
    assert "1 enqueued" in capsys.readouterr().out
    call_command("outbox_retry")
    assert len(_waiting(deliver_message)) == 1
    assert len(_waiting(retry_due_messages)) == 1


@pytest.mark.django_db(transaction=True)
def test_periodic_sweep_delivers_and_schedules_itself_again(mail_via_smtp, smtp_server, run_worker):
    smtp_server.start()
    with transaction.atomic():
        mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    DBTaskResult.objects.all().delete()  # the task table was lost
    retry_due_messages.enqueue()
    run_worker()
    assert OutboxMessage.objects.get().status == MessageStatus.SENT
    assert len(smtp_server.envelopes) == 1
    [next_sweep] = _waiting(retry_due_messages)
    assert next_sweep.run_after > timezone.now() + timedelta(minutes=4)


@pytest.mark.django_db(transaction=True)
def test_interrupted_send_is_marked_failed_not_sent_again(mail_via_smtp, smtp_server, run_worker):
    smtp_server.start()
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    long_ago = timezone.now() - timedelta(minutes=20)
    # A worker claimed the message 20 minutes ago and died mid-conversation.
    OutboxMessage.objects.update(status=MessageStatus.SENDING, attempts=1, last_attempt_at=long_ago)
    call_command("outbox_retry", verbosity=0)
    run_worker()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 1)
    assert "may or may not have been sent" in row.last_error
    assert smtp_server.envelopes == []


@pytest.mark.django_db(transaction=True)
def test_staff_retry_of_a_failed_message_sends_it_and_is_audited(
    mail_via_smtp, smtp_server, run_worker, coordinator
):
    smtp_server.start()
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    OutboxMessage.objects.update(status=MessageStatus.FAILED, attempts=28, last_error="550")
    DBTaskResult.objects.all().delete()
    row = OutboxMessage.objects.get()

    assert requeue_message(row, actor=coordinator) is True
    run_worker()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 29)
    assert len(smtp_server.envelopes) == 1
    audit = AuditEvent.objects.get(verb="requeue_outbox_message")
    assert (audit.actor, audit.object_id) == (coordinator, str(row.pk))
    assert requeue_message(row, actor=coordinator) is False  # sent stays sent


def test_zdrave_db_worker_command_delivers_through_smtp(tmp_path, smtp_server):
    """The real commands, as scripts/run.sh runs them, on a fresh embedded database."""
    smtp_server.start()
    env = {
        **{k: v for k, v in os.environ.items() if k != "ZDRAVE_DATABASE_URL"},
        "ZDRAVE_VAR_DIR": str(tmp_path),
        "ZDRAVE_EMAIL_HOST": "127.0.0.1",
        "ZDRAVE_EMAIL_PORT": str(smtp_server.port),
        "DJANGO_SETTINGS_MODULE": "zdrave.settings",
        "ZDRAVE_DEBUG": "1",  # the worker refuses the public development key in production mode
    }
    zdrave = [sys.executable, "-m", "zdrave.cli"]

    def run(*args):
        return subprocess.run(
            [*zdrave, *args], env=env, capture_output=True, text=True, timeout=120
        )

    assert run("migrate", "--run-syncdb", "-v0").returncode == 0
    sent = run(
        "shell",
        "-c",
        "from django.core.mail import send_mail; "
        "send_mail('Extra Care – консултация чрез Diagnose.me', 'Текст', None, ['m@example.bg'])",
    )
    assert sent.returncode == 0, sent.stderr
    assert smtp_server.envelopes == []  # stored, not sent inline
    worker = run("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert worker.returncode == 0, worker.stderr
    assert len(smtp_server.envelopes) == 1
    assert smtp_server.envelopes[0].rcpt_tos == ["m@example.bg"]


@pytest.mark.django_db
def test_staff_cannot_requeue_a_message_that_is_being_sent(mail_via_smtp, coordinator):
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    OutboxMessage.objects.update(status=MessageStatus.SENDING, attempts=1)
    assert requeue_message(OutboxMessage.objects.get(), actor=coordinator) is False
    assert OutboxMessage.objects.get().status == MessageStatus.SENDING
    assert not AuditEvent.objects.filter(verb="requeue_outbox_message").exists()
