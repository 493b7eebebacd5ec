"""The draw of an approved request through the draws engine, the committee's seats it leaves, and their
disclosure when the project's results are public.

``start_draw`` (centre staff) builds the candidate list (``avoidance.columns``: every pool member holding a
requested specialty, eligible or with its reason code) and calls ``draws.service.prepare`` with the witnesses
seed 001 requires (supervisory department, centre staff, the tenderer or its agency) and the independent
parties (the platform and the supervisor officer who approved the request). When the engine finishes the
draw it calls ``on_drawn``: the seats are recorded — positions and hashes; the experts' ids are kept
server-side for the platform to call them. ``disclose_at_results`` is an after-step hook on every step: when
a project reaches a results state, or is terminated or fails, its finished draws are disclosed
(``draws.service.disclose``) and the names of those who sat are shown by this domain. Never commits.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, packrules, service, visibility
from sunshine.committees.composition import EVALUATION, PURPOSES
from sunshine.committees.models import CommitteeSeat, DrawRequest
from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden
from sunshine.draws import service as draws
from sunshine.experts import service as experts
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle
from sunshine.trading.models import Project, Section

OWNER_PREFIX = "committee_request:"
DRAW_PURPOSES: dict[str, str] = {
    EVALUATION: "expert_evaluation",
    "doc_review": "expert_doc_review",
    "method_opinion": "expert_method_opinion",
}
DRAW_PURPOSE_LABELS: dict[str, str] = {
    "expert_evaluation": "评标专家抽取",
    "expert_doc_review": "招标文件审查专家抽取",
    "expert_method_opinion": "变更采购方式论证专家抽取",
}
SAT_STATES = avoidance.SAT
RESULT_STATES = frozenset({"result_published", "awarded", "contracted", "performing", "performance_accepted", "closed"})
ENDED_STATES = frozenset({"terminated", "failed"})
DEADLINE_RULE = "expert_draw_after_bid_deadline"


class DrawTooEarly(Conflict):
    code = "expert_draw_before_deadline"
    title = "投标截止前不能抽取评标专家"


class PoolTooSmall(Conflict):
    code = "expert_pool_too_small"
    title = "符合条件的专家人数不足"


def owner_of(request: DrawRequest) -> str:
    return f"{OWNER_PREFIX}{request.id}"


def request_of_owner(session: Session, owner: str) -> DrawRequest | None:
    if not owner.startswith(OWNER_PREFIX):
        return None
    tail = owner[len(OWNER_PREFIX) :]
    return session.get(DrawRequest, int(tail)) if tail.isdigit() else None


def expert_of_ref(ref: str) -> int:
    return int(ref.split(":", 1)[1])


def _check_timing(session: Session, request: DrawRequest, project: Project) -> None:
    if request.purpose != EVALUATION or not packrules.draw_after_deadline(session, project):
        return
    if not avoidance.bids_known(project):
        found = packrules.rule(session, project, DEADLINE_RULE)
        when = (
            f"（投标截止时间 {formatting.local_time(project.bid_deadline)}）"
            if project.bid_deadline
            else "（尚未发布公告）"
        )
        raise DrawTooEarly(
            f"评标专家须在投标（响应）截止后抽取{when}，截止后可按全部投标人回避。"
            + (f"依据：{found.basis_text}" if found else ""),
            rule=f"centre.service/{DEADLINE_RULE}",
        )


class SupervisorPartyMissing(Conflict):
    code = "draw_supervisor_party_missing"
    title = "须有行政监督部门的人员作为独立参与方"


def _parties(session: Session, request: DrawRequest, supervisor_user_id: int | None) -> list[draws.PartySpec]:
    """The independent party besides the platform: the supervisor officer who approved the request (or, where
    the pack needs no approval, the supervisory officer the centre names — who must hold that role)."""
    user_id = request.decided_by or supervisor_user_id
    if user_id is None:
        raise SupervisorPartyMissing(
            "本申请无须核准，请指定到场监督的行政监督部门人员，由其在自己的浏览器中生成并提交随机数",
            field="supervisor_user_id",
        )
    if request.decided_by is None:
        user = session.get(User, user_id)
        active = user is not None and user.is_active
        roles = set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id))) if active else set()
        if Role.SUPERVISOR.value not in roles:
            raise SupervisorPartyMissing("指定的人员不是行政监督部门的在职人员", field="supervisor_user_id")
    return [draws.PartySpec(f"supervisor:{user_id}", "行政监督部门", user_id)]


def _witnesses(project: Project) -> list[draws.WitnessSpec]:
    """Seed 001: 抽取现场应由行政监督部门、公共资源交易中心工作人员、招标人（或其委托的招标代理机构人员）共同在场."""
    party = (
        draws.WitnessSpec(Role.AGENCY.value, "招标代理机构", organisation_ids=frozenset({project.agency_id}))
        if project.agency_id is not None
        else draws.WitnessSpec(
            Role.TENDERER.value, "招标人（采购人）", organisation_ids=frozenset({project.tenderer_id})
        )
    )
    return [
        draws.WitnessSpec(Role.SUPERVISOR.value, "行政监督部门"),
        draws.WitnessSpec(Role.CENTRE_STAFF.value, "交易中心工作人员"),
        party,
    ]


def start_draw(
    session: Session,
    actor: Principal,
    request_id: int,
    scheduled_at: datetime | None = None,
    supervisor_user_id: int | None = None,
) -> DrawRequest:
    """准备抽取: the centre commits the candidate list and opens the draw room for the witnesses."""
    row, project = service.get_readable(session, actor, request_id)
    if not visibility.may_run(actor):
        raise Forbidden("专家抽取由交易中心工作人员组织")
    if row.kind != "draw" or row.state != "approved":
        raise service.RequestStateConflict(f"抽取申请当前为“{service.STATES[row.state]}”，不能组织抽取")
    if not service.open_for(project, row.purpose):
        raise service.RequestStateConflict(f"项目当前为“{lifecycle.state_label(project, project.state)}”，不能抽取专家")
    _check_timing(session, row, project)
    specialties = service.specialties_of(session, row)
    labels = avoidance.specialty_labels(session, [s.specialty for s in specialties])
    cols, statuses = avoidance.columns(session, row, project)
    available = _eligible_per_group(cols.groups, statuses)
    short = []
    for s in specialties:
        eligible = available[s.specialty]
        if eligible < s.count:
            short.append(f"{labels.get(s.specialty, s.specialty)}（需{s.count}名，符合条件{eligible}名）")
    if short:
        raise PoolTooSmall(f"符合条件的专家人数不足：{'；'.join(short)}。请调整专业或人数后重新申请")
    groups = [draws.Group(s.specialty, labels.get(s.specialty, s.specialty), s.count, row.reserve) for s in specialties]
    candidates = draws.CandidateColumns(cols.refs, cols.groups, statuses)
    section_no = session.get(Section, row.section_id).number
    draw = draws.prepare(
        session,
        actor,
        purpose=DRAW_PURPOSES[row.purpose],
        title=f"{project.name}" + f" 第{section_no}标段（包）" + f" {PURPOSES[row.purpose]}",
        owner=owner_of(row),
        project_id=project.id,
        section_id=row.section_id,
        groups=groups,
        candidates=candidates,
        parties=_parties(session, row, supervisor_user_id),
        witnesses=_witnesses(project),
        scheduled_at=scheduled_at or clock.now(),
    )
    row.draw_code, row.state = draw.code, "drawing"
    return row


def _eligible_per_group(groups: list[list[str]], statuses: dict[int, str]) -> Counter[str]:
    """How many eligible members serve each requested code (members share their lists of codes: counted per list)."""
    per_list: Counter[int] = Counter(map(id, groups))
    for pos in statuses:
        per_list[id(groups[pos])] -= 1
    lists = dict(zip(map(id, groups), groups, strict=True))
    out: Counter[str] = Counter()
    for key, n in per_list.items():
        for code in lists[key]:
            out[code] += n
    return out


def record_seats(session: Session, request: DrawRequest, draw) -> None:
    """The engine's calls as the committee's seats: one row per call (a seat or a reserve place), kept in step
    with the engine's states (a reserve promoted to a seat gets a seat row of its own)."""
    now = clock.now()
    existing = {(s.leaf, s.reserve): s for s in service.committee_of(session, request.id)}
    for seat in draws.seats(session, draw):
        reserve = seat.kind == "reserve"
        row = existing.get((seat.leaf, reserve))
        if row is None:
            row = CommitteeSeat(
                request_id=request.id,
                specialty=seat.group,
                position=seat.position,
                leaf=seat.leaf,
                expert_id=expert_of_ref(seat.ref),
                state=seat.state,
                reserve=reserve,
                updated_at=now,
            )
            session.add(row)
            existing[(seat.leaf, reserve)] = row
        elif row.state != seat.state:
            row.state, row.updated_at = seat.state, now
    session.flush()


