from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the cookie and the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


SIGNED_IN_AT = "zdrave_signed_in_at"
LAST_SEEN_AT = "zdrave_last_seen_at"


class SessionLifetimeMiddleware:
    """A signed-in session ends after ``SESSION_COOKIE_AGE`` seconds without a request (idle) and
    ``ZDRAVE_SESSION_ABSOLUTE_AGE`` seconds after it began, however active it is.

    The idle limit moves on by saving the session, but at most once a minute
    (``ZDRAVE_SESSION_TOUCH_EVERY``) rather than on every request: a page, its polling and its
    parallel requests would otherwise each write the same session row (contention on PostgreSQL,
    "cannot start a transaction within a transaction" on SQLite). The idle limit is therefore
    exact to a minute. The start is noted on the first request that sees the user signed in, so
    it covers every way of signing in (password, reset link, one-time links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - started > settings.ZDRAVE_SESSION_ABSOLUTE_AGE:
                logout(request)
            elif now - request.session.get(LAST_SEEN_AT, 0) >= settings.ZDRAVE_SESSION_TOUCH_EVERY:
                request.session[LAST_SEEN_AT] = now  # saves the session: a new idle expiry
        return self.get_response(request)
