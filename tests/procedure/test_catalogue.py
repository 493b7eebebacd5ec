"""应进必进: the catalogue (交易目录编码) as data, registration classifies each project by it and refuses one
outside it; every method of the rule packs has a place in the catalogue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.config import get_settings
from sunshine.procedure.catalogue import catalogue
from sunshine.rules.registry import registry
from sunshine.trading.labels import TRANSACTION_TYPES
from tests.builders import api_token
from tests.trading.builders import cheap_password_hashing, tender_world


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "5000")
    get_settings.cache_clear()


def _body(w, **overrides) -> dict:
    body = {
        "name": "示范市滨江路道路改造工程",
        "transaction_type": "engineering",
        "method": "open_tender",
        "tenderer_id": w["school"],
        "agency_id": w["agency_org"],
        "budget": "5000000.00",
        "region_code": "350100",
        "funding_source": "财政资金",
        "sections": [{"name": "第一标段", "estimate": "5000000.00", "qualification": "具有相应资质"}],
    }
    body.update(overrides)
    if "budget" in overrides:
        body["sections"][0]["estimate"] = overrides["budget"]
    return body


def test_the_catalogue_is_public_with_its_basis(client):
    r = client.get("/api/v1/procedure/catalogue")
    assert r.status_code == 200
    entries = {e["code"]: e for e in r.json()["entries"]}
    assert entries["GC-01"]["threshold"] == "4000000" or Decimal(entries["GC-01"]["threshold"]) == 4000000
    assert "第十六号" in entries["GC-01"]["basis"] or "第16号" in entries["GC-01"]["basis"]
    assert entries["ZC-01"]["method_labels"] == ["公开招标"]


def test_registration_classifies_and_refuses_outside_the_catalogue(db, client):
    w = tender_world(db)
    agency = api_token(client, w["agency"].username)
    ok = client.post("/api/v1/projects", json=_body(w), headers=agency)
    assert ok.status_code == 201, ok.text
    assert ok.json()["catalogue_code"] == "GC-01" and ok.json()["catalogue_note"] is None
    small = client.post("/api/v1/projects", json=_body(w, budget="900000.00"), headers=agency)
    assert small.status_code == 201 and small.json()["catalogue_code"] == "GC-02"
    outside = client.post(
        "/api/v1/projects", json=_body(w, budget="900000.00", funding_source="企业自有资金"), headers=agency
    )
    assert outside.status_code == 422 and outside.json()["code"] == "not_in_catalogue"
    assert "不在公共资源交易目录内" in outside.json()["detail"]
    # a procurement above the open-tender threshold under another method is flagged for the approval
    flagged = client.post(
        "/api/v1/projects",
        json=_body(w, transaction_type="gov_procurement", method="competitive_negotiation", name="示范市教学设备采购"),
        headers=agency,
    )
    assert flagged.status_code == 201, flagged.text
    assert (
        flagged.json()["catalogue_code"] == "ZC-01"
        and "须在采购活动开始前获得财政部门批准" in flagged.json()["catalogue_note"]
    )
    # nothing of a refused registration is kept
    mine = client.get("/api/v1/projects", headers=agency).json()
    items = mine["items"] if isinstance(mine, dict) else mine
    assert len(items) == 3


def test_every_method_of_the_rule_packs_has_a_place_in_the_catalogue():
    cat = catalogue()
    packs = [registry().versions(key)[-1] for key in registry()]
    pairs = {(p.transaction_type, p.method) for p in packs if p.transaction_type in TRANSACTION_TYPES}
    allowed = {(e.transaction_type, m) for e in cat.entries for m in e.methods}
    assert pairs and pairs <= allowed, pairs - allowed


@given(
    st.sampled_from(["engineering", "gov_procurement", "land", "mining", "state_property"]),
    st.sampled_from(["财政资金", "企业自有资金", "国有资金", "社会资本"]),
    st.integers(min_value=100, max_value=10_000_000_000).map(lambda cents: Decimal(cents) / 100),
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_classification_takes_the_first_entry_the_project_meets(transaction_type, funding, budget):
    cat = catalogue()
    entry = cat.classify(transaction_type, funding, budget)
    if entry is None:
        assert all(
            e.transaction_type != transaction_type
            or budget < e.threshold
            or (e.funding == "state" and not cat.is_state_funded(funding))
            for e in cat.entries
        )
        return
    assert entry.transaction_type == transaction_type and budget >= entry.threshold
    # a larger budget never falls to a less demanding entry of the same type and funding
    bigger = cat.classify(transaction_type, funding, budget * 10)
    assert bigger is not None and bigger.threshold >= entry.threshold


def test_a_resubmitted_project_is_classified_again(db, client):
    w = tender_world(db)
    agency = api_token(client, w["agency"].username)
    centre = api_token(client, w["centre"].username)
    project = client.post("/api/v1/projects", json=_body(w), headers=agency).json()
    returned = client.post(
        f"/api/v1/projects/{project['id']}/return", json={"reason": "资金来源证明不全"}, headers=centre
    )
    assert returned.status_code == 200, returned.text
    outside = client.put(
        f"/api/v1/projects/{project['id']}",
        json=_body(w, budget="900000.00", funding_source="企业自有资金"),
        headers=agency,
    )
    assert outside.status_code == 422 and outside.json()["code"] == "not_in_catalogue"
    smaller = client.put(f"/api/v1/projects/{project['id']}", json=_body(w, budget="900000.00"), headers=agency)
    assert smaller.status_code == 200, smaller.text
    assert smaller.json()["catalogue_code"] == "GC-02"
