"""法定期间计算：自然日与工作日（Sunshine 阳光交易平台的纯日期运算，无数据库、无网络）。

Statutory time limits for the Sunshine public-resource trading platform, counted in
calendar days (日) or Chinese working days (工作日).

Legal basis
-----------
* 《中华人民共和国民法典》第二百零一条：按照年、月、日、小时计算期间的，开始的当日不计入，
  自下一日开始计算。
* 第二百零二条：按照年、月计算期间的，到期月的对应日为期间的最后一日（本模块只计"日"）。
* 第二百零三条：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
  "法定休假日" 包括周末休息日和法定节假日；国务院安排的调休上班日是工作日，不属于法定休假日。
* 《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）第二条：元旦1天
  （1月1日）；春节4天（农历除夕、正月初一至初三）；清明节1天（农历清明当日）；劳动节2天
  （5月1日、2日）；端午节1天（农历端午当日）；中秋节1天（农历中秋当日）；国庆节3天
  （10月1日至3日）。

Where the schedule of a day comes from (``DayInfo.source``)
-----------------------------------------------------------
1. ``"override"`` — an administrator override (``Override``) for that exact date; it always wins.
2. ``"official"`` — the year is *official*: either the maintained package ``chinese_calendar``
   (PyPI ``chinese-calendar``) covers it (it knows the State Council's holidays and make-up
   workdays, 调休), or the administrator declared the year official (``official_years``) after
   entering the State Council's schedule as overrides; days without an override then follow
   the plain Monday–Friday rule.
3. ``"provisional"`` — a year nobody has published yet: Saturdays and Sundays rest, plus the
   statutory holidays of the 放假办法 above (lunar dates from the PyPI package ``lunardate``,
   the Qingming solar term from ``chinese_calendar.get_solar_terms``).  No make-up workdays and
   no 补假 (a weekday given in lieu of a holiday that falls on a weekend) are guessed: the
   State Council decides those.  Every result that depends on such a day is marked provisional.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import chinese_calendar as _cc
from chinese_calendar.constants import Holiday as _PkgHoliday

from sunshine.core.formatting import cn_date, cn_day

__all__ = [
    "MAX_DAYS",
    "CalendarRangeError",
    "DayInfo",
    "DeadlineResult",
    "Override",
    "Unit",
    "WorkCalendar",
]

Unit = Literal["working", "calendar"]

#: Largest period accepted by :meth:`WorkCalendar.deadline` / :meth:`WorkCalendar.latest_before`.
MAX_DAYS = 3650

#: A run of consecutive non-working days longer than this can only come from broken overrides.
_MAX_REST_RUN = 366

_ONE = timedelta(days=1)

NAME_WEEKEND = "周末"
NAME_MAKEUP = "调休上班"
_NAME_REST = "放假日"

# chinese_calendar stores English enum values; its Chinese names are short forms ("清明", "端午").
_PKG_NAME_FIX = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}

# Years the provisional (lunar) estimate can handle: lunardate covers lunar years 1900–2099,
# chinese_calendar.get_solar_terms covers 1900–2100.
_PROVISIONAL_MIN_YEAR = 1900
_PROVISIONAL_MAX_YEAR = 2099


class CalendarRangeError(ValueError):
    """No official schedule and no way to estimate one for the requested year."""


@dataclass(frozen=True)
class Override:
    """An administrator's decision for one date; wins over the package and the estimate."""

    kind: Literal["workday", "holiday"]
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("workday", "holiday"):
            raise ValueError(f"调整类型必须为 'workday' 或 'holiday'，收到 {self.kind!r}")


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    #: Chinese holiday name ("春节", "国庆节"...), "调休上班" for a make-up workday,
    #: "周末" for a plain weekend, None for an ordinary weekday.
    name: str | None
    source: Literal["official", "override", "provisional"]


@dataclass(frozen=True)
class DeadlineResult:
    #: For :meth:`WorkCalendar.deadline` the starting date; for
    #: :meth:`WorkCalendar.latest_before` the end date counted back from.
    start: date
    days: int
    unit: Unit
    #: The due date (deadline) or, for latest_before, the latest admissible date.
    due: date
    #: True if any day whose status the result depends on came from a provisional year.
    provisional: bool
    #: Non-working days passed over (working unit) or the extension days (calendar unit).
    skipped: tuple[DayInfo, ...]
    #: Chinese explanation of the computation.
    basis: str


