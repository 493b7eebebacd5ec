"""The auction API as clients use it: the agency sets an auction up, bidders take paddle numbers and bid,
anyone reads the state and the bids; refusals are problem+json with stable codes and Chinese messages,
never a 500; the result (with the revealed, verifiable reserve) appears as soon as the time has come,
without waiting for the tick."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from tests.auctions.builders import (
    INCREMENT,
    RESERVE,
    RESERVE_TEXTS,
    START_PRICE,
    auction_world,
    listing_project,
    ready_listing,
    register,
)
from tests.builders import api_token


@pytest.fixture
def w(db):
    return auction_world(db)


def _token(client, principal) -> dict[str, str]:
    return api_token(client, principal.username)


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), "a Chinese message"
    return body


def test_the_agency_sets_an_auction_up_and_the_reserve_stays_secret(db, w, client):
    project = listing_project(db, w)
    url = f"/api/v1/projects/{project.id}/sections/{project.section}/auction"
    body = {"start_price": str(START_PRICE), "increment": str(INCREMENT), "reserve_price": str(RESERVE)}
    _problem(client.post(url, json=body, headers=_token(client, w.bidders[0])), 403, "forbidden")
    _problem(client.post(url, json=body, headers=_token(client, w.other_agency)), 403, "forbidden")
    agency = _token(client, w.agency)
    _problem(client.post(url, json={**body, "increment": "0"}, headers=agency), 422, "invalid_input")
    _problem(client.post(url, json={**body, "increment": "1.001"}, headers=agency), 422, "invalid_input")
    _problem(client.post(url, json={**body, "start_price": "abc"}, headers=agency), 422, "invalid_input")
    _problem(
        client.post(url, content=b"{not json", headers={**agency, "content-type": "application/json"}),
        400,
        "invalid_json",
    )
    created = client.post(url, json=body, headers=agency)
    assert created.status_code == 201, created.text
    data = created.json()
    assert (data["phase"], data["has_reserve"], data["result"]) == ("scheduled", True, None)
    assert len(data["reserve_commitment"]) == 64
    assert all(text not in created.text for text in RESERVE_TEXTS)
    _problem(client.post(url, json=body, headers=agency), 409, "already_exists")


def test_bidding_over_the_api(db, w, client, clock):
    project, auction_id = ready_listing(db, w)
    first, second = _token(client, w.bidders[0]), _token(client, w.bidders[1])
    bids_url = f"/api/v1/auctions/{auction_id}/bids"
    _problem(client.post(bids_url, json={"amount": str(START_PRICE)}, headers=first), 409, "auction_closed")
    clock.set(project.starts)
    first, second = _token(client, w.bidders[0]), _token(client, w.bidders[1])  # tokens last a day
    mine = client.get(f"/api/v1/auctions/{auction_id}/paddle", headers=first).json()
    assert (mine["paddle"], mine["qualified"]) == (None, True)
    claimed = client.post(f"/api/v1/auctions/{auction_id}/paddle", headers=first).json()["paddle"]
    assert client.get(f"/api/v1/auctions/{auction_id}/paddle", headers=first).json()["paddle"] == claimed
    _problem(
        client.post(f"/api/v1/auctions/{auction_id}/paddle", headers=_token(client, w.outsider)), 403, "not_qualified"
    )
    placed = client.post(bids_url, json={"amount": "10000000.00"}, headers=first)
    assert placed.status_code == 201, placed.text
    assert (placed.json()["seq"], placed.json()["paddle"]) == (1, claimed)
    low = _problem(client.post(bids_url, json={"amount": "10050000"}, headers=second), 409, "bid_too_low")
    assert "当前最高报价为 10,000,000.00 元" in low["detail"] and low["minimum"] == "10100000.00"
    _problem(client.post(bids_url, json={"amount": "10200000"}, headers=first), 409, "already_leading")
    _problem(client.post(bids_url, json={"amount": "10100000.001"}, headers=second), 422, "invalid_input")
    _problem(client.post(bids_url, json={"amount": "-5"}, headers=second), 422, "invalid_input")
    _problem(client.post(bids_url, json={"amount": "NaN"}, headers=second), 422, "invalid_input")
    _problem(client.post(bids_url, json={"amount": "1e999"}, headers=second), 422, "invalid_input")
    assert client.post(bids_url, json={"amount": 10100000}, headers=second).status_code == 201
    state = client.get(f"/api/v1/auctions/{auction_id}").json()  # anonymous
    assert (state["phase"], state["bid_count"], state["current_price"], state["minimum_bid"]) == (
        "listing",
        2,
        "10100000.00",
        "10200000.00",
    )
    assert state["accepting_bids"] and state["ends_at"] is not None and state["server_time"]
    listed = client.get(bids_url).json()
    assert [(b["seq"], b["amount"]) for b in listed] == [(1, "10000000.00"), (2, "10100000.00")]
    assert "organisation" not in str(listed) and "示范建设" not in str(listed)
    assert [a["id"] for a in client.get(f"/api/v1/projects/{project.id}/auctions").json()] == [auction_id]


def test_the_result_appears_on_the_first_read_after_the_end_with_a_verifiable_reserve(db, w, client, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    for bidder, amount in ((w.bidders[0], "10000000"), (w.bidders[1], "10300000")):
        assert (
            client.post(
                f"/api/v1/auctions/{auction_id}/bids", json={"amount": amount}, headers=_token(client, bidder)
            ).status_code
            == 201
        )
    clock.set(project.deadline + timedelta(seconds=300))  # the timed round ran out, no tick has run
    late = client.post(
        f"/api/v1/auctions/{auction_id}/bids", json={"amount": "10400000"}, headers=_token(client, w.bidders[2])
    )
    _problem(late, 409, "auction_closed")
    state = client.get(f"/api/v1/auctions/{auction_id}").json()
    result = state["result"]
    assert state["phase"] == "ended" and result["outcome"] == "sold"
    assert (result["winner_name"], result["final_price"]) == ("闽江路桥工程有限公司", "10300000.00")
    assert result["reserve_price"] == str(RESERVE) and result["reserve_verified"] is True
    recomputed = hashlib.sha256(f"{result['reserve_salt']}|{result['reserve_price']}".encode()).hexdigest()
    assert recomputed == state["reserve_commitment"]
    project_state = client.get(f"/api/v1/projects/{project.id}").json()["state"]
    assert project_state == "result_published"


def test_unknown_or_malformed_auctions_are_404_or_422_never_500(db, w, client):
    for path in ("/api/v1/auctions/999999999999", "/api/v1/auctions/0", "/api/v1/auctions/-1/bids"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/auctions/abc").status_code == 422
    bidder = _token(client, w.bidders[0])
    assert client.post("/api/v1/auctions/424242/bids", json={"amount": "1"}, headers=bidder).status_code == 404
    assert client.post("/api/v1/auctions/424242/paddle", headers=bidder).status_code == 404
    project = listing_project(db, w)
    register(db, project, w.bidders[0])
    url = f"/api/v1/projects/{project.id}/sections/999999/auction"
    body = {"start_price": "100", "increment": "1"}
    assert client.post(url, json=body, headers=_token(client, w.agency)).status_code == 404
