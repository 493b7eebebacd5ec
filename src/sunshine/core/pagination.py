"""Keyset (cursor) pagination for every list, API and pages alike.

A list is ordered by a ``Keyset``: one or more sort columns and the row id as the last tiebreaker, so
the order is total and stable. A page is fetched with ``paginate``: the rows after the cursor, one more
than asked to learn whether another page follows (no ``OFFSET``, no ``COUNT(*)``). The cursor handed to
the next request is opaque — URL-safe base64 of the last row's sort key, the list's name and the page
number — and a malformed or foreign cursor is refused with ``InvalidCursor`` (422, code
``invalid_cursor``), never a 500.

Where a list shows how many rows it has, ``paginate(..., count=True)`` counts at most ``COUNT_CAP`` + 1
rows of the filtered list: cheap on any table, exact below the cap, "more than" above it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from sunshine.core.errors import InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
COUNT_CAP = 1000
MAX_CURSOR_CHARS = 500
_MAX_PAGE_NO = 1_000_000


# The query parameters of every paged route (API and pages). A cursor longer than MAX_CURSOR_CHARS passes
# the parameter check and is refused by ``decode_cursor``, so every bad cursor gets the same code.
CURSOR = Query(None, max_length=4 * MAX_CURSOR_CHARS, description="翻页参数：上一页回答中的 next_cursor；不填为第一页")


def cursor_query() -> Any:
    """A cursor parameter of its own, for a page paging several lists (``bans_cursor``, ``records_cursor``…):
    FastAPI keeps the first name it is given in a ``Query`` object, so ``CURSOR`` cannot serve two parameters."""
    return Query(None, max_length=4 * MAX_CURSOR_CHARS, description=CURSOR.description)


LIMIT = Query(None, ge=1, le=MAX_LIMIT, description=f"每页条数，1–{MAX_LIMIT}，默认 {DEFAULT_LIMIT}")


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    title = "翻页参数无效"


def _refuse() -> InvalidCursor:
    return InvalidCursor("翻页参数无效或已过期，请从第一页重新查看", field="cursor")


@dataclass(frozen=True)
class Key:
    """One sort column of a keyset, newest (largest) first unless ``descending`` is False."""

    column: Any
    descending: bool = True


@dataclass(frozen=True)
class Keyset:
    """The order of one list: ``keys`` then the id column (which must be unique) as tiebreaker."""

    name: str  # written into cursors, so a cursor of one list is refused by another
    keys: tuple[Key, ...]

    @classmethod
    def of(cls, name: str, *keys: Key | Any) -> Keyset:
        return cls(name, tuple(k if isinstance(k, Key) else Key(k) for k in keys))

    def order_by(self) -> list[Any]:
        return [k.column.desc() if k.descending else k.column.asc() for k in self.keys]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after ``values`` in this order (expanded, so mixed directions work everywhere)."""
        terms = []
        for i, key in enumerate(self.keys):
            equal = [self.keys[j].column == values[j] for j in range(i)]
            beyond = key.column < values[i] if key.descending else key.column > values[i]
            terms.append(and_(*equal, beyond))
        # the first key's bound on its own as well: an index on the keys is then read from the cursor on, where
        # the OR alone makes SQLite walk it from the first row (a deep page read half the list)
        first = self.keys[0]
        bound = first.column <= values[0] if first.descending else first.column >= values[0]
        return and_(bound, or_(*terms)) if len(self.keys) > 1 else or_(*terms)

    def python_types(self) -> list[type]:
        out = []
        for key in self.keys:
            kind = key.column.type
            kind = getattr(kind, "impl_instance", kind)  # a TypeDecorator such as UTCDateTime: what it stores
            try:
                out.append(kind.python_type)
            except NotImplementedError:
                out.append(str)
        return out


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, the cursor of the next page (None on the last) and, when counted,
    how many rows the whole list has (``total_exact`` False: at least that many)."""

    items: list[T]
    next_cursor: str | None
    limit: int
    number: int = 1  # 1 for the first page, counted along the cursors
    total: int | None = None
    total_exact: bool = True

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def pages(self) -> int | None:
        """Number of pages, when the total is known exactly."""
        if self.total is None or not self.total_exact:
            return None
        return max(1, -(-self.total // self.limit))


# --------------------------------------------------------------------------- the cursor


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("sort keys of datetime must be timezone-aware")
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, bool) or value is None:
        raise ValueError("sort keys must be integers, strings, dates or datetimes (not null)")
    if isinstance(value, int | str):
        return value
    raise ValueError(f"cannot put {type(value).__name__} in a cursor")


def _decode_value(raw: Any, kind: type) -> Any:
    if kind is datetime:
        if not (isinstance(raw, dict) and set(raw) == {"t"} and isinstance(raw["t"], str)):
            raise _refuse()
        try:
            value = datetime.fromisoformat(raw["t"])
        except ValueError:
            raise _refuse() from None
        if value.tzinfo is None:
            raise _refuse()
        return value
    if kind is date:
        if not (isinstance(raw, dict) and set(raw) == {"d"} and isinstance(raw["d"], str)):
            raise _refuse()
        try:
            return date.fromisoformat(raw["d"])
        except ValueError:
            raise _refuse() from None
    if kind is int:
        if not isinstance(raw, int) or isinstance(raw, bool) or abs(raw) > 2**63 - 1:
            raise _refuse()
        return raw
    if not isinstance(raw, str) or len(raw) > 300:
        raise _refuse()
    return raw


def encode_cursor(keyset: Keyset, values: Sequence[Any], number: int) -> str:
    """The opaque cursor of the page after the row whose sort key is ``values``; ``number`` is that page's
    number."""
    doc = {"l": keyset.name, "k": [_encode_value(v) for v in values], "p": number}
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def decode_cursor(keyset: Keyset, cursor: str) -> tuple[list[Any], int]:
    """The sort key and page number in ``cursor``, or ``InvalidCursor`` if it is not one of this list's."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise _refuse()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        doc = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _refuse() from None
    if not isinstance(doc, dict) or set(doc) != {"l", "k", "p"} or doc["l"] != keyset.name:
        raise _refuse()
    values, number = doc["k"], doc["p"]
    kinds = keyset.python_types()
    if not isinstance(values, list) or len(values) != len(kinds):
        raise _refuse()
    if not isinstance(number, int) or isinstance(number, bool) or not 1 < number <= _MAX_PAGE_NO:
        raise _refuse()
    return [_decode_value(v, k) for v, k in zip(values, kinds, strict=True)], number


