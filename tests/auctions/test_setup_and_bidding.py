"""Setting up an auction and bidding in it, through the service as the agency and bidders would: the reserve
is committed, never stored in the ledger in clear; only qualified bidders bid; the increment rule, the
self-bid refusal and the server clock decide what is accepted; every accepted bid is in the ledger."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from sunshine.auctions import bids, conditions, reading
from sunshine.auctions.models import Auction
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput
from sunshine.ledger import service as ledger
from sunshine.trading import registrations
from sunshine.trading.models import Section
from tests.auctions.builders import (
    INCREMENT,
    RESERVE,
    RESERVE_TEXTS,
    START_PRICE,
    auction_world,
    bid,
    listing_project,
    ready_listing,
    register,
    setup_auction,
)
from tests.trading.builders import accepted_project, publish_notice


@pytest.fixture
def w(db):
    return auction_world(db)


def _entries(db, auction_id: int, kind: str | None = None) -> list:
    with db.unit_of_work(read_only=True) as s:
        rows = ledger.entries_for(s, f"auction:{auction_id}")
        return [(e.seq, e.kind, json.loads(e.payload), e.payload) for e in rows if kind is None or e.kind == kind]


def test_setup_commits_to_the_reserve_without_revealing_it(db, w):
    project = listing_project(db, w)
    auction_id = setup_auction(db, w, project)
    [(seq, _kind, payload, raw)] = _entries(db, auction_id, "auction:setup")
    assert payload["reserve"]["set"] is True
    assert all(text not in raw for text in RESERVE_TEXTS), "the reserve never enters the public ledger in clear"
    with db.unit_of_work(read_only=True) as s:
        auction = s.get(Auction, auction_id)
        assert auction.setup_ledger_seq == seq
        expected = hashlib.sha256(f"{auction.reserve_salt}|{RESERVE}".encode()).hexdigest()
        assert payload["reserve"]["commitment"] == auction.reserve_commitment == expected
        assert (payload["start_price"], payload["increment"]) == (str(START_PRICE), str(INCREMENT))
        assert auction.phase == "scheduled"


def test_setup_without_reserve_says_so(db, w):
    project = listing_project(db, w)
    auction_id = setup_auction(db, w, project, reserve=None)
    [(_seq, _kind, payload, _raw)] = _entries(db, auction_id, "auction:setup")
    assert payload["reserve"] == {"set": False, "commitment": None, "scheme": "sha256(salt|amount)"}


def test_setup_is_for_the_projects_own_parties_before_bidding_starts(db, w, clock):
    project = listing_project(db, w)
    with db.unit_of_work() as s, pytest.raises(Forbidden):
        conditions.setup(s, w.other_agency, project.id, project.section, start_price="100", increment="1")
    with db.unit_of_work() as s:  # the 出让人 itself may set it up
        conditions.setup(s, w.bureau_staff, project.id, project.section, start_price="100.00", increment="10.00")
    with db.unit_of_work() as s, pytest.raises(AlreadyExists):
        conditions.setup(s, w.agency, project.id, project.section, start_price="100", increment="1")
    late = listing_project(db, w, name="示范市晋安区2026-08号地块挂牌出让")
    clock.set(late.starts)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="竞价已于"):
        conditions.setup(s, w.agency, late.id, late.section, start_price="100", increment="1")


def test_setup_needs_a_published_listing_or_auction_project(db, w):
    tender = accepted_project(db, vars(w))
    with db.unit_of_work() as s:
        section = s.scalar(select(Section.id).where(Section.project_id == tender))
    publish_notice(db, w.agency, tender)
    with db.unit_of_work() as s, pytest.raises(Conflict, match="挂牌、拍卖"):
        conditions.setup(s, w.agency, tender, section, start_price="100", increment="1")


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("increment", {"start_price": "100", "increment": "0"}, "增价幅度应大于 0"),
        ("start_price", {"start_price": "100.001", "increment": "1"}, "精确到分"),
        ("start_price", {"start_price": "abc", "increment": "1"}, "金额"),
        ("reserve_price", {"start_price": "100", "increment": "1", "reserve_price": "99.99"}, "不得低于起始价"),
    ],
)
def test_setup_refuses_bad_amounts_beside_the_field(db, w, field, values, message):
    project = listing_project(db, w)
    with db.unit_of_work() as s, pytest.raises(InvalidInput, match=message) as caught:
        conditions.setup(s, w.agency, project.id, project.section, **values)
    assert caught.value.extra["field"] == field


def test_only_qualified_bidders_may_bid(db, w, clock):
    project = listing_project(db, w)
    register(db, project, w.bidders[0])
    register(db, project, w.bidders[1], pay=False)  # registered, deposit not paid
    failed = register(db, project, w.bidders[2])
    with db.unit_of_work() as s:
        registrations.record_qualification(s, w.agency, failed, "pre", False, "业绩不满足要求")
    auction_id = setup_auction(db, w, project)
    clock.set(project.starts + timedelta(hours=1))
    with pytest.raises(bids.NotQualified, match="未报名"):
        bid(db, w.outsider, auction_id, START_PRICE)
    with pytest.raises(bids.NotQualified, match="保证金"):
        bid(db, w.bidders[1], auction_id, START_PRICE)
    with pytest.raises(bids.NotQualified, match="资格审查"):
        bid(db, w.bidders[2], auction_id, START_PRICE)
    with pytest.raises(Forbidden):
        bid(db, w.agency, auction_id, START_PRICE)
    assert bid(db, w.bidders[0], auction_id, START_PRICE).seq == 1


def test_bids_follow_the_start_price_and_the_increment(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts - timedelta(minutes=1))
    with pytest.raises(bids.AuctionClosed, match="尚未开始"):
        bid(db, w.bidders[0], auction_id, START_PRICE)
    clock.set(project.starts)
    with pytest.raises(bids.BidTooLow, match="起始价"):
        bid(db, w.bidders[0], auction_id, START_PRICE - Decimal("0.01"))
    with pytest.raises(InvalidInput, match="精确到分"):
        bid(db, w.bidders[0], auction_id, "10000000.005")
    assert bid(db, w.bidders[0], auction_id, START_PRICE).seq == 1
    with pytest.raises(bids.BidTooLow) as caught:
        bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT - Decimal("0.01"))
    assert "当前最高报价为 10,000,000.00 元" in caught.value.detail
    assert caught.value.extra["minimum"] == "10100000.00" and caught.value.status == 409
    assert bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT).seq == 2
    assert bid(db, w.bidders[0], auction_id, Decimal("10500000.00")).seq == 3  # more than one increment is fine


def test_the_highest_bidder_cannot_bid_against_itself(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    with pytest.raises(bids.AlreadyLeading, match="不能对自己加价") as caught:
        bid(db, w.bidders[0], auction_id, START_PRICE + INCREMENT)
    assert caught.value.status == 409


def test_every_accepted_bid_is_in_the_ledger_by_paddle(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    amounts = [START_PRICE, START_PRICE + INCREMENT, START_PRICE + 2 * INCREMENT]
    for bidder, amount in zip(w.bidders, amounts, strict=True):
        bid(db, bidder, auction_id, amount)
    entries = _entries(db, auction_id, "auction:bid")
    assert [p["seq"] for _, _, p, _ in entries] == [1, 2, 3]
    assert [Decimal(p["amount"]) for _, _, p, _ in entries] == amounts
    with db.unit_of_work(read_only=True) as s:
        rows = reading.bid_rows(s, w.bidders[0], auction_id)
        assert [r.ledger_seq for r in rows] == [seq for seq, *_ in entries]
        assert [r.paddle for r in rows] == [p["paddle"] for _, _, p, _ in entries]
    for _, _, _, raw in entries:  # paddles only, never the bidder's name
        assert "示范建设" not in raw and "organisation" not in raw


def test_a_paddle_number_is_random_stable_and_only_for_the_qualified(db, w, clock):
    project, auction_id = ready_listing(db, w)
    with db.unit_of_work() as s:
        first = bids.claim_paddle(s, w.bidders[0], auction_id).paddle
    with db.unit_of_work() as s:
        assert bids.claim_paddle(s, w.bidders[0], auction_id).paddle == first
    assert first.isdigit() and len(first) == 4
    with db.unit_of_work() as s, pytest.raises(bids.NotQualified):
        bids.claim_paddle(s, w.outsider, auction_id)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    with db.unit_of_work(read_only=True) as s:
        assert reading.view(s, w.outsider, auction_id).leader_paddle == first
