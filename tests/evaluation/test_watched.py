"""Watched, minuted and sealed (issue 14 item 7), through the API: the centre seats the supervisory department and an
observer, who watch the session's steps as they happen without the members' names or scores; members' remarks are
minuted and each member confirms only their own; the minutes are in the report; when the project leaves 评审中 the
session is sealed on the spot (one ledger entry), listed and verified by the centre, and nothing of it changes
afterwards (409); an expert of the committee is refused as an official of the opening, and flagged where it happened
anyway (评委不参加开标会)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from sunshine.bidding import opening as bidding_opening
from sunshine.config import get_settings
from sunshine.core.models import Alert
from sunshine.evaluation.models import EvaluationScore
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Project
from tests.builders import api_token, make_user
from tests.evaluation.builders import confirm_opening_record, opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.pages import browser, page_text
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"
PRICES = ("4800000.00", "4750000.00", "4900000.00")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _user_id(db, username: str) -> int:
    from sunshine.identity.models import User

    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(User.id).where(User.username == username))


def _review_and_score(client, w, headers, chair) -> None:
    hc = headers[chair]
    view = session_of(client, w, hc)
    for b in view["bids"]:
        for stage in ("qualification", "compliance"):
            url = f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review"
            ok(client.post(url, json={"stage": stage, "passed": True}, headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    sheet = {"scores": {str(b["id"]): {"tech": "41.5", "service": "17.25"} for b in view["bids"]}}
    for h in headers.values():
        ok(client.post(f"{BASE}/sessions/{w.sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))


def test_observers_watch_minutes_are_confirmed_by_their_speaker_and_the_ended_session_is_sealed(db, app, client, clock):
    w = opened_tender(db, clock, procurement=True, prices=PRICES)
    tokens(client, w)
    headers, chair = form_committee(client, w)
    names = {m["name"] for m in session_of(client, w, w.h["centre"])["members"]}
    social = make_user(db, Role.SOCIAL_SUPERVISOR)
    other_social = make_user(db, Role.SOCIAL_SUPERVISOR)
    h_social, h_other = api_token(client, social), api_token(client, other_social)
    social_id = _user_id(db, social)
    hq = w.h["centre"]

    # the centre seats the supervisory department and a social supervisor; a capacity the person lacks is refused
    seats = f"{BASE}/sessions/{w.sid}/observers"
    refused = client.post(seats, json={"user_id": social_id, "capacity": "supervisor"}, headers=hq)
    assert refused.status_code == 422 and "行政监督部门" in refused.json()["detail"]
    ok(client.post(seats, json={"user_id": w.supervisor.user_id, "capacity": "supervisor"}, headers=hq), 201)
    seat = ok(client.post(seats, json={"user_id": social_id, "capacity": "observer"}, headers=hq), 201)
    again = client.post(seats, json={"user_id": social_id, "capacity": "observer"}, headers=hq)
    assert again.status_code == 409
    assert (
        client.post(seats, json={"user_id": social_id, "capacity": "observer"}, headers=w.h["agency"]).status_code
        == 403
    )
    listed = ok(client.get(seats, headers=hq))
    assert {s["capacity_label"] for s in listed} == {"行政监督部门", "观察员（社会监督员、开放日公众）"}
    mine = ok(client.get("/api/v1/observers/mine", headers=h_social))
    assert mine[0]["kind_label"] == "评标（评审）会议" and mine[0]["link"] == f"/evaluation/sessions/{w.sid}/watch"

    # minutes: the staff minute a member's remark; only that member confirms it; a member's own remark is confirmed
    member_ids = list(headers)
    speaker, other = member_ids[0], member_ids[1]
    minutes = f"{BASE}/sessions/{w.sid}/minutes"
    remark = ok(client.post(minutes, json={"member_id": speaker, "text": "第二家的交货期需要澄清"}, headers=hq), 201)
    assert remark["confirmed"] is False
    nobody = client.post(minutes, json={"text": "没有指明发言成员"}, headers=hq)
    assert nobody.status_code == 422
    forged = client.post(f"{minutes}/{remark['id']}/confirm", headers=headers[other])
    assert forged.status_code == 403 and "本人" in forged.json()["detail"]
    assert ok(client.post(f"{minutes}/{remark['id']}/confirm", headers=headers[speaker]))["confirmed"] is True
    twice = client.post(f"{minutes}/{remark['id']}/confirm", headers=headers[speaker])
    assert twice.status_code == 409
    own = ok(client.post(minutes, json={"text": "同意按评分标准打分"}, headers=headers[other]), 201)
    assert own["confirmed"] is True and own["member_id"] == other
    assert (
        client.post(minutes, json={"member_id": speaker, "text": "替他人发言"}, headers=headers[other]).status_code
        == 403
    )

    # the observer watches: steps and progress, no names, no scores, no remarks' text; the full session stays 404
    _review_and_score(client, w, headers, chair)
    for h in (h_social, w.h["supervisor"]):
        seen = client.get(f"{BASE}/sessions/{w.sid}/watch", headers=h)
        assert seen.status_code == 200, seen.text
        view = seen.json()
        assert [s["seat"] for s in view["seats"]][:2] == ["第1席", "第2席"]
        assert all(s["name"] is None and s["scores_submitted"] for s in view["seats"])
        assert view["state_label"] == "评标报告签署中"
        assert {"推选组长", "记录成员发言", "汇总计算与排序"} <= {t["event"] for t in view["timeline"]}
        assert view["remarks"] == {"recorded": 2, "confirmed": 2}
        assert not any(n in seen.text for n in names)
        assert "41.5" not in seen.text and "交货期" not in seen.text
        assert client.get(f"{BASE}/sessions/{w.sid}", headers=h).status_code in (403, 404)
    with browser(app, social) as visitor:
        page = visitor.get(f"/evaluation/sessions/{w.sid}/watch")
        assert page.status_code == 200 and "第1席" in page.text and "汇总计算与排序" in page_text(page.text)
        assert not any(n in page.text for n in names)
    assert client.get(f"{BASE}/sessions/{w.sid}/watch", headers=h_other).status_code == 404
    assert client.get(f"{BASE}/sessions/{w.sid}/watch", headers={}).status_code == 401
    ok(client.post(f"{seats}/{seat['id']}/revoke", headers=hq))
    assert client.get(f"{BASE}/sessions/{w.sid}/watch", headers=h_social).status_code == 404

    # the minutes are in the report; every member signs; the project is 评审结束 and the session sealed on the spot
    report = ok(client.get(f"{BASE}/sessions/{w.sid}/report", headers=headers[chair]))
    assert [m["text"] for m in report["content"]["minutes"]] == ["第二家的交货期需要澄清", "同意按评分标准打分"]
    for h in headers.values():
        ok(client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=h))
    with db.unit_of_work(read_only=True) as s:
        assert s.get(Project, w.project_id).state == "evaluated"
        sealed = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "evaluation:session:sealed")).all()
    assert len(sealed) == 1
    final = ok(client.get(f"{BASE}/sessions/{w.sid}/report", headers=headers[chair]))
    assert all(m["confirmed"] for m in final["content"]["minutes"])

    listed = ok(client.get(f"{BASE}/seals", headers=hq))
    assert [i["session_id"] for i in listed] == [w.sid]
    checked = ok(client.get(f"{BASE}/sessions/{w.sid}/seal", headers=w.h["supervisor"]))
    assert checked["ok"] is True and checked["ledger_ok"] is True
    assert json.loads(sealed[0].payload)["manifest_sha256"] == checked["seal_sha256"]
    assert {d["title"] for d in checked["documents"]} >= {"会议记录", "评分表", "评标（评审）报告", "观察席"}
    assert client.get(f"{BASE}/seals", headers=w.h["agency"]).status_code == 403
    with browser(app, w.centre.username) as centre:
        page = centre.get(f"/evaluation/sessions/{w.sid}/seal")
        assert page.status_code == 200 and "查验通过" in page.text
        assert "示范市第一中学教学设备采购项目" in page_text(centre.get("/evaluation/seals").text)
        room = page_text(centre.get(f"/evaluation/sessions/{w.sid}").text)
        assert "就地封存" in room and "第二家的交货期需要澄清" in room

    # sealed: nothing of the session changes
    for url, body in (
        (minutes, {"member_id": speaker, "text": "封存后补记"}),
        (seats, {"user_id": social_id, "capacity": "observer"}),
    ):
        r = client.post(url, json=body, headers=hq)
        assert r.status_code == 409 and r.json()["code"] == "evaluation_session_sealed", r.text
    r = client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=headers[chair])
    assert r.status_code == 409 and r.json()["code"] == "evaluation_session_sealed"

    # the seat's ledger entries name no one
    with db.unit_of_work(read_only=True) as s:
        payloads = [e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("observers:%")))]
    assert len(payloads) == 3 and not any(social in p or str(social_id) in p.split('"seat"')[0] for p in payloads)

    # a score changed behind the platform's back no longer matches the seal
    with db.unit_of_work() as s:
        s.execute(update(EvaluationScore).values(score=EvaluationScore.score - 1))
    tampered = ok(client.get(f"{BASE}/sessions/{w.sid}/seal", headers=hq))
    assert tampered["ok"] is False
    assert [d["title"] for d in tampered["documents"] if not d["ok"]] == ["评分表"]


def test_a_failed_session_is_sealed_too(db, app, client, clock):
    w = opened_tender(db, clock, procurement=True, prices=PRICES)
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    bids = session_of(client, w, hc)["bids"]
    url = f"{BASE}/sessions/{w.sid}/bids"
    body = {"stage": "qualification", "passed": False, "reason": "not_qualified", "facts": "营业执照已过有效期"}
    ok(client.post(f"{url}/{bids[0]['id']}/review", json=body, headers=hc))
    for b in bids[1:]:
        for stage in ("qualification", "compliance"):
            ok(client.post(f"{url}/{b['id']}/review", json={"stage": stage, "passed": True}, headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    with db.unit_of_work(read_only=True) as s:
        assert s.get(Project, w.project_id).state != "evaluation"
    checked = ok(client.get(f"{BASE}/sessions/{w.sid}/seal", headers=w.h["centre"]))
    assert checked["ok"] is True and checked["manifest"]["state"] == "failed"
    late = client.post(f"{BASE}/sessions/{w.sid}/minutes", json={"text": "补充意见"}, headers=hc)
    assert late.status_code == 409 and late.json()["code"] == "evaluation_session_sealed"


def test_an_expert_of_the_committee_is_kept_out_of_the_opening_and_flagged_where_it_happened(db, app, client, clock):
    w = opened_tender(db, clock, procurement=True, prices=PRICES, confirm_opening=False)
    tokens(client, w)
    drawn = w.members[0]["name"]
    officials = f"/api/v1/projects/{w.project_id}/opening/officials"
    body = {"reader": "唱标员甲", "recorder": drawn, "overseer": "监标员丙"}
    refused = client.put(officials, json=body, headers=w.h["centre"])
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "evaluation_expert_at_opening" and "评委不参加开标会" in refused.json()["detail"]
    ok(client.put(officials, json={**body, "recorder": "记录员乙"}, headers=w.h["centre"]))
    confirm_opening_record(db, w)

    # where it happened anyway (the record named one of them before the draw), the session flags the member
    flagged_name = w.members[1]["name"]
    with db.unit_of_work() as s:
        bidding_opening.session_of(s, w.project_id).overseer = flagged_name
    form_committee(client, w)
    members = session_of(client, w, w.h["centre"])["members"]
    flagged = [m for m in members if m["at_opening"]]
    assert [(m["name"], m["at_opening"]) for m in flagged] == [(flagged_name, "监标人")]
    with browser(app, w.centre.username) as centre:
        assert "曾参加开标会：监标人" in page_text(centre.get(f"/evaluation/sessions/{w.sid}").text)
    with db.unit_of_work(read_only=True) as s:
        alert = s.scalar(select(Alert).where(Alert.key == f"evaluation:at_opening:{flagged[0]['id']}"))
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "evaluation:member:flagged")).one()
    assert alert is not None and "评委不参加开标会" in alert.message and flagged_name not in alert.message
    assert flagged_name not in entry.payload
