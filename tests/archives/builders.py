"""Projects at the end of their method for the archive tests, built through the API as their people would: a land
listing from the auction's buyer to the signed transfer contract (成交确认书 sealed and issued, 转让合同 signed by the
land bureau and the buyer)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sunshine.identity.roles import Role
from tests.auctions.builders import INCREMENT, START_PRICE, auction_world, bid, ready_listing, settle
from tests.builders import api_token
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor


def contracted_listing(db, client, clock) -> SimpleNamespace:
    """A land listing whose transfer contract both parties signed (合同已签订): the end of its method."""
    w = auction_world(db)
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(days=1))
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)
    clock.set(project.deadline)
    assert settle(db, auction_id)
    clock.set(project.deadline + timedelta(seconds=100))
    bid(db, w.bidders[2], auction_id, START_PRICE + 3 * INCREMENT)
    clock.set(project.deadline + timedelta(minutes=30))
    assert settle(db, auction_id)
    pid = project.id
    agency = api_token(client, w.agency.username)
    letters = client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=agency).json()["letters"]
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    key = make_key(db, signer)
    signer_headers = api_token(client, signer.username)
    for letter in letters:
        sealed = client.post(
            f"/api/v1/seals/award_letter/{letter['id']}",
            headers=signer_headers,
            json=seal_body(db, "award_letter", letter["id"], key),
        )
        assert sealed.status_code in (200, 201), sealed.text
    issued = client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=agency)
    assert issued.status_code == 200, issued.text
    terms = {
        "section_id": project.section,
        "term": "土地交付之日起24个月内开工",
        "payment": "成交确认书签订后30日内付清",
    }
    contract = client.post(f"/api/v1/projects/{pid}/contracts", headers=agency, json=terms)
    assert contract.status_code == 201, contract.text
    contract = contract.json()
    sha = {"sha256": contract["sha256"]}
    buyer = api_token(client, w.bidders[2].username)
    assert client.post(f"/api/v1/contracts/{contract['id']}/sign", headers=buyer, json=sha).status_code == 200
    bureau = api_token(client, w.bureau_staff.username)
    signed = client.post(f"/api/v1/contracts/{contract['id']}/sign", headers=bureau, json=sha)
    assert signed.status_code == 200 and signed.json()["project_state_label"] == "合同已签订", signed.text
    return SimpleNamespace(w=w, project=project, contract=contract, letters=letters)
