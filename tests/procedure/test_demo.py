"""The demo shows a procurement that failed twice, whose change of method the finance department approved after
the drawn experts' opinion, registered again as a competitive negotiation; and a direct award without tender,
approved and published. The pages show them in Chinese."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.invitations import NAME as INVITED
from sunshine.demo.procedure import NAME
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_method_change_and_direct_award(demo, db, app, client):
    with db.unit_of_work() as s:
        chain = s.scalars(select(Project).where(Project.name == NAME).order_by(Project.id)).all()
        ids = [(p.id, p.method, p.state, p.failed_attempts) for p in chain]
    assert [m for _, m, _, _ in ids] == ["open_tender", "open_tender", "competitive_negotiation"]
    assert [st for _, _, st, _ in ids][:2] == ["failed", "failed"] and ids[1][3] == 2
    finance = api_token(client, "finance", DEMO_PASSWORD)
    apps = client.get(f"/api/v1/procedure/projects/{ids[1][0]}/method-changes", headers=finance).json()
    assert [a["state_label"] for a in apps] == ["已按批准方式重新登记"] and apps[0]["draw_request_id"]
    third = client.get(f"/api/v1/projects/{ids[2][0]}", headers=finance).json()
    assert "示财采〔2026〕35号" in third["catalogue_note"]
    awards = client.get("/api/v1/procedure/direct-awards", headers=finance).json()
    assert [a["state_label"] for a in awards] == ["已批准并公开"]
    with browser(app, "finance", DEMO_PASSWORD) as visitor:
        text = page_text(visitor.get(f"/projects/{ids[1][0]}/method-changes").text)
        assert "已按批准方式重新登记" in text and "竞争性谈判" in text and "递交 0 份" in text
        queue = page_text(visitor.get("/procedure/method-changes").text)
        assert NAME in queue
        listing = page_text(visitor.get("/procedure/direct-awards").text)
        assert "抢险救灾" in listing and "已批准并公开" in listing
    catalogue = page_text(client.get("/procedure/catalogue").text)
    assert "应进必进" in catalogue and "ZC-01" in catalogue and "open_tender" not in catalogue
    with browser(app, "finance", DEMO_PASSWORD) as visitor:
        detail = page_text(visitor.get(f"/projects/{ids[2][0]}").text)
    assert "交易目录编码" in detail and "ZC-01" in detail and "经批准变更为竞争性谈判" in detail
    # the invited procurement: prequalification, the draw of the invitees, the letters (demo/invitations.py)
    with db.unit_of_work() as s:
        invited = s.scalar(select(Project).where(Project.name == INVITED))
        assert invited.state == "notice_published"
    agency = api_token(client, "agency", DEMO_PASSWORD)
    shown = client.get(f"/api/v1/procedure/projects/{invited.id}/invitations", headers=agency).json()
    assert shown["state_label"] == "已发出投标邀请书" and len(shown["sections"][0]["invitations"]) == 3
    code = shown["sections"][0]["draw_code"]
    assert client.get(f"/api/v1/draws/{code}/record").json()["state"] == "drawn"
    bidder = api_token(client, "bidder", DEMO_PASSWORD)
    letters = client.get("/api/v1/procedure/invitations", headers=bidder).json()
    assert [x["project_name"] for x in letters] == [INVITED]
    inbox = client.get("/api/v1/me/messages", headers=bidder).json()["items"]
    assert any(m["kind"] == "invitation" for m in inbox)