# --------------------------------------------------------------------------- fetching a page


def bounded_limit(limit: int | None, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    if limit is None:
        return default
    return max(1, min(int(limit), maximum))


def count_upto(session: Session, stmt: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows ``stmt`` selects, counting at most ``cap`` + 1: (count, exact)."""
    inner = stmt.with_only_columns(literal_column("1"), maintain_column_froms=True).order_by(None).limit(cap + 1)
    n = session.scalar(select(func.count()).select_from(inner.subquery())) or 0
    return (n, True) if n <= cap else (cap, False)


def paginate(
    session: Session,
    stmt: Select,
    keyset: Keyset,
    *,
    cursor: str | None = None,
    limit: int | None = None,
    count: bool = False,
    options: Sequence[Any] = (),
) -> Page[Any]:
    """The page of ``stmt`` (a select of one or more entities or columns, filtered but not ordered) after
    ``cursor``, in ``keyset`` order. Rows are the selected entity, or a tuple when several are selected.
    ``options`` (loader options) apply to the page's rows only."""
    limit = bounded_limit(limit)
    number = 1
    values: list[Any] | None = None
    if cursor:
        values, number = decode_cursor(keyset, cursor)
    total, exact = count_upto(session, stmt) if count else (None, True)
    width = len(stmt.column_descriptions)
    # labelled, so a computed key (a CAST, a CASE) is found in a row beside an entity with loader options
    keys = [k.column.label(f"keyset_{i}") for i, k in enumerate(keyset.keys)]
    query = stmt.add_columns(*keys).order_by(*keyset.order_by()).limit(limit + 1)
    if values is not None:
        query = query.where(keyset.after(values))
    if options:
        query = query.options(*options)
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [row[0] if width == 1 else tuple(row[:width]) for row in rows]
    next_cursor = encode_cursor(keyset, list(rows[-1][width:]), number + 1) if more and rows else None
    return Page(items, next_cursor, limit, number, total, exact)


def page_urls(path: str, filters: dict[str, Any], *, param: str = "cursor", anchor: str = "") -> Any:
    """For pages: a function giving the URL of the page at a cursor (None: the first page) with ``filters``
    (empty values left out), as the ``pager`` macro wants it. A page showing several lists pages each under its
    own cursor ``param`` (the others' cursors among its ``filters``) and may jump back to the list's ``anchor``."""

    def url_for(cursor: str | None) -> str:
        query = {k: v for k, v in filters.items() if v not in (None, "") and k != param}
        if cursor:
            query[param] = cursor
        fragment = f"#{anchor}" if anchor else ""
        return (f"{path}?{urlencode(query)}" if query else path) + fragment

    return url_for


def link_header(url: Any, page: Page[Any]) -> dict[str, str]:
    """An RFC 8288 ``Link: <…>; rel="next"`` header for lists answered as a bare JSON array; ``url`` is the
    request's URL (a Starlette ``URL``), whose other query parameters the next link keeps."""
    if page.next_cursor is None:
        return {}
    return {"Link": f'<{url.include_query_params(cursor=page.next_cursor)}>; rel="next"'}


@dataclass(frozen=True)
class Paging:
    """The paging of one API list request answered as a bare JSON array: its ``cursor`` and ``limit``
    parameters, and ``answer`` that hands back a page's rows with the ``Link: rel="next"`` header. Routes take
    it as ``paging: Paging = PAGING``. Without ``limit`` a page has ``MAX_LIMIT`` rows, as the other lists
    answered as arrays (projects, organisations, registrations)."""

    cursor: str | None
    limit: int | None
    request: Request
    response: Response

    def answer(self, page: Page[T]) -> list[T]:
        self.response.headers.update(link_header(self.request.url, page))
        return page.items


def _paging(request: Request, response: Response, cursor: str | None = CURSOR, limit: int | None = LIMIT) -> Paging:
    return Paging(cursor, limit or MAX_LIMIT, request, response)


PAGING = Depends(_paging)
