"""The calendar as people see it in a browser: the public 政务公开 page with a year's holidays, the
deadline calculator, and the administrator's calendar page with its three forms (set a day, import
a year, clear an override), driven like a browser: log in through /login, post forms with the
csrf_token taken from the page, follow the post/redirect/get flow."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from sunshine.core import calendar
from sunshine.core.auth import Principal
from sunshine.core.calendar_api import ScheduleIn
from sunshine.core.models import CalendarOverride, TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from tests.builders import PASSWORD, make_user
from tests.pages import page_text

HTML = {"Accept": "text/html"}

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


class _Page(HTMLParser):
    """Visible text of table rows, field errors, flash messages and elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.field_errors: dict[str, str] = {}
        self.flashes: list[str] = []
        self.by_id: dict[str, str] = {}
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._capture: list[tuple[str, str, int, list[str]]] = []  # (kind, key, depth, text)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "br", "img", "meta", "link"):
            return
        self._depth += 1
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        classes = (a.get("class") or "").split()
        if "field-error" in classes and a.get("id", "").endswith("-error"):
            self._capture.append(("error", a["id"][2:-6], self._depth, []))
        elif "notice-text" in classes:
            self._capture.append(("flash", "", self._depth, []))
        elif a.get("id"):
            self._capture.append(("id", a["id"], self._depth, []))

    def handle_endtag(self, tag):
        if tag in ("input", "br", "img", "meta", "link"):
            return
        while self._capture and self._capture[-1][2] == self._depth:
            kind, key, _, text = self._capture.pop()
            value = " ".join("".join(text).split())
            if kind == "error":
                self.field_errors[key] = value.removeprefix("错误：")
            elif kind == "flash":
                self.flashes.append(value)
            else:
                self.by_id[key] = value
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        self._depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        for _, _, _, text in self._capture:
            text.append(data)


def page(response) -> _Page:
    parser = _Page()
    parser.feed(response.text)
    return parser


def row_for(response, first_cell: str) -> list[str]:
    [row] = [r for r in page(response).rows if r and r[0] == first_cell]
    return row


def badges(response) -> list[tuple[str, str]]:
    """(kind, text) of every status badge on the page, e.g. ("warn", "暂定")."""
    return re.findall(r'<span class="badge badge-(\w+)">([^<]*)</span>', response.text)


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "the page has no form token"
    return match.group(1)


def login(client, username: str) -> None:
    form = client.get("/login", headers=HTML)
    assert form.status_code == 200
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/me", "csrf_token": csrf_token(form)},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/me"


@pytest.fixture
def admin_client(client, db):
    login(client, make_user(db, Role.ADMIN, username="calendar-admin"))
    return client


def post_form(client, path: str, data: dict, token_from: str = "/admin/calendar"):
    token = csrf_token(client.get(token_from, headers=HTML))
    return client.post(path, data={**data, "csrf_token": token}, headers=HTML, follow_redirects=False)


def overrides(db) -> dict[date, tuple[str, str | None]]:
    with db.unit_of_work(read_only=True) as s:
        return {r.day: (r.kind, r.name) for r in s.scalars(select(CalendarOverride))}


# --------------------------------------------------------------------------- 政务公开


def test_disclosure_shows_the_official_2026_schedule(client):
    response = client.get("/disclosure/calendar", headers=HTML)  # the current year (the clock says 2026)
    assert response.status_code == 200
    assert page(response).by_id["year-title"] == "2026 年节假日与调休安排"
    assert "官方安排" in page(response).by_id["year"]
    assert "暂定" not in page(response).by_id["year"]
    assert ("ok", "官方安排") in badges(response)
    assert ("warn", "暂定") not in badges(response)
    assert row_for(response, "2026年2月17日（星期二）") == ["2026年2月17日（星期二）", "休息", "春节"]
    assert row_for(response, "2026年2月14日（星期六）") == ["2026年2月14日（星期六）", "上班", "调休上班"]
    assert row_for(response, "2026年10月10日（星期六）") == ["2026年10月10日（星期六）", "上班", "调休上班"]
    assert row_for(response, "2026年10月1日（星期四）")[2] == "国庆节"
    assert client.get("/disclosure/calendar?year=2026", headers=HTML).text == response.text


def test_disclosure_marks_2027_as_provisional(client):
    response = client.get("/disclosure/calendar?year=2027", headers=HTML)
    assert response.status_code == 200
    year = page(response).by_id["year"]
    assert "暂定" in year
    assert "国务院办公厅尚未公布 2027 年放假安排" in year
    assert ("warn", "暂定") in badges(response)
    assert ("ok", "官方安排") not in badges(response)
    assert row_for(response, "2027年2月6日（星期六）") == ["2027年2月6日（星期六）", "休息", "春节"]
    assert not [r for r in page(response).rows if "上班" in r]


