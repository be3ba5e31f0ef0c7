"""Writes to accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from zdrave.base.audit.models import record_change


def save_language(user, language: str, *, actor) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"language: {language!r} is not one of {sorted(dict(settings.LANGUAGES))}")
    if user.language == language:
        return
    with transaction.atomic():
        record_change(user, "language", language, actor=actor, verb="user.language_changed")
