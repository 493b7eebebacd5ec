"""依法不招标（直接发包）through the API: the tenderer applies with a statutory case, classified by the
catalogue; the supervisory department refuses or approves, and the approved award is published through the
disclosure pipeline."""

from __future__ import annotations

import pytest

from sunshine.config import get_settings
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.trading.builders import cheap_password_hashing, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def _award(w, **overrides) -> dict:
    body = {
        "name": "示范市防汛堤坝应急抢险加固工程",
        "tenderer_id": w["school"],
        "budget": "6500000.00",
        "funding_source": "财政资金",
        "region_code": "350100",
        "reason": "emergency",
        "explanation": "台风过境造成堤坝管涌，须立即组织抢险加固，不能等待招标",
        "contractor": "示范水利工程有限公司",
    }
    body.update(overrides)
    return body


def test_direct_award_with_statutory_reason_and_approval_is_published(db, client):
    load_catalog(db)
    w = tender_world(db)
    tenderer = api_token(client, w["tenderer"].username)
    agency = api_token(client, w["agency"].username)
    supervisor = api_token(client, w["supervisor"].username)

    bad = client.post("/api/v1/procedure/direct-awards", json=_award(w, reason="convenience"), headers=tenderer)
    assert bad.status_code == 422 and "法定情形" in bad.json()["detail"]
    assert client.post("/api/v1/procedure/direct-awards", json=_award(w), headers=agency).status_code == 403
    outside = client.post(
        "/api/v1/procedure/direct-awards",
        json=_award(w, funding_source="企业自有资金", budget="300000.00"),
        headers=tenderer,
    )
    assert outside.status_code == 422 and outside.json()["code"] == "not_in_catalogue"

    r = client.post("/api/v1/procedure/direct-awards", json=_award(w), headers=tenderer)
    assert r.status_code == 201, r.text
    award = r.json()
    assert award["catalogue_code"] == "GC-01" and award["state_label"] == "待行政监督部门审批"
    assert award["reason_label"] == "抢险救灾" and "第六十六条" in award["reason_basis"]
    assert client.get(f"/api/v1/procedure/direct-awards/{award['id']}", headers=agency).status_code == 403

    decision = f"/api/v1/procedure/direct-awards/{award['id']}/decision"
    assert client.post(decision, json={"approve": True, "decision": "同意"}, headers=tenderer).status_code == 403
    yes = client.post(
        decision, json={"approve": True, "decision": "示水监〔2026〕8号：同意直接发包"}, headers=supervisor
    )
    assert yes.status_code == 200 and yes.json()["state_label"] == "已批准并公开"
    told = client.get("/api/v1/me/messages", headers=tenderer).json()["items"]
    assert [m["subject"] for m in told] == ["依法不招标申请批准：示范市防汛堤坝应急抢险加固工程"]
    assert "示水监〔2026〕8号：同意直接发包" in told[0]["body"] and told[0]["kind"] == "procedure_decision"
    assert client.get("/api/v1/me/messages", headers=agency).json()["items"] == []
    assert client.post(decision, json={"approve": False, "decision": "撤回"}, headers=supervisor).status_code == 409

    published = client.get("/api/v1/disclosure/publications").json()
    items = published["items"] if isinstance(published, dict) else published
    mine = [p for p in items if "依法不招标" in p["title"]]
    assert len(mine) == 1, items
    one = client.get(f"/api/v1/disclosure/publications/{mine[0]['id']}").json()
    assert "抢险救灾" in str(one) and "示范水利工程有限公司" in str(one)


def test_a_refused_direct_award_is_not_published(db, client):
    load_catalog(db)
    w = tender_world(db)
    tenderer = api_token(client, w["tenderer"].username)
    supervisor = api_token(client, w["supervisor"].username)
    r = client.post(
        "/api/v1/procedure/direct-awards",
        json=_award(w, reason="patent", name="示范市污水厂专利工艺改造工程"),
        headers=tenderer,
    )
    assert r.status_code == 201
    no = client.post(
        f"/api/v1/procedure/direct-awards/{r.json()['id']}/decision",
        json={"approve": False, "decision": "该工艺存在多家可替代供应商，应依法招标"},
        headers=supervisor,
    )
    assert no.status_code == 200 and no.json()["state_label"] == "不予批准"
    told = client.get("/api/v1/me/messages", headers=tenderer).json()["items"]
    assert told[0]["subject"] == "依法不招标申请不予批准：示范市污水厂专利工艺改造工程"
    assert "不予批准的理由：该工艺存在多家可替代供应商，应依法招标" in told[0]["body"]
    published = client.get("/api/v1/disclosure/publications").json()
    items = published["items"] if isinstance(published, dict) else published
    assert not [p for p in items if "依法不招标" in p["title"]]
    listing = client.get("/api/v1/procedure/direct-awards", headers=tenderer).json()
    assert [a["state_label"] for a in listing] == ["不予批准"]
