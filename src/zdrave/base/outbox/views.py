"""Staff reading the outbox: where mail goes when no SMTP server is configured."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from zdrave.base.outbox.models import MessageStatus, OutboxMessage

PAGE_SIZE = 50


def can_read_outbox(user) -> bool:
    """Mail to members carries health data: insurer staff and administrators only."""
    return user.is_authenticated and (user.is_superuser or user.is_insurer_staff)


def _staff_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_outbox(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@_staff_only
def message_list(request):
    messages = OutboxMessage.objects.defer("raw_mime", "body_html", "body_text")
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/list.html",
        {"page": page, "status": status, "statuses": MessageStatus.choices},
    )


@_staff_only
def message_detail(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(
        request,
        "outbox/detail.html",
        {"message": message, "attachments": message.attachments.defer("content")},
    )


@_staff_only
def attachment_download(request, pk: int, attachment_pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    attachment = get_object_or_404(message.attachments, pk=attachment_pk)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.mimetype)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
