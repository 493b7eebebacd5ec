"""Sessions book rooms through the lifecycle: a published notice books a free opening hall at its opening time
(the next hall when the first is taken; the notice refused with 409 ``venue_unavailable`` when all are), an
amendment moving the opening moves the booking, and the end of a project releases it. Without rooms on the
platform nothing is booked and notices go out as before."""

from __future__ import annotations

import pytest

from sunshine.ledger.models import LedgerEntry
from tests.trading.builders import beijing
from tests.trading.test_notices import amend
from tests.venues.builders import add_rooms, problem, project, publish_at, world

DOCS, SALE_END = beijing(2026, 11, 23, 9), beijing(2026, 11, 30, 17)
DEADLINE = beijing(2026, 12, 28, 9, 30)


@pytest.fixture
def w(db, client):
    w = world(db, client)
    w["rooms"] = add_rooms(client, w["h"]["centre"])
    return w


def _schedule(client, day: str = "2026-12-28", headers=None):
    return client.get("/api/v1/venues/schedule", params={"since": day, "days": 1}, headers=headers or {}).json()


def test_notice_books_the_opening_hall_and_the_next_notice_takes_the_other(client, db, w):
    first = project(db, w, "示范市滨江路道路改造工程")
    assert publish_at(client, w, first, DEADLINE, DOCS, SALE_END).status_code == 201
    rows = _schedule(client)
    assert [(b["room"], b["purpose_label"], b["starts_at"][11:16], b["ends_at"][11:16]) for b in rows] == [
        ("第一开标室", "开标", "01:30", "03:30")
    ]
    assert "示范市滨江路道路改造工程" in rows[0]["title"] and rows[0]["project_code"]
    second = project(db, w, "示范市闽江北岸绿化工程")
    assert publish_at(client, w, second, DEADLINE, DOCS, SALE_END).status_code == 201
    assert sorted(b["room"] for b in _schedule(client)) == ["第一开标室", "第二开标室"]
    third = project(db, w, "示范市乌山路人行道改造工程")
    refused = problem(publish_at(client, w, third, DEADLINE, DOCS, SALE_END), 409, "venue_unavailable")
    assert "开标室均已预约" in refused["detail"] and "第三十四条" in refused["detail"]
    page = client.get(f"/api/v1/projects/{third}", headers=w["h"]["agency"]).json()
    assert page["state"] == "accepted"  # nothing of the refused notice was kept
    # an hour later the gap is kept and the first hall is free again
    later = beijing(2026, 12, 28, 12, 0)
    assert publish_at(client, w, third, later, DOCS, SALE_END).status_code == 201
    assert sorted(b["room"] for b in _schedule(client)) == ["第一开标室", "第一开标室", "第二开标室"]
    with db.unit_of_work() as s:
        assert s.query(LedgerEntry).filter(LedgerEntry.kind == "venues:booking:booked").count() == 3


def test_moved_opening_moves_the_booking_and_the_end_releases_it(client, db, w):
    pid = project(db, w, "示范市滨江路道路改造工程")
    notice = publish_at(client, w, pid, DEADLINE, DOCS, SALE_END).json()
    moved = amend(
        client,
        w["h"]["agency"],
        pid,
        notice["id"],
        kind="amendment",
        affects_bids="true",
        new_bid_deadline=beijing(2026, 12, 29, 9, 30),
    )
    assert moved.status_code == 201, moved.text
    assert _schedule(client) == []
    assert [(b["room"], b["starts_at"][:16]) for b in _schedule(client, "2026-12-29")] == [
        ("第一开标室", "2026-12-29T01:30")
    ]
    staff = _schedule(client, "2026-12-28", w["h"]["centre"])
    assert [b["state_label"] for b in staff] == ["已释放"]
    r = client.post(f"/api/v1/projects/{pid}/terminate", json={"reason": "项目资金未落实"}, headers=w["h"]["agency"])
    assert r.status_code == 200, r.text
    assert _schedule(client, "2026-12-29") == []
    held = client.get(f"/api/v1/venues/projects/{pid}/bookings", headers=w["h"]["centre"]).json()
    assert [b["state"] for b in held] == ["released", "released"]


def test_an_opening_after_hours_is_refused(client, db, w):
    pid = project(db, w, "示范市滨江路道路改造工程")
    r = problem(publish_at(client, w, pid, beijing(2026, 12, 28, 17, 0), DOCS, SALE_END), 422, "venue_closed")
    assert "08:00–18:00" in r["detail"]


def test_without_rooms_on_the_platform_notices_go_out_as_before(db, client):
    w = world(db, client)
    pid = project(db, w, "示范市滨江路道路改造工程")
    assert publish_at(client, w, pid, beijing(2026, 12, 28, 17, 0), DOCS, SALE_END).status_code == 201
    assert _schedule(client) == []


def test_a_resumption_that_moves_the_opening_moves_its_booking(client, db, w, clock):
    from datetime import timedelta

    from tests.builders import api_token

    pid = project(db, w, "示范市滨江路道路改造工程")
    publish_at(client, w, pid, DEADLINE, DOCS, SALE_END)
    centre = w["h"]["centre"]
    suspended = client.post(f"/api/v1/projects/{pid}/suspend", json={"reason": "投诉处理"}, headers=centre)
    assert suspended.status_code == 200
    clock.set(clock.now() + timedelta(days=3))
    centre = api_token(client, w["centre"].username)  # a token lasts a day
    resumed = client.post(f"/api/v1/projects/{pid}/resume", json={"reason": "投诉处理完毕"}, headers=centre)
    assert resumed.status_code == 200, resumed.text
    opening = resumed.json()["opening_at"]
    assert opening[:10] > "2026-12-28"
    held = [b for b in client.get(f"/api/v1/venues/projects/{pid}/bookings", headers=centre).json()]
    assert [(b["state"], b["starts_at"][:10]) for b in held] == [("released", "2026-12-28"), ("booked", opening[:10])]
