"""Remote observation (seed 000: 远程观察电子开标和网上评标): a social supervisor in office who chooses an evaluation
or an opening of the weekly schedule is seated, through the one observer-seat mechanism, at the owner's electronic
session too — the evaluation's watch page once the session opens, the opening room at once — and sees there only
what an observer may (no member's name before the results, no score); a supervisor who did not choose the session
is refused the watch page; giving up the session ends the remote seats as well."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.core.auth import Principal
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.supervision import registry
from tests.builders import api_token, make_user
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.pages import browser, page_text
from tests.supervision.builders import book
from tests.trading.builders import cheap_password_hashing
from tests.venues.builders import add_rooms

ROOMS = (
    ("第九评标室", "evaluation", "四楼隔离区", 12, 0, "音视频监控"),
    ("第九开标室", "opening", "二楼", 40, 2, "电子开标系统"),
)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _p(db, username: str) -> Principal:
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == username))
        roles = s.scalars(select(UserRole.role).where(UserRole.user_id == user.id))
        return Principal(user_id=user.id, username=username, roles=frozenset(Role(r) for r in roles))


def _appoint(db, centre: Principal, username: str, i: int) -> None:
    with db.unit_of_work() as s:
        row = registry.nominate(
            s,
            centre,
            kind="social",
            source="media",
            username=username,
            name=f"远程监督员{i}",
            phone=f"1360000{i:04d}",
            employer="",
            statement="媒体推荐",
        )
        registry.appoint(s, centre, row.id)


def test_a_supervisor_who_chose_the_sessions_watches_them_remotely_and_one_who_did_not_is_refused(
    db, app, client, clock
):
    w = opened_tender(db, clock, procurement=True, prices=("4800000.00", "4750000.00", "4900000.00"))
    tokens(client, w)
    centre = _p(db, w.centre.username)
    rooms = add_rooms(client, w.h["centre"], ROOMS)
    seated, unseated = make_user(db, Role.BIDDER), make_user(db, Role.BIDDER)
    _appoint(db, centre, seated, 1)
    _appoint(db, centre, unseated, 2)
    h_seated, h_unseated = api_token(client, seated), api_token(client, unseated)
    soon = core_clock.now() + timedelta(minutes=30)
    evaluation = book(db, rooms["第九评标室"], soon, "示范市第一中学教学设备采购项目 评标", "evaluation", w.project_id)
    opening = book(db, rooms["第九开标室"], soon + timedelta(hours=3), "示范市第一中学 开标会", "opening", w.project_id)

    # choosing the opening seats the supervisor in the opening room at once
    chosen = ok(client.post(f"/api/v1/supervision/sessions/{opening}/choose", headers=h_seated))
    assert chosen["booking_id"] == opening
    mine = ok(client.get("/api/v1/observers/mine", headers=h_seated))
    assert {(m["kind_label"], m["link"]) for m in mine} == {
        ("开评标场次（社会监督）", f"/supervision/sessions/{opening}"),
        ("开标会（电子开标室）", f"/projects/{w.project_id}/opening"),
    }
    with browser(app, seated) as b:
        room = page_text(b.get(f"/projects/{w.project_id}/opening").text)
    assert "您持有本场开标会的观察席" in room and "远程观察席 1 个" in room
    with browser(app, unseated) as b:
        other_room = page_text(b.get(f"/projects/{w.project_id}/opening").text)
    assert "您持有本场开标会的观察席" not in other_room and "远程观察席 1 个" in other_room

    # the evaluation: chosen before it opens, the seat follows when the centre opens the session
    ok(client.post(f"/api/v1/supervision/sessions/{evaluation}/choose", headers=h_seated))
    listed = ok(client.get("/api/v1/supervision/me/sessions", headers=h_seated))
    assert next(x for x in listed if x["booking_id"] == evaluation)["remote"] == []
    form_committee(client, w)
    names = {m["name"] for m in session_of(client, w, w.h["centre"])["members"]}
    watch = f"/api/v1/evaluation/sessions/{w.sid}/watch"
    seen = client.get(watch, headers=h_seated)
    assert seen.status_code == 200, seen.text
    assert all(s["name"] is None for s in seen.json()["seats"]) and not any(n in seen.text for n in names)
    assert client.get(watch, headers=h_unseated).status_code == 404
    assert client.get(f"/api/v1/evaluation/sessions/{w.sid}", headers=h_seated).status_code in (403, 404)
    listed = ok(client.get("/api/v1/supervision/me/sessions", headers=h_seated))
    remote = next(x for x in listed if x["booking_id"] == evaluation)["remote"]
    assert remote == [{"label": "评标（评审）会议", "link": f"/evaluation/sessions/{w.sid}/watch"}]
    with browser(app, seated) as b:
        workbench = page_text(b.get("/supervision/me").text)
        page = page_text(b.get(f"/supervision/sessions/{evaluation}").text)
        watched = b.get(f"/evaluation/sessions/{w.sid}/watch")
    assert "评标（评审）会议" in workbench and "开标会（电子开标室）" in workbench
    assert "进入评标（评审）会议远程观察" in page
    assert watched.status_code == 200 and not any(n in watched.text for n in names)
    with browser(app, unseated) as b:
        assert b.get(f"/evaluation/sessions/{w.sid}/watch").status_code == 404
    with db.unit_of_work() as s:
        admitted = [
            e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "observers:seat:admitted"))
        ]
    assert all("远程监督员" not in p and "13600" not in p for p in admitted)
    assert any('"evaluation_session"' in p for p in admitted) and any('"opening_session"' in p for p in admitted)

    # giving up the opening ends its remote seat too
    ok(client.post(f"/api/v1/supervision/sessions/{opening}/cancel", headers=h_seated))
    with browser(app, seated) as b:
        room = page_text(b.get(f"/projects/{w.project_id}/opening").text)
    assert "您持有本场开标会的观察席" not in room