def test_disclosure_after_the_2027_schedule_is_entered(client, db):
    with db.unit_of_work() as s:
        calendar.import_year(
            s, actor=Principal(username="cli"), schedule=ScheduleIn.model_validate(SCHEDULE_2027).to_schedule()
        )
    response = client.get("/disclosure/calendar?year=2027", headers=HTML)
    year = page(response).by_id["year"]
    assert "官方安排" in year and "暂定" not in year
    assert row_for(response, "2027年1月31日（星期日）") == ["2027年1月31日（星期日）", "上班", "调休上班"]
    assert "2027 年：国办发明电〔2026〕9号" in page(response).by_id["services"]


@pytest.mark.parametrize(("year", "status"), [("3000", 422), ("abc", 422)])
def test_disclosure_with_a_bad_year_is_a_4xx_page(client, year, status):
    response = client.get(f"/disclosure/calendar?year={year}", headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "error-title" in page(response).by_id


# --------------------------------------------------------------------------- deadline calculator


def test_deadline_form_shows_the_due_date_and_its_basis(client):
    response = client.get("/disclosure/deadline?start=2026-09-30&days=20&unit=working", headers=HTML)
    assert response.status_code == 200
    shown = page(response)
    assert shown.by_id["due"] == "2026年11月3日（星期二）"
    result = shown.by_id["result"]
    assert "民法典" in result and "国庆节" in result
    assert "暂定" not in result
    assert ("warn", "暂定") not in badges(response)
    assert shown.field_errors == {}
    assert 'value="2026-09-30"' in response.text  # the form keeps what was asked


def test_deadline_form_in_calendar_days_across_the_spring_festival(client):
    response = client.get("/disclosure/deadline?start=2026-02-10&days=5&unit=calendar", headers=HTML)
    assert page(response).by_id["due"] == "2026年2月24日（星期二）"
    assert "春节" in page(response).by_id["result"]


def test_deadline_form_marks_a_2027_due_date_as_provisional(client):
    response = client.get("/disclosure/deadline?start=2026-12-22&days=10&unit=calendar", headers=HTML)
    assert response.status_code == 200
    assert page(response).by_id["due"] == "2027年1月4日（星期一）"
    assert ("warn", "暂定") in badges(response)
    assert "公布后将重新计算" in page(response).by_id["result"]


def test_deadline_form_without_parameters_just_shows_the_form(client):
    response = client.get("/disclosure/deadline", headers=HTML)
    assert response.status_code == 200
    assert "due" not in page(response).by_id
    assert "填写左侧条件后计算" in page(response).by_id["result"]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("start=2026-02-30&days=20&unit=working", {"start": "请按 YYYY-MM-DD 填写起算日"}),
        ("start=&days=20", {"start": "请按 YYYY-MM-DD 填写起算日"}),
        ("start=2026-09-30&days=-1", {"days": "期间应为0至3650之间的整数"}),
        ("start=2026-09-30&days=3651", {"days": "期间应为0至3650之间的整数"}),
        ("start=2026-09-30&days=1.5", {"days": "期间应为0至3650之间的整数"}),
        ("start=2026-09-30&days=二十", {"days": "期间应为0至3650之间的整数"}),
        ("start=soon&days=x", {"start": "请按 YYYY-MM-DD 填写起算日", "days": "期间应为0至3650之间的整数"}),
        ("start=2026-09-30&days=20&unit=hours", {"unit": "请选择“工作日”或“日（自然日）”"}),
        ("start=2099-12-25&days=10&unit=working", {"start": "2100年既无官方放假安排"}),
        ("start=9999-12-31&days=10&unit=calendar", {"start": "日期超出可计算的范围"}),
    ],
)
def test_deadline_form_with_bad_input_rerenders_with_the_error_beside_the_field(client, query, errors):
    response = client.get(f"/disclosure/deadline?{query}", headers=HTML)
    assert response.status_code == 400
    shown = page(response)
    assert set(shown.field_errors) == set(errors)
    for field, message in errors.items():
        assert message in shown.field_errors[field]
        assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', response.text), field
    assert "due" not in shown.by_id


# --------------------------------------------------------------------------- administrator's page


def test_admin_page_shows_next_year_as_provisional(admin_client):
    response = admin_client.get("/admin/calendar", headers=HTML)
    assert response.status_code == 200
    assert page(response).by_id["year-title"] == "2027 年"
    assert ("warn", "暂定（尚未录入官方安排）") in badges(response)
    assert row_for(response, "2027年2月5日（星期五）")[1:4] == ["休息", "春节", "暂定"]


