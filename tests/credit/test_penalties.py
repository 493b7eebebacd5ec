"""Penalties as the public meets them: the supervisory department enters an administrative penalty with its
department, number and basis; it is published at once through the disclosure pipeline and counted on time on the
compliance dashboard (7 working days from the decision); the public lookup by unified social credit code shows it
with the ban in force and never an expert; at the end of its publication period the tick takes it down, leaving a
tombstone; a revoked record is taken down at once with the reason."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from sunshine.core import clock as clock_module
from sunshine.credit.common import add_months
from sunshine.disclosure.models import Publication
from sunshine.identity.models import Organisation
from sunshine.tasks import tick
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.pages import page_text
from tests.trading.builders import cheap_password_hashing, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    load_catalog(db)
    return SimpleNamespace(**tender_world(db))


def penalty(firm: int, decided_on, **kw) -> dict:
    return {
        "kind": "penalty",
        "subject_type": "organisation",
        "organisation_id": firm,
        "transaction_type": "engineering",
        "department": "示范市住房和城乡建设局",
        "decision_no": "示建罚〔2026〕21号",
        "behaviour": "在示范中学教学楼工程投标中提供虚假业绩证明材料",
        "basis": "《中华人民共和国招标投标法实施条例》第六十八条：处中标项目金额千分之十的罚款",
        "source": "行政处罚决定书",
        "decided_on": decided_on.isoformat(),
        "effective_from": decided_on.isoformat(),
        **kw,
    }


def test_a_penalty_is_published_on_time_looked_up_and_taken_down_at_the_end_of_its_period(db, client, clock, w):
    today = clock_module.today_local()
    decided = today - timedelta(days=2)
    supervisor = api_token(client, w.supervisor.username)
    firm = w.bidders[0].organisation_id
    made = client.post("/api/v1/credit/records", json=penalty(firm, decided), headers=supervisor)
    assert made.status_code == 201, made.text
    record = made.json()
    assert record["kind_label"] == "行政处罚" and record["published"] is True
    assert record["publish_until"] == add_months(decided, 6).isoformat()  # 记录公告暂行办法 第九条
    assert record["publication_ref"] == f"credit-record:{record['id']}"

    board = client.get("/api/v1/disclosure/compliance").json()
    item = next(t for t in board["by_item"] if t["key"] == "GC.JD.02")
    assert (item["on_time"], item["late"], item["overdue"]) == (1, 0, 0)  # published within 7 working days

    with db.unit_of_work() as s:
        code = s.get(Organisation, firm).credit_code
        pub = s.scalar(select(Publication).where(Publication.source_ref == record["publication_ref"]))
        assert pub.status == "published" and "示建罚〔2026〕21号" in pub.body and code in pub.body
    found = client.get("/api/v1/credit/lookup", params={"code": code}).json()
    assert [r["decision_no"] for r in found[0]["records"]] == ["示建罚〔2026〕21号"]
    assert found[0]["bans"] == []
    text = page_text(client.get("/credit", params={"code": code}).text)
    assert "示建罚〔2026〕21号" in text and "无有效的禁止参与决定" in text
    assert client.get("/api/v1/credit/lookup", params={"code": "91350100X"}).status_code == 422
    assert client.get("/api/v1/credit/lookup", params={"name": "示"}).status_code == 422

    clock.set(clock_module.now() + timedelta(days=200))  # past the six months
    report = tick(db)
    assert report.credit_taken_down == [record["id"]]
    assert tick(db).credit_taken_down == []  # once
    with db.unit_of_work() as s:
        pub = s.get(Publication, pub.id)
        assert pub.status == "withdrawn" and "公示期满" in pub.withdrawal_reason
    assert client.get("/api/v1/credit/lookup", params={"code": code}).json()[0]["records"] == []
    # the supervisory department's file keeps it
    kept = client.get("/api/v1/credit/records", headers=api_token(client, w.supervisor.username)).json()
    assert kept[0]["taken_down_at"] is not None


def test_a_revoked_penalty_leaves_the_public_at_once_and_a_penalty_needs_its_decision(db, client, w):
    today = clock_module.today_local()
    supervisor = api_token(client, w.supervisor.username)
    firm = w.bidders[1].organisation_id
    missing = client.post(
        "/api/v1/credit/records", json=penalty(firm, today, decision_no=None, department=None), headers=supervisor
    )
    assert missing.status_code == 422 and missing.json()["field"] == "department"
    no_type = client.post(
        "/api/v1/credit/records", json=penalty(firm, today, transaction_type=None), headers=supervisor
    )
    assert no_type.status_code == 422 and no_type.json()["field"] == "transaction_type"
    made = client.post("/api/v1/credit/records", json=penalty(firm, today), headers=supervisor).json()
    too_early = client.post(
        f"/api/v1/credit/records/{made['id']}/revoke", json={"kind": "repaired", "reason": "已整改"}, headers=supervisor
    )
    assert too_early.status_code == 409 and "方可修复" in too_early.json()["detail"]
    revoked = client.post(
        f"/api/v1/credit/records/{made['id']}/revoke",
        json={"kind": "revoked", "reason": "行政复议决定撤销原处罚决定"},
        headers=supervisor,
    )
    assert revoked.status_code == 200 and revoked.json()["revocation_kind"] == "revoked"
    with db.unit_of_work() as s:
        pub = s.scalar(select(Publication).where(Publication.source_ref == made["publication_ref"]))
        assert pub.status == "withdrawn" and "行政复议决定撤销原处罚决定" in pub.withdrawal_reason
    again = client.post(
        f"/api/v1/credit/records/{made['id']}/revoke", json={"kind": "revoked", "reason": "重复"}, headers=supervisor
    )
    assert again.status_code == 409
    bidder = api_token(client, w.bidders[0].username)
    assert (
        client.post(
            f"/api/v1/credit/records/{made['id']}/revoke", json={"kind": "revoked", "reason": "xx"}, headers=bidder
        ).status_code
        == 403
    )
    assert "在示范中学教学楼工程投标中" not in page_text(client.get("/credit").text)
