"""Expert draw requests (专家抽取申请): asked by a project's agency or tenderer per section, checked against the
project's rule pack, approved or returned by the supervisory department, then drawn by the centre
(``drawing.py``). Direct appointment (直接确定专家) is a separate kind: named experts, a reason, always approved,
no draw. Never commits.

Seed 001 (《公共资源交易政务公开工作规范》6.4.1 b): 招标人（招标代理机构）根据项目需求选择相应专业的专家，
经行政监督部门核准同意后提交至平台，进行专家随机抽取. Whether approval is needed is the rule
``expert_draw_approval_required`` (平台默认值 1 in centre.service; a method's pack may set 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, composition, rooms, visibility
from sunshine.committees.composition import DOC_REVIEW, EVALUATION, METHOD_OPINION, PURPOSES, Limits
from sunshine.committees.models import CommitteeSeat, DrawRequest, DrawRequestSpecialty
from sunshine.committees.packrules import approval_required, limits
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, bounded_limit, paginate
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Section

STATES: dict[str, str] = {
    "submitted": "待行政监督部门核准",
    "approved": "已核准，待抽取",
    "returned": "已退回",
    "drawing": "抽取中",
    "drawn": "已抽取",
    "appointed": "已核准直接确定",
    "cancelled": "已撤回",
}
KINDS = {"draw": "随机抽取", "appointment": "直接确定专家"}
PLACE_KINDS = {"room": "本中心评标室", "remote": "异地评标"}
OPEN_STATES = frozenset({"submitted", "approved", "drawing", "drawn", "appointed"})
APPOINTMENT_BASIS = (
    "《中华人民共和国招标投标法实施条例》第四十七条：技术复杂、专业性强或者国家有特殊要求，采取随机抽取方式确定的专家"
    "难以保证胜任评标工作的项目，可以由招标人直接确定；《政府采购货物和服务招标投标管理办法》第四十八条第二款"
)
PROCUREMENT_ONLY = frozenset({DOC_REVIEW, METHOD_OPINION})


class RequestStateConflict(Conflict):
    code = "draw_request_state"
    title = "抽取申请当前状态不允许此操作"


class DuplicateRequest(Conflict):
    code = "draw_request_exists"
    title = "本标段已有进行中的同类抽取申请"


class AppointmentReasonRequired(InvalidInput):
    code = "appointment_reason_required"
    title = "直接确定专家须说明理由"


class PurposeNotApplicable(Conflict):
    code = "draw_purpose_not_applicable"
    title = "本项目不适用此类专家抽取"


@dataclass(frozen=True)
class Appointee:
    expert_id: int
    specialty: str


@dataclass(frozen=True)
class RequestIn:
    """What the agency or tenderer asks for (the API's and the form's input, already shaped)."""

    section_id: int
    purpose: str
    specialties: list[tuple[str, int]]
    reserve: int
    representatives: int
    meeting_at: datetime
    place_kind: str
    place: str
    kind: str = "draw"
    reason: str | None = None
    appointees: tuple[Appointee, ...] = ()


def aware(value: datetime) -> datetime:
    """A time a person entered without a zone is Beijing time (the centre's)."""
    return value.replace(tzinfo=get_settings().tz) if value.tzinfo is None else value


# --------------------------------------------------------------------------- reading


def _project(session: Session, actor: Principal, project_id: int) -> Project:
    project = trading_visibility.get_visible(session, actor, project_id)
    if not visibility.may_read(actor, project):
        raise NotFound("项目不存在")
    return project


def get_readable(session: Session, actor: Principal, request_id: int) -> tuple[DrawRequest, Project]:
    """The request and its project if ``actor`` may read them; anyone else is told it does not exist."""
    row = session.get(DrawRequest, request_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if row is None or project is None or not visibility.may_read(actor, project):
        raise NotFound("抽取申请不存在")
    return row, project


def for_project(session: Session, actor: Principal, project_id: int) -> tuple[Project, list[DrawRequest]]:
    project = _project(session, actor, project_id)
    rows = session.scalars(select(DrawRequest).where(DrawRequest.project_id == project.id).order_by(DrawRequest.id))
    return project, list(rows)


QUEUE_ORDER = Keyset.of("draw-requests", Key(DrawRequest.meeting_at, False), Key(DrawRequest.id, False))


def queue(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[DrawRequest, Project]]:
    """What waits for the viewer: requests to approve (supervisor), draws to run or running (centre); the
    earliest meeting first, a page at a time."""
    states: set[str] = set()
    if visibility.may_decide(actor):
        states.add("submitted")
    if visibility.may_run(actor):
        states.update({"approved", "drawing"})
    if not states:
        return Page([], None, bounded_limit(limit))
    stmt = (
        select(DrawRequest, Project)
        .join(Project, Project.id == DrawRequest.project_id)
        .where(DrawRequest.state.in_(states))
    )
    return paginate(session, stmt, QUEUE_ORDER, cursor=cursor, limit=limit)


def specialties_of(session: Session, request: DrawRequest) -> list[DrawRequestSpecialty]:
    stmt = select(DrawRequestSpecialty).where(DrawRequestSpecialty.request_id == request.id)
    return list(session.scalars(stmt.order_by(DrawRequestSpecialty.position)))


def committee_of(session: Session, request_id: int) -> list[CommitteeSeat]:
    """Every seat of the request's committee, in call order (server-side: holds the experts' ids — for the
    platform to notify them and for the sign-in list; never rendered to a person before the results)."""
    stmt = select(CommitteeSeat).where(CommitteeSeat.request_id == request_id)
    return list(session.scalars(stmt.order_by(CommitteeSeat.reserve, CommitteeSeat.position, CommitteeSeat.id)))


def section_of(session: Session, project: Project, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None or section.project_id != project.id:
        raise InvalidInput("标段不属于本项目", field="section_id")
    return section


def labels(row: DrawRequest) -> dict[str, str]:
    return {
        "state": STATES[row.state],
        "kind": KINDS[row.kind],
        "purpose": PURPOSES[row.purpose],
        "place_kind": PLACE_KINDS[row.place_kind],
    }


# --------------------------------------------------------------------------- asking


def open_for(project: Project, purpose: str) -> bool:
    """Whether the project may still ask for (or draw) experts for ``purpose``: an active project; a failed
    procurement also for the experts' opinion on changing the method (连续招标失败后变更采购方式)."""
    if project.state == "suspended":
        return False
    if project.state == "failed":
        return purpose == METHOD_OPINION
    return project.state not in lifecycle.FINAL_STATES


def _check_input(session: Session, project: Project, data: RequestIn) -> Limits:
    if data.purpose not in PURPOSES:
        raise InvalidInput("抽取用途无效", field="purpose")
    if data.kind not in KINDS:
        raise InvalidInput("申请类型无效", field="kind")
    if data.place_kind not in PLACE_KINDS:
        raise InvalidInput("评标地点类型无效", field="place_kind")
    if not data.place.strip():
        what = "异地评标的主场交易中心" if data.place_kind == "remote" else "评标室"
        raise InvalidInput(f"请填写{what}", field="place")
    if data.purpose in PROCUREMENT_ONLY and project.transaction_type != "gov_procurement":
        raise PurposeNotApplicable(f"{PURPOSES[data.purpose]}只适用于政府采购项目", field="purpose")
    if data.purpose == EVALUATION and project.lifecycle not in lifecycle.SEALED_LIFECYCLES | {"single_source"}:
        raise PurposeNotApplicable("本项目的交易方式不组建评标委员会", field="purpose")
    if not open_for(project, data.purpose):
        raise RequestStateConflict(f"项目当前为“{lifecycle.state_label(project, project.state)}”，不能申请抽取专家")
    if data.meeting_at <= clock.now():
        raise InvalidInput("评标（评审）时间应晚于当前时间", field="meeting_at")
    if data.purpose == EVALUATION and project.bid_deadline is not None and data.meeting_at < project.bid_deadline:
        raise InvalidInput("评标时间不能早于投标（响应）截止时间", field="meeting_at")
    codes = [code for code, _ in data.specialties]
    if len(set(codes)) != len(codes):
        raise InvalidInput("同一专业只能填写一次", field="specialties")
    if data.kind == "appointment":
        if not (data.reason and data.reason.strip()):
            raise AppointmentReasonRequired(f"直接确定专家须说明理由。依据：{APPOINTMENT_BASIS}", field="reason")
        if not data.appointees or len({a.expert_id for a in data.appointees}) != len(data.appointees):
            raise InvalidInput("请列出直接确定的专家，且不得重复", field="appointees")
    lim = limits(session, project, data.purpose)
    composition.check(lim, [n for _, n in data.specialties], data.representatives)
    # an evaluation room that seats the committee, free at the time
    size = sum(n for _, n in data.specialties) + data.representatives
    rooms.check(session, data.place_kind, data.place, data.meeting_at, size)
    return lim


def _open_duplicate(session: Session, section_id: int, purpose: str) -> DrawRequest | None:
    stmt = select(DrawRequest).where(
        DrawRequest.section_id == section_id, DrawRequest.purpose == purpose, DrawRequest.state.in_(OPEN_STATES)
    )
    return session.scalars(stmt).first()


def submit(session: Session, actor: Principal, project_id: int, data: RequestIn) -> DrawRequest:
    """提交抽取申请: the project's agency or tenderer; approved at once where the pack needs no approval (never
    for a direct appointment)."""
    project = _project(session, actor, project_id)
    if not visibility.may_request(actor, project):
        raise Forbidden("只有本项目的招标人（采购人）或其委托的代理机构可以申请抽取专家")
    if data.kind == "appointment":
        specialties: dict[str, int] = {}
        for a in data.appointees:
            specialties[a.specialty] = specialties.get(a.specialty, 0) + 1
        data = RequestIn(**{**data.__dict__, "specialties": list(specialties.items()), "reserve": 0})
    section_of(session, project, data.section_id)
    _check_input(session, project, data)
    avoidance.check_specialties(session, [code for code, _ in data.specialties])
    if data.kind == "appointment":
        avoidance.check_appointees(session, project, data.section_id, data.purpose, data.appointees)
    existing = _open_duplicate(session, data.section_id, data.purpose)
    if existing is not None:
        raise DuplicateRequest(
            f"本标段已有{PURPOSES[data.purpose]}申请（第{existing.id}号，{STATES[existing.state]}），"
            "请先撤回或待其退回后再申请",
            request_id=existing.id,
        )
    now = clock.now()
    auto = data.kind == "draw" and not approval_required(session, project)
    row = DrawRequest(
        project_id=project.id,
        section_id=data.section_id,
        kind=data.kind,
        purpose=data.purpose,
        state="approved" if auto else "submitted",
        reserve=data.reserve,
        representatives=data.representatives,
        meeting_at=data.meeting_at,
        place_kind=data.place_kind,
        place=data.place.strip(),
        reason=(data.reason or "").strip() or None,
        requested_by=actor.user_id,
        requested_org_id=actor.organisation_id,
        requested_at=now,
    )
    session.add(row)
    session.flush()
    for i, (code, n) in enumerate(data.specialties):
        session.add(DrawRequestSpecialty(request_id=row.id, position=i, specialty=code, count=n))
    for i, a in enumerate(data.appointees):
        session.add(
            CommitteeSeat(
                request_id=row.id,
                specialty=a.specialty,
                position=i + 1,
                leaf=None,
                expert_id=a.expert_id,
                state="proposed",
                reserve=False,
                updated_at=now,
            )
        )
    session.flush()
    if auto:
        rooms.book(session, row, project, actor.user_id)
    ledger.append(
        session,
        f"committees:{'appointment' if data.kind == 'appointment' else 'request'}:submitted",
        f"project:{project.code}",
        {
            "request": row.id,
            "section": data.section_id,
            "purpose": data.purpose,
            "specialties": [{"code": c, "count": n} for c, n in data.specialties],
            "reserve": data.reserve,
            "representatives": data.representatives,
            "approval_required": not auto,
            "by": actor.user_id,
        },
    )
    return row


def _decidable(session: Session, actor: Principal, request_id: int) -> tuple[DrawRequest, Project]:
    row, project = get_readable(session, actor, request_id)
    if not visibility.may_decide(actor):
        raise Forbidden("抽取申请由行政监督部门核准")
    if row.state != "submitted":
        raise RequestStateConflict(f"抽取申请当前为“{STATES[row.state]}”，不能核准或退回")
    return row, project


#: what happens once a direct appointment takes effect (calling registers the notices to the appointed experts)
_ON_APPOINTED: list[Callable[[Session, DrawRequest], None]] = []


def on_appointed(listener: Callable[[Session, DrawRequest], None]) -> None:
    if listener not in _ON_APPOINTED:
        _ON_APPOINTED.append(listener)


def approve(session: Session, actor: Principal, request_id: int) -> DrawRequest:
    """核准: the supervisory department lets the request go to the draw (a direct appointment takes effect)."""
    row, project = _decidable(session, actor, request_id)
    now = clock.now()
    row.decided_by, row.decided_at = actor.user_id, now
    if row.kind == "appointment":
        row.state = "appointed"
        for seat in committee_of(session, row.id):
            seat.state, seat.updated_at = "appointed", now
        kind = "committees:appointment:approved"
    else:
        row.state = "approved"
        kind = "committees:request:approved"
    rooms.book(session, row, project, actor.user_id)  # the evaluation room, held from the approval on
    ledger.append(
        session,
        kind,
        f"project:{project.code}",
        {"request": row.id, "by": actor.user_id, "reason": row.reason if row.kind == "appointment" else None},
    )
    if row.kind == "appointment":
        for listener in _ON_APPOINTED:
            listener(session, row)
    return row


def return_request(session: Session, actor: Principal, request_id: int, reason: str) -> DrawRequest:
    """退回: the supervisory department sends the request back with its reason; the applicant asks again."""
    if not (reason and reason.strip()):
        raise InvalidInput("退回须说明理由", field="reason")
    row, project = _decidable(session, actor, request_id)
    row.state, row.return_reason = "returned", reason.strip()
    row.decided_by, row.decided_at = actor.user_id, clock.now()
    ledger.append(
        session,
        "committees:request:returned",
        f"project:{project.code}",
        {"request": row.id, "by": actor.user_id, "reason": row.return_reason},
    )
    return row


def cancel(session: Session, actor: Principal, request_id: int) -> DrawRequest:
    """撤回: the applicant withdraws a request not yet drawn."""
    row, project = get_readable(session, actor, request_id)
    if not visibility.may_request(actor, project):
        raise Forbidden("只有本项目的招标人（采购人）或其委托的代理机构可以撤回抽取申请")
    if row.state not in {"submitted", "approved"}:
        raise RequestStateConflict(f"抽取申请当前为“{STATES[row.state]}”，不能撤回")
    row.state = "cancelled"
    rooms.release(session, row, "抽取申请已撤回")
    ledger.append(
        session, "committees:request:cancelled", f"project:{project.code}", {"request": row.id, "by": actor.user_id}
    )
    return row
