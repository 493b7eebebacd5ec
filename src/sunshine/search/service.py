"""Answering a search: the query's words (``segment.query_terms``), the backend's ranked window, one page
of it after a cursor, each hit with its title and a snippet highlighted, and the facet counts of the window
(exact when the window holds every match, otherwise estimates, and labelled so).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy import Integer, literal_column, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import labels
from sunshine.core.errors import InvalidInput
from sunshine.core.pagination import Key, Keyset, bounded_limit, decode_cursor, encode_cursor
from sunshine.search import backends, sources
from sunshine.search.models import SearchDoc
from sunshine.search.segment import Term, query_terms

MAX_QUERY_CHARS = 100
SNIPPET_CHARS = 120
RESULT_ORDER = Keyset(
    "search",
    (Key(literal_column("score", Integer)), Key(literal_column("id", Integer))),
)


class EmptyQuery(InvalidInput):
    code = "search_query_empty"
    title = "请输入检索词"


@dataclass(frozen=True)
class SearchRequest:
    q: str
    kinds: tuple[str, ...] = ()
    transaction_type: str | None = None
    method: str | None = None
    region: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    cursor: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    kind_label: str
    title: str
    title_html: Markup
    snippet_html: Markup
    link: str
    published_at: datetime
    transaction_type: str | None
    transaction_type_label: str | None
    method: str | None
    method_label: str | None
    region_code: str | None
    status: str | None
    status_label: str | None
    amount: Decimal | None
    score: float


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Results:
    q: str
    terms: list[str]
    items: list[Hit]
    next_cursor: str | None
    number: int
    total: int
    exact: bool  # False: ``total`` and the facets count the newest ``window`` matches only
    window: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    pages: int | None = None  # the pager's "of N pages": not given, the window is ranked, not counted

    @property
    def is_first(self) -> bool:
        return self.number == 1


FACET_TITLES = {
    "kind": "信息类型",
    "transaction_type": "交易类型",
    "method": "交易方式",
    "status": "状态",
    "region_code": "地区",
}


def _region_prefix(region: str | None) -> str | None:
    if not region:
        return None
    if not (region.isdigit() and 2 <= len(region) <= 6):
        raise InvalidInput("地区应为行政区划代码（2–6 位数字）", field="region")
    return region.rstrip("0") if len(region) == 6 else region


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=get_settings().tz)


def check(req: SearchRequest) -> list[Term]:
    """The query's terms, or the 422 that says what is wrong with the request."""
    q = (req.q or "").strip()
    if not q:
        raise EmptyQuery("请输入检索词", field="q")
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidInput(f"检索词最多 {MAX_QUERY_CHARS} 个字", field="q")
    terms = query_terms(q)
    if not terms:
        raise EmptyQuery("检索词中没有可检索的字词，请换用中文词语、数字或字母", field="q")
    known = sources.labels()
    for kind in req.kinds:
        if kind not in known:
            raise InvalidInput(f"没有这种信息类型：{kind}", field="type")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise InvalidInput("开始日期不能晚于结束日期", field="date_from")
    if req.amount_min is not None and req.amount_max is not None and req.amount_min > req.amount_max:
        raise InvalidInput("最低金额不能高于最高金额", field="amount_min")
    return terms


def search(session: Session, req: SearchRequest, *, window: int = backends.DEFAULT_WINDOW) -> Results:
    terms = check(req)
    limit = bounded_limit(req.limit)
    after: list[int] | None = None
    number = 1
    if req.cursor:
        after, number = decode_cursor(RESULT_ORDER, req.cursor)
    filters = backends.Filters(
        kinds=req.kinds,
        transaction_type=req.transaction_type or None,
        method=req.method or None,
        region_prefix=_region_prefix(req.region),
        status=req.status or None,
        published_from=_local_midnight(req.date_from) if req.date_from else None,
        published_before=_local_midnight(req.date_to + timedelta(days=1)) if req.date_to else None,
        amount_min=req.amount_min,
        amount_max=req.amount_max,
    )
    found = backends.for_session(session).search(session, terms, filters, window)
    ordered = sorted(((_score_key(m.score), m.id) for m in found.matches), reverse=True)
    if after is not None:
        ordered = [k for k in ordered if k < (after[0], after[1])]
    page = ordered[:limit]
    more = len(ordered) > limit
    next_cursor = encode_cursor(RESULT_ORDER, list(page[-1]), number + 1) if more and page else None
    scores = {m.id: m.score for m in found.matches}
    docs = {d.id: d for d in session.scalars(select(SearchDoc).where(SearchDoc.id.in_([i for _, i in page])))}
    words = [w for t in terms for w in t.all_words]
    return Results(
        q=req.q.strip(),
        terms=[t.word for t in terms],
        items=[_hit(docs[i], scores[i], words) for _, i in page if i in docs],
        next_cursor=next_cursor,
        number=number,
        total=len(found.matches),
        exact=found.complete,
        window=window,
        facets=_facets(found.matches),
    )


