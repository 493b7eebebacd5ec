"""The evaluation's room: a draw request meeting in the centre names one of its evaluation rooms (isolated from
bidders; an opening hall is refused), free at its time; the supervisor's approval books it, a withdrawal
releases it; the public schedule shows the room, time and project, nothing of the committee."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import api_token
from tests.committees.builders import procurement, request_body
from tests.venues.builders import add_rooms, problem


@pytest.fixture
def w(db, client):
    w = procurement(db)
    w.h = {name: api_token(client, getattr(w, name).username) for name in ("agency", "supervisor", "centre")}
    w.rooms = add_rooms(client, w.h["centre"])
    return w


def _submit(client, w, **overrides):
    return client.post(
        f"/api/v1/committees/projects/{w.project_id}/requests",
        json=request_body(w, **overrides),
        headers=w.h["agency"],
    )


def _day(client, w, headers=None):
    day = w.deadline.date().isoformat()
    return client.get("/api/v1/venues/schedule", params={"since": day, "days": 1}, headers=headers or {}).json()


def test_the_request_must_name_an_isolated_evaluation_room(client, w):
    r = problem(_submit(client, w, place="第一开标室"), 422, "venue_not_isolated")
    assert r["field"] == "place" and "隔离区" in r["detail"]
    r = problem(_submit(client, w, place="第九评标室"), 422, "venue_wrong_kind")
    assert "第一评标室" in r["detail"] and "第二评标室" in r["detail"]
    # a remote evaluation names the host centre, not a room here
    assert _submit(client, w, place_kind="remote", place="省公共资源交易中心").status_code == 201


def test_approval_books_the_room_and_the_schedule_keeps_the_committee_out(client, w):
    rid = _submit(client, w, place="第一评标室").json()["id"]
    assert _day(client, w) == []  # not before the approval
    assert client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"]).status_code == 200
    rows = _day(client, w)
    assert [(b["room"], b["purpose_label"], b["zone_label"]) for b in rows] == [
        ("第一评标室", "评标（评审）", "隔离区（评标区）")
    ]
    assert set(rows[0]) == {
        "id",
        "room_id",
        "room",
        "room_kind_label",
        "zone_label",
        "purpose",
        "purpose_label",
        "title",
        "project_code",
        "starts_at",
        "ends_at",
        "state",
        "state_label",
    }
    assert "专家" not in rows[0]["title"] and "委员会" not in rows[0]["title"]


def test_a_taken_room_is_refused_at_the_request(client, db, w):
    rid = _submit(client, w, place="第一评标室").json()["id"]
    client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"])
    body = {
        "room_id": w.rooms["第一评标室"],
        "purpose": "evaluation",
        "title": "另一项目评标",
        "starts_at": (w.deadline + timedelta(hours=3)).isoformat(),
        "ends_at": (w.deadline + timedelta(hours=5)).isoformat(),
    }
    problem(client.post("/api/v1/venues/bookings", json=body, headers=w.h["centre"]), 409, "venue_booked")
    body["room_id"] = w.rooms["第二评标室"]
    assert client.post("/api/v1/venues/bookings", json=body, headers=w.h["centre"]).status_code == 201


def test_withdrawal_releases_the_room(client, w):
    rid = _submit(client, w, place="第二评标室").json()["id"]
    client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"])
    assert client.post(f"/api/v1/committees/requests/{rid}/cancel", headers=w.h["agency"]).status_code == 200
    assert _day(client, w) == []
    again = _submit(client, w, place="第二评标室")
    assert again.status_code == 201, again.text


def test_the_opening_and_the_evaluation_never_share_a_room(client, db, w):
    """The project's opening (booked with its notice in an opening hall, public zone) and its evaluation (an
    evaluation room, isolated zone) are in different rooms and zones by rule, whatever the times."""
    from sunshine.trading.models import Notice
    from tests.trading.test_notices import amend

    with db.unit_of_work() as s:
        notice_id = s.query(Notice.id).filter_by(project_id=w.project_id).scalar()
    moved = amend(
        client,
        w.h["agency"],
        w.project_id,
        notice_id,
        kind="amendment",
        affects_bids="true",
        new_bid_deadline=(w.deadline + timedelta(days=1)).isoformat(),
    )
    assert moved.status_code == 201, moved.text
    w.deadline = w.deadline + timedelta(days=1)
    rid = _submit(client, w, place="第一评标室", meeting_at=w.deadline + timedelta(hours=2, minutes=30)).json()["id"]
    client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"])
    rows = {b["purpose"]: b for b in _day(client, w)}
    assert rows["opening"]["room"] == "第一开标室" and rows["opening"]["zone_label"] == "公开区"
    assert rows["evaluation"]["room"] == "第一评标室" and rows["evaluation"]["zone_label"] == "隔离区（评标区）"


def test_the_request_form_offers_the_evaluation_rooms(app, w):
    from tests.pages import browser, page_text

    with browser(app, w.agency.username) as b:
        page = b.get(f"/projects/{w.project_id}/expert-draws")
        assert page.status_code == 200
        assert "本中心的评标室（隔离区）：第一评标室、第二评标室" in page_text(page.text)
        assert '<option value="第一评标室">' in page.text and "第一开标室" not in page.text