def test_admin_sets_a_day_through_the_form(admin_client, db):
    with db.unit_of_work() as s:
        tracked = calendar.track(
            s, subject="application:9", purpose="答复信息公开申请", start=date(2027, 9, 25), days=10, unit="calendar"
        ).id
    response = post_form(
        admin_client,
        "/admin/calendar/day",
        {"day": "2027-10-05", "kind": "holiday", "name": "国庆节", "reason": "国办发明电〔2026〕9号"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/calendar?year=2027"

    shown = admin_client.get(response.headers["location"], headers=HTML)
    assert page(shown).flashes == ["已将 2027-10-05 设为休息日，重新计算了 1 个期限"]
    assert row_for(shown, "2027年10月5日（星期二）")[1:] == ["休息", "国庆节", "人工录入", "撤销"]
    assert page(admin_client.get("/admin/calendar?year=2027", headers=HTML)).flashes == []  # shown once

    assert overrides(db) == {date(2027, 10, 5): ("holiday", "国庆节")}
    with db.unit_of_work(read_only=True) as s:
        assert s.get(TrackedDeadline, tracked).due == date(2027, 10, 6)
        assert [e.kind for e in ledger.entries_for(s, "calendar-day:2027-10-05")] == ["calendar:day:set"]
    public = admin_client.get("/disclosure/deadline?start=2027-09-25&days=10&unit=calendar", headers=HTML)
    assert page(public).by_id["due"] == "2027年10月6日（星期三）"


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"day": "2027-02-30", "kind": "holiday"}, {"day": "请按 YYYY-MM-DD 填写日期"}),
        ({"day": "", "kind": "holiday"}, {"day": "请按 YYYY-MM-DD 填写日期"}),
        ({"day": "2027-10-05", "kind": "weekend"}, {"kind": "请选择休息日或工作日"}),
        ({"day": "2027-10-05", "kind": "holiday", "name": "节" * 51}, {"name": "名称最多 50 个字符"}),
    ],
)
def test_admin_day_form_with_bad_input_rerenders_with_the_error(admin_client, db, form, errors):
    response = post_form(admin_client, "/admin/calendar/day", form)
    assert response.status_code == 400
    shown = page(response)
    assert shown.field_errors == errors
    assert f'value="{form["day"]}"' in response.text or not form["day"]
    assert overrides(db) == {}


def test_admin_imports_a_year_through_the_textarea(admin_client, db):
    with db.unit_of_work() as s:
        tracked = calendar.track(
            s, subject="application:10", purpose="提出异议", start=date(2027, 1, 29), days=10, unit="working"
        ).id
    response = post_form(
        admin_client, "/admin/calendar/year", {"schedule": json.dumps(SCHEDULE_2027, ensure_ascii=False)}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/calendar?year=2027"

    shown = admin_client.get(response.headers["location"], headers=HTML)
    assert page(shown).flashes == ["已录入 2027 年放假安排，重新计算了 1 个期限"]
    year = page(shown).by_id["year"]
    assert "官方安排" in year and "暂定" not in year
    assert ("ok", "官方安排") in badges(shown)
    assert row_for(shown, "2027年1月31日（星期日）")[1:4] == ["上班", "调休上班", "人工录入"]
    assert row_for(shown, "2027年2月13日（星期六）")[1:4] == ["休息", "春节", "人工录入"]
    assert "已录入：2027（国办发明电〔2026〕9号）" in page(shown).by_id["import-year"]
    with db.unit_of_work(read_only=True) as s:
        row = s.get(TrackedDeadline, tracked)
        assert (row.due, row.provisional) == (date(2027, 2, 19), False)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("{not json", "放假安排格式有误：不是有效的 JSON"),
        (json.dumps({"year": 2027, "holidays": []}), "放假安排格式有误：source：缺少必填项"),
        (
            json.dumps({**SCHEDULE_2027, "holidays": [{"name": "国庆节", "from": "2027-10-07", "to": "2027-10-01"}]}),
            "结束日期不能早于开始日期",
        ),
        (
            json.dumps({**SCHEDULE_2027, "holidays": [{"name": "元旦", "from": "2028-01-01"}]}),
            "2028-01-01 不属于 2027 年",
        ),
        (
            json.dumps({**SCHEDULE_2027, "workdays": [{"name": "调休上班", "from": "2027-10-01"}]}),
            "2027-10-01 重复出现",
        ),
    ],
)
def test_admin_import_with_a_bad_schedule_rerenders_with_the_error(admin_client, db, schedule, message):
    response = post_form(admin_client, "/admin/calendar/year", {"schedule": schedule})
    assert response.status_code == 400
    shown = page(response)
    assert message in shown.field_errors["schedule"]
    assert list(shown.field_errors) == ["schedule"]
    assert re.search(r'<textarea id="f-schedule"[^>]*>' + re.escape(schedule.replace('"', "&#34;")), response.text)
    assert "暂定（尚未录入官方安排）" in shown.by_id["year"]
    assert overrides(db) == {}


