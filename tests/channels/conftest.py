"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every mail it receives, with the app's mail
backend pointed at it: tests assert what a subscriber's mailbox would hold."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from sunshine.config import get_settings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailSink:
    """The mails received, parsed; ``envelopes`` keeps the SMTP recipients of each."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, rcpt in zip(self.messages, self.envelopes, strict=True) if address in rcpt]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()


@pytest.fixture
def mail_sink(monkeypatch, environment) -> Iterator[MailSink]:
    sink = MailSink(port=_free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    monkeypatch.setenv("SUNSHINE_MAIL_BACKEND", "smtp")
    monkeypatch.setenv("SUNSHINE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SUNSHINE_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("SUNSHINE_SMTP_TIMEOUT", "5")
    monkeypatch.setenv("SUNSHINE_PUBLIC_URL", "https://testserver")
    get_settings.cache_clear()
    try:
        yield sink
    finally:
        controller.stop()
        get_settings.cache_clear()
