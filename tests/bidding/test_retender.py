"""流标 and 重新招标: a tender short of bids fails at the deadline; its tenderer registers it again with the
count of failures carried over, and may change the method only after the rule pack's number of failures and
with the department's approval of an application to change it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine import tasks
from sunshine.config import get_settings
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import api_token
from tests.trading.builders import cheap_password_hashing, publish_notice


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def _fail_at_deadline(client, db, clock, w, project_id, token, section_id, bidder_token):
    """One bid only: at the deadline the tick finds fewer than three and the project fails."""
    sealed = seal_for(w, w.bidders[0])
    r = client.post(
        f"/api/v1/sections/{section_id}/bids",
        content=sealed.sealed,
        headers={
            **bidder_token,
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )
    assert r.status_code == 201, r.text
    clock.advance(timedelta(days=31))
    tasks.tick(db)
    project = client.get(f"/api/v1/projects/{project_id}", headers=token).json()
    assert project["state"] == "failed"
    return project


def test_failed_tender_is_retendered_and_may_change_method_after_two_failures(client, db, clock):
    w = tender_with_bidders(db)
    agency = api_token(client, w.agency.username)
    bidder = api_token(client, w.bidders[0].username)
    first = _fail_at_deadline(client, db, clock, w, w.project_id, agency, w.section_id, bidder)
    assert first["failed_attempts"] == 1
    # the timeline says why, with the rule
    timeline = client.get(f"/api/v1/projects/{w.project_id}/timeline").json()
    assert timeline[-1]["step"] == "fail" and "少于3个" in timeline[-1]["reason"]

    # one failure: the method cannot change yet
    refused = client.post(
        f"/api/v1/projects/{w.project_id}/retender",
        json={"method": "invited_tender", "reason": "示发改〔2026〕12号"},
        headers=agency,
    )
    assert refused.status_code == 409 and refused.json()["code"] == "rule_violation"
    assert "流标2次" in refused.json()["detail"]
    # a bidder cannot retender someone's project
    assert client.post(f"/api/v1/projects/{w.project_id}/retender", json={}, headers=bidder).status_code == 403

    second = client.post(f"/api/v1/projects/{w.project_id}/retender", json={}, headers=agency)
    assert second.status_code == 201, second.text
    new = second.json()
    assert new["retender_of_id"] == w.project_id and new["failed_attempts"] == 1 and new["state"] == "registered"
    assert new["code"] != first["code"] and new["method"] == "open_tender"
    again = client.post(f"/api/v1/projects/{w.project_id}/retender", json={}, headers=agency)
    assert again.status_code == 409

    # the second tender fails as well: now the method may change, with the approval cited
    centre = api_token(client, w.centre.username)
    assert client.post(f"/api/v1/projects/{new['id']}/accept", headers=centre).status_code == 200
    publish_notice(db, w.agency, new["id"], bid_deadline=clock.now() + timedelta(days=30))
    from sunshine.trading import registrations

    section_id = new["sections"][0]["id"]
    with db.unit_of_work() as s:
        reg = registrations.register_bidder(s, w.bidders[0], new["id"], section_id, "王经理", "13800138000")
        registrations.obtain_documents(s, w.bidders[0], reg.id)
    w.code = new["code"]
    bidder = api_token(client, w.bidders[0].username)
    agency = api_token(client, w.agency.username)
    failed_again = _fail_at_deadline(client, db, clock, w, new["id"], agency, section_id, bidder)
    assert failed_again["failed_attempts"] == 2
    # without an approved application the method cannot change: the failures alone no longer suffice
    no_application = client.post(
        f"/api/v1/projects/{new['id']}/retender",
        json={"method": "invited_tender", "reason": "示发改〔2026〕12号"},
        headers=agency,
    )
    assert no_application.status_code == 409, no_application.text
    assert no_application.json()["code"] == "method_change_not_approved"
    assert "尚未申请" in no_application.json()["detail"]
    applied = client.post(
        f"/api/v1/procedure/projects/{new['id']}/method-changes",
        json={
            "method": "invited_tender",
            "expert_opinion": "招标文件没有不合理条款，流标系潜在投标人不足所致",
            "agency_statement": "两次招标公告的时间及程序均符合规定",
            "request_text": "本工程专业性强，申请改为邀请招标",
        },
        headers=agency,
    )
    assert applied.status_code == 201, applied.text
    assert applied.json()["state_label"] == "待财政部门审批" and len(applied.json()["materials"]) == 2
    waiting = client.post(f"/api/v1/projects/{new['id']}/retender", json={"method": "invited_tender"}, headers=agency)
    assert waiting.status_code == 409 and "待财政部门审批" in waiting.json()["detail"]
    supervisor = api_token(client, w.supervisor.username)
    decided = client.post(
        f"/api/v1/procedure/method-changes/{applied.json()['id']}/decision",
        json={"approve": True, "decision": "示发改〔2026〕12号：同意改为邀请招标"},
        headers=supervisor,
    )
    assert decided.status_code == 200 and decided.json()["state_label"] == "已批准"
    changed = client.post(f"/api/v1/projects/{new['id']}/retender", json={"method": "invited_tender"}, headers=agency)
    assert changed.status_code == 201, changed.text
    assert changed.json()["method"] == "invited_tender" and changed.json()["failed_attempts"] == 2
    assert changed.json()["catalogue_code"] == "GC-01" and "示发改〔2026〕12号" in changed.json()["catalogue_note"]
    used = client.get(f"/api/v1/procedure/method-changes/{applied.json()['id']}", headers=agency).json()
    assert used["state_label"] == "已按批准方式重新登记"
