"""The evaluation's winner through results and awards, by the API: a procurement open tender under 综合评分法
from its signed, delivered report → the purchaser determines the first candidate → the result notice → the award
letters drafted by the agency, sealed by its signer, issued (the winner's 中标通知书, the others' 中标结果通知书,
each loser told its own score and rank and nobody else's, 87号令 第六十九条) → the contract drafted and signed by
both → the losers' deposits due 5 working days after the letters, the winner's 5 working days after the
contract (87号令 第三十八条), and the contract published on time on the disclosure dashboard (采购条例 第五十条)."""

from __future__ import annotations

import re

import pytest

from sunshine.identity.roles import Role
from sunshine.trading import deposits
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.pages import browser, csrf_token, page_text
from tests.results.builders import RESULTS, UNQUALIFIED, evaluated, fast, results
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor

PRICES = ("4800000.00", "4700000.00", "4900000.00", "4600000.00")  # the last one unqualified


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def _deposit(db, deposit_id: int) -> tuple[str, str | None]:
    with db.unit_of_work() as s:
        view = deposits.view_of(s, s.get(deposits.Deposit, deposit_id))
        return view.deposit.status, view.due.isoformat() if view.due else None


def test_evaluated_procurement_to_letters_contract_refunds_and_disclosure(db, client, clock, app):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=True, prices=PRICES, deposit="50000.00", unqualified=3)
    rejected_org = w.firms[3]
    pid = w.project_id
    winner_org, *loser_orgs = w.ranked
    view = results(client, w, w.h["tenderer"])
    candidates = view["sections"][0]["candidates"]
    signed_report = ok(client.get(f"/api/v1/evaluation/sessions/{w.sid}/report", headers=w.h["tenderer"]))
    totals = {r["bidder"]: f"{float(r['total']):.2f}" for r in signed_report["content"]["results"]}
    assert len(set(totals.values())) == 3, "distinct scores, so a letter showing another's score would be caught"

    # The purchaser determines the first candidate; the result notice follows.
    first = next(c for c in candidates if c["rank"] == 1)
    assert first["bidder"] == w.names[winner_org]
    ok(
        client.post(
            f"{RESULTS}/projects/{pid}/sections/{w.section_id}/winner",
            data={"eval_bid_id": str(first["eval_bid_id"])},
            headers=w.h["tenderer"],
        )
    )
    assert ok(client.post(f"{RESULTS}/projects/{pid}/notice", headers=w.h["tenderer"]))["state_label"] == "结果已公告"

    # The agency drafts the letters, its signer seals each, the agency issues them.
    drafted = ok(client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.h["agency"]))["letters"]
    by_org = {letter["organisation_id"]: letter for letter in drafted}
    assert set(by_org) == {*w.ranked, rejected_org}
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    key = make_key(db, signer)
    signer_headers = api_token(client, signer.username)
    for letter in drafted:
        body = seal_body(db, "award_letter", letter["id"], key)
        sealed = client.post(f"/api/v1/seals/award_letter/{letter['id']}", headers=signer_headers, json=body)
        assert sealed.status_code in (200, 201), sealed.text
    issued = ok(client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.h["agency"]))
    assert issued["state_label"] == "已发出中标通知书"
    letters_day = issued["letters"][0]["issued_at"][:10]

    # Each addressee reads its own letter: the winner its 中标通知书 with the amount, the others their result with
    # their own score and rank — never another bidder's figures; nobody reads another's letter.
    def read(org: int) -> dict:
        return ok(client.get(f"/api/v1/award-letters/{by_org[org]['id']}", headers=w.bidder_headers[org]))

    award = read(winner_org)
    assert award["title"] == "中标通知书" and "4,700,000.00" in award["body"]
    assert "评审委员会推荐、采购人确定" in award["body"] and "评审得分" not in award["body"]
    for rank, org in enumerate(loser_orgs, start=2):
        letter = read(org)
        own = totals[w.names[org]]
        assert letter["title"] == "中标结果通知书"
        assert f"本项目采用综合评分法评审，你单位的评审得分为{own}分，排序第{rank}名。" in letter["body"]
        assert re.findall(r"\d+\.\d{2}分", letter["body"]) == [f"{own}分"]
        others = [t for name, t in totals.items() if name != w.names[org]]
        assert not any(f"{t}分" in letter["body"] for t in others)
        stranger = next(o for o in w.ranked if o != org)
        assert (
            client.get(f"/api/v1/award-letters/{letter['id']}", headers=w.bidder_headers[stranger]).status_code == 404
        )

    # The bid the committee found unqualified: told why (its own reason), no score or rank.
    letter = read(rejected_org)
    assert letter["title"] == "中标结果通知书"
    assert f"你单位资格审查未通过，理由：不具备招标文件中规定的资格要求（{UNQUALIFIED}）。" in letter["body"]
    assert "评审得分" not in letter["body"] and "排序" not in letter["body"]

    # The unsuccessful suppliers' deposits: due 5 working days after the letters; the winner's waits.
    assert letters_day == "2026-12-23"  # Wednesday (the report delivered, decided and notified the same day)
    assert _deposit(db, w.deposits[winner_org]) == ("paid", None)
    for org in [*loser_orgs, rejected_org]:
        assert _deposit(db, w.deposits[org]) == ("refund_due", "2026-12-30")  # Wed 23rd + 5 working days

    # The contract, drafted by the agency at the winning amount, signed by the winner and the purchaser.
    terms = {"section_id": w.section_id, "term": "合同签订后30日内交货", "payment": "验收合格后一次付清"}
    contract = ok(client.post(f"/api/v1/projects/{pid}/contracts", headers=w.h["agency"], json=terms), 201)
    assert contract["title"] == "政府采购合同" and contract["amount"] == "4700000.00"
    sign = f"/api/v1/contracts/{contract['id']}/sign"
    sha = {"sha256": contract["sha256"]}
    ok(client.post(sign, headers=api_token(client, w.bidders[w.firms.index(winner_org)].username), json=sha))
    signed = ok(client.post(sign, headers=api_token(client, w.tenderer.username), json=sha))
    assert signed["project_state_label"] == "合同已签订"
    assert _deposit(db, w.deposits[winner_org]) == ("refund_due", "2026-12-30")  # Wed 23rd + 5 working days

    # Published on time: ZC.JG.02 due 2 working days after the signing, met on the day.
    owed = ok(
        client.get(
            "/api/v1/disclosure/obligations", params={"item_code": "ZC.JG.02", "project_id": pid}, headers=w.h["centre"]
        )
    )
    assert [(o["due"], o["met_on"], o["status_label"], o["late"]) for o in owed] == [
        ("2026-12-25", "2026-12-23", "已公开", False)
    ]
    pubs = ok(client.get("/api/v1/disclosure/publications", params={"item_code": "ZC.JG.02"}))["items"]
    assert len(pubs) == 1 and "4,700,000.00" in pubs[0]["body"] and w.names[winner_org] in pubs[0]["body"]

    # The filing (政府采购法 第四十七条) on the contract's page: its deadline and state, then the purchaser's form.
    due = signed["filing_due"]
    cn_due = f"{int(due[:4])}年{int(due[5:7])}月{int(due[8:10])}日"
    with browser(app, w.tenderer.username) as purchaser:
        page = purchaser.get(f"/contracts/{contract['id']}")
        text = page_text(page.text)
        assert "合同备案" in text and "七个工作日" in text and "待备案" in text and cn_due in text, text
        filed = purchaser.post(
            f"/contracts/{contract['id']}/filing",
            data={"csrf_token": csrf_token(page.text), "reference": "财采备〔2026〕0123号"},
            follow_redirects=True,
        )
        text = page_text(filed.text)
        assert "已登记合同备案" in text and "已备案" in text and "财采备〔2026〕0123号" in text
        assert "登记合同备案" not in text.replace("已登记合同备案", "")  # the form is gone
    with browser(app, w.bidders[w.firms.index(winner_org)].username) as supplier:  # the supplier reads, never files
        text = page_text(supplier.get(f"/contracts/{contract['id']}").text)
        assert "已备案" in text and "财采备〔2026〕0123号" in text
    again = client.post(f"/api/v1/contracts/{contract['id']}/filing", headers=w.h["agency"], json={"reference": "X"})
    assert again.status_code == 409
