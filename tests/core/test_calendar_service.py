"""sunshine.core.calendar: tracked deadlines and their recomputation when an administrator enters a
year's schedule or overrides a day — the new due dates, the ledger entries, atomicity — and a
property: after any sequence of calendar changes every open deadline equals a fresh computation.

The 2027 schedule below is made up, shaped like a State Council notice (国务院办公厅关于2027年部分
节假日安排的通知).  Without it 2027 is provisional: weekends plus the statutory holidays of the
放假办法 (元旦 1/1, 春节 2/5–2/8, 清明 4/5, 劳动节 5/1–5/2, 端午 6/9, 中秋 9/15, 国庆 10/1–10/3),
no make-up workdays.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sunshine.core import calendar
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.models import CalendarOverride, CalendarYear, TrackedDeadline
from sunshine.core.workdays import Override, WorkCalendar
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from tests.builders import make_user

D = date
RECOMPUTED = "calendar:deadline:recomputed"


def span(first: date, last: date | None = None) -> list[date]:
    last = last or first
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


HOLIDAYS_2027 = (
    [(d, "元旦") for d in span(D(2027, 1, 1), D(2027, 1, 3))]
    + [(d, "春节") for d in span(D(2027, 2, 5), D(2027, 2, 13))]
    + [(d, "清明节") for d in span(D(2027, 4, 3), D(2027, 4, 5))]
    + [(d, "劳动节") for d in span(D(2027, 5, 1), D(2027, 5, 5))]
    + [(D(2027, 6, 9), "端午节"), (D(2027, 9, 15), "中秋节")]
    + [(d, "国庆节") for d in span(D(2027, 10, 1), D(2027, 10, 7))]
)
WORKDAYS_2027 = [
    (D(2027, 1, 31), "调休上班"),  # Sunday before 春节
    (D(2027, 2, 20), "调休上班"),  # Saturday after
    (D(2027, 4, 25), "调休上班"),  # Sunday before 劳动节
    (D(2027, 5, 8), "调休上班"),  # Saturday after
    (D(2027, 9, 26), "调休上班"),  # Sunday before 国庆节
    (D(2027, 10, 9), "调休上班"),  # Saturday after
]
SCHEDULE_2027 = calendar.YearSchedule(
    year=2027, source="国办发明电〔2026〕9号", holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027
)


@pytest.fixture
def actor(db) -> Principal:
    username = make_user(db, Role.ADMIN, username="calendar-admin")
    with db.unit_of_work() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
    return Principal(user_id=user_id, username=username, display_name=username, roles=frozenset({Role.ADMIN}))


def track(db, start: date, days: int, unit: str, purpose: str = "答复信息公开申请") -> int:
    with db.unit_of_work() as s:
        return calendar.track(
            s,
            subject=f"application:{start.isoformat()}",
            purpose=purpose,
            start=start,
            days=days,
            unit=unit,
            rule_ref="政府信息公开条例第三十三条",
        ).id


def due_of(db, deadline_id: int) -> tuple[date, bool]:
    with db.unit_of_work(read_only=True) as s:
        row = s.get(TrackedDeadline, deadline_id)
        return row.due, row.provisional


def ledger_size(db) -> int:
    with db.unit_of_work(read_only=True) as s:
        return ledger.size(s)


def recomputations(db, deadline_id: int) -> list[dict]:
    with db.unit_of_work(read_only=True) as s:
        entries = ledger.entries_for(s, f"deadline:{deadline_id}")
    assert {e.kind for e in entries} <= {RECOMPUTED}
    return [json.loads(e.payload) for e in entries]


# --------------------------------------------------------------------------- import_year


def test_importing_the_2027_schedule_recomputes_every_open_deadline(db, actor):
    a = track(db, D(2026, 12, 20), 30, "working")  # runs into 2027
    b = track(db, D(2027, 1, 29), 10, "working")  # across 春节
    c = track(db, D(2027, 9, 25), 10, "calendar")  # ends on 10/5
    h = track(db, D(2027, 4, 15), 10, "calendar")  # ends on Sunday 4/25
    f = track(db, D(2027, 3, 1), 5, "working")  # same due date either way
    d = track(db, D(2026, 11, 23), 5, "working")  # entirely in 2026
    e = track(db, D(2027, 1, 29), 10, "working")  # like b, but closed
    with db.unit_of_work() as s:
        calendar.close(s, e)

    # Before: 2027 is an estimate.
    assert due_of(db, a) == (D(2027, 2, 1), True)  # 1/30–1/31 are a weekend
    assert due_of(db, b) == (D(2027, 2, 16), True)  # 2/5–2/8 off
    assert due_of(db, c) == (D(2027, 10, 5), True)  # 10/5 is an ordinary Tuesday
    assert due_of(db, h) == (D(2027, 4, 26), True)  # Sunday 4/25 → Monday
    assert due_of(db, f) == (D(2027, 3, 8), True)
    assert due_of(db, d) == (D(2026, 11, 30), False)

    with db.unit_of_work() as s:
        changes = calendar.import_year(s, actor=actor, schedule=SCHEDULE_2027)

    assert {(x.deadline_id, x.old_due, x.new_due, x.old_provisional, x.new_provisional) for x in changes} == {
        (a, D(2027, 2, 1), D(2027, 1, 31), True, False),  # Sunday 1/31 is a make-up workday
        (b, D(2027, 2, 16), D(2027, 2, 19), True, False),  # 1/31, 2/1–2/4, (2/5–2/14 off), 2/15–2/19
        (c, D(2027, 10, 5), D(2027, 10, 8), True, False),  # 10/5 is now 国庆节 → 10/8
        (h, D(2027, 4, 26), D(2027, 4, 25), True, False),  # a make-up Sunday is not extended
        (f, D(2027, 3, 8), D(2027, 3, 8), True, False),  # only no longer provisional
    }
    assert due_of(db, a) == (D(2027, 1, 31), False)
    assert due_of(db, b) == (D(2027, 2, 19), False)
    assert due_of(db, c) == (D(2027, 10, 8), False)
    assert due_of(db, h) == (D(2027, 4, 25), False)
    assert due_of(db, f) == (D(2027, 3, 8), False)
    assert due_of(db, d) == (D(2026, 11, 30), False)  # untouched
    assert due_of(db, e) == (D(2027, 2, 16), True)  # closed: untouched

    with db.unit_of_work(read_only=True) as s:
        basis = s.get(TrackedDeadline, a).basis
        assert "2027年1月31日（星期日）为调休上班日" in basis
        assert "暂定" not in basis
        assert "国庆节" in s.get(TrackedDeadline, c).basis

    # Each change is in the ledger with the old and the new due date.
    reason = "录入 2027 年放假安排（国办发明电〔2026〕9号）"
    for deadline_id, old, new in [
        (a, "2027-02-01", "2027-01-31"),
        (b, "2027-02-16", "2027-02-19"),
        (c, "2027-10-05", "2027-10-08"),
        (h, "2027-04-26", "2027-04-25"),
        (f, "2027-03-08", "2027-03-08"),
    ]:
        [payload] = recomputations(db, deadline_id)
        assert payload["old_due"] == old
        assert payload["new_due"] == new
        assert payload["provisional"] is False
        assert payload["reason"] == reason
        assert payload["by"] == actor.user_id
        assert payload["purpose"] == "答复信息公开申请"
    assert recomputations(db, d) == []
    assert recomputations(db, e) == []

    with db.unit_of_work(read_only=True) as s:
        [declared] = ledger.entries_for(s, "calendar-year:2027")
        assert declared.kind == "calendar:year:declared"
        payload = json.loads(declared.payload)
        assert payload["year"] == 2027
        assert payload["source"] == "国办发明电〔2026〕9号"
        assert ["2027-02-05", "春节"] in payload["holidays"]
        assert ["2027-01-31", "调休上班"] in payload["workdays"]
        assert len(payload["holidays"]) == len(HOLIDAYS_2027)
        # The declaration comes first, then the recomputations, in one step.
        kinds = [x.kind for x in reversed(ledger.recent(s, 6))]
        assert kinds == ["calendar:year:declared"] + [RECOMPUTED] * 5
        assert calendar.load(s).is_official_year(2027)
        assert s.get(CalendarYear, 2027).declared_by == actor.user_id


def test_importing_the_same_schedule_again_changes_no_deadline(db, actor):
    b = track(db, D(2027, 1, 29), 10, "working")
    with db.unit_of_work() as s:
        assert len(calendar.import_year(s, actor=actor, schedule=SCHEDULE_2027)) == 1
    with db.unit_of_work() as s:
        assert calendar.import_year(s, actor=actor, schedule=SCHEDULE_2027) == []
    assert len(recomputations(db, b)) == 1


def test_a_new_schedule_replaces_earlier_overrides_of_that_year(db, actor):
    with db.unit_of_work() as s:
        calendar.set_day(s, actor=actor, day=D(2027, 6, 14), kind="holiday", name="猜测", reason=None)
        calendar.set_day(s, actor=actor, day=D(2028, 1, 3), kind="holiday", name="下一年", reason=None)
        calendar.import_year(s, actor=actor, schedule=SCHEDULE_2027)
    with db.unit_of_work(read_only=True) as s:
        assert s.get(CalendarOverride, D(2027, 6, 14)) is None
        assert s.get(CalendarOverride, D(2028, 1, 3)).name == "下一年"
        row = s.get(CalendarOverride, D(2027, 10, 9))
        assert (row.kind, row.name, row.reason) == ("workday", "调休上班", "国办发明电〔2026〕9号")
        assert calendar.load(s).day(D(2027, 6, 14)).is_workday  # back to an ordinary Monday


@pytest.mark.parametrize(
    ("schedule", "field", "fragment"),
    [
        (calendar.YearSchedule(2027, "国办", [(D(2028, 1, 1), "元旦")], []), "days", "2028-01-01 不属于 2027 年"),
        (
            calendar.YearSchedule(2027, "国办", [(D(2027, 10, 1), "国庆节")], [(D(2027, 10, 1), "调休上班")]),
            "days",
            "2027-10-01 重复出现",
        ),
        (calendar.YearSchedule(2027, " ", [], []), "source", "文号或来源"),
        (calendar.YearSchedule(1999, "国办", [], []), "year", "年份"),
    ],
)
def test_an_invalid_schedule_is_refused_before_anything_changes(db, actor, schedule, field, fragment):
    c = track(db, D(2027, 9, 25), 10, "calendar")
    size = ledger_size(db)
    with pytest.raises(InvalidInput) as caught, db.unit_of_work() as s:
        calendar.import_year(s, actor=actor, schedule=schedule)
    assert fragment in caught.value.detail
    assert caught.value.extra["field"] == field
    with db.unit_of_work(read_only=True) as s:
        assert not calendar.load(s).is_official_year(2027)
        assert ledger.size(s) == size
    assert due_of(db, c) == (D(2027, 10, 5), True)


# --------------------------------------------------------------------------- set_day / clear_day


def test_setting_one_2027_day_moves_an_affected_deadline(db, actor):
    c = track(db, D(2027, 9, 25), 10, "calendar")
    other = track(db, D(2027, 3, 1), 5, "working")
    with db.unit_of_work() as s:
        changes = calendar.set_day(
            s, actor=actor, day=D(2027, 10, 5), kind="holiday", name="国庆节", reason="国办发明电〔2026〕9号"
        )
    assert [(x.deadline_id, x.old_due, x.new_due) for x in changes] == [(c, D(2027, 10, 5), D(2027, 10, 6))]
    assert due_of(db, c) == (D(2027, 10, 6), True)  # still 2027 without an official schedule
    assert due_of(db, other) == (D(2027, 3, 8), True)
    [payload] = recomputations(db, c)
    assert (payload["old_due"], payload["new_due"], payload["reason"]) == (
        "2027-10-05",
        "2027-10-06",
        "调整 2027-10-05",
    )
    with db.unit_of_work(read_only=True) as s:
        [entry] = ledger.entries_for(s, "calendar-day:2027-10-05")
        assert entry.kind == "calendar:day:set"
        assert json.loads(entry.payload) == {
            "day": "2027-10-05",
            "kind": "holiday",
            "name": "国庆节",
            "reason": "国办发明电〔2026〕9号",
            "by": actor.user_id,
        }

    with db.unit_of_work() as s:
        changes = calendar.clear_day(s, actor=actor, day=D(2027, 10, 5))
    assert [(x.old_due, x.new_due) for x in changes] == [(D(2027, 10, 6), D(2027, 10, 5))]
    assert due_of(db, c) == (D(2027, 10, 5), True)
    assert [p["new_due"] for p in recomputations(db, c)] == ["2027-10-06", "2027-10-05"]
    with db.unit_of_work(read_only=True) as s:
        assert [e.kind for e in ledger.entries_for(s, "calendar-day:2027-10-05")] == [
            "calendar:day:set",
            "calendar:day:cleared",
        ]


def test_a_makeup_saturday_override_moves_a_working_day_deadline(db, actor):
    w = track(db, D(2027, 10, 8), 1, "working")
    assert due_of(db, w) == (D(2027, 10, 11), True)
    with db.unit_of_work() as s:
        [change] = calendar.set_day(s, actor=actor, day=D(2027, 10, 9), kind="workday", name=None, reason=None)
    assert (change.old_due, change.new_due) == (D(2027, 10, 11), D(2027, 10, 9))
    assert due_of(db, w)[0] == D(2027, 10, 9)
    with db.unit_of_work(read_only=True) as s:
        assert "2027年10月9日（星期六）为调休上班日" in s.get(TrackedDeadline, w).basis


def test_a_renamed_holiday_refreshes_the_explanation_without_a_new_due_date(db, actor):
    w = track(db, D(2027, 9, 30), 3, "working")  # 10/1–10/3 off (provisional 国庆节), then 10/4–10/6
    assert due_of(db, w) == (D(2027, 10, 6), True)
    with db.unit_of_work() as s:
        changes = calendar.set_day(s, actor=actor, day=D(2027, 10, 1), kind="holiday", name="国庆节假期", reason=None)
    assert changes == []  # same due date, still provisional: nothing to announce…
    assert recomputations(db, w) == []
    with db.unit_of_work(read_only=True) as s:
        row = s.get(TrackedDeadline, w)
        assert row.due == D(2027, 10, 6)
        assert "国庆节假期" in row.basis  # …but the shown explanation matches the calendar
        assert row.basis == calendar.compute(s, row.start, row.days, row.unit).basis


def test_a_day_outside_every_open_period_recomputes_nothing(db, actor):
    c = track(db, D(2027, 9, 25), 10, "calendar")
    with db.unit_of_work() as s:
        assert calendar.set_day(s, actor=actor, day=D(2027, 3, 3), kind="holiday", name=None, reason=None) == []
    assert recomputations(db, c) == []


def test_set_day_and_clear_day_refuse_bad_input(db, actor):
    size = ledger_size(db)
    with pytest.raises(InvalidInput, match="holiday"), db.unit_of_work() as s:
        calendar.set_day(s, actor=actor, day=D(2027, 10, 5), kind="weekend", name=None, reason=None)
    with pytest.raises(InvalidInput, match="名称最多 50 个字符"), db.unit_of_work() as s:
        calendar.set_day(s, actor=actor, day=D(2027, 10, 5), kind="holiday", name="节" * 51, reason=None)
    with pytest.raises(NotFound, match="2027-10-05 没有人工调整"), db.unit_of_work() as s:
        calendar.clear_day(s, actor=actor, day=D(2027, 10, 5))
    with db.unit_of_work(read_only=True) as s:
        assert s.scalars(select(CalendarOverride)).all() == []
        assert ledger.size(s) == size


# --------------------------------------------------------------------------- atomicity


class Boom(Exception):
    pass


def test_set_day_is_atomic_with_the_rest_of_its_step(db, actor):
    c = track(db, D(2027, 9, 25), 10, "calendar")
    size = ledger_size(db)
    with pytest.raises(Boom), db.unit_of_work() as s:
        changes = calendar.set_day(s, actor=actor, day=D(2027, 10, 5), kind="holiday", name="国庆节", reason=None)
        assert [x.new_due for x in changes] == [D(2027, 10, 6)]  # it did happen inside the step
        assert s.get(TrackedDeadline, c).due == D(2027, 10, 6)
        raise Boom("a later part of the same step fails")
    with db.unit_of_work(read_only=True) as s:
        assert s.get(CalendarOverride, D(2027, 10, 5)) is None
        assert ledger.size(s) == size
        assert ledger.entries_for(s, "calendar-day:2027-10-05") == []
        assert calendar.compute(s, D(2027, 9, 25), 10, "calendar").due == D(2027, 10, 5)
    assert due_of(db, c) == (D(2027, 10, 5), True)
    assert recomputations(db, c) == []


def test_import_year_is_atomic_with_the_rest_of_its_step(db, actor):
    b = track(db, D(2027, 1, 29), 10, "working")
    size = ledger_size(db)
    with pytest.raises(Boom), db.unit_of_work() as s:
        assert calendar.import_year(s, actor=actor, schedule=SCHEDULE_2027)
        raise Boom()
    with db.unit_of_work(read_only=True) as s:
        assert s.get(CalendarYear, 2027) is None
        assert s.scalars(select(CalendarOverride)).all() == []
        assert ledger.size(s) == size
    assert due_of(db, b) == (D(2027, 2, 16), True)


# --------------------------------------------------------------------------- property

SYSTEM = Principal(username="property", display_name="属性测试")
OVERRIDE_DAYS = st.dates(min_value=D(2026, 12, 10), max_value=D(2027, 3, 10))
deadline_specs = st.tuples(
    st.dates(min_value=D(2026, 11, 15), max_value=D(2027, 2, 20)),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["working", "calendar"]),
    st.booleans(),  # closed?
)
steps = st.one_of(
    st.tuples(
        st.just("set"), OVERRIDE_DAYS, st.sampled_from(["holiday", "workday"]), st.sampled_from([None, "调整", "春节"])
    ),
    st.tuples(st.just("clear"), OVERRIDE_DAYS),
    st.tuples(st.just("import")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(deadline_specs, min_size=1, max_size=6), changes=st.lists(steps, min_size=1, max_size=8))
def test_after_any_calendar_changes_open_deadlines_equal_a_fresh_computation(db, specs, changes):
    with db.sessionmaker() as s:  # every example runs in a transaction that is rolled back
        try:
            rows, closed = [], {}
            for start, days, unit, is_closed in specs:
                row = calendar.track(s, subject="property", purpose="属性测试", start=start, days=days, unit=unit)
                rows.append(row)
                if is_closed:
                    calendar.close(s, row.id)
                    closed[row.id] = (row.due, row.provisional, row.basis)
            model: dict[date, Override] = {}
            official: set[int] = set()
            for change in changes:
                if change[0] == "set":
                    _, day, kind, name = change
                    calendar.set_day(s, actor=SYSTEM, day=day, kind=kind, name=name, reason=None)
                    model[day] = Override(kind, name)
                elif change[0] == "clear":
                    day = change[1]
                    if day in model:
                        calendar.clear_day(s, actor=SYSTEM, day=day)
                        del model[day]
                else:
                    calendar.import_year(s, actor=SYSTEM, schedule=SCHEDULE_2027)
                    model = {d: o for d, o in model.items() if d.year != 2027}
                    model.update({d: Override("holiday", n) for d, n in HOLIDAYS_2027})
                    model.update({d: Override("workday", n) for d, n in WORKDAYS_2027})
                    official.add(2027)
            independent = WorkCalendar(model, official_years=official)
            for row in rows:
                s.refresh(row)
                if row.id in closed:
                    assert (row.due, row.provisional, row.basis) == closed[row.id]
                    continue
                fresh = calendar.compute(s, row.start, row.days, row.unit)
                assert (row.due, row.provisional, row.basis) == (fresh.due, fresh.provisional, fresh.basis)
                expected = independent.deadline(row.start, row.days, row.unit)
                assert (row.due, row.provisional) == (expected.due, expected.provisional)
        finally:
            s.rollback()
