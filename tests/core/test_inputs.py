"""Inputs declared once (``core/inputs.py``): every route's integers are bounded, its dates are ISO text, and no
text input holds control characters — checked on every route of the application, and by what a caller sees
(huge and negative ids, numeric dates, NUL in JSON, query, path and page forms)."""

from __future__ import annotations

import datetime
import inspect
import types
import typing
from urllib.parse import quote

import annotated_types
from fastapi.routing import iter_route_contexts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sunshine.core import inputs
from sunshine.identity.roles import Role
from tests.builders import api_token, make_user
from tests.pages import browser, csrf_token, page_text

HUGE = 2**63
LIMIT = inputs.MAX_STORED_INT
CALENDAR = "/api/v1/calendar"


def _problem(response, status: int, code: str, *fragments: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    for fragment in fragments:
        assert fragment in body["detail"], body
    return body


# --------------------------------------------------------------------------------------------------
# Every route: a walk over the application, so that a new route cannot forget a bound or a date type
# --------------------------------------------------------------------------------------------------


def _leaves(annotation, metadata=()):
    """(type, metadata) of every scalar inside an annotation: through Annotated and unions, into lists."""
    if typing.get_origin(annotation) is typing.Annotated:
        base, *more = typing.get_args(annotation)
        expanded = [m for item in more for m in ([item, *item.metadata] if isinstance(item, FieldInfo) else [item])]
        yield from _leaves(base, (*metadata, *expanded))
        return
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg, metadata)
    elif origin in (list, set, frozenset, tuple):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg, ())
    else:
        yield annotation, metadata


def _bounded(metadata) -> bool:
    low = high = None
    for m in metadata:
        if isinstance(m, inputs.Between):
            low, high = m.low, m.high
        for name in ("ge", "gt"):
            if getattr(m, name, None) is not None:
                low = getattr(m, name)
        for name in ("le", "lt"):
            if getattr(m, name, None) is not None:
                high = getattr(m, name)
    return low is not None and high is not None and low >= -(2**31) and high <= LIMIT


def _problems_of(where: str, name: str, annotation, metadata, seen: set) -> list[str]:
    out = []
    for kind, meta in _leaves(annotation, metadata):
        if kind is int and not _bounded(meta):
            out.append(f"{where} {name}: integer without bounds (use core.inputs.Id, Year or Between)")
        elif kind is datetime.datetime and inputs.ISO_DATETIME not in meta:
            out.append(f"{where} {name}: datetime that would read a number (use core.inputs.IsoDateTime)")
        elif kind is datetime.date and inputs.ISO_DATE not in meta:
            out.append(f"{where} {name}: date that would read a number (use core.inputs.IsoDate)")
        elif inspect.isclass(kind) and issubclass(kind, BaseModel) and kind not in seen:
            seen.add(kind)
            for field_name, field in kind.model_fields.items():
                out += _problems_of(f"{where} {kind.__name__}", field_name, field.annotation, field.metadata, seen)
    return out


def _route_inputs(app):
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            continue
        stack, fields = [dependant], []
        while stack:
            d = stack.pop()
            fields += [("path", f) for f in d.path_params] + [("query", f) for f in d.query_params]
            fields += [("body", f) for f in d.body_params]
            stack += d.dependencies
        for where, field in fields:
            yield f"{sorted(route.methods)} {route.path} {where}", field


def test_every_integer_is_bounded_and_every_date_is_iso_text_on_every_route(app):
    problems, seen, checked = [], set(), 0
    for where, field in _route_inputs(app):
        checked += 1
        info = field.field_info
        problems += _problems_of(where, field.alias, info.annotation, tuple(info.metadata), seen)
    assert checked > 150, "the walk reaches the application's routes"
    assert not problems, "\n".join(problems)


def test_the_walk_finds_an_unbounded_integer_and_a_plain_date():
    class Sloppy(BaseModel):
        day: datetime.date
        ids: list[int]
        fine: inputs.IsoDate | None = None

    found = _problems_of("body", "x", Sloppy, (), set())
    assert len(found) == 2 and "day" in found[0] and "ids" in found[1]
    assert not _problems_of("path", "id", inputs.Id, (), set())
    assert _problems_of("query", "n", int, (annotated_types.Ge(0),), set())


# --------------------------------------------------------------------------------------------------
# Integers
# --------------------------------------------------------------------------------------------------


