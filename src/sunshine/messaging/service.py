"""Sending a message to a person: ``send`` writes it to their inbox and queues the SMS and voice call it
asks for; the queued deliveries are handed to the configured gateway (``messaging.gateway``) only once
the caller's unit of work commits (``core.after_commit``), so a rolled-back step sends nothing. A delivery
the gateway refuses stays queued and the tick retries it (``deliver_pending``); a row is claimed before
it is sent, so two senders never send the same text.

Messages carry no ledger entry: who was told what is personal (an expert's call to an evaluation, for
one, is confidential until the results), and the step that sends a message records itself.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from sunshine.core import after_commit, clock
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.messaging.gateway import gateway_for
from sunshine.messaging.models import Delivery, GatewayRecord, InboxMessage

log = logging.getLogger("sunshine.messaging")

MAX_ATTEMPTS = 8
CLAIM_TIMEOUT = timedelta(minutes=10)  # a sender that died holding a claim gives it up after this
AFTER_COMMIT = "messaging"
SMS_PREFIX = "【阳光交易】"
MAX_SMS_CHARS = 300

#: kind -> Chinese label; every caller registers the kinds it sends (``register_kind``)
KINDS: dict[str, str] = {"notice": "平台通知"}
#: kinds whose text is never shown on the centre's gateway page (the SMS of a confidential step)
CONFIDENTIAL: set[str] = set()
CHANNEL_LABELS = {"sms": "短信", "voice": "语音电话"}

PHONE = re.compile(r"^\+?[0-9][0-9\-]{5,19}$")


def register_kind(code: str, label_zh: str, *, confidential: bool = False) -> None:
    """A kind of message with its Chinese label; ``confidential`` keeps its text and number off staff pages."""
    KINDS[code] = label_zh
    if confidential:
        CONFIDENTIAL.add(code)


def kind_label(code: str) -> str:
    return KINDS.get(code, "平台通知")


def _phone(value: str, field_name: str) -> str:
    phone = re.sub(r"[\s]", "", value or "")
    if not PHONE.match(phone):
        raise InvalidInput("电话号码格式不正确", field=field_name)
    return phone


def mask_phone(phone: str) -> str:
    """138****5678 — the first three and last four digits of a mobile number, the rest hidden."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def send(
    session: Session,
    *,
    user_id: int,
    subject: str,
    body: str,
    link: str | None = None,
    sms_to: str | None = None,
    voice_to: str | None = None,
    kind: str,
) -> InboxMessage:
    """A platform message in the person's inbox, plus an SMS to ``sms_to`` and a voice call to ``voice_to``
    (either optional), handed to the gateway once this unit of work commits."""
    if kind not in KINDS:
        raise ValueError(f"unregistered message kind {kind!r}")
    if link is not None and not (link.startswith("/") and not link.startswith("//")):
        raise ValueError("a message links to a page of this site only")
    now = clock.now()
    message = InboxMessage(
        user_id=user_id, kind=kind, subject=subject[:300], body=body, link=link, created_at=now, read_at=None
    )
    session.add(message)
    session.flush()
    for channel, to in (("sms", sms_to), ("voice", voice_to)):
        if to:
            _queue(session, message.id, user_id, kind, channel, to, subject, body)
    return message


def _sms_text(subject: str, body: str) -> str:
    text = f"{SMS_PREFIX}{subject}：{body}"
    return text[: MAX_SMS_CHARS - 1] + "…" if len(text) > MAX_SMS_CHARS else text


def _queue(
    session: Session,
    message_id: int | None,
    user_id: int | None,
    kind: str,
    channel: str,
    to: str,
    subject: str,
    body: str,
) -> Delivery:
    row = Delivery(
        message_id=message_id,
        user_id=user_id,
        kind=kind,
        channel=channel,
        phone=_phone(to, f"{channel}_to"),
        text=_sms_text(subject, body) if channel == "sms" else f"{subject}。{body}",
        confidential=kind in CONFIDENTIAL,
        created_at=clock.now(),
        attempts=0,
    )
    session.add(row)
    session.flush()
    after_commit.defer(session, AFTER_COMMIT, row.id)
    return row


def send_sms(session: Session, *, phone: str, subject: str, body: str, kind: str) -> Delivery:
    """An SMS to a number that has no account on the platform (so no inbox): a person the centre's staff entered
    from a paper form. Queued like any other and handed to the gateway once this unit of work commits."""
    if kind not in KINDS:
        raise ValueError(f"unregistered message kind {kind!r}")
    return _queue(session, None, None, kind, "sms", phone, subject, body)


# --------------------------------------------------------------------------- the inbox

INBOX_ORDER = Keyset.of("inbox", InboxMessage.created_at, InboxMessage.id)


def inbox(
    session: Session, user_id: int, *, unread_only: bool = False, cursor: str | None = None, limit: int | None = None
) -> Page[InboxMessage]:
    stmt = select(InboxMessage).where(InboxMessage.user_id == user_id)
    if unread_only:
        stmt = stmt.where(InboxMessage.read_at.is_(None))
    return paginate(session, stmt, INBOX_ORDER, cursor=cursor, limit=limit)


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(select(func.count()).where(InboxMessage.user_id == user_id, InboxMessage.read_at.is_(None))) or 0
    )


