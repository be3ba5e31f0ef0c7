"""Call the project's WSGI application (the lean eligibility path in front of Django,
``zdrave.providers.network.lean.dispatcher``) or Django's alone, as gunicorn would."""

from __future__ import annotations

import io
import sys
from urllib.parse import urlencode

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from zdrave.providers.network.lean import dispatcher

DJANGO = WSGIHandler()
PROJECT = dispatcher(DJANGO)
URL = "/api/v1/eligibility/"


def call(app, params=None, *, key="", path=URL, method="GET", language="bg", https=False,
         host="testserver", query=None, **extra):  # fmt: skip
    """(status code, headers as a dict, body bytes)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query if query is not None else urlencode(params or {}),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443" if https else "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_ACCEPT_LANGUAGE": language,
        "wsgi.url_scheme": "https" if https else "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }
    if key:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"], answered["headers"] = int(status.split()[0]), dict(headers)

    # As Django's test client: the test's transaction holds the connection open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answered["status"], answered["headers"], body
