"""The working-day calendar through its JSON API (/api/v1/calendar): deadlines around the 2025 and
2026 Spring Festival and National Day, provisional years, the year view, the administrator's
overrides and year schedules, and the problem+json answers to bad input.

Official dates (chinese_calendar 1.11.0): 2025 春节 1/28–2/4, 调休上班 Sun 1/26 & Sat 2/8;
2025 国庆/中秋 10/1–10/8, 调休上班 Sun 9/28 & Sat 10/11; 2026 春节 2/15–2/23, 调休上班 Sat 2/14 &
Sat 2/28; 2026 中秋 9/25–9/27; 2026 国庆 10/1–10/7, 调休上班 Sun 9/20 & Sat 10/10.  Every expected
due date below was counted by hand from those schedules.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from sunshine.core import calendar
from sunshine.identity.roles import Role
from tests.builders import api_token, make_user

API = "/api/v1/calendar"
CJK = re.compile(r"[\u4e00-\u9fff]")


def get_deadline(client, start: str, days: int | str, unit: str) -> dict:
    response = client.get(f"{API}/deadline", params={"start": start, "days": days, "unit": unit})
    assert response.status_code == 200, response.text
    return response.json()


def assert_problem(response, status: int, code: str, *fragments: str) -> dict:
    """An RFC 9457 problem with a stable code and a Chinese explanation."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert CJK.search(body["title"]), body
    assert CJK.search(body["detail"]), body
    for fragment in fragments:
        assert fragment in body["detail"], body
    return body


@pytest.fixture
def admin(client, db) -> dict[str, str]:
    return api_token(client, make_user(db, Role.ADMIN, username="calendar-admin"))


@pytest.fixture
def staff(client, db) -> dict[str, str]:
    return api_token(client, make_user(db, Role.CENTRE_STAFF, username="centre-clerk"))


# --------------------------------------------------------------------------- explicit deadlines

WORKING_CASES = [
    # 2025 春节: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 are make-up workdays.
    ("2025-01-24", 1, "2025-01-26"),  # Friday + 1 → the make-up Sunday
    ("2025-01-26", 1, "2025-01-27"),
    ("2025-01-27", 1, "2025-02-05"),  # the whole festival is skipped
    ("2025-01-24", 5, "2025-02-07"),  # 1/26, 1/27, 2/5, 2/6, 2/7
    ("2025-02-07", 1, "2025-02-08"),  # Friday + 1 → the make-up Saturday
    # 2025 国庆/中秋: 10/1–10/8 off, Sunday 9/28 and Saturday 10/11 work.
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-09-29", 3, "2025-10-10"),  # 9/30, 10/9, 10/10
    ("2025-10-10", 1, "2025-10-11"),
    # 2026 春节: 2/15–2/23 off, Saturdays 2/14 and 2/28 work.
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-14", 1, "2026-02-24"),
    ("2026-02-12", 3, "2026-02-24"),  # 2/13, 2/14, 2/24
    ("2026-02-27", 1, "2026-02-28"),
    # 2026 国庆: 10/1–10/7 off, Sunday 9/20 and Saturday 10/10 work.
    ("2026-09-18", 1, "2026-09-20"),
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-10-09", 1, "2026-10-10"),
    ("2026-09-30", 20, "2026-11-03"),
    # The starting day is never counted, and 0 working days end on it.
    ("2026-11-23", 0, "2026-11-23"),
    ("2026-11-23", 5, "2026-11-30"),
]


@pytest.mark.parametrize(("start", "days", "due"), WORKING_CASES)
def test_working_day_deadlines_around_the_holidays(client, start, days, due):
    body = get_deadline(client, start, days, "working")
    assert body["due"] == due
    assert body["unit"] == "working"
    assert body["start"] == start
    assert body["days"] == days
    assert body["provisional"] is False
    assert "民法典" in body["legal_basis"]


