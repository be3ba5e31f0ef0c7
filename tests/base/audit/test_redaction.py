"""Issue 8: the one-time sign-in token never reaches a server log line."""

from __future__ import annotations

import logging

import pytest

TOKEN = "eyJpZCI6N30:1vQ2ab:Zk3x-secret"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.mark.parametrize("name", ["django.server", "django.request"])
def test_request_logs_show_the_sign_in_path_without_its_token(name):
    logger = logging.getLogger(name)
    collect = Collect()
    logger.addHandler(collect)
    try:
        # What runserver's WSGIRequestHandler.log_message and django.request write.
        logger.warning(
            '"%s" %s %s', f"GET /extra-care/opinions/sign-in/{TOKEN}/ HTTP/1.1", "302", "0"
        )
        logger.warning(f"Not Found: /extra-care/opinions/sign-in/{TOKEN}/")
    finally:
        logger.removeHandler(collect)

    assert collect.lines == [
        '"GET /extra-care/opinions/sign-in/[hidden]/ HTTP/1.1" 302 0',
        "Not Found: /extra-care/opinions/sign-in/[hidden]/",
    ]
