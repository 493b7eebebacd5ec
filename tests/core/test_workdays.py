"""Tests for sunshine.core.workdays (民法典 201–203 period counting, Chinese working days).

Expected official dates below were read from chinese_calendar 1.11.0's data
(``chinese_calendar.holidays`` / ``chinese_calendar.workdays``), not from memory; the provisional
lunar dates for 2027–2032 were cross-checked with an independent package (lunar_python 1.4.8).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import chinese_calendar as cc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.core.workdays import (
    CalendarRangeError,
    DayInfo,
    DeadlineResult,
    Override,
    WorkCalendar,
)

D = date
ONE = timedelta(days=1)
PROVISIONAL_NOTE_2027 = "（2027年国务院放假安排尚未公布，按周末及法定节日推算，为暂定日期）"


def _days(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        out.append(d)
        d += ONE
    return out


# Statutory holidays per the 2024 放假办法 for years the package does not cover, dates taken from
# lunar_python (除夕 = day before 正月初一; 清明 = the solar term day).
PROVISIONAL_HOLIDAYS: dict[int, dict[date, str]] = {}
_LUNAR = {
    # year: (除夕, 端午, 中秋, 清明)
    2027: (D(2027, 2, 5), D(2027, 6, 9), D(2027, 9, 15), D(2027, 4, 5)),
    2028: (D(2028, 1, 25), D(2028, 5, 28), D(2028, 10, 3), D(2028, 4, 4)),
    2029: (D(2029, 2, 12), D(2029, 6, 16), D(2029, 9, 22), D(2029, 4, 4)),
    2030: (D(2030, 2, 2), D(2030, 6, 5), D(2030, 9, 12), D(2030, 4, 5)),
    2031: (D(2031, 1, 22), D(2031, 6, 24), D(2031, 10, 1), D(2031, 4, 5)),
    2032: (D(2032, 2, 10), D(2032, 6, 12), D(2032, 9, 19), D(2032, 4, 4)),
}
for _y, (_eve, _dw, _ma, _qm) in _LUNAR.items():
    _h = {D(_y, 1, 1): "元旦", _qm: "清明节", D(_y, 5, 1): "劳动节", D(_y, 5, 2): "劳动节", _dw: "端午节"}
    for _i in range(4):
        _h[_eve + timedelta(days=_i)] = "春节"
    for _i in (1, 2, 3):
        _h[D(_y, 10, _i)] = "国庆节"
    _h[_ma] = "国庆节、中秋节" if _ma in _h else "中秋节"
    PROVISIONAL_HOLIDAYS[_y] = _h


def ref_is_workday(d: date) -> bool:
    """Independent reference: the package for 2004–2026, hard-coded statutory days for 2027–2032."""
    if 2004 <= d.year <= 2026:
        return cc.is_workday(d)
    assert d.year in PROVISIONAL_HOLIDAYS, d
    return d.weekday() < 5 and d not in PROVISIONAL_HOLIDAYS[d.year]


def ref_count(start: date, end: date) -> int:
    return sum(1 for d in _days(start + ONE, end) if ref_is_workday(d))


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


CAL = WorkCalendar()

# --------------------------------------------------------------------------- coverage & days


def test_package_covers_2004_to_2026_only():
    assert all(CAL.is_official_year(y) for y in range(2004, 2027))
    assert not CAL.is_official_year(2003)
    assert not CAL.is_official_year(2027)
    assert WorkCalendar(official_years={2027}).is_official_year(2027)
    with pytest.raises(NotImplementedError):
        cc.is_workday(D(2027, 1, 4))


def test_every_official_day_matches_package():
    for d in _days(D(2004, 1, 1), D(2026, 12, 31)):
        info = CAL.day(d)
        assert info.is_workday == cc.is_workday(d), d
        assert info.source == "official"


def test_every_provisional_day_2027_2032_matches_statute():
    for d in _days(D(2027, 1, 1), D(2032, 12, 31)):
        info = CAL.day(d)
        assert info.source == "provisional"
        assert info.is_workday == ref_is_workday(d), d
        if d in PROVISIONAL_HOLIDAYS[d.year]:
            assert info.name == PROVISIONAL_HOLIDAYS[d.year][d]
        elif d.weekday() >= 5:
            assert info.name == "周末"
        else:
            assert info.name is None


def test_provisional_2027_details():
    # 春节 4 days: 除夕 (Fri 2027-02-05) and 正月初一至初三; no 调休 or 补假 guessed.
    for d in _days(D(2027, 2, 5), D(2027, 2, 8)):
        assert CAL.day(d) == DayInfo(d, False, "春节", "provisional")
    assert CAL.is_workday(D(2027, 2, 4)) and CAL.is_workday(D(2027, 2, 9))
    assert CAL.day(D(2027, 4, 5)).name == "清明节"
    assert CAL.day(D(2027, 5, 1)).name == "劳动节" and CAL.day(D(2027, 5, 2)).name == "劳动节"
    assert CAL.is_workday(D(2027, 5, 3))  # Monday after 劳动节 on a weekend: no 补假 guessed
    assert CAL.day(D(2027, 6, 9)).name == "端午节"
    assert CAL.day(D(2027, 9, 15)).name == "中秋节"
    assert [CAL.day(D(2027, 10, i)).name for i in (1, 2, 3)] == ["国庆节"] * 3
    assert CAL.is_workday(D(2027, 10, 4))
    # 2028: 中秋 falls on 10-03, inside 国庆节.
    assert CAL.day(D(2028, 10, 3)).name == "国庆节、中秋节"


def test_day_info_2025_spring_festival(cal):
    assert [d for d in _days(D(2025, 1, 20), D(2025, 2, 10)) if not cal.is_workday(d)] == [
        D(2025, 1, 25),  # Sat
        *_days(D(2025, 1, 28), D(2025, 2, 4)),
        D(2025, 2, 9),  # Sun
    ]
    assert cal.day(D(2025, 1, 26)) == DayInfo(D(2025, 1, 26), True, "调休上班", "official")
    assert cal.day(D(2025, 2, 8)) == DayInfo(D(2025, 2, 8), True, "调休上班", "official")
    assert cal.day(D(2025, 1, 28)) == DayInfo(D(2025, 1, 28), False, "春节", "official")
    assert cal.day(D(2025, 1, 25)) == DayInfo(D(2025, 1, 25), False, "周末", "official")
    assert cal.day(D(2025, 1, 27)) == DayInfo(D(2025, 1, 27), True, None, "official")


def test_day_info_2025_national_day(cal):
    rest = [d for d in _days(D(2025, 9, 26), D(2025, 10, 12)) if not cal.is_workday(d)]
    assert rest == [D(2025, 9, 27), *_days(D(2025, 10, 1), D(2025, 10, 8)), D(2025, 10, 12)]
    assert cal.day(D(2025, 9, 28)).name == "调休上班"  # Sunday
    assert cal.day(D(2025, 10, 11)).name == "调休上班"  # Saturday
    assert cal.day(D(2025, 10, 6)).name == "中秋节"
    assert cal.day(D(2025, 10, 1)).name == "国庆节"


def test_day_info_2026(cal):
    # 春节 2026-02-15..23, 调休 Sat 02-14 and Sat 02-28.
    rest = [d for d in _days(D(2026, 2, 13), D(2026, 3, 1)) if not cal.is_workday(d)]
    assert rest == [*_days(D(2026, 2, 15), D(2026, 2, 23)), D(2026, 3, 1)]
    assert cal.day(D(2026, 2, 14)).name == cal.day(D(2026, 2, 28)).name == "调休上班"
    # 中秋 2026-09-25..27, 国庆 10-01..07, 调休 Sun 09-20 and Sat 10-10.
    rest = [d for d in _days(D(2026, 9, 19), D(2026, 10, 11)) if not cal.is_workday(d)]
    assert rest == [
        D(2026, 9, 19),
        *_days(D(2026, 9, 25), D(2026, 9, 27)),
        *_days(D(2026, 10, 1), D(2026, 10, 7)),
        D(2026, 10, 11),
    ]
    assert cal.day(D(2026, 9, 20)).is_workday and cal.day(D(2026, 10, 10)).is_workday
    assert cal.day(D(2026, 9, 26)).name == "中秋节"


def test_day_is_cached_and_accepts_datetime(cal):
    assert cal.day(D(2025, 5, 6)) is cal.day(D(2025, 5, 6))
    assert cal.day(datetime(2025, 10, 1, 15, 30)) == cal.day(D(2025, 10, 1))


def test_range_error_outside_lunar_support(cal):
    with pytest.raises(CalendarRangeError, match="2100"):
        cal.day(D(2100, 1, 4))
    with pytest.raises(ValueError):
        cal.deadline(D(2099, 12, 20), 30, "working")


# --------------------------------------------------------------------------- working days


def test_working_2025_spring_festival(cal):
    r = cal.deadline(D(2025, 1, 24), 5, "working")  # Fri
    # 01-25 Sat rest, 01-26 Sun 调休 (1), 01-27 (2), 01-28..02-04 春节, 02-05 (3), 02-06 (4), 02-07 (5)
    assert r.due == D(2025, 2, 7)
    assert [i.day for i in r.skipped] == [D(2025, 1, 25), *_days(D(2025, 1, 28), D(2025, 2, 4))]
    assert not r.provisional
    assert isinstance(r, DeadlineResult) and (r.start, r.days, r.unit) == (D(2025, 1, 24), 5, "working")


def test_working_lands_on_makeup_saturday(cal):
    r = cal.deadline(D(2025, 1, 24), 6, "working")
    assert r.due == D(2025, 2, 8) and r.due.weekday() == 5
    assert r.basis == (
        "依《民法典》第二百零一条，开始的当日不计入，自2025年1月24日的次日起算6个工作日，"
        "期限届满日为2025年2月8日（星期六）；期间跳过春节等法定节假日及周末共9天；"
        "2025年1月26日（星期日）、2025年2月8日（星期六）为调休上班日，计入工作日。"
    )


def test_working_lands_on_makeup_sunday(cal):
    r = cal.deadline(D(2025, 9, 26), 1, "working")  # Fri → Sat rest, Sun 09-28 调休
    assert r.due == D(2025, 9, 28) and r.due.weekday() == 6
    assert [i.day for i in r.skipped] == [D(2025, 9, 27)]


def test_working_2025_national_day(cal):
    assert cal.deadline(D(2025, 9, 26), 3, "working").due == D(2025, 9, 30)
    r = cal.deadline(D(2025, 9, 26), 4, "working")
    assert r.due == D(2025, 10, 9)
    assert [i.day for i in r.skipped] == [D(2025, 9, 27), *_days(D(2025, 10, 1), D(2025, 10, 8))]
    assert "国庆节、中秋节等法定节假日及周末共9天" in r.basis
    assert cal.deadline(D(2025, 9, 26), 6, "working").due == D(2025, 10, 11)  # 调休 Saturday


def test_working_2026_spring_festival(cal):
    assert cal.deadline(D(2026, 2, 12), 2, "working").due == D(2026, 2, 14)  # 调休 Saturday
    r = cal.deadline(D(2026, 2, 12), 3, "working")
    assert r.due == D(2026, 2, 24)
    assert len(r.skipped) == 9


def test_working_2026_national_day_20_days(cal):
    r = cal.deadline(D(2026, 9, 30), 20, "working")
    assert r.due == D(2026, 11, 3)
    assert len(r.skipped) == 14  # 10-01..07, 10-11, 10-17/18, 10-24/25, 10-31, 11-01
    assert r.basis == (
        "依《民法典》第二百零一条，开始的当日不计入，自2026年9月30日的次日起算20个工作日，"
        "期限届满日为2026年11月3日（星期二）；期间跳过国庆节等法定节假日及周末共14天；"
        "2026年10月10日（星期六）为调休上班日，计入工作日。"
    )


def test_start_on_holiday_or_weekend_not_counted(cal):
    assert cal.deadline(D(2025, 10, 3), 1, "working").due == D(2025, 10, 9)  # start in 国庆
    assert cal.deadline(D(2025, 3, 8), 1, "working").due == D(2025, 3, 10)  # start Saturday
    assert cal.deadline(D(2025, 3, 10), 1, "working").due == D(2025, 3, 11)  # start Monday
    assert cal.deadline(D(2025, 3, 8), 1, "calendar").due == D(2025, 3, 10)  # 03-09 Sun → Mon
    assert cal.deadline(D(2025, 10, 3), 3, "calendar").due == D(2025, 10, 9)


def test_zero_days(cal):
    assert cal.deadline(D(2025, 10, 3), 0, "working").due == D(2025, 10, 3)
    assert cal.deadline(D(2025, 3, 10), 0, "calendar").due == D(2025, 3, 10)
    r = cal.deadline(D(2025, 3, 8), 0, "calendar")
    assert r.due == D(2025, 3, 10) and "第二百零三条" in r.basis


# --------------------------------------------------------------------------- calendar days


def test_calendar_ending_in_holiday_is_extended(cal):
    r = cal.deadline(D(2025, 9, 20), 12, "calendar")  # last day 10-02, in 国庆
    assert r.due == D(2025, 10, 9)
    assert [i.day for i in r.skipped] == _days(D(2025, 10, 2), D(2025, 10, 8))
    assert "第二百零三条" in r.basis and "2025年10月9日（星期四）" in r.basis
    r = cal.deadline(D(2026, 2, 1), 15, "calendar")  # last day 02-16, in 春节
    assert r.due == D(2026, 2, 24)


def test_calendar_ending_on_makeup_workday_not_extended(cal):
    r = cal.deadline(D(2025, 9, 18), 10, "calendar")
    assert r.due == D(2025, 9, 28) and r.due.weekday() == 6
    assert r.skipped == ()
    assert "调休上班日，不属于法定休假日，不予顺延" in r.basis
    assert "第二百零三条" not in r.basis


def test_calendar_ending_on_weekend_extended_to_monday(cal):
    r = cal.deadline(D(2025, 3, 1), 7, "calendar")
    assert D(2025, 3, 8).weekday() == 5
    assert r.due == D(2025, 3, 10)
    assert [i.name for i in r.skipped] == ["周末", "周末"]


def test_calendar_plain(cal):
    r = cal.deadline(D(2025, 3, 3), 10, "calendar")
    assert r.due == D(2025, 3, 13) and r.skipped == () and not r.provisional


# --------------------------------------------------------------------------- provisional & overrides


def test_period_into_2027_is_provisional(cal):
    r = cal.deadline(D(2026, 12, 25), 5, "working")
    # 12-28..31 (4), 2027-01-01 元旦 (provisional), 01-02/03 weekend, 01-04 (5)
    assert r.due == D(2027, 1, 4)
    assert r.provisional
    assert r.basis.endswith(PROVISIONAL_NOTE_2027)
    assert cal.deadline(D(2026, 12, 21), 4, "working").provisional is False  # ends 12-25


def test_2027_override_with_official_year():
    overrides = {D(2027, 1, 1): Override("holiday", "元旦"), D(2027, 1, 4): Override("holiday", "元旦")}
    official = WorkCalendar(overrides, official_years={2027})
    r = official.deadline(D(2026, 12, 25), 5, "working")
    assert r.due == D(2027, 1, 5)
    assert not r.provisional
    assert "暂定" not in r.basis
    assert official.day(D(2027, 1, 4)) == DayInfo(D(2027, 1, 4), False, "元旦", "override")
    assert official.day(D(2027, 1, 5)).source == "official"
    # The override alone, year not declared official: override respected, the rest still provisional.
    partial = WorkCalendar(overrides)
    r = partial.deadline(D(2026, 12, 25), 5, "working")
    assert r.due == D(2027, 1, 5) and r.provisional


def test_overrides_beat_package(cal):
    base = cal.deadline(D(2025, 9, 26), 3, "working")
    assert base.due == D(2025, 9, 30)
    closed = WorkCalendar({D(2025, 9, 30): Override("holiday", "临时闭馆")})
    r = closed.deadline(D(2025, 9, 26), 3, "working")
    assert r.due == D(2025, 10, 9)
    assert "临时闭馆" in r.basis
    assert closed.day(D(2025, 9, 30)).source == "override"
    opened = WorkCalendar({D(2025, 10, 4): Override("workday")})
    assert opened.day(D(2025, 10, 4)) == DayInfo(D(2025, 10, 4), True, "调休上班", "override")
    assert opened.deadline(D(2025, 9, 26), 4, "working").due == D(2025, 10, 4)
    # Calendar-day: 09-28 is an official make-up Sunday; declared a holiday it now extends.
    sunday = WorkCalendar({D(2025, 9, 28): Override("holiday")})
    assert sunday.day(D(2025, 9, 28)).name == "周末"
    assert sunday.deadline(D(2025, 9, 18), 10, "calendar").due == D(2025, 9, 29)


def test_override_kind_validated():
    with pytest.raises(ValueError):
        Override("weekend")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        WorkCalendar({D(2025, 1, 1): "holiday"})  # type: ignore[dict-item]


# --------------------------------------------------------------------------- latest_before


def test_latest_before_calendar_15_days_before_2026_10_20(cal):
    r = cal.latest_before(D(2026, 10, 20), 15, "calendar")
    assert r.due == D(2026, 10, 5)  # a 国庆 holiday, no adjustment
    assert (r.start, r.days, r.unit) == (D(2026, 10, 20), 15, "calendar")
    assert cal.deadline(D(2026, 10, 5), 15, "calendar").due == D(2026, 10, 20)
    assert cal.deadline(D(2026, 10, 6), 15, "calendar").due > D(2026, 10, 20)


def test_latest_before_calendar_end_on_rest_day(cal):
    # 2025-10-05 is inside 国庆: a 10-day period ending on it would extend to 10-09, so the
    # period must end on the last workday before (09-30).
    r = cal.latest_before(D(2025, 10, 5), 10, "calendar")
    assert r.due == D(2025, 9, 20)
    assert [i.day for i in r.skipped] == _days(D(2025, 10, 1), D(2025, 10, 5))
    assert "第二百零三条" in r.basis


def test_latest_before_working(cal):
    r = cal.latest_before(D(2026, 11, 3), 20, "working")
    assert r.due == D(2026, 10, 7)
    assert cal.deadline(D(2026, 10, 7), 20, "working").due == D(2026, 11, 3)
    assert cal.deadline(D(2026, 10, 8), 20, "working").due == D(2026, 11, 4)
    assert cal.latest_before(D(2026, 11, 3), 0, "working").due == D(2026, 11, 3)
    assert cal.latest_before(D(2026, 11, 3), 1, "working").due == D(2026, 11, 2)
    # 5 working days before Mon 2025-02-10: 02-10, 02-08 (调休 Sat), 02-07, 02-06, 02-05.
    assert cal.latest_before(D(2025, 2, 10), 5, "working").due == D(2025, 2, 4)


def test_latest_before_provisional(cal):
    assert cal.latest_before(D(2027, 1, 4), 3, "working").provisional
    assert not cal.latest_before(D(2026, 12, 31), 3, "working").provisional


# --------------------------------------------------------------------------- validation & speed


def test_invalid_arguments(cal):
    with pytest.raises(ValueError, match="负数"):
        cal.deadline(D(2025, 1, 1), -1, "working")
    with pytest.raises(ValueError, match="3650"):
        cal.deadline(D(2025, 1, 1), 3651, "calendar")
    with pytest.raises(ValueError, match="负数"):
        cal.latest_before(D(2025, 1, 1), -1, "calendar")
    with pytest.raises(ValueError, match="工作日"):
        cal.deadline(D(2025, 1, 1), 5, "weeks")  # type: ignore[arg-type]
    cal.deadline(D(2025, 1, 1), 3650, "calendar")
    with pytest.raises(TypeError):
        cal.deadline(D(2025, 1, 1), 2.5, "working")  # type: ignore[arg-type]


def test_working_days_between(cal):
    assert cal.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert cal.working_days_between(D(2025, 9, 26), D(2025, 10, 11)) == 6
    assert cal.working_days_between(D(2025, 10, 11), D(2025, 9, 26)) == 0
    assert cal.working_days_between(D(2025, 10, 11), D(2025, 10, 11)) == 0


def test_fast_enough():
    starts = [D(2004, 1, 1) + timedelta(days=37 * i) for i in range(200)]
    t0 = time.perf_counter()
    for s in starts:
        WorkCalendar().deadline(s, 20, "working")
    assert (time.perf_counter() - t0) / len(starts) < 0.005


# --------------------------------------------------------------------------- properties

DATES = st.dates(D(2004, 1, 1), D(2030, 12, 31))
DAYS = st.integers(0, 60) | st.integers(0, 400)
UNITS = st.sampled_from(["working", "calendar"])
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def examined_days(cal: WorkCalendar, r: DeadlineResult, latest: bool) -> list[date]:
    """The days whose status the result depends on (the module's documented definition)."""
    if not latest:
        if r.unit == "working":
            return _days(r.start + ONE, r.due)
        return _days(r.start + timedelta(days=r.days), r.due)
    end = r.start
    if r.unit == "working":
        return _days(r.due + ONE, end)
    w = end
    while not cal.is_workday(w):
        w -= ONE
    return _days(w, end)


@PROPS
@given(DATES, DAYS)
def test_prop_working(start, days):
    r = CAL.deadline(start, days, "working")
    if days == 0:
        assert r.due == start and r.skipped == ()
        return
    assert r.due > start
    assert CAL.is_workday(r.due) and ref_is_workday(r.due)
    assert CAL.working_days_between(start, r.due) == days == ref_count(start, r.due)
    # minimal: the day before the due date has one working day fewer
    assert CAL.working_days_between(start, r.due - ONE) == days - 1
    assert [i.day for i in r.skipped] == [d for d in _days(start + ONE, r.due) if not ref_is_workday(d)]


@PROPS
@given(DATES, DAYS, DAYS)
def test_prop_monotonic_in_days(start, a, b):
    a, b = sorted((a, b))
    for unit in ("working", "calendar"):
        da = CAL.deadline(start, a, unit).due
        db = CAL.deadline(start, b, unit).due
        assert da <= db
        if unit == "working" and a < b:
            assert da < db


@PROPS
@given(DATES, DAYS, UNITS)
def test_prop_monotonic_in_start(start, days, unit):
    assert CAL.deadline(start, days, unit).due <= CAL.deadline(start + ONE, days, unit).due


@PROPS
@given(DATES, DAYS)
def test_prop_calendar(start, days):
    r = CAL.deadline(start, days, "calendar")
    last = start + timedelta(days=days)
    assert r.due >= last
    assert all(not ref_is_workday(d) for d in _days(last, r.due - ONE))
    assert ref_is_workday(r.due)
    assert [i.day for i in r.skipped] == _days(last, r.due - ONE)


@PROPS
@given(st.dates(D(2005, 1, 1), D(2030, 12, 31)), DAYS, UNITS)
def test_prop_latest_before_is_greatest(end, days, unit):
    r = CAL.latest_before(end, days, unit)
    assert CAL.deadline(r.due, days, unit).due <= end
    assert CAL.deadline(r.due + ONE, days, unit).due > end
    if unit == "calendar" and CAL.is_workday(end):
        assert r.due == end - timedelta(days=days)


@PROPS
@given(st.dates(D(2005, 1, 1), D(2030, 12, 31)), st.integers(0, 30), UNITS)
def test_prop_latest_before_brute_force(end, days, unit):
    expected = end
    while CAL.deadline(expected, days, unit).due > end:
        expected -= ONE
    assert CAL.latest_before(end, days, unit).due == expected


@PROPS
@given(DATES, DAYS, UNITS, st.booleans())
def test_prop_provisional_iff_non_official_day_examined(d, days, unit, latest):
    r = CAL.latest_before(d, days, unit) if latest else CAL.deadline(d, days, unit)
    expected = any(not CAL.is_official_year(x.year) for x in examined_days(CAL, r, latest))
    assert r.provisional == expected
    assert ("暂定" in r.basis) == expected


OVERRIDES = st.dictionaries(
    st.dates(D(2026, 9, 1), D(2027, 3, 31)),
    st.builds(Override, st.sampled_from(["workday", "holiday"]), st.sampled_from([None, "调整"])),
    max_size=12,
)


@PROPS
@given(
    OVERRIDES,
    st.sampled_from([(), (2027,)]),
    st.dates(D(2026, 8, 1), D(2027, 3, 31)),
    st.integers(0, 60),
    UNITS,
)
def test_prop_with_overrides(overrides, years, start, days, unit):
    c = WorkCalendar(overrides, official_years=years)
    for d, ov in overrides.items():
        assert c.is_workday(d) == (ov.kind == "workday")
        assert c.day(d).source == "override"
    r = c.deadline(start, days, unit)
    ex = examined_days(c, r, False)
    assert r.provisional == any(c.day(x).source == "provisional" for x in ex)
    if unit == "working" and days:
        assert c.is_workday(r.due) and c.working_days_between(start, r.due) == days
    if unit == "calendar":
        assert c.is_workday(r.due)
    lb = c.latest_before(start, days, unit)
    assert c.deadline(lb.due, days, unit).due <= start < c.deadline(lb.due + ONE, days, unit).due
    if 2027 in years:  # everything examined lies in 2026–2027, both official now
        assert not r.provisional and not lb.provisional
