"""The weekly schedule (每周监督安排, seed 000: 每周按照确定的交易计划，向社会监督员名录库中的成员发布项目信息
和时间安排、项目名称、开评标具体地点): on the pack's weekday and time the tick fixes next week's openings,
evaluations, draws, negotiations and auctions from the room schedule (``venues``) and sends it to every supervisor
in office — inbox (with the link to the workbench) and SMS through the gateway. The stored items are the public part:
project, session, time, room and place; never a bidder or an expert (the bookings know neither). Never commits."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.formatting import local_time
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.supervision import registry, settings
from sunshine.supervision.models import Schedule
from sunshine.trading.models import Project
from sunshine.venues import service as venues
from sunshine.venues.models import Booking, Room

MESSAGE_KIND = "supervision_schedule"
#: the sessions a supervisor may watch (seed 000: 开标、评标现场), by the booking's purpose
WATCHED = ("opening", "evaluation", "draw", "negotiation", "auction")


def _local(day: date, minute: int = 0) -> datetime:
    tz = get_settings().tz
    return datetime.combine(day, time(0, 0), tzinfo=tz) + timedelta(minutes=minute)


def send_moment(session: Session, today: date) -> tuple[datetime, date]:
    """This week's sending moment and the Monday of the week it announces."""
    s = settings.read(session)
    monday = today - timedelta(days=today.weekday())
    moment = _local(monday + timedelta(days=max(1, min(7, s.schedule_weekday)) - 1), s.schedule_minute)
    return moment, monday + timedelta(days=7)


def sessions_between(session: Session, since: datetime, until: datetime) -> list[tuple[Booking, Room, Project | None]]:
    rows = [b for b in venues.schedule(session, since=since, until=until) if b.purpose in WATCHED]
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_({b.room_id for b in rows})))}
    ids = {b.project_id for b in rows if b.project_id}
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(ids)))} if ids else {}
    return [(b, rooms[b.room_id], projects.get(b.project_id)) for b in rows if rooms[b.room_id].active]


def item(booking: Booking, room: Room, project: Project | None) -> dict:
    """One session as the schedule shows it to anyone: no bidder, no expert."""
    return {
        "booking_id": booking.id,
        "purpose": booking.purpose,
        "purpose_label": venues.PURPOSES[booking.purpose],
        "project_code": project.code if project else None,
        "project_name": project.name if project else booking.title,
        "starts_at": booking.starts_at.isoformat(),
        "ends_at": booking.ends_at.isoformat(),
        "room": room.name,
        "location": room.location,
    }


def generate(session: Session, week_start: date) -> Schedule:
    """Fix and send the schedule of the week starting ``week_start`` (a Monday); once per week."""
    existing = session.scalar(select(Schedule).where(Schedule.week_start == week_start))
    if existing is not None:
        return existing
    since = _local(week_start)
    items = [item(*row) for row in sessions_between(session, since, since + timedelta(days=7))]
    row = Schedule(
        week_start=week_start,
        generated_at=clock.now(),
        items_json=json.dumps(items, ensure_ascii=False),
        recipients=0,
    )
    session.add(row)
    session.flush()
    week = f"{week_start:%m月%d日}—{week_start + timedelta(days=6):%m月%d日}"
    lines = [
        f"{local_time(datetime.fromisoformat(i['starts_at']), '%m-%d %H:%M')} {i['purpose_label']} "
        f"{i['project_name']} {i['room']}"
        for i in items
    ]
    body = (
        (f"下周（{week}）共 {len(items)} 个场次：" + "；".join(lines)) if items else f"下周（{week}）没有开评标场次。"
    )
    sent = 0
    for sup in registry.active(session):
        if sup.user_id is None:
            continue
        messaging.send(
            session,
            user_id=sup.user_id,
            subject="下周开评标监督安排",
            body=body + " 请登录平台选择参加的场次（观察席有限）。",
            link="/supervision/me",
            sms_to=sup.phone,
            kind=MESSAGE_KIND,
        )
        sent += 1
    row.recipients = sent
    session.flush()
    ledger.append(
        session,
        "supervision:schedule:issued",
        f"supervision-schedule:{week_start.isoformat()}",
        {"week_start": week_start.isoformat(), "sessions": len(items), "recipients": sent},
    )
    return row


def tick(session: Session) -> list[str]:
    """Send next week's schedule once this week's sending moment has passed (the weeks already sent are kept)."""
    now = clock.now()
    moment, week_start = send_moment(session, clock.today_local())
    if now < moment or session.scalar(select(Schedule.id).where(Schedule.week_start == week_start)) is not None:
        return []
    generate(session, week_start)
    return [week_start.isoformat()]


def latest(session: Session) -> Schedule | None:
    return session.scalar(select(Schedule).order_by(Schedule.week_start.desc()).limit(1))


def items_of(row: Schedule | None) -> list[dict]:
    if row is None:
        return []
    out = json.loads(row.items_json)
    for i in out:
        i["starts"] = datetime.fromisoformat(i["starts_at"])
        i["ends"] = datetime.fromisoformat(i["ends_at"])
    return out


def history(session: Session, limit: int = 20) -> list[Schedule]:
    return list(session.scalars(select(Schedule).order_by(Schedule.week_start.desc()).limit(limit)))
