"""The demo shows a contract performed and accepted: the school's 政府采购合同 signed by both, its payment schedule
(the 95 % paid, the warranty's 5 % still scheduled), the 保函 received and returned by courier, the acceptance signed
by its two members and the project 履约验收合格. A second load adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.core import clock as core_clock
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.performance import load_demo_performance
from sunshine.demo.results import MULTIMEDIA
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_contract_performed_and_accepted(demo, db, app, client):
    with db.unit_of_work(read_only=True) as s:
        school = s.scalar(select(Project.id).where(Project.name == MULTIMEDIA.project.name))
    tenderer = api_token(client, "tenderer", DEMO_PASSWORD)
    [contract] = client.get(f"/api/v1/projects/{school}/contracts", headers=tenderer).json()
    pv = client.get(f"/api/v1/contracts/{contract['id']}/performance", headers=tenderer).json()
    assert pv["project_state_label"] == "履约验收合格"
    first, warranty = pv["milestones"]
    assert first["done_on"] and first["outstanding"] == "0.00" and warranty["paid"] == "0.00"
    assert [p["amount"] for p in pv["payments"]] == [first["amount"]]
    [guarantee] = pv["securities"]
    assert (guarantee["form_label"], guarantee["status_label"]) == ("保函", "已退还") and guarantee["returned_on"]
    [accepted] = pv["acceptances"]
    assert accepted["result_label"] == "合格" and all(m["signed_at"] for m in accepted["members"])
    with browser(app, "tenderer", DEMO_PASSWORD) as person:
        text = page_text(person.get(f"/contracts/{contract['id']}/performance").text)
    assert "履约验收合格" in text and "EMS 1105620398816" in text and "质保期满" in text
    assert load_demo_performance(db.unit_of_work, core_clock.now()) == 0