def test_admin_clears_an_override(admin_client, db):
    assert (
        post_form(
            admin_client, "/admin/calendar/day", {"day": "2027-10-08", "kind": "holiday", "name": "国庆节"}
        ).status_code
        == 303
    )
    listed = admin_client.get("/admin/calendar?year=2027", headers=HTML)
    assert row_for(listed, "2027年10月8日（星期五）")[3] == "人工录入"
    assert 'action="/admin/calendar/day/2027-10-08/clear"' in listed.text

    response = post_form(admin_client, "/admin/calendar/day/2027-10-08/clear", {})
    assert response.status_code == 303
    shown = admin_client.get(response.headers["location"], headers=HTML)
    assert page(shown).flashes == ["已撤销 2027-10-08 的调整，重新计算了 0 个期限"]
    assert not [r for r in page(shown).rows if r and r[0] == "2027年10月8日（星期五）"]
    assert overrides(db) == {}

    again = post_form(admin_client, "/admin/calendar/day/2027-10-08/clear", {})
    assert again.status_code == 404
    assert "2027-10-08 没有人工调整" in again.text


def test_a_user_who_is_not_an_administrator_gets_403(client, db):
    login(client, make_user(db, Role.CENTRE_STAFF, username="clerk"))
    response = client.get("/admin/calendar", headers=HTML)
    assert response.status_code == 403
    assert "当前角色无权执行此操作" in response.text
    forbidden = post_form(client, "/admin/calendar/day", {"day": "2027-10-08", "kind": "holiday"}, token_from="/me")
    assert forbidden.status_code == 403
    assert overrides(db) == {}


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/admin/calendar", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/admin/calendar/day", {"day": "2027-10-08", "kind": "holiday"}),
        ("/admin/calendar/year", {"schedule": json.dumps(SCHEDULE_2027)}),
        ("/admin/calendar/day/2027-10-08/clear", {}),
    ],
)
def test_a_post_without_the_form_token_is_refused(admin_client, db, path, data):
    response = admin_client.post(path, data=data, headers=HTML, follow_redirects=False)
    assert response.status_code == 403
    assert "表单已失效，请刷新页面后重试" in response.text
    forged = admin_client.post(path, data={**data, "csrf_token": "0" * 64}, headers=HTML, follow_redirects=False)
    assert forged.status_code == 403
    assert overrides(db) == {}
    with db.unit_of_work(read_only=True) as s:
        assert not calendar.load(s).is_official_year(2027)


def test_admin_enters_a_year_in_the_holiday_form_or_imports_a_file(admin_client, db):
    """The holiday editor is a form (year, 文号, each holiday's first and last day, working weekends); an empty
    form is refused in Chinese; a JSON file in the command line's format is imported as it is."""
    empty = post_form(admin_client, "/admin/calendar/year", {"year": "2027", "source": "国办发明电〔2026〕9号"})
    assert empty.status_code == 400 and "请至少填写一个假期的起止日期" in page_text(empty.text)
    form = {
        "year": "2027",
        "source": "国办发明电〔2026〕9号",
        "holiday_name": ["元旦", "春节"],
        "holiday_from": ["2027-01-01", "2027-02-05"],
        "holiday_to": ["2027-01-03", "2027-02-13"],
        "workday_on": ["2027-01-31", ""],
        "workday_name": ["", ""],
    }
    entered = post_form(admin_client, "/admin/calendar/year", form)
    assert entered.status_code == 303, entered.text
    shown = admin_client.get("/admin/calendar?year=2027", headers=HTML)
    assert row_for(shown, "2027年2月13日（星期六）")[1:3] == ["休息", "春节"]
    assert row_for(shown, "2027年1月31日（星期日）")[1:3] == ["上班", "调休上班"]
    token = csrf_token(admin_client.get("/admin/calendar", headers=HTML))
    upload = {
        "file": (
            "2028.json",
            json.dumps(
                {**SCHEDULE_2027, "year": 2028, "holidays": [{"name": "元旦", "from": "2028-01-01"}], "workdays": []}
            ).encode(),
            "application/json",
        )
    }
    imported = admin_client.post(
        "/admin/calendar/year", data={"csrf_token": token}, files=upload, headers=HTML, follow_redirects=False
    )
    assert imported.status_code == 303, imported.text
    assert "2028" in imported.headers["location"]
