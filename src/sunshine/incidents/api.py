"""JSON routes of platform incidents: the centre declares and ends an incident, the supervisory department
confirms it, everyone reads the incidents (the staff read adds who did what)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.incidents import service
from sunshine.incidents.models import Incident
from sunshine.incidents.schemas import AffectedOut, ConfirmIn, EndIn, IncidentIn, IncidentOut, MovedDate, NoticeOut
from sunshine.trading import lifecycle

router = APIRouter(prefix="/api/v1/incidents", tags=["平台应急事件"])
CENTRE = Depends(Access(*service.DECLARERS))
SUPERVISOR = Depends(Access(*service.CONFIRMERS))
STAFF = Depends(Access(*service.READERS))
PUBLIC = Depends(Access.public())
# the incident's own columns the read shows as they are (who did what is named only for staff)
RECORD_FIELDS = frozenset(IncidentOut.model_fields) - {"declared_by", "confirmed_by", "ended_by"}


def incident_out(session: Session, incident: Incident, *, staff: bool = False) -> IncidentOut:
    projects = [
        AffectedOut(
            project_id=project.id,
            project_code=project.code,
            project_name=project.name,
            state_before=lifecycle.state_label(project, row.state_before),
            outcome=service.OUTCOMES[row.outcome],
            days_added=row.days_added,
            moved=[MovedDate(label=label, before=a, after=b) for label, a, b in service.moved_dates(row)],
            suspended_seq=row.suspended_seq,
            resumed_seq=row.resumed_seq,
        )
        for row, project in service.affected(session, incident)
    ]
    notices = [
        NoticeOut(publication_id=p.id, title=p.title, published_at=p.published_at)
        for p in service.notices_of(session, incident)
    ]
    return IncidentOut(
        **{
            name: getattr(incident, name)
            for name in IncidentOut.model_fields
            if name in RECORD_FIELDS and hasattr(Incident, name)
        },
        kind_label=service.KINDS[incident.kind],
        scope_label=service.scope_label(incident),
        status_label=service.STATUSES[incident.status],
        projects=projects,
        notices=notices,
        **(service.staff_names(session, incident) if staff else {}),
    )


@router.post("", response_model=IncidentOut, status_code=201, summary="登记平台故障（交易中心）")
def declare(body: IncidentIn, session: Session = SessionDep, principal: Principal = CENTRE) -> IncidentOut:
    return incident_out(session, service.declare(session, principal, body), staff=True)


@router.post("/{incident_id}/confirm", response_model=IncidentOut, summary="核实确认应急事件（行政监督部门）")
def confirm(
    incident_id: Id, body: ConfirmIn, session: Session = SessionDep, principal: Principal = SUPERVISOR
) -> IncidentOut:
    return incident_out(session, service.confirm(session, principal, incident_id, body), staff=True)


@router.post("/{incident_id}/end", response_model=IncidentOut, summary="登记故障排除、恢复交易（交易中心）")
def end(incident_id: Id, body: EndIn, session: Session = SessionDep, principal: Principal = CENTRE) -> IncidentOut:
    return incident_out(session, service.end(session, principal, incident_id, body), staff=True)


@router.get("", response_model=list[IncidentOut], summary="平台应急事件（公开）")
def list_incidents(
    paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = PUBLIC
) -> list[IncidentOut]:
    staff = principal.has(*service.READERS)
    page = service.incident_page(session, cursor=paging.cursor, limit=paging.limit)
    return [incident_out(session, i, staff=staff) for i in paging.answer(page)]


@router.get("/{incident_id}", response_model=IncidentOut, summary="应急事件详情（公开）")
def detail(incident_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> IncidentOut:
    return incident_out(session, service.get(session, incident_id), staff=principal.has(*service.READERS))
