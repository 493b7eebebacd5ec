"""变更采购方式 after failed tenders, through the API: the application needs the pack's number of failures and
the two drawn experts' opinion; the finance department refuses or approves; only an approved change lets the
project be registered again under another method."""

from __future__ import annotations

import pytest

from sunshine.config import get_settings
from tests.builders import api_token
from tests.procedure.builders import application, drawn_opinion_experts, failed_procurement
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def test_one_failure_is_not_enough_to_apply(db, client, clock):
    w = failed_procurement(db, clock, failures=1)
    agency = api_token(client, w.agency.username)
    r = client.post(f"/api/v1/procedure/projects/{w.project_id}/method-changes", json=application(), headers=agency)
    assert r.status_code == 409 and r.json()["code"] == "rule_violation"
    assert "流标2次后方可申请变更采购方式" in r.json()["detail"]


def test_method_change_refused_without_application_and_allowed_after_approval(db, client, clock):
    w = failed_procurement(db, clock)
    agency = api_token(client, w.agency.username)
    supervisor = api_token(client, w.supervisor.username)
    retender = f"/api/v1/projects/{w.project_id}/retender"
    apply_url = f"/api/v1/procedure/projects/{w.project_id}/method-changes"

    # the failures alone no longer change the method
    refused = client.post(retender, json={"method": "competitive_negotiation"}, headers=agency)
    assert refused.status_code == 409 and refused.json()["code"] == "method_change_not_approved"
    assert "须经财政部门批准" in refused.json()["detail"]

    # the application needs the opinion of two experts drawn from the pool
    no_experts = client.post(apply_url, json=application(), headers=agency)
    assert no_experts.status_code == 422 and no_experts.json()["code"] == "invalid_input"
    assert "变更采购方式专家意见" in no_experts.json()["detail"]
    rid = drawn_opinion_experts(db, w)
    bidder = api_token(client, w.bidders[0].username)
    assert client.post(apply_url, json=application(draw_request_id=rid), headers=bidder).status_code == 403
    first = client.post(apply_url, json=application(draw_request_id=rid), headers=agency)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["state_label"] == "待财政部门审批" and body["method_label"] == "竞争性谈判"
    assert body["materials"][0]["code"] and body["materials"][0]["notices"], "the notices go with the application"
    assert client.post(apply_url, json=application(draw_request_id=rid), headers=agency).status_code == 409

    # the agency cannot decide; the department refuses; the retender is still refused
    decision = f"/api/v1/procedure/method-changes/{body['id']}/decision"
    assert client.post(decision, json={"approve": True, "decision": "同意"}, headers=agency).status_code == 403
    no = client.post(
        decision, json={"approve": False, "decision": "招标文件资格条件过严，应修改后重新招标"}, headers=supervisor
    )
    assert no.status_code == 200 and no.json()["state_label"] == "不予批准"
    again = client.post(retender, json={"method": "competitive_negotiation"}, headers=agency)
    assert again.status_code == 409 and "不予批准" in again.json()["detail"]
    told = [
        m
        for m in client.get("/api/v1/me/messages", headers=agency).json()["items"]
        if m["kind"] == "procedure_decision"
    ]
    assert len(told) == 1 and told[0]["kind_label"] == "审批结果通知"
    assert told[0]["subject"].startswith("变更采购方式申请不予批准")
    assert "不予批准的理由：招标文件资格条件过严，应修改后重新招标" in told[0]["body"]
    assert client.get("/api/v1/me/messages", headers=bidder).json()["items"] == [], "only the applicant is told"
    assert client.post(decision, json={"approve": True, "decision": "同意"}, headers=supervisor).status_code == 409

    # a new application, approved: the project is registered again under the approved method, once
    second = client.post(apply_url, json=application(draw_request_id=rid), headers=agency)
    assert second.status_code == 201, second.text
    yes = client.post(
        f"/api/v1/procedure/method-changes/{second.json()['id']}/decision",
        json={"approve": True, "decision": "闽财采〔2026〕35号：同意变更为竞争性谈判"},
        headers=supervisor,
    )
    assert yes.status_code == 200 and yes.json()["state_label"] == "已批准"
    inbox = client.get("/api/v1/me/messages", headers=agency).json()["items"]
    assert inbox[0]["subject"].startswith("变更采购方式申请批准") and "闽财采〔2026〕35号" in inbox[0]["body"]
    other = client.post(retender, json={"method": "enquiry"}, headers=agency)
    assert other.status_code == 409, "the approval is for the method applied for only"
    new = client.post(retender, json={"method": "competitive_negotiation"}, headers=agency)
    assert new.status_code == 201, new.text
    assert new.json()["method"] == "competitive_negotiation" and new.json()["failed_attempts"] == 2
    assert "闽财采〔2026〕35号" in new.json()["catalogue_note"] and new.json()["catalogue_code"] == "ZC-01"
    queue = client.get("/api/v1/procedure/method-changes", headers=supervisor).json()
    assert sorted(row["state_label"] for row in queue) == sorted(["不予批准", "已按批准方式重新登记"])
    timeline = client.get(f"/api/v1/projects/{w.project_id}/timeline").json()
    assert timeline[-1]["step"] == "fail"
