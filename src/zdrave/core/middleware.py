"""Requests no page can mean: refused with 400 before any view or query sees them."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


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
