"""A centre points the search at an external engine by configuration alone: ``SUNSHINE_SEARCH_BACKEND`` names an
adapter (``module:Factory``) implementing ``search.backends.Backend``; publishing feeds it in the records'
transactions and ``/api/v1/search`` answers from it. The adapter here stands in for an OpenSearch one: its own
word index in memory, ``search_doc`` kept by the database backend as the store of what pages show."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.search import backends
from sunshine.search.models import SearchDoc
from sunshine.search.segment import Term
from sunshine.search.sources import Doc
from tests.search.test_search import _search, _world
from tests.trading.builders import cheap_password_hashing


class MemoryEngine:
    name = "memory-engine"

    def __init__(self) -> None:
        self.words: dict[str, set[str]] = {}  # key → the entry's words
        self.searched = 0

    @staticmethod
    def _store(session: Session) -> backends.Backend:
        dialect = session.get_bind().dialect.name
        return backends.PostgresTsvector() if dialect == "postgresql" else backends.SqliteFts5()

    def put(self, session: Session, key: str, kind: str, doc: Doc, title_tokens: str, body_tokens: str) -> None:
        self._store(session).put(session, key, kind, doc, title_tokens, body_tokens)
        self.words[key] = set(f"{title_tokens} {body_tokens}".split())

    def remove(self, session: Session, key: str) -> None:
        self._store(session).remove(session, key)
        self.words.pop(key, None)

    def clear(self, session: Session, kind: str | None = None) -> None:
        self._store(session).clear(session, kind)
        self.words = {k: w for k, w in self.words.items() if kind is not None and not k.startswith(f"{kind}:")}

    def search(
        self, session: Session, terms: Sequence[Term], filters: backends.Filters, window: int
    ) -> backends.Window:
        self.searched += 1
        keys = [k for k, w in self.words.items() if all(t.word in w or (t.parts and set(t.parts) <= w) for t in terms)]
        rows = session.execute(
            select(SearchDoc.id, SearchDoc.key, *backends.WINDOW_COLUMNS)
            .where(SearchDoc.key.in_(keys), *filters.conditions())
            .order_by(SearchDoc.id.desc())
            .limit(window)
        ).all()
        return backends.Window([backends.Match(r[0], 1.0, *r[2:]) for r in rows], complete=len(rows) < window)


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setenv("SUNSHINE_SEARCH_BACKEND", f"{__name__}:MemoryEngine")
    get_settings.cache_clear()
    backends._configured.clear()
    yield lambda: backends.configured(get_settings().search_backend)
    backends._configured.clear()
    get_settings.cache_clear()


def test_the_configured_engine_is_fed_and_answers(db, client, monkeypatch, engine):
    cheap_password_hashing(monkeypatch)
    world, notices, guide, reviewer = _world(db)
    memory = engine()
    assert isinstance(memory, MemoryEngine) and isinstance(memory, backends.Backend)
    assert any(k.startswith("notice:") for k in memory.words)  # fed in the publishing transactions

    found = _search(client, q="桥梁", type="notice")
    assert [i["link"] for i in found["items"]] == [f"/notices/{notices['bridge']}"]
    assert "<mark>桥梁</mark>" in found["items"][0]["title_html"]
    assert memory.searched >= 1  # the engine answered, not the database's index


def test_a_wrong_setting_is_named(monkeypatch):
    monkeypatch.setenv("SUNSHINE_SEARCH_BACKEND", "no.such.module:Engine")
    get_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="SUNSHINE_SEARCH_BACKEND"):
            backends.configured(get_settings().search_backend)
    finally:
        get_settings.cache_clear()
    assert isinstance(backends.SqliteFts5(), backends.Backend)
    assert isinstance(backends.PostgresTsvector(), backends.Backend)
