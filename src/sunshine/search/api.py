"""JSON route of the site search: ``GET /api/v1/search`` — public, whoever asks (the index holds only what
the public may read). Thin: ``search.service`` answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import IsoDate
from sunshine.core.pagination import CURSOR, LIMIT
from sunshine.search import service
from sunshine.search.schemas import FacetValueOut, HitOut, SearchOut

router = APIRouter(prefix="/api/v1/search", tags=["全站检索"])
PUBLIC = Depends(Access.public())


def kinds_of(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k.strip() for k in (value or "").split(",") if k.strip()))[:10]


@router.get("", response_model=SearchOut, summary="全站检索（中文分词；按相关度排序，命中词高亮，分面计数）")
def search(
    q: str = Query(..., max_length=service.MAX_QUERY_CHARS, description="检索词"),
    type: str | None = Query(
        None, max_length=200, description="信息类型，逗号分隔：notice,project,publication,policy,interpretation"
    ),
    transaction_type: str | None = Query(None, max_length=30, description="交易类型代码"),
    method: str | None = Query(None, max_length=40, description="交易方式代码"),
    region: str | None = Query(None, max_length=6, description="行政区划代码（省 2 位、市 4 位或 6 位）"),
    status: str | None = Query(None, max_length=40, description="状态代码"),
    date_from: Annotated[IsoDate | None, Query(description="发布日期起（含）")] = None,
    date_to: Annotated[IsoDate | None, Query(description="发布日期止（含）")] = None,
    amount_min: Decimal | None = Query(None, ge=0, le=Decimal("1e14"), description="金额不低于（元）"),
    amount_max: Decimal | None = Query(None, ge=0, le=Decimal("1e14"), description="金额不高于（元）"),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> SearchOut:
    req = service.SearchRequest(
        q=q,
        kinds=kinds_of(type),
        transaction_type=transaction_type,
        method=method,
        region=region,
        status=status,
        date_from=date_from,
        date_to=date_to,
        amount_min=amount_min,
        amount_max=amount_max,
        cursor=cursor,
        limit=limit,
    )
    found = service.search(session, req)
    return SearchOut(
        q=found.q,
        terms=found.terms,
        total=found.total,
        total_exact=found.exact,
        window=found.window,
        items=[
            HitOut(
                key=h.key,
                type=h.kind,
                type_label=h.kind_label,
                title=h.title,
                title_html=str(h.title_html),
                snippet_html=str(h.snippet_html),
                link=h.link,
                published_at=h.published_at,
                transaction_type=h.transaction_type,
                transaction_type_label=h.transaction_type_label,
                method=h.method,
                method_label=h.method_label,
                region_code=h.region_code,
                status=h.status,
                status_label=h.status_label,
                amount=h.amount,
                score=h.score,
            )
            for h in found.items
        ],
        next_cursor=found.next_cursor,
        facets={
            k: [FacetValueOut(value=f.value, label=f.label, count=f.count) for f in v] for k, v in found.facets.items()
        },
        facets_exact=found.exact,
    )
