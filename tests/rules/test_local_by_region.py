"""A local pack chosen by region (rules.local, ``regions``): a procurement open tender registered with the
province-level code 350000 follows the Fujian pack laid over the national one — its snapshot holds the stricter
committee threshold (3,000,000 yuan, seed 003) and shows the looser report delivery as superseded, never applied —
while one registered in a city (350100) follows the national pack. Through the API."""

from __future__ import annotations

from decimal import Decimal

from sunshine.rules import service as rules
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.trading.builders import tender_world


def _register(client, w, headers, region_code: str) -> dict:
    body = {
        "name": "福建省某厅办公设备采购项目",
        "transaction_type": "gov_procurement",
        "method": "open_tender",
        "tenderer_id": w["school"],
        "agency_id": w["agency_org"],
        "budget": "4000000.00",
        "region_code": region_code,
        "funding_source": "财政资金",
        "sections": [{"name": "第一包", "estimate": "4000000.00", "qualification": "具有相应资质"}],
    }
    response = client.post("/api/v1/projects", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_project_registered_in_the_local_packs_region_gets_its_rules(db, client):
    w = tender_world(db)
    headers = api_token(client, w["agency"].username)
    provincial = _register(client, w, headers, "350000")
    city = _register(client, w, headers, "350100")
    assert provincial["pack_key"] == "gov_procurement.open_tender_fujian"
    assert city["pack_key"] == "gov_procurement.open_tender"
    with db.unit_of_work(read_only=True) as s:
        local = rules.rules_of(s.get(Project, provincial["id"]))
        national = rules.rules_of(s.get(Project, city["id"]))
    assert Decimal(str(local.rule("committee_large_threshold").value)) == Decimal(3000000)
    assert Decimal(str(national.rule("committee_large_threshold").value)) == Decimal(10000000)
    # the rest is the national pack's, and the looser local delivery time is not applied
    assert local.rule("report_to_purchaser").value == national.rule("report_to_purchaser").value == 2
    page = client.get(f"/api/v1/projects/{provincial['id']}", headers=headers).json()
    assert page["pack_key"] == "gov_procurement.open_tender_fujian" and page["region_code"] == "350000"