# --------------------------------------------------------------------------- helpers


def _as_date(value: date, what: str = "日期") -> date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"{what}必须是 datetime.date，收到 {type(value).__name__}")
    return value


def _check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"期间天数必须是整数，收到 {days!r}")
    if days < 0:
        raise ValueError(f"期间天数不能为负数（收到 {days}）")
    if days > MAX_DAYS:
        raise ValueError(f"期间天数不能超过{MAX_DAYS}天（收到 {days}）")
    return days


def _check_unit(unit: str) -> str:
    if unit not in ("working", "calendar"):
        raise ValueError(f"期间单位必须为 'working'（工作日）或 'calendar'（自然日），收到 {unit!r}")
    return unit


_fmt = cn_day  # 2026年11月23日
_fmt_w = cn_date  # 2026年11月23日（星期一）


@functools.cache
def _package_covers(year: int) -> bool:
    """Whether ``chinese_calendar`` has the official schedule for ``year``.

    Uses the package's own range check (it raises NotImplementedError outside its data).
    """
    if not 1 <= year <= 9999:
        return False
    try:
        _cc.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _package_name(value: str) -> str:
    try:
        chinese = _PkgHoliday(value).chinese
    except ValueError:  # unknown value in a future package version: keep what it says
        return value
    return _PKG_NAME_FIX.get(chinese, chinese)


