"""Pages of platform incidents: the public list and record of each incident (平台运行公告), and the staff page
where the centre declares and ends an incident and the supervisory department confirms it."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id
from sunshine.core.labels import TRADING_TYPE_LABELS
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.incidents import service
from sunshine.incidents.schemas import ConfirmIn, EndIn, IncidentIn
from sunshine.trading import lifecycle
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["平台应急事件"], include_in_schema=False)
PUBLIC = Depends(Access.public())
STAFF = Depends(Access(*service.READERS))
CENTRE = Depends(Access(*service.DECLARERS))
SUPERVISOR = Depends(Access(*service.CONFIRMERS))
BACK = "/staff/incidents"


def _moment(text: str, field: str, what: str) -> datetime:
    """A ``datetime-local`` value, read as Beijing time by the service."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日 时:分”填写{what}，如 2026-12-14 09:30", field=field) from None


def _ids(values: list[str]) -> list[int]:
    ids = [stored_id(v) for v in values if v.strip()]
    if None in ids:
        raise InvalidInput("请从列表中选择受影响的项目", field="project_ids")
    return ids


def _context(session: Session, incident) -> dict:
    return {
        "incident": incident,
        "affected": service.affected(session, incident),
        "notices": service.notices_of(session, incident),
    }


def _labels() -> dict:
    return {
        "kinds": service.KINDS,
        "statuses": service.STATUSES,
        "outcomes": service.OUTCOMES,
        "scope_label": service.scope_label,
        "moved_dates": service.moved_dates,
        "state_label": lifecycle.state_label,
    }


@router.get("/incidents", response_class=HTMLResponse)
def public_list(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    result = service.incident_page(session, cursor=cursor)
    return render(
        request,
        "incidents_list.html",
        page_title="平台运行公告（故障与应急处置）",
        incidents=[_context(session, i) for i in result.items],
        result=result,
        page_url=page_urls("/incidents", {}),
        **_labels(),
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def public_detail(incident_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    incident = service.get(session, incident_id)
    return render(
        request,
        "incidents_detail.html",
        page_title=f"应急事件 {incident.code}",
        **_context(session, incident),
        **_labels(),
    )


@router.get("/staff/incidents", response_class=HTMLResponse)
def staff_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = STAFF
) -> Response:
    result = service.incident_page(session, cursor=cursor)
    return render(
        request,
        "incidents_staff.html",
        page_title="平台故障与应急处置",
        incidents=[{**_context(session, i), "names": service.staff_names(session, i)} for i in result.items],
        result=result,
        page_url=page_urls("/staff/incidents", {}),
        candidates=service.candidates(session) if principal.has(*service.DECLARERS) else [],
        can_declare=principal.has(*service.DECLARERS),
        can_confirm=principal.has(*service.CONFIRMERS),
        types=TRADING_TYPE_LABELS,
        scopes=service.SCOPES,
        **_labels(),
    )


@router.post("/staff/incidents", response_class=HTMLResponse)
def staff_declare(
    request: Request,
    kind: str = Form(""),
    description: str = Form(""),
    started_at: str = Form(""),
    scope: str = Form("platform"),
    transaction_types: list[str] = Form([]),
    project_ids: list[str] = Form([]),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        data = IncidentIn.model_construct(
            kind=kind,
            description=description,
            started_at=_moment(started_at, "started_at", "故障开始时间"),
            scope=scope,
            transaction_types=[t for t in transaction_types if t],
            project_ids=_ids(project_ids),
        )
        return service.declare(session, principal, data)

    return act(request, BACK, call, lambda i: f"已登记应急事件 {i.code}，受影响项目已暂停，故障公告已发布")


@router.post("/staff/incidents/{incident_id}/confirm", response_class=HTMLResponse)
def staff_confirm(
    incident_id: Id,
    request: Request,
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    def call():
        return service.confirm(session, principal, incident_id, ConfirmIn.model_construct(note=note))

    return act(request, BACK, call, lambda i: f"已核实确认应急事件 {i.code}")


@router.post("/staff/incidents/{incident_id}/end", response_class=HTMLResponse)
def staff_end(
    incident_id: Id,
    request: Request,
    ended_at: str = Form(""),
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():
        data = EndIn.model_construct(ended_at=_moment(ended_at, "ended_at", "故障排除时间"), note=note)
        return service.end(session, principal, incident_id, data)

    return act(request, BACK, call, lambda i: f"应急事件 {i.code} 已结束，受影响项目已恢复并顺延，恢复公告已发布")
