"""Django settings. One file, driven by environment variables:

- ``ZDRAVE_DATABASE_URL``: ``postgres://user:pass@host:port/name``; unset = embedded SQLite in
  ``var/zdrave.sqlite3`` (the README's run command).
- ``ZDRAVE_SECRET_KEY``, ``ZDRAVE_DEBUG``, ``ZDRAVE_ALLOWED_HOSTS``.
- ``ZDRAVE_EMAIL_HOST`` / ``ZDRAVE_EMAIL_PORT``: an SMTP server; unset = mail stays in the
  database outbox, viewable by staff.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZDRAVE_VAR_DIR", REPO_DIR / "var"))
PRODUCTS_DIR = Path(os.environ.get("ZDRAVE_PRODUCTS", REPO_DIR / "products"))

DEBUG = os.environ.get("ZDRAVE_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("ZDRAVE_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("ZDRAVE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Bottom layer first; the layers are described in docs/architecture.md.
    "zdrave.base.audit",
    "zdrave.base.identity",
    "zdrave.base.ui",
    "zdrave.base.outbox",
    "zdrave.base.documents",
    "zdrave.products",
    "zdrave.contracts",
    "zdrave.claims",
    "zdrave.member_services.specialists",
    "zdrave.member_services.second_opinion",
    "zdrave.member_services.consultations",
    "zdrave.interfaces.portal",
    "zdrave.interfaces.api",
    "zdrave.interfaces.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zdrave.base.identity.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zdrave.urls"
WSGI_APPLICATION = "zdrave.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zdrave.interfaces.portal.navigation.platform",
            ],
        },
    },
]


def _database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"ZDRAVE_DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }


if os.environ.get("ZDRAVE_DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["ZDRAVE_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "zdrave.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"

# argon2 first: new and re-hashed passwords use it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:index"

# Lock-out: 5 failed log-ins for the same user name lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "identity/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "bg"
LANGUAGES = [("bg", _("Bulgarian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Sofia"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Medical files live outside the web root and are served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("ZDRAVE_PRIVATE_MEDIA", VAR_DIR / "private"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
EMAIL_HOST = os.environ.get("ZDRAVE_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ZDRAVE_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("ZDRAVE_FROM_EMAIL", "noreply@zdrave.example")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"zdrave": {"level": "INFO"}},
}

# Lock-out is per user name on purpose: insurer staff and employers sit behind shared office
# NATs, so an IP-wide lock would shut out a whole team (docs/decisions.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Psychologist consultation (000 б) стъпка 6): video sessions get a room on this server. "jitsi"
# builds an unguessable room address on ZDRAVE_VIDEO_BASE_URL (never fetched); another provider
# is the dotted path of a callable (consultation) -> URL.
ZDRAVE_VIDEO_PROVIDER = os.environ.get("ZDRAVE_VIDEO_PROVIDER", "jitsi")
ZDRAVE_VIDEO_BASE_URL = os.environ.get("ZDRAVE_VIDEO_BASE_URL", "https://meet.jit.si")
