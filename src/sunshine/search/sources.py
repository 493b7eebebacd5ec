"""The registry of search sources: each domain says which of its records the site search carries.

A domain registers a kind at ``domains.install()`` (in its own ``search_sources.py``)::

    sources.register("notice", "交易公告", model=Notice, document=notice_doc, rows=all_notices,
                     related=None, status_labels=PROJECT_STATES)

- ``document(session, record) -> Doc | None`` — what the index holds for a record, or None when the public
  may not see it (not yet published, withdrawn): the record is then taken out of the index.
- ``rows(session)`` — every record of the kind, oldest first, for ``sunshine search reindex``.
- ``related(session, record) -> [(kind, id), ...]`` — other records whose document changes with this one
  (a project's state is each of its notices' status).

The index follows the source's model in every transaction that writes it (``indexing``); the search
imports no domain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

BODY_CHARS = 4000


@dataclass(frozen=True)
class Doc:
    """One public record as the search shows it."""

    title: str
    body: str  # plain text
    link: str  # site-relative path of the public page
    published_at: datetime
    transaction_type: str | None = None
    method: str | None = None
    region_code: str | None = None
    status: str | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Source:
    kind: str
    label: str  # Chinese, shown as the result's type and in the type filter
    model: type
    document: Callable[[Session, Any], Doc | None]
    rows: Callable[[Session], Iterable[Any]]
    related: Callable[[Session, Any], list[tuple[str, int]]] | None = None
    status_labels: Mapping[str, str] = field(default_factory=dict)  # the kind's status codes in Chinese


_sources: dict[str, Source] = {}
_by_model: dict[type, Source] = {}


def register(
    kind: str,
    label: str,
    *,
    model: type,
    document: Callable[[Session, Any], Doc | None],
    rows: Callable[[Session], Iterable[Any]],
    related: Callable[[Session, Any], list[tuple[str, int]]] | None = None,
    status_labels: Mapping[str, str] | None = None,
) -> Source:
    """Add (or replace, on a second install) the source of ``kind``."""
    source = Source(kind, label, model, document, rows, related, dict(status_labels or {}))
    _sources[kind] = source
    _by_model[model] = source
    return source


def get(kind: str) -> Source | None:
    return _sources.get(kind)


def of_model(model: type) -> Source | None:
    return _by_model.get(model)


def all_sources() -> list[Source]:
    return list(_sources.values())


def labels() -> dict[str, str]:
    return {s.kind: s.label for s in _sources.values()}