def message_of(session: Session, user_id: int, message_id: int) -> InboxMessage:
    """One of the person's own messages; anyone else's answers 404."""
    message = session.get(InboxMessage, message_id)
    if message is None or message.user_id != user_id:
        raise NotFound("没有这条消息")
    return message


def mark_read(session: Session, user_id: int, message_id: int) -> InboxMessage:
    message = message_of(session, user_id, message_id)
    if message.read_at is None:
        message.read_at = clock.now()
    return message


def mark_all_read(session: Session, user_id: int) -> int:
    result = session.execute(
        update(InboxMessage)
        .where(InboxMessage.user_id == user_id, InboxMessage.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return result.rowcount or 0


# --------------------------------------------------------------------------- handing deliveries to the gateway


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def _claim(factory: sessionmaker, ids: list[int] | None, limit: int) -> list[Delivery]:
    """Claim the deliveries to send by one UPDATE … RETURNING (atomic: a row another sender claimed is not free any
    more and is not returned), then read them."""
    now = clock.now()
    free = or_(Delivery.claimed_at.is_(None), Delivery.claimed_at < now - CLAIM_TIMEOUT)
    with factory() as session, session.begin():
        wanted = (
            select(Delivery.id)
            .where(Delivery.sent_at.is_(None), Delivery.attempts < MAX_ATTEMPTS, free)
            .order_by(Delivery.id)
            .limit(limit)
        )
        if ids is not None:
            wanted = wanted.where(Delivery.id.in_(ids))
        claimed = session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(wanted.scalar_subquery()), Delivery.sent_at.is_(None), free)
            .values(claimed_at=now)
            .returning(Delivery.id)
            .execution_options(synchronize_session=False)
        ).all()
        if not claimed:
            return []
        rows = list(session.scalars(select(Delivery).where(Delivery.id.in_(claimed)).order_by(Delivery.id)))
        session.expunge_all()
        return rows


def deliver(bind, ids: list[int] | None = None, *, limit: int = 200) -> DeliveryReport:
    """Hand the deliveries ``ids`` (or every unsent one) to the gateway, each in its own transaction, and
    record the outcome; a simulated gateway's record commits with the "sent" mark."""
    factory = sessionmaker(bind, expire_on_commit=False)
    report = DeliveryReport()
    for row in _claim(factory, ids, limit):
        try:
            with factory() as session, session.begin():
                gateway = gateway_for(session)
                send = gateway.send_sms if row.channel == "sms" else gateway.call_voice
                reference = send(row.id, row.phone, row.text)
                session.execute(
                    update(Delivery)
                    .where(Delivery.id == row.id)
                    .values(
                        sent_at=clock.now(),
                        gateway=gateway.name,
                        gateway_ref=str(reference)[:100],
                        attempts=Delivery.attempts + 1,
                        last_error=None,
                    )
                )
        except Exception as exc:
            log.warning("%s delivery %s not sent: %s", row.channel, row.id, exc)
            with factory() as session, session.begin():
                session.execute(
                    update(Delivery)
                    .where(Delivery.id == row.id)
                    .values(claimed_at=None, attempts=Delivery.attempts + 1, last_error=str(exc)[:500])
                )
            report.failed.append(row.id)
        else:
            report.sent.append(row.id)
    return report


after_commit.register(AFTER_COMMIT, lambda bind, ids: deliver(bind, ids))


def deliver_pending(bind, *, limit: int = 200) -> DeliveryReport:
    """The tick's part: hand over whatever is still queued (a failed or interrupted earlier send)."""
    return deliver(bind, None, limit=limit)


# --------------------------------------------------------------------------- the centre's view of the gateway

GATEWAY_ORDER = Keyset.of("gateway", Delivery.created_at, Delivery.id)


@dataclass(frozen=True)
class GatewayLine:
    """One delivery as the centre sees it: number masked; a confidential kind's text withheld."""

    id: int
    kind: str
    channel: str
    phone: str
    text: str | None
    created_at: object
    sent_at: object
    attempts: int
    last_error: str | None
    gateway: str | None


def gateway_log(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[GatewayLine]:
    page = paginate(session, select(Delivery), GATEWAY_ORDER, cursor=cursor, limit=limit)
    lines = [
        GatewayLine(
            id=d.id,
            kind=kind_label(d.kind),
            channel=CHANNEL_LABELS.get(d.channel, d.channel),
            phone="***********" if d.confidential else mask_phone(d.phone),
            text=None if d.confidential else d.text,
            created_at=d.created_at,
            sent_at=d.sent_at,
            attempts=d.attempts,
            last_error=d.last_error,
            gateway=d.gateway,
        )
        for d in page.items
    ]
    return Page(lines, page.next_cursor, page.limit, page.number, page.total, page.total_exact)


def received(session: Session, phone: str) -> list[GatewayRecord]:
    """What the simulated gateway received for ``phone``, oldest first (tests and the demo's 'phone')."""
    return list(session.scalars(select(GatewayRecord).where(GatewayRecord.phone == phone).order_by(GatewayRecord.id)))
