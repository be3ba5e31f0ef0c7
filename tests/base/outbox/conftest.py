"""Fixtures for the outbox: a real SMTP server on loopback (aiosmtpd) and the real worker."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from zdrave.base.identity.models import Role, User


def free_port() -> int:
    """A loopback port nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RecordingHandler:
    """Accepts every message and keeps the envelopes; ``refuse`` makes RCPT TO fail with 550."""

    envelopes: list = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = RecordingHandler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def envelopes(self) -> list:
        return self.handler.envelopes


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """A real SMTP server on 127.0.0.1 that is NOT started yet (tests decide when it is up)."""
    server = SmtpServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def mail_via_smtp(settings, smtp_port):
    """The production configuration: our backend, an SMTP host set (ZDRAVE_EMAIL_HOST/PORT)."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def mail_in_outbox_only(settings):
    """The embedded default: no SMTP host, mail is kept in the outbox for staff."""
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    settings.EMAIL_HOST = ""
    return settings


@pytest.fixture
def coordinator(db) -> User:
    return User.objects.create_user(
        "coordinator", "coordinator@zdrave.example", None, role=Role.SERVICE_COORDINATOR
    )


@pytest.fixture
def member(db) -> User:
    return User.objects.create_user("member", "member@example.bg", None, role=Role.MEMBER)
