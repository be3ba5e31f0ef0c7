"""Writes to the outbox: storing a message, and staff asking for another delivery attempt."""

from __future__ import annotations

from email.header import decode_header, make_header
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from zdrave.base.audit.models import record
from zdrave.base.audit.redaction import MASK, redact_secrets
from zdrave.base.outbox.models import MessageStatus, OutboxAttachment, OutboxMessage
from zdrave.base.outbox.tasks import enqueue_delivery


def store_message(email: EmailMessage) -> OutboxMessage:
    """Keep ``email`` in the outbox and deliver it once the surrounding transaction commits.

    Called by ``OutboxBackend`` for every ``send()``; when the caller is inside an action's
    ``transaction.atomic()``, the row joins that transaction (nothing is mailed on rollback).
    """
    mime = email.message()
    mask = partial(_masked, secrets=getattr(email, "outbox_secrets", ()))
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            message_id=str(mime.get("Message-ID", "")),
            from_email=email.from_email,
            to=list(email.to),
            cc=list(email.cc),
            bcc=list(email.bcc),
            reply_to=list(email.reply_to),
            subject=mask(str(email.subject)),
            headers=[[name, mask(_decoded(value))] for name, value in mime.items()],
            body_text=mask(email.body) if email.content_subtype != "html" else "",
            body_html=mask(_html_body(email)),
            raw_mime=mime.as_bytes(),
            health_data=getattr(email, "outbox_health_data", True),
        )
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message=message, filename=name, mimetype=mimetype, content=data, size=len(data)
            )
            for name, data, mimetype in _attachments(email)
        )
        # robust: if enqueueing fails after the commit, the periodic sweep picks the row up.
        transaction.on_commit(partial(enqueue_delivery, message.pk), robust=True)
    return message


def requeue_message(message: OutboxMessage, *, actor) -> bool:
    """Staff: try a failed message again, now (interrupted sends are failed by the sweep). A
    message being sent right now, or already sent, is left alone."""
    with transaction.atomic():
        requeued = OutboxMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, next_attempt_at=timezone.now()
        )
        if requeued:
            record(actor=actor, verb="requeue_outbox_message", obj=message)
            transaction.on_commit(partial(enqueue_delivery, message.pk), robust=True)
    return bool(requeued)


def _masked(text: str, *, secrets) -> str:
    """``text`` with every secret (and every token in a sign-in URL) replaced by ``MASK``."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return redact_secrets(text)


def _decoded(value) -> str:
    return str(make_header(decode_header(str(value))))


def _html_body(email: EmailMessage) -> str:
    if email.content_subtype == "html":
        return email.body
    for alternative in getattr(email, "alternatives", []):
        content, mimetype = alternative[0], alternative[1]
        if mimetype == "text/html":
            return content
    return ""


def _attachments(email: EmailMessage):
    """(file name, bytes, content type) for each attachment, whichever way it was attached."""
    for attachment in email.attachments:
        if isinstance(attachment, tuple):
            name, content, mimetype = attachment[0], attachment[1], attachment[2]
        else:  # a MIMEBase part
            name = attachment.get_filename() or "attachment"
            content = attachment.get_payload(decode=True) or b""
            mimetype = attachment.get_content_type()
        if isinstance(content, str):
            content = content.encode()
        yield name or "attachment", content, mimetype or "application/octet-stream"
