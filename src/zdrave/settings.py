"""Django settings. One file, driven by environment variables:

- ``ZDRAVE_DATABASE_URL``: ``postgres://user:pass@host:port/name``, with libpq's parameters in
  the query (``?sslmode=verify-full``) and a Unix socket as ``?host=/dir``; unset = embedded
  SQLite in ``var/zdrave.sqlite3`` (the README's run command).
- ``ZDRAVE_DEBUG=1``: development mode (debug pages, plain-HTTP cookies, a built-in secret
  key). Unset = production mode: DEBUG off, HTTPS-only cookies, HSTS, and the platform refuses
  to start without ``ZDRAVE_SECRET_KEY`` (``zdrave.startup``). See docs/deployment.md.
- ``ZDRAVE_SECRET_KEY``, ``ZDRAVE_ALLOWED_HOSTS``, ``ZDRAVE_CSRF_TRUSTED_ORIGINS``.
- ``ZDRAVE_BEHIND_PROXY=1``: trust the proxy's ``X-Forwarded-Proto: https`` (only behind a
  proxy that sets it); ``ZDRAVE_SSL_REDIRECT=0`` when the proxy already redirects to HTTPS.
- ``ZDRAVE_EMAIL_HOST`` / ``ZDRAVE_EMAIL_PORT``: an SMTP server; unset = mail stays in the
  database outbox, viewable by staff.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZDRAVE_VAR_DIR", REPO_DIR / "var"))
PRODUCTS_DIR = Path(os.environ.get("ZDRAVE_PRODUCTS", REPO_DIR / "products"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None or value == "" else value == "1"


# Production by default: development conveniences are asked for, never left on by accident.
DEBUG = _flag("ZDRAVE_DEBUG", default=False)
# Public, so it signs nothing in production: zdrave.startup refuses to serve with it unless DEBUG.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("ZDRAVE_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = os.environ.get("ZDRAVE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("ZDRAVE_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not from a CDN
    "csp",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "auditlog",  # change history of contracts, claims, decisions, payments (member_rights.privacy)
    # Bottom layer first; the layers are described in docs/architecture.md.
    "zdrave.base.audit",
    "zdrave.base.identity",
    "zdrave.base.ui",
    "zdrave.base.outbox",
    "zdrave.base.documents",
    "zdrave.base.banking",
    "zdrave.base.letters",
    "zdrave.products",
    "zdrave.contracts",
    "zdrave.claims",
    "zdrave.member_services.specialists",
    "zdrave.member_services.second_opinion",
    "zdrave.member_services.consultations",
    "zdrave.policy_admin.sales",
    "zdrave.policy_admin.billing",
    "zdrave.policy_admin.groups",
    "zdrave.policy_admin.groupsales",
    "zdrave.policy_admin.renewal",
    "zdrave.treatment_abroad",
    "zdrave.providers.network",
    "zdrave.providers.preauth",
    "zdrave.providers.settlement",
    "zdrave.member_rights.complaints",
    "zdrave.member_rights.privacy",
    "zdrave.interfaces.portal",
    "zdrave.interfaces.api",
    "zdrave.interfaces.fhir",
    "zdrave.interfaces.demo",
]

MIDDLEWARE = [
    "zdrave.base.ui.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "zdrave.base.ui.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from where for django-auditlog's change rows (member_rights.privacy).
    "auditlog.middleware.AuditlogMiddleware",
    "zdrave.base.identity.middleware.SessionLifetimeMiddleware",
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
    """``DATABASES["default"]`` from ``ZDRAVE_DATABASE_URL``, read as libpq reads a connection URI
    (dj-database-url): a host, or a Unix socket directory written percent-encoded
    (``postgres://zdrave@%2Fvar%2Frun%2Fpostgresql/zdrave``) or as ``?host=/var/run/postgresql``,
    and libpq's connection parameters in the query (``?sslmode=verify-full&sslrootcert=…``,
    ``connect_timeout``, ``application_name``…), each passed on to the connection. A parameter
    libpq does not know is refused by name here, at start-up, not dropped (docs/deployment.md,
    docs/decisions.md: "The database URL as libpq reads it")."""
    import dj_database_url
    from django.core.exceptions import ImproperlyConfigured
    from psycopg import pq

    scheme = urlparse(url).scheme
    if scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(
            f"ZDRAVE_DATABASE_URL: unsupported scheme {scheme!r}; "
            "write postgres://user:password@host:5432/name (unset: the embedded SQLite)."
        )
    config = dj_database_url.parse(url, conn_max_age=60)
    known = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    unknown = sorted(set(config.get("OPTIONS", {})) - known)
    if unknown:
        raise ImproperlyConfigured(
            f"ZDRAVE_DATABASE_URL: unknown connection parameter {unknown[0]!r}; "
            "the query may carry libpq's parameters only (sslmode, sslrootcert, "
            "connect_timeout, application_name, host, …)."
        )
    return config


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
# A reset link (the way in during a lock-out) works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:index"

# Lock-out (docs/decisions.md): 5 failed log-ins for one user name from one address, or 30 from
# one address whatever the names, lock for 30 minutes. Nobody elsewhere can lock a user out,
# spraying many names from one address is stopped, and a shared office NAT has room for typos.
AXES_HANDLER = "zdrave.base.identity.lockout.AddressAndUserHandler"
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_FAILURE_LIMIT = 5  # per address + user name
ZDRAVE_LOGIN_FAILURES_PER_ADDRESS = 30
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
# The client's address: REMOTE_ADDR, or behind the proxy the entry the proxy appended to
# X-Forwarded-For (never one a client wrote); see zdrave.base.identity.lockout.client_address.
AXES_CLIENT_IP_CALLABLE = "zdrave.base.identity.lockout.client_address"
AXES_USERNAME_CALLABLE = "zdrave.base.identity.lockout.username_of"
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
# whitenoise serves the collected files (``zdrave collectstatic``) with far-future caching for the
# hashed names; development mode serves them straight from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Medical files live outside the web root and are served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("ZDRAVE_PRIVATE_MEDIA", VAR_DIR / "private"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
EMAIL_HOST = os.environ.get("ZDRAVE_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("ZDRAVE_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("ZDRAVE_FROM_EMAIL", "noreply@zdrave.example")

# Request size (ASVS 12.1.1): a body larger than the largest upload (documents.validation, 20 MB)
# plus its form fields is refused with 413 before it is read; form fields alone are capped too.
ZDRAVE_MAX_REQUEST_BYTES = 21 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # non-file fields, Django's default made explicit
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads go to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Sessions for health data (ASVS 3.3): 30 minutes idle, 10 hours at most after signing in.
SESSION_COOKIE_AGE = 30 * 60
# The idle expiry moves on at most once a minute
# (zdrave.base.identity.middleware.SessionLifetimeMiddleware).
ZDRAVE_SESSION_TOUCH_EVERY = 60
ZDRAVE_SESSION_ABSOLUTE_AGE = 10 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# HTTPS and browser protections: on unless in development mode (check --deploy is clean).
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = _flag("ZDRAVE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("ZDRAVE_HSTS_SECONDS", 31_536_000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
ZDRAVE_BEHIND_PROXY = _flag("ZDRAVE_BEHIND_PROXY", default=False)
if ZDRAVE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): our own origin only, no inline script or style anywhere
# (tests/e2e/test_content_security_policy.py fails on any violation). data: images are Swagger
# UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of every 4xx/5xx ("Not Found: /…/sign-in/<token>/"): cut the token.
    "filters": {"redact_secrets": {"()": "zdrave.base.audit.redaction.RedactSecrets"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"zdrave": {"level": "INFO"}},
}

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment for the insurer's whole domain; the operator opts in at the
    # proxy (docs/deployment.md).
    "security.W021",
]

# Psychologist consultation (000 б) стъпка 6): video sessions get a room on this server. "jitsi"
# builds an unguessable room address on ZDRAVE_VIDEO_BASE_URL (never fetched); another provider
# is the dotted path of a callable (consultation) -> URL.
ZDRAVE_VIDEO_PROVIDER = os.environ.get("ZDRAVE_VIDEO_PROVIDER", "jitsi")
ZDRAVE_VIDEO_BASE_URL = os.environ.get("ZDRAVE_VIDEO_BASE_URL", "https://meet.jit.si")

# Claims (docs/decisions.md, issue 10): a decision paying more than this in total, or one with
# an adjuster's override, needs a second person's approval; the engine never pays more alone.
CLAIMS_FOUR_EYES_EUR = os.environ.get("ZDRAVE_CLAIMS_FOUR_EYES_EUR", "1000.00")

# Claims payments (claims/actions/pay.py): the insurer's paying account, the debtor of every SEPA
# credit transfer file. DEMO DEFAULTS — a published example account of a Bulgarian bank, not the
# insurer's: set all three before a file goes to a real bank.
ZDRAVE_INSURER_NAME = os.environ.get("ZDRAVE_INSURER_NAME", "Zdrave DEMO insurer")
ZDRAVE_INSURER_IBAN = os.environ.get("ZDRAVE_INSURER_IBAN", "BG18RZBB91550123456789")
ZDRAVE_INSURER_BIC = os.environ.get("ZDRAVE_INSURER_BIC", "RZBBBGSF")
