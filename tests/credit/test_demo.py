"""The credit demo: last year's penalty taken down (its tombstone public), this year's penalty published with a
two-year ban in force that refuses the contractor's registration naming the decision, last year's ratings published
for the demo's enterprises and agencies, this year's computed for the supervisory department."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.credit.models import CreditRecord
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.credit import BANNED_NAME
from sunshine.disclosure.models import Publication
from tests.builders import api_token
from tests.pages import page_text


def test_demo_credit(demo, db, client):
    with db.unit_of_work() as s:
        rows = list(s.scalars(select(CreditRecord).order_by(CreditRecord.id)))
        assert len(rows) == 4
        taken = [r for r in rows if r.taken_down_at is not None]
        assert [r.decision_no for r in taken] == ["示建罚〔2025〕47号"]
        tombstone = s.scalar(select(Publication).where(Publication.source_ref == taken[0].publication_ref))
        assert tombstone.status == "withdrawn"
    found = client.get("/api/v1/credit/lookup", params={"name": "鑫达"}).json()
    assert found[0]["name"] == BANNED_NAME
    assert [r["decision_no"] for r in found[0]["records"]] == ["示建罚〔2026〕63号"]
    assert found[0]["bans"][0]["department"] == "示范市住房和城乡建设局"
    assert found[0]["ratings"] and found[0]["ratings"][0]["grade"] in {"B", "C"}
    public = client.get("/api/v1/credit/ratings").json()
    assert {r["subject_type"] for r in public} == {"bidder", "agency"} and len(public) >= 5
    projects = client.get("/api/v1/projects", params={"state": "notice_published"}).json()
    items = projects["items"] if isinstance(projects, dict) else projects
    headers = api_token(client, "xinda", DEMO_PASSWORD)
    refused = []
    for p in items:
        detail = client.get(f"/api/v1/projects/{p['id']}").json()
        if detail.get("transaction_type") != "engineering":
            continue
        for section in detail.get("sections", []):
            r = client.post(
                f"/api/v1/projects/{p['id']}/sections/{section['id']}/registrations",
                json={"contact_name": "罗辉", "contact_phone": "13800000009"},
                headers=headers,
            )
            refused.append(r)
    assert refused and all(r.status_code == 403 for r in refused)
    assert "示建罚〔2026〕63号" in refused[0].json()["detail"]
    supervisor = api_token(client, "supervisor", DEMO_PASSWORD)
    now = client.get("/api/v1/credit/ratings/all", headers=supervisor).json()
    assert now and not now[0]["published"]
    assert "鑫达" in page_text(client.get("/credit").text)
