"""``send_templated``: the one way the platform's journeys write e-mail.

Templates come in pairs: ``<template_base>.txt`` (required) and ``<template_base>.html``
(optional). Both, and the subject, are rendered in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from zdrave.base.outbox.consent import drop_unconsented
from zdrave.base.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def send_templated(
    to,
    subject,
    template_base: str,
    context: dict | None = None,
    *,
    attachments: Iterable[Attachment | tuple[str, bytes, str]] = (),
    language: str | None = None,
    from_email: str | None = None,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
    secrets: Sequence[str] = (),
    health_data: bool = True,
    marketing: bool = False,
) -> OutboxMessage | None:
    """Render and queue one message; returns its outbox row (None under a test mail backend).

    ``to`` is an address, a user, or a list of either. ``language`` defaults to the first
    recipient user's saved language, else the platform default (Bulgarian). ``subject`` may be a
    lazy translation: it is rendered in that language too. Call it inside the action's
    transaction: the message is delivered only if the action commits.

    ``secrets`` (a sign-in token) go out in the mail but are masked in the copy staff can read;
    ``health_data=False`` lets staff without a health-data role read a message that carries
    none. ``marketing=True`` (004 Чл.33: product news, surveys) sends only to the recipients who
    consent to marketing (``zdrave.base.outbox.consent``); to nobody left, nothing is queued.
    """
    recipients = list(to) if isinstance(to, list | tuple) else [to]
    language = language or _language_of(recipients)
    addresses = [getattr(r, "email", r) for r in recipients]
    if not all(addresses):
        raise ValueError("send_templated: every recipient needs an e-mail address")
    context = {**(context or {}), "language": language}
    with translation.override(language):
        email = EmailMultiAlternatives(
            subject=" ".join(str(subject).split()),
            body=render_to_string(f"{template_base}.txt", context),
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            to=addresses,
            cc=list(cc),
            bcc=list(bcc),
            reply_to=list(reply_to),
            headers={"Content-Language": language},
        )
        html = _render_optional(f"{template_base}.html", context)
    if html is not None:
        email.attach_alternative(html, "text/html")
    for attachment in attachments:
        email.attach(*_as_tuple(attachment))
    email.outbox_secrets = [secret for secret in secrets if secret]
    email.outbox_health_data = health_data
    email.outbox_marketing = marketing
    if not drop_unconsented(email):
        return None
    return _send_through_outbox(email)


def _send_through_outbox(email: EmailMultiAlternatives) -> OutboxMessage | None:
    # Through EMAIL_BACKEND, so a test's locmem backend (pytest-django's default) sees it too;
    # OutboxBackend hands the stored row back on the message.
    email.send()
    return getattr(email, "outbox_message", None)


def _language_of(recipients: list) -> str:
    for recipient in recipients:
        if getattr(recipient, "language", ""):
            return recipient.language
    return settings.LANGUAGE_CODE


def _render_optional(template_name: str, context: dict) -> str | None:
    try:
        return render_to_string(template_name, context)
    except TemplateDoesNotExist:
        return None


def _as_tuple(attachment) -> tuple[str, bytes, str]:
    if isinstance(attachment, Attachment):
        return attachment.filename, attachment.content, attachment.mimetype
    return tuple(attachment)
