"""Pages of expert draw requests: the project's requests and the form to ask (agency, tenderer), a request's
page (approve or return for the supervisory department, open the draw for the centre, withdraw for the
applicant; the committee's seats as positions and hashes, names after the results), and the queue of requests
waiting for the supervisor or the centre."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, composition, drawing, packrules, rooms, service, visibility
from sunshine.committees.api import seat_label
from sunshine.committees.visibility import ROUTE_ROLES
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.experts.models import Expert
from sunshine.identity.roles import Role
from sunshine.trading.models import Project, Section
from sunshine.web.refusals import act, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["专家抽取申请"], include_in_schema=False)
READERS = Depends(Access(*ROUTE_ROLES))
APPLICANTS = Depends(Access(Role.AGENCY, Role.TENDERER))
SUPERVISORS = Depends(Access(Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
OFFICIALS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
ROWS = 4  # specialty rows on the form
FORM_FIELDS = ("section_id", "purpose", "kind", "specialties", "reserve", "representatives", "meeting_at")
FORM_FIELDS += ("place_kind", "place", "reason", "appointees")


def _errors(exc: SunshineError) -> dict[str, str]:
    field = exc.extra.get("field")
    return {field if field in FORM_FIELDS else "_form": exc.detail}


def _composition_text(session: Session, project: Project) -> list[str]:
    lim = packrules.limits(session, project, composition.EVALUATION)
    lines = [
        f"评标委员会（评审小组）由专家和招标人（采购人）代表组成，成员{lim.min_size}人以上单数，"
        f"专家不少于成员总数的{composition.share_text(lim.expert_share)}"
    ]
    if lim.large_min_size and lim.large_threshold:
        mine = "（本项目适用）" if project.budget >= lim.large_threshold else ""
        lines.append(f"预算{lim.large_threshold:,.0f}元以上的，须{lim.large_min_size}人以上单数{mine}")
    threshold = packrules.doc_review_threshold(session, project)
    if threshold is not None:
        need = "本项目须" if project.budget >= threshold else "本项目预算未达该数额，可不"
        lines.append(f"采购金额{threshold:,.0f}元以上的，招标文件须由随机抽取的专家审查；{need}申请招标文件审查")
    return lines


def _project_page(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict | None = None,
    status: int = 200,
) -> Response:
    project, rows = service.for_project(session, principal, project_id)
    sections = list(session.scalars(select(Section).where(Section.project_id == project.id).order_by(Section.number)))
    purposes = dict(composition.PURPOSES)
    if project.transaction_type != "gov_procurement":
        purposes = {composition.EVALUATION: purposes[composition.EVALUATION]}
    return render(
        request,
        "committees_project.html",
        status=status,
        page_title=f"专家抽取申请：{project.name}",
        project=project,
        rows=rows,
        sections=sections,
        purposes=purposes,
        kinds=service.KINDS,
        place_kinds=service.PLACE_KINDS,
        evaluation_rooms=rooms.evaluation_room_names(session),
        states=service.STATES,
        specialties=avoidance.specialty_options(session),
        can_request=visibility.may_request(principal, project) and any(service.open_for(project, p) for p in purposes),
        approval_required=packrules.approval_required(session, project),
        after_deadline=packrules.draw_after_deadline(session, project),
        rules_text=_composition_text(session, project),
        appointment_basis=service.APPOINTMENT_BASIS,
        errors=errors or {},
        values=values or {"reserve": "1", "representatives": "1", "place_kind": "room", "kind": "draw"},
        rows_count=ROWS,
    )


@router.get("/projects/{project_id}/expert-draws", response_class=HTMLResponse)
def project_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS):
    return _project_page(request, session, principal, project_id)


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("请填写评标（评审）时间", field="meeting_at") from None
    return service.aware(value)


def _count(text: str, field: str, what: str, low: int = 0, high: int = 50) -> int:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise InvalidInput(f"{what}应为{low}至{high}之间的整数", field=field)
    return int(text)


def _appointees(session: Session, text: str) -> tuple[service.Appointee, ...]:
    """Lines of "专家编号 专业代码" (the public expert code, e.g. ZJ000012 A0101)."""
    out = []
    for line in (text or "").splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2:
            raise InvalidInput("直接确定的专家每行填写“专家编号 专业代码”", field="appointees")
        expert_id = session.scalar(select(Expert.id).where(Expert.code == parts[0]))
        if expert_id is None:
            raise InvalidInput(f"专家编号不存在：{parts[0]}", field="appointees")
        out.append(service.Appointee(expert_id, parts[1]))
    return tuple(out)


@router.post("/projects/{project_id}/expert-draws", response_class=HTMLResponse)
def submit(
    project_id: Id,
    request: Request,
    section_id: str = Form(""),
    purpose: str = Form("evaluation"),
    kind: str = Form("draw"),
    spec_code: list[str] = Form([]),
    spec_count: list[str] = Form([]),
    reserve: str = Form("0"),
    representatives: str = Form("0"),
    meeting_at: str = Form(""),
    place_kind: str = Form("room"),
    place: str = Form(""),
    reason: str = Form(""),
    appointees: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = APPLICANTS,
) -> Response:
    values = {
        "section_id": section_id,
        "purpose": purpose,
        "kind": kind,
        "spec_code": spec_code,
        "spec_count": spec_count,
        "reserve": reserve,
        "representatives": representatives,
        "meeting_at": meeting_at,
        "place_kind": place_kind,
        "place": place,
        "reason": reason,
        "appointees": appointees,
    }

    def refused(session: Session, exc: SunshineError) -> Response:
        return _project_page(
            request, session, principal, project_id, errors=_errors(exc), values=values, status=exc.status
        )

    with refusals_shown_on(refused):
        section = stored_id(section_id)
        if section is None:
            raise InvalidInput("请选择标段（包）", field="section_id")
        pairs = []
        for code, n in zip(spec_code, spec_count, strict=False):
            if code.strip():
                pairs.append((code.strip(), _count(n, "specialties", "各专业人数", 1, 50)))
        data = service.RequestIn(
            section_id=section,
            purpose=purpose,
            specialties=pairs,
            reserve=_count(reserve, "reserve", "备选人数", 0, 20),
            representatives=_count(representatives, "representatives", "招标人代表人数", 0, 20),
            meeting_at=_moment(meeting_at),
            place_kind=place_kind,
            place=place,
            kind=kind,
            reason=reason,
            appointees=_appointees(session, appointees) if kind == "appointment" else (),
        )
        row = service.submit(session, principal, project_id, data)
    flash(request, "success", f"已提交抽取申请（第{row.id}号），当前状态：{service.STATES[row.state]}")
    return redirect(request, f"/expert-draws/{row.id}")


@router.get("/expert-draws", response_class=HTMLResponse)
def queue_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = OFFICIALS
) -> Response:
    result = service.queue(session, principal, cursor=cursor)
    return render(
        request,
        "committees_queue.html",
        page_title="专家抽取申请",
        items=result.items,
        result=result,
        page_url=page_urls("/expert-draws", {}),
        states=service.STATES,
        purposes=composition.PURPOSES,
        may_decide=visibility.may_decide(principal),
        may_run=visibility.may_run(principal),
    )


@router.get("/expert-draws/{request_id}", response_class=HTMLResponse)
def request_page(request_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS):
    row, project = service.get_readable(session, principal, request_id)
    section = session.get(Section, row.section_id)
    specialties = service.specialties_of(session, row)
    labels = avoidance.specialty_labels(session, [s.specialty for s in specialties])
    names = drawing.named_seats(session, row)
    seats = [
        {"seat": s, "label": seat_label(s.state, s.reserve), "name": names.get(s.id)}
        for s in service.committee_of(session, row.id)
    ]
    return render(
        request,
        "committees_request.html",
        page_title=f"专家抽取申请第{row.id}号",
        row=row,
        project=project,
        section=section,
        specialties=specialties,
        labels=labels,
        seats=seats,
        states=service.STATES,
        kinds=service.KINDS,
        purposes=composition.PURPOSES,
        place_kinds=service.PLACE_KINDS,
        experts=sum(s.count for s in specialties),
        may_decide=visibility.may_decide(principal) and row.state == "submitted",
        may_run=visibility.may_run(principal) and row.state == "approved" and row.kind == "draw",
        may_cancel=visibility.may_request(principal, project) and row.state in {"submitted", "approved"},
        needs_party=row.decided_by is None,
    )


@router.post("/expert-draws/{request_id}/approve", response_class=HTMLResponse)
def approve(request_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SUPERVISORS):
    return act(
        request,
        f"/expert-draws/{request_id}",
        lambda: service.approve(session, principal, request_id),
        lambda r: "已核准：直接确定的专家生效" if r.kind == "appointment" else "已核准，申请已提交交易中心组织抽取",
    )


@router.post("/expert-draws/{request_id}/return", response_class=HTMLResponse)
def return_request(
    request_id: Id,
    request: Request,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISORS,
) -> Response:
    return act(
        request,
        f"/expert-draws/{request_id}",
        lambda: service.return_request(session, principal, request_id, reason),
        "已退回申请，申请人可修改后重新申请",
    )


@router.post("/expert-draws/{request_id}/cancel", response_class=HTMLResponse)
def cancel(request_id: Id, request: Request, session: Session = SessionDep, principal: Principal = APPLICANTS):
    return act(
        request, f"/expert-draws/{request_id}", lambda: service.cancel(session, principal, request_id), "已撤回申请"
    )


@router.post("/expert-draws/{request_id}/draw", response_class=HTMLResponse)
def start_draw(
    request_id: Id,
    request: Request,
    supervisor_user_id: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    with_party = stored_id(supervisor_user_id)
    return act(
        request,
        f"/expert-draws/{request_id}",
        lambda: drawing.start_draw(session, principal, request_id, supervisor_user_id=with_party),
        lambda r: f"候选名单已锁定并记入公开账本（抽取编号 {r.draw_code}），请见证人和参与方进入抽取室签到",
    )
