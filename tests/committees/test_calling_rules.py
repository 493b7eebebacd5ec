"""The rules around calling: avoidance re-checked at the confirmation and at the sign-in (the expert is recused and
the next in order called), the order running out (the request is short, the centre alerted), the whole tick, the
workbench pages, and what the ledger says (leaves and generic outcomes, never names)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sunshine import tasks
from sunshine.core import alerts
from sunshine.core import clock as core_clock
from sunshine.experts.models import ExpertConflict
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.committees.builders import CIVIL
from tests.committees.calling_world import call_row, calls, drawn_committee, expert_of
from tests.pages import browser, csrf_token, page_text


def _conflict(db, expert_id: int, organisation_id: int) -> None:
    with db.unit_of_work() as s:
        s.add(
            ExpertConflict(
                expert_id=expert_id,
                organisation_id=organisation_id,
                relation="relative",
                note="",
                declared_at=core_clock.now(),
            )
        )


def _ledger_text(db) -> str:
    with db.unit_of_work(read_only=True) as s:
        return "\n".join(e.payload for e in s.scalars(select(LedgerEntry)))


def test_avoidance_is_checked_again_at_confirmation_and_at_sign_in(db, client, clock):
    w = drawn_committee(db, clock)
    a, b, *_ = calls(db, w)
    _conflict(db, a.expert_id, w.firms[0])  # declared after the draw: a bidder of the section
    ha = api_token(client, expert_of(w, a)["username"])
    answered = client.post(f"/api/v1/expert/assignments/{a.id}/confirm", headers=ha)
    assert answered.status_code == 200
    assert (answered.json()["state"], answered.json()["decline_reason"]) == (
        "recused",
        "申报与招标人、代理机构或投标人存在利害关系",
    )
    replacement = max(calls(db, w), key=lambda c: c.id)
    assert len(calls(db, w)) == 5
    assert (replacement.state, replacement.specialty) == ("pending", a.specialty)

    hb = api_token(client, expert_of(w, b)["username"])
    assert client.post(f"/api/v1/expert/assignments/{b.id}/confirm", headers=hb).json()["state"] == "confirmed"
    _conflict(db, b.expert_id, w.firms[1])
    clock.set(w.meeting_at - timedelta(minutes=10))
    signed = client.post(f"/api/v1/expert/assignments/{b.id}/sign-in", headers=hb).json()
    assert (signed["state"], signed["signed_in_at"]) == ("recused", None)
    newest = max(calls(db, w), key=lambda c: c.id)
    assert newest.state == "pending" and newest.specialty == b.specialty
    text = _ledger_text(db)
    assert "专家应当回避" in text
    for e in w.pool:
        assert e["name"] not in text and e["mobile"] not in text


def test_when_the_order_runs_out_the_request_is_short_and_the_centre_alerted(db, client, clock):
    w = drawn_committee(db, clock, experts=4)  # two of each specialty: no reserve to take a seat
    civil = next(c for c in calls(db, w) if c.specialty == CIVIL)
    headers = api_token(client, expert_of(w, civil)["username"])
    declined = client.post(f"/api/v1/expert/assignments/{civil.id}/decline", headers=headers, json={"reason": "away"})
    assert declined.status_code == 200
    assert len(calls(db, w)) == 4  # nobody left to call
    centre = api_token(client, w.centre.username)
    listing = client.get(f"/api/v1/committees/requests/{w.request_id}/sign-in-list", headers=centre).json()
    assert list(listing["short"].values()) == [1]
    with db.unit_of_work(read_only=True) as s:
        raised = alerts.for_principal(s, w.centre)
    assert any("需补抽专家" in a.message for a in raised)
    assert '"vacant"' in _ledger_text(db)


def test_the_tick_closes_unanswered_calls(db, clock):
    w = drawn_committee(db, clock)
    first = calls(db, w)
    with db.unit_of_work() as s:  # opened already: being evaluated, not failed for want of bids
        s.get(Project, w.project_id).state = "evaluation"
    clock.advance(timedelta(minutes=29))
    assert tasks.tick(db).expert_calls_expired == []
    clock.advance(timedelta(minutes=2))
    report = tasks.tick(db)
    assert sorted(report.expert_calls_expired) == sorted(c.id for c in first)
    assert "expert_calls_expired=4" in report.summary()
    assert {call_row(db, c.id).state for c in first} == {"timed_out"}


def test_the_workbench_pages(db, app, clock):
    w = drawn_committee(db, clock)
    a, b, *_ = calls(db, w)
    with browser(app, expert_of(w, b)["username"]) as page:
        text = page_text(page.get("/expert").text)
        assert "待确认的评标邀请" in text and "示范市第一中学教学设备采购项目 第1标段（包）" in text
        assert "剩余 30 分钟" in text and "第三评标室" in text
        token = csrf_token(page.get("/expert").text)
        refused = page.post(f"/expert/calls/{b.id}/decline", data={"csrf_token": token, "reason": ""})
        assert "请选择不参加的原因" in page_text(refused.text)
        done = page.post(f"/expert/calls/{b.id}/decline", data={"csrf_token": token, "reason": "schedule"})
        text = page_text(done.text)
        assert "已登记不参加" in text and "已拒绝（时间冲突）" in text
        inbox = page_text(page.get("/me/messages").text)
        assert "评标专家抽取通知" in inbox
    with browser(app, expert_of(w, a)["username"]) as page:
        token = csrf_token(page.get("/expert").text)
        text = page_text(page.post(f"/expert/calls/{a.id}/confirm", data={"csrf_token": token}).text)
        assert "已确认参加" in text and "待参加的评审" in text and "签到将于" in text
    clock.set(w.meeting_at - timedelta(minutes=5))
    with browser(app, expert_of(w, a)["username"]) as page:
        signed = page.post(f"/expert/calls/{a.id}/sign-in", data={"csrf_token": csrf_token(page.get("/expert").text)})
        assert "签到成功" in page_text(signed.text)
        listing = page_text(page.get(f"/expert-draws/{w.request_id}/sign-in-list").text)
        assert expert_of(w, a)["name"] in listing and "（签到前保密）" in listing
    with browser(app, w.supervisor.username) as page:
        listing = page_text(page.get(f"/expert-draws/{w.request_id}/sign-in-list").text)
        assert expert_of(w, a)["name"] not in listing and "已签到" in listing


def test_the_centre_records_a_no_show_and_the_next_is_called(db, client, clock):
    w = drawn_committee(db, clock)
    a, *_ = calls(db, w)
    ha = api_token(client, expert_of(w, a)["username"])
    client.post(f"/api/v1/expert/assignments/{a.id}/confirm", headers=ha)
    centre = api_token(client, w.centre.username)
    url = f"/api/v1/committees/requests/{w.request_id}/calls/{a.id}/no-show"
    early = client.post(url, headers=centre)
    assert early.status_code == 409 and early.json()["code"] == "expert_sign_in_not_open"
    clock.set(w.meeting_at + timedelta(minutes=1))
    centre = api_token(client, w.centre.username)
    supervisor = api_token(client, w.supervisor.username)
    assert client.post(url, headers=supervisor).status_code == 403
    listing = client.get(f"/api/v1/committees/requests/{w.request_id}/sign-in-list", headers=centre).json()
    assert [line["may_mark_no_show"] for line in listing["lines"] if line["id"] == a.id] == [True]
    done = client.post(url, headers=centre)
    assert done.status_code == 200
    assert [line["state_label"] for line in done.json()["lines"] if line["id"] == a.id] == ["未到场"]
    newest = max(calls(db, w), key=lambda c: c.id)
    assert newest.state == "pending" and newest.specialty == a.specialty
    assert client.post(url, headers=centre).json()["code"] == "expert_call_state"


def test_an_outcome_recorded_in_the_draw_room_closes_the_call(db, client, clock):
    w = drawn_committee(db, clock)
    a, *_ = calls(db, w)
    centre = api_token(client, w.centre.username)
    recorded = client.post(
        f"/api/v1/draws/{w.code}/outcomes",
        json={"leaf": a.leaf, "outcome": "declined", "reason": "专家电话告知不能参加"},
        headers=centre,
    )
    assert recorded.status_code == 200, recorded.text
    assert call_row(db, a.id).state == "declined"
    newest = max(calls(db, w), key=lambda c: c.id)
    assert newest.id != a.id and newest.state == "pending" and newest.specialty == a.specialty
    late = client.post(
        f"/api/v1/expert/assignments/{a.id}/confirm", headers=api_token(client, expert_of(w, a)["username"])
    )
    assert late.status_code == 409 and late.json()["code"] == "expert_call_state"
    clock.advance(timedelta(minutes=31))
    report = tasks.TickReport()
    tasks._expert_calls(db, report)
    assert a.id not in report.expert_calls_expired and newest.id in report.expert_calls_expired


def test_a_project_that_ends_releases_the_called_experts(db, client, clock):
    w = drawn_committee(db, clock)
    first = calls(db, w)
    confirmed = first[0]
    headers = api_token(client, expert_of(w, confirmed)["username"])
    assert client.post(f"/api/v1/expert/assignments/{confirmed.id}/confirm", headers=headers).status_code == 200
    ended = client.post(
        f"/api/v1/projects/{w.project_id}/terminate",
        headers=api_token(client, w.agency.username),
        json={"reason": "采购需求发生重大变化，终止采购"},
    )
    assert ended.status_code == 200, ended.text
    assert {call_row(db, c.id).state for c in first} == {"released"}
    mine = client.get("/api/v1/expert/assignments", headers=headers).json()
    line = next(a for group in mine.values() if isinstance(group, list) for a in group if a["id"] == confirmed.id)
    assert line["state_label"] == "项目已结束，无需参加"
    inbox = client.get("/api/v1/me/messages", headers=headers).json()
    assert any("取消" in m["subject"] and "无需参加" in m["body"] for m in inbox["items"])
    assert '"project_ended"' in _ledger_text(db) and "committees:call:released" in _ledger_kinds(db)


def _ledger_kinds(db) -> set[str]:
    with db.unit_of_work(read_only=True) as s:
        return set(s.scalars(select(LedgerEntry.kind)))
