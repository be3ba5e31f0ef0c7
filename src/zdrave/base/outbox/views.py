"""Staff reading the outbox: where mail goes when no SMTP server is configured, and where they
check that it went out. Who sees what is decided in ``zdrave.base.identity.permissions``: every
staff role sees delivery data; subject, body and attachments of mail that carries health data
only the health-data roles, and each such reading is written to the audit trail. Secrets (the
sign-in link) are masked in the stored copy for everyone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from zdrave.base.audit.models import record_view
from zdrave.base.identity.permissions import (
    access_required,
    can_read_outbox,
    can_read_outbox_content,
)
from zdrave.base.outbox.models import MessageStatus, OutboxMessage

PAGE_SIZE = 50


_staff_only = access_required(can_read_outbox)


@_staff_only
def message_list(request):
    messages = OutboxMessage.objects.defer("raw_mime", "body_html", "body_text")
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    for message in page:
        message.content_visible = can_read_outbox_content(request.user, message)
    return render(
        request,
        "outbox/list.html",
        {"page": page, "status": status, "statuses": MessageStatus.choices},
    )


@_staff_only
def message_detail(request, pk: int):
    message = get_object_or_404(OutboxMessage.objects.defer("raw_mime"), pk=pk)
    content_visible = can_read_outbox_content(request.user, message)
    if content_visible and message.health_data:
        record_view(request, verb="view_outbox_message", obj=message)
    return render(
        request,
        "outbox/detail.html",
        {
            "message": message,
            "content_visible": content_visible,
            "attachments": message.attachments.defer("content") if content_visible else [],
        },
    )


@_staff_only
def attachment_download(request, pk: int, attachment_pk: int):
    message = get_object_or_404(OutboxMessage.objects.defer("raw_mime"), pk=pk)
    if not can_read_outbox_content(request.user, message):
        raise PermissionDenied
    attachment = get_object_or_404(message.attachments, pk=attachment_pk)
    if message.health_data:
        record_view(
            request,
            verb="download_outbox_attachment",
            obj=message,
            attachment=attachment.filename,
        )
    response = HttpResponse(bytes(attachment.content), content_type=attachment.mimetype)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
