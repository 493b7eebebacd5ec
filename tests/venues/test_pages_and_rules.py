"""The pages and the room rules: the public schedule (`/venues`, linked from every page's footer) and the staff
page (`/staff/venues`) where the centre adds a room, books and releases it; the room rules drafted from the rooms
and the pack, sent to the disclosure office's review and published under the catalog's item ZX.FW.03."""

from __future__ import annotations

import pytest

from sunshine.identity.roles import Role
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import actor, beijing
from tests.venues.builders import add_rooms, project, publish_at, world


@pytest.fixture
def w(db, client):
    w = world(db, client)
    w["rooms"] = add_rooms(client, w["h"]["centre"])
    return w


def test_public_schedule_page_shows_rooms_and_openings(app, client, db, w):
    pid = project(db, w, "示范市滨江路道路改造工程")
    publish_at(client, w, pid, beijing(2026, 12, 28, 9, 30), beijing(2026, 11, 23, 9), beijing(2026, 11, 30, 17))
    home = client.get("/")
    assert 'href="/venues"' in home.text
    text = page_text(client.get("/venues", params={"since": "2026-12-28"}).text)
    assert "场地安排" in text and "第一开标室" in text and "示范市滨江路道路改造工程" in text
    assert "2026-12-28 09:30–11:30" in text and "隔离区（评标区）" in text
    assert "场室管理制度尚未发布" in text
    assert "opening" not in text  # labels, never codes


def test_staff_page_adds_a_room_and_books_it(app, db, w):
    with browser(app, w["centre"].username) as b:
        page = b.get("/staff/venues")
        assert page.status_code == 200 and "登记场室" in page.text
        r = b.post(
            "/staff/venues/rooms",
            data={
                "name": "第一谈判室",
                "kind": "negotiation",
                "location": "三楼东侧",
                "capacity": "10",
                "observer_seats": "0",
                "equipment": "录音录像、音视频监控",
                "csrf_token": csrf_token(page.text),
            },
        )
        assert "已登记场室“第一谈判室”" in page_text(r.text)
        rooms = {x["name"]: x["id"] for x in b.get("/api/v1/venues/rooms").json()}
        r = b.post(
            "/staff/venues/bookings",
            data={
                "room_id": str(rooms["第一谈判室"]),
                "purpose": "negotiation",
                "title": "示范市第一中学物业服务竞争性谈判",
                "starts_at": "2026-12-01T09:00",
                "ends_at": "2026-12-01T11:00",
                "csrf_token": csrf_token(r.text),
            },
        )
        assert "已预约：示范市第一中学物业服务竞争性谈判" in page_text(r.text)
        clash = b.post(
            "/staff/venues/bookings",
            data={
                "room_id": str(rooms["第一谈判室"]),
                "purpose": "negotiation",
                "title": "另一场谈判",
                "starts_at": "2026-12-01T10:00",
                "ends_at": "2026-12-01T12:00",
                "csrf_token": csrf_token(r.text),
            },
        )
        assert "已预约给“示范市第一中学物业服务竞争性谈判”" in page_text(clash.text)
    with browser(app, w["agency"].username) as b:
        assert b.get("/staff/venues").status_code == 403


def test_room_rules_go_through_review_and_are_published_under_the_catalog_item(app, client, db, w):
    load_catalog(db)
    office = actor(db, Role.DISCLOSURE_OFFICE)
    h_office = api_token(client, office.username)
    assert client.get("/api/v1/venues/rules").json()["text"] == ""  # nothing public before the review
    sent = client.post("/api/v1/venues/rules/publish", headers=w["h"]["centre"])
    assert sent.status_code == 201 and sent.json()["status"] == "review"
    again = client.post("/api/v1/venues/rules/publish", headers=w["h"]["centre"])
    assert again.status_code == 409 and "保密审查中" in again.json()["detail"]
    pub_id = sent.json()["publication_id"]
    ok = client.post(f"/api/v1/disclosure/publications/{pub_id}/approve", json={}, headers=h_office)
    assert ok.status_code == 200, ok.text
    rules = client.get("/api/v1/venues/rules").json()
    assert rules["published_id"] == pub_id
    assert "第一开标室（开标室，公开区）" in rules["text"] and "第一评标室（评标室，隔离区（评标区））" in rules["text"]
    assert "08:00–18:00" in rules["text"] and "平台默认值" in rules["text"] and "第三十四条" in rules["text"]
    listed = client.get("/api/v1/disclosure/publications", params={"item_code": "ZX.FW.03"}).json()["items"]
    assert [p["id"] for p in listed] == [pub_id]
    text = page_text(client.get("/venues").text)
    assert "交易中心场室管理制度" in text and "阅读全文" in text
    assert "场地设施与场室管理" in page_text(client.get(f"/disclosure/publications/{pub_id}").text)
