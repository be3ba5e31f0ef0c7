"""Request-level checks that must act before any view, form or upload handler reads the request:
a body too large (413) and a NUL character no page can mean (400)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
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


class RejectNulBytesMiddleware:
    """A NUL character in the path or the query string is never a real id, code or search, and
    PostgreSQL refuses text containing it (``DataError``), so a URL parameter carrying one would
    end in a server error. Form fields already refuse it (Django's
    ``ProhibitNullCharactersValidator``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in value for values in request.GET.lists() for value in values[1])
        ):
            return HttpResponseBadRequest(_("The address contains a character it cannot have."))
        return self.get_response(request)
