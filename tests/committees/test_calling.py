"""Calling the drawn experts through the API: notified by the platform (message, SMS, voice), one confirms, one
declines (the next in the draw order is called), one lets the time limit pass (the tick calls the next), avoidance
re-checked at confirmation, the sign-in list shows names only from the sign-in on, the record verifies."""

from __future__ import annotations

from datetime import timedelta

from sunshine import tasks
from sunshine.draws import engine, pooldata, replay
from sunshine.draws import service as draws
from sunshine.messaging import service as messaging
from tests.builders import api_token
from tests.committees.calling_world import call_row, calls, drawn_committee, expert_of


def _expected_active(db, w) -> set[str]:
    """The seats the engine's published rule gives, recomputed from the order and the recorded outcomes."""
    with db.unit_of_work(read_only=True) as s:
        draw = draws.get(s, w.code)
        order = pooldata.of(s, draw).order(draw.code, draw.seed)  # sunshine-draw-v2: read as far as needed
        outcomes = [{"leaf": o.leaf, "outcome": o.outcome} for o in draws.outcomes_of(s, draw)]
        result = engine.assign(order, draws.groups_of(draw), order.groups, outcomes)
    return {c.leaf for c in result.calls if c.kind == "seat" and c.open}


def _headers(client, w, call) -> dict[str, str]:
    return api_token(client, expert_of(w, call)["username"])


