"""Reminders before the due date and alerts after it, raised by the tick by the server clock, each once:
running the tick again (the same day or later) raises nothing new. Also through ``sunshine.tasks.tick``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from sunshine.core.models import Alert
from sunshine.inforequests import alerts
from tests.inforequests.builders import at, office, receive, step
from tests.pages import browser, page_text

D = date


def run(db, clock, day: date):
    clock.set(at(day, 7))
    with db.unit_of_work() as s:
        return [kind for _, kind in alerts.tick(s).alerts]


def test_reminder_before_due_and_overdue_alert_each_raised_once(db, clock, app):
    staff = office(db)
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))  # due Monday 12/21; remind 3 working days before
    # not routed within 2 working days (11/25): an internal alert; 12/16–12/18, 12/21: 4 working days left, no reminder
    assert run(db, clock, D(2026, 12, 15)) == ["route_overdue"]
    assert run(db, clock, D(2026, 12, 16)) == ["reminder"]
    assert run(db, clock, D(2026, 12, 16)) == []
    assert run(db, clock, D(2026, 12, 18)) == []
    assert run(db, clock, D(2026, 12, 21)) == []  # the due day itself is not late
    assert run(db, clock, D(2026, 12, 22)) == ["overdue"]
    assert run(db, clock, D(2026, 12, 23)) == []
    with db.unit_of_work(read_only=True) as s:
        rows = s.scalars(
            select(Alert).where(Alert.subject_kind == "inforequest", Alert.subject_id == rid).order_by(Alert.id)
        ).all()
        assert [(a.kind, a.due) for a in rows] == [
            ("route_overdue", D(2026, 11, 25)),
            ("reminder", D(2026, 12, 21)),
            ("overdue", D(2026, 12, 21)),
        ]
        assert "已于2026年12月21日届满" in rows[2].message
    with browser(app, "office") as page:
        text = page_text(page.get("/staff/requests").text)
        assert "提醒与预警" in text and "已超过答复期限" in text and "已逾期" in text


def test_a_new_due_date_gets_its_own_reminder_and_an_answer_stops_the_alerts(db, clock):
    staff = office(db)
    rid, _ = receive(db, clock, staff, D(2026, 11, 23))
    assert run(db, clock, D(2026, 12, 16)) == ["reminder", "route_overdue"]
    step(db, clock, staff, rid, "extend", D(2026, 12, 17), days=5, approver="李主任", reason="材料较多")
    # due now 12/28: 12/22–25, 12/28
    assert run(db, clock, D(2026, 12, 22)) == []
    assert run(db, clock, D(2026, 12, 23)) == ["reminder"]
    step(db, clock, staff, rid, "answer", D(2026, 12, 28), form="disclosed")
    assert run(db, clock, D(2026, 12, 29)) == []


def test_the_scheduler_tick_runs_the_request_alerts(db, clock):
    from sunshine.tasks import tick

    staff = office(db)
    receive(db, clock, staff, D(2026, 11, 23))
    clock.set(at(D(2026, 12, 22)))
    first = tick(db)
    assert [kind for _, kind in first.inforequests.alerts] == ["overdue", "route_overdue"]
    assert tick(db).inforequests.alerts == []
