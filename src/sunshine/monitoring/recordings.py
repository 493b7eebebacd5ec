"""重要现场、重要数据: recordings of the opening, evaluation and draw rooms linked to their sessions. The room's
recording system (or the centre's staff) registers a file — uploaded, or already put into the file store under its
SHA-256 — with one ledger entry fixing its hash; retrieving one needs the approval of the department the rules name
(DB3310/T 50—2018 6.3 c): "信息、记录的调取应经有关部门同意"; which department is not named there, so the
approver is configurable, by default the supervisory department, 平台默认值) and every retrieval is logged in the
ledger. The requester never approves their own request.

Never commits: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import opening
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store, is_sha256
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.draws import state as draws
from sunshine.evaluation import service as evaluation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.monitoring.models import Recording, RecordingRequest
from sunshine.trading.models import Project, Section

ROOMS = {"opening": "开标室", "evaluation": "评标室", "draw": "抽取室"}
REQUEST_STATUSES = {"pending": "待审批", "approved": "已同意", "refused": "不同意"}
REGISTRARS = (Role.CENTRE_STAFF,)
REQUESTERS = (Role.CENTRE_STAFF, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR)
READERS = (Role.CENTRE_STAFF, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR, Role.ADMIN)
APPROVAL_BASIS = (
    "DB3310/T 50—2018 6.3 c)：各类监察信息、记录应由公共资源交易中心负责存档，信息、记录的调取应经有关部门同意"
)
# 视频文件的签名: MP4/MOV (ftyp at byte 4), Matroska/WebM, MPEG-PS/TS, AVI (RIFF....AVI), FLV
VIDEO_TYPES = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
    "ts": "video/mp2t",
    "mpg": "video/mpeg",
    "avi": "video/x-msvideo",
    "flv": "video/x-flv",
}


def approver_role() -> Role:
    """The department whose consent a retrieval needs: the setting ``recording_approver``
    (``SUNSHINE_RECORDING_APPROVER``, a role code), by default 行政监督部门 (平台默认值: the standard says only
    有关部门); a code that is no role falls back to that default."""
    value = get_settings().recording_approver
    try:
        return Role(value)
    except ValueError:
        return Role.SUPERVISOR


def _looks_like_video(data: bytes) -> bool:
    head = data[:16]
    return (
        head[4:8] == b"ftyp"
        or head.startswith(b"\x1a\x45\xdf\xa3")
        or head.startswith(b"\x00\x00\x01\xba")
        or head[:1] == b"\x47"
        or (head.startswith(b"RIFF") and head[8:11] == b"AVI")
        or head.startswith(b"FLV")
    )


def _session_ref(session: Session, project: Project, room: str, ref: str) -> str:
    ref = (ref or "").strip()
    if room == "opening":
        row = opening.session_of(session, project.id)
        if row is None:
            raise InvalidInput("该项目尚未开标，没有可关联的开标会", field="session_ref")
        return f"opening:{row.id}"
    if room == "evaluation":
        sections = session.scalars(select(Section.id).where(Section.project_id == project.id)).all()
        rows = [evaluation.of_section(session, s) for s in sections]
        ids = {r.id for r in rows if r is not None}
        wanted = ref.removeprefix("evaluation:")
        if not ids:
            raise InvalidInput("该项目尚无评标会", field="session_ref")
        if not wanted and len(ids) == 1:
            return f"evaluation:{next(iter(ids))}"
        if not wanted.isdigit() or int(wanted) not in ids:
            raise InvalidInput("请选择该项目的评标会", field="session_ref")
        return f"evaluation:{wanted}"
    if room == "draw":
        code = ref.removeprefix("draw:")
        try:
            draw = draws.get(session, code)
        except NotFound:
            raise InvalidInput("抽取编号不存在", field="session_ref") from None
        if draw.project_id not in (None, project.id):
            raise InvalidInput("该抽取不属于此项目", field="session_ref")
        return f"draw:{draw.code}"
    raise InvalidInput("请选择开标室、评标室或抽取室", field="room")


@dataclass(frozen=True)
class RecordingIn:
    project_id: int
    room: str
    session_ref: str = ""
    filename: str = ""
    content_type: str = ""
    data: bytes | None = None  # an uploaded file
    sha256: str | None = None  # or a file the room's recording system already put into the file store
    started_at: object | None = None
    ended_at: object | None = None


def register(session: Session, actor: Principal, data: RecordingIn) -> Recording:
    project = session.get(Project, data.project_id)
    if project is None:
        raise NotFound("项目不存在")
    if data.room not in ROOMS:
        raise InvalidInput("请选择开标室、评标室或抽取室", field="room")
    ref = _session_ref(session, project, data.room, data.session_ref)
    name = (data.filename or "").strip()[:255]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in VIDEO_TYPES:
        raise InvalidInput(f"录像文件应为 {'、'.join(VIDEO_TYPES)} 格式", field="file")
    if data.data is not None:
        if not data.data or not _looks_like_video(data.data):
            raise InvalidInput("文件内容不是可识别的音视频文件", field="file")
        sha, size = file_store().put(data.data), len(data.data)
    else:
        sha = (data.sha256 or "").strip().lower()
        if not is_sha256(sha):
            raise InvalidInput("请上传录像文件，或填写已存入文件库的文件的 SHA-256", field="sha256")
        if not file_store().exists(sha):
            raise InvalidInput("文件库中没有该 SHA-256 的文件", field="sha256")
        size = file_store().size(sha)
    if data.started_at and data.ended_at and data.ended_at < data.started_at:
        raise InvalidInput("结束时间不能早于开始时间", field="ended_at")
    entry = ledger.append(
        session,
        "monitoring:recording:registered",
        f"project:{project.code}",
        {"room": data.room, "session": ref, "sha256": sha, "size": size},
    )
    row = Recording(
        project_id=project.id,
        room=data.room,
        session_ref=ref,
        filename=name,
        content_type=VIDEO_TYPES[ext],
        size=size,
        sha256=sha,
        started_at=data.started_at,
        ended_at=data.ended_at,
        registered_by=actor.user_id,
        registered_at=clock.now(),
        ledger_seq=entry.seq,
    )
    session.add(row)
    session.flush()
    return row


def recordings(session: Session, project_id: int | None = None, limit: int = 200) -> list[Recording]:
    stmt = select(Recording).order_by(Recording.id.desc()).limit(limit)
    if project_id is not None:
        stmt = stmt.where(Recording.project_id == project_id)
    return list(session.scalars(stmt))


RECORDING_ORDER = Keyset.of("recordings", Recording.id)


def recording_page(
    session: Session, project_id: int | None = None, *, cursor: str | None = None, limit: int | None = None
) -> Page[Recording]:
    """``recordings`` one page at a time."""
    stmt = select(Recording)
    if project_id is not None:
        stmt = stmt.where(Recording.project_id == project_id)
    return paginate(session, stmt, RECORDING_ORDER, cursor=cursor, limit=limit)


def get(session: Session, recording_id: int) -> Recording:
    row = session.get(Recording, recording_id)
    if row is None:
        raise NotFound("录像不存在")
    return row


def request_access(session: Session, actor: Principal, recording_id: int, reason: str) -> RecordingRequest:
    recording = get(session, recording_id)
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 1000:
        raise InvalidInput("请说明调取理由（2 至 1000 字）", field="reason")
    row = RecordingRequest(
        recording_id=recording.id,
        requested_by=actor.user_id,
        reason=reason,
        requested_at=clock.now(),
        status="pending",
        retrievals=0,
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "monitoring:recording:requested",
        f"recording-request:{row.id}",
        {"recording": recording.id, "sha256": recording.sha256},
    )
    return row


def requests(session: Session, limit: int = 200) -> list[RecordingRequest]:
    return list(session.scalars(select(RecordingRequest).order_by(RecordingRequest.id.desc()).limit(limit)))


def _request(session: Session, request_id: int) -> RecordingRequest:
    row = session.scalar(select(RecordingRequest).where(RecordingRequest.id == request_id).with_for_update())
    if row is None:
        raise NotFound("调取申请不存在")
    return row


def decide(session: Session, actor: Principal, request_id: int, approve: bool, note: str) -> RecordingRequest:
    if not actor.has(approver_role()):
        raise Forbidden(f"调取录像须经{approver_role().label}同意")
    row = _request(session, request_id)
    if row.requested_by == actor.user_id:
        raise Conflict("不能审批本人提出的调取申请")
    if row.status != "pending":
        raise Conflict(f"该申请已{REQUEST_STATUSES[row.status]}")
    note = (note or "").strip()
    if not approve and not note:
        raise InvalidInput("不同意调取时请说明理由", field="note")
    row.status = "approved" if approve else "refused"
    row.decided_by, row.decided_at, row.decision_note = actor.user_id, clock.now(), note[:1000] or None
    ledger.append(
        session, f"monitoring:recording:{row.status}", f"recording-request:{row.id}", {"recording": row.recording_id}
    )
    session.flush()
    return row


def retrieve(session: Session, actor: Principal, request_id: int) -> tuple[Recording, bytes]:
    """The approved requester retrieves the file: checked against its hash, each retrieval in the ledger."""
    row = _request(session, request_id)
    if row.requested_by != actor.user_id:
        raise NotFound("调取申请不存在")  # another person's request is not theirs to see
    if row.status != "approved":
        raise Conflict("调取申请尚未获同意")
    recording = get(session, row.recording_id)
    data = file_store().open(recording.sha256)
    if hashlib.sha256(data).hexdigest() != recording.sha256:  # open() checks too; kept explicit for the record
        raise Conflict("录像文件与登记的哈希不符")
    row.retrievals += 1
    row.last_retrieved_at = clock.now()
    ledger.append(
        session,
        "monitoring:recording:retrieved",
        f"recording-request:{row.id}",
        {"recording": recording.id, "sha256": recording.sha256},
    )
    session.flush()
    return recording, data
