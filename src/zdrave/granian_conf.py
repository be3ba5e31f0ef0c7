"""granian for the instance that serves the front desks' eligibility API (issue 12): the same
WSGI application (``zdrave.wsgi``) as gunicorn serves, with the HTTP/1.1 parsing, keep-alive and
socket work done in granian's Rust core instead of Python (docs/decisions.md, "Eligibility: the
API instance on granian"; docs/deployment.md). Run it with ``zdrave-api`` (or
``python -m zdrave.granian_conf``).

Environment, as for gunicorn (``zdrave.gunicorn_conf``): ``ZDRAVE_BIND`` (default
127.0.0.1:8000, behind the proxy), ``ZDRAVE_WORKERS`` (default: one per core) and
``ZDRAVE_THREADS`` (default 1: the Python threads of a worker; more threads on the same cores
only queue for the interpreter's lock — 2 workers × 1 thread met the issue's target on 2 cores,
2 × 2 and 2 × 4 did not, docs/performance.md).

The access log: the forwarded client address, the peer, the time, the method and the path
without its query string, the status and the time taken — each field through
``redact_secrets`` (a sign-in or password-reset token in a path is cut, as gunicorn's
``RedactingLogger`` cuts it)."""

from __future__ import annotations

import os

ACCESS_LOG_FORMAT = (
    '%(header{x-forwarded-for})s %(addr)s [%(time)s] "%(method)s %(path)s" %(status)d %(dt_ms).0fms'
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "zdrave.base.audit.redaction.RedactSecrets"}},
    "formatters": {
        "generic": {"format": "[%(levelname)s] %(message)s"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_secrets"],
            "stream": "ext://sys.stdout",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["redact_secrets"],
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def settings(environ=os.environ) -> dict:
    """granian's arguments from the environment (``Granian(**settings())``)."""
    from granian.constants import HTTPModes, Interfaces

    host, _, port = environ.get("ZDRAVE_BIND", "127.0.0.1:8000").rpartition(":")
    return {
        "target": "zdrave.wsgi:application",
        "interface": Interfaces.WSGI,
        "address": host or "127.0.0.1",
        "port": int(port),
        "workers": int(environ.get("ZDRAVE_WORKERS") or os.cpu_count() or 1),
        "blocking_threads": int(environ.get("ZDRAVE_THREADS") or 1),
        "http": HTTPModes.http1,
        "websockets": False,
        "log_access": True,
        "log_access_format": ACCESS_LOG_FORMAT,
        "log_dictconfig": LOGGING,
        "respawn_failed_workers": True,
    }


def main() -> None:
    from granian import Granian

    # Checked here, before any worker starts: a worker refusing at import would be respawned
    # again and again (``respawn_failed_workers``).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    from zdrave.startup import refuse_insecure_start, refuse_unusable_settings

    refuse_unusable_settings()
    refuse_insecure_start()
    Granian(**settings()).serve()


if __name__ == "__main__":
    main()
