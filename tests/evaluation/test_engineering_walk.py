"""An engineering open tender (经评审的最低投标价法) from the opened bids to a signed report, through the API: a recusal
and its replacement from the draw's order, the tenderer's representative elected chair (no bar in engineering), a bid
rejected as non-responsive (条例 第五十一条第（六）项), a clarification, an abnormally low price left unexplained by its
deadline and rejected as below cost, the lowest evaluated price ranked first, a dissent, the report delivered to the
tenderer at once. Then the failure paths: a committee that rejects every bid (招标投标法 第四十二条) and a procurement
left with fewer than three valid bids (政府采购法 第三十六条) both send the project to 流标 and the re-tender path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.identity.roles import Role
from tests.builders import make_user
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, member_headers, ok, replace_recused, session_of, tokens
from tests.pages import browser, page_text
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _ids(view, w) -> list[int]:
    by_name = {b["bidder"]: b["id"] for b in view["bids"]}
    return [by_name[w.names[f]] for f in w.firms]


def test_engineering_walk(db, client, clock):
    w = opened_tender(db, clock, procurement=False, prices=("4800000.00", "4750000.00", "4900000.00", "3100000.00"))
    tokens(client, w)
    started = client.post(
        f"{BASE}/sections/{w.section_id}/session", json={"representatives": [w.tenderer.user_id]}, headers=w.h["centre"]
    )
    w.sid = ok(started, 201)["id"]
    view = started.json()
    ids = _ids(view, w)
    headers = member_headers(client, w)
    experts = [m["id"] for m in view["members"] if m["kind"] == "expert"]
    body = {
        "declarations": [
            {"bid_id": b, "conflict": b == ids[0], "reason": "relative" if b == ids[0] else None} for b in ids
        ]
    }
    ok(client.post(f"{BASE}/sessions/{w.sid}/conflicts", json=body, headers=headers[experts[1]]))
    replace_recused(client, db, clock, w)
    headers = member_headers(client, w)
    for h in headers.values():
        bids = session_of(client, w, h)["bids"]
        decl = {"declarations": [{"bid_id": b["id"], "conflict": False} for b in bids]}
        ok(client.post(f"{BASE}/sessions/{w.sid}/conflicts", json=decl, headers=h))
    rep = next(m["id"] for m in session_of(client, w, w.h["centre"])["members"] if m["kind"] == "representative")
    for h in list(headers.values())[:3]:
        ok(client.post(f"{BASE}/sessions/{w.sid}/chair", json={"candidate": rep}, headers=h))
    assert session_of(client, w, w.h["tenderer"])["chair_id"] == rep
    hc = w.h["tenderer"]

    url = f"{BASE}/sessions/{w.sid}/bids"
    for b in ids:
        ok(client.post(f"{url}/{b}/review", json={"stage": "qualification", "passed": True}, headers=hc))
    ok(
        client.post(
            f"{url}/{ids[2]}/review",
            json={
                "stage": "compliance",
                "passed": False,
                "reason": "non_responsive",
                "facts": "工期承诺540日历天，超过招标文件要求的450日历天",
            },
            headers=hc,
        )
    )
    due = (core_clock.now() + timedelta(minutes=30)).isoformat()
    q = ok(
        client.post(
            f"{BASE}/sessions/{w.sid}/queries",
            json={"bid_id": ids[1], "kind": "clarification", "question": "请澄清项目经理的注册证书编号", "due_at": due},
            headers=hc,
        ),
        201,
    )
    ok(client.post(f"{BASE}/queries/{q['id']}/answer", json={"answer": "闽135000000001"}, headers=w.hb[1]))
    lq = ok(
        client.post(
            f"{BASE}/sessions/{w.sid}/queries",
            json={
                "bid_id": ids[3],
                "kind": "low_price",
                "question": "报价明显低于其他投标报价，请书面说明并提供证明",
                "due_at": due,
            },
            headers=hc,
        ),
        201,
    )
    too_soon = client.post(
        f"{BASE}/sessions/{w.sid}/queries/{lq['id']}/judgement",
        json={"accepted": False, "facts": "未作说明"},
        headers=hc,
    )
    assert too_soon.status_code == 409  # the bidder's time has not run out
    clock.advance(timedelta(minutes=31))
    late = client.post(f"{BASE}/queries/{lq['id']}/answer", json={"answer": "迟到的说明"}, headers=w.hb[3])
    assert late.status_code == 409
    judged = ok(
        client.post(
            f"{BASE}/sessions/{w.sid}/queries/{lq['id']}/judgement",
            json={"accepted": False, "facts": "投标人在规定期限内未作书面说明，评标委员会认定其报价低于成本"},
            headers=hc,
        )
    )
    low = next(b for b in judged["bids"] if b["id"] == ids[3])
    assert low["rejected_reason"] == "below_cost" and low["rejected_reason_label"] == "投标报价低于成本"
    for b in ids[:2]:
        ok(client.post(f"{url}/{b}/review", json={"stage": "compliance", "passed": True}, headers=hc))
    view = ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    assert view["state"] == "scoring"
    view = ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))  # a price method: nothing to score
    results = view["outcome"]["results"]
    assert [(int(r["ref"]), r["rank"]) for r in results] == [(ids[1], 1), (ids[0], 2)]

    members = list(headers)
    dissenter = next(m for m in members if m != rep)
    ok(
        client.post(
            f"{BASE}/sessions/{w.sid}/report/sign",
            json={"agree": False, "dissent": "第二名投标人的施工组织设计存在重大缺陷，应否决"},
            headers=headers[dissenter],
        )
    )
    twice = client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=headers[dissenter])
    assert twice.status_code == 409
    for m in members:
        if m != dissenter:
            last = ok(client.post(f"{BASE}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=headers[m]))
    assert last["state"] == "finished" and last["delivered_at"] is not None  # to the tenderer at once
    content = last["content"]
    assert [c["bidder"] for c in content["candidates"]] == [w.names[w.firms[1]], w.names[w.firms[0]]]
    assert {r["bidder"]: r["basis"] for r in content["rejected"]} == {
        w.names[w.firms[2]]: "《招标投标法实施条例》第五十一条第（六）项",
        w.names[w.firms[3]]: "《招标投标法实施条例》第五十一条第（五）项",
    }
    assert any(s["dissent"] for s in last["signatures"])
    entry = ok(client.get(f"/api/v1/ledger/entries/{last['report_ledger_seq']}"))
    assert entry["payload"]["report_sha256"] == last["report_sha256"]
    assert client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]).json()["state"] == "evaluated"
    assert client.get(f"{BASE}/sessions/{w.sid}/report", headers=w.h["agency"]).status_code == 200

    # after the session the tenderer records that an expert came late; the pool's office sees it on the expert
    expert_member = next(m for m in members if m != rep)
    conduct = {"kind": "late", "note": "评标开始后40分钟方到场"}
    url = f"{BASE}/sessions/{w.sid}/members/{expert_member}/conduct"
    assert client.post(url, json=conduct, headers=w.h["agency"]).status_code == 403
    assert client.post(f"{BASE}/sessions/{w.sid}/members/{rep}/conduct", json=conduct, headers=hc).status_code == 422
    ok(client.post(url, json=conduct, headers=w.h["tenderer"]), 201)
    name = next(m["name"] for m in session_of(client, w, w.h["centre"])["members"] if m["id"] == expert_member)
    expert_id = next(e["id"] for e in w.pool if e["name"] == name)
    office = make_user(db, Role.COMMITTEE_OFFICE)
    with browser(client.app, office) as pool_admin:
        page = page_text(pool_admin.get(f"/staff/experts/{expert_id}").text)
    assert "评标行为记录" in page and "迟到" in page and "评标开始后40分钟方到场" in page


def test_engineering_committee_rejects_every_bid(db, client, clock):
    w = opened_tender(db, clock, procurement=False, prices=("4800000.00", "4750000.00", "4900000.00"))
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    missing = client.post(f"{BASE}/sessions/{w.sid}/reject-all", json={"reason": ""}, headers=hc)
    assert missing.status_code == 422
    view = ok(
        client.post(
            f"{BASE}/sessions/{w.sid}/reject-all",
            json={"reason": "所有投标的技术方案均不满足招标文件规定的桥梁荷载等级"},
            headers=hc,
        )
    )
    assert view["state"] == "failed" and "第四十二条" in view["failure_reason"]
    project = client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]).json()
    assert project["state"] == "failed" and project["failed_attempts"] == 1
    again = client.post(f"/api/v1/projects/{w.project_id}/retender", json={}, headers=w.h["agency"])
    assert again.status_code == 201, again.text


def test_procurement_with_fewer_than_three_valid_bids_fails(db, client, clock):
    w = opened_tender(db, clock, procurement=True, prices=("4800000.00", "4750000.00", "4900000.00", "4950000.00"))
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    view = session_of(client, w, hc)
    ids = _ids(view, w)
    url = f"{BASE}/sessions/{w.sid}/bids"
    no_all = client.post(f"{BASE}/sessions/{w.sid}/reject-all", json={"reason": "全部不合格的理由"}, headers=hc)
    assert no_all.status_code == 403  # procurement fails by 第三十六条, not by rejecting all
    for i, b in enumerate(ids):
        ok(client.post(f"{url}/{b}/review", json={"stage": "qualification", "passed": True}, headers=hc))
        if i < 2:
            ok(
                client.post(
                    f"{url}/{b}/review",
                    json={
                        "stage": "compliance",
                        "passed": False,
                        "reason": "no_deposit",
                        "facts": "未按招标文件规定提交投标保证金",
                    },
                    headers=hc,
                )
            )
        else:
            ok(client.post(f"{url}/{b}/review", json={"stage": "compliance", "passed": True}, headers=hc))
    view = ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    assert view["state"] == "failed" and "不足三家" in view["failure_reason"] and "第三十六条" in view["failure_reason"]
    project = client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]).json()
    assert project["state"] == "failed"
