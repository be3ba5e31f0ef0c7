"""Meeting links for video sessions (000 б) стъпка 6: "линк за връзка с терапевта през Google
Meets"). The provider is configurable: ``ZDRAVE_VIDEO_PROVIDER`` is ``"jitsi"`` (the default) or
the dotted path of a callable ``(consultation) -> str``.

The default builds the room address on ``ZDRAVE_VIDEO_BASE_URL`` (a Jitsi-style server: any room
name opens a room) and never calls the server: the name carries 128 random bits, so nobody can
guess another member's session.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

ROOM_PREFIX = "zdrave-"
ROOM_TOKEN_BYTES = 16


def jitsi_room(consultation) -> str:
    base = settings.ZDRAVE_VIDEO_BASE_URL.rstrip("/")
    if not base.startswith("https://"):
        # Health conversations never go over plain HTTP.
        raise ImproperlyConfigured("ZDRAVE_VIDEO_BASE_URL must be an https:// address")
    return f"{base}/{ROOM_PREFIX}{secrets.token_urlsafe(ROOM_TOKEN_BYTES)}"


PROVIDERS: dict[str, Callable[[object], str]] = {"jitsi": jitsi_room}


def provider() -> Callable[[object], str]:
    name = settings.ZDRAVE_VIDEO_PROVIDER
    if name in PROVIDERS:
        return PROVIDERS[name]
    try:
        return import_string(name)
    except ImportError as exc:
        raise ImproperlyConfigured(f"ZDRAVE_VIDEO_PROVIDER: unknown provider {name!r}") from exc


def meeting_link(consultation) -> str:
    """A new, unguessable room address for ``consultation``."""
    return provider()(consultation)
