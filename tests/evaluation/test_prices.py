"""The prices the method reads, through the API. Arithmetic corrections (87号令 第五十九条): the chair records each
with its rule; the bidder confirms it on its own list (the corrected price is then the bid's price, in the ranking),
declines it (the bid is invalid), or lets its deadline pass (invalid when the review ends; before the deadline the
review cannot end). Quantified adjustments (量化折算) of 经评审的最低投标价法 change the evaluated price only, and the
ranking with it; neither applies where its rule does not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import form_committee, ok, session_of, tokens
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

BASE = "/api/v1/evaluation"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _pass_all(client, w, hc, bids) -> None:
    for b in bids:
        for stage in ("qualification", "compliance"):
            url = f"{BASE}/sessions/{w.sid}/bids/{b['id']}/review"
            ok(client.post(url, json={"stage": stage, "passed": True}, headers=hc))


def test_corrections_confirmed_declined_and_lapsed(db, app, client, clock):
    w = opened_tender(db, clock, procurement=True)  # five bids
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    bids = {b["bidder"]: b for b in session_of(client, w, hc)["bids"]}
    _pass_all(client, w, hc, bids.values())
    due = (core_clock.now() + timedelta(hours=1)).isoformat()
    names = [w.names[f] for f in w.firms]
    heads = {w.names[f]: h for f, h in zip(w.firms, w.hb, strict=True)}
    url = f"{BASE}/sessions/{w.sid}/corrections"

    def correct(bidder: str, corrected: str, rule: str, who=hc):
        body = {
            "bid_id": bids[bidder]["id"],
            "rule": rule,
            "corrected": corrected,
            "facts": "开标一览表与分项报价表金额不一致",
            "due_at": due,
        }
        return client.post(url, json=body, headers=who)

    assert (
        correct(
            names[0], "4780000.00", "words_prevail", who=headers[next(m for m in headers if m != chair)]
        ).status_code
        == 403
    )
    confirmed = ok(correct(names[0], "4780000.00", "words_prevail"), 201)
    assert confirmed["rule_label"] == "大写金额和小写金额不一致的，以大写金额为准"
    assert correct(names[0], "4770000.00", "words_prevail").status_code == 409  # one pending at a time
    declined = ok(correct(names[1], "4690000.00", "unit_prices_prevail"), 201)
    lapsing = ok(correct(names[2], "4890000.00", "summary_prevails"), 201)

    # the bidder sees only its own, and confirms (or declines) once
    mine = ok(client.get(f"{BASE}/my-corrections", headers=heads[names[0]]))
    assert [(c["id"], c["original"], c["corrected"]) for c in mine] == [(confirmed["id"], "4800000.00", "4780000.00")]
    assert (
        client.post(
            f"{BASE}/corrections/{confirmed['id']}/answer", json={"confirm": True}, headers=heads[names[1]]
        ).status_code
        == 404
    )
    assert (
        ok(
            client.post(f"{BASE}/corrections/{confirmed['id']}/answer", json={"confirm": True}, headers=heads[names[0]])
        )["answer"]
        == "confirmed"
    )
    again = client.post(
        f"{BASE}/corrections/{confirmed['id']}/answer", json={"confirm": False}, headers=heads[names[0]]
    )
    assert again.status_code == 409
    # the second bidder declines on its own page
    with browser(app, w.bidders[1].username) as bidder:
        page = bidder.get("/evaluation/my-queries")
        text = page_text(page.text)
        assert "大写金额" not in text and "总价金额与按单价汇总金额不一致的，以单价金额计算结果为准" in text
        assert "4,690,000.00" in text and "4,780,000.00" not in text
        sent = bidder.post(
            f"/evaluation/corrections/{declined['id']}/answer",
            data={"confirm": "0", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert sent.status_code == 303
        assert "不确认（投标无效）" in page_text(bidder.get("/evaluation/my-queries").text)

    # the review cannot end while a correction is within its deadline; past it, the unconfirmed bid is invalid
    held = client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc)
    assert held.status_code == 409 and "报价修正" in held.json()["detail"]
    clock.set(core_clock.now() + timedelta(hours=2))
    late = client.post(f"{BASE}/corrections/{lapsing['id']}/answer", json={"confirm": True}, headers=heads[names[2]])
    assert late.status_code == 409
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    view = session_of(client, w, hc)
    by_name = {b["bidder"]: b for b in view["bids"]}
    assert by_name[names[0]]["price"] == "4780000.00" and by_name[names[0]]["rejected_reason"] is None
    for n in names[1:3]:
        assert by_name[n]["rejected_reason"] == "correction_unconfirmed"
        assert by_name[n]["rejected_reason_label"] == "投标人不确认评标委员会修正后的报价"
    assert view["state"] == "scoring"

    # the corrected price is the one the method uses; the report records each correction with its rule and answer
    sheet = {
        "scores": {str(b["id"]): {"tech": "40", "service": "15"} for b in view["bids"] if not b["rejected_reason"]}
    }
    for h in headers.values():
        ok(client.post(f"{BASE}/sessions/{w.sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))
    report = ok(client.get(f"{BASE}/sessions/{w.sid}/report", headers=hc))["content"]
    assert [r["price"] for r in report["results"] if r["bidder"] == names[0]] == ["4780000.00"]
    assert [(c["bidder"], c["corrected"], c["answer"]) for c in report["corrections"]] == [
        (names[0], "4780000.00", "投标人已确认"),
        (names[1], "4690000.00", "投标人不确认（投标无效）"),
        (names[2], "4890000.00", "逾期未确认（投标无效）"),
    ]
    assert all(c["basis"] == "《政府采购货物和服务招标投标管理办法》第五十九条" for c in report["corrections"])
    refused = client.post(
        f"{BASE}/sessions/{w.sid}/adjustments",
        json={"bid_id": by_name[names[0]]["id"], "item": "交货期偏差", "amount": "1000", "facts": "交货期晚于要求"},
        headers=hc,
    )
    assert refused.status_code == 409


def test_quantified_adjustments_change_the_evaluated_price_and_the_ranking_only(db, client, clock):
    prices = ("3986500.00", "3912800.00", "4035000.00")
    w = opened_tender(db, clock, procurement=False, prices=prices)
    tokens(client, w)
    headers, chair = form_committee(client, w)
    hc = headers[chair]
    bids = session_of(client, w, hc)["bids"]
    _pass_all(client, w, hc, bids)
    cheapest = next(b for b in bids if b["price"] == "3912800.00")
    body = {
        "bid_id": cheapest["id"],
        "rule": "words_prevail",
        "corrected": "3900000.00",
        "facts": "大写与小写不一致",
        "due_at": (core_clock.now() + timedelta(hours=1)).isoformat(),
    }
    # an engineering tender corrects under the tender documents' rules (平台默认值), never 第五十九条's
    assert client.post(f"{BASE}/sessions/{w.sid}/corrections", json=body, headers=hc).status_code == 422
    url = f"{BASE}/sessions/{w.sid}/adjustments"
    for item, amount in (("工期比招标文件要求延长20日", "60000.00"), ("质保期缩短一年", "40000.00")):
        ok(
            client.post(
                url,
                json={
                    "bid_id": cheapest["id"],
                    "item": item,
                    "amount": amount,
                    "facts": "按招标文件评标办法第3.2条量化",
                },
                headers=hc,
            ),
            201,
        )
    assert (
        client.post(
            url, json={"bid_id": cheapest["id"], "item": "零折算", "amount": "0", "facts": "没有偏差"}, headers=hc
        ).status_code
        == 422
    )
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=hc))
    ok(client.post(f"{BASE}/sessions/{w.sid}/compute", headers=hc))
    report = ok(client.get(f"{BASE}/sessions/{w.sid}/report", headers=hc))["content"]
    ranked = [(r["price"], r["evaluation_price"]) for r in sorted(report["results"], key=lambda r: r["rank"])]
    # 3,912,800 + 100,000 = 4,012,800 now ranks after 3,986,500; its quoted (contract) price is unchanged
    assert ranked == [("3986500.00", "3986500.00"), ("3912800.00", "4012800.00"), ("4035000.00", "4035000.00")]
    assert [a["amount"] for a in report["adjustments"]] == ["60000.00", "40000.00"]
