"""A room seats its session (场室容量): a booking expecting more people than the room's seats (or observers than
its observer seats) is refused with 409 ``venue_too_small`` naming both numbers — a booking by the centre, an
evaluation whose committee and attendants outgrow the evaluation room, an opening hall too small for the
registered bidders' representatives. Through the API, both databases."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import api_token
from tests.committees.builders import procurement, request_body
from tests.trading.builders import beijing
from tests.venues.builders import add_rooms, problem, world


def test_a_booking_for_more_people_than_seats_is_refused_naming_the_numbers(db, client):
    w = world(db, client)
    rooms = add_rooms(client, w["h"]["centre"])
    body = {
        "room_id": rooms["专家抽取室"],
        "purpose": "draw",
        "title": "专家抽取",
        "starts_at": beijing(2026, 12, 1, 9).isoformat(),
        "ends_at": beijing(2026, 12, 1, 10).isoformat(),
    }
    refused = problem(
        client.post("/api/v1/venues/bookings", json={**body, "attendance": 9}, headers=w["h"]["centre"]),
        409,
        "venue_too_small",
    )
    assert "专家抽取室有座位 8 个，本场次预计到场 9 人" in refused["detail"]
    assert refused["capacity"] == 8 and refused["attendance"] == 9
    crowd = problem(
        client.post(
            "/api/v1/venues/bookings", json={**body, "attendance": 8, "observers": 5}, headers=w["h"]["centre"]
        ),
        409,
        "venue_too_small",
    )
    assert "旁听席 4 个，本场次预计旁听 5 人" in crowd["detail"]
    assert client.get("/api/v1/venues/schedule", params={"since": "2026-12-01", "days": 1}).json() == [], "nothing kept"
    ok = client.post(
        "/api/v1/venues/bookings", json={**body, "attendance": 8, "observers": 4}, headers=w["h"]["centre"]
    )
    assert ok.status_code == 201, ok.text


def test_an_evaluation_room_must_seat_the_committee_and_its_attendants(db, client, clock):
    w = procurement(db)
    h = {name: api_token(client, getattr(w, name).username) for name in ("agency", "supervisor", "centre")}
    add_rooms(client, h["centre"])
    url = f"/api/v1/committees/projects/{w.project_id}/requests"
    big = {"specialties": [{"code": c["code"], "count": 4} for c in request_body(w)["specialties"]]}
    refused = problem(
        client.post(url, json=request_body(w, place="第一评标室", **big), headers=h["agency"]), 409, "venue_too_small"
    )
    assert "第一评标室有座位 9 个，本场次预计到场 11 人（评标委员会 9 人，监督与见证人员 2 人）" in refused["detail"]
    ok = client.post(url, json=request_body(w, place="第二评标室", **big), headers=h["agency"])
    assert ok.status_code == 201, ok.text
    approved = client.post(f"/api/v1/committees/requests/{ok.json()['id']}/approve", headers=h["supervisor"])
    assert approved.status_code == 200, approved.text


def test_an_opening_hall_too_small_for_the_registered_bidders_is_refused(db, client, clock):
    from sunshine.trading import registrations
    from tests.trading.test_notices import amend

    w = procurement(db, register_bidders=False)
    h = {name: api_token(client, getattr(w, name).username) for name in ("agency", "centre")}
    add_rooms(client, h["centre"], rows=(("小开标室", "opening", "二楼", 2, 0, "电子开标系统"),))
    with db.unit_of_work() as s:  # the notice went out before the hall existed: book it now, nobody registered
        from sunshine.trading.models import Project
        from sunshine.venues import service

        assert service.book_opening(s, s.get(Project, w.project_id), w.deadline) is not None
    for person in w.bidders:
        with db.unit_of_work() as s:
            registrations.register_bidder(s, person, w.project_id, w.section_id, "王经理", "13800138000")
    with db.unit_of_work() as s:
        from sqlalchemy import select

        from sunshine.trading.models import Notice

        notice_id = s.scalar(select(Notice.id).where(Notice.project_id == w.project_id))
    moved = amend(
        client,
        h["agency"],
        w.project_id,
        notice_id,
        kind="opening_change",
        new_opening_at=w.deadline + timedelta(days=1),
    )
    body = problem(moved, 409, "venue_too_small")
    assert (
        f"小开标室有座位 2 个，本场次预计到场 {len(w.bidders)} 人（已报名投标人 {len(w.bidders)} 家" in body["detail"]
    )