CALENDAR_CASES = [
    # The last day is a statutory holiday → 第二百零三条 moves it past the holiday.
    ("2025-01-20", 10, "2025-02-05"),  # 1/30 (春节) → 2/5
    ("2025-09-25", 7, "2025-10-09"),  # 10/2 (国庆节) → 10/9
    ("2026-02-10", 5, "2026-02-24"),  # 2/15 (春节, a Sunday) → 2/24
    ("2026-09-24", 10, "2026-10-08"),  # 10/4 (国庆节) → 10/8
    ("2026-09-22", 3, "2026-09-28"),  # 9/25 (中秋节) → 9/28
    # The last day is a make-up workday (调休上班): it is not a rest day, no extension.
    ("2025-01-16", 10, "2025-01-26"),  # Sunday
    ("2025-09-21", 7, "2025-09-28"),  # Sunday
    ("2025-10-01", 10, "2025-10-11"),  # Saturday
    ("2026-02-09", 5, "2026-02-14"),  # Saturday
    ("2026-09-15", 5, "2026-09-20"),  # Sunday
    ("2026-10-01", 9, "2026-10-10"),  # Saturday
    # The last day is an ordinary weekend day → the following Monday.
    ("2026-11-20", 8, "2026-11-30"),  # Saturday 11/28
    ("2026-11-21", 8, "2026-11-30"),  # Sunday 11/29
    # An ordinary weekday stays.
    ("2026-11-23", 10, "2026-12-03"),
]


@pytest.mark.parametrize(("start", "days", "due"), CALENDAR_CASES)
def test_calendar_day_deadlines_around_the_holidays(client, start, days, due):
    body = get_deadline(client, start, days, "calendar")
    assert body["due"] == due
    assert body["unit"] == "calendar"
    assert body["provisional"] is False


def test_unit_defaults_to_calendar_days(client):
    response = client.get(f"{API}/deadline", params={"start": "2026-02-10", "days": 5})
    assert response.status_code == 200
    assert response.json()["unit"] == "calendar"
    assert response.json()["due"] == "2026-02-24"


def test_working_basis_names_the_code_the_skipped_holiday_and_the_makeup_saturday(client):
    body = get_deadline(client, "2026-09-30", 20, "working")
    basis = body["basis"]
    assert "《民法典》第二百零一条" in basis
    assert "开始的当日不计入" in basis
    assert "2026年11月3日（星期二）" in basis
    assert "国庆节" in basis
    assert "2026年10月10日（星期六）为调休上班日" in basis
    skipped = body["skipped"]
    assert [d["date"] for d in skipped if d["name"] == "国庆节"] == [f"2026-10-0{i}" for i in range(1, 8)]
    assert all(d["is_workday"] is False and d["source"] == "official" for d in skipped)
    assert "2026-10-10" not in {d["date"] for d in skipped}


def test_calendar_basis_explains_the_extension_past_the_spring_festival(client):
    body = get_deadline(client, "2026-02-10", 5, "calendar")
    basis = body["basis"]
    assert "民法典" in basis
    assert "第二百零三条" in basis
    assert "2026年2月15日（星期日）" in basis  # the last day of the period…
    assert "春节" in basis  # …is a holiday…
    assert "2026年2月24日（星期二）" in basis  # …so the period ends after it
    assert [d["date"] for d in body["skipped"]] == [
        (date(2026, 2, 15) + timedelta(days=i)).isoformat() for i in range(9)
    ]
    assert {d["name"] for d in body["skipped"]} == {"春节"}


def test_calendar_basis_for_a_weekend_and_for_a_makeup_day(client):
    weekend = get_deadline(client, "2026-11-20", 8, "calendar")
    assert "周末" in weekend["basis"]
    assert "2026年11月30日（星期一）" in weekend["basis"]
    assert [d["date"] for d in weekend["skipped"]] == ["2026-11-28", "2026-11-29"]

    makeup = get_deadline(client, "2026-02-09", 5, "calendar")
    assert "调休上班日" in makeup["basis"]
    assert "不予顺延" in makeup["basis"]
    assert makeup["skipped"] == []


# --------------------------------------------------------------------------- provisional years


def test_a_working_period_running_into_2027_is_provisional(client):
    body = get_deadline(client, "2026-12-01", 30, "working")
    # 22 working days left in December 2026, 1 January 2027 (元旦) off, then 1/4–1/8, 1/11–1/13.
    assert body["due"] == "2027-01-13"
    assert body["provisional"] is True
    assert "暂定" in body["basis"]
    assert "2027年国务院放假安排尚未公布" in body["basis"]


def test_a_calendar_period_ending_in_2027_is_provisional(client):
    body = get_deadline(client, "2026-12-22", 10, "calendar")
    # 1 January 2027 is 元旦 by the 放假办法; 1/2–1/3 are a weekend → Monday 1/4.
    assert body["due"] == "2027-01-04"
    assert body["provisional"] is True
    assert "元旦" in body["basis"]
    assert "暂定" in body["basis"]


