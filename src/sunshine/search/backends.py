"""Where the search index lives, behind one interface (``Backend``), so a centre that outgrows its database
can point the search at OpenSearch/Elasticsearch without touching the domains or the pages (docs/search.md).

- ``SqliteFts5``: the rows of ``search_doc`` and the FTS5 table ``search_fts`` over their segmented words
  (external content, rowid = ``search_doc.id``), ranked with bm25 (title weighted 10:1).
- ``PostgresTsvector``: the same rows; the generated column ``tsv`` (``simple`` configuration over the
  segmented words, title weight A, body D) with a GIN index, ranked with ``ts_rank``.

A query is the AND of its terms, each "the word, or its parts one after the other" (``segment.Term``). Ranking works on
a bounded window: the newest ``window`` matches passing the filters (by index order), ranked among
themselves — so a term found in half a million notices costs the same as one found in fifty. Counts and
facets over a full window are estimates and say so (``Window.complete``).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from sqlalchemy import ColumnElement, Integer, Select, and_, column, delete, insert, select, table, text, update
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.search.models import SearchDoc
from sunshine.search.segment import Term
from sunshine.search.sources import BODY_CHARS, Doc

DEFAULT_WINDOW = 1000


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    transaction_type: str | None = None
    method: str | None = None
    region_prefix: str | None = None  # 行政区划代码 without its trailing zeros: 35 a province, 3501 a city
    status: str | None = None
    published_from: datetime | None = None
    published_before: datetime | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        d = SearchDoc
        out: list[ColumnElement[bool]] = []
        if self.kinds:
            out.append(d.kind.in_(self.kinds))
        if self.transaction_type:
            out.append(d.transaction_type == self.transaction_type)
        if self.method:
            out.append(d.method == self.method)
        if self.region_prefix:
            out.append(d.region_code.startswith(self.region_prefix, autoescape=True))
        if self.status:
            out.append(d.status == self.status)
        if self.published_from is not None:
            out.append(d.published_at >= self.published_from)
        if self.published_before is not None:
            out.append(d.published_at < self.published_before)
        if self.amount_min is not None:
            out.append(d.amount >= self.amount_min)
        if self.amount_max is not None:
            out.append(d.amount <= self.amount_max)
        return out


@dataclass(frozen=True)
class Match:
    """One match in the window: what ranking, paging and the facets need (the page loads the rest)."""

    id: int
    score: float
    kind: str
    transaction_type: str | None
    method: str | None
    status: str | None
    region_code: str | None


@dataclass(frozen=True)
class Window:
    """The matches of a query in the window, in no particular order; ``complete`` False when the window
    was full, so more matches exist than were ranked."""

    matches: list[Match]
    complete: bool


# The columns a window query selects after the id and the score (``Match``'s fields, in order).
WINDOW_COLUMNS = (SearchDoc.kind, SearchDoc.transaction_type, SearchDoc.method, SearchDoc.status, SearchDoc.region_code)


@runtime_checkable
class Backend(Protocol):
    """The one interface of the index: the database's own full-text search implements it (``SqliteFts5``,
    ``PostgresTsvector``), and so does a centre's adapter to an external engine (``SUNSHINE_SEARCH_BACKEND``)."""

    name: str

    def put(self, session: Session, key: str, kind: str, doc: Doc, title_tokens: str, body_tokens: str) -> None:
        """Add or replace the entry of ``key`` in the request's transaction."""
        ...

    def remove(self, session: Session, key: str) -> None:
        """Take the entry of ``key`` out (nothing if there is none)."""
        ...

    def clear(self, session: Session, kind: str | None = None) -> None:
        """Take every entry (of ``kind``) out, before a reindex."""
        ...

    def search(self, session: Session, terms: Sequence[Term], filters: Filters, window: int) -> Window:
        """The newest ``window`` matches of every term passing ``filters``, each with its relevance."""
        ...


def _values(key: str, kind: str, doc: Doc, title_tokens: str, body_tokens: str) -> dict[str, object]:
    return {
        "key": key,
        "kind": kind,
        "title": doc.title[:300],
        "body": doc.body[:BODY_CHARS],
        "link": doc.link,
        "published_at": doc.published_at,
        "transaction_type": doc.transaction_type,
        "method": doc.method,
        "region_code": doc.region_code,
        "status": doc.status,
        "amount": doc.amount,
        "title_tokens": title_tokens,
        "body_tokens": body_tokens,
    }


def _window(rows: list, window: int) -> Window:
    return Window([Match(r[0], float(r[1] or 0), *r[2:]) for r in rows], complete=len(rows) < window)


_FTS = table("search_fts", column("rowid", Integer))


