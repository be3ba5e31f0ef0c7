"""gunicorn settings for the production run: ``gunicorn -c python:zdrave.gunicorn_conf zdrave.wsgi``
(docs/deployment.md). Environment: ``ZDRAVE_BIND`` (default 127.0.0.1:8000, behind the proxy),
``ZDRAVE_WORKERS`` (default 3), ``ZDRAVE_FORWARDED_ALLOW_IPS`` (the proxy's address),
``ZDRAVE_WORKER_CLASS`` (default ``sync``; ``gthread`` keeps connections alive between requests)
and ``ZDRAVE_THREADS`` (default 1; threads per worker, for ``gthread``)."""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

from zdrave.base.audit.redaction import redact_secrets

bind = os.environ.get("ZDRAVE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ZDRAVE_WORKERS", "3"))
worker_class = os.environ.get("ZDRAVE_WORKER_CLASS", "sync")
threads = int(os.environ.get("ZDRAVE_THREADS", "1"))
forwarded_allow_ips = os.environ.get("ZDRAVE_FORWARDED_ALLOW_IPS", "127.0.0.1")
timeout = 60
# Refuse oversized request lines and headers before Django sees them.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
# The path without its query string (%(U)s), never the request line; the forwarded client address.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class RedactingLogger(Logger):
    """Cuts the one-time tokens of sign-in and reset links from every access-log field."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger
