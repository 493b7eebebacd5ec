"""A land listing from the auction's buyer to the transfer contract, through the API: the buyer (竞得人) and its
final price come from the auction (``trading.outcomes``), the agency drafts and seals the 成交确认书 and the
竞价结果通知书, issues them, drafts the 转让合同 at the final price, and the land bureau and the buyer sign it."""

from __future__ import annotations

from datetime import timedelta

from sunshine.identity.roles import Role
from tests.auctions.builders import INCREMENT, START_PRICE, auction_world, bid, ready_listing, settle
from tests.builders import api_token
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor


def test_a_land_listing_from_the_buyer_to_the_signed_transfer_contract(db, client, clock):
    w = auction_world(db)
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(days=1))
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)
    clock.set(project.deadline)
    assert settle(db, auction_id)
    clock.set(project.deadline + timedelta(seconds=100))
    bid(db, w.bidders[0], auction_id, START_PRICE + 2 * INCREMENT)
    bid(db, w.bidders[2], auction_id, START_PRICE + 3 * INCREMENT)  # above the secret reserve
    clock.set(project.deadline + timedelta(minutes=30))
    assert settle(db, auction_id)
    pid = project.id
    assert client.get(f"/api/v1/projects/{pid}").json()["state"] == "result_published"

    agency = api_token(client, w.agency.username)
    drafted = client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=agency)
    assert drafted.status_code == 200, drafted.text
    letters = drafted.json()["letters"]
    award = letters[0]
    assert award["title"] == "成交确认书" and award["kind"] == "award"
    assert award["organisation_id"] == w.bidders[2].organisation_id
    assert award["amount"] == "10300000.00" and "经网上竞价，确定你单位为竞得人" in award["body"]
    assert [x["title"] for x in letters[1:]] == ["竞价结果通知书", "竞价结果通知书"]

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
    assert issued.json()["state_label"] == "已签发成交确认书"

    buyer = api_token(client, w.bidders[2].username)
    mine = client.get("/api/v1/award-letters/mine", headers=buyer).json()
    assert [x["title"] for x in mine] == ["成交确认书"]

    terms = {
        "section_id": project.section,
        "term": "土地交付之日起24个月内开工",
        "payment": "成交确认书签订后30日内付清",
    }
    changed = client.post(f"/api/v1/projects/{pid}/contracts", headers=agency, json={**terms, "amount": "10000000"})
    assert changed.status_code == 422 and changed.json()["code"] == "contract_changes_substance"
    contract = client.post(f"/api/v1/projects/{pid}/contracts", headers=agency, json=terms)
    assert contract.status_code == 201, contract.text
    contract = contract.json()
    assert contract["title"] == "转让合同" and contract["amount"] == "10300000.00"
    assert contract["tenderer"] == "示范市自然资源和规划局" and "甲方（转让方）" in contract["body"]

    sha = {"sha256": contract["sha256"]}
    url = f"/api/v1/contracts/{contract['id']}/sign"
    assert client.post(url, headers=buyer, json=sha).status_code == 200
    bureau = api_token(client, w.bureau_staff.username)
    signed = client.post(url, headers=bureau, json=sha)
    assert signed.status_code == 200, signed.text
    assert signed.json()["state_label"] == "双方已签署" and signed.json()["project_state_label"] == "合同已签订"
    listed = client.get(f"/api/v1/projects/{pid}/contracts", headers=buyer).json()
    assert [c["id"] for c in listed] == [contract["id"]]
    other = api_token(client, w.bidders[0].username)
    assert client.get(f"/api/v1/projects/{pid}/contracts", headers=other).json() == []
