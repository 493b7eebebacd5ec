"""A procurement open tender under the Fujian local pack (seed 003) from its evaluation report to an accepted
contract, through the API: the first candidate gives up, the purchaser chooses the second with the statutory reason
and evidence (87号令 第六十八条) → the result notice → the letters → the contract with its performance security →
the winner's bid deposit held until that security is paid (the local pack's rule), then due within 5 calendar days
of it → the security paid as money through the deposits' payment channel, confirmed with the bank → an additional
purchase of 11 % refused and one of 10 % agreed (政府采购法 第四十九条), added to the schedule → milestones and
payments → the acceptance signed by its members (→ 履约验收合格, ZC.JG.03 published on time) → the security refunded
through the channel; the winner's workbench lists the contract."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from sunshine.core import clock as core_clock
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.trading import deposits
from sunshine.trading.models import Deposit, Project
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.performance.builders import letters_and_contract, page_as, performance
from tests.results.builders import RESULTS, candidate_id, evaluated, fast, results
from tests.trading.builders import actor

PRICES = ("4800000.00", "4700000.00", "4900000.00")
PDF = ("放弃中标声明.pdf", b"%PDF-1.4\n% statement of giving up\n", "application/pdf")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def _deposit(db, deposit_id: int) -> tuple[str, date | None]:
    with db.unit_of_work() as s:
        view = deposits.view_of(s, s.get(Deposit, deposit_id))
        return view.status_label, view.due


def test_second_candidate_to_accepted_contract_with_the_additional_purchase_capped(db, app, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=True, prices=PRICES, deposit="50000.00")
    with db.unit_of_work() as s:  # a provincial project: the Fujian local pack (seed 003)
        project = s.get(Project, w.project_id)
        pack = rules.resolve(s, "gov_procurement.open_tender_fujian", core_clock.today_local())
        project.pack_key, project.pack_version = pack.key, str(pack.version)
        project.rules_snapshot = json.dumps(pack.snapshot(), ensure_ascii=False)
    pid, url = w.project_id, f"{RESULTS}/projects/{w.project_id}"
    view = results(client, w, w.h["tenderer"])
    first, second = w.ranked[:2]
    ok(
        client.post(
            f"{url}/sections/{w.section_id}/winner",
            data={
                "eval_bid_id": str(candidate_id(view, w.names[second])),
                "reason": "gave_up",
                "facts": "第一名于12月23日书面声明放弃中标",
            },
            files={"evidence": PDF},
            headers=w.h["tenderer"],
        )
    )
    ok(client.post(f"{url}/notice", headers=w.h["tenderer"]))
    w.winner = second
    contract = letters_and_contract(
        db, client, w, term="合同签订后60日内交货安装", payment="到货验收后分两期支付", security="480000.00"
    )
    cid, winner_h = contract["id"], w.bidder_headers[second]
    assert contract["amount"] == "4800000.00" and contract["winner"] == w.names[second]
    # the others were refunded from the letters; the winner's deposit waits for its performance security (seed 003)
    assert _deposit(db, w.deposits[first]) == ("待退还", date(2026, 12, 28))  # 23rd + 5 calendar days
    assert _deposit(db, w.deposits[second]) == ("已缴纳", None)

    schedule = {
        "milestones": [
            {"title": "到货安装", "planned_on": "2027-02-20", "amount": "3360000.00"},
            {"title": "试运行合格", "planned_on": "2027-03-20", "amount": "1440000.00"},
        ]
    }
    ok(client.put(f"/api/v1/contracts/{cid}/schedule", headers=w.h["agency"], json=schedule))

    # the performance security as money: a sub-account of the payment channel, the arrival checked with the bank
    [security] = performance(client, cid, winner_h)["securities"]
    sid = security["id"]
    pv = ok(client.post(f"/api/v1/performance/securities/{sid}/money", headers=winner_h))
    assert pv["securities"][0]["account"] and pv["securities"][0]["form_label"] == "保证金（转账）"
    clock.advance(timedelta(days=1))  # Thursday 24 December
    pv = ok(client.post(f"/api/v1/performance/securities/{sid}/receipt", headers=w.h["tenderer"]))
    assert (pv["securities"][0]["status_label"], pv["securities"][0]["amount"]) == ("已收到", "480000.00")
    assert _deposit(db, w.deposits[second]) == ("待退还", date(2026, 12, 29))  # 24th + 5 calendar days

    # an additional purchase of the same goods: 11 % refused, 10 % agreed and added to the schedule
    changes = f"/api/v1/contracts/{cid}/changes"
    more = {"kind": "additional_purchase", "description": "追加同型号交互式黑板10套", "reasons": "新增2个教学班"}
    over = client.post(
        changes, headers=w.h["tenderer"], json={**more, "amount": "528000.00", "planned_on": "2027-03-20"}
    )
    assert over.status_code == 422 and over.json()["code"] == "additional_purchase_over_limit"
    assert "第四十九条" in over.json()["detail"] and "11.00%" in over.json()["detail"]
    substance = client.post(changes, headers=w.h["tenderer"], json={**more, "kind": "subject"})
    assert substance.status_code == 422 and substance.json()["code"] == "contract_changes_substance"
    change = ok(
        client.post(changes, headers=w.h["tenderer"], json={**more, "amount": "480000.00", "planned_on": "2027-03-20"}),
        201,
    )
    agreed = ok(
        client.post(f"/api/v1/performance/changes/{change['id']}/answer", headers=winner_h, json={"agree": True})
    )
    assert agreed["status_label"] == "双方已同意"
    pv = performance(client, cid, w.h["tenderer"])
    assert pv["additional"] == "480000.00" and pv["milestones"][-1]["amount"] == "480000.00"
    again = client.post(changes, headers=winner_h, json={**more, "amount": "0.01", "planned_on": "2027-03-20"})
    assert again.status_code == 422 and again.json()["code"] == "additional_purchase_over_limit"

    # every milestone done and paid
    for m in pv["milestones"]:
        ok(
            client.post(
                f"/api/v1/performance/milestones/{m['id']}/done", headers=winner_h, data={"evidence": "已交付并试运行"}
            )
        )
        paid = {"amount": m["amount"], "paid_on": "2026-12-24", "reference": f"ZF{m['seq']}"}
        ok(client.post(f"/api/v1/performance/milestones/{m['id']}/payments", headers=w.h["tenderer"], json=paid), 201)

    # the acceptance: the purchaser's people sign the report; the result is published (ZC.JG.03)
    teacher = actor(db, Role.TENDERER, organisation_id=w.school)
    members = [
        {"user_id": w.tenderer.user_id, "role": "验收组长"},
        {"user_id": teacher.user_id, "role": "使用部门代表"},
    ]
    a = ok(
        client.post(
            f"/api/v1/contracts/{cid}/acceptances",
            headers=w.h["tenderer"],
            json={"method": "现场验收", "members": members},
        ),
        201,
    )
    result = {"accepted_on": "2026-12-24", "result": "passed", "findings": "设备型号、数量、性能均符合合同约定"}
    a = ok(client.post(f"/api/v1/acceptances/{a['id']}/result", headers=w.h["tenderer"], json=result))
    ok(client.post(f"/api/v1/acceptances/{a['id']}/sign", headers=w.h["tenderer"], json={"sha256": a["sha256"]}))
    assert performance(client, cid, winner_h)["project_state_label"] == "履约中"  # one member still to sign
    teacher_h = api_token(client, teacher.username)
    done = ok(client.post(f"/api/v1/acceptances/{a['id']}/sign", headers=teacher_h, json={"sha256": a["sha256"]}))
    assert done["status_label"] == "验收合格"
    assert performance(client, cid, winner_h)["project_state_label"] == "履约验收合格"
    owed = ok(
        client.get(
            "/api/v1/disclosure/obligations", params={"item_code": "ZC.JG.03", "project_id": pid}, headers=w.h["centre"]
        )
    )
    assert [(o["met_on"], o["late"]) for o in owed] == [("2026-12-24", False)]

    # the security refunded through the payment channel to where it came from
    pv = ok(client.post(f"/api/v1/performance/securities/{sid}/release", headers=w.h["tenderer"], json={}))
    refunded = pv["securities"][0]
    assert refunded["status_label"] == "已退还" and refunded["refund"]["amount"] == "480000.00"
    assert refunded["refund"]["payee_account_name"] == w.names[second]

    # the winner's workbench
    mine = ok(client.get("/api/v1/performance/mine", headers=winner_h))
    assert [(c["number"], c["project_state_label"]) for c in mine] == [(contract["number"], "履约验收合格")]
    assert ok(client.get("/api/v1/performance/mine", headers=w.bidder_headers[first])) == []
    [workbench] = page_as(app, w.bidders[w.firms.index(second)].username, "/my/performance")
    assert contract["number"] in workbench and "履约验收合格" in workbench