def on_drawn(session: Session, draw) -> None:
    """The engine finished the draw: the committee's seats are recorded (positions and hashes in the ledger)."""
    request = request_of_owner(session, draw.owner)
    if request is None:
        return
    record_seats(session, request, draw)
    request.state, request.drawn_at = "drawn", clock.now()
    seats = service.committee_of(session, request.id)
    project = session.get(Project, request.project_id)
    ledger.append(
        session,
        "committees:committee:seated",
        f"project:{project.code}",
        {
            "request": request.id,
            "draw": draw.code,
            "seats": [{"position": s.position, "group": s.specialty, "leaf": s.leaf} for s in seats if not s.reserve],
            "reserves": sum(1 for s in seats if s.reserve),
        },
    )
    if project.state in RESULT_STATES | ENDED_STATES:  # the results came while the draw was in the room
        disclose_project(session, project)


def on_outcome(session: Session, draw, changed, new) -> None:
    """A confirmation, decline or no-show was recorded: the seats follow the engine's (replacements included)."""
    request = request_of_owner(session, draw.owner)
    if request is not None:
        record_seats(session, request, draw)


def disclose_at_results(session: Session, event: lifecycle.StepEvent) -> None:
    """After every step: a project that reaches its results (or ends) discloses its finished draws; a project
    that ends withdraws its requests not yet drawn, and a draw still in the room is cancelled before its order is
    fixed (nobody is called for a project that has ended)."""
    if event.after == event.before or event.after not in RESULT_STATES | ENDED_STATES:
        return
    if event.after in ENDED_STATES:
        pending = select(DrawRequest).where(
            DrawRequest.project_id == event.project.id, DrawRequest.state.in_(("submitted", "approved", "drawing"))
        )
        for row in session.scalars(pending):
            if row.state == "drawing" and row.draw_code is not None:
                draws.cancel(session, row.draw_code, f"项目{lifecycle.state_label(event.project, event.after)}")
            row.state = "cancelled"
            ledger.append(
                session,
                "committees:request:cancelled",
                f"project:{event.project.code}",
                {"request": row.id, "by": event.actor.user_id, "reason": "project_ended"},
            )
    disclose_project(session, event.project)


