"""What the outbox keeps of a message, and ``send_templated`` in the recipient's language."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext_lazy
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zdrave.base.identity.models import User
from zdrave.base.outbox.delivery import deliver
from zdrave.base.outbox.mail import Attachment, send_templated
from zdrave.base.outbox.models import MessageStatus, OutboxMessage
from zdrave.base.outbox.tasks import deliver_message

pytestmark = pytest.mark.django_db


def test_backend_stores_every_part_of_the_message_and_sends_nothing_inline(
    mail_via_smtp, django_capture_on_commit_callbacks
):
    message = EmailMessage(
        subject="Extra Care – второ медицинско мнение чрез Diagnose.me",
        body="Регистрирайте се на линка.",
        from_email="team@diagnose.example",
        to=["member@example.bg"],
        cc=["coordinator@zdrave.example"],
        bcc=["archive@zdrave.example"],
        reply_to=["team@diagnose.example"],
        headers={"X-Zdrave-Case": "SO-17"},
    )
    message.attach("report.pdf", b"%PDF-1.7 fake", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        assert message.send() == 1
        # Inside the transaction nothing is enqueued yet.
        assert DBTaskResult.objects.count() == 0
    assert len(callbacks) == 1

    row = OutboxMessage.objects.get()
    assert row.status == MessageStatus.QUEUED
    assert row.attempts == 0
    assert row.subject == "Extra Care – второ медицинско мнение чрез Diagnose.me"
    assert (row.to, row.cc, row.bcc, row.reply_to) == (
        ["member@example.bg"],
        ["coordinator@zdrave.example"],
        ["archive@zdrave.example"],
        ["team@diagnose.example"],
    )
    assert row.body_text == "Регистрирайте се на линка."
    headers = dict(row.headers)
    assert headers["Subject"] == "Extra Care – второ медицинско мнение чрез Diagnose.me"
    assert headers["X-Zdrave-Case"] == "SO-17"
    assert headers["Message-ID"] == row.message_id
    assert "Bcc" not in headers  # the envelope carries it, the headers must not
    raw = email.message_from_bytes(bytes(row.raw_mime), policy=email.policy.default)
    assert raw["Message-ID"] == row.message_id
    [attachment] = row.attachments.all()
    assert (attachment.filename, attachment.mimetype, bytes(attachment.content)) == (
        "report.pdf",
        "application/pdf",
        b"%PDF-1.7 fake",
    )
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == (deliver_message.module_path, [row.pk])
    assert task.status == TaskResultStatus.READY


def test_without_smtp_host_the_message_is_kept_in_the_outbox(mail_in_outbox_only):
    mail.send_mail("Тема", "Текст", None, ["member@example.bg"])
    row = OutboxMessage.objects.get()
    assert deliver(row.pk).status == MessageStatus.HELD
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.HELD, 0)
    assert deliver(row.pk).status == "skipped"


@pytest.mark.parametrize(
    ("language", "greeting", "footer"),
    [
        ("bg", "Здравейте, Мария,", "Екипът на Zdrave"),
        ("en", "Hello, Мария,", "The Zdrave team"),
    ],
)
def test_send_templated_renders_text_and_html_in_the_recipients_language(
    mail_in_outbox_only, language, greeting, footer
):
    user = User.objects.create_user(
        "maria", "maria@example.bg", None, first_name="Мария", language=language
    )
    row = send_templated(
        user,
        gettext_lazy("E-mail outbox"),
        "outbox/email/notice",
        {
            "name": user.first_name,
            "message": "Справката е готова.",
            "link": "https://z.example/r/1",
        },
        attachments=[Attachment("note.txt", b"hello", "text/plain")],
    )
    assert row.to == ["maria@example.bg"]
    assert row.subject == {"bg": "Изходяща поща", "en": "E-mail outbox"}[language]
    assert row.body_text.startswith(greeting)
    assert "Справката е готова." in row.body_text
    assert footer in row.body_text
    assert f'<html lang="{language}">' in row.body_html
    assert greeting in row.body_html
    assert '<a href="https://z.example/r/1">' in row.body_html
    assert dict(row.headers)["Content-Language"] == language
    assert [a.filename for a in row.attachments.all()] == ["note.txt"]


def test_send_templated_defaults_to_bulgarian_for_a_bare_address(mail_in_outbox_only):
    row = send_templated("someone@example.bg", "Тема", "outbox/email/notice", {"message": "М"})
    assert row.body_text.startswith("Здравейте,")


def test_send_templated_refuses_a_user_without_an_address(mail_in_outbox_only):
    user = User.objects.create_user("noemail", "", None)
    with pytest.raises(ValueError, match="every recipient needs an e-mail address"):
        send_templated(user, "Тема", "outbox/email/notice", {"message": "М"})
    assert OutboxMessage.objects.count() == 0
