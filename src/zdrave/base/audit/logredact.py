"""One-time secrets never reach a log: the tokens in sign-in and password-reset links are cut
from every log line (Django's request log, gunicorn's access log, see docs/deployment.md)."""

from __future__ import annotations

import logging
import re

# /extra-care/opinions/sign-in/<token>/ and /accounts/password/reset/<uid>/<token>/ (not …/sent/,
# …/complete/ or Django's own …/set-password/ stand-in).
_SECRET_IN_PATH = re.compile(r"(/sign-in/|/password/reset/[^/\s\"?]+/)(?!set-password\b)[^/\s\"?]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _SECRET_IN_PATH.sub(rf"\1{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter for handlers: formats the record once and keeps the redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