def test_ids_beyond_what_is_stored_name_nothing_in_a_path(db, client):
    make_user(db, Role.AGENCY, username="agency1")
    headers = api_token(client, "agency1")
    negative = "-2004313954466429820953666623897600"
    for method, path in (
        ("GET", f"/api/v1/notices/{HUGE}"),
        ("GET", f"/api/v1/projects/{HUGE}"),
        ("GET", f"/api/v1/projects/{2**31}"),
        ("GET", "/api/v1/projects/0"),
        ("POST", f"/api/v1/projects/{negative}/terminate"),
    ):
        _problem(client.request(method, path, headers=headers, json={"reason": "测试"}), 404, "not_found", "找不到")
    _problem(client.get(f"/api/v1/projects/{LIMIT}", headers=headers), 404, "not_found")  # simply absent
    page = client.get(f"/projects/{HUGE}", headers={"accept": "text/html"})
    assert page.status_code == 404 and "找不到" in page_text(page.text)
    assert client.get(f"/projects/-{HUGE}/", headers={"accept": "text/html"}).status_code == 404


def test_numbers_out_of_range_elsewhere_are_invalid_input(db, client):
    make_user(db, Role.BIDDER, username="bidder1")
    headers = api_token(client, "bidder1")
    body = _problem(client.get(f"/api/v1/bids/mine?project_id={HUGE}", headers=headers), 422, "invalid_input")
    assert body["errors"][0]["field"] == "project_id" and "编号应在 1 至 2147483647 之间" in body["detail"]
    _problem(client.get(f"/api/v1/projects?limit={HUGE}"), 422, "invalid_input", "limit：不得大于 100")
    _problem(client.get(f"{CALENDAR}/years/{HUGE}"), 422, "invalid_input", "年份应在1900至2099之间")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers() | st.sampled_from([0, -1, LIMIT, LIMIT + 1, HUGE, -HUGE, 10**40]))
def test_any_integer_id_answers_found_or_not_found(client, number):
    assert client.get(f"/api/v1/projects/{number}").status_code in (200, 404)
    assert client.get(f"/api/v1/ledger/entries/{number}").status_code in (200, 404)


SUPERSCRIPT = "²"  # str.isdigit admits it, int() refuses it


def test_numbers_typed_into_page_forms_are_checked_before_they_reach_the_database(db, app):
    """Form fields read as text and turned into numbers by the page (a select's id, a count): a huge number or a
    digit int() cannot read is the form's own Chinese refusal, never a 500."""
    make_user(db, Role.AGENCY, username="agency1")
    make_user(db, Role.CENTRE_STAFF, username="centre1")
    make_user(db, Role.COMMITTEE_OFFICE, username="office1")
    visits = {
        "agency1": [("/projects/1/tender-documents", {"template_id": "{n}"}, "/projects/1/tender-documents", None)],
        "centre1": [
            ("/staff/venues/bookings", {"room_id": "{n}", "purpose": "opening"}, "/staff/venues", "请选择场室"),
            (
                "/staff/incidents",
                {
                    "kind": "system",
                    "description": "交易系统故障",
                    "started_at": "2026-12-03T09:00",
                    "project_ids": "{n}",
                },
                "/staff/incidents",
                "请从列表中选择受影响的项目",
            ),
            (
                "/evaluation/start",
                {"section_id": "1", "representatives": "{n}"},
                "/evaluation/sessions",
                "代表的用户编号应为数字",
            ),
        ],
        "office1": [("/staff/experts/1/evaluations", {"period": "2026", "score": "{n}"}, "/staff/experts/1", None)],
    }
    for username, posts in visits.items():
        with browser(app, username) as visitor:
            token = csrf_token(visitor.get("/").text)
            for path, form, back, message in posts:
                for number in (str(HUGE), SUPERSCRIPT, f"-{HUGE}"):
                    data = {k: v.replace("{n}", number) for k, v in form.items()} | {"csrf_token": token}
                    answer = visitor.post(path, data=data, follow_redirects=False)
                    assert answer.status_code in (303, 404, 422), (path, number, answer.status_code)
                    if answer.status_code == 303:
                        assert answer.headers["location"].startswith(back), (path, answer.headers["location"])
                    if message:
                        assert message in page_text(visitor.get(back).text), (path, number)


def test_whole_numbers_in_form_text():
    assert inputs.whole_number(" 12 ", 0, 2000) == 12 and inputs.whole_number("-3", -5, 5) == -3
    for text in ("", "²", "1²", "١٢", "+1", "1.0", "2001", str(HUGE), "9" * 5000, None):
        assert inputs.whole_number(text, 0, 2000) is None, text
    assert inputs.stored_id(f"-{HUGE}") is None and inputs.stored_id(SUPERSCRIPT) is None


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


