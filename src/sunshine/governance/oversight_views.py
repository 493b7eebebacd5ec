"""Staff pages of disclosure governance, part two: local catalogs (derive from the standard catalog, keep,
adapt or mark not applicable with reasons, add, submit; the higher office's re-check; departments claim items;
unclaimed items flagged), inspections (start a sampling, spot or fixed check, record findings, close and
publish), a department's findings to correct, and the yearly department scores (compute, publish)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import CURSOR, DEFAULT_LIMIT, Page, page_urls
from sunshine.disclosure import catalog_service
from sunshine.governance import catalogs, common, forms, inspections, method, present, scores
from sunshine.governance import visibility as v
from sunshine.governance.views import labels
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["政务公开监督管理"], include_in_schema=False)
CATALOG_READERS = Depends(Access(*v.CATALOG_READERS))
OFFICE = Depends(Access(*v.OFFICE))
HIGHER = Depends(Access(*v.CATALOG_REVIEWERS))
CLAIMANTS = Depends(Access(*v.CATALOG_CLAIMANTS))
INSPECTORS = Depends(Access(*v.INSPECTORS))
FINDING_READERS = Depends(Access(*v.FINDING_READERS))
CORRECTORS = Depends(Access(*v.CORRECTORS))
READERS = Depends(Access(*v.READERS))
SCORERS = Depends(Access(*v.SCORERS))
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=200)]


# --------------------------------------------------------------------------- catalogs


@router.get("/staff/governance/catalogs", response_class=HTMLResponse)
def catalogs_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = CATALOG_READERS
) -> Response:
    result = catalogs.listing(session, public=False, cursor=cursor)
    return render(
        request,
        "governance_catalogs.html",
        page_title="公开事项目录编制与领取",
        rows=result.items,
        result=result,
        page_url=page_urls("/staff/governance/catalogs", {}),
        statuses=common.CATALOG_STATUSES,
        areas=[(b.category.code, b.category.name) for b in catalog_service.tree(session)],
        can_edit=principal.has(*v.OFFICE),
    )


@router.post("/staff/governance/catalogs", response_class=HTMLResponse)
def derive(
    request: Request,
    name: Short = "",
    region_code: Short = "",
    scope: Short = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        return catalogs.derive(session, principal, name=name, region_code=region_code, scope=scope)

    return act(request, "/staff/governance/catalogs", call, lambda c: f"已依据标准目录编制《{c.name}》，请逐项确认")


def _cbk(catalog_id: int) -> str:
    return f"/staff/governance/catalogs/{catalog_id}"


@router.get("/staff/governance/catalogs/{catalog_id}", response_class=HTMLResponse)
def catalog_detail(
    catalog_id: Id, request: Request, session: Session = SessionDep, principal: Principal = CATALOG_READERS
) -> Response:
    row = catalogs.get(session, catalog_id)
    return render(
        request,
        "governance_catalog_staff.html",
        page_title=row.name,
        c=present.catalog(session, row),
        raw=row,
        editable=row.status in ("draft", "returned") and principal.has(*v.OFFICE),
        can_review=row.status == "submitted" and principal.has(*v.CATALOG_REVIEWERS),
        can_claim=row.status == "approved"
        and principal.has(*v.CATALOG_CLAIMANTS)
        and principal.organisation_id is not None,
        can_flag=row.status == "approved" and principal.has(*v.OFFICE),
        **labels(),
    )


@router.post("/staff/governance/catalog-entries/{entry_id}", response_class=HTMLResponse)
def adapt(
    entry_id: Id,
    request: Request,
    disposition: Short = "",
    reason: Text = "",
    name: Short = "",
    content: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    found = catalogs.entry(session, entry_id)

    def call():
        return catalogs.adapt(
            session,
            principal,
            entry_id,
            disposition=disposition,
            reason=reason,
            name=name or None,
            content=content or None,
        )

    return act(
        request, _cbk(found.catalog_id), call, lambda e: f"{e.code} 已标为“{common.DISPOSITIONS[e.disposition]}”"
    )


@router.post("/staff/governance/catalogs/{catalog_id}/entries", response_class=HTMLResponse)
def add(
    catalog_id: Id,
    request: Request,
    code: Short = "",
    name: Short = "",
    content: Text = "",
    legal_basis: Text = "",
    reason: Text = "",
    session: Session = SessionDep,
    principal: Principal = OFFICE,
) -> Response:
    def call():
        return catalogs.add(
            session,
            principal,
            catalog_id,
            code=code,
            name=name,
            content=content,
            legal_basis=legal_basis,
            reason=reason,
        )

    return act(request, _cbk(catalog_id), call, lambda e: f"已新增事项 {e.code}")


@router.post("/staff/governance/catalogs/{catalog_id}/submit", response_class=HTMLResponse)
def submit(catalog_id: Id, request: Request, session: Session = SessionDep, principal: Principal = OFFICE) -> Response:
    return act(request, _cbk(catalog_id), lambda: catalogs.submit(session, principal, catalog_id), "已报送政务办复核")


@router.post("/staff/governance/catalogs/{catalog_id}/review", response_class=HTMLResponse)
def review(
    catalog_id: Id,
    request: Request,
    decision: Short = "",
    note: Text = "",
    session: Session = SessionDep,
    principal: Principal = HIGHER,
) -> Response:
    def call():
        return catalogs.review(session, principal, catalog_id, approve=decision == "approve", note=note)

    return act(
        request,
        _cbk(catalog_id),
        call,
        lambda c: "复核通过，目录已公布，各部门可领取事项" if c.status == "approved" else "已退回修改",
    )


@router.post("/staff/governance/catalog-entries/{entry_id}/claim", response_class=HTMLResponse)
def claim(entry_id: Id, request: Request, session: Session = SessionDep, principal: Principal = CLAIMANTS) -> Response:
    found = catalogs.entry(session, entry_id)
    return act(
        request,
        _cbk(found.catalog_id),
        lambda: catalogs.claim(session, principal, entry_id),
        lambda e: f"本部门已领取 {e.code}",
    )


@router.post("/staff/governance/catalogs/{catalog_id}/flag-unclaimed", response_class=HTMLResponse)
def flag(catalog_id: Id, request: Request, session: Session = SessionDep, principal: Principal = OFFICE) -> Response:
    return act(
        request,
        _cbk(catalog_id),
        lambda: catalogs.flag_unclaimed(session, principal, catalog_id),
        lambda rows: f"{len(rows)} 项尚无部门领取，已预警" if rows else "所有事项均已领取",
    )


# --------------------------------------------------------------------------- inspections


@router.get("/staff/governance/inspections", response_class=HTMLResponse)
def inspections_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = FINDING_READERS
) -> Response:
    result = inspections.listing(session, public=False, cursor=cursor)
    return render(
        request,
        "governance_inspections.html",
        page_title="政务公开检查",
        rows=[present.inspection(session, i) for i in result.items],
        result=result,
        page_url=page_urls("/staff/governance/inspections", {}),
        can_inspect=principal.has(*v.INSPECTORS),
        today=clock.today_local(),
        **labels(),
    )


@router.post("/staff/governance/inspections", response_class=HTMLResponse)
def start(
    request: Request,
    method_: Annotated[str, Form(alias="method", max_length=20)] = "",
    title: Short = "",
    scope: Text = "",
    period_from: Short = "",
    period_to: Short = "",
    sample_size: Short = "",
    publication_ids: Short = "",
    item_code: Short = "",
    session: Session = SessionDep,
    principal: Principal = INSPECTORS,
) -> Response:
    def call():
        return inspections.start(
            session,
            principal,
            method=method_,
            title=title,
            scope=scope,
            period_from=forms.day(period_from, "period_from", "检查期间起日"),
            period_to=forms.day(period_to, "period_to", "检查期间止日"),
            sample_size=forms.number(sample_size, "sample_size", "抽样数量", 1, inspections.MAX_SAMPLE)
            if method_ == "sampling"
            else None,
            publication_ids=forms.ids([publication_ids], "publication_ids", "公开信息编号"),
            item_code=item_code.strip() or None,
        )

    back = "/staff/governance/inspections"
    with_path = lambda i: f"已开展{common.METHODS[i.method]} {i.code}，共 {i.sample_size} 条样本"  # noqa: E731
    return act(request, back, call, with_path)


def _ibk(inspection_id: int) -> str:
    return f"/staff/governance/inspections/{inspection_id}"


@router.get("/staff/governance/inspections/{inspection_id}", response_class=HTMLResponse)
def inspection_detail(
    inspection_id: Id, request: Request, session: Session = SessionDep, principal: Principal = FINDING_READERS
) -> Response:
    row = inspections.get(session, inspection_id)
    mine = (
        row.status == "open"
        and principal.has(*v.INSPECTORS)
        and inspections.inspector_role(principal) == row.inspector_role
    )
    return render(
        request,
        "governance_inspection_staff.html",
        page_title=f"检查 {row.code}",
        i=present.inspection(session, row),
        can_record=mine,
        can_correct=principal.has(*v.CORRECTORS),
        organisation_id=principal.organisation_id,
        raw_findings=inspections.findings_of(session, row.id),
        **labels(),
    )


@router.post("/staff/governance/inspected-items/{item_id}/check", response_class=HTMLResponse)
def check(item_id: Id, request: Request, session: Session = SessionDep, principal: Principal = INSPECTORS) -> Response:
    from sunshine.governance.models import GovInspectedItem

    item = session.get(GovInspectedItem, item_id)
    back = _ibk(item.inspection_id) if item else "/staff/governance/inspections"
    return act(request, back, lambda: inspections.check(session, principal, item_id), "已记录：该样本未发现问题")


@router.post("/staff/governance/inspected-items/{item_id}/findings", response_class=HTMLResponse)
def find(
    item_id: Id,
    request: Request,
    aspect: Short = "",
    description: Text = "",
    session: Session = SessionDep,
    principal: Principal = INSPECTORS,
) -> Response:
    from sunshine.governance.models import GovInspectedItem

    item = session.get(GovInspectedItem, item_id)
    back = _ibk(item.inspection_id) if item else "/staff/governance/inspections"
    return act(
        request,
        back,
        lambda: inspections.find(session, principal, item_id, aspect=aspect, description=description),
        lambda f: f"已登记问题，整改期限 {f.due.isoformat()}",
    )


@router.post("/staff/governance/inspections/{inspection_id}/close", response_class=HTMLResponse)
def close(
    inspection_id: Id,
    request: Request,
    publish: Short = "",
    session: Session = SessionDep,
    principal: Principal = INSPECTORS,
) -> Response:
    return act(
        request,
        _ibk(inspection_id),
        lambda: inspections.close(session, principal, inspection_id, publish=bool(publish)),
        lambda i: "检查完成，结果和整改情况已公布" if i.published else "检查完成",
    )


@router.get("/staff/governance/findings", response_class=HTMLResponse)
def findings_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = FINDING_READERS
) -> Response:
    org = None if v.is_reader(principal) else principal.organisation_id
    result = (
        Page([], None, DEFAULT_LIMIT)
        if org is None and not v.is_reader(principal)
        else inspections.findings_for(session, department_org_id=org, cursor=cursor)
    )
    rows = result.items
    orgs = scores.names(session, {f.department_org_id for f in rows})
    return render(
        request,
        "governance_findings.html",
        page_title="检查发现与整改",
        rows=[(f, present.finding(f, orgs)) for f in rows],
        result=result,
        page_url=page_urls("/staff/governance/findings", {}),
        organisation_id=principal.organisation_id,
        can_correct=principal.has(*v.CORRECTORS),
        today=clock.today_local(),
    )


@router.post("/staff/governance/findings/{finding_id}/correct", response_class=HTMLResponse)
def correct(
    finding_id: Id,
    request: Request,
    correction: Text = "",
    session: Session = SessionDep,
    principal: Principal = CORRECTORS,
) -> Response:
    def done(f) -> str:
        return f"已报告整改（逾期 {f.delay_days} 个工作日）" if f.late else "已按期报告整改"

    return act(
        request,
        "/staff/governance/findings",
        lambda: inspections.correct(session, principal, finding_id, correction=correction),
        done,
    )


# --------------------------------------------------------------------------- scores


@router.get("/staff/governance/scores", response_class=HTMLResponse)
def scores_page(
    request: Request,
    year: Annotated[Year | None, Query()] = None,
    session: Session = SessionDep,
    principal: Principal = READERS,
) -> Response:
    chosen = year if year is not None else clock.today_local().year
    rows = scores.of_year(session, chosen)
    return render(
        request,
        "governance_scores_staff.html",
        page_title=f"{chosen} 年部门政务公开考核",
        year=chosen,
        rows=present.scores(session, rows),
        published=bool(rows) and rows[0].published_at is not None,
        can_score=principal.has(*v.SCORERS),
        method=method.load(),
    )


@router.post("/staff/governance/scores/{year}/compute", response_class=HTMLResponse)
def compute(year: Year, request: Request, session: Session = SessionDep, principal: Principal = SCORERS) -> Response:
    return act(
        request,
        f"/staff/governance/scores?year={year}",
        lambda: scores.compute(session, principal, year),
        lambda rows: f"已按考核办法计算 {len(rows)} 个部门的得分",
    )


@router.post("/staff/governance/scores/{year}/publish", response_class=HTMLResponse)
def publish(year: Year, request: Request, session: Session = SessionDep, principal: Principal = SCORERS) -> Response:
    return act(
        request,
        f"/staff/governance/scores?year={year}",
        lambda: scores.publish(session, principal, year),
        "考核结果已向社会公布",
    )
