"""Request-level limits that must act before any view, form or upload handler reads the body."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a body declared larger than ``ZDRAVE_MAX_REQUEST_BYTES`` with 413, unread.

    Django reads an upload in full before a form can check its size; a 50 MB body would be
    streamed to a temporary file first. The WSGI server passes at most Content-Length bytes, so
    checking the header is enough (a body without one is empty to Django).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.ZDRAVE_MAX_REQUEST_BYTES:
            return HttpResponse(
                _("The request is too large: at most %(limit)s MB can be sent at once.")
                % {"limit": settings.ZDRAVE_MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
