"""The keyset pagination kit: cursors round-trip and refuse tampering, paging through a list yields every row
exactly once and in order (equal sort keys included), and a bad cursor is a 422 with a stable code."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, delete, insert, select
from sqlalchemy.orm import Session

from sunshine.core.pagination import (
    InvalidCursor,
    Key,
    Keyset,
    Page,
    bounded_limit,
    decode_cursor,
    encode_cursor,
    paginate,
)
from sunshine.db import UTCDateTime

probe_md = MetaData()
probe = Table(
    "pagination_probe",
    probe_md,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("name", String(20), nullable=False),
    prefixes=["TEMPORARY"],
)
NEWEST_FIRST = Keyset.of("probe", probe.c.at, probe.c.id)
MIXED = Keyset.of("probe-mixed", Key(probe.c.day, descending=False), Key(probe.c.name), Key(probe.c.id, False))
BASE = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

moments = st.integers(0, 5).map(lambda h: BASE + timedelta(hours=h))  # few values: many equal keys
days = st.integers(0, 3).map(lambda d: date(2026, 11, 23) + timedelta(days=d))
names = st.sampled_from(["a", "b", "c"])  # one letter each: same order under every collation


@pytest.fixture(scope="module")
def probe_session(migrated_db):
    with migrated_db.engine.connect() as conn:
        probe_md.create_all(conn)
        conn.commit()
        with Session(bind=conn) as s:
            yield s
        probe_md.drop_all(conn)
        conn.commit()


def _walk(session: Session, keyset: Keyset, limit: int) -> list[tuple]:
    seen, cursor, pages = [], None, 0
    while True:
        page = paginate(
            session, select(probe.c.id, probe.c.at, probe.c.day, probe.c.name), keyset, cursor=cursor, limit=limit
        )
        pages += 1
        assert page.number == pages and len(page.items) <= limit
        seen.extend(page.items)
        if page.next_cursor is None:
            return seen
        assert len(page.items) == limit  # only a full page can have a next one
        cursor = page.next_cursor


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(moments, days, names), max_size=25), limit=st.integers(1, 7))
def test_paging_yields_every_row_once_in_order(probe_session, rows, limit):
    probe_session.execute(delete(probe))
    if rows:
        probe_session.execute(
            insert(probe), [{"id": i + 1, "at": at, "day": d, "name": n} for i, (at, d, n) in enumerate(rows)]
        )
    try:
        newest = _walk(probe_session, NEWEST_FIRST, limit)
        assert [r[0] for r in newest] == [
            i + 1 for i, _ in sorted(enumerate(rows), key=lambda e: (e[1][0], e[0]), reverse=True)
        ]
        mixed = _walk(probe_session, MIXED, limit)
        expected = sorted(enumerate(rows), key=lambda e: (e[1][1], -ord(e[1][2]), e[0]))
        assert [r[0] for r in mixed] == [i + 1 for i, _ in expected]
    finally:
        probe_session.rollback()


sort_keys = st.tuples(
    st.datetimes(timezones=st.just(UTC), min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.dates(),
    st.text(max_size=30),
    st.integers(-(2**63) + 1, 2**63 - 1),
)
ROUND_TRIP = Keyset.of("round", Key(probe.c.at), Key(probe.c.day), Key(probe.c.name), Key(probe.c.id))


@given(values=sort_keys, number=st.integers(2, 1_000_000))
def test_cursor_round_trip(values, number):
    cursor = encode_cursor(ROUND_TRIP, list(values), number)
    assert cursor.isascii() and "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert decode_cursor(ROUND_TRIP, cursor) == (list(values), number)


@given(junk=st.text(max_size=80) | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode()))
def test_junk_is_refused_never_crashes(junk):
    try:
        decode_cursor(ROUND_TRIP, junk)
    except InvalidCursor as exc:
        assert exc.status == 422 and exc.code == "invalid_cursor"


def _forge(doc) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "doc",
    [
        {"l": "other", "k": [{"t": "2026-11-23T01:00:00+00:00"}, 1], "p": 2},  # another list's cursor
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}], "p": 2},  # a key short
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00"}, 1], "p": 2},  # naive time
        {"l": "probe", "k": [{"d": "2026-11-23"}, 1], "p": 2},  # a date where a time belongs
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}, "1"], "p": 2},  # a string id
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}, True], "p": 2},
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}, 1], "p": 1},  # page 1 has no cursor
        {"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}, 1]},
        ["probe"],
    ],
)
def test_forged_cursors_are_refused(doc):
    with pytest.raises(InvalidCursor):
        decode_cursor(NEWEST_FIRST, _forge(doc))
    assert decode_cursor(NEWEST_FIRST, _forge({"l": "probe", "k": [{"t": "2026-11-23T01:00:00+00:00"}, 1], "p": 2}))


def test_limit_is_bounded_and_page_counts():
    assert (bounded_limit(None), bounded_limit(0), bounded_limit(10_000)) == (20, 1, 100)
    page = Page(items=[1, 2], next_cursor=None, limit=2, total=5)
    assert (page.pages, page.has_more, page.is_first) == (3, False, True)
    assert Page(items=[], next_cursor=None, limit=2, total=1000, total_exact=False).pages is None


@pytest.mark.parametrize(
    "path",
    ["/api/v1/notices", "/api/v1/disclosure/publications", "/api/v1/policies", "/api/v1/concerns", "/notices"],
)
@pytest.mark.parametrize("cursor", ["not-a-cursor", "e30", "x" * 1500, _forge({"l": "notices", "k": [1, 2], "p": 2})])
def test_malformed_cursor_is_422_with_stable_code(client, path, cursor):
    response = client.get(path, params={"cursor": cursor})
    assert response.status_code == 422
    if path.startswith("/api/"):
        body = response.json()
        assert body["code"] == "invalid_cursor" and "翻页参数" in body["detail"]