def _score_key(score: float) -> int:
    return int(round(score * 1_000_000))


def _status_label(doc: SearchDoc | backends.Match) -> str | None:
    if doc.status is None:
        return None
    source = sources.get(doc.kind)
    return source.status_labels.get(doc.status, doc.status) if source else doc.status


def _hit(doc: SearchDoc, score: float, words: list[str]) -> Hit:
    kinds = sources.labels()
    return Hit(
        key=doc.key,
        kind=doc.kind,
        kind_label=kinds.get(doc.kind, doc.kind),
        title=doc.title,
        title_html=highlight(doc.title, words),
        snippet_html=highlight(snippet(doc.body, words), words),
        link=doc.link,
        published_at=doc.published_at,
        transaction_type=doc.transaction_type,
        transaction_type_label=labels.label(labels.TRANSACTION_TYPE_LABELS, doc.transaction_type)
        if doc.transaction_type
        else None,
        method=doc.method,
        method_label=labels.label(labels.METHOD_LABELS, doc.method) if doc.method else None,
        region_code=doc.region_code,
        status=doc.status,
        status_label=_status_label(doc),
        amount=doc.amount,
        score=score,
    )


def snippet(body: str, words: list[str], chars: int = SNIPPET_CHARS) -> str:
    """About ``chars`` characters of ``body`` around the first place a query word occurs (its start when
    none does), with … where it was cut."""
    lowered = body.lower()
    places = [lowered.find(w) for w in sorted(words, key=len, reverse=True)]
    places = [p for p in places if p >= 0]
    start = max(0, min(places) - chars // 4) if places else 0
    end = min(len(body), start + chars)
    text = body[start:end].strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(body) else "")


def highlight(text: str, words: list[str]) -> Markup:
    """``text`` escaped, each occurrence of a query word in <mark> (longest words first, never nested)."""
    lowered = text.lower()
    marked = [False] * len(text)
    for word in sorted(set(words), key=len, reverse=True):
        if not word:
            continue
        i = lowered.find(word)
        while i >= 0:
            if not any(marked[i : i + len(word)]):
                for j in range(i, i + len(word)):
                    marked[j] = True
            i = lowered.find(word, i + len(word))
    out, inside = [], False
    for ch, on in zip(text, marked, strict=True):
        if on and not inside:
            out.append("<mark>")
        elif not on and inside:
            out.append("</mark>")
        inside = on
        out.append(html.escape(ch))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def _facets(docs: list[backends.Match]) -> dict[str, list[FacetValue]]:
    kinds = sources.labels()
    tables = {
        "kind": lambda d: (d.kind, kinds.get(d.kind, d.kind)),
        "transaction_type": lambda d: (
            d.transaction_type,
            labels.label(labels.TRANSACTION_TYPE_LABELS, d.transaction_type or ""),
        ),
        "method": lambda d: (d.method, labels.label(labels.METHOD_LABELS, d.method or "")),
        "status": lambda d: (d.status, _status_label(d) or ""),
        "region_code": lambda d: (d.region_code, d.region_code or ""),
    }
    out: dict[str, list[FacetValue]] = {}
    for name, of in tables.items():
        counts: dict[str, list] = {}
        for doc in docs:
            value, label = of(doc)
            if value:
                counts.setdefault(value, [label, 0])[1] += 1
        out[name] = sorted(
            (FacetValue(v, lab, n) for v, (lab, n) in counts.items()), key=lambda f: (-f.count, f.value)
        )[:20]
    return out