def test_the_drawn_experts_are_called_and_replaced_in_draw_order(db, client, clock):
    w = drawn_committee(db, clock, client=client)  # request → approval → witnessed draw, all through the API
    first = calls(db, w)
    assert [c.state for c in first] == ["pending"] * 4
    assert {c.leaf for c in first} == _expected_active(db, w)

    # each called expert, and only they, got the platform's message, an SMS and a voice call
    with db.unit_of_work(read_only=True) as s:
        for c in first:
            e = expert_of(w, c)
            got = messaging.received(s, e["mobile"])
            assert [r.channel for r in got] == ["sms", "voice"]
            assert "示范市第一中学教学设备采购项目" in got[0].text and "第三评标室" in got[0].text
        called = {expert_of(w, c)["id"] for c in first}
        for e in w.pool:
            if e["id"] not in called:
                assert messaging.received(s, e["mobile"]) == []

    a, b, c, d = first
    ha, hb, hc, hd = (api_token(client, expert_of(w, x)["username"]) for x in first)
    mine = client.get("/api/v1/expert/assignments", headers=ha).json()
    assert [x["id"] for x in mine["pending"]] == [a.id]
    assert mine["pending"][0]["title"] == "示范市第一中学教学设备采购项目 第1标段（包）"
    assert mine["pending"][0]["seconds_left"] == 30 * 60
    inbox = client.get("/api/v1/me/messages", headers=ha).json()
    assert inbox["unread"] == 1 and inbox["items"][0]["link"] == "/expert"

    # one confirms
    confirmed = client.post(f"/api/v1/expert/assignments/{a.id}/confirm", headers=ha)
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    # nobody answers for another expert
    assert client.post(f"/api/v1/expert/assignments/{b.id}/confirm", headers=ha).status_code == 404
    # one declines: a reason is required, then the next in the same order is called
    refused = client.post(f"/api/v1/expert/assignments/{b.id}/decline", headers=hb, json={"reason": "other"})
    assert refused.status_code == 422 and refused.json()["detail"] == "选择“其他原因”时请说明"
    declined = client.post(
        f"/api/v1/expert/assignments/{b.id}/decline", headers=hb, json={"reason": "schedule", "note": "当天另有安排"}
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    after_decline = calls(db, w)
    assert len(after_decline) == 5
    replacement = next(x for x in after_decline if x.id not in {y.id for y in first})
    assert replacement.specialty == b.specialty and replacement.state == "pending"
    assert {x.leaf for x in after_decline if x.state in ("pending", "confirmed")} == _expected_active(db, w)
    # a declined call cannot be answered again
    again = client.post(f"/api/v1/expert/assignments/{b.id}/confirm", headers=hb)
    assert again.status_code == 409 and again.json()["code"] == "expert_call_state"

    # one lets the time limit pass: the tick records it and calls the next
    client.post(f"/api/v1/expert/assignments/{d.id}/confirm", headers=hd)
    client.post(f"/api/v1/expert/assignments/{replacement.id}/confirm", headers=_headers(client, w, replacement))
    clock.advance(timedelta(minutes=31))
    late = client.post(f"/api/v1/expert/assignments/{c.id}/confirm", headers=hc)
    assert late.status_code == 409 and late.json()["code"] == "expert_call_expired"
    report = tasks.TickReport()
    tasks._expert_calls(db, report)  # the tick's step (the whole tick would also open the bids: none were sealed)
    assert report.expert_calls_expired == [c.id]
    assert call_row(db, c.id).state == "timed_out"
    now_calls = calls(db, w)
    newest = next(x for x in now_calls if x.id not in {y.id for y in after_decline})
    assert newest.specialty == c.specialty and newest.state == "pending"
    assert {x.leaf for x in now_calls if x.state in ("pending", "confirmed")} == _expected_active(db, w)
    client.post(f"/api/v1/expert/assignments/{newest.id}/confirm", headers=_headers(client, w, newest))
    seated = [x for x in calls(db, w) if x.state == "confirmed"]
    assert len(seated) == 4

    # the sign-in list: positions, hashes, states — no names — until the sign-in
    centre = api_token(client, w.centre.username)
    supervisor = api_token(client, w.supervisor.username)
    agency = api_token(client, w.agency.username)
    url = f"/api/v1/committees/requests/{w.request_id}/sign-in-list"
    before = client.get(url, headers=centre).json()
    assert [line["name"] for line in before["lines"]] == [None] * 6
    assert {line["state_label"] for line in before["lines"]} == {"已确认参加", "已拒绝", "逾期未答复"}
    early = client.post(f"/api/v1/expert/assignments/{a.id}/sign-in", headers=ha)
    assert early.status_code == 409 and early.json()["code"] == "expert_sign_in_not_open"
    clock.set(w.meeting_at - timedelta(minutes=30))
    signed = client.post(f"/api/v1/expert/assignments/{a.id}/sign-in", headers=ha)
    assert signed.status_code == 200 and signed.json()["signed_in_at"] is not None
    names = {line["name"] for line in client.get(url, headers=centre).json()["lines"]} - {None}
    assert names == {expert_of(w, a)["name"]}
    for who in (supervisor, agency):
        assert {line["name"] for line in client.get(url, headers=who).json()["lines"]} == {None}
    member = client.get(url, headers=ha).json()
    assert {line["name"] for line in member["lines"]} - {None} == {expert_of(w, a)["name"]}
    for x in seated:
        if x.id != a.id:
            response = client.post(f"/api/v1/expert/assignments/{x.id}/sign-in", headers=_headers(client, w, x))
            assert response.status_code == 200

    # the results are public (the project ends): names of those who sat, to every reader; the record verifies
    ended = client.post(
        f"/api/v1/projects/{w.project_id}/terminate", json={"reason": "采购需求发生重大变化，终止采购"}, headers=agency
    )
    assert ended.status_code == 200, ended.text
    after = client.get(url, headers=supervisor).json()
    assert {line["name"] for line in after["lines"] if line["state"] == "confirmed"} == {
        expert_of(w, x)["name"] for x in seated
    }
    assert {line["name"] for line in after["lines"] if line["state"] != "confirmed"} == {None}
    public = client.get(f"/api/v1/draws/{w.code}/record")
    assert public.status_code == 200
    verified = replay.verify(public.json())
    assert verified.ok, verified.as_dict()
    # the answers are in the public record against the leaves, in the order recorded, with generic reasons only
    assert [(o["leaf"], o["outcome"], o["reason"]) for o in public.json()["outcomes"]] == [
        (a.leaf, "confirmed", ""),
        (b.leaf, "declined", "专家拒绝参加"),
        (d.leaf, "confirmed", ""),
        (replacement.leaf, "confirmed", ""),
        (c.leaf, "declined", "专家逾期未答复"),
        (newest.leaf, "confirmed", ""),
    ]
    assert "当天另有安排" not in public.text
