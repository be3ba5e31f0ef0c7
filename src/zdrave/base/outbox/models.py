"""The e-mail outbox: every message the platform sends is first a row here.

A message is written in the same transaction as the business change that caused it, so a
rolled-back change never mails anybody and a committed one is never lost. Delivery happens
later, in the worker (``zdrave.base.outbox.tasks``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # No SMTP server is configured (the embedded default): the outbox is the mailbox.
    HELD = "held", _("Kept in the outbox")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    from_email = models.CharField(_("from"), max_length=255)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    # Bcc is only in the envelope, never in the raw MIME, so it is kept here for delivery.
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    body_text = models.TextField(_("text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    # What SMTP delivers, byte for byte, secrets included: never shown to anybody, read only by
    # the worker. The fields above are the copy staff may read, with secrets masked.
    raw_mime = models.BinaryField(_("raw MIME"))
    # Mail about a member's care (reports, therapy sessions, second-opinion cases) is health
    # data: its subject, body and attachments are for the health-data roles only
    # (``accounts.permissions.can_read_outbox_content``). The default is the safe one.
    health_data = models.BooleanField(_("carries health data"), default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        # No subject: the title of an admin page must not show what only some roles may read.
        return f"#{self.pk} → {', '.join(self.to)}"

    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=255)
    mimetype = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
