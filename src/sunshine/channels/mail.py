"""Sending mail: a backend chosen by ``SUNSHINE_MAIL_BACKEND`` (``smtp``, or ``log`` — an mbox file in
the data folder, so the demo needs no mail server) and an outbox that sends only after the commit.

Services call ``queue``: the mail is written to ``mail_outbox`` in the caller's unit of work, and once
that unit of work commits the mail is sent (a rolled-back step sends nothing). A mail whose sending
fails stays in the outbox and the tick tries again (``deliver_pending``); a row is claimed before it is
sent, so two senders never send the same mail.
"""

from __future__ import annotations

import json
import logging
import mailbox
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from sunshine.channels.models import OutboxMail
from sunshine.config import Settings, get_settings
from sunshine.core import after_commit, clock

log = logging.getLogger("sunshine.mail")

MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)  # a sender that died holding a claim gives it up after this
AFTER_COMMIT = "mail"  # the outbox ids a unit of work queued, sent once it commits (core.after_commit)


# --------------------------------------------------------------------------- backends


class MailBackend(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class LogBackend:
    """Appends every mail to ``mail.mbox`` in the data folder (readable with any mail client)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            box = mailbox.mbox(str(self.path))
            try:
                box.lock()
                box.add(message)
                box.flush()
            finally:
                box.unlock()
                box.close()


class SmtpBackend:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 20.0,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.ehlo()
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def backend_for(settings: Settings) -> MailBackend:
    name = settings.mail_backend.strip().lower()
    if name == "log":
        return LogBackend(settings.data_dir / "mail.mbox")
    if name == "smtp":
        return SmtpBackend(
            settings.smtp_host,
            settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout,
        )
    raise ValueError(f"SUNSHINE_MAIL_BACKEND 应为 smtp 或 log，而不是 {settings.mail_backend!r}")


# --------------------------------------------------------------------------- the outbox


def queue(
    session: Session,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    subscription_id: int | None = None,
) -> OutboxMail:
    """Write a mail to the outbox in the caller's unit of work; it is sent after the commit."""
    row = OutboxMail(
        kind=kind,
        subscription_id=subscription_id,
        recipient=recipient,
        subject=subject[:300],
        body=body,
        headers=json.dumps(headers or {}, ensure_ascii=False),
        created_at=clock.now(),
        attempts=0,
    )
    session.add(row)
    session.flush()
    after_commit.defer(session, AFTER_COMMIT, row.id)
    return row


def _message(row: OutboxMail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(clock.now())
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "sunshine.invalid"
    message["Message-ID"] = make_msgid(idstring=f"outbox{row.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in json.loads(row.headers or "{}").items():
        message[name] = value
    message.set_content(row.body, charset="utf-8")
    return message


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _claim(factory: sessionmaker, ids: list[int] | None, limit: int) -> list[OutboxMail]:
    now = clock.now()
    with factory() as session, session.begin():
        stmt = (
            select(OutboxMail.id)
            .where(
                OutboxMail.sent_at.is_(None),
                OutboxMail.cancelled_at.is_(None),
                OutboxMail.attempts < MAX_ATTEMPTS,
                or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < now - CLAIM_TIMEOUT),
            )
            .order_by(OutboxMail.id)
            .limit(limit)
        )
        if ids is not None:
            stmt = stmt.where(OutboxMail.id.in_(ids))
        claimed = []
        for outbox_id in session.scalars(stmt).all():
            result = session.execute(
                update(OutboxMail)
                .where(
                    OutboxMail.id == outbox_id,
                    OutboxMail.sent_at.is_(None),
                    or_(OutboxMail.claimed_at.is_(None), OutboxMail.claimed_at < now - CLAIM_TIMEOUT),
                )
                .values(claimed_at=now)
            )
            if result.rowcount == 1:
                claimed.append(outbox_id)
        rows = list(session.scalars(select(OutboxMail).where(OutboxMail.id.in_(claimed)).order_by(OutboxMail.id)))
        session.expunge_all()
        return rows


def deliver(bind, ids: list[int] | None = None, *, limit: int = 200, backend: MailBackend | None = None):
    """Send the outbox mails ``ids`` (or every unsent one), each in the open, and record the outcome."""
    settings = get_settings()
    factory = sessionmaker(bind, expire_on_commit=False)
    rows = _claim(factory, ids, limit)
    report = DeliveryReport()
    if not rows:
        return report
    backend = backend or backend_for(settings)
    for row in rows:
        try:
            backend.send(_message(row, settings))
        except Exception as exc:
            log.warning("mail %s to subscription %s not sent: %s", row.id, row.subscription_id, exc)
            outcome = {"claimed_at": None, "attempts": OutboxMail.attempts + 1, "last_error": str(exc)[:500]}
            report.failed.append(row.id)
        else:
            outcome = {"sent_at": clock.now(), "attempts": OutboxMail.attempts + 1, "last_error": None}
            report.sent.append(row.id)
        with factory() as session, session.begin():
            session.execute(update(OutboxMail).where(OutboxMail.id == row.id).values(**outcome))
    return report


after_commit.register(AFTER_COMMIT, lambda bind, ids: deliver(bind, ids))


def deliver_pending(bind, *, limit: int = 200) -> DeliveryReport:
    """The tick's part: send whatever the outbox still holds (a failed or interrupted earlier send)."""
    return deliver(bind, None, limit=limit)


def address(value: str) -> str:
    """``value`` checked as one plain mailbox address (no display name, no header injection)."""
    if any(ch in "\r\n,;<>\"'()[]\\ \t" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value) or value.count("@") != 1:
        raise ValueError("邮箱地址格式不正确")
    local, _, domain = value.rpartition("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise ValueError("邮箱地址格式不正确")
    Address(username=local, domain=domain)  # raises on what the mail library cannot write
    return f"{local}@{domain.lower()}"
