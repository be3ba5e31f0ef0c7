"""gunicorn settings for the production run: ``gunicorn -c python:zdrave.gunicorn_conf zdrave.wsgi``
(docs/deployment.md). Environment: ``ZDRAVE_BIND`` (default 127.0.0.1:8000, behind the proxy),
``ZDRAVE_WORKERS`` (default 3), ``ZDRAVE_FORWARDED_ALLOW_IPS`` (the proxy's address),
``ZDRAVE_WORKER_CLASS`` (default ``sync``; ``gthread`` keeps connections alive between requests)
and ``ZDRAVE_THREADS`` (default 1; threads per worker, for ``gthread``)."""

from __future__ import annotations

import functools
import os
import re

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
    """Cuts the one-time tokens of sign-in and reset links from every access-log field.

    Only the atoms the format names are made (gunicorn's own ``atoms`` makes one for every
    request header, response header and environ key, and each went through the redaction: a
    tenth of a worker's CPU per eligibility check, issue 12). A format naming an atom not made
    here gets gunicorn's full set, redacted as before."""

    def atoms(self, resp, req, environ, request_time):
        names = _named(self.cfg.access_log_format)
        if names is None:
            atoms = super().atoms(resp, req, environ, request_time)
            return {
                key: redact_secrets(value) if isinstance(value, str) else value
                for key, value in atoms.items()
            }
        atoms = {}
        for name in names:
            if name.startswith("{"):  # a request header: ``{name}i``
                value = _header(req, name[1:-2])
                if value is None:
                    continue  # not sent: SafeAtoms shows "-", as for gunicorn's set
            else:
                value = _ATOM[name](self, resp, environ, request_time)
            atoms[name] = redact_secrets(value) if isinstance(value, str) else value
        return atoms


def _status(resp):
    status = resp.status
    return status.split(None, 1)[0] if isinstance(status, str) else status


def _header(req, name: str):
    for key, value in getattr(req, "headers", ()):
        if key.lower() == name:
            return value
    return None


# gunicorn's Logger.atoms, atom by atom (gunicorn 27), for the atoms a format usually names.
_ATOM = {
    "h": lambda log, resp, environ, t: environ.get("REMOTE_ADDR", "-"),
    "t": lambda log, resp, environ, t: log.now(),
    "s": lambda log, resp, environ, t: _status(resp),
    "m": lambda log, resp, environ, t: environ.get("REQUEST_METHOD"),
    "U": lambda log, resp, environ, t: environ.get("PATH_INFO"),
    "q": lambda log, resp, environ, t: environ.get("QUERY_STRING"),
    "B": lambda log, resp, environ, t: getattr(resp, "sent", None),
    "M": lambda log, resp, environ, t: t.seconds * 1000 + int(t.microseconds / 1000),
    "D": lambda log, resp, environ, t: t.seconds * 1000000 + t.microseconds,
}


@functools.cache
def _named(access_log_format: str) -> tuple[str, ...] | None:
    """The atoms a format names (``%(h)s`` → ``h``; a request header's name lower-cased, as
    gunicorn's ``SafeAtoms`` looks it up), or None when one is not made here."""
    names = []
    for name in re.findall(r"%\(([^)]+)\)", access_log_format):
        if name.startswith("{") and name.endswith("}i"):
            names.append(name.lower())
        elif name in _ATOM:
            names.append(name)
        else:
            return None
    return tuple(dict.fromkeys(names))


logger_class = RedactingLogger
