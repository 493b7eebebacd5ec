"""The opinion box (意见箱, seed 000: 在每个开标、评标室内设立监督员意见箱…也可以登录阳光政务专栏提交): an opinion
left by scanning a room's QR, for a session, at an open day or online, by a supervisor, an invitee or any visitor;
routed by its topic to the body that must answer (the procedure and discipline to the supervisory department, the
rest to the centre) with a time limit from the pack counted on the working-day calendar (``core.caseclock``);
overdue opinions raise one alert each (``core.alerts``); the answer may be proposed for publication, which the
disclosure office reviews before anything is public. Authors follow their opinion by tracking number and lookup
code. Other domains receive each published opinion through ``on_published`` (governance's public-opinion items)
and may read them with ``published``. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, caseclock, clock
from sunshine.core import calendar as work_calendar
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.supervision import labels, registry, settings
from sunshine.supervision.models import OpenDay, Opinion
from sunshine.venues.models import Booking, Room

#: topic → the role that answers it
ROUTES: dict[str, Role] = {
    "procedure": Role.SUPERVISOR,
    "discipline": Role.SUPERVISOR,
    "venue": Role.CENTRE_STAFF,
    "service": Role.CENTRE_STAFF,
    "other": Role.CENTRE_STAFF,
}
REVIEWERS = frozenset({Role.DISCLOSURE_OFFICE})
ALERT_KIND = "opinion_overdue"
_LISTENERS: list[Callable[[Session, dict], None]] = []


def on_published(listener: Callable[[Session, dict], None]) -> None:
    """Register a domain's handler of each published opinion (called with ``public_view`` of it)."""
    _LISTENERS.append(listener)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def subject(row: Opinion) -> str:
    return f"opinion:{row.code}"


def submit(
    session: Session,
    actor: Principal,
    *,
    channel: str,
    topic: str,
    body: str,
    contact: str = "",
    room_id: int | None = None,
    booking_id: int | None = None,
    open_day_id: int | None = None,
) -> tuple[Opinion, str]:
    """Leave an opinion; returns it and the lookup code (shown once to the author)."""
    if channel not in labels.OPINION_CHANNELS:
        raise InvalidInput("意见来源不正确", field="channel")
    if topic not in labels.OPINION_TOPICS:
        raise InvalidInput("请选择意见类别", field="topic")
    body = (body or "").strip()
    if not 5 <= len(body) <= 2000:
        raise InvalidInput("意见内容应为5至2000字", field="body")
    contact = (contact or "").strip()
    if len(contact) > 60:
        raise InvalidInput("联系方式不超过60字", field="contact")
    if room_id is not None and session.get(Room, room_id) is None:
        raise NotFound("场室不存在")
    if booking_id is not None:
        b = session.get(Booking, booking_id)
        if b is None:
            raise NotFound("场次不存在")
        room_id = room_id or b.room_id
    if open_day_id is not None and session.get(OpenDay, open_day_id) is None:
        raise NotFound("开放日不存在")
    sup = registry.of_user(session, actor.user_id)
    author = ("special" if sup.kind == "special" else "supervisor") if sup else ("invitee" if open_day_id else "public")
    today = clock.today_local()
    limit = settings.read(session).opinion_days
    due = caseclock.due_date(work_calendar.load(session), today, limit).due or today
    code = "YJ" + clock.now().strftime("%Y%m%d") + secrets.token_hex(3).upper()
    lookup = secrets.token_urlsafe(6)
    row = Opinion(
        code=code,
        lookup_hash=_hash(lookup),
        channel=channel,
        room_id=room_id,
        booking_id=booking_id,
        open_day_id=open_day_id,
        author_user_id=actor.user_id,
        author_kind=author,
        contact=contact,
        topic=topic,
        body=body,
        responsible=ROUTES[topic].value,
        received_at=clock.now(),
        due_on=due,
        publish="none",
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "supervision:opinion:received",
        subject(row),
        {"channel": channel, "topic": topic, "responsible": row.responsible, "due_on": due.isoformat()},
    )
    return row, lookup


def responsible_label(row: Opinion) -> str:
    return Role(row.responsible).label


def may_handle(actor: Principal, row: Opinion) -> bool:
    return row.responsible in {r.value for r in actor.roles}


def readable(actor: Principal):
    """The opinions a staff member sees: those routed to their roles; the disclosure office those proposed."""
    roles = {r.value for r in actor.roles}
    stmt = select(Opinion)
    if actor.has(*REVIEWERS):
        return stmt.where((Opinion.responsible.in_(roles)) | (Opinion.publish != "none"))
    return stmt.where(Opinion.responsible.in_(roles))


QUEUE_ORDER = Keyset.of("supervision-opinions", Key(Opinion.due_on, False), Key(Opinion.id, False))
PUBLISHED_ORDER = Keyset.of("supervision-published", Opinion.published_at, Opinion.id)


def queue(session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None) -> Page[Opinion]:
    """The opinions ``actor`` handles, the nearest due day first, one page at a time."""
    return paginate(session, readable(actor), QUEUE_ORDER, cursor=cursor, limit=limit)


