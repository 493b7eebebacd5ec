"""The enterprise's records through the API and the pages: its administrator adds, edits, uploads and retires
with history; its bidders read; another enterprise meets 404; the ledger carries no personal data."""

from __future__ import annotations

import json

from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token, make_org
from tests.trading.builders import actor

PERSON = {
    "name": "李明",
    "post": "project_manager",
    "registration_number": "闽135201912345",
    "specialty": "building",
    "grade": "一级",
    "registration_valid_until": "2029-06-30",
    "safety_number": "闽建安B（2024）0012345",
    "safety_valid_until": "2028-12-31",
}
CERT = {
    "kind": "building",
    "grade": "一级",
    "number": "D235012345",
    "issuer": "福建省住房和城乡建设厅",
    "valid_from": "2024-01-01",
    "valid_until": "2029-12-31",
    "scope": "可承担单项合同额3000万元以上的建筑工程施工",
}


def test_records_for_the_enterprise_only(client, db):
    firm, other = make_org(db), make_org(db)
    admin = api_token(client, actor(db, Role.ENTERPRISE_ADMIN, organisation_id=firm).username)
    bidder = api_token(client, actor(db, Role.BIDDER, organisation_id=firm).username)
    stranger = api_token(client, actor(db, Role.ENTERPRISE_ADMIN, organisation_id=other).username)
    r = client.post("/api/v1/qualifications/certificates", json=CERT, headers=admin)
    assert r.status_code == 201, r.text
    cert = r.json()
    assert cert["title"] == "建筑工程施工总承包一级（D235012345）" and cert["status"] == "有效"
    # a grade outside the kind's scale, dates backwards: clear 422s in Chinese
    bad = client.post("/api/v1/qualifications/certificates", json={**CERT, "grade": "甲级"}, headers=admin)
    assert bad.status_code == 422 and "等级应为" in bad.json()["detail"]
    bad = client.post("/api/v1/qualifications/certificates", json={**CERT, "valid_until": "2023-01-01"}, headers=admin)
    assert bad.status_code == 422
    # the bidder reads, may not write; another enterprise sees nothing
    assert [c["id"] for c in client.get("/api/v1/qualifications/certificates", headers=bidder).json()] == [cert["id"]]
    assert client.post("/api/v1/qualifications/certificates", json=CERT, headers=bidder).status_code == 403
    assert client.get("/api/v1/qualifications/certificates", headers=stranger).json() == []
    cid = cert["id"]
    assert client.put(f"/api/v1/qualifications/certificates/{cid}", json=CERT, headers=stranger).status_code == 404
    assert client.get(f"/api/v1/qualifications/certificates/{cid}/history", headers=stranger).status_code == 404
    # edit, upload the scanned copy, retire: each a version in the history
    r = client.put(f"/api/v1/qualifications/certificates/{cid}", json={**CERT, "grade": "特级"}, headers=admin)
    assert r.status_code == 200 and r.json()["version"] == 2
    up = client.post(
        f"/api/v1/qualifications/certificates/{cid}/file",
        files={"file": ("资质证书.pdf", b"%PDF-1.4 scanned", "application/pdf")},
        headers=admin,
    )
    assert up.status_code == 200 and up.json()["file_sha256"]
    assert client.post(f"/api/v1/qualifications/certificates/{cid}/retire", headers=admin).json()["status"] == "已注销"
    history = client.get(f"/api/v1/qualifications/certificates/{cid}/history", headers=admin).json()
    assert [h["action"] for h in history] == ["新增", "修改", "修改", "注销"]
    assert client.get("/api/v1/qualifications/certificates", headers=admin).json() == []


def test_people_and_performance_personal_data_stays_out_of_the_ledger(client, db):
    firm = make_org(db)
    admin = api_token(client, actor(db, Role.ENTERPRISE_ADMIN, organisation_id=firm).username)
    person = client.post("/api/v1/qualifications/people", json=PERSON, headers=admin)
    assert person.status_code == 201, person.text
    assert "闽135201912345" not in person.text  # masked where shown
    # an unfinished project must name its project manager
    work = {
        "project_name": "示范市第一中学教学楼工程",
        "client": "示范市第一中学",
        "specialty": "building",
        "amount": "12000000.00",
        "started_on": "2025-03-01",
    }
    r = client.post("/api/v1/qualifications/performance", json=work, headers=admin)
    assert r.status_code == 422 and r.json()["field"] == "manager_id"
    r = client.post(
        "/api/v1/qualifications/performance", json={**work, "manager_id": person.json()["id"]}, headers=admin
    )
    assert r.status_code == 201 and r.json()["status"] == "在建"
    with db.unit_of_work() as s:
        entries = s.query(LedgerEntry).filter(LedgerEntry.kind.like("qualifications:%")).all()
        assert len(entries) == 2
        for e in entries:
            assert "李明" not in e.payload and "闽135201912345" not in e.payload
            assert json.loads(e.payload)["version"] == 1
