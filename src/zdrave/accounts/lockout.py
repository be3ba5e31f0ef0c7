"""The name django-axes records a failed log-in under."""

from __future__ import annotations

USERNAME_FIELD = "username"
# User.username holds at most 150 characters; axes stores the attempted name in a 255-character
# column, which PostgreSQL enforces: a 10 000-character "user name" was a server error.
MAX_USERNAME = 150


def axes_username(request, credentials: dict | None = None) -> str | None:
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(USERNAME_FIELD) if source else None
    return value[:MAX_USERNAME] if isinstance(value, str) else value
