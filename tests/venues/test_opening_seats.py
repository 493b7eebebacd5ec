"""The opening hall keeps up with registrations: the hall is booked with the first notice, before anyone has
registered; registrations past its seats move the booking to a free hall big enough at the same time, and where
none is free the booking stays, the centre gets one alert naming the numbers, shown on the staff venues page.
The registrations themselves are always accepted. Through the API, both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Section
from tests.builders import api_token
from tests.pages import browser, page_text
from tests.trading.builders import beijing
from tests.venues.builders import add_rooms, project, publish_at, world

DOCS, SALE_END = beijing(2026, 11, 23, 9), beijing(2026, 11, 30, 17)
DEADLINE = beijing(2026, 12, 28, 9, 30)


def _halls(small: int) -> tuple:
    return (
        ("第一开标室", "opening", "交易大厅二楼东侧", small, 10, "电子开标系统"),
        ("第二开标室", "opening", "交易大厅二楼西侧", 40, 20, "电子开标系统、音视频监控"),
    )


@pytest.fixture
def w(db, client):
    return world(db, client)


def _published(client, db, w, name: str) -> tuple[int, int]:
    pid = project(db, w, name)
    assert publish_at(client, w, pid, DEADLINE, DOCS, SALE_END).status_code == 201
    with db.unit_of_work() as s:
        return pid, s.scalar(select(Section.id).where(Section.project_id == pid).order_by(Section.number))


def _register(client, w, pid: int, sid: int, n: int):
    token = api_token(client, w["bidders"][n].username)
    r = client.post(
        f"/api/v1/projects/{pid}/sections/{sid}/registrations",
        json={"contact_name": "王经理", "contact_phone": "13800138000"},
        headers=token,
    )
    assert r.status_code == 201, r.text  # never refused for a room


def _hall_of(client, code: str) -> list[str]:
    rows = client.get("/api/v1/venues/schedule", params={"since": "2026-12-28", "days": 1}).json()
    return [b["room"] for b in rows if b["project_code"] == code]


def _code(client, w, pid: int) -> str:
    return client.get(f"/api/v1/projects/{pid}", headers=w["h"]["agency"]).json()["code"]


def test_registrations_past_the_small_hall_move_the_opening_to_the_larger_hall(client, db, w):
    add_rooms(client, w["h"]["centre"], rows=_halls(2))
    pid, sid = _published(client, db, w, "示范市滨江路道路改造工程")
    code = _code(client, w, pid)
    assert _hall_of(client, code) == ["第一开标室"], "booked with the notice, nobody registered"
    _register(client, w, pid, sid, 0)
    _register(client, w, pid, sid, 1)
    assert _hall_of(client, code) == ["第一开标室"], "two representatives still fit two seats"
    _register(client, w, pid, sid, 2)
    assert _hall_of(client, code) == ["第二开标室"]
    with db.unit_of_work() as s:
        entries = [
            (e.kind, json.loads(e.payload))
            for e in s.scalars(
                select(LedgerEntry).where(LedgerEntry.kind.like("venues:booking:%")).order_by(LedgerEntry.seq)
            )
        ]
    assert [k for k, _ in entries] == ["venues:booking:booked", "venues:booking:released", "venues:booking:booked"]
    released, booked = entries[1][1], entries[2][1]
    released, booked = released.get("payload", released), booked.get("payload", booked)
    assert released["reason"] == "开标场室座位不足，改订座位更多的开标室" and "3" not in released["reason"]
    assert booked["room"] == "第二开标室" and booked["subject"] == f"project:{code}:opening"
    alerts = client.get("/api/v1/alerts", headers=w["h"]["centre"]).json()
    assert not [a for a in alerts if a["kind"] == "opening_hall_too_small"], "moved: nothing to alert"


def test_with_no_larger_hall_free_the_booking_stays_and_the_centre_is_alerted_once(app, client, db, w):
    add_rooms(client, w["h"]["centre"], rows=_halls(1))
    crowded, sid = _published(client, db, w, "示范市滨江路道路改造工程")  # takes 第一开标室 (1 seat)
    other, _ = _published(client, db, w, "示范市闽江北岸绿化工程")  # takes 第二开标室 at the same time
    code = _code(client, w, crowded)
    assert _hall_of(client, code) == ["第一开标室"] and _hall_of(client, _code(client, w, other)) == ["第二开标室"]
    for n in range(3):
        _register(client, w, crowded, sid, n)
    assert _hall_of(client, code) == ["第一开标室"], "the booking is kept"
    raised = [a for a in client.get("/api/v1/alerts", headers=w["h"]["centre"]).json() if a["domain"] == "venues"]
    assert len(raised) == 1, "once per fact, not once per registration"
    message = raised[0]["message"]
    assert "已报名投标人 2 家，每家代表 1 人，预计到场 2 人，超出第一开标室的座位 1 个" in message
    assert "示范市滨江路道路改造工程" in message and "2026-12-28 09:30" in message
    bidder_alerts = client.get("/api/v1/alerts", headers=api_token(client, w["bidders"][0].username)).json()
    assert not [a for a in bidder_alerts if a["domain"] == "venues"], "the count stays with the centre"
    with browser(app, w["centre"].username) as b:
        text = page_text(b.get("/staff/venues", params={"since": "2026-12-28"}).text)
    assert "开标室座位不足" in text and "超出第一开标室的座位 1 个" in text
