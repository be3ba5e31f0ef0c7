"""The eligibility API instance's granian settings come from the environment (issue 12;
docs/deployment.md): one Python thread per worker and one worker per core unless told,
the project's WSGI application, HTTP/1.1 without websockets, its access log redacted."""

from __future__ import annotations

import io
import logging
import os
import time

from django.utils.module_loading import import_string
from granian.constants import HTTPModes, Interfaces
from granian.log import log_request_builder

from zdrave import granian_conf


def test_defaults_one_thread_per_worker_and_a_worker_per_core():
    given = granian_conf.settings({})
    assert given["target"] == "zdrave.wsgi:application"
    assert given["interface"] == Interfaces.WSGI
    assert (given["address"], given["port"]) == ("127.0.0.1", 8000)
    assert given["workers"] == (os.cpu_count() or 1)
    assert given["blocking_threads"] == 1
    assert given["http"] == HTTPModes.http1
    assert given["websockets"] is False
    assert given["respawn_failed_workers"] is True
    assert given["log_access"] is True


def test_bind_workers_and_threads_from_the_environment():
    given = granian_conf.settings(
        {"ZDRAVE_BIND": "0.0.0.0:8001", "ZDRAVE_WORKERS": "4", "ZDRAVE_THREADS": "2"}
    )
    assert (given["address"], given["port"]) == ("0.0.0.0", 8001)  # noqa: S104
    assert (given["workers"], given["blocking_threads"]) == (4, 2)


def test_the_access_log_cuts_a_sign_in_token_from_the_path(monkeypatch):
    """The line as granian's own access logger makes it (``log_request_builder``), through the
    filters the project's logging configuration puts on its handler."""
    config = granian_conf.LOGGING
    handler = logging.StreamHandler(io.StringIO())
    for name in config["handlers"]["access"]["filters"]:
        handler.addFilter(import_string(config["filters"][name]["()"])())
    access = logging.getLogger("granian.access")
    monkeypatch.setattr(access, "handlers", [handler])
    monkeypatch.setattr(access, "propagate", False)
    monkeypatch.setattr(access, "level", access.level)  # restored after the test
    access.setLevel(logging.INFO)  # (setLevel clears the loggers' cached levels)
    request = {"addr_remote": "10.0.0.5", "path": "/extra-care/opinions/sign-in/Zq9-SECRET/",
               "qs": "next=/home/", "method": "GET", "scheme": "http", "protocol": "HTTP/1.1",
               "headers": {"x-forwarded-for": "192.0.2.4"}.get}  # fmt: skip
    log_request_builder(granian_conf.ACCESS_LOG_FORMAT)(
        time.time(), time.perf_counter(), request, 302
    )
    line = handler.stream.getvalue()
    assert line.startswith("192.0.2.4 10.0.0.5 [")
    assert '"GET /extra-care/opinions/sign-in/[hidden]/" 302 ' in line
    assert "Zq9-SECRET" not in line
    assert "next=" not in line
