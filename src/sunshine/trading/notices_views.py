"""Notice pages: the public notice list and notice page (with every version of the series, the
attachments and their SHA-256, and the ledger link), and the forms with which a tenderer or its agency
publishes a first notice or a clarification, amendment or opening-time change. Thin: the rules are in
``sunshine.trading.notices``; these routes read forms, call it and render."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sunshine.config import get_settings
from sunshine.core import clock, content
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import Forbidden, NotFound, SunshineError
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.seals import service as seals_service
from sunshine.trading import (
    lifecycle,
    notice_kinds,
    notice_reading,
    notice_schedule,
    notices,
    sealing,
    section_details,
    service,
    visibility,
)
from sunshine.trading.labels import TRANSACTION_TYPES, method_label, type_label
from sunshine.trading.models import Project
from sunshine.trading.notices_api import uploads
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
PUBLISHERS = Depends(Access(Role.AGENCY, Role.TENDERER))

PAGE_SIZE = 20
NEW_FIELDS = (
    "kind",
    "title",
    "body_html",
    "docs_issued_at",
    "docs_sale_end",
    "bid_deadline",
    "opening_at",
    "docs_price",
    "attachments",
)
AMEND_FIELDS = ("kind", "title", "body_html", "affects_bids", "new_bid_deadline", "new_opening_at", "attachments")
# A project not there or not the visitor's to publish answers 404/403 as it is, not beside a field.
REFUSED_ELSEWHERE = (NotFound.status, Forbidden.status)
INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def _input_value(value: datetime | None) -> str:
    return value.astimezone(get_settings().tz).strftime(INPUT_FORMAT) if value else ""


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=get_settings().tz).strftime(INPUT_FORMAT)


def _parse(values: dict[str, str], name: str, label: str, errors: dict[str, str]) -> datetime | None:
    """A ``datetime-local`` value, read as Beijing time."""
    text = (values.get(name) or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        errors[name] = f"请按“年-月-日 时:分”填写{label}，如 2026-12-14 09:30"
        return None
    return value.replace(tzinfo=get_settings().tz) if value.tzinfo is None else value


async def _files(request: Request) -> list[UploadFile]:
    """The chosen files. A browser sends an empty part (no name, no bytes) for a file input left empty,
    which the typed ``list[UploadFile]`` parameter would refuse, so the form is read directly."""
    form = await request.form()
    return [f for f in form.getlist("attachments") if isinstance(f, UploadFile) and (f.filename or f.size)]


def _field_of(exc: SunshineError, fields: tuple[str, ...]) -> str:
    field = exc.extra.get("field")
    return field if field in fields else "_form"


# --------------------------------------------------------------------------- public pages


@router.get("/notices", response_class=HTMLResponse)
def notice_list(
    request: Request,
    kind: str | None = Query(None, max_length=40),
    transaction_type: str | None = Query(None, max_length=30),
    q: str | None = Query(None, max_length=100),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = PUBLIC,
) -> Response:
    kind = kind if kind in notice_kinds.KIND_LABELS else None
    transaction_type = transaction_type if transaction_type in TRANSACTION_TYPES else None
    result = notice_reading.list_public(
        session, kind=kind, transaction_type=transaction_type, q=q, cursor=cursor, limit=PAGE_SIZE
    )
    filters = {k: v for k, v in (("kind", kind), ("transaction_type", transaction_type), ("q", q)) if v}
    page_url = page_urls("/notices", filters)

    waiting: list[Project] = []
    if principal.has(Role.AGENCY, Role.TENDERER) and principal.organisation_id is not None:
        waiting = [
            p
            for p in service.list_visible(session, principal, state="accepted", mine=True)
            if notices.can_publish(principal, p)
        ]
    return render(
        request,
        "notices_list.html",
        page_title="交易公告",
        result=result,
        filters=filters,
        kind=kind,
        transaction_type=transaction_type,
        q=q or "",
        page_url=page_url,
        waiting=waiting,
        kind_options=list(notice_kinds.KIND_LABELS.items()),
        type_options=list(TRANSACTION_TYPES.items()),
        kind_label=notice_kinds.kind_label,
        type_label=type_label,
    )


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_detail(
    request: Request, notice_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    notice, project = notice_reading.get_visible(session, principal, notice_id)
    versions = notice_reading.series(session, notice)
    can_amend = (
        project.state == "notice_published"
        and notices.can_publish(principal, project)
        and "amend_notice" in {s.name for s in lifecycle.available_steps(project)}
    )
    labels = notice_kinds.date_labels(project, versions[-1].kind if versions else notice.kind)
    return render(
        request,
        "notices_detail.html",
        page_title=notice.title,
        notice=notice,
        project=project,
        versions=versions,
        # Stored bodies were sanitised when published; cleaning again on the way out costs little and keeps
        # the page safe even if a row was written by something other than the service.
        body_html=content.sanitise(notice.body_html),
        labels=labels,
        # 招标文件售价 as the series' first notice stated it
        docs_price=next((v.docs_price for v in versions if v.series_id is None), notice.docs_price),
        can_amend=can_amend,
        kind_label=notice_kinds.kind_label,
        type_label=type_label,
        method_label=method_label,
        state_label=lifecycle.state_label(project, project.state),
        sections=section_details.of_project(session, project.id),
        seals=seals_service.seals_of(session, "notice", notice.id),
        can_seal=principal.has(Role.SIGNER) and principal.organisation_id == sealing.issuer_of(project),
    )


# --------------------------------------------------------------------------- first notice


def _publishable(session: Session, principal: Principal, project_id: int) -> Project:
    project = visibility.get_visible(session, principal, project_id)
    if not notices.can_publish(principal, project):
        raise Forbidden("只有该项目的招标人/采购人或其委托的代理机构可以发布公告")
    return project


def _new_defaults(session: Session, project: Project, kind: str) -> dict[str, str]:
    now = clock.now()
    start = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    hints = notice_schedule.first_notice_hints(session, project, kind, notice_schedule.local_date(start))
    values = {
        "kind": kind,
        "title": f"{project.name}{notice_kinds.kind_label(kind)}",
        "body_html": "",
        "docs_issued_at": _input_value(start),
        "docs_sale_end": "",
        "bid_deadline": "",
        "opening_at": "",
        "docs_price": "",
    }
    if "docs_issued_at" in hints and hints["docs_issued_at"].date > notice_schedule.local_date(start):
        values["docs_issued_at"] = _at(hints["docs_issued_at"].date, 9)
    if "docs_sale_end" in hints:
        values["docs_sale_end"] = _at(hints["docs_sale_end"].date, 17)
    if "bid_deadline" in hints:
        values["bid_deadline"] = _at(hints["bid_deadline"].date, 9, 30)
    if values["docs_sale_end"] and values["bid_deadline"] and values["docs_sale_end"] > values["bid_deadline"]:
        values["docs_sale_end"] = values["bid_deadline"]  # both periods end the same day (政府采购资格预审)
    if "opening_at" in hints:
        values["opening_at"] = _at(hints["opening_at"].date, 9, 30)
    elif notice_schedule.opening_is_deadline(project, kind):
        values["opening_at"] = values["bid_deadline"]
    return values


def _new_page(
    request: Request,
    session: Session,
    project: Project,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    kind = values.get("kind") or notice_schedule.offered_first_kinds(project)[0]
    issued = _parse(values, "docs_issued_at", "", {}) or clock.now()
    docs_date = max(notice_schedule.local_date(issued), clock.today_local())
    hints = notice_schedule.first_notice_hints(session, project, kind, docs_date)
    return render(
        request,
        "notices_new.html",
        status=status,
        page_title="发布公告",
        project=project,
        values=values,
        errors=errors or {},
        hints={k: h.text for k, h in hints.items()},
        labels=notice_kinds.date_labels(project, kind),
        kind_options=[(k, notice_kinds.kind_label(k)) for k in notice_schedule.offered_first_kinds(project)],
        tender_same_time=notice_schedule.opening_is_deadline(project, kind),
        type_label=type_label,
        method_label=method_label,
        accept=",".join("." + e for e in content.ALLOWED_TYPES),
        allowed_text=content.ALLOWED_EXTENSIONS_TEXT,
        max_mb=get_settings().max_attachment_bytes / 1048576,
    )


@router.get("/projects/{project_id}/notices/new", response_class=HTMLResponse)
def new_notice_form(
    request: Request,
    project_id: Id,
    kind: str | None = Query(None, max_length=40),
    session: Session = SessionDep,
    principal: Principal = PUBLISHERS,
) -> Response:
    project = _publishable(session, principal, project_id)
    if kind in notice_kinds.AMENDMENT_KINDS or project.state == "notice_published":
        first = notice_reading.first_notice_of(session, project)
        if first is not None:  # the project page links here for corrections too
            suffix = f"?kind={kind}" if kind in notice_kinds.AMENDMENT_KINDS else ""
            return redirect(request, f"/projects/{project.id}/notices/{first.id}/amend{suffix}")
    lifecycle.check(project, "publish_notice", principal)
    offered = notice_schedule.offered_first_kinds(project)
    kind = kind if kind in offered else offered[0]
    return _new_page(request, session, project, _new_defaults(session, project, kind))


@router.post("/projects/{project_id}/notices/new", response_class=HTMLResponse)
async def new_notice(
    request: Request,
    project_id: Id,
    kind: str = Form(""),
    title: str = Form(""),
    body_html: str = Form(""),
    docs_issued_at: str = Form(""),
    docs_sale_end: str = Form(""),
    bid_deadline: str = Form(""),
    opening_at: str = Form(""),
    docs_price: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PUBLISHERS,
) -> Response:
    values = {
        "docs_price": docs_price,
        "kind": kind,
        "title": title,
        "body_html": body_html,
        "docs_issued_at": docs_issued_at,
        "docs_sale_end": docs_sale_end,
        "bid_deadline": bid_deadline,
        "opening_at": opening_at,
    }
    attachments = await uploads(await _files(request))  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_publish_first, request, session, principal, project_id, values, attachments)


def _price(values: dict[str, str], errors: dict[str, str]) -> Decimal | None:
    """招标文件售价 as typed (元); empty when the documents are free to download."""
    text = values.get("docs_price", "").strip().replace(",", "")
    if not text:
        return None
    try:
        price = Decimal(text)
    except InvalidOperation:
        errors["docs_price"] = "招标文件售价应为金额（元），如 300 或 300.00"
        return None
    if not price.is_finite() or price < 0 or price >= 1000000 or price != price.quantize(Decimal("0.01")):
        errors["docs_price"] = "招标文件售价应为0到999999.99元，至多两位小数"
        return None
    return price


def _publish_first(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    values: dict[str, str],
    attachments: list[content.Upload],
) -> Response:
    project = _publishable(session, principal, project_id)
    kind = values["kind"]
    labels = notice_kinds.date_labels(project, kind)
    errors: dict[str, str] = {}
    dates = {
        name: _parse(values, name, labels[name], errors)
        for name in ("docs_issued_at", "docs_sale_end", "bid_deadline", "opening_at")
    }
    if not values["bid_deadline"].strip():
        errors["bid_deadline"] = f"请填写{labels['bid_deadline']}"
    price = _price(values, errors)
    if errors:
        return _new_page(request, session, project, values, errors=errors, status=400)

    def refused(session: Session, exc: SunshineError) -> Response:
        project = _publishable(session, principal, project_id)
        errors = {_field_of(exc, NEW_FIELDS): exc.detail}
        return _new_page(request, session, project, values, errors=errors, status=400)

    with refusals_shown_on(refused, passing=REFUSED_ELSEWHERE):
        notice = notices.publish_first_notice(
            session,
            principal,
            project_id,
            kind=kind,
            title=values["title"],
            body_html=values["body_html"],
            attachments=attachments,
            docs_price=price,
            **dates,
        )
    label = notice_kinds.kind_label(notice.kind)
    flash(request, "success", f"已发布{label}，并记入全程留痕（第 {notice.ledger_seq} 号）")
    return redirect(request, f"/notices/{notice.id}")


# --------------------------------------------------------------------------- clarifications and amendments


def _amend_page(
    request: Request,
    session: Session,
    project: Project,
    notice_id: int,
    values: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    first = notice_reading.first_notice_of(session, project)
    labels = notice_kinds.date_labels(project, first.kind if first else None)
    return render(
        request,
        "notices_amend.html",
        status=status,
        page_title="发布澄清/更正公告",
        project=project,
        notice_id=notice_id,
        first=first,
        values=values,
        errors=errors or {},
        labels=labels,
        limits=notice_schedule.amendment_limits(session, project),
        kind_options=[(k, notice_kinds.kind_label(k)) for k in notice_kinds.AMENDMENT_KINDS],
        tender_same_time=notice_schedule.opening_is_deadline(project),
        accept=",".join("." + e for e in content.ALLOWED_TYPES),
        allowed_text=content.ALLOWED_EXTENSIONS_TEXT,
        max_mb=get_settings().max_attachment_bytes / 1048576,
        type_label=type_label,
        method_label=method_label,
    )


@router.get("/projects/{project_id}/notices/{notice_id}/amend", response_class=HTMLResponse)
def amend_form(
    request: Request,
    project_id: Id,
    notice_id: Id,
    kind: str | None = Query(None, max_length=40),
    session: Session = SessionDep,
    principal: Principal = PUBLISHERS,
) -> Response:
    project = _publishable(session, principal, project_id)
    notice_reading.notice_of(session, project, notice_id)
    lifecycle.check(project, "amend_notice", principal)
    kind = kind if kind in notice_kinds.AMENDMENT_KINDS else "clarification"
    values = {
        "kind": kind,
        "title": f"{project.name}{notice_kinds.kind_label(kind)}",
        "body_html": "",
        "affects_bids": "",
        "new_bid_deadline": "",
        "new_opening_at": "",
    }
    return _amend_page(request, session, project, notice_id, values)


@router.post("/projects/{project_id}/notices/{notice_id}/amend", response_class=HTMLResponse)
async def amend(
    request: Request,
    project_id: Id,
    notice_id: Id,
    kind: str = Form(""),
    title: str = Form(""),
    body_html: str = Form(""),
    affects_bids: str = Form(""),
    new_bid_deadline: str = Form(""),
    new_opening_at: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PUBLISHERS,
) -> Response:
    values = {
        "kind": kind,
        "title": title,
        "body_html": body_html,
        "affects_bids": affects_bids,
        "new_bid_deadline": new_bid_deadline,
        "new_opening_at": new_opening_at,
    }
    attachments = await uploads(await _files(request))  # on the event loop; the database in a worker thread
    return await run_in_threadpool(
        _publish_amendment, request, session, principal, project_id, notice_id, values, attachments
    )


def _publish_amendment(
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    notice_id: int,
    values: dict[str, str],
    attachments: list[content.Upload],
) -> Response:
    project = _publishable(session, principal, project_id)
    first = notice_reading.first_notice_of(session, project)
    labels = notice_kinds.date_labels(project, first.kind if first else None)
    errors: dict[str, str] = {}
    dates = {
        name: _parse(values, name, "新的" + labels[name[4:]], errors) for name in ("new_bid_deadline", "new_opening_at")
    }
    if errors:
        return _amend_page(request, session, project, notice_id, values, errors=errors, status=400)

    def refused(session: Session, exc: SunshineError) -> Response:
        project = _publishable(session, principal, project_id)
        errors = {_field_of(exc, AMEND_FIELDS): exc.detail}
        return _amend_page(request, session, project, notice_id, values, errors=errors, status=400)

    with refusals_shown_on(refused, passing=REFUSED_ELSEWHERE):
        notice = notices.publish_amendment(
            session,
            principal,
            project_id,
            notice_id,
            kind=values["kind"],
            title=values["title"],
            body_html=values["body_html"],
            affects_bids=bool(values["affects_bids"]),
            attachments=attachments,
            **dates,
        )
    flash(
        request,
        "success",
        f"已发布{notice_kinds.kind_label(notice.kind)}（第 {notice.version} 版），"
        f"并记入全程留痕（第 {notice.ledger_seq} 号）",
    )
    return redirect(request, f"/notices/{notice.id}")