class SqliteFts5:
    name = "sqlite-fts5"

    def put(self, session: Session, key: str, kind: str, doc: Doc, title_tokens: str, body_tokens: str) -> None:
        values = _values(key, kind, doc, title_tokens, body_tokens)
        old = session.execute(
            select(SearchDoc.id, SearchDoc.title_tokens, SearchDoc.body_tokens).where(SearchDoc.key == key)
        ).first()
        if old is not None:
            self._unindex(session, old.id, old.title_tokens, old.body_tokens)
            session.execute(update(SearchDoc).where(SearchDoc.id == old.id).values(**values))
            doc_id = old.id
        else:
            doc_id = session.execute(insert(SearchDoc).values(**values).returning(SearchDoc.id)).scalar_one()
        session.execute(
            text("INSERT INTO search_fts(rowid, title_tokens, body_tokens) VALUES (:id, :t, :b)"),
            {"id": doc_id, "t": title_tokens, "b": body_tokens},
        )

    def _unindex(self, session: Session, doc_id: int, title_tokens: str, body_tokens: str) -> None:
        session.execute(
            text("INSERT INTO search_fts(search_fts, rowid, title_tokens, body_tokens) VALUES ('delete', :id, :t, :b)"),
            {"id": doc_id, "t": title_tokens, "b": body_tokens},
        )

    def remove(self, session: Session, key: str) -> None:
        old = session.execute(
            select(SearchDoc.id, SearchDoc.title_tokens, SearchDoc.body_tokens).where(SearchDoc.key == key)
        ).first()
        if old is not None:
            self._unindex(session, old.id, old.title_tokens, old.body_tokens)
            session.execute(delete(SearchDoc).where(SearchDoc.id == old.id))

    def clear(self, session: Session, kind: str | None = None) -> None:
        if kind is None:
            session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('delete-all')"))
            session.execute(delete(SearchDoc))
            return
        for row in session.execute(
            select(SearchDoc.id, SearchDoc.title_tokens, SearchDoc.body_tokens).where(SearchDoc.kind == kind)
        ).all():
            self._unindex(session, row.id, row.title_tokens, row.body_tokens)
        session.execute(delete(SearchDoc).where(SearchDoc.kind == kind))

    @staticmethod
    def match_expression(terms: Sequence[Term]) -> str:
        groups = []
        for term in terms:
            whole = f'"{term.word}"'
            if term.parts:
                whole = f'({whole} OR "{" ".join(term.parts)}")'
            groups.append(whole)
        return " AND ".join(groups)

    def search(self, session: Session, terms: Sequence[Term], filters: Filters, window: int) -> Window:
        stmt: Select = (
            select(SearchDoc.id, text("-bm25(search_fts, 10.0, 1.0) AS score"), *WINDOW_COLUMNS)
            .select_from(_FTS)
            .join(SearchDoc, SearchDoc.id == _FTS.c.rowid)
            .where(text("search_fts MATCH :match"), *filters.conditions())
            .order_by(_FTS.c.rowid.desc())
            .limit(window)
        )
        return _window(session.execute(stmt, {"match": self.match_expression(terms)}).all(), window)


class PostgresTsvector:
    name = "postgresql-tsvector"

    def put(self, session: Session, key: str, kind: str, doc: Doc, title_tokens: str, body_tokens: str) -> None:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        values = _values(key, kind, doc, title_tokens, body_tokens)
        stmt = pg_insert(SearchDoc).values(**values)
        session.execute(
            stmt.on_conflict_do_update(index_elements=[SearchDoc.key], set_={k: stmt.excluded[k] for k in values})
        )

    def remove(self, session: Session, key: str) -> None:
        session.execute(delete(SearchDoc).where(SearchDoc.key == key))

    def clear(self, session: Session, kind: str | None = None) -> None:
        session.execute(delete(SearchDoc).where(*([SearchDoc.kind == kind] if kind else [])))

    @staticmethod
    def tsquery(terms: Sequence[Term]) -> str:
        def lit(word: str) -> str:
            return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

        groups = []
        for term in terms:
            whole = lit(term.word)
            if term.parts:
                whole = f"({whole} | ({' <-> '.join(lit(p) for p in term.parts)}))"
            groups.append(whole)
        return " & ".join(groups)

    def search(self, session: Session, terms: Sequence[Term], filters: Filters, window: int) -> Window:
        cond = and_(text("search_doc.tsv @@ CAST(:q AS tsquery)"), *filters.conditions())
        stmt = (
            select(SearchDoc.id, text("ts_rank(search_doc.tsv, CAST(:q AS tsquery)) AS score"), *WINDOW_COLUMNS)
            .where(cond)
            .order_by(SearchDoc.id.desc())
            .limit(window)
        )
        return _window(session.execute(stmt, {"q": self.tsquery(terms)}).all(), window)


DATABASE = "database"
_override: Backend | None = None
_configured: dict[str, Backend] = {}


def use(backend: Backend | None) -> None:
    """Point the search at another backend (a centre's OpenSearch adapter); None: the configured one."""
    global _override
    _override = backend


def configured(name: str) -> Backend | None:
    """The backend ``SUNSHINE_SEARCH_BACKEND`` names: None for the database's own, else the adapter built once
    by ``module:Factory`` (a class or a function of no arguments)."""
    if name == DATABASE:
        return None
    if name not in _configured:
        module, _, attr = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr) if attr else None
        except (ImportError, AttributeError):
            factory = None
        backend = factory() if factory is not None else None
        if not isinstance(backend, Backend):
            raise ValueError(
                f"SUNSHINE_SEARCH_BACKEND={name}：应为 database，或实现 search.backends.Backend 的 module:Factory"
            )
        _configured[name] = backend
    return _configured[name]


def for_session(session: Session) -> Backend:
    if _override is not None:
        return _override
    chosen = configured(get_settings().search_backend)
    if chosen is not None:
        return chosen
    bind = session.get_bind()
    return PostgresTsvector() if bind.dialect.name == "postgresql" else SqliteFts5()