def disclose_project(session: Session, project: Project) -> int:
    now = clock.now()
    done = 0
    stmt = select(DrawRequest).where(
        DrawRequest.project_id == project.id,
        DrawRequest.state.in_(("drawn", "appointed")),
        DrawRequest.disclosed_at.is_(None),
    )
    for row in session.scalars(stmt):
        if row.draw_code is not None:
            draws.disclose(session, row.draw_code)
        row.disclosed_at = now
        done += 1
    return done


def named_seats(session: Session, request: DrawRequest) -> dict[int, str]:
    """Seat id → the expert's name, for those who sat — only once the results are public (empty before)."""
    if request.disclosed_at is None:
        return {}
    out = {}
    for seat in service.committee_of(session, request.id):
        if seat.state in SAT_STATES and not seat.reserve:
            out[seat.id] = experts.contact(session, seat.expert_id)[0]
    return out


def names_for_record(session: Session, draw) -> dict[str, str]:
    """The draws engine's public record after disclosure: ``{ref: name}`` of those who sat."""
    request = request_of_owner(session, draw.owner)
    if request is None or request.disclosed_at is None:
        return {}
    out = {}
    for seat in service.committee_of(session, request.id):
        if seat.state in SAT_STATES and not seat.reserve:
            out[f"expert:{seat.expert_id}"] = experts.contact(session, seat.expert_id)[0]
    return out
