"""The demo's disclosure history, called the way the demo orchestrator calls it: the catalog once, then
``seed_month`` for consecutive months in order on an adjustable clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sunshine.core.clock import AdjustableClock
from sunshine.core.models import Alert
from sunshine.demo.disclosure import load_catalog, seed_month
from sunshine.disclosure import compliance, publications
from sunshine.disclosure.models import Obligation, Publication
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.ledger.verify import verify_log
from tests.builders import make_org
from tests.trading.builders import SHANGHAI, actor, cheap_password_hashing

MONTHS = [
    (date(2026, 7, 1), date(2026, 7, 31)),
    (date(2026, 8, 1), date(2026, 8, 31)),
    (date(2026, 9, 1), date(2026, 9, 30)),
]


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


def test_three_months_of_history(db):
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_org(db, name="示范市住房和城乡建设局", kind=OrganisationKind.DEPARTMENT)
    make_org(db, name="示范市财政局", kind=OrganisationKind.DEPARTMENT)
    actor(db, Role.CENTRE_STAFF, organisation_id=centre, username="centre")
    actor(db, Role.DISCLOSURE_OFFICE, username="disclosure")
    demo_clock = AdjustableClock(datetime(2026, 7, 1, 8, tzinfo=SHANGHAI))

    assert load_catalog(db).items_added >= 40
    assert not load_catalog(db).changed
    for start, end in MONTHS:
        seed_month(db, demo_clock, start, end)
        assert demo_clock.now() <= datetime(end.year, end.month, end.day, 23, 59, tzinfo=SHANGHAI) + timedelta(days=1)
    with db.unit_of_work() as s:
        size = ledger.size(s)
    seed_month(db, demo_clock, *MONTHS[-1])  # a month already seeded is left alone
    with db.unit_of_work() as s:
        assert ledger.size(s) == size

        statuses = dict(s.execute(select(Publication.status, func.count()).group_by(Publication.status)).all())
        assert statuses["withdrawn"] == 3 and statuses["published"] >= 15
        held = publications.review_queue(s)
        assert len(held) == 1 and publications.is_held(held[0]), "only the last month's draft is still held"
        late = s.scalar(select(func.count()).select_from(Obligation).where(Obligation.late.is_(True)))
        assert late >= 4
        on_time = s.scalar(select(func.count()).select_from(Obligation).where(Obligation.late.is_(False)))
        assert on_time > late
        assert s.scalar(select(func.count()).select_from(Alert).where(Alert.domain == "disclosure")) >= 1

    with db.unit_of_work() as s:
        from sunshine.core import clock as clock_module

        with clock_module.use_clock(demo_clock):
            board = compliance.dashboard(s)
        assert 0 < board.total.rate < 100 and board.total.median_delay is not None
        assert [t.key for t in board.by_month][:3] == ["2026-07", "2026-08", "2026-09"]
        assert board.overdue, "a forgotten penalty decision is on the public overdue list"
    from sunshine.ledger.export import iter_db_entries, iter_db_heads
    from sunshine.ledger.signing import platform_key

    with db.unit_of_work() as s:
        ledger.sign_head(s)
    with db.unit_of_work() as s:
        report = verify_log(iter_db_entries(s), list(iter_db_heads(s)), platform_key().public_bytes)
        assert report.ok, report.problems
