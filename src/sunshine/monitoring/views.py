"""Pages of electronic monitoring and statistics: the supervisory department's alerts with their evidence and the
handling form, the public rules page, the public and staff statistics pages (a chart beside each data table, CSV
and xlsx downloads), and the recordings of the rooms with their retrieval requests."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.inputs import Id, Year, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.monitoring import export, reading, recordings, service, statistics, usage
from sunshine.monitoring.ruleset import SEVERITIES, pack
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["电子监察与统计分析"], include_in_schema=False)
PUBLIC = Depends(Access.public())
READERS = Depends(Access(*service.READERS))
HANDLERS = Depends(Access(*service.HANDLERS))
REGISTRARS = Depends(Access(*recordings.REGISTRARS))
REQUESTERS = Depends(Access(*recordings.REQUESTERS))
RECORDING_READERS = Depends(Access(*recordings.READERS))
APPROVER = Depends(Access(recordings.approver_role()))
FORMAT = "^(csv|xlsx)$"


@router.get("/monitoring", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    status: str = Query("pending", pattern="^(pending|confirmed|dismissed|all)$"),
    rule: str = Query("", max_length=10),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = READERS,
) -> Response:
    result = reading.page(
        session, principal, status=None if status == "all" else status, rule_id=rule or None, cursor=cursor
    )
    return render(
        request,
        "monitoring/alerts.html",
        page_title="电子监察预警",
        alerts=result.items,
        result=result,
        page_url=page_urls("/monitoring", {"status": status, "rule": rule}),
        counts=reading.counts(session),
        current_status=status,
        rule=rule,
        statuses=reading.STATUSES,
        rule_options=[("", "全部规则")] + [(r.id, f"{r.id} {r.title}") for r in pack().rules],
    )


@router.get("/monitoring/alerts/{alert_id}", response_class=HTMLResponse)
def alert_page(alert_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS):
    item = reading.one(session, principal, alert_id)
    return render(
        request,
        "monitoring/alert.html",
        page_title=f"监察预警 {item['rule_id']}",
        alert=item,
        rule=pack().by_id().get(item["rule_id"]),
        can_handle=principal.has(*service.HANDLERS) and item["decision"] is None,
        decisions=service.DECISIONS,
        evidence_labels=reading.EVIDENCE_LABELS,
    )


@router.post("/monitoring/alerts/{alert_id}/handle", response_class=HTMLResponse)
def handle_page(
    alert_id: Id,
    request: Request,
    decision: str = Form(""),
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = HANDLERS,
) -> Response:
    def call():
        return service.handle(session, principal, alert_id, decision, note)

    return act(
        request,
        f"/monitoring/alerts/{alert_id}",
        call,
        lambda r: f"已{service.DECISIONS[r[1].decision]}该预警，处理记录已留痕",
    )


@router.get("/monitoring/rules", response_class=HTMLResponse)
def rules_page(request: Request, _: Principal = PUBLIC) -> Response:
    return render(request, "monitoring/rules.html", page_title="电子监察规则", pack=pack(), severities=SEVERITIES)


def _flush_views(request: Request) -> None:
    """The page views counted in memory, written in a unit of work of their own (a page's own is read-only)."""
    with request.app.state.db.unit_of_work() as session:
        usage.flush(session)


def _statistics(request: Request, session: Session, registry, year: int | None, staff: bool) -> Response:
    if staff:
        _flush_views(request)
    tables = statistics.tables(session, registry, year)
    return render(
        request,
        "monitoring/statistics.html",
        page_title="统计分析" if not staff else "统计分析（工作人员）",
        tables=tables,
        year=year,
        staff=staff,
        base="/staff/statistics" if staff else "/statistics",
        counts=reading.counts(session) if staff else None,
    )


@router.get("/statistics", response_class=HTMLResponse)
def public_statistics(
    request: Request, year: Year | None = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _statistics(request, session, statistics.PUBLIC_TABLES, year, staff=False)


@router.get("/staff/statistics", response_class=HTMLResponse)
def staff_statistics(
    request: Request, year: Year | None = None, session: Session = SessionDep, _: Principal = READERS
) -> Response:
    return _statistics(request, session, statistics.STAFF_TABLES, year, staff=True)


def _download(session: Session, registry, table: str, fmt: str, year: int | None) -> Response:
    if table not in registry:
        raise NotFound("没有这张统计表")
    return export.response(registry[table](session, year), fmt)


@router.get("/statistics/{table}/download")
def public_download(
    table: str,
    fmt: str = Query("csv", pattern=FORMAT),
    year: Year | None = None,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    return _download(session, statistics.PUBLIC_TABLES, table, fmt, year)


@router.get("/staff/statistics/{table}/download")
def staff_download(
    table: str,
    request: Request,
    fmt: str = Query("csv", pattern=FORMAT),
    year: Year | None = None,
    session: Session = SessionDep,
    _: Principal = READERS,
) -> Response:
    if table in ("page-views", "top-pages"):
        _flush_views(request)
    return _download(session, statistics.STAFF_TABLES, table, fmt, year)


# ---- recordings ----


@router.get("/monitoring/recordings", response_class=HTMLResponse)
def recordings_page(
    request: Request,
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = RECORDING_READERS,
):
    result = recordings.recording_page(session, cursor=cursor)
    return render(
        request,
        "monitoring/recordings.html",
        page_title="现场录像",
        recordings=result.items,
        result=result,
        page_url=page_urls("/monitoring/recordings", {}),
        requests=recordings.requests(session),
        rooms=recordings.ROOMS,
        request_statuses=recordings.REQUEST_STATUSES,
        approver=recordings.approver_role(),
        basis=recordings.APPROVAL_BASIS,
        can_register=principal.has(*recordings.REGISTRARS),
        can_request=principal.has(*recordings.REQUESTERS),
        can_approve=principal.has(recordings.approver_role()),
        me=principal.user_id,
    )


def _moment(text: str, field: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("请按“年-月-日 时:分”填写时间", field=field) from None


@router.post("/monitoring/recordings", response_class=HTMLResponse)
async def register_page(
    request: Request,
    project_id: str = Form(""),
    room: str = Form(""),
    session_ref: str = Form(""),
    started_at: str = Form(""),
    ended_at: str = Form(""),
    file: UploadFile | None = None,
    session: Session = SessionDep,
    principal: Principal = REGISTRARS,
) -> Response:
    data = await file.read() if file is not None else b""
    filename = (file.filename or "") if file is not None else ""

    def call():
        pid = stored_id(project_id)
        if pid is None:
            raise InvalidInput("请填写项目编号", field="project_id")
        return recordings.register(
            session,
            principal,
            recordings.RecordingIn(
                project_id=pid,
                room=room,
                session_ref=session_ref,
                filename=filename,
                data=data,
                started_at=_moment(started_at, "started_at"),
                ended_at=_moment(ended_at, "ended_at"),
            ),
        )

    return act(request, "/monitoring/recordings", call, lambda r: f"已登记录像，哈希已留痕（{r.sha256[:12]}…）")


@router.post("/monitoring/recordings/{recording_id}/requests", response_class=HTMLResponse)
def request_page(
    recording_id: Id,
    request: Request,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REQUESTERS,
) -> Response:
    return act(
        request,
        "/monitoring/recordings",
        lambda: recordings.request_access(session, principal, recording_id, reason),
        f"已提出调取申请，待{recordings.approver_role().label}同意",
    )


@router.post("/monitoring/recording-requests/{request_id}/decision", response_class=HTMLResponse)
def decide_page(
    request_id: Id,
    request: Request,
    decision: str = Form(""),
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = APPROVER,
) -> Response:
    return act(
        request,
        "/monitoring/recordings",
        lambda: recordings.decide(session, principal, request_id, decision == "approve", note),
        lambda r: f"{recordings.REQUEST_STATUSES[r.status]}调取",
    )


@router.post("/monitoring/recording-requests/{request_id}/retrieval")
def retrieve_file(request_id: Id, session: Session = SessionDep, principal: Principal = REQUESTERS) -> Response:
    """The approved requester's download; a POST, because each retrieval is recorded in the ledger."""
    recording, data = recordings.retrieve(session, principal, request_id)
    ext = recording.filename.rsplit(".", 1)[-1]
    return Response(
        data,
        media_type=recording.content_type,
        headers={"Content-Disposition": f'attachment; filename="recording-{recording.id}.{ext}"'},
    )