def test_periods_inside_2026_are_not_provisional(client):
    working = get_deadline(client, "2026-12-01", 10, "working")
    assert working["due"] == "2026-12-15"
    assert working["provisional"] is False
    assert "暂定" not in working["basis"]
    calendar_days = get_deadline(client, "2026-12-21", 10, "calendar")
    assert calendar_days["due"] == "2026-12-31"
    assert calendar_days["provisional"] is False


# --------------------------------------------------------------------------- latest-before


def test_latest_before_in_working_days_counts_back_over_national_day(client):
    response = client.get(f"{API}/latest-before", params={"end": "2026-10-09", "days": 5, "unit": "working"})
    assert response.status_code == 200, response.text
    body = response.json()
    # 10/9, 10/8, (10/1–10/7 off), 9/30, 9/29, 9/28 are the five working days; the day before is the answer.
    assert body["latest"] == "2026-09-27"
    assert body["end"] == "2026-10-09"
    assert body["provisional"] is False
    assert "民法典" in body["basis"]
    # Consistent with forward counting: starting on the answer the period ends on the end date,
    # starting a day later it ends after it.
    assert get_deadline(client, "2026-09-27", 5, "working")["due"] == "2026-10-09"
    assert get_deadline(client, "2026-09-28", 5, "working")["due"] > "2026-10-09"


