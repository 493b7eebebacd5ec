"""JSON routes of projects: registration, acceptance, return, termination, suspension, and reading
projects and their timelines. Thin: every rule is in the services."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT, MAX_LIMIT, PAGING, Paging, link_header
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle, service, visibility
from sunshine.trading.labels import method_label, type_label
from sunshine.trading.models import Project
from sunshine.trading.schemas import ProjectIn, ProjectOut, ReasonIn, RetenderIn, SectionOut, TransitionOut

router = APIRouter(prefix="/api/v1/projects", tags=["交易项目"])
PUBLIC = Depends(Access.public())
REGISTRANTS = Depends(Access(Role.AGENCY, Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
OVERSEERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
TENDERER_SIDE = Depends(Access(Role.AGENCY, Role.TENDERER))


def organisation_names(session: Session, projects: list[Project]) -> dict[int, str]:
    """The names of the tenderers and agencies of ``projects``, in one query."""
    ids = {i for p in projects for i in (p.tenderer_id, p.agency_id) if i}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def project_out(
    session: Session, project: Project, actor: Principal, names: dict[int, str] | None = None
) -> ProjectOut:
    names = names if names is not None else organisation_names(session, [project])
    return ProjectOut(
        id=project.id,
        code=project.code,
        name=project.name,
        transaction_type=project.transaction_type,
        transaction_type_label=type_label(project.transaction_type),
        method=project.method,
        method_label=method_label(project.method),
        pack_key=project.pack_key,
        pack_version=project.pack_version,
        lifecycle=project.lifecycle,
        state=project.state,
        state_label=lifecycle.state_label(project, project.state),
        tenderer_id=project.tenderer_id,
        tenderer_name=names.get(project.tenderer_id, ""),
        agency_id=project.agency_id,
        agency_name=names.get(project.agency_id) if project.agency_id else None,
        budget=project.budget,
        region_code=project.region_code,
        funding_source=project.funding_source,
        evaluation_method=project.evaluation_method,
        green_channel=project.green_channel,
        green_reason=project.green_reason,
        docs_issued_at=project.docs_issued_at,
        docs_sale_end=project.docs_sale_end,
        bid_deadline=project.bid_deadline,
        opening_at=project.opening_at,
        registered_at=project.registered_at,
        failed_attempts=project.failed_attempts,
        retender_of_id=project.retender_of_id,
        catalogue_code=project.catalogue_code,
        catalogue_note=project.catalogue_note,
        sections=[SectionOut.model_validate(s) for s in project.sections],
        next_steps=[s.name for s in lifecycle.available_steps(project) if actor.roles & s.roles],
    )


@router.post("", response_model=ProjectOut, status_code=201, summary="进场登记")
def register(body: ProjectIn, session: Session = SessionDep, actor: Principal = REGISTRANTS) -> ProjectOut:
    return project_out(session, service.register(session, actor, body), actor)


@router.get(
    "",
    response_model=list[ProjectOut],
    summary='交易项目列表（按查看者可见范围，最新登记在前；有下一页时响应头 Link 给出 rel="next" 的地址）',
)
def list_projects(
    request: Request,
    response: Response,
    state: str | None = Query(None, max_length=40),
    transaction_type: str | None = Query(None, max_length=30),
    green: bool = Query(False, description="只看绿色通道项目"),
    mine: bool = Query(False, description="只看本单位的项目"),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    actor: Principal = PUBLIC,
) -> list[ProjectOut]:
    page = service.page_visible(
        session,
        actor,
        cursor=cursor,
        limit=limit or MAX_LIMIT,
        state=state,
        transaction_type=transaction_type,
        green_only=green,
        mine=mine and actor.organisation_id is not None,
    )
    response.headers.update(link_header(request.url, page))
    names = organisation_names(session, page.items)
    return [project_out(session, p, actor, names) for p in page.items]


@router.get("/queue", response_model=list[ProjectOut], summary="受理队列（交易中心）")
def queue(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = CENTRE) -> list[ProjectOut]:
    projects = paging.answer(service.acceptance_page(session, cursor=paging.cursor, limit=paging.limit))
    names = organisation_names(session, projects)
    return [project_out(session, p, actor, names) for p in projects]


@router.get("/{project_id}", response_model=ProjectOut, summary="项目详情")
def get_project(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> ProjectOut:
    return project_out(session, visibility.get_visible(session, actor, project_id), actor)


@router.get("/{project_id}/timeline", response_model=list[TransitionOut], summary="项目全过程时间线（含留痕证明）")
def timeline(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> list[TransitionOut]:
    project = visibility.get_visible(session, actor, project_id)
    return [
        TransitionOut(
            step=t.step,
            title=lifecycle.STEPS[t.step].title if t.step in lifecycle.STEPS else t.step,
            from_state=t.from_state,
            to_state=t.to_state,
            to_label=lifecycle.state_label(project, t.to_state),
            reason=t.reason,
            document_ref=t.document_ref,
            at=t.at,
            ledger_seq=t.ledger_seq,
            proof_url=f"/api/v1/ledger/entries/{t.ledger_seq}/proof",
        )
        for t in service.timeline(session, project)
    ]


@router.put("/{project_id}", response_model=ProjectOut, summary="修改被退回的项目并重新提交")
def resubmit(
    project_id: Id, body: ProjectIn, session: Session = SessionDep, actor: Principal = REGISTRANTS
) -> ProjectOut:
    return project_out(session, service.resubmit(session, actor, project_id, body), actor)


@router.post("/{project_id}/accept", response_model=ProjectOut, summary="受理（交易中心）")
def accept(project_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> ProjectOut:
    return project_out(session, service.accept(session, actor, project_id), actor)


@router.post("/{project_id}/return", response_model=ProjectOut, summary="退回并说明理由（交易中心）")
def return_project(
    project_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> ProjectOut:
    return project_out(session, service.return_project(session, actor, project_id, body.reason), actor)


@router.post("/{project_id}/terminate", response_model=ProjectOut, summary="终止项目")
def terminate(project_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = PARTIES) -> ProjectOut:
    return project_out(session, service.terminate(session, actor, project_id, body.reason), actor)


@router.post("/{project_id}/suspend", response_model=ProjectOut, summary="暂停项目（交易中心、监督部门）")
def suspend(project_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = OVERSEERS) -> ProjectOut:
    return project_out(session, service.suspend(session, actor, project_id, body.reason), actor)


@router.post("/{project_id}/resume", response_model=ProjectOut, summary="恢复项目（交易中心、监督部门）")
def resume(project_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = OVERSEERS) -> ProjectOut:
    return project_out(session, service.resume(session, actor, project_id, body.reason), actor)


@router.post("/{project_id}/close", response_model=ProjectOut, summary="截止（截止时间到达后）")
def close(project_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> ProjectOut:
    project = visibility.get_visible(session, actor, project_id)
    lifecycle.apply(session, project, "close_bidding", actor)
    return project_out(session, project, actor)


@router.post("/{project_id}/retender", response_model=ProjectOut, status_code=201, summary="流标后重新招标")
def retender(
    project_id: Id, body: RetenderIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> ProjectOut:
    project = service.retender(session, actor, project_id, method=body.method, reason=body.reason)
    return project_out(session, project, actor)


lifecycle_router = APIRouter(prefix="/api/v1/lifecycle", tags=["交易项目"])


@lifecycle_router.get("", summary="各交易方式的环节声明（状态与步骤）")
def declaration(_: Principal = PUBLIC) -> dict:
    return {
        "lifecycles": {
            name: {state: lifecycle.state_label(name, state) for state in lifecycle.STATES}
            for name in lifecycle.LIFECYCLES
        },
        "steps": [
            {
                "name": s.name,
                "title": s.title,
                "from": sorted(s.sources) if not isinstance(s.sources, str) else "任一进行中状态",
                "to": s.target,
                "roles": sorted(r.value for r in s.roles),
                "lifecycles": sorted(s.lifecycles),
                "reason_required": s.reason_required,
                "discloses": s.discloses,
                "rule": s.rule,
            }
            for s in lifecycle.STEPS.values()
        ],
    }
