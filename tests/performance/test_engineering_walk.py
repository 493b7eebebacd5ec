"""An engineering open tender from its evaluation report to an accepted contract, through the API: the candidates'
publicity → the winner → the written report's 15 days (招标投标法 第四十七条) counted across a holiday, overdue and
alerted, then submitted late and acknowledged → the result notice → the letters → the contract with a performance
security of 10 % → everyone's deposit refundable 5 days after the contract (条例 第五十七条) across 元旦, refunded
with the bank interest of the days held → the payment schedule (422 when it does not sum) → the security as a 保函
(amount and validity checked) → milestones and payments (never above what is due; an overdue payment alerted) →
changes (substance refused) → a failed acceptance, then a passed one signed by every member (→ 履约验收合格,
published) → the 保函 returned as a document."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from sunshine import tasks
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.identity.roles import Role
from sunshine.trading import deposits
from sunshine.trading.deposit_interest import interest
from sunshine.trading.models import Deposit
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.performance.builders import letters_and_contract, page_as, performance, upload_guarantee
from tests.results.builders import RESULTS, candidate_id, evaluated, fast, results
from tests.trading.builders import actor

PRICES = ("4800000.00", "4750000.00", "4900000.00")
SCHEDULE = [
    {"title": "预付款", "planned_on": "2027-01-10", "amount": "950000.00"},
    {"title": "路基及管网完工", "planned_on": "2027-03-31", "amount": "2850000.00"},
    {"title": "竣工验收", "planned_on": "2027-04-30", "amount": "950000.00"},
]


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def _on(clock, day: date) -> None:
    clock.set(datetime(day.year, day.month, day.day, 2, 0, tzinfo=clock.now().tzinfo))  # 10:00 in Beijing


def test_engineering_tender_from_report_to_accepted_contract(db, app, client, clock):
    load_catalog(db)
    admin = actor(db, Role.ADMIN)
    with db.unit_of_work() as s:  # Wednesday 13 January 2027 declared a holiday (an administrator's override)
        calendar.set_day(s, actor=admin, day=date(2027, 1, 13), kind="holiday", name="调休", reason="测试")
    w = evaluated(db, client, clock, procurement=False, prices=PRICES, deposit="50000.00")
    pid, url = w.project_id, f"{RESULTS}/projects/{w.project_id}"
    w.winner = w.ranked[0]
    view = results(client, w, w.h["tenderer"])
    assert view["report_received_on"] == "2026-12-23"

    # publicity on the 24th (until Monday 28th), the winner determined on Tuesday 29th
    clock.advance(timedelta(days=1))
    ok(client.post(f"{url}/publicity", headers=w.h["agency"]))
    _on(clock, date(2026, 12, 29))
    first = w.names[w.winner]
    ok(
        client.post(
            f"{url}/sections/{w.section_id}/winner",
            data={"eval_bid_id": str(candidate_id(view, first))},
            headers=w.h["tenderer"],
        )
    )
    report_url = f"/api/v1/projects/{pid}/tender-report"
    tender_report = ok(client.get(report_url, headers=w.h["tenderer"]))
    # 15 days from 29 December: 13 January, declared a holiday → Thursday 14 January
    assert (tender_report["determined_on"], tender_report["due"]) == ("2026-12-29", "2027-01-14")
    assert "招标投标情况书面报告" in tender_report["body"] and "确定中标人" in tender_report["body"]
    assert client.get(report_url, headers=w.bidder_headers[w.ranked[1]]).status_code == 404
    ok(client.post(f"{url}/notice", headers=w.h["agency"]))

    # letters and the contract, with the performance security at the 10 % cap (条例 第五十八条)
    contract = letters_and_contract(
        db, client, w, term="2027年1月1日至2027年4月30日", payment="按付款计划分三期支付", security="475000.00"
    )
    cid = contract["id"]
    # everyone's deposit: 5 days of the contract (条例 第五十七条) — 3 January is a Sunday in 元旦 → 4 January
    for deposit_id in w.deposits.values():
        with db.unit_of_work() as s:
            seen = deposits.view_of(s, s.get(Deposit, deposit_id))
            assert (seen.status_label, seen.due) == ("待退还", date(2027, 1, 4))

    winner_h = w.bidder_headers[w.winner]
    pv = performance(client, cid, w.h["tenderer"])
    assert pv["project_state_label"] == "合同已签订" and pv["side"] == "tenderer"
    [security] = pv["securities"]
    assert (security["kind_label"], security["required"], security["status_label"]) == (
        "履约担保",
        "475000.00",
        "待提交",
    )

    # the payment schedule must sum to the contract amount
    wrong = client.put(f"/api/v1/contracts/{cid}/schedule", headers=w.h["tenderer"], json={"milestones": SCHEDULE[:2]})
    assert wrong.status_code == 422 and wrong.json()["code"] == "schedule_sum_mismatch"
    assert "4,750,000.00" in wrong.json()["detail"]
    assert (
        client.put(f"/api/v1/contracts/{cid}/schedule", headers=winner_h, json={"milestones": SCHEDULE}).status_code
        == 403
    )
    pv = ok(client.put(f"/api/v1/contracts/{cid}/schedule", headers=w.h["tenderer"], json={"milestones": SCHEDULE}))
    assert pv["project_state_label"] == "履约中" and [m["amount"] for m in pv["milestones"]] == [
        "950000.00",
        "2850000.00",
        "950000.00",
    ]

    # the security as a 保函: amount and validity checked, then received by the tenderer
    sid = security["id"]
    fields = {"issuer": "中国建设银行示范市分行", "number": "BH-2026-0001", "valid_until": "2027-06-30"}
    low = upload_guarantee(client, sid, winner_h, amount="400000.00", **fields)
    assert low.status_code == 422 and low.json()["field"] == "amount"
    short = upload_guarantee(client, sid, winner_h, amount="475000.00", **{**fields, "valid_until": "2027-03-31"})
    assert short.status_code == 422 and "2027-04-30" in short.json()["detail"]
    assert upload_guarantee(client, sid, w.h["tenderer"], amount="475000.00", **fields).status_code == 403
    pv = ok(upload_guarantee(client, sid, winner_h, amount="475000.00", **fields))
    assert pv["securities"][0]["status_label"] == "已提交，待确认收到" and pv["securities"][0]["file_sha256"]
    assert client.post(f"/api/v1/performance/securities/{sid}/receipt", headers=winner_h).status_code == 403
    pv = ok(client.post(f"/api/v1/performance/securities/{sid}/receipt", headers=w.h["tenderer"]))
    assert pv["securities"][0]["status_label"] == "已收到"
    early = client.post(f"/api/v1/performance/securities/{sid}/release", headers=w.h["tenderer"], json={"note": "x"})
    assert early.status_code == 409 and "验收合格" in early.json()["detail"]

    # the centre refunds the deposits on 31 December, each with the bank interest of the days held
    _on(clock, date(2026, 12, 31))
    tz = get_settings().tz
    for deposit_id in w.deposits.values():
        with db.unit_of_work() as s:
            paid_on = s.get(Deposit, deposit_id).paid_at.astimezone(tz).date()
        days = (date(2026, 12, 31) - paid_on).days
        refunded = ok(client.post(f"/api/v1/deposits/{deposit_id}/refund", headers=w.h["centre"]))
        step = refunded["evidence"]["refunded"]
        expected = interest(Decimal("50000.00"), Decimal("0.35"), days)
        assert expected > 0 and (step["bank_interest"], step["days_held"]) == (str(expected), days)
        assert step["amount"] == str(Decimal("50000.00") + expected) and step["bank_interest_rate"] == "0.35%"

    # milestones: the winner reports, the tenderer pays — never above what is due
    m1, m2, m3 = (m["id"] for m in pv["milestones"])
    done = "/api/v1/performance/milestones/{}/done"
    assert client.post(done.format(m1), headers=w.h["tenderer"], data={"evidence": "已进场"}).status_code == 403
    pv = ok(client.post(done.format(m1), headers=winner_h, data={"evidence": "施工队伍和设备已进场，开工报告已报监理"}))
    assert pv["milestones"][0]["done_on"] == "2026-12-31" and pv["milestones"][0]["pay_due"] == "2027-02-01"
    pay = "/api/v1/performance/milestones/{}/payments"
    over = client.post(
        pay.format(m1),
        headers=w.h["tenderer"],
        json={"amount": "950000.01", "paid_on": "2026-12-31", "reference": "P1"},
    )
    assert over.status_code == 422 and over.json()["code"] == "payment_exceeds_due"
    ok(
        client.post(
            pay.format(m1),
            headers=w.h["tenderer"],
            json={"amount": "950000.00", "paid_on": "2026-12-31", "reference": "P1"},
        ),
        201,
    )

    # changes: a change of substance is refused; a non-substantive one is agreed by the other party
    changes = f"/api/v1/contracts/{cid}/changes"
    text = {"description": "工期顺延30日", "reasons": "雨季施工受阻"}
    refused = client.post(changes, headers=winner_h, json={"kind": "term", **text})
    assert refused.status_code == 422 and refused.json()["code"] == "contract_changes_substance"
    assert "第四十六条" in refused.json()["detail"]
    extra = client.post(
        changes, headers=w.h["tenderer"], json={"kind": "additional_purchase", "amount": "1000.00", **text}
    )
    assert extra.status_code == 422 and extra.json()["code"] == "contract_changes_substance"
    change = ok(
        client.post(
            changes,
            headers=winner_h,
            json={"kind": "non_substantive", "description": "项目联系人变更为李工", "reasons": "原联系人调岗"},
        ),
        201,
    )
    assert (
        client.post(
            f"/api/v1/performance/changes/{change['id']}/answer", headers=winner_h, json={"agree": True}
        ).status_code
        == 403
    )
    agreed = ok(
        client.post(f"/api/v1/performance/changes/{change['id']}/answer", headers=w.h["tenderer"], json={"agree": True})
    )
    assert agreed["status_label"] == "双方已同意" and agreed["ledger_seq"]

    # the written report is overdue on 15 January: the tick alerts; submitted late, acknowledged by the supervisor
    _on(clock, date(2027, 1, 15))
    ok(client.post(done.format(m2), headers=winner_h, data={"evidence": "路基、雨污水管网完工，监理验收记录附后"}))
    tick = tasks.tick(db)
    assert tick.tender_reports_overdue == [w.code] and tick.payments_overdue == []
    supervisor_alerts = ok(client.get("/api/v1/alerts", headers=w.h["supervisor"]))
    assert any("招标投标情况书面报告" in a["message"] and "2027-01-14" in a["message"] for a in supervisor_alerts)
    assert client.post(f"{report_url}/submit", headers=w.h["supervisor"]).status_code == 403
    submitted = ok(client.post(f"{report_url}/submit", headers=w.h["agency"]))
    assert submitted["late"] is True and submitted["sha256"]
    assert client.post(f"{report_url}/acknowledge", headers=w.h["tenderer"]).status_code == 403
    assert ok(client.post(f"{report_url}/acknowledge", headers=w.h["supervisor"]))["acknowledged_at"]

    # the second payment is forgotten: 30 days on, the tick alerts; then it is paid
    _on(clock, date(2027, 2, 16))
    assert tasks.tick(db).payments_overdue == [m2]
    assert any(
        "尚欠人民币2,850,000.00元" in a["message"] for a in ok(client.get("/api/v1/alerts", headers=w.h["centre"]))
    )
    assert performance(client, cid, winner_h)["milestones"][1]["overdue"] is True
    ok(
        client.post(
            pay.format(m2),
            headers=w.h["tenderer"],
            json={"amount": "2850000.00", "paid_on": "2027-02-16", "reference": "P2"},
        ),
        201,
    )
    ok(client.post(done.format(m3), headers=winner_h, data={"evidence": "全部工程完工，竣工资料已移交"}))
    ok(
        client.post(
            pay.format(m3),
            headers=w.h["tenderer"],
            json={"amount": "950000.00", "paid_on": "2027-02-16", "reference": "P3"},
        ),
        201,
    )

    # acceptance: members of the tenderer and a third party; the winner's own people may not sit
    inspector = actor(db, Role.TENDERER, organisation_id=w.school)
    engineer = actor(db, Role.EXPERT)
    members = [
        {"user_id": w.tenderer.user_id, "role": "验收组长（建设单位）"},
        {"user_id": inspector.user_id, "role": "建设单位工程部"},
        {"user_id": engineer.user_id, "role": "特邀工程技术人员"},
    ]
    acceptances = f"/api/v1/contracts/{cid}/acceptances"
    bad = [*members, {"user_id": w.bidders[w.firms.index(w.winner)].user_id, "role": "施工单位"}]
    refused = client.post(acceptances, headers=w.h["tenderer"], json={"method": "现场验收", "members": bad})
    assert refused.status_code == 422 and refused.json()["field"] == "members"
    heads = {
        w.tenderer.user_id: w.h["tenderer"],
        inspector.user_id: api_token(client, inspector.username),
        engineer.user_id: api_token(client, engineer.username),
    }

    def round_(result: str, findings: str) -> dict:
        a = ok(
            client.post(acceptances, headers=w.h["agency"], json={"method": "现场验收、抽样检测", "members": members}),
            201,
        )
        a = ok(
            client.post(
                f"/api/v1/acceptances/{a['id']}/result",
                headers=w.h["agency"],
                json={"accepted_on": "2027-02-16", "result": result, "findings": findings},
            )
        )
        assert a["status_label"] == "验收书待成员签字" and findings in a["report"]
        stale = client.post(
            f"/api/v1/acceptances/{a['id']}/sign", headers=heads[engineer.user_id], json={"sha256": "0" * 64}
        )
        assert stale.status_code == 409
        assert (
            client.post(
                f"/api/v1/acceptances/{a['id']}/sign", headers=winner_h, json={"sha256": a["sha256"]}
            ).status_code
            == 403
        )
        for h in heads.values():
            a = ok(client.post(f"/api/v1/acceptances/{a['id']}/sign", headers=h, json={"sha256": a["sha256"]}))
        return a

    failed = round_("failed", "人行道铺装平整度不合格，须返工")
    assert failed["status_label"] == "验收不合格" and failed["round"] == 1
    assert performance(client, cid, w.h["tenderer"])["project_state_label"] == "履约中"
    passed = round_("passed", "返工后路面、管网、人行道均符合设计和规范要求")
    assert (
        passed["status_label"] == "验收合格" and passed["round"] == 2 and all(m["signed_at"] for m in passed["members"])
    )
    pv = performance(client, cid, w.h["tenderer"])
    assert pv["project_state_label"] == "履约验收合格"
    published = ok(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.JG.03"}))["items"]
    assert (
        len(published) == 1 and "返工后路面" in published[0]["body"] and "项目联系人变更为李工" in published[0]["body"]
    )

    # the 保函 goes back as a document: how it went back is recorded, with its date
    release = f"/api/v1/performance/securities/{sid}/release"
    assert client.post(release, headers=w.h["tenderer"], json={"note": ""}).status_code == 422
    pv = ok(client.post(release, headers=w.h["tenderer"], json={"note": "EMS 1234567890，施工单位张三签收"}))
    back = pv["securities"][0]
    assert (back["status_label"], back["returned_on"], back["refund"]) == ("已退还", "2027-02-16", None)

    # the pages: the contract's performance for the winner, the report for the supervisor, the project's links
    winner_user = w.bidders[w.firms.index(w.winner)].username
    [page, project_page] = page_as(app, winner_user, f"/contracts/{cid}/performance", f"/projects/{pid}")
    assert "履约验收合格" in page and "EMS 1234567890" in page and "保函原件已于 2027-02-16 退还" not in page
    assert "原件已于 2027-02-16 退还" in page and "付款逾期" not in page
    assert f'href="/contracts/{cid}/performance"' in project_page
    [report_page, listing] = page_as(
        app, w.supervisor.username, f"/projects/{pid}/tender-report", "/performance/tender-reports"
    )
    assert "逾期提交" in report_page and "招标投标情况书面报告" in listing and w.names[w.winner] in report_page
