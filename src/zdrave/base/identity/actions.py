"""Writes to accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from zdrave.base.audit.models import record


def save_language(user, language: str, *, actor) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"language: {language!r} is not one of {sorted(dict(settings.LANGUAGES))}")
    if user.language == language:
        return
    with transaction.atomic():
        previous = user.language
        user.language = language
        user.save(update_fields=["language"])
        record(
            actor=actor,
            verb="user.language_changed",
            obj=user,
            previous=previous,
            language=language,
        )