@functools.cache
def _provisional_holidays(year: int) -> dict[date, str]:
    """Statutory holidays of ``year`` per the 2024 revision of the 放假办法 (no 调休, no 补假)."""
    if not _PROVISIONAL_MIN_YEAR <= year <= _PROVISIONAL_MAX_YEAR:
        raise CalendarRangeError(
            f"{year}年既无官方放假安排，也超出农历推算范围"
            f"（{_PROVISIONAL_MIN_YEAR}–{_PROVISIONAL_MAX_YEAR}年），无法计算工作日"
        )
    try:
        from lunardate import LunarDate
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CalendarRangeError(
            f"{year}年尚无官方放假安排，推算春节、端午、中秋需要农历包 lunardate，但未安装"
        ) from exc

    days: dict[date, str] = {}

    def add(d: date, name: str) -> None:
        if d.year != year:  # cannot happen for these festivals; guard anyway
            return
        days[d] = f"{days[d]}、{name}" if d in days and name not in days[d] else name

    add(date(year, 1, 1), "元旦")
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):  # 除夕、正月初一至初三
        add(new_year + timedelta(days=offset), "春节")
    qingming = [d for d, n in _cc.get_solar_terms(date(year, 4, 1), date(year, 4, 30)) if n == "清明"]
    if len(qingming) != 1:  # pragma: no cover - would mean a broken solar-term table
        raise CalendarRangeError(f"无法确定{year}年清明节气日期")
    add(qingming[0], "清明节")
    add(date(year, 5, 1), "劳动节")
    add(date(year, 5, 2), "劳动节")
    add(LunarDate(year, 5, 5).to_solar_date(), "端午节")
    for d in (1, 2, 3):
        add(date(year, 10, d), "国庆节")
    # Added after 国庆节 so that a coinciding day reads "国庆节、中秋节" (e.g. 2028-10-03).
    add(LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    return days


@functools.lru_cache(maxsize=65536)
def _base_day(d: date) -> DayInfo:
    """Day status without overrides: the package's official schedule, else the estimate.

    Mirrors ``chinese_calendar.get_holiday_detail`` (make-up workdays first, then holidays,
    then the weekday rule) but reads the package's dicts directly: the package function
    re-scans its whole table for the range check on every call.
    """
    weekend = d.weekday() >= 5
    if _package_covers(d.year):
        makeup = _cc.workdays.get(d)
        if makeup is not None:
            return DayInfo(d, True, NAME_MAKEUP, "official")
        holiday = _cc.holidays.get(d)
        if holiday is not None:
            return DayInfo(d, False, _package_name(holiday), "official")
        return DayInfo(d, not weekend, NAME_WEEKEND if weekend else None, "official")
    holiday = _provisional_holidays(d.year).get(d)
    if holiday is not None:
        return DayInfo(d, False, holiday, "provisional")
    return DayInfo(d, not weekend, NAME_WEEKEND if weekend else None, "provisional")


# --------------------------------------------------------------------------- calendar


class WorkCalendar:
    """Working-day calendar: package schedule + administrator overrides + provisional estimate.

    Instances are cheap: override-free day statuses are shared in a module-level cache
    (:func:`_base_day`), and every :class:`DayInfo` is also cached per instance.
    """

    def __init__(
        self,
        overrides: Mapping[date, Override] | None = None,
        official_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, Override] = {}
        for key, value in (overrides or {}).items():
            if not isinstance(value, Override):
                raise TypeError(f"{key} 的调整必须是 Override，收到 {type(value).__name__}")
            self._overrides[_as_date(key, "调整日期")] = value
        self._official_years = frozenset(int(y) for y in official_years)
        self._cache: dict[date, DayInfo] = {}

    # ----------------------------------------------------------------- single days

    def is_official_year(self, year: int) -> bool:
        """True if the package covers ``year`` or the administrator declared it official."""
        return year in self._official_years or _package_covers(year)

    def day(self, d: date) -> DayInfo:
        info = self._cache.get(d)
        if info is None:
            d = _as_date(d)
            info = self._cache.get(d)
            if info is None:
                info = self._compute(d)
                self._cache[d] = info
        return info

    def is_workday(self, d: date) -> bool:
        return self.day(d).is_workday

    def _compute(self, d: date) -> DayInfo:
        ov = self._overrides.get(d)
        if ov is not None:
            weekend = d.weekday() >= 5
            workday = ov.kind == "workday"
            name = ov.name
            if name is None:
                if workday:
                    name = NAME_MAKEUP if weekend else None
                else:
                    name = NAME_WEEKEND if weekend else _NAME_REST
            return DayInfo(d, workday, name, "override")
        if d.year in self._official_years and not _package_covers(d.year):
            # The administrator entered the whole year's holidays/调休 as overrides;
            # every other day follows the plain Monday–Friday rule.
            weekend = d.weekday() >= 5
            return DayInfo(d, not weekend, NAME_WEEKEND if weekend else None, "official")
        return _base_day(d)

    # ----------------------------------------------------------------- counting

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in the half-open interval (start, end]; 0 if end <= start."""
        start, end = _as_date(start), _as_date(end)
        count = 0
        d = start + _ONE
        while d <= end:
            if self.day(d).is_workday:
                count += 1
            d += _ONE
        return count

    def _next_workday_from(self, d: date) -> tuple[date, list[DayInfo]]:
        """First working day >= d, and the non-working days passed over."""
        passed: list[DayInfo] = []
        info = self.day(d)
        while not info.is_workday:
            passed.append(info)
            if len(passed) > _MAX_REST_RUN:
                raise ValueError(f"自{_fmt(passed[0].day)}起连续{_MAX_REST_RUN}天以上无工作日，请检查节假日调整")
            d += _ONE
            info = self.day(d)
        return d, passed

    def _last_workday_until(self, d: date) -> tuple[date, list[DayInfo]]:
        """Last working day <= d, and the non-working days passed over (latest first)."""
        passed: list[DayInfo] = []
        info = self.day(d)
        while not info.is_workday:
            passed.append(info)
            if len(passed) > _MAX_REST_RUN:
                raise ValueError(f"截至{_fmt(passed[0].day)}连续{_MAX_REST_RUN}天以上无工作日，请检查节假日调整")
            d -= _ONE
            info = self.day(d)
        return d, passed

    def deadline(self, start: date, days: int, unit: Unit) -> DeadlineResult:
        """Due date of a period of ``days`` working or calendar days starting on ``start``.

        * 民法典第二百零一条: ``start`` itself is never counted, whether or not it is a workday.
        * ``unit="working"``: ``due`` is the ``days``-th working day after ``start``
          (a make-up workday counts and can be the due date); ``days == 0`` gives ``start``.
        * ``unit="calendar"``: the last day is ``start + days``; if it is a 法定休假日 (weekend
          rest day or statutory holiday; a make-up workday is *not* one), 第二百零三条 moves
          the end to the first working day after the rest period.  ``days == 0`` gives
          ``start`` or, if ``start`` is a rest day, the same extension.

        ``provisional`` is true if any day the answer depends on — every day of (start, due]
        for working days; the last day and its extension [start+days, due] for calendar
        days — has a provisional source.
        """
        start = _as_date(start, "开始日期")
        days = _check_days(days)
        unit = _check_unit(unit)  # type: ignore[assignment]
        if unit == "working":
            return self._deadline_working(start, days)
        return self._deadline_calendar(start, days)

    def _deadline_working(self, start: date, days: int) -> DeadlineResult:
        d = start
        count = 0
        skipped: list[DayInfo] = []
        examined: list[DayInfo] = []
        while count < days:
            d += _ONE
            info = self.day(d)
            examined.append(info)
            if info.is_workday:
                count += 1
            else:
                skipped.append(info)
        basis = self._basis_working(start, days, d, skipped, examined)
        provisional_years = _provisional_years(examined)
        if provisional_years:
            basis += _provisional_note(provisional_years)
        return DeadlineResult(start, days, "working", d, bool(provisional_years), tuple(skipped), basis)

    def _deadline_calendar(self, start: date, days: int) -> DeadlineResult:
        last = start + timedelta(days=days)
        due, skipped = self._next_workday_from(last)
        examined = [*skipped, self.day(due)]
        basis = self._basis_calendar(start, days, last, due, skipped)
        provisional_years = _provisional_years(examined)
        if provisional_years:
            basis += _provisional_note(provisional_years)
        return DeadlineResult(start, days, "calendar", due, bool(provisional_years), tuple(skipped), basis)

    def latest_before(self, end: date, days: int, unit: Unit) -> DeadlineResult:
        """Latest date that is still at least ``days`` (working or calendar) days before ``end``.

        Definition, consistent with forward counting: the greatest ``d`` such that
        ``deadline(d, days, unit).due <= end``.  ``deadline`` is monotone in its start date,
        so this is found directly, walking back from ``end`` (never by trying start dates):

        * ``unit="working"``: let ``w`` be the ``days``-th working day counted backwards from
          ``end`` (``end`` included if it is a workday); the answer is ``w - 1`` — the day
          before, which itself may be a rest day (the starting day is never counted anyway).
          ``days == 0`` gives ``end``.
        * ``unit="calendar"``: no 第二百零三条 holiday extension is applied to push the answer
          *later*.  When a period has to elapse *before* an event ("不少于N日"), moving the
          answer later because a day is a holiday would shorten the period below N days.
          So the answer is plainly ``end - days`` when ``end`` is a working day.  When ``end``
          itself is a rest day, a period ending on it would, counted forward, be extended by
          第二百零三条 past ``end``; to stay consistent (and on the safe side) the period is
          made to end on the last working day ``w <= end``, giving ``w - days``.

        The result has the same type as :meth:`deadline`: ``start`` holds ``end``, ``due``
        holds the latest date, ``skipped`` the rest days passed over while counting back,
        ``provisional`` whether any day examined in [w, end] is provisional.
        """
        end = _as_date(end, "截止日期")
        days = _check_days(days)
        unit = _check_unit(unit)  # type: ignore[assignment]
        if unit == "working":
            return self._latest_working(end, days)
        return self._latest_calendar(end, days)

    def _latest_working(self, end: date, days: int) -> DeadlineResult:
        if days == 0:
            basis = f"须至少提前0个工作日，最迟日期即为{_fmt_w(end)}。"
            return DeadlineResult(end, 0, "working", end, False, (), basis)
        d = end
        count = 0
        skipped: list[DayInfo] = []
        examined: list[DayInfo] = []
        while True:
            info = self.day(d)
            examined.append(info)
            if info.is_workday:
                count += 1
                if count == days:
                    break
            else:
                skipped.append(info)
            d -= _ONE
        first_counted = d
        due = d - _ONE
        skipped.reverse()
        examined.reverse()
        basis = (
            f"须在{_fmt_w(end)}前留足{days}个工作日：依《民法典》第二百零一条，开始的当日不计入，"
            f"自{_fmt(due)}的次日起算，{_fmt(first_counted)}至{_fmt(end)}恰有{days}个工作日，"
            f"故最迟日期为{_fmt_w(due)}"
        )
        basis += _skipped_clause(skipped, "期间跳过")
        basis += _makeup_clause(examined) + "。"
        provisional_years = _provisional_years(examined)
        if provisional_years:
            basis += _provisional_note(provisional_years)
        return DeadlineResult(end, days, "working", due, bool(provisional_years), tuple(skipped), basis)

    def _latest_calendar(self, end: date, days: int) -> DeadlineResult:
        last_work, passed = self._last_workday_until(end)
        skipped = list(reversed(passed))
        examined = [self.day(last_work), *skipped]
        due = last_work - timedelta(days=days)
        basis = (
            f"须在{_fmt_w(end)}前留足{days}日：依《民法典》第二百零一条，开始的当日不计入，"
            f"自{_fmt(due)}的次日起算{days}日，于{_fmt_w(last_work)}届满，最迟日期为{_fmt_w(due)}。"
        )
        if skipped:
            basis += (
                f"{_fmt_w(end)}为法定休假日（{_unique_names(skipped[-1:])[0]}），期间若于该日届满，依第二百零三条"
                f"将顺延至休假日结束的次日而超过{_fmt(end)}，故以此前最后一个工作日{_fmt(last_work)}"
                f"为期间届满日（倒推提前{len(skipped)}天）。"
            )
        else:
            basis += "倒推期间不适用第二百零三条顺延：顺延会使起算日推后、实际间隔不足法定日数。"
        provisional_years = _provisional_years(examined)
        if provisional_years:
            basis += _provisional_note(provisional_years)
        return DeadlineResult(end, days, "calendar", due, bool(provisional_years), tuple(skipped), basis)

    # ----------------------------------------------------------------- explanations

    def _basis_working(self, start: date, days: int, due: date, skipped: list[DayInfo], examined: list[DayInfo]) -> str:
        if days == 0:
            return f"期间为0个工作日，期限届满日即为开始当日{_fmt_w(start)}。"
        text = (
            f"依《民法典》第二百零一条，开始的当日不计入，自{_fmt(start)}的次日起算{days}个工作日，"
            f"期限届满日为{_fmt_w(due)}"
        )
        text += _skipped_clause(skipped, "期间跳过")
        text += _makeup_clause(examined)
        return text + "。"

    def _basis_calendar(self, start: date, days: int, last: date, due: date, skipped: list[DayInfo]) -> str:
        if days == 0:
            text = f"期间为0日，以开始当日{_fmt_w(start)}为期间的最后一日"
        else:
            text = (
                f"依《民法典》第二百零一条，开始的当日不计入，自{_fmt(start)}的次日起算{days}日，"
                f"期间的最后一日为{_fmt_w(last)}"
            )
        if skipped:
            names = _unique_names(skipped)
            text += (
                f"；该日为法定休假日（{_unique_names(skipped[:1])[0]}），依第二百零三条，以法定休假日结束的次日"
                f"{_fmt_w(due)}为期间的最后一日（顺延{len(skipped)}天，跳过{'、'.join(names)}）。"
            )
        else:
            info = self.day(last)
            if last.weekday() >= 5:
                text += "；该日为调休上班日，不属于法定休假日，不予顺延。"
            elif info.name:
                text += f"（{info.name}），为工作日，不予顺延。"
            else:
                text += "，为工作日。"
        return text


# --------------------------------------------------------------------------- text pieces


def _unique_names(infos: Iterable[DayInfo]) -> list[str]:
    seen: list[str] = []
    for info in infos:
        name = info.name or _NAME_REST
        if name not in seen:
            seen.append(name)
    return seen


def _skipped_clause(skipped: list[DayInfo], verb: str) -> str:
    if not skipped:
        return ""
    names = _unique_names(skipped)
    holidays = [n for n in names if n != NAME_WEEKEND]
    if holidays:
        what = f"{'、'.join(holidays)}等法定节假日"
        if NAME_WEEKEND in names:
            what += "及周末"
    else:
        what = "周末"
    return f"；{verb}{what}共{len(skipped)}天"


def _makeup_clause(examined: Iterable[DayInfo]) -> str:
    makeup = [i.day for i in examined if i.is_workday and i.day.weekday() >= 5]
    if not makeup:
        return ""
    return f"；{'、'.join(_fmt_w(d) for d in makeup)}为调休上班日，计入工作日"


def _provisional_years(examined: Iterable[DayInfo]) -> list[int]:
    return sorted({i.day.year for i in examined if i.source == "provisional"})


def _provisional_note(years: list[int]) -> str:
    ys = "、".join(f"{y}年" for y in years)
    return f"（{ys}国务院放假安排尚未公布，按周末及法定节日推算，为暂定日期）"
