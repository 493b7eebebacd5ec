"""The telephony interface and the agents' rota: call recordings attached to work orders (the telephony system
posts the audio with the call's id; kept in the file store by its SHA-256, listened to by the desk and the
order's department only), and agents' shifts (坐席排班) by day. Never commits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.servicedesk.models import AgentShift, CallRecording, WorkOrder
from sunshine.servicedesk.schemas import RecordingMeta, ShiftIn

AUDIO_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".amr": "audio/amr"}
MAX_AUDIO_BYTES = 50 * 1024 * 1024


def attach_recording(
    session: Session, actor: Principal, meta: RecordingMeta, filename: str, data: bytes
) -> CallRecording:
    ext = "." + filename.rpartition(".")[2].lower() if "." in filename else ""
    if ext not in AUDIO_TYPES:
        raise InvalidInput("录音文件应为 " + "、".join(AUDIO_TYPES), field="file")
    if not data or len(data) > MAX_AUDIO_BYTES:
        raise InvalidInput("录音文件为空或超过 50 MB", field="file")
    if session.scalar(select(CallRecording.id).where(CallRecording.call_id == meta.call_id)) is not None:
        raise AlreadyExists(f"通话 {meta.call_id} 的录音已存在", field="call_id")
    order_id = None
    if meta.order_code:
        order_id = session.scalar(select(WorkOrder.id).where(WorkOrder.code == meta.order_code))
        if order_id is None:
            raise InvalidInput("工单编号不存在", field="order_code")
    sha = file_store().put(data)
    row = CallRecording(
        call_id=meta.call_id,
        order_id=order_id,
        sha256=sha,
        size=len(data),
        filename=f"{meta.call_id}{ext}",
        agent_user_id=actor.user_id,
        started_at=meta.started_at,
        duration_seconds=meta.duration_seconds,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def recordings_of(session: Session, order_id: int) -> list[CallRecording]:
    return list(
        session.scalars(select(CallRecording).where(CallRecording.order_id == order_id).order_by(CallRecording.id))
    )


def audio(session: Session, recording_id: int) -> tuple[CallRecording, bytes]:
    row = session.get(CallRecording, recording_id)
    if row is None:
        raise NotFound("录音不存在")
    return row, file_store().open(row.sha256)


def recent_recordings(session: Session, *, limit: int = 100) -> list[tuple[CallRecording, str | None, str | None]]:
    """The latest recordings with their order's code and the agent's name (bounded, newest first)."""
    stmt = (
        select(CallRecording, WorkOrder.code, User.display_name)
        .outerjoin(WorkOrder, WorkOrder.id == CallRecording.order_id)
        .outerjoin(User, User.id == CallRecording.agent_user_id)
        .order_by(CallRecording.started_at.desc(), CallRecording.id.desc())
        .limit(limit)
    )
    return [(r, code, name) for r, code, name in session.execute(stmt).all()]


def content_type(row: CallRecording) -> str:
    return AUDIO_TYPES.get("." + row.filename.rpartition(".")[2], "application/octet-stream")


# --------------------------------------------------------------------------- shifts


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def add_shift(session: Session, actor: Principal, data: ShiftIn) -> AgentShift:
    user = session.get(User, data.user_id)
    if user is None:
        raise InvalidInput("坐席人员不存在", field="user_id")
    if _minutes(data.ends) <= _minutes(data.starts):
        raise InvalidInput("下班时间应晚于上班时间", field="ends")
    for other in session.scalars(
        select(AgentShift).where(AgentShift.user_id == data.user_id, AgentShift.day == data.day)
    ):
        if _minutes(data.starts) < _minutes(other.ends) and _minutes(other.starts) < _minutes(data.ends):
            raise Conflict(f"与该坐席 {other.starts}–{other.ends} 的班次重叠", field="starts")
    row = AgentShift(
        user_id=data.user_id,
        day=data.day,
        starts=data.starts,
        ends=data.ends,
        seat=data.seat.strip(),
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def remove_shift(session: Session, shift_id: int) -> None:
    row = session.get(AgentShift, shift_id)
    if row is None:
        raise NotFound("班次不存在")
    if row.day < clock.today_local():
        raise Conflict("已过去的班次不能删除（排班记录留存）")
    session.delete(row)
    session.flush()


def agents(session: Session, *, limit: int = 200) -> list[tuple[int, str]]:
    """Who can take a shift: the active accounts holding the centre-staff role (bounded)."""
    stmt = (
        select(User.id, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.CENTRE_STAFF.value, User.is_active.is_(True))
        .order_by(User.display_name, User.id)
        .limit(limit)
    )
    return [(uid, name) for uid, name in session.execute(stmt).all()]


def week_of(session: Session, first: date) -> list[tuple[AgentShift, str]]:
    stmt = (
        select(AgentShift, User.display_name)
        .join(User, User.id == AgentShift.user_id)
        .where(AgentShift.day >= first, AgentShift.day < first + timedelta(days=7))
        .order_by(AgentShift.day, AgentShift.starts, AgentShift.id)
    )
    return [(s, name) for s, name in session.execute(stmt).all()]


WEEK_ORDER = Keyset.of(
    "desk-shifts", Key(AgentShift.day, False), Key(AgentShift.starts, False), Key(AgentShift.id, False)
)


def week_page(
    session: Session, first: date, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[AgentShift, str]]:
    """``week_of`` one page at a time."""
    stmt = (
        select(AgentShift, User.display_name)
        .join(User, User.id == AgentShift.user_id)
        .where(AgentShift.day >= first, AgentShift.day < first + timedelta(days=7))
    )
    return paginate(session, stmt, WEEK_ORDER, cursor=cursor, limit=limit)


def on_duty(session: Session, at: datetime) -> list[int]:
    """Agents whose shift covers the moment ``at`` (local time)."""
    local = at.astimezone(get_settings().tz)
    hhmm = time(local.hour, local.minute).strftime("%H:%M")
    stmt = select(AgentShift.user_id).where(
        AgentShift.day == local.date(), AgentShift.starts <= hhmm, AgentShift.ends > hhmm
    )
    return list(session.scalars(stmt))
