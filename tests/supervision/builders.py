"""Builders for the social-supervision tests: the people (centre, supervisory department, disclosure office,
政务办, candidates), rooms through the venues API, and sessions booked in them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sunshine.identity.roles import Role
from sunshine.venues import service as venues
from tests.builders import api_token, make_user
from tests.venues.builders import add_rooms

ROOMS = (
    ("第一开标室", "opening", "交易大厅二楼东侧", 60, 1, "电子开标系统、音视频监控"),
    ("专家抽取室", "draw", "三楼", 8, 4, "语音通知系统、音视频监控"),
)


def people(db, client, candidates: int = 2) -> dict:
    w = {
        "centre": make_user(db, Role.CENTRE_STAFF),
        "supervisor": make_user(db, Role.SUPERVISOR),
        "disclosure": make_user(db, Role.DISCLOSURE_OFFICE),
        "office": make_user(db, Role.GOVERNMENT_AFFAIRS),
    }
    for i in range(candidates):
        w[f"c{i}"] = make_user(db, Role.BIDDER)  # an ordinary account that becomes a supervisor
    w["h"] = {k: api_token(client, v) for k, v in w.items()}
    w["rooms"] = add_rooms(client, w["h"]["centre"], ROOMS)
    return w


def book(db, room_id: int, starts_at: datetime, title: str, purpose: str = "opening", project_id=None) -> int:
    from sunshine.core.auth import Principal

    with db.unit_of_work() as s:
        centre = Principal(user_id=None, roles=frozenset({Role.CENTRE_STAFF}))
        row = venues.book_manual(
            s,
            centre,
            venues.ManualBooking(
                room_id=room_id,
                purpose=purpose,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                project_id=project_id,
            ),
        )
        return row.id


def refresh(w: dict, client) -> dict:
    """New API tokens after the clock moved past their day."""
    w["h"] = {k: api_token(client, v) for k, v in w.items() if isinstance(v, str)}
    return w["h"]
