"""Every main list and search query of the portal uses an index on PostgreSQL: the statements the notice
list (first page, a deep page, a filter), the project list, the search and the home page send are
captured as they run and explained with sequential scans priced out (``enable_seqscan = off``), so a plan
that still reads a large table whole has no index to use. SQLite's plans are checked by bench/portal.py's
figures at scale."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from tests.conftest import BACKEND
from tests.search.test_search import _world
from tests.trading.builders import cheap_password_hashing

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="EXPLAIN of PostgreSQL plans")

LARGE = ("notice", "project", "search_doc", "ledger_entry")
PAGES = [
    "/notices",
    "/notices?kind=tender&transaction_type=engineering",
    "/api/v1/notices?limit=1",
    "/projects",
    "/api/v1/projects?limit=1",
    "/api/v1/search?q=桥梁",
    "/api/v1/search?q=示范市&type=notice&region=35",
    "/search?q=医疗设备",
    "/",
]


def test_main_lists_and_search_use_indexes(db, client, monkeypatch):
    cheap_password_hashing(monkeypatch)
    _world(db)
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT") and re.search(r"\b(" + "|".join(LARGE) + r")\b", statement):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        for path in PAGES:
            assert client.get(path).status_code == 200, path
        first = client.get("/api/v1/notices", params={"limit": 1})
        cursor = first.json().get("next_cursor")
        if cursor:
            assert client.get("/notices", params={"cursor": cursor}).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(seen) > 10

    whole, plans = [], []
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        for table in LARGE:  # the planner's statistics from this test's rows, not from whatever a test before left
            cur.execute(f"ANALYZE {table}")
        cur.execute("SET enable_seqscan = off")
        for statement, parameters in seen:
            cur.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(r[0] for r in cur.fetchall())
            plans.append(plan)
            for table in LARGE:
                if re.search(rf"Seq Scan on {table}\b", plan):
                    whole.append(f"{table}: {statement[:300]}\n{plan}")
        # the search's full-text condition can use its GIN index (a GIN index is read by bitmap scans only; on a table
        # this small, with true statistics, the planner would rather walk the primary key and filter)
        cur.execute("SET enable_indexscan = off")
        # (a search narrowed by kind may rather read the kind's index: at least the plain search reads the GIN index)
        searches = []
        for statement, parameters in seen:
            if "search_doc" in statement and "@@" in statement:
                cur.execute("EXPLAIN " + statement, parameters)
                searches.append("\n".join(r[0] for r in cur.fetchall()))
        assert any("ix_search_doc_tsv" in plan for plan in searches), "\n\n".join(searches)
    finally:
        raw.rollback()
        raw.close()
    assert any("ix_notice_kind_published" in p for p in plans)  # the notice list by kind
    assert not whole, "queries reading a large table whole:\n\n" + "\n\n".join(whole)
