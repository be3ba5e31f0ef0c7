"""What every way of starting the platform checks first (``zdrave runserver`` / ``db_worker``
through ``zdrave.cli``, and any WSGI server through ``zdrave.wsgi``).

Production mode (``ZDRAVE_DEBUG`` unset) with the public development key would sign sessions,
CSRF tokens and reset links with a key anyone can read; refuse with a message that says what to
set, not a traceback.
"""

from __future__ import annotations

import sys

from django.conf import settings

INSECURE_KEY_MESSAGE = (
    "error: ZDRAVE_SECRET_KEY is not set. The platform runs in production mode unless "
    "ZDRAVE_DEBUG=1 is set, and production mode needs a secret key of its own, e.g.\n"
    "  export ZDRAVE_SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\"\n"
    "For development on this machine, run with ZDRAVE_DEBUG=1 (scripts/run.sh does). "
    "See docs/deployment.md.\n"
)


def refuse_unusable_settings() -> None:
    """Exit with status 2 and ``error: <what is wrong>`` when the settings cannot be read (an
    unusable ``ZDRAVE_DATABASE_URL``: ``zdrave.settings`` raises ``ImproperlyConfigured``) —
    before a WSGI server's worker or a command gets as far as a traceback (a server would start
    the worker again and again)."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading it loads the settings module)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None


def uses_development_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY


def refuse_insecure_start() -> None:
    """Exit with status 2 and :data:`INSECURE_KEY_MESSAGE` in production mode without a key."""
    if uses_development_key():
        sys.stderr.write(INSECURE_KEY_MESSAGE)
        raise SystemExit(2)


def mode() -> str:
    return "development (ZDRAVE_DEBUG=1)" if settings.DEBUG else "production"
