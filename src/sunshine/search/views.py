"""The search page ``/search`` (the header's search box leads here): results with highlighted snippets,
filters and facet counts, paged by cursor. Thin: ``search.service`` answers; a bad filter is shown on the
page beside the form, with status 422."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import labels
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.search import service, sources
from sunshine.search.api import kinds_of
from sunshine.web.csrf import check_csrf
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
PAGE_SIZE = 20
TEXT = Query("", max_length=100)


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期格式应为 年-月-日，如 2026-01-31", field=field) from None


def _amount(value: str, field: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        amount = Decimal(value.replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput("金额应为数字（元）", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e14"):
        raise InvalidInput("金额应在 0 至 100 万亿元之间", field=field)
    return amount


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = TEXT,
    type: str = Query("", max_length=200),
    transaction_type: str = Query("", max_length=30),
    method: str = Query("", max_length=40),
    region: str = Query("", max_length=6),
    status: str = Query("", max_length=40),
    date_from: str = Query("", max_length=10),
    date_to: str = Query("", max_length=10),
    amount_min: str = Query("", max_length=20),
    amount_max: str = Query("", max_length=20),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    filters = {
        "q": q.strip(),
        "type": type,
        "transaction_type": transaction_type,
        "method": method,
        "region": region,
        "status": status,
        "date_from": date_from,
        "date_to": date_to,
        "amount_min": amount_min,
        "amount_max": amount_max,
    }
    found = None
    error: InvalidInput | None = None
    if filters["q"]:
        try:
            req = service.SearchRequest(
                q=q,
                kinds=kinds_of(type),
                transaction_type=transaction_type or None,
                method=method or None,
                region=region or None,
                status=status or None,
                date_from=_day(date_from, "date_from"),
                date_to=_day(date_to, "date_to"),
                amount_min=_amount(amount_min, "amount_min"),
                amount_max=_amount(amount_max, "amount_max"),
                cursor=cursor,
                limit=PAGE_SIZE,
            )
            found = service.search(session, req)
        except InvalidInput as exc:
            error = exc
    return render(
        request,
        "search.html",
        status=422 if error is not None else 200,
        page_title=f"检索：{filters['q']}" if filters["q"] else "全站检索",
        found=found,
        error=error,
        filters=filters,
        page_url=page_urls("/search", filters),
        kind_options=list(sources.labels().items()),
        type_options=list(labels.TRADING_TYPE_LABELS.items()),
        method_options=[(k, v) for k, v in labels.METHOD_LABELS.items() if k in _TRADING_METHODS],
        facet_titles=service.FACET_TITLES,
    )


_TRADING_METHODS = (
    "open_tender",
    "invited_tender",
    "small_works_draw",
    "competitive_negotiation",
    "competitive_consultation",
    "enquiry",
    "single_source",
    "listing",
    "auction",
    "tender",
    "competitive_bidding",
)
