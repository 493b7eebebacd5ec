"""Public pages of disclosure governance (政务公开监督): consultations open for comment (with the form anyone
may use; name and contact never shown) and adopted texts with how comments were handled, the published answers
to public opinion, approved local catalogs with who claimed each item, published inspections with their
findings and corrections, and the published department scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import cursor_query, page_urls
from sunshine.governance import catalogs, common, consultations, inspections, method, opinions, present, scores
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["政务公开监督管理"], include_in_schema=False)
PUBLIC = Depends(Access.public())


def labels() -> dict:
    return {
        "kinds": common.CONSULTATION_KINDS,
        "channels": common.COMMENT_CHANNELS,
        "handlings": common.HANDLINGS,
        "sources": common.OPINION_SOURCES,
        "risks": common.RISKS,
        "effects": common.EFFECTS,
        "methods": common.METHODS,
        "aspects": common.ASPECTS,
        "attributes": common.ATTRIBUTES,
        "dispositions": common.DISPOSITIONS,
    }


@router.get("/governance", response_class=HTMLResponse)
def hub(
    request: Request,
    consultations_cursor: str | None = cursor_query(),
    opinions_cursor: str | None = cursor_query(),
    catalogs_cursor: str | None = cursor_query(),
    inspections_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    cursors = {
        "consultations_cursor": consultations_cursor,
        "opinions_cursor": opinions_cursor,
        "catalogs_cursor": catalogs_cursor,
        "inspections_cursor": inspections_cursor,
    }
    pages = {
        "consultations": consultations.listing(session, public=True, cursor=consultations_cursor),
        "opinions": opinions.listing(session, public=True, cursor=opinions_cursor),
        "catalogs": catalogs.listing(session, public=True, cursor=catalogs_cursor),
        "inspections": inspections.listing(session, public=True, cursor=inspections_cursor),
    }
    return render(
        request,
        "governance_public.html",
        page_title="政务公开监督",
        pages=pages,
        urls={name: page_urls("/governance", cursors, param=f"{name}_cursor", anchor=name) for name in pages},
        consultations=[present.consultation(session, c, staff=False) for c in pages["consultations"].items],
        opinions=[present.opinion(session, o, staff=False) for o in pages["opinions"].items],
        catalogs=pages["catalogs"].items,
        inspections=[present.inspection(session, i) for i in pages["inspections"].items],
        years=scores.published_years(session),
        today=clock.today_local(),
    )


@router.get("/governance/consultations/{consultation_id}", response_class=HTMLResponse)
def consultation_page(
    consultation_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    row = consultations.get_public(session, consultation_id)
    shown = present.consultation(session, row, staff=False)
    is_open = row.status == "open" and row.closes_on is not None and clock.today_local() <= row.closes_on
    return render(
        request,
        "governance_consultation.html",
        page_title=f"征求意见：{row.title}",
        c=shown,
        accepting=is_open,
        **labels(),
    )


@router.post("/governance/consultations/{consultation_id}/comments", response_class=HTMLResponse)
def comment_page(
    consultation_id: Id,
    request: Request,
    body: Annotated[str, Form(max_length=5000)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    contact: Annotated[str, Form(max_length=100)] = "",
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    back = f"/governance/consultations/{consultation_id}"
    return act(
        request,
        back,
        lambda: consultations.comment(session, consultation_id, body=body, name=name or None, contact=contact or None),
        "意见已收到。处理情况将随审定文本一并公布；您的姓名和联系方式不会公开",
    )


@router.get("/governance/opinions/{opinion_id}", response_class=HTMLResponse)
def opinion_page(opinion_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    row = opinions.get_public(session, opinion_id)
    return render(
        request,
        "governance_opinion_public.html",
        page_title=f"舆情回应：{row.title}",
        o=present.opinion(session, row, staff=False),
    )


@router.get("/governance/catalogs/{catalog_id}", response_class=HTMLResponse)
def catalog_page(catalog_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    row = catalogs.get_public(session, catalog_id)
    return render(request, "governance_catalog_public.html", page_title=row.name, c=present.catalog(session, row))


@router.get("/governance/inspections/{inspection_id}", response_class=HTMLResponse)
def inspection_page(
    inspection_id: Id, request: Request, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    row = inspections.get_public(session, inspection_id)
    return render(
        request,
        "governance_inspection_public.html",
        page_title=f"政务公开检查：{row.title}",
        i=present.inspection(session, row),
    )


@router.get("/governance/scores", response_class=HTMLResponse)
def scores_page(
    request: Request,
    year: Annotated[Year | None, Query()] = None,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    years = scores.published_years(session)
    chosen = year if year is not None else (years[0] if years else clock.today_local().year - 1)
    return render(
        request,
        "governance_scores_public.html",
        page_title=f"{chosen} 年政务公开考核结果",
        year=chosen,
        years=years,
        rows=present.scores(session, scores.of_year(session, chosen, published_only=True)),
        method=method.load(),
    )