def test_a_number_is_never_read_as_a_date(db, client):
    make_user(db, Role.ADMIN, username="admin1")
    admin = api_token(client, "admin1")
    for day in ("0", "1700000000", "2027-1-5", "20271005"):
        _problem(client.put(f"{CALENDAR}/days/{day}", json={"kind": "holiday"}, headers=admin), 422, "invalid_input")
    body = _problem(client.get(f"{CALENDAR}/deadline?start=0&days=3"), 422, "invalid_input")
    assert body["errors"][0]["type"] == "date_format" and "应为日期，格式 YYYY-MM-DD" in body["detail"]
    schedule = {"year": 2027, "source": "国办发明电〔2026〕5号", "holidays": [{"name": "元旦", "from": 1798761600}]}
    body = _problem(client.post(f"{CALENDAR}/years", json=schedule, headers=admin), 422, "invalid_input")
    assert body["errors"][0]["field"] == "holidays.0.from"
    assert client.get(f"{CALENDAR}/years/2027").json()["official"] is False
    ok = client.put(f"{CALENDAR}/days/2027-10-09", json={"kind": "holiday", "name": "国庆"}, headers=admin)
    assert ok.status_code == 200 and ok.json()["day"] == "2027-10-09"
    manual = {d["date"]: d["source"] for d in client.get(f"{CALENDAR}/years/2027").json()["days"]}["2027-10-09"]
    assert manual not in {d["source"] for d in client.get(f"{CALENDAR}/years/1970").json()["days"]}, "0 set nothing"


# --------------------------------------------------------------------------------------------------
# Control characters
# --------------------------------------------------------------------------------------------------


def test_control_characters_are_refused_in_json_query_and_path(db, client):
    make_user(db, Role.ADMIN, username="admin1")
    admin = api_token(client, "admin1")
    day = f"{CALENDAR}/days/2027-10-09"
    body = _problem(
        client.put(day, json={"kind": "holiday", "name": "国\x00庆"}, headers=admin), 422, "control_characters"
    )
    assert body["errors"] == [
        {"in": "body", "field": "name", "type": "control_characters", "message": inputs.CONTROL_MESSAGE}
    ]
    _problem(client.put(day, json={"kind": "holiday", "reason": "\x1b[31m"}, headers=admin), 422, "control_characters")
    surrogate = b'{"kind": "holiday", "name": "\\ud800"}'
    json_headers = {**admin, "content-type": "application/json"}
    _problem(client.put(day, content=surrogate, headers=json_headers), 422, "control_characters")
    assert all(d["date"] != "2027-10-09" for d in client.get(f"{CALENDAR}/years/2027").json()["days"]), "nothing kept"
    multi_line = client.put(day, json={"kind": "holiday", "reason": "第一行\r\n第二行\t备注"}, headers=admin)
    assert multi_line.status_code == 200, multi_line.text
    _problem(client.get("/api/v1/notices?q=%00"), 422, "control_characters", "q：")
    _problem(client.get("/api/v1/notices?q=%E6%B5%8B%07"), 422, "control_characters")
    _problem(client.get(f"/api/v1/rules/{quote(chr(0))}"), 422, "control_characters")
    assert client.get("/api/v1/notices?q=%E6%B5%8B%E8%AF%95").status_code == 200


def test_control_characters_in_a_page_form_are_told_on_the_page(db, app):
    make_user(db, Role.ADMIN, username="admin1")
    with browser(app, "admin1") as visitor:
        page = visitor.get("/admin/calendar?year=2027")
        form = {"day": "2027-10-09", "kind": "holiday", "name": "国庆\x00", "csrf_token": csrf_token(page.text)}
        refused = visitor.post("/admin/calendar/day", data=form, follow_redirects=False)
        assert refused.status_code == 422
        assert "名称：不得包含控制字符（如 NUL）或无效字符" in page_text(refused.text)  # the field named in Chinese
        assert "2027-10-09" not in page_text(visitor.get("/admin/calendar?year=2027").text)
    with browser(app) as anonymous:
        page = anonymous.get("/login")
        form = {"username": "admin1\x00", "password": "x", "csrf_token": csrf_token(page.text)}
        refused = anonymous.post("/login", data=form, follow_redirects=False)
        assert refused.status_code == 422 and "不得包含控制字符" in page_text(refused.text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=12))
def test_any_search_text_is_searched_or_refused_for_its_control_characters(client, text):
    response = client.get("/api/v1/notices", params={"q": text})
    if inputs.has_control_characters(text):
        _problem(response, 422, "control_characters")
    else:
        assert response.status_code in (200, 422), response.text
        assert response.status_code == 200 or response.json()["code"] == "invalid_input"


def test_the_control_character_rule():
    assert not inputs.has_control_characters("招标公告\t第一行\r\n第二行 ©")
    for bad in ("\x00", "a\x08", "\x0b", "\x1f", "\x7f", "\ud800"):
        assert inputs.has_control_characters(bad), repr(bad)
    assert inputs.stored_id("42") == 42 and inputs.stored_id(str(HUGE)) is None and inputs.stored_id("0") is None
    assert inputs.stored_id("") is None and inputs.stored_id("١٢") is None
