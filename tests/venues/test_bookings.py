"""Rooms and bookings through the API: the centre adds rooms, books them; a second booking of the same room
overlapping the first (or closer than the pack's gap) is refused with 409 ``venue_booked`` on both databases,
also when two bookings race; an evaluation only in an isolated evaluation room; times within opening hours."""

from __future__ import annotations

import threading

import pytest

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.venues import service
from sunshine.venues.models import Booking
from tests.trading.builders import beijing
from tests.venues.builders import add_rooms, problem, world


@pytest.fixture
def w(db, client):
    w = world(db, client)
    w["rooms"] = add_rooms(client, w["h"]["centre"])
    return w


def _book(client, w, room: str, start, end, purpose: str = "draw", title: str = "专家抽取") -> object:
    body = {
        "room_id": w["rooms"][room],
        "purpose": purpose,
        "title": title,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
    }
    return client.post("/api/v1/venues/bookings", json=body, headers=w["h"]["centre"])


def test_rooms_are_public_with_their_zone_and_equipment(client, w):
    rooms = {r["name"]: r for r in client.get("/api/v1/venues/rooms").json()}
    assert rooms["第一开标室"]["kind_label"] == "开标室" and rooms["第一开标室"]["zone_label"] == "公开区"
    assert rooms["第一开标室"]["observer_seats"] == 30 and "电子开标系统" in rooms["第一开标室"]["equipment"]
    assert rooms["第一评标室"]["isolated"] is True and rooms["第一评标室"]["zone_label"] == "隔离区（评标区）"


def test_a_double_booking_is_refused_and_the_gap_is_kept(client, w):
    first = _book(client, w, "专家抽取室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 10))
    assert first.status_code == 201, first.text
    clash = problem(
        _book(client, w, "专家抽取室", beijing(2026, 12, 1, 9, 30), beijing(2026, 12, 1, 11)), 409, "venue_booked"
    )
    assert "专家抽取室" in clash["detail"] and "已预约" in clash["detail"]
    too_close = problem(
        _book(client, w, "专家抽取室", beijing(2026, 12, 1, 10, 10), beijing(2026, 12, 1, 11)), 409, "venue_booked"
    )
    assert "30 分钟" in too_close["detail"]
    assert _book(client, w, "专家抽取室", beijing(2026, 12, 1, 10, 30), beijing(2026, 12, 1, 11)).status_code == 201
    # another room at the same time is free
    assert _book(client, w, "第一开标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 10), "other").status_code == 201
    schedule = client.get("/api/v1/venues/schedule", params={"since": "2026-12-01", "days": 1}).json()
    assert [(b["room"], b["starts_at"][11:16]) for b in schedule] == [
        ("第一开标室", "01:00"),
        ("专家抽取室", "01:00"),
        ("专家抽取室", "02:30"),
    ]


def test_released_booking_frees_the_room(client, w):
    booked = _book(client, w, "专家抽取室", beijing(2026, 12, 2, 9), beijing(2026, 12, 2, 10)).json()
    url = f"/api/v1/venues/bookings/{booked['id']}/release"
    r = client.post(url, json={"reason": "抽取改期"}, headers=w["h"]["centre"])
    assert r.status_code == 200 and r.json()["state_label"] == "已释放"
    assert _book(client, w, "专家抽取室", beijing(2026, 12, 2, 9), beijing(2026, 12, 2, 10)).status_code == 201
    public = client.get("/api/v1/venues/schedule", params={"since": "2026-12-02", "days": 1}).json()
    assert [b["state"] for b in public] == ["booked"]  # the released one is staff history only


def test_outside_opening_hours_is_refused(client, w):
    r = problem(_book(client, w, "专家抽取室", beijing(2026, 12, 1, 17), beijing(2026, 12, 1, 19)), 422, "venue_closed")
    assert "08:00–18:00" in r["detail"] and "平台默认值" in r["detail"]
    problem(_book(client, w, "专家抽取室", beijing(2026, 12, 1, 7, 30), beijing(2026, 12, 1, 9)), 422, "venue_closed")


def test_evaluation_only_in_an_isolated_room_and_evaluation_rooms_hold_nothing_else(client, w):
    r = problem(
        _book(client, w, "第一开标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 12), "evaluation", "评标"),
        422,
        "venue_not_isolated",
    )
    assert "隔离区" in r["detail"]
    problem(
        _book(client, w, "第一评标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 12), "other", "培训"),
        422,
        "venue_not_isolated",
    )
    problem(
        _book(client, w, "第一评标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 12), "opening", "开标"),
        422,
        "venue_not_isolated",
    )
    ok = _book(client, w, "第一评标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 12), "evaluation", "某项目评标")
    assert ok.status_code == 201 and ok.json()["zone_label"] == "隔离区（评标区）"


def test_an_evaluation_room_has_no_observer_seats_and_keeps_its_kind_while_booked(client, w):
    body = {"name": "第三评标室", "kind": "evaluation", "location": "四楼评标区", "capacity": 9, "observer_seats": 5}
    assert problem(client.post("/api/v1/venues/rooms", json=body, headers=w["h"]["centre"]), 422, "venue_not_isolated")
    _book(client, w, "第一评标室", beijing(2026, 12, 1, 9), beijing(2026, 12, 1, 12), "evaluation", "评标")
    change = {
        "name": "第一评标室",
        "kind": "opening",
        "location": "四楼",
        "capacity": 9,
        "observer_seats": 0,
        "equipment": "",
    }
    room = w["rooms"]["第一评标室"]
    problem(client.put(f"/api/v1/venues/rooms/{room}", json=change, headers=w["h"]["centre"]), 409, "venue_in_use")
    off = {**change, "kind": "evaluation", "active": False}
    problem(client.put(f"/api/v1/venues/rooms/{room}", json=off, headers=w["h"]["centre"]), 409, "venue_in_use")
    renamed = {**change, "kind": "evaluation", "name": "一号评标室"}
    done = client.put(f"/api/v1/venues/rooms/{room}", json=renamed, headers=w["h"]["centre"])
    assert done.json()["name"] == "一号评标室"


def test_only_the_centre_manages_rooms(client, w):
    body = {"name": "x", "kind": "draw", "location": "三楼", "capacity": 3}
    for who in ("agency", "supervisor", "bidder"):
        assert client.post("/api/v1/venues/rooms", json=body, headers=w["h"][who]).status_code == 403


@pytest.mark.parametrize(
    ("spans", "expected"),
    [(((9, 11), (10, 11)), ["booked", "refused"]), (((9, 10), (12, 13)), ["booked", "booked"])],
    ids=["overlapping", "apart"],
)
def test_two_bookings_racing_for_one_room(db, w, spans, expected):
    """Two units of work book the same room at once: the room's lock makes the second wait for the first and then
    see it, on SQLite and PostgreSQL alike — overlapping, one is refused; apart, both are kept."""
    centre = Principal(user_id=w["centre"].user_id, username="centre", roles=frozenset({Role.CENTRE_STAFF}))
    room = w["rooms"]["专家抽取室"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(span: tuple[int, int]) -> None:
        start, end = beijing(2026, 12, 3, span[0]), beijing(2026, 12, 3, span[1])
        data = service.ManualBooking(room, "draw", f"抽取{span[0]}", start, end)
        try:
            barrier.wait(timeout=10)
            with db.unit_of_work() as s:
                service.book_manual(s, centre, data)
            outcomes.append("booked")
        except service.VenueBooked:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(span,)) for span in spans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == expected
    with db.unit_of_work() as s:
        assert s.query(Booking).filter_by(room_id=room, state="booked").count() == expected.count("booked")
