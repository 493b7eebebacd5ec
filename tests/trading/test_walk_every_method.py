"""Every trading method of the rule packs, walked through the HTTP API from registration to its bid
deadline (or listing end), as the people involved would: agency registers, centre accepts, agency
publishes the first notice, a bidder registers, the server clock passes the deadline and the tick
closes the project. Every step is on the project's timeline with a proof that verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.core import clock as clock_module
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import merkle
from sunshine.rules.registry import registry
from sunshine.tasks import tick
from sunshine.trading.labels import TRANSACTION_TYPES
from tests.builders import api_token, make_org, make_user
from tests.trading.builders import cheap_password_hashing

TRADING_PACKS = sorted(
    (p.key, p.transaction_type, p.method, p.lifecycle)
    for p in registry().current()
    if p.transaction_type in TRANSACTION_TYPES
)
FIRST_KIND = {
    "tender": "tender",
    "negotiation": "procurement",
    "single_source": "single_source",
    "listing": "listing",
    "auction": "auction",
    "draw": "draw",
}

# 政府采购邀请招标 starts with the prequalification notice (the pack's invitation_prequalification_first).
PREQUALIFICATION_FIRST = {
    p.key for p in registry().current() if any(r.id == "invitation_prequalification_first" for r in p.rules)
}
assert "gov_procurement.invited_tender" in PREQUALIFICATION_FIRST


@pytest.fixture
def people(db, client, monkeypatch):
    cheap_password_hashing(monkeypatch)
    tenderer = make_org(db, name="示范市第一中学", kind=OrganisationKind.PURCHASER)
    agency = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    bidder_org = make_org(db, name="闽江建设工程有限公司", kind=OrganisationKind.ENTERPRISE)
    make_user(db, Role.AGENCY, username="agency", organisation_id=agency)
    make_user(db, Role.CENTRE_STAFF, username="centre")
    make_user(db, Role.BIDDER, username="bidder", organisation_id=bidder_org)
    people = {"tenderer": tenderer, "agency": agency}

    def login() -> None:  # tokens last a day; the walk moves the clock by weeks
        people.update(
            agency_h=api_token(client, "agency"),
            centre_h=api_token(client, "centre"),
            bidder_h=api_token(client, "bidder"),
        )

    login()
    people["login"] = login
    return people


def _verify_proof(client, seq: int) -> None:
    proof = client.get(f"/api/v1/ledger/entries/{seq}/proof").json()
    leaf = merkle.leaf_hash(proof["leaf_input"].encode())
    assert merkle.verify_inclusion(
        leaf,
        seq,
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["audit_path"]],
        bytes.fromhex(proof["head"]["root_hash"]),
    )


@pytest.mark.parametrize(
    ("key", "transaction_type", "method", "lifecycle_name"), TRADING_PACKS, ids=[p[0] for p in TRADING_PACKS]
)
def test_walk_from_registration_to_deadline(db, client, clock, people, key, transaction_type, method, lifecycle_name):
    budget = "400000.00" if lifecycle_name == "draw" else "5000000.00"
    registered = client.post(
        "/api/v1/projects",
        headers=people["agency_h"],
        json={
            "name": f"示范市{key}示范项目",
            "transaction_type": transaction_type,
            "method": method,
            "tenderer_id": people["tenderer"],
            "agency_id": people["agency"],
            "budget": budget,
            "region_code": "350100",
            "funding_source": "财政资金",
            "evaluation_method": "综合评估法",
            "sections": [{"name": "第一标段", "estimate": budget, "qualification": "具有相应资质"}],
        },
    )
    assert registered.status_code == 201, registered.text
    project = registered.json()
    assert project["state"] == "registered" and project["pack_key"] == key
    assert len(project["code"]) == 18 and project["code"].startswith("350100")

    accepted = client.post(f"/api/v1/projects/{project['id']}/accept", headers=people["centre_h"])
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted", accepted.text

    now = clock_module.now()
    docs = now + timedelta(days=35) if lifecycle_name in ("listing", "auction") or key == "land.tender" else now
    deadline = (docs + timedelta(days=50)).replace(hour=1, minute=30, second=0, microsecond=0)  # 09:30 Beijing
    form = {
        "kind": "prequalification" if key in PREQUALIFICATION_FIRST else FIRST_KIND[lifecycle_name],
        "title": f"{project['name']}公告",
        "body_html": "<p>详见附件与公告正文。</p>",
        "bid_deadline": deadline.isoformat(),
        "docs_issued_at": docs.isoformat(),
        "docs_sale_end": (docs + timedelta(days=12)).isoformat(),
    }
    if lifecycle_name == "auction":
        form["opening_at"] = deadline.isoformat()
    published = client.post(f"/api/v1/projects/{project['id']}/notices", headers=people["agency_h"], data=form)
    assert published.status_code == 201, published.text

    public = client.get(f"/api/v1/projects/{project['id']}").json()
    assert public["state"] == "notice_published", "anyone can now see the project"
    section_id = public["sections"][0]["id"]
    if docs > clock_module.now():
        clock.set(docs + timedelta(hours=1))
        people["login"]()
    reg = client.post(
        f"/api/v1/projects/{project['id']}/sections/{section_id}/registrations",
        headers=people["bidder_h"],
        json={"contact_name": "何丽", "contact_phone": "13905910001"},
    )
    if lifecycle_name == "single_source":
        assert reg.status_code == 409 and reg.json()["detail"] == "单一来源采购不接受报名"
    else:
        assert reg.status_code == 201, reg.text

    early = client.post(f"/api/v1/projects/{project['id']}/close", headers=people["centre_h"])
    assert early.status_code == 409 and early.json()["code"] == "illegal_step"

    clock.set(deadline)
    people["login"]()
    tick(db)
    closed = client.get(f"/api/v1/projects/{project['id']}").json()
    # sealed bids are opened at the deadline; with none submitted the project fails there (流标, 条例第四十四条) —
    # except an invited procurement, whose first deadline ends the prequalification: its opening waits for the
    # draw of the invitees and their letters (87号令第十四条)
    invited = key == "gov_procurement.invited_tender"
    sealed = lifecycle_name in ("tender", "negotiation") and not invited
    assert closed["state"] == ("failed" if sealed else "bid_closed")
    late = client.post(
        f"/api/v1/projects/{project['id']}/sections/{section_id}/registrations",
        headers=people["bidder_h"],
        json={"contact_name": "何丽", "contact_phone": "13905910001"},
    )
    assert late.status_code in (409, 422), late.text

    steps = client.get(f"/api/v1/projects/{project['id']}/timeline").json()
    assert [s["step"] for s in steps] == ["register", "accept", "publish_notice", "close_bidding"] + (
        ["fail"] if sealed else []
    )
    for step in steps:
        _verify_proof(client, step["ledger_seq"])


def test_green_channel_has_a_shorter_handling_limit_and_goes_first(db, client, clock, people):
    def register(name: str, green: bool) -> dict:
        body = {
            "name": name,
            "transaction_type": "engineering",
            "method": "open_tender",
            "tenderer_id": people["tenderer"],
            "agency_id": people["agency"],
            "budget": "900000.00",
            "region_code": "350100",
            "funding_source": "财政资金",
            "sections": [{"name": "施工", "estimate": "900000.00", "qualification": "具有相应资质"}],
        }
        if green:
            body |= {"green_channel": True, "green_reason": "乡村振兴民生项目"}
        response = client.post("/api/v1/projects", headers=people["agency_h"], json=body)
        assert response.status_code == 201, response.text
        return response.json()

    ordinary = register("示范市某小学操场改造工程", green=False)
    green = register("示范市某村饮水安全巩固提升工程", green=True)
    queue = client.get("/api/v1/projects/queue", headers=people["centre_h"]).json()
    assert [p["code"] for p in queue] == [green["code"], ordinary["code"]], "green channel first"
    deadlines = {d["subject"]: d for d in client.get("/api/v1/calendar/deadlines", headers=people["centre_h"]).json()}
    # Registered Monday 2026-11-23: one working day for the green channel, two otherwise.
    assert deadlines[f"project:{green['code']}"]["due"] == "2026-11-24"
    assert deadlines[f"project:{ordinary['code']}"]["due"] == "2026-11-25"
    assert deadlines[f"project:{green['code']}"]["rule_ref"] == "centre.service/green_acceptance_within"
    client.post(f"/api/v1/projects/{green['id']}/accept", headers=people["centre_h"])
    remaining = {d["subject"] for d in client.get("/api/v1/calendar/deadlines", headers=people["centre_h"]).json()}
    assert f"project:{green['code']}" not in remaining, "handled: the clock stops"
    listed = client.get("/api/v1/projects?green=true").json()
    assert [p["code"] for p in listed] == [], "not public until its notice is published"
