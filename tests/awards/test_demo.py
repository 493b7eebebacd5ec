"""The demo shows what follows a result: the sold land listing with its 成交确认书 issued, the other bidder's 竞买保证金
refunded and the 转让合同 signed by both parties; the school's procurement with its letters issued and its contract
signed by the school (the supplier signs it in the performance demo). A second load adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.core import clock as core_clock
from sunshine.demo.awards import LAND, load_demo_awards
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.results import MULTIMEDIA
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_award_letters_contracts_and_refund(demo, db, app, client):
    with db.unit_of_work(read_only=True) as s:
        land = s.scalar(select(Project.id).where(Project.name == LAND))
        school = s.scalar(select(Project.id).where(Project.name == MULTIMEDIA.project.name))
    agency = api_token(client, "agency", DEMO_PASSWORD)

    # The land: the 成交确认书 to the buyer, the 竞价结果通知书 to the other, both issued; the contract signed.
    view = client.get(f"/api/v1/projects/{land}/award-letters", headers=agency).json()
    assert view["state_label"] == "合同已签订"
    letters = view["letters"]
    assert sorted(x["title"] for x in letters) == ["成交确认书", "竞价结果通知书"]
    assert all(x["issued_at"] and x["seal_code"] for x in letters)
    award = next(x for x in letters if x["kind"] == "award")
    assert award["amount"] == "61100000.00" and award["state_label"] == "已发出"
    contracts = client.get(f"/api/v1/projects/{land}/contracts", headers=agency).json()
    assert [(c["title"], c["state_label"], c["project_state_label"]) for c in contracts] == [
        ("转让合同", "双方已签署", "合同已签订")
    ]
    assert contracts[0]["amount"] == "61100000.00" and contracts[0]["winner"] == award["addressee"]
    with browser(app, "bidder2", DEMO_PASSWORD) as buyer:
        mine = buyer.get("/my/award-letters")
        assert "成交确认书" in page_text(mine.text) and award["number"] in mine.text
        pdf = buyer.get(f"/award-letters/{award['id']}/letter.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The other bidder's 竞买保证金: refunded by the centre; the buyer's is kept towards the price.
    other = api_token(client, "bidder", DEMO_PASSWORD)
    regs = client.get("/api/v1/registrations/mine", headers=other).json()
    theirs = next(r for r in regs if r["project_id"] == land)
    assert theirs["deposit"]["status_label"] == "已退还"
    bought = client.get("/api/v1/registrations/mine", headers=api_token(client, "bidder2", DEMO_PASSWORD)).json()
    assert next(r for r in bought if r["project_id"] == land)["deposit"]["status_label"] != "已退还"

    # The school's procurement: letters issued, the contract signed by the school, then by the supplier in the
    # performance demo (demo/performance.py), which takes it to its acceptance.
    letters = client.get(f"/api/v1/projects/{school}/award-letters", headers=agency).json()["letters"]
    assert {x["title"] for x in letters} == {"中标通知书", "中标结果通知书"} and len(letters) == 4
    assert all(x["issued_at"] for x in letters)
    contract = client.get(f"/api/v1/projects/{school}/contracts", headers=agency).json()[0]
    assert contract["title"] == "政府采购合同" and contract["tenderer_signed_at"] and contract["winner_signed_at"]
    assert contract["project_state_label"] == "履约验收合格"
    with browser(app, "agency", DEMO_PASSWORD) as person:
        text = page_text(person.get(f"/contracts/{contract['id']}").text)
    assert contract["state_label"] in text and contract["number"] in text

    assert load_demo_awards(db.unit_of_work, core_clock.now()) == 0
