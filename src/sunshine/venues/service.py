"""The centre's rooms and their bookings: rooms managed by centre staff, a booking of a room for a time span
(never two overlapping, nor closer than the pack's gap: the room's row is locked first on both databases), the
opening booked when a notice is published or moves its opening time, an evaluation booked on the approval of the
draw request that names its room, and every booking of a project released when the project ends.

Isolation (评标区隔离): an evaluation takes place only in an evaluation room (隔离区), and an evaluation room
holds nothing but evaluations; opening halls, draw, negotiation and auction rooms are open to bidders and the
public. So the evaluation room is never the opening room, at any time; a room's kind cannot change while it
holds bookings to come. The times come from the rule pack ``centre.venues`` (平台默认值).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.trading.models import Project, Registration
from sunshine.venues.capacity import Attendance, VenueTooSmall, check_capacity  # noqa: F401 (re-exported)
from sunshine.venues.models import Booking, Room

PACK = "centre.venues"

KINDS: dict[str, str] = {
    "opening": "开标室",
    "evaluation": "评标室",
    "draw": "抽取室",
    "negotiation": "谈判室",
    "auction": "拍卖厅",
}
#: rooms in the isolated zone (评标区): bidders and the public never enter them
ISOLATED_KINDS = frozenset({"evaluation"})

PURPOSES: dict[str, str] = {
    "opening": "开标",
    "evaluation": "评标（评审）",
    "draw": "专家抽取",
    "negotiation": "谈判（磋商）",
    "auction": "拍卖",
    "other": "其他",
}
#: the kinds of room a session of each purpose may take
PURPOSE_KINDS: dict[str, frozenset[str]] = {
    "opening": frozenset({"opening"}),
    "evaluation": frozenset({"evaluation"}),
    "draw": frozenset({"draw"}),
    "negotiation": frozenset({"negotiation"}),
    "auction": frozenset({"auction"}),
    "other": frozenset(KINDS) - ISOLATED_KINDS,
}
#: which room a project's opening takes, by lifecycle (sealed bids opened in public; auctions in the hall)
OPENING_KIND_BY_LIFECYCLE = {"tender": "opening", "negotiation": "opening", "auction": "auction"}

STATES = {"booked": "已预约", "released": "已释放"}


class VenueBooked(Conflict):
    code = "venue_booked"
    title = "该场室在此时间已被预约"


class VenueUnavailable(Conflict):
    code = "venue_unavailable"
    title = "没有空闲的场室"


class VenueClosed(InvalidInput):
    code = "venue_closed"
    title = "场次不在场室开放时间内"


class VenueNotIsolated(InvalidInput):
    code = "venue_not_isolated"
    title = "评标只能在隔离区的评标室进行"


class VenueWrongKind(InvalidInput):
    code = "venue_wrong_kind"
    title = "该场室不能用于此场次"


class VenueInUse(Conflict):
    code = "venue_in_use"
    title = "该场室尚有未来的预约"


@dataclass(frozen=True)
class VenueRules:
    open_from: int  # minutes after local midnight
    open_until: int
    gap: int  # minutes
    opening_minutes: int
    evaluation_minutes: int
    evaluation_attendants: int = 2
    opening_representatives: int = 1


def venue_rules(session: Session) -> VenueRules:
    pack = rules.resolve(session, PACK, clock.today_local())
    return VenueRules(
        open_from=int(pack.rule("rooms_open_from").value),
        open_until=int(pack.rule("rooms_open_until").value),
        gap=int(pack.rule("min_gap_between_sessions").value),
        opening_minutes=int(pack.rule("opening_session_minutes").value),
        evaluation_minutes=int(pack.rule("evaluation_session_minutes").value),
        evaluation_attendants=int(pack.rule("evaluation_attendants").value) if pack.has("evaluation_attendants") else 2,
        opening_representatives=(
            int(pack.rule("opening_representatives_per_bidder").value)
            if pack.has("opening_representatives_per_bidder")
            else 1
        ),
    )


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone_label(kind: str) -> str:
    return "隔离区（评标区）" if kind in ISOLATED_KINDS else "公开区"


# --------------------------------------------------------------------------- rooms


@dataclass(frozen=True)
class RoomData:
    name: str
    kind: str
    location: str
    capacity: int
    observer_seats: int
    equipment: str
    active: bool = True


def rooms(session: Session, *, active_only: bool = False) -> list[Room]:
    stmt = select(Room).order_by(Room.kind, Room.name)
    if active_only:
        stmt = stmt.where(Room.active.is_(True))
    return list(session.scalars(stmt))


def get_room(session: Session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound("场室不存在")
    return room


def _check_room(session: Session, data: RoomData, room_id: int | None) -> RoomData:
    name = data.name.strip()
    if not name:
        raise InvalidInput("请填写场室名称", field="name")
    if data.kind not in KINDS:
        raise InvalidInput("场室类型无效", field="kind")
    if not data.location.strip():
        raise InvalidInput("请填写场室位置（楼层与区域）", field="location")
    if data.capacity < 1:
        raise InvalidInput("座位数至少为 1", field="capacity")
    if data.observer_seats < 0:
        raise InvalidInput("旁听席位不能为负数", field="observer_seats")
    if data.kind in ISOLATED_KINDS and data.observer_seats:
        raise VenueNotIsolated("评标室位于隔离区，不设旁听席位", field="observer_seats")
    same = session.scalar(select(Room).where(Room.name == name))
    if same is not None and same.id != room_id:
        raise Conflict(f"已有名为“{name}”的场室", field="name")
    parts = data.equipment.replace(",", "、").replace("，", "、").split("、")
    equipment = "、".join(p.strip() for p in parts if p.strip())
    return RoomData(name, data.kind, data.location.strip(), data.capacity, data.observer_seats, equipment, data.active)


def _room_payload(room: Room) -> dict:
    return {
        "room": room.id,
        "name": room.name,
        "kind": room.kind,
        "location": room.location,
        "capacity": room.capacity,
        "observer_seats": room.observer_seats,
        "equipment": room.equipment,
        "active": room.active,
    }


def create_room(session: Session, actor: Principal, data: RoomData) -> Room:
    data = _check_room(session, data, None)
    now = clock.now()
    room = Room(**data.__dict__, lock_version=0, created_at=now, updated_at=now)
    session.add(room)
    session.flush()
    ledger.append(session, "venues:room:created", f"venue-room:{room.id}", {**_room_payload(room), "by": actor.user_id})
    return room


def update_room(session: Session, actor: Principal, room_id: int, data: RoomData) -> Room:
    """A room's details change; its kind or its being in use cannot while it holds bookings to come (the
    isolation of an evaluation room would otherwise change under a booked evaluation)."""
    room = _lock_room(session, room_id)
    data = _check_room(session, data, room.id)
    ahead = _bookings_ahead(session, room.id)
    if ahead and data.kind != room.kind:
        raise VenueInUse(f"该场室尚有 {len(ahead)} 个未来的预约，不能改变类型；请先释放或改订其他场室", field="kind")
    if ahead and not data.active:
        raise VenueInUse(f"该场室尚有 {len(ahead)} 个未来的预约，不能停用；请先释放或改订其他场室", field="active")
    for key, value in data.__dict__.items():
        setattr(room, key, value)
    room.updated_at = clock.now()
    session.flush()
    ledger.append(session, "venues:room:updated", f"venue-room:{room.id}", {**_room_payload(room), "by": actor.user_id})
    return room


def _bookings_ahead(session: Session, room_id: int) -> list[Booking]:
    stmt = select(Booking).where(Booking.room_id == room_id, Booking.state == "booked", Booking.ends_at > clock.now())
    return list(session.scalars(stmt))


def _lock_room(session: Session, room_id: int) -> Room:
    """The room's row, locked until the caller's transaction ends: a bump of its version is an UPDATE, which
    PostgreSQL holds as a row lock and SQLite as the database's write lock, so a second booking of the same
    room waits for the first to commit and then sees it."""
    done = session.execute(update(Room).where(Room.id == room_id).values(lock_version=Room.lock_version + 1))
    if done.rowcount != 1:
        raise NotFound("场室不存在")
    room = session.get(Room, room_id)
    session.refresh(room)
    return room


# --------------------------------------------------------------------------- bookings


def aware(value: datetime) -> datetime:
    """A time a person entered without a zone is Beijing time (the centre's)."""
    return value.replace(tzinfo=get_settings().tz) if value.tzinfo is None else value


def _check_hours(session: Session, starts_at: datetime, ends_at: datetime) -> None:
    r = venue_rules(session)
    tz = get_settings().tz
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    start_min = start.hour * 60 + start.minute
    end_min = (end.hour * 60 + end.minute) if end.date() == start.date() else 24 * 60 + 1
    if start_min < r.open_from or end_min > r.open_until:
        raise VenueClosed(
            f"场次 {local_time(starts_at)}–{local_time(ends_at, '%H:%M')} 不在场室开放时间 "
            f"{hhmm(r.open_from)}–{hhmm(r.open_until)} 内（平台默认值，规则包 {PACK}）",
            field="starts_at",
        )


def _clash(session: Session, room: Room, starts_at: datetime, ends_at: datetime) -> Booking | None:
    gap = timedelta(minutes=venue_rules(session).gap)
    stmt = (
        select(Booking)
        .where(
            Booking.room_id == room.id,
            Booking.state == "booked",
            Booking.starts_at < ends_at + gap,
            Booking.ends_at > starts_at - gap,
        )
        .order_by(Booking.starts_at)
    )
    return session.scalars(stmt).first()


def _clash_message(session: Session, room: Room, other: Booking) -> str:
    gap = venue_rules(session).gap
    return (
        f"{room.name}在 {local_time(other.starts_at)}–{local_time(other.ends_at, '%H:%M')} 已预约给“{other.title}”，"
        f"与本场次重叠或间隔不足 {gap} 分钟（平台默认值）"
    )


def book(
    session: Session,
    *,
    room_id: int,
    purpose: str,
    subject: str | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    project_id: int | None = None,
    actor_id: int | None = None,
    attendance: Attendance | None = None,
) -> Booking:
    """Hold ``room_id`` from ``starts_at`` to ``ends_at``: the room must suit the purpose (an evaluation only in
    an isolated evaluation room), the span lie within the opening hours, and no booking of the room overlap
    it or come closer than the pack's gap — checked after the room's row is locked. Without ``subject`` the
    booking is the centre's own (``manual:<room>:<lock version>``)."""
    if purpose not in PURPOSES:
        raise InvalidInput("场次类型无效", field="purpose")
    if ends_at <= starts_at:
        raise InvalidInput("结束时间应晚于开始时间", field="ends_at")
    room = _lock_room(session, room_id)
    if not room.active:
        raise VenueWrongKind(f"{room.name}已停用", field="room_id")
    if room.kind not in PURPOSE_KINDS[purpose]:
        if purpose == "evaluation" or room.kind in ISOLATED_KINDS:
            raise VenueNotIsolated(
                f"{room.name}是{KINDS[room.kind]}（{zone_label(room.kind)}）：评标只在隔离区的评标室进行，"
                "评标室也不用于开标等有投标人、旁听人员在场的场次",
                field="room_id",
            )
        raise VenueWrongKind(f"{room.name}是{KINDS[room.kind]}，不能用于{PURPOSES[purpose]}", field="room_id")
    check_capacity(room, attendance)
    _check_hours(session, starts_at, ends_at)
    other = _clash(session, room, starts_at, ends_at)
    if other is not None:
        raise VenueBooked(_clash_message(session, room, other), booking=other.id, room=room.id)
    row = Booking(
        room_id=room.id,
        purpose=purpose,
        subject=subject or f"manual:{room.id}:{room.lock_version}",  # the version is this booking's, under the lock
        project_id=project_id,
        title=title[:300],
        starts_at=starts_at,
        ends_at=ends_at,
        state="booked",
        booked_by=actor_id,
        booked_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "venues:booking:booked",
        f"venue-room:{room.id}",
        {
            "booking": row.id,
            "room": room.name,
            "purpose": purpose,
            "subject": row.subject,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "by": actor_id,
        },
    )
    return row


def active_for(session: Session, subject: str) -> Booking | None:
    return session.scalar(select(Booking).where(Booking.subject == subject, Booking.state == "booked"))


def _release(session: Session, row: Booking, reason: str, actor_id: int | None) -> None:
    row.state, row.released_at, row.release_reason = "released", clock.now(), reason
    session.flush()
    ledger.append(
        session,
        "venues:booking:released",
        f"venue-room:{row.room_id}",
        {"booking": row.id, "subject": row.subject, "reason": reason, "by": actor_id},
    )


def release(session: Session, actor: Principal, booking_id: int, reason: str) -> Booking:
    """The centre releases a booking (the session moved elsewhere, was cancelled), with its reason."""
    row = session.get(Booking, booking_id)
    if row is None:
        raise NotFound("预约不存在")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请说明释放理由", field="reason")
    if row.state != "booked":
        raise Conflict("该预约已释放")
    _lock_room(session, row.room_id)
    _release(session, row, reason[:500], actor.user_id)
    return row


def release_subject(session: Session, subject: str, reason: str) -> None:
    """The booking held for ``subject`` (a withdrawn request's evaluation), if any, is released."""
    held = active_for(session, subject)
    if held is not None:
        _release(session, held, reason, None)


def release_project(session: Session, project: Project, reason: str) -> int:
    """Every booking of ``project`` still held is released (the project ended or failed)."""
    rows = list(session.scalars(select(Booking).where(Booking.project_id == project.id, Booking.state == "booked")))
    for row in rows:
        _release(session, row, reason, None)
    return len(rows)


def opening_subject(project: Project) -> str:
    return f"project:{project.code}:opening"


def opening_attendance(session: Session, project: Project) -> Attendance:
    """The registered bidders' representatives an opening hall must seat (``opening_representatives_per_bidder``
    each; none registered yet when the first notice goes out)."""
    bidders = session.scalar(
        select(func.count(func.distinct(Registration.organisation_id))).where(
            Registration.project_id == project.id, Registration.withdrawn_at.is_(None)
        )
    )
    per = venue_rules(session).opening_representatives
    return Attendance(int(bidders or 0) * per, f"已报名投标人 {int(bidders or 0)} 家，每家代表 {per} 人")


def book_opening(session: Session, project: Project, opening_at: datetime) -> Booking | None:
    """The project's opening takes a free room of its kind at ``opening_at`` for the pack's time: the room it
    already holds if still free, else the first free one by name. None when the centre keeps no room of that
    kind on the platform; ``venue_unavailable`` when every one is taken (the notice must name the place)."""
    kind = OPENING_KIND_BY_LIFECYCLE.get(project.lifecycle)
    if kind is None:
        return None
    candidates = [r for r in rooms(session, active_only=True) if r.kind == kind]
    if not candidates:
        return None
    subject = opening_subject(project)
    ends_at = opening_at + timedelta(minutes=venue_rules(session).opening_minutes)
    held = active_for(session, subject)
    if held is not None:
        if held.starts_at == opening_at and held.ends_at == ends_at:
            return held
        _release(session, held, "开标时间变更，改订场室", None)
        candidates.sort(key=lambda r: r.id != held.room_id)
    _check_hours(session, opening_at, ends_at)
    title = f"{project.name}（{project.code}）{PURPOSES[kind if kind == 'auction' else 'opening']}"
    attendance = opening_attendance(session, project)
    too_small: VenueTooSmall | None = None
    for room in candidates:
        try:  # a refused room changed nothing but its lock's version
            return book(
                session,
                room_id=room.id,
                purpose="auction" if kind == "auction" else "opening",
                subject=subject,
                title=title,
                starts_at=opening_at,
                ends_at=ends_at,
                project_id=project.id,
                attendance=attendance,
            )
        except VenueBooked:
            continue
        except VenueTooSmall as exc:  # a hall too small for the registered bidders: the next one
            too_small = too_small or exc
            continue
    if too_small is not None:
        raise too_small
    raise VenueUnavailable(
        f"{local_time(opening_at)} 起本中心的{KINDS[kind]}均已预约（共 {len(candidates)} 间），"
        "请调整开标时间或与交易中心协调场地。依据：《中华人民共和国招标投标法》第三十四条，开标地点应当为招标文件中预先确定的地点",
        field="bid_deadline",
    )


def evaluation_room(session: Session, name: str) -> Room | None:
    """The evaluation room a draw request names: None when the centre keeps no evaluation rooms on the platform
    (the place stays free text); refused when it names no room, or a room outside the isolated zone."""
    managed = [r for r in rooms(session, active_only=True) if r.kind in ISOLATED_KINDS]
    if not managed:
        return None
    room = session.scalar(select(Room).where(Room.name == name.strip(), Room.active.is_(True)))
    if room is None:
        names = "、".join(r.name for r in managed)
        raise VenueWrongKind(f"请选择本中心的评标室：{names}", field="place")
    if room.kind not in ISOLATED_KINDS:
        raise VenueNotIsolated(
            f"{room.name}是{KINDS[room.kind]}（{zone_label(room.kind)}），评标只能在隔离区的评标室进行", field="place"
        )
    return room


def evaluation_attendance(session: Session, committee_size: int) -> Attendance:
    """The committee and the pack's attendants (监督、见证) an evaluation room must seat (no observer seats)."""
    extra = venue_rules(session).evaluation_attendants
    return Attendance(committee_size + extra, f"评标委员会 {committee_size} 人，监督与见证人员 {extra} 人")


def check_evaluation_free(session: Session, room: Room, starts_at: datetime, committee_size: int | None = None) -> None:
    """Before a draw request goes to approval: its room seats the committee and is free at its time (it is
    booked on approval)."""
    if committee_size is not None:
        check_capacity(room, evaluation_attendance(session, committee_size))
    ends_at = starts_at + timedelta(minutes=venue_rules(session).evaluation_minutes)
    _check_hours(session, starts_at, ends_at)
    other = _clash(session, room, starts_at, ends_at)
    if other is not None:
        raise VenueBooked(_clash_message(session, room, other), booking=other.id, room=room.id)


def book_evaluation(
    session: Session,
    project: Project,
    *,
    place: str,
    starts_at: datetime,
    subject: str,
    actor_id: int | None,
    committee_size: int | None = None,
) -> Booking | None:
    """The evaluation a draw request was approved for takes the evaluation room it names at its time."""
    room = evaluation_room(session, place)
    if room is None:
        return None
    held = active_for(session, subject)
    if held is not None:
        _release(session, held, "评标时间或地点变更，改订场室", actor_id)
    ends_at = starts_at + timedelta(minutes=venue_rules(session).evaluation_minutes)
    return book(
        session,
        room_id=room.id,
        purpose="evaluation",
        subject=subject,
        title=f"{project.name}（{project.code}）评标（评审）",
        starts_at=starts_at,
        ends_at=ends_at,
        project_id=project.id,
        actor_id=actor_id,
        attendance=evaluation_attendance(session, committee_size) if committee_size is not None else None,
    )


# --------------------------------------------------------------------------- manual bookings, reading


@dataclass(frozen=True)
class ManualBooking:
    room_id: int
    purpose: str
    title: str
    starts_at: datetime
    ends_at: datetime
    project_id: int | None = None
    attendance: int | None = None  # expected participants (座位)
    observers: int | None = None  # expected observers (旁听席)


def book_manual(session: Session, actor: Principal, data: ManualBooking) -> Booking:
    """The centre books a room itself (an expert draw, a negotiation, a longer evaluation, a training)."""
    title = data.title.strip()
    if not title:
        raise InvalidInput("请填写场次名称", field="title")
    project = None
    if data.project_id is not None:
        project = session.get(Project, data.project_id)
        if project is None:
            raise InvalidInput("项目不存在", field="project_id")
    starts_at, ends_at = aware(data.starts_at), aware(data.ends_at)
    if starts_at <= clock.now():
        raise InvalidInput("开始时间应晚于当前时间", field="starts_at")
    return book(
        session,
        room_id=data.room_id,
        purpose=data.purpose,
        subject=None,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        project_id=project.id if project is not None else None,
        actor_id=actor.user_id,
        attendance=(
            Attendance(data.attendance or 0, f"参会人员 {data.attendance or 0} 人", data.observers or 0)
            if data.attendance is not None or data.observers is not None
            else None
        ),
    )


def schedule(session: Session, *, since: datetime, until: datetime, include_released: bool = False) -> list[Booking]:
    stmt = select(Booking).where(Booking.starts_at < until, Booking.ends_at > since)
    if not include_released:
        stmt = stmt.where(Booking.state == "booked")
    return list(session.scalars(stmt.order_by(Booking.starts_at, Booking.room_id)))


def bookings_of_project(session: Session, project_id: int) -> list[Booking]:
    stmt = select(Booking).where(Booking.project_id == project_id).order_by(Booking.starts_at, Booking.id)
    return list(session.scalars(stmt))
