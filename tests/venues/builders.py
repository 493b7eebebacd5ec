"""Builders for venue tests: the centre's rooms added through the API (two opening halls, two isolated
evaluation rooms, a draw room), a tender world with its tokens, notices published through the API."""

from __future__ import annotations

from datetime import datetime

from tests.builders import api_token
from tests.trading.builders import accepted_project, tender_world
from tests.trading.test_notices import publish

ROOMS = (
    ("第一开标室", "opening", "交易大厅二楼东侧", 60, 30, "电子开标系统、音视频监控、叫号屏"),
    ("第二开标室", "opening", "交易大厅二楼西侧", 40, 20, "电子开标系统、音视频监控"),
    ("第一评标室", "evaluation", "四楼评标区（门禁隔离）", 9, 0, "评标终端、音视频监控、手机屏蔽柜"),
    ("第二评标室", "evaluation", "四楼评标区（门禁隔离）", 13, 0, "评标终端、音视频监控、手机屏蔽柜"),
    ("专家抽取室", "draw", "三楼", 8, 4, "语音通知系统、音视频监控"),
)


def room_body(name: str, kind: str, location: str, capacity: int, observers: int, equipment: str) -> dict:
    return {
        "name": name,
        "kind": kind,
        "location": location,
        "capacity": capacity,
        "observer_seats": observers,
        "equipment": equipment,
    }


def add_rooms(client, headers, rows=ROOMS) -> dict[str, int]:
    ids = {}
    for row in rows:
        r = client.post("/api/v1/venues/rooms", json=room_body(*row), headers=headers)
        assert r.status_code == 201, r.text
        ids[row[0]] = r.json()["id"]
    return ids


def world(db, client) -> dict:
    w = tender_world(db)
    w["h"] = {name: api_token(client, w[name].username) for name in ("agency", "centre", "supervisor", "tenderer")}
    w["h"]["bidder"] = api_token(client, w["bidders"][0].username)
    return w


def publish_at(client, w, project_id: int, deadline: datetime, docs: datetime, sale_end: datetime):
    return publish(
        client, w["h"]["agency"], project_id, docs_issued_at=docs, docs_sale_end=sale_end, bid_deadline=deadline
    )


def project(db, w, name: str) -> int:
    return accepted_project(db, w, name=name)


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    return body