def get_for(session: Session, actor: Principal, opinion_id: int) -> Opinion:
    row = session.scalar(readable(actor).where(Opinion.id == opinion_id))
    if row is None:
        raise NotFound("意见不存在")
    return row


def track(session: Session, code: str, lookup: str) -> Opinion:
    row = session.scalar(select(Opinion).where(Opinion.code == (code or "").strip()[:24]))
    if row is None or not secrets.compare_digest(row.lookup_hash, _hash((lookup or "").strip())):
        raise NotFound("没有找到该意见，请核对编号和查询码")
    return row


def answer(session: Session, actor: Principal, opinion_id: int, *, text: str, propose_publish: bool) -> Opinion:
    """答复: by the body the opinion was routed to; may propose it for publication (reviewed first)."""
    row = get_for(session, actor, opinion_id)
    if not may_handle(actor, row):
        raise Forbidden(f"该意见由{responsible_label(row)}答复")
    if row.answered_at is not None:
        raise Conflict("该意见已答复")
    text = (text or "").strip()
    if not 5 <= len(text) <= 3000:
        raise InvalidInput("答复内容应为5至3000字", field="text")
    row.answer, row.answered_by, row.answered_at = text, actor.user_id, clock.now()
    row.publish = "proposed" if propose_publish else "none"
    session.flush()
    alerts.resolve(session, subject_kind="supervision_opinion", subject_id=row.id)
    ledger.append(
        session,
        "supervision:opinion:answered",
        subject(row),
        {"on_time": clock.today_local() <= row.due_on, "proposed": propose_publish},
    )
    return row


def review(session: Session, actor: Principal, opinion_id: int, *, publish: bool, reason: str = "") -> Opinion:
    """公开审查: the disclosure office publishes the opinion and its answer, or withholds them with a reason."""
    if not actor.has(*REVIEWERS):
        raise Forbidden("意见的公开由政务公开办审查")
    row = get_for(session, actor, opinion_id)
    if row.publish != "proposed":
        raise Conflict("该意见未提请公开或已审查")
    reason = (reason or "").strip()
    if not publish and not reason:
        raise InvalidInput("请填写不予公开的理由", field="reason")
    row.publish, row.publish_reason = ("published" if publish else "withheld"), reason[:500] or None
    if publish:
        row.published_at = clock.now()
    session.flush()
    if publish:
        ledger.append(session, "supervision:opinion:published", subject(row), {"topic": row.topic})
        view = public_view(session, row)
        for listener in _LISTENERS:
            listener(session, view)
    return row


def public_view(session: Session, row: Opinion) -> dict:
    """What anyone may read of a published opinion: never the author or the contact."""
    room = session.get(Room, row.room_id) if row.room_id else None
    return {
        "code": row.code,
        "channel_label": labels.OPINION_CHANNELS[row.channel],
        "topic_label": labels.OPINION_TOPICS[row.topic],
        "author_label": labels.AUTHOR_KINDS[row.author_kind],
        "room": room.name if room else None,
        "body": row.body,
        "answer": row.answer,
        "answered_by_label": responsible_label(row),
        "received_at": row.received_at,
        "answered_at": row.answered_at,
        "published_at": row.published_at,
    }


def published(session: Session, limit: int = 50, since: datetime | None = None) -> list[dict]:
    """Published opinions with their answers, newest first (the hub; other domains' reading function)."""
    stmt = select(Opinion).where(Opinion.publish == "published")
    if since is not None:
        stmt = stmt.where(Opinion.published_at >= since)
    rows = session.scalars(stmt.order_by(Opinion.published_at.desc(), Opinion.id.desc()).limit(limit))
    return [public_view(session, r) for r in rows]


def published_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[dict]:
    """``published`` one page at a time."""
    stmt = select(Opinion).where(Opinion.publish == "published")
    page = paginate(session, stmt, PUBLISHED_ORDER, cursor=cursor, limit=limit)
    return Page([public_view(session, r) for r in page.items], page.next_cursor, page.limit, page.number)


def raise_overdue(session: Session, today: date | None = None) -> list[str]:
    """Tick: every unanswered opinion past its due day raises one alert to the body that must answer."""
    today = today or clock.today_local()
    stmt = select(Opinion).where(Opinion.answered_at.is_(None), Opinion.due_on < today)
    raised = []
    for row in session.scalars(stmt.order_by(Opinion.id)):
        key = f"supervision:opinion:{row.id}:overdue"
        alert = alerts.raise_once(
            session,
            key=key,
            domain="supervision",
            kind=ALERT_KIND,
            subject_kind="supervision_opinion",
            subject_id=row.id,
            message=f"意见 {row.code}（{labels.OPINION_TOPICS[row.topic]}）应于 {row.due_on} 前答复，已逾期",
            audience=[row.responsible],
            due=row.due_on,
        )
        if alert is not None:
            raised.append(key)
    return raised
