"""A procurement open tender (综合评分法) from the opened bids to a signed report with ranked candidates, through the
API: the centre opens the session with the signed-in experts and the purchaser's representative; an expert declares a
conflict with a supplier and is recused, the next expert in the draw's order is called, confirms, signs in and is
admitted; the committee elects its chair (not the purchaser's representative); one supplier is rejected for its
qualification, one is asked to clarify and answers on its own page, one quotes an abnormally low price and cannot
justify it; members score on their own (no one sees another's scores before submitting, no second submission); the
platform computes and ranks; one member dissents in writing, the representative refuses to sign and is recorded as
agreeing; the report's hash is in the ledger, the project leaves 评审中, the agency delivers the report and the
purchaser confirms it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine import tasks
from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import declare_none, member_headers, ok, replace_recused, session_of, tokens
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _bid(view, name):
    return next(b for b in view["bids"] if b["bidder"] == name)


def test_procurement_walk(db, client, clock):
    w = opened_tender(db, clock, procurement=True)
    tokens(client, w)
    base = "/api/v1/evaluation"
    assert client.get(f"{base}/sections/{w.section_id}/declaration", headers=w.h["centre"]).json()["method"] == (
        "comprehensive_scoring"
    )
    # the centre opens the session: 4 signed-in experts and the purchaser's representative
    started = client.post(
        f"{base}/sections/{w.section_id}/session", json={"representatives": [w.tenderer.user_id]}, headers=w.h["centre"]
    )
    assert started.status_code == 201, started.text
    w.sid = started.json()["id"]
    view = started.json()
    assert view["state"] == "forming" and len(view["members"]) == 5 and len(view["bids"]) == 5
    again = client.post(f"{base}/sections/{w.section_id}/session", json={"representatives": []}, headers=w.h["centre"])
    assert again.status_code == 409

    headers = member_headers(client, w)
    names = {m["id"]: m["name"] for m in view["members"]}
    experts = [m["id"] for m in view["members"] if m["kind"] == "expert"]
    rep = next(m["id"] for m in view["members"] if m["kind"] == "representative")

    # a conflict recuses the expert; the next expert in the draw's order is called and admitted
    low = _bid(view, w.names[w.firms[4]])
    recused = experts[0]
    body = {
        "declarations": [
            {
                "bid_id": b["id"],
                "conflict": b["id"] == low["id"],
                "reason": "employment" if b["id"] == low["id"] else None,
            }
            for b in view["bids"]
        ]
    }
    declared = client.post(f"{base}/sessions/{w.sid}/conflicts", json=body, headers=headers[recused])
    assert declared.status_code == 200, declared.text
    assert declared.json()["recused"] is True and "按抽取顺序通知下一位专家" in declared.json()["message"]
    assert client.get(f"{base}/sessions/{w.sid}", headers=headers[recused]).status_code == 404
    early_vote = client.post(
        f"{base}/sessions/{w.sid}/chair", json={"candidate": experts[1]}, headers=headers[experts[1]]
    )
    assert early_vote.status_code == 409  # the committee is not whole
    newcomer = replace_recused(client, db, clock, w)
    headers = member_headers(client, w)
    view = session_of(client, w, w.h["centre"])
    active = [m for m in view["members"] if m["state"] == "active"]
    assert len(active) == 5 and newcomer["name"] in {m["name"] for m in active}
    assert names[recused] not in {m["name"] for m in active}
    for h in headers.values():
        declare_none(client, w, h)

    # chair: not the purchaser's representative (87号令 第四十五条)
    refused = client.post(f"{base}/sessions/{w.sid}/chair", json={"candidate": rep}, headers=headers[rep])
    assert refused.status_code == 422 and "采购人代表不得担任" in refused.json()["detail"]
    chair = next(m["id"] for m in active if m["kind"] == "expert")
    for mid in list(headers)[:3]:
        ok(client.post(f"{base}/sessions/{w.sid}/chair", json={"candidate": chair}, headers=headers[mid]))
    view = session_of(client, w, headers[chair])
    assert view["chair_id"] == chair and view["state"] == "review"
    hc = headers[chair]
    not_chair = next(h for mid, h in headers.items() if mid != chair)

    # reviews: one rejected for qualification, with a statutory reason and the facts
    bids = {w.names[f]: _bid(view, w.names[f])["id"] for f in w.firms}
    unqualified, asked, lowest = bids[w.names[w.firms[2]]], bids[w.names[w.firms[1]]], bids[w.names[w.firms[4]]]
    url = f"{base}/sessions/{w.sid}/bids"
    assert (
        client.post(f"{url}/{unqualified}/review", json={"stage": "qualification", "passed": True}, headers=not_chair)
    ).status_code == 403
    bad = client.post(
        f"{url}/{unqualified}/review",
        json={"stage": "qualification", "passed": False, "reason": "made_up", "facts": "资质证书过期"},
        headers=hc,
    )
    assert bad.status_code == 422
    shortcut = client.post(
        f"{url}/{lowest}/review",
        json={"stage": "compliance", "passed": False, "reason": "low_price_unproven", "facts": "报价过低"},
        headers=hc,
    )
    assert shortcut.status_code == 409  # the bidder must be asked first
    ok(
        client.post(
            f"{url}/{unqualified}/review",
            json={
                "stage": "qualification",
                "passed": False,
                "reason": "not_qualified",
                "facts": "投标文件所附营业执照经营范围不含教学设备销售",
            },
            headers=hc,
        )
    )
    for bid_id in bids.values():
        if bid_id != unqualified:
            ok(client.post(f"{url}/{bid_id}/review", json={"stage": "qualification", "passed": True}, headers=hc))

    # a clarification, answered by the supplier on its own API
    due = (core_clock.now() + timedelta(hours=1)).isoformat()
    q = ok(
        client.post(
            f"{base}/sessions/{w.sid}/queries",
            json={
                "bid_id": asked,
                "kind": "clarification",
                "question": "请澄清交货期“60日”是否为日历日",
                "due_at": due,
            },
            headers=hc,
        ),
        201,
    )
    mine = ok(client.get(f"{base}/my-queries", headers=w.hb[1]))
    assert [x["question"] for x in mine] == ["请澄清交货期“60日”是否为日历日"]
    assert ok(client.get(f"{base}/my-queries", headers=w.hb[0])) == []
    assert client.post(f"{base}/queries/{q['id']}/answer", json={"answer": "是"}, headers=w.hb[0]).status_code == 404
    ok(client.post(f"{base}/queries/{q['id']}/answer", json={"answer": "交货期为60个日历日"}, headers=w.hb[1]))
    assert client.post(f"{base}/queries/{q['id']}/answer", json={"answer": "再答"}, headers=w.hb[1]).status_code == 409

    # an abnormally low price: asked to justify, the answer does not convince, the bid is rejected with that reason
    lq = ok(
        client.post(
            f"{base}/sessions/{w.sid}/queries",
            json={
                "bid_id": lowest,
                "kind": "low_price",
                "question": "报价明显低于其他供应商，请说明其合理性并提供证明材料",
                "due_at": due,
            },
            headers=hc,
        ),
        201,
    )
    ok(client.post(f"{base}/queries/{lq['id']}/answer", json={"answer": "我公司有库存"}, headers=w.hb[4]))
    judged = ok(
        client.post(
            f"{base}/sessions/{w.sid}/queries/{lq['id']}/judgement",
            json={"accepted": False, "facts": "未提供库存及成本证明材料，不能证明其报价合理性"},
            headers=hc,
        )
    )
    low_row = _bid(judged, w.names[w.firms[4]])
    assert (
        low_row["rejected_reason"] == "low_price_unproven"
        and "不能证明其报价合理性" in low_row["rejected_reason_label"]
    )
    early = client.post(f"{base}/sessions/{w.sid}/review/finish", headers=hc)
    assert early.status_code == 409  # compliance not yet concluded
    for bid_id in (bids[w.names[w.firms[0]]], asked, bids[w.names[w.firms[3]]]):
        ok(
            client.post(
                f"{url}/{bid_id}/review",
                json={"stage": "compliance", "passed": True, "sme": bid_id == bids[w.names[w.firms[3]]]},
                headers=hc,
            )
        )
    view = ok(client.post(f"{base}/sessions/{w.sid}/review/finish", headers=hc))
    assert view["state"] == "scoring"
    valid = [b["id"] for b in view["bids"] if b["rejected_reason"] is None]
    assert len(valid) == 3

    # independent scoring
    def sheet(tech: str, service: str) -> dict:
        return {"scores": {str(b): {"tech": tech, "service": service} for b in valid}}

    members = list(headers)
    first, second = members[0], members[1]
    out_of_range = client.post(f"{base}/sessions/{w.sid}/scores", json=sheet("51", "10"), headers=headers[first])
    assert out_of_range.status_code == 422
    nonsense = client.post(f"{base}/sessions/{w.sid}/scores", json={"scores": {"abc": {}}}, headers=headers[first])
    assert nonsense.status_code == 422
    ok(client.post(f"{base}/sessions/{w.sid}/scores", json=sheet("40", "15"), headers=headers[first]))
    twice = client.post(f"{base}/sessions/{w.sid}/scores", json=sheet("41", "15"), headers=headers[first])
    assert twice.status_code == 409
    seen = session_of(client, w, headers[second])["scores"]
    assert str(first) not in seen  # another member's scores stay hidden before one's own submission
    assert client.post(f"{base}/sessions/{w.sid}/compute", headers=hc).status_code == 409
    for i, mid in enumerate(members[1:]):
        ok(client.post(f"{base}/sessions/{w.sid}/scores", json=sheet(str(38 + i), "16"), headers=headers[mid]))
    assert str(first) in session_of(client, w, headers[second])["scores"]

    view = ok(client.post(f"{base}/sessions/{w.sid}/compute", headers=hc))
    assert view["state"] == "signing"
    ranks = [r["rank"] for r in view["outcome"]["results"]]
    assert ranks == sorted(ranks) and len(ranks) == 3
    rep_view = ok(client.get(f"{base}/sessions/{w.sid}/report", headers=hc))
    content = rep_view["content"]
    assert [c["rank"] for c in content["candidates"]] == [1, 2, 3]
    # by hand (87号令 第五十五条): base 4,650,000; price parts 30 × 4650/4650, 4650/4700, 4650/4800 = 30.00, 29.68,
    # 29.06; technical average (40+38+39+40+41)/5 = 39.60; service (15+16×4)/5 = 15.80
    assert [(c["bidder"], c["total"]) for c in content["candidates"]] == [
        (w.names[w.firms[3]], "85.40"),
        (w.names[w.firms[1]], "85.08"),
        (w.names[w.firms[0]], "84.46"),
    ]
    assert {r["bidder"] for r in content["rejected"]} == {w.names[w.firms[2]], w.names[w.firms[4]]}
    assert any("第五十一条" in r["basis"] or "第六十三条" in r["basis"] for r in content["rejected"])
    assert any(r["basis"].endswith("第六十条") for r in content["rejected"])
    assert {x["kind"] for x in content["queries"]} == {"澄清", "异常低价说明"}
    assert len(content["scores"]) == 5

    # signatures: a dissent in writing, a refusal without reason recorded as agreement (条例 第五十三条)
    no_reason = client.post(f"{base}/sessions/{w.sid}/report/sign", json={"agree": False}, headers=headers[second])
    assert no_reason.status_code == 422
    ok(
        client.post(
            f"{base}/sessions/{w.sid}/report/sign",
            json={"agree": False, "dissent": "售后服务评分标准过于宽松，排名第二的供应商服务网点不足"},
            headers=headers[second],
        )
    )
    for mid in members:
        if mid not in (second, rep):
            ok(client.post(f"{base}/sessions/{w.sid}/report/sign", json={"agree": True}, headers=headers[mid]))
    assert client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]).json()["state"] == "evaluation"
    final = ok(client.post(f"{base}/sessions/{w.sid}/report/refusals/{rep}", headers=w.h["centre"]))
    assert final["state"] == "finished" and final["report_sha256"]
    sigs = {s["member"]: s for s in final["signatures"]}
    assert sigs[rep]["signature"].startswith("拒绝签字且未说明理由，视为同意")
    assert "服务网点不足" in sigs[second]["dissent"]
    entry = ok(client.get(f"/api/v1/ledger/entries/{final['report_ledger_seq']}"))
    assert entry["kind"] == "evaluation:report:final" and entry["payload"]["report_sha256"] == final["report_sha256"]
    assert client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]).json()["state"] == "evaluated"

    # delivery: the agency reads and delivers; the purchaser reads only once delivered, then confirms. Two working
    # days (87号令 第六十八条) pass without delivery: the tick raises the alert.
    assert client.get(f"{base}/sessions/{w.sid}/report", headers=w.h["agency"]).status_code == 200
    assert client.get(f"{base}/sessions/{w.sid}/report", headers=w.h["tenderer"]).status_code == 200  # as member
    clock.advance(timedelta(days=6))
    assert tasks.tick(db).evaluation_reports_overdue == [w.sid]
    assert tasks.tick(db).evaluation_reports_overdue == []  # raised once
    assert client.post(f"{base}/sessions/{w.sid}/report/confirm", headers=w.h["tenderer"]).status_code == 409
    delivered = ok(client.post(f"{base}/sessions/{w.sid}/report/deliver", headers=w.h["agency"]))
    assert delivered["delivered_at"] is not None
    confirmed = ok(client.post(f"{base}/sessions/{w.sid}/report/confirm", headers=w.h["tenderer"]))
    assert confirmed["received_at"] is not None
