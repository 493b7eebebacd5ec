"""JSON routes of electronic monitoring: the rules (public), the alerts with their evidence and the supervisory
department's handling, the statistics (public and staff), and the recording interface of the rooms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import PAGING, Paging
from sunshine.monitoring import reading, recordings, service, statistics
from sunshine.monitoring.ruleset import pack
from sunshine.monitoring.schemas import AlertOut, HandlingIn, RecordingOut, RecordingRegisterIn, RuleOut, TableOut

router = APIRouter(prefix="/api/v1", tags=["电子监察与统计分析"])
PUBLIC = Depends(Access.public())
READERS = Depends(Access(*service.READERS))
HANDLERS = Depends(Access(*service.HANDLERS))
STAFF = Depends(Access(*service.READERS))
REGISTRARS = Depends(Access(*recordings.REGISTRARS))
RECORDING_READERS = Depends(Access(*recordings.READERS))


@router.get("/monitoring/rules", response_model=list[RuleOut], summary="电子监察规则（含依据、阈值）")
def rules(_: Principal = PUBLIC) -> list[RuleOut]:
    return [RuleOut(**{**r.__dict__, "severity_label": r.severity_label}) for r in pack().rules]


@router.get("/monitoring/alerts", response_model=list[AlertOut], summary="监察预警")
def alerts(
    status: str | None = Query(
        None, pattern="^(pending|confirmed|dismissed)$", description="pending/confirmed/dismissed"
    ),
    rule: str | None = Query(None, max_length=10, description="规则编号，如 R018"),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    actor: Principal = READERS,
) -> list[dict[str, Any]]:
    return paging.answer(
        reading.page(session, actor, status=status, rule_id=rule, cursor=paging.cursor, limit=paging.limit)
    )


@router.get("/monitoring/alerts/{alert_id}", response_model=AlertOut, summary="一条监察预警及其证据")
def alert(alert_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> dict[str, Any]:
    return reading.one(session, actor, alert_id)


@router.post("/monitoring/alerts/{alert_id}/handling", response_model=AlertOut, summary="处理监察预警（确认/排除）")
def handle(alert_id: Id, data: HandlingIn, session: Session = SessionDep, actor: Principal = HANDLERS) -> dict:
    service.handle(session, actor, alert_id, data.decision, data.note)
    return reading.one(session, actor, alert_id)


def _tables(session: Session, registry, year: int | None) -> list[TableOut]:
    return [
        TableOut(key=t.key, title=t.title, columns=list(t.columns), rows=t.rows, totals=t.totals(), note=t.note)
        for t in statistics.tables(session, registry, year)
    ]


@router.get("/statistics", response_model=list[TableOut], summary="交易统计（公开）")
def public_statistics(year: Year | None = None, session: Session = SessionDep, _: Principal = PUBLIC) -> list:
    return _tables(session, statistics.PUBLIC_TABLES, year)


@router.get("/staff/statistics", response_model=list[TableOut], summary="交易统计（工作人员，含预警与访问量）")
def staff_statistics(year: Year | None = None, session: Session = SessionDep, _: Principal = STAFF) -> list:
    return _tables(session, statistics.STAFF_TABLES, year)


@router.get("/monitoring/recordings", response_model=list[RecordingOut], summary="现场录像登记")
def list_recordings(
    project_id: Id | None = None,
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = RECORDING_READERS,
) -> list:
    page = recordings.recording_page(session, project_id, cursor=paging.cursor, limit=paging.limit)
    return [RecordingOut.model_validate(r, from_attributes=True) for r in paging.answer(page)]


@router.post(
    "/monitoring/recordings", response_model=RecordingOut, status_code=201, summary="登记现场录像（录像系统接口）"
)
def register_recording(data: RecordingRegisterIn, session: Session = SessionDep, actor: Principal = REGISTRARS):
    row = recordings.register(
        session,
        actor,
        recordings.RecordingIn(
            project_id=data.project_id,
            room=data.room,
            session_ref=data.session_ref,
            filename=data.filename,
            sha256=data.sha256,
            started_at=data.started_at,
            ended_at=data.ended_at,
        ),
    )
    return RecordingOut.model_validate(row, from_attributes=True)
