"""Disclosure pages: the published catalog (tree, item with its revisions, spreadsheet), published texts and
tombstones, the public compliance dashboard; for staff the dashboard with drill-down, obligations, the review
queue and review page, and the negative list. Thin: they read forms, call the services and render."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound, SunshineError
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.disclosure import (
    catalog_service,
    compliance,
    export,
    negative_list,
    obligations,
    publications,
    visibility,
    vocab,
)
from sunshine.disclosure.detectors import DETECTOR_LABELS
from sunshine.disclosure.models import Publication
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act, refusals_back_to
from sunshine.web.templating import flash, redirect, render, templates

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
STAFF = Depends(Access(Role.ADMIN, Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR))
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))
REVIEWERS = Depends(Access(Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF))

LABELS = {
    "channels": vocab.CHANNELS,
    "needs": vocab.CHANNEL_NEEDS,
    "audiences": vocab.AUDIENCES,
    "modes": vocab.MODES,
    "five": vocab.FIVE_CATEGORIES,
    "levels": vocab.LEVELS,
    "conditions": vocab.CONDITIONS,
    "obligation_status": vocab.OBLIGATION_STATUS,
    "publication_status": vocab.PUBLICATION_STATUS,
    "finding_status": vocab.FINDING_STATUS,
    "review_modes": vocab.REVIEW_MODES,
    "detectors": DETECTOR_LABELS,
    "fields": catalog_service.FIELD_LABELS,
}


def _labels(values, mapping: dict[str, str]) -> str:
    """``["portal", "board"]|labels(L.channels)`` → "门户网站、公示栏"."""
    return "、".join(mapping.get(v, v) for v in values or [])


templates.env.filters.setdefault("labels", _labels)


def _page(request: Request, name: str, **context) -> HTMLResponse:
    return render(request, name, L=LABELS, trigger_label=vocab.trigger_label, **context)


async def read_form(request: Request) -> FormData:
    """The posted form as a whole, for forms with repeated or optional fields (read once, before the route)."""
    return await request.form()


FORM = Depends(read_form)


# --------------------------------------------------------------------------- the catalog


@router.get("/disclosure/catalog", response_class=HTMLResponse)
def catalog_page(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    branches = catalog_service.tree(session)
    return _page(
        request,
        "disclosure_catalog.html",
        page_title="公开事项目录",
        branches=branches,
        limits=catalog_service.Limits(session),
        total=sum(b.count for b in branches),
    )


@router.get("/disclosure/catalog.xlsx")
def catalog_xlsx(session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    filename = f"公开事项目录-{clock.today_local().isoformat()}.xlsx"
    return Response(
        export.catalog_xlsx(session),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=\"catalog.xlsx\"; filename*=UTF-8''{quote(filename)}"},
    )


@router.get("/disclosure/catalog/items/{item_code}", response_class=HTMLResponse)
def item_page(
    request: Request, item_code: str, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    item = catalog_service.get_item(session, item_code)
    top, scope = catalog_service.category_path(session, item)
    return _page(
        request,
        "disclosure_item.html",
        page_title=item.name,
        item=item,
        top=top,
        scope=scope,
        limit=catalog_service.Limits(session).of(item.time_limit_ref),
        revisions=catalog_service.revisions_of(session, item),
        can_revise=principal.has(Role.DISCLOSURE_OFFICE),
        recent=publications.list_public(session, item_code=item.code, limit=10).items,
        today=clock.today_local(),
    )


@router.post("/disclosure/catalog/items/{item_code}/revise")
def revise_item(
    request: Request,
    item_code: str,
    form: FormData = FORM,
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    back = f"/disclosure/catalog/items/{item_code}"
    item = catalog_service.get_item(session, item_code)
    changes: dict = {}
    for name in ("name", "content", "legal_basis", "responsible_body", "time_limit_ref", "audience", "mode"):
        if name in form:
            changes[name] = str(form.get(name) or "").strip()
    if "five_category" in form:
        changes["five_category"] = str(form.get("five_category") or "")
    channels = {c: str(form.get(f"channel_{c}") or "") for c in vocab.CHANNELS if f"channel_{c}" in form}
    if channels:
        changes["channels"] = {c: need for c, need in channels.items() if need in vocab.CHANNEL_NEEDS}
    if "levels_present" in form:
        changes["levels"] = [level for level in vocab.LEVELS if form.get(f"level_{level}")]
    changes = {k: v for k, v in changes.items() if getattr(item, k) != v}
    try:
        effective = date.fromisoformat(str(form.get("effective_from") or ""))
    except ValueError:
        flash(request, "error", "请按 YYYY-MM-DD 填写生效日期")
        return redirect(request, back)
    with refusals_back_to(back):
        revision = catalog_service.revise_item(
            session, principal, item_code, changes, effective_from=effective, reason=str(form.get("reason") or "")
        )
    when = "已生效" if revision.applied_at else f"将于 {revision.effective_from.isoformat()} 生效"
    flash(request, "success", f"已修订“{item.name}”，{when}；修订已留痕（第 {revision.ledger_seq} 号）")
    return redirect(request, back)


# --------------------------------------------------------------------------- published texts


@router.get("/disclosure/publications", response_class=HTMLResponse)
def publications_page(
    request: Request,
    item: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=100),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    try:
        result = publications.list_public(session, item_code=item or None, q=q, cursor=cursor)
    except NotFound:  # an unknown item code: every item
        item, result = None, publications.list_public(session, q=q, cursor=cursor)
    url = page_urls("/disclosure/publications", {"item": item, "q": q})

    return _page(
        request,
        "disclosure_publications.html",
        page_title="公开信息",
        result=result,
        item=item,
        q=q or "",
        url=url,
    )


@router.get("/disclosure/publications/{publication_id}", response_class=HTMLResponse)
def publication_page(
    request: Request, publication_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    pub = publications.get_visible(session, principal, publication_id)
    if pub.status not in ("published", "withdrawn"):
        return redirect(request, f"/staff/disclosure/publications/{pub.id}")
    return _page(
        request,
        "disclosure_publication.html",
        page_title=pub.title,
        pub=pub,
        body_html=publications.rendered_body(pub) if pub.status == "published" else None,
    )


# --------------------------------------------------------------------------- compliance


def _board_context(session: Session, since: str | None, until: str | None) -> dict:
    def parsed(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    board = compliance.dashboard(session, since=parsed(since), until=parsed(until))
    return {"board": board, "chart": compliance.month_chart(board)}


@router.get("/disclosure/compliance", response_class=HTMLResponse)
def compliance_page(
    request: Request,
    since: str | None = Query(None, max_length=10),
    until: str | None = Query(None, max_length=10),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    return _page(
        request,
        "disclosure_compliance.html",
        page_title="公开时效",
        staff=False,
        **_board_context(session, since, until),
    )


@router.get("/staff/disclosure", response_class=HTMLResponse)
def staff_dashboard(
    request: Request,
    since: str | None = Query(None, max_length=10),
    until: str | None = Query(None, max_length=10),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = STAFF,
) -> Response:
    alerts = obligations.alert_page(session, cursor=cursor, count=True)
    return _page(
        request,
        "staff_disclosure.html",
        page_title="政务公开工作台",
        staff=True,
        alerts=alerts,
        page_url=page_urls("/staff/disclosure", {"since": since, "until": until}, anchor="alerts"),
        names=obligations.organisation_names(session, {a.organisation_id for a in alerts.items}),
        queue_size=publications.queue_size(session) if visibility.can_review(principal) else None,
        can_review=visibility.can_review(principal),
        is_office=principal.has(Role.DISCLOSURE_OFFICE),
        **_board_context(session, since, until),
    )


@router.get("/staff/disclosure/obligations", response_class=HTMLResponse)
def obligations_page(
    request: Request,
    item: str | None = Query(None, max_length=20),
    org: Id | None = Query(None),
    month: str | None = Query(None, max_length=7),
    status: str | None = Query(None, max_length=20),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = STAFF,
) -> Response:
    organisation_id = None if org in (None, 0) else org
    flt = obligations.ObligationFilter(item or None, organisation_id, month or None, status or None)
    try:
        result = obligations.list_obligations(session, flt, cursor=cursor)
        rows = result.items
    except SunshineError as exc:
        flash(request, "error", exc.detail)
        return redirect(request, "/staff/disclosure/obligations")
    pubs = {
        p.obligation_id: p
        for p in session.scalars(
            select(Publication).where(
                Publication.obligation_id.in_([o.id for o in rows]),
                Publication.status.in_(("published", "withdrawn")),
            )
        )
    }
    return _page(
        request,
        "staff_disclosure_obligations.html",
        page_title="公开义务",
        rows=rows,
        result=result,
        page_url=page_urls(
            "/staff/disclosure/obligations", {"item": item, "org": organisation_id, "month": month, "status": status}
        ),
        pubs=pubs,
        flt=flt,
        names=obligations.organisation_names(session, {o.responsible_org_id for o in rows}),
        items=catalog_service.all_items(session),
        organisations=list(session.scalars(select(Organisation).order_by(Organisation.name))),
        can_review=visibility.can_review(principal),
        today=clock.today_local(),
    )


@router.post("/staff/disclosure/obligations")
def declare_obligation(
    request: Request,
    item_code: str = Form(""),
    title: str = Form(""),
    event_date: str = Form(""),
    responsible_org_id: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    back = "/staff/disclosure/obligations"
    try:
        day = date.fromisoformat(event_date)
    except ValueError:
        flash(request, "error", "请按 YYYY-MM-DD 填写信息形成或变更日期")
        return redirect(request, back)
    with refusals_back_to(back):
        row = obligations.declare(
            session,
            principal,
            item_code=item_code,
            title=title,
            event_date=day,
            responsible_org_id=stored_id(responsible_org_id),
        )
    flash(request, "success", f"已登记公开义务“{row.title}”，应于 {row.due.isoformat()} 前公开")
    return redirect(request, back)


# --------------------------------------------------------------------------- review


@router.get("/staff/disclosure/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    obligation: Id | None = Query(None),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    chosen = None
    if obligation is not None:
        try:
            chosen = obligations.get_obligation(session, obligation)
        except SunshineError:
            chosen = None
    result = publications.review_page(session, cursor=cursor, count=True)
    return _page(
        request,
        "staff_disclosure_review.html",
        page_title="保密审查",
        queue=result.items,
        result=result,
        page_url=page_urls("/staff/disclosure/review", {"obligation": obligation}),
        is_held=publications.is_held,
        masked=publications.masked_text,
        items=catalog_service.all_items(session),
        chosen=chosen,
        principal_id=principal.user_id,
    )


@router.post("/staff/disclosure/publications")
def create_publication(
    request: Request,
    title: str = Form(""),
    body: str = Form(""),
    item_code: str = Form(""),
    obligation_id: str = Form(""),
    submit: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    with refusals_back_to("/staff/disclosure/review"):
        pub = publications.create_draft(
            session,
            principal,
            title=title,
            body=body,
            item_code=item_code or None,
            obligation_id=stored_id(obligation_id),
            submit=bool(submit),
        )
    if pub.status == "review" and publications.is_held(pub):
        flash(
            request,
            "error",
            f"保密审查发现 {len(publications.open_findings(pub))} 处敏感信息，已暂缓发布，待审查人处理",
        )
    else:
        flash(request, "success", "已保存" + ("并送审" if pub.status == "review" else "为草稿"))
    return redirect(request, f"/staff/disclosure/publications/{pub.id}")


@router.get("/staff/disclosure/publications/{publication_id}", response_class=HTMLResponse)
def staff_publication_page(
    request: Request, publication_id: Id, session: Session = SessionDep, principal: Principal = REVIEWERS
) -> Response:
    pub = publications.get_visible(session, principal, publication_id)
    item = pub.item
    return _page(
        request,
        "staff_disclosure_publication.html",
        page_title=publications.masked_text(pub, "title"),
        pub=pub,
        item=item,
        held=publications.is_held(pub),
        open_findings=publications.open_findings(pub),
        is_author=pub.author_id is not None and pub.author_id == principal.user_id,
        optional_channels=[c for c, need in item.channels.items() if need == "optional"],
        required_channels=[c for c, need in item.channels.items() if need == "required"],
        obligation=obligations.get_obligation(session, pub.obligation_id) if pub.obligation_id else None,
        body_html=publications.review_preview(pub),
        title=publications.masked_text(pub, "title"),
    )


def _action(request: Request, publication_id: int, done: str, call) -> Response:
    return act(request, f"/staff/disclosure/publications/{publication_id}", call, done)


@router.post("/staff/disclosure/publications/{publication_id}/edit")
def edit_publication(
    request: Request,
    publication_id: Id,
    title: str = Form(""),
    body: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    return _action(
        request,
        publication_id,
        "草稿已保存",
        lambda: publications.edit_draft(session, principal, publication_id, title=title, body=body),
    )


@router.post("/staff/disclosure/publications/{publication_id}/submit")
def submit_publication(
    request: Request, publication_id: Id, session: Session = SessionDep, principal: Principal = REVIEWERS
) -> Response:
    return _action(
        request,
        publication_id,
        "已送保密审查",
        lambda: publications.submit_for_review(session, principal, publication_id),
    )


@router.post("/staff/disclosure/publications/{publication_id}/redact")
def redact_publication(
    request: Request,
    publication_id: Id,
    form: FormData = FORM,
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    chosen = [n for v in form.getlist("finding_id") if (n := stored_id(str(v)))] or None
    return _action(
        request,
        publication_id,
        "已遮蔽所选内容，并已重新检查",
        lambda: publications.redact(session, principal, publication_id, chosen),
    )


@router.post("/staff/disclosure/publications/{publication_id}/findings/{finding_id}/dismiss")
def dismiss_finding(
    request: Request,
    publication_id: Id,
    finding_id: Id,
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    return _action(
        request,
        publication_id,
        "已确认该项无需遮蔽",
        lambda: publications.dismiss(session, principal, publication_id, finding_id, note=note),
    )


@router.post("/staff/disclosure/publications/{publication_id}/approve")
def approve_publication(
    request: Request,
    publication_id: Id,
    form: FormData = FORM,
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    extra = [str(c) for c in form.getlist("optional_channel")]
    return _action(
        request,
        publication_id,
        "审查通过，已发布并留痕",
        lambda: publications.approve(session, principal, publication_id, optional_channels=extra),
    )


@router.post("/staff/disclosure/publications/{publication_id}/withdraw")
def withdraw_publication(
    request: Request,
    publication_id: Id,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    return _action(
        request,
        publication_id,
        "已撤回；撤回原因和日期将保留在公开页面",
        lambda: publications.withdraw(session, principal, publication_id, reason=reason),
    )


# --------------------------------------------------------------------------- negative list


@router.get("/staff/disclosure/negative-list", response_class=HTMLResponse)
def negative_list_page(request: Request, session: Session = SessionDep, _: Principal = OFFICE) -> Response:
    return _page(
        request,
        "staff_disclosure_negative.html",
        page_title="负面清单",
        terms=negative_list.active(session),
        removed=negative_list.history(session),
    )


@router.post("/staff/disclosure/negative-list")
def add_negative_term(
    request: Request,
    term: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    back = "/staff/disclosure/negative-list"
    with refusals_back_to(back):
        row = negative_list.add(session, principal, term=term, reason=reason)
    flash(request, "success", f"已列入负面清单：{row.term}")
    return redirect(request, back)


@router.post("/staff/disclosure/negative-list/{term_id}/remove")
def remove_negative_term(
    request: Request,
    term_id: Id,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    back = "/staff/disclosure/negative-list"
    with refusals_back_to(back):
        row = negative_list.remove(session, principal, term_id, reason=reason)
    flash(request, "success", f"已移出负面清单：{row.term}")
    return redirect(request, back)
