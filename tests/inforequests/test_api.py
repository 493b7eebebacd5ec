"""The JSON API of information requests: online submission and lookup (which needs the code) for the
public, intake, queue, detail and steps for the disclosure office, the department's view, the regime, the
statistics and the annual report; who may call what, and errors as problem+json in Chinese."""

from __future__ import annotations

from datetime import date

from sunshine.identity.roles import Role
from tests.builders import api_token, make_user
from tests.inforequests.builders import at

BODY = {
    "applicant_type": "commercial",
    "applicant_name": "福建海峡建设工程有限公司",
    "id_number": "91350100MA2YBC7Q1X",
    "contact_phone": "0591-88001001",
    "description": "2026年示范市滨江路改造工程的评标报告",
}


def test_public_submission_and_lookup(client):
    created = client.post("/api/v1/requests", json={**BODY, "channel": "fax"})
    assert created.status_code == 201, created.text
    receipt = created.json()
    assert receipt["tracking_no"] == "依申〔2026〕第0001号" and receipt["received_on"] == "2026-11-23"
    assert receipt["clock"]["due"] == "2026-12-21" and receipt["clock"]["provisional"] is False
    assert "双方确认之日" in receipt["receipt_rule"]  # forced to the online channel
    assert len(receipt["code"]) == 9
    wrong = client.post("/api/v1/requests/lookup", json={"tracking": receipt["short_code"], "code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 404 and wrong.json()["code"] == "not_found"
    assert wrong.headers["content-type"].startswith("application/problem+json")
    status = client.post("/api/v1/requests/lookup", json={"tracking": receipt["short_code"], "code": receipt["code"]})
    assert status.status_code == 200
    body = status.json()
    assert body["state"] == "received" and body["clock"]["due"] == "2026-12-21"
    assert "applicant_name" not in body and "description" not in body
    bad = client.post("/api/v1/requests", json={**BODY, "contact_phone": "x"})
    assert bad.status_code == 422 and "电话" in bad.json()["detail"]


def test_the_office_works_a_request_through_the_api_and_others_cannot(client, db, clock):
    make_user(db, Role.DISCLOSURE_OFFICE, username="office")
    make_user(db, Role.SUPERVISOR, username="housing")
    make_user(db, Role.BIDDER, username="bidder")
    office, housing, bidder = api_token(client, "office"), api_token(client, "housing"), api_token(client, "bidder")
    made = client.post(
        "/api/v1/requests/intake",
        json={**BODY, "channel": "in_person", "submitted_on": "2026-11-23"},
        headers=office,
    )
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert client.get(f"/api/v1/requests/{rid}", headers=housing).status_code == 404
    assert client.get(f"/api/v1/requests/{rid}", headers=bidder).status_code == 403
    assert client.get(f"/api/v1/requests/{rid}").status_code == 401
    detail = client.get(f"/api/v1/requests/{rid}", headers=office).json()
    assert detail["applicant_name"] == BODY["applicant_name"] and "route" in detail["next_steps"]
    me = client.get("/api/v1/me", headers=housing).json()
    routed = client.post(f"/api/v1/requests/{rid}/route", json={"department_user_id": me["id"]}, headers=office)
    assert routed.status_code == 200 and routed.json()["state"] == "routed"
    assert [r["id"] for r in client.get("/api/v1/requests", headers=housing).json()] == [rid]
    opinion = client.post(f"/api/v1/requests/{rid}/opinion", json={"opinion": "可以公开"}, headers=housing)
    assert opinion.status_code == 200
    assert client.post(f"/api/v1/requests/{rid}/answer", json={"form": "disclosed"}, headers=housing).status_code == 403
    clock.set(at(date(2026, 11, 30)))
    office = api_token(client, "office")  # a week later: a fresh token
    extended = client.post(
        f"/api/v1/requests/{rid}/extend", json={"days": 10, "approver": "李主任", "reason": "需调档"}, headers=office
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["clock"]["due"] == "2027-01-05"  # 12/21 + 10 working days, 1/1 an estimated holiday
    assert extended.json()["clock"]["provisional"] is True
    refused = client.post(
        f"/api/v1/requests/{rid}/extend", json={"days": 11, "approver": "李主任", "reason": "再延"}, headers=office
    )
    assert refused.status_code == 409 and refused.json()["code"] == "rule_violation"
    assert refused.json()["rule"] == "extension_max"
    missing = client.post(f"/api/v1/requests/{rid}/answer", json={"form": "withheld"}, headers=office)
    assert missing.status_code == 422 and "不予公开的理由" in missing.json()["detail"]
    answered = client.post(
        f"/api/v1/requests/{rid}/answer", json={"form": "withheld", "reason": "process_info"}, headers=office
    )
    assert answered.json()["state"] == "answered" and answered.json()["category"] == "withheld_process_info"
    review = client.post(
        f"/api/v1/requests/{rid}/reviews", json={"kind": "review", "filed_on": "2026-11-30"}, headers=office
    )
    assert review.status_code == 201
    events = [e["step"] for e in client.get(f"/api/v1/requests/{rid}", headers=office).json()["events"]]
    assert events == ["receive", "route", "department_opinion", "extend", "answer"]


def test_regime_statistics_and_annual_report(client, db):
    make_user(db, Role.ADMIN, username="admin")
    admin = api_token(client, "admin")
    assert client.put("/api/v1/requests/regime", json={"regime": "disclosure.seed_legacy"}).status_code == 401
    chosen = client.put("/api/v1/requests/regime", json={"regime": "disclosure.seed_legacy"}, headers=admin)
    assert chosen.status_code == 200 and "15＋15" in chosen.json()["label"]
    receipt = client.post("/api/v1/requests", json=BODY).json()
    assert receipt["regime"] == "disclosure.seed_legacy" and receipt["clock"]["due"] == "2026-12-14"  # 15 days
    stats = client.get("/api/v1/requests/stats").json()
    assert stats["months"][-1] == "2026-11" and stats["received"][-1] == 1 and stats["total_answered"] == 0
    report = client.get("/api/v1/disclosure/annual-report/2026").json()
    assert report["check"]["balanced"] is True
    new = next(r for r in report["rows"] if r["key"] == "new")
    assert new["values"]["commercial"] == 1 and new["values"]["total"] == 1
    assert report["columns"] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
