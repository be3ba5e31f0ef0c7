"""Secrets that travel in URLs (the one-time sign-in and password-reset links) kept out of what
people can read later: server logs and the outbox copy staff see.

``RedactSecrets`` is a logging filter: ``zdrave.base.audit.apps`` puts it on Django's
``django.server`` (runserver's access log), ``django.request`` and ``django.security`` loggers,
and settings put it on the console handler; gunicorn's access log (``zdrave.gunicorn_conf``)
passes every field through ``redact_secrets`` (docs/decisions.md, docs/deployment.md, issue 8).
"""

from __future__ import annotations

import logging
import re

MASK = "[hidden]"
# A path segment after /sign-in/ is a token (``opinions:sign_in``); the clean
# ``/sign-in/`` the token is exchanged for has none. A password-reset link
# (/accounts/password/reset/<uid>/<token>/) carries one after the user's id, except Django's own
# ``set-password`` stand-in once the token has been exchanged.
SECRET_IN_URL = re.compile(
    r"(/sign-in/|/password/reset/[^/\s\"'?#<>]+/)(?!set-password\b)[^/\s\"'?#<>]+"
)


_MARKERS = ("/sign-in/", "/password/reset/")


def redact_secrets(text: str) -> str:
    # A text without either marker has nothing to cut (most log fields): skip the expression
    # (gunicorn's access log passes some thirty fields of every request through here).
    if _MARKERS[0] not in text and _MARKERS[1] not in text:
        return text
    return SECRET_IN_URL.sub(rf"\g<1>{MASK}", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and arguments so no handler ever formats a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_secrets(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                key: redact_secrets(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True


REDACTED_LOGGERS = ("django.server", "django.request", "django.security")


def install() -> None:
    """Put the filter on the loggers that print request paths (idempotent)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
            logger.addFilter(RedactSecrets())
