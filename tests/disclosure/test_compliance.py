"""The compliance dashboard counts an obligation published after its due date as late (with its delay in
working days), one still unpublished after it as overdue, and one not yet due as pending; the tick marks overdue
obligations and raises one alert for the responsible body, however often it runs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from sunshine.core.models import Alert
from sunshine.disclosure import compliance, obligations
from sunshine.disclosure.models import Obligation
from sunshine.identity.models import OrganisationKind
from sunshine.ledger.models import LedgerEntry
from sunshine.tasks import tick
from tests.builders import make_org
from tests.disclosure.builders import at, centre_staff, declare, load_catalog, office, publish
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _setup(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    load_catalog(db)


@pytest.fixture
def world(db):
    centre_org = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    housing = make_org(db, name="示范市住房和城乡建设局", kind=OrganisationKind.DEPARTMENT)
    return {
        "centre_org": centre_org,
        "housing": housing,
        "author": centre_staff(db, organisation_id=centre_org),
        "reviewer": office(db),
    }


def _history(db, clock, world) -> dict[str, int]:
    """November–December 2026: one on time in November, one on time and two late and one overdue in December,
    and one not yet due."""
    ids = {}
    p = world
    clock.set(at(2026, 11, 2))
    ids["nov"] = declare(
        db, p["reviewer"], item_code="GC.JD.02", title="行政处罚决定（一）", organisation_id=p["housing"]
    )
    clock.set(at(2026, 11, 10))  # due 11 Nov (7 working days)
    publish(db, p["author"], p["reviewer"], obligation_id=ids["nov"], title="行政处罚决定书（一）")

    clock.set(at(2026, 11, 23))
    ids["guide"] = declare(
        db, p["reviewer"], item_code="ZX.FW.01", title="办事指南修订", organisation_id=p["centre_org"]
    )
    ids["late2"] = declare(
        db, p["reviewer"], item_code="GC.JD.02", title="行政处罚决定（二）", organisation_id=p["housing"]
    )
    ids["late4"] = declare(
        db, p["reviewer"], item_code="GC.JD.02", title="行政处罚决定（三）", organisation_id=p["housing"]
    )
    ids["overdue"] = declare(
        db, p["reviewer"], item_code="ZX.QL.01", title="2026年权力清单", organisation_id=p["centre_org"]
    )
    clock.set(at(2026, 11, 26))
    publish(db, p["author"], p["reviewer"], obligation_id=ids["guide"], title="交易中心办事指南")
    clock.set(at(2026, 12, 4))  # due 2 Dec: late by 2 working days (3, 4 Dec)
    publish(db, p["author"], p["reviewer"], obligation_id=ids["late2"], title="行政处罚决定书（二）")
    clock.set(at(2026, 12, 8))  # late by 4 working days (3, 4, 7, 8 Dec)
    publish(db, p["author"], p["reviewer"], obligation_id=ids["late4"], title="行政处罚决定书（三）")
    clock.set(at(2026, 12, 22))
    ids["pending"] = declare(db, p["reviewer"], item_code="ZX.FW.02", title="收费标准", organisation_id=p["centre_org"])
    clock.set(at(2026, 12, 23))  # the power list was due 21 Dec
    return ids


def test_late_publications_are_counted_late_with_their_median_delay(db, clock, world):
    ids = _history(db, clock, world)
    with db.unit_of_work() as s:
        late = s.get(Obligation, ids["late4"])
        assert (late.status, late.late, late.due, late.delay_days) == ("met", True, date(2026, 12, 2), 4)
        board = compliance.dashboard(s)
    total = board.total
    assert (total.on_time, total.late, total.overdue, total.pending) == (2, 2, 1, 1)
    assert total.rate == 40.0 and total.median_delay == 3.0
    by_item = {t.key: t for t in board.by_item}
    assert (by_item["GC.JD.02"].on_time, by_item["GC.JD.02"].late, by_item["GC.JD.02"].rate) == (1, 2, 33.3)
    assert by_item["GC.JD.02"].median_delay == 3.0
    by_body = {t.label: t for t in board.by_body}
    assert by_body["示范市住房和城乡建设局"].rate == 33.3
    assert (by_body["示范市公共资源交易中心"].on_time, by_body["示范市公共资源交易中心"].overdue) == (1, 1)
    assert [(m.key, m.on_time, m.late, m.overdue) for m in board.by_month] == [
        ("2026-11", 1, 0, 0),
        ("2026-12", 1, 2, 1),
        ("2027-01", 0, 0, 0),
    ]
    assert [(r.item_code, r.due, r.days_overdue) for r in board.overdue] == [("ZX.QL.01", date(2026, 12, 21), 2)]


def test_the_tick_marks_overdue_and_alerts_once(db, clock, world):
    ids = _history(db, clock, world)
    first = tick(db)
    assert first.disclosure_overdue == [ids["overdue"]]
    again = tick(db)
    assert again.disclosure_overdue == []
    with db.unit_of_work() as s:
        # one alert for the overdue deadline: disclosure's own, naming its deadline; 电子监察's P01 does not repeat it
        alerts = s.scalars(select(Alert)).all()
        deadline_id = s.get(Obligation, ids["overdue"]).deadline_id
        assert [(a.domain, a.subject_id, a.organisation_id, a.resolved_at, a.deadline_id) for a in alerts] == [
            ("disclosure", ids["overdue"], world["centre_org"], None, deadline_id)
        ]
        assert "2026年权力清单" in alerts[0].message
        overdue_entries = s.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "disclosure:obligation:overdue")
        )
        assert overdue_entries == 1
    clock.set(at(2026, 12, 24))
    publish(db, world["author"], world["reviewer"], obligation_id=ids["overdue"], title="交易中心权力清单")
    with db.unit_of_work() as s:
        assert obligations.open_alerts(s) == []
        row = s.get(Obligation, ids["overdue"])
        assert (row.status, row.late, row.delay_days) == ("met", True, 3)
