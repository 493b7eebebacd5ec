"""``ledger.service.append_many``: a batch stores exactly what the same appends one after the other would (entries,
perfect-subtree nodes, state), and a bad item refuses the whole batch with nothing written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.core.errors import InvalidInput
from sunshine.ledger import service
from tests.ledger.test_service import _reset_ledger, snapshot, verify_db


def items(start: int, count: int) -> list[tuple[str, str, dict]]:
    return [("test:entry:appended", f"test:{i}", {"i": i, "名称": f"第{i}条"}) for i in range(start, start + count)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.integers(min_value=0, max_value=19), min_size=1, max_size=5))
def test_a_batch_stores_what_single_appends_store(db, clock, batches):
    _reset_ledger(db)
    start = 0
    for size in batches:
        with db.unit_of_work() as s:
            assert service.append_many(s, items(start, size)) == list(range(start, start + size))
        start += size
    batched = snapshot(db)

    _reset_ledger(db)
    with db.unit_of_work() as s:
        for kind, subject, payload in items(0, start):
            service.append(s, kind, subject, payload)
    assert snapshot(db) == batched
    with db.unit_of_work() as s:
        service.sign_head(s)
    report = verify_db(db)
    assert report.ok and report.entries == start


@pytest.mark.parametrize(
    "bad",
    [("test:entry|x", "test:1", {}), ("test:entry", "test:\n1", {}), ("test:entry", "test:1", {"n": 2**60})],
)
def test_one_bad_item_refuses_the_batch_and_nothing_is_recorded(db, bad):
    with db.unit_of_work() as s:
        service.append(s, "test:entry:appended", "test:0", {"i": 0})
    before = snapshot(db)
    with pytest.raises(InvalidInput), db.unit_of_work() as s:
        service.append_many(s, [*items(1, 3), bad, *items(4, 2)])
    assert snapshot(db) == before