def test_latest_before_in_calendar_days_when_the_end_is_a_holiday(client):
    response = client.get(f"{API}/latest-before", params={"end": "2026-10-05", "days": 10, "unit": "calendar"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["latest"] == "2026-09-20"
    assert "国庆节" in body["basis"]
    assert get_deadline(client, "2026-09-20", 10, "calendar")["due"] <= "2026-10-05"
    assert get_deadline(client, "2026-09-21", 10, "calendar")["due"] > "2026-10-05"


def test_latest_before_in_2027_is_provisional(client):
    response = client.get(f"{API}/latest-before", params={"end": "2027-01-15", "days": 5, "unit": "working"})
    assert response.status_code == 200
    assert response.json()["latest"] == "2027-01-10"
    assert response.json()["provisional"] is True


# --------------------------------------------------------------------------- year view


def test_year_2026_lists_the_spring_festival_and_the_makeup_workdays(client):
    response = client.get(f"{API}/years/2026")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert body["official"] is True
    days = {d["date"]: d for d in body["days"]}
    for i in range(9):
        day = days[(date(2026, 2, 15) + timedelta(days=i)).isoformat()]
        assert day["name"] == "春节"
        assert day["is_workday"] is False
        assert day["source"] == "official"
    makeup = sorted(d["date"] for d in body["days"] if d["name"] == "调休上班")
    assert makeup == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert all(days[d]["is_workday"] is True for d in makeup)
    assert "2026-03-02" not in days  # an ordinary Monday is not listed
    assert "2026-03-07" not in days  # nor an ordinary Saturday


def test_year_2027_is_not_official_and_every_day_is_provisional(client):
    body = client.get(f"{API}/years/2027").json()
    assert body["official"] is False
    assert {d["source"] for d in body["days"]} == {"provisional"}
    spring = [d["date"] for d in body["days"] if d["name"] == "春节"]
    assert spring == ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"]
    assert not [d for d in body["days"] if d["is_workday"]]  # no 调休 is guessed


# --------------------------------------------------------------------------- administrator


def test_admin_sets_and_clears_a_day(client, admin):
    before = get_deadline(client, "2027-10-07", 1, "working")
    assert before["due"] == "2027-10-08"

    response = client.put(
        f"{API}/days/2027-10-08", json={"kind": "holiday", "name": "国庆节", "reason": "测试"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["day"] == "2027-10-08"
    after = get_deadline(client, "2027-10-07", 1, "working")
    assert after["due"] == "2027-10-11"  # 10/8 off, then a weekend
    listed = {d["date"]: d for d in client.get(f"{API}/years/2027").json()["days"]}
    assert listed["2027-10-08"] == {"date": "2027-10-08", "is_workday": False, "name": "国庆节", "source": "override"}

    response = client.delete(f"{API}/days/2027-10-08", headers=admin)
    assert response.status_code == 200, response.text
    assert get_deadline(client, "2027-10-07", 1, "working")["due"] == "2027-10-08"
    assert "2027-10-08" not in {d["date"] for d in client.get(f"{API}/years/2027").json()["days"]}

    assert_problem(client.delete(f"{API}/days/2027-10-08", headers=admin), 404, "not_found", "2027-10-08")


def test_admin_declares_a_saturday_a_workday(client, admin):
    assert get_deadline(client, "2027-10-08", 1, "working")["due"] == "2027-10-11"
    response = client.put(f"{API}/days/2027-10-09", json={"kind": "workday"}, headers=admin)
    assert response.status_code == 200
    body = get_deadline(client, "2027-10-08", 1, "working")
    assert body["due"] == "2027-10-09"
    assert "2027年10月9日（星期六）为调休上班日" in body["basis"]


SCHEDULE_2027 = {
    "year": 2027,
    "source": "国办发明电〔2026〕9号",
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"},
        {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
    ],
    "workdays": [
        {"name": "调休上班", "from": "2027-01-31"},
        {"name": "调休上班", "from": "2027-02-20"},
        {"name": "调休上班", "from": "2027-09-26"},
        {"name": "调休上班", "from": "2027-10-09"},
    ],
}


def test_admin_imports_a_year_and_open_deadlines_are_recomputed(client, db, admin):
    with db.unit_of_work() as s:
        tracked = calendar.track(
            s, subject="project:1", purpose="答复信息公开申请", start=date(2027, 9, 25), days=10, unit="calendar"
        ).id
    assert get_deadline(client, "2027-09-25", 10, "calendar")["due"] == "2027-10-05"

    response = client.post(f"{API}/years", json=SCHEDULE_2027, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["official"] is True
    assert body["recomputed"] == [
        {
            "deadline_id": tracked,
            "subject": "project:1",
            "purpose": "答复信息公开申请",
            "old_due": "2027-10-05",
            "new_due": "2027-10-08",
            "provisional": False,
        }
    ]

    year = client.get(f"{API}/years/2027").json()
    assert year["official"] is True
    days = {d["date"]: d for d in year["days"]}
    # spans are expanded day by day
    assert [d for d in days if days[d]["name"] == "国庆节"] == [f"2027-10-0{i}" for i in range(1, 8)]
    assert days["2027-01-31"] == {"date": "2027-01-31", "is_workday": True, "name": "调休上班", "source": "override"}
    # a day the schedule does not mention follows Monday–Friday, no longer the estimate
    assert "2027-06-09" not in days

    fresh = get_deadline(client, "2027-09-25", 10, "calendar")
    assert fresh["due"] == "2027-10-08"
    assert fresh["provisional"] is False
    listed = client.get(f"{API}/deadlines", headers=admin).json()
    assert [(d["id"], d["due"], d["provisional"]) for d in listed] == [(tracked, "2027-10-08", False)]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/days/2027-10-08", {"kind": "holiday"}),
        ("DELETE", "/days/2027-10-08", None),
        ("POST", "/years", SCHEDULE_2027),
        ("GET", "/deadlines", None),
    ],
)
def test_only_administrators_change_the_calendar(client, staff, method, path, body):
    anonymous = client.request(method, API + path, json=body)
    assert_problem(anonymous, 401, "not_authenticated")
    if path != "/deadlines":  # centre staff may read the tracked deadlines, nothing else here
        assert_problem(client.request(method, API + path, json=body, headers=staff), 403, "forbidden")
    bad_token = client.request(method, API + path, json=body, headers={"Authorization": "Bearer nonsense"})
    assert_problem(bad_token, 401, "not_authenticated")
    assert client.get(f"{API}/years/2027").json()["official"] is False
    assert get_deadline(client, "2027-10-07", 1, "working")["due"] == "2027-10-08"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "fragments"),
    [
        ({"start": "2026-13-01", "days": 5}, ("start", "日期")),
        ({"start": "2026-02-30", "days": 5}, ("start", "日期")),
        ({"start": "明天", "days": 5}, ("start", "日期")),
        ({"days": 5}, ("start", "缺少")),
        ({"start": "2026-09-30", "days": -1}, ("days", "不得小于 0")),
        ({"start": "2026-09-30", "days": 3651}, ("days", "不得大于 3650")),
        ({"start": "2026-09-30", "days": 10**30}, ("days",)),
        ({"start": "2026-09-30", "days": "1.5"}, ("days", "整数")),
        ({"start": "2026-09-30", "days": "二十"}, ("days", "整数")),
        ({"start": "2026-09-30", "days": 5, "unit": "hours"}, ("unit", "取值")),
        ({"start": "2026-09-30", "days": 5, "unit": ""}, ("unit",)),
    ],
)
def test_bad_deadline_queries_are_422_problems(client, params, fragments):
    response = client.get(f"{API}/deadline", params=params)
    body = assert_problem(response, 422, "invalid_input", *fragments)
    assert body["instance"] == f"{API}/deadline"


@pytest.mark.parametrize(
    ("start", "days", "unit", "fragment"),
    [
        ("9999-12-31", 10, "calendar", "日期超出"),
        ("9999-12-31", 10, "working", "日期超出"),
        ("2099-12-25", 10, "working", "2100年"),
        ("0001-01-01", 10, "working", "1年"),
    ],
)
def test_dates_outside_what_can_be_computed_are_422_not_500(client, start, days, unit, fragment):
    response = client.get(f"{API}/deadline", params={"start": start, "days": days, "unit": unit})
    assert_problem(response, 422, "invalid_input", fragment)


@pytest.mark.parametrize(
    "params",
    [
        {"end": "2026-10-32", "days": 5},
        {"end": "2026-10-09", "days": -5},
        {"end": "2026-10-09", "days": 5, "unit": "weeks"},
        {"end": "9999-12-31", "days": 3650, "unit": "calendar"},
    ],
)
def test_bad_latest_before_queries_are_422_problems(client, params):
    assert_problem(client.get(f"{API}/latest-before", params=params), 422, "invalid_input")


@pytest.mark.parametrize(
    ("year", "fragment"),
    [("3000", "年份应在1900至2099之间"), ("1899", "年份"), ("二〇二七", "整数"), ("99999999999999999999", "年份")],
)
def test_bad_years_are_422_problems(client, year, fragment):
    assert_problem(client.get(f"{API}/years/{year}"), 422, "invalid_input", fragment)


def _schedule(**changes) -> dict:
    return {**SCHEDULE_2027, **changes}


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        (_schedule(holidays=[{"name": "元旦", "from": "2028-01-01"}]), ("2028-01-01 不属于 2027 年",)),
        (_schedule(workdays=[{"name": "调休上班", "from": "2026-12-27"}]), ("2026-12-27 不属于 2027 年",)),
        (_schedule(workdays=[{"name": "调休上班", "from": "2027-10-07"}]), ("2027-10-07 重复出现",)),
        (
            _schedule(
                holidays=[
                    {"name": "春节", "from": "2027-02-05", "to": "2027-02-08"},
                    {"name": "春节", "from": "2027-02-08", "to": "2027-02-10"},
                ]
            ),
            ("2027-02-08 重复出现",),
        ),
        (
            _schedule(holidays=[{"name": "国庆节", "from": "2027-10-07", "to": "2027-10-01"}]),
            ("holidays.0", "结束日期不能早于开始日期"),
        ),
        (_schedule(holidays=[{"name": "国庆节", "from": "2027-10-01", "to": "2027-12-01"}]), ("不超过31天",)),
        (_schedule(holidays=[{"name": "国庆节", "from": "2027-10-32"}]), ("holidays.0.from", "日期")),
        (_schedule(holidays=[{"name": "", "from": "2027-10-01"}]), ("holidays.0.name",)),
        (_schedule(source="   "), ("文号或来源",)),
        (_schedule(year=1999), ("year", "不得小于 2000")),
        ({"year": 2027, "holidays": []}, ("source", "缺少必填项")),
    ],
)
def test_bad_year_schedules_are_422_problems_and_change_nothing(client, admin, body, fragments):
    response = client.post(f"{API}/years", json=body, headers=admin)
    assert_problem(response, 422, "invalid_input", *fragments)
    assert client.get(f"{API}/years/2027").json()["official"] is False


def test_bad_day_overrides_are_422_problems(client, admin):
    assert_problem(
        client.put(f"{API}/days/2027-02-30", json={"kind": "holiday"}, headers=admin),
        422,
        "invalid_input",
        "day",
        "日期",
    )
    assert_problem(
        client.put(f"{API}/days/2027-10-08", json={"kind": "weekend"}, headers=admin), 422, "invalid_input", "kind"
    )
    assert_problem(
        client.put(f"{API}/days/2027-10-08", json={"kind": "holiday", "name": "节" * 51}, headers=admin),
        422,
        "invalid_input",
        "name",
        "最多 50 个字符",
    )
    assert_problem(client.put(f"{API}/days/2027-10-08", json={}, headers=admin), 422, "invalid_input", "kind")
    bad_json = client.put(
        f"{API}/days/2027-10-08", content=b"{kind:", headers={**admin, "content-type": "application/json"}
    )
    assert_problem(bad_json, 400, "invalid_json")
    assert "2027-10-08" not in {d["date"] for d in client.get(f"{API}/years/2027").json()["days"]}
