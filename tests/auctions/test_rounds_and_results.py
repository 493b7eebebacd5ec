"""The server clock drives an auction: the listing (挂牌期) ends at its deadline, a timed final round
(限时竞价) follows when at least two bidders have bid, each late bid extends the clock, a bid after the end
is refused; the highest bid wins when it reaches the reserve, otherwise 流拍; the result reveals and verifies
the reserve, is in the ledger, is published through the disclosure pipeline, and the project moves on."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from sunshine.auctions import bids, reading
from sunshine.auctions.models import Auction
from sunshine.disclosure.models import Obligation, Publication
from sunshine.ledger import service as ledger
from sunshine.tasks import tick
from sunshine.trading import service as trading
from sunshine.trading.models import Deposit, Project, Transition
from tests.auctions.builders import (
    INCREMENT,
    RESERVE,
    START_PRICE,
    auction_world,
    bid,
    listing_project,
    ready_listing,
    register,
    settle,
    setup_auction,
)

FIVE_MINUTES = timedelta(seconds=300)


@pytest.fixture
def w(db):
    return auction_world(db)


def _auction(db, auction_id: int) -> Auction:
    with db.unit_of_work(read_only=True) as s:
        return s.get(Auction, auction_id)


def _project(db, project_id: int) -> Project:
    with db.unit_of_work(read_only=True) as s:
        return s.get(Project, project_id)


def _steps(db, project_id: int) -> list[str]:
    with db.unit_of_work(read_only=True) as s:
        return list(
            s.scalars(select(Transition.step).where(Transition.project_id == project_id).order_by(Transition.id))
        )


def _view(db, w, auction_id: int):
    with db.unit_of_work(read_only=True) as s:
        return reading.view(s, w.centre, auction_id)


def test_two_bidders_in_the_listing_lead_to_a_timed_round_that_late_bids_extend(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(days=1))
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)
    clock.set(project.deadline)  # 挂牌截止: the final round starts now, by the rules
    assert settle(db, auction_id)
    auction = _auction(db, auction_id)
    assert (auction.phase, auction.final_started_at, auction.ends_at) == (
        "final",
        project.deadline,
        project.deadline + FIVE_MINUTES,
    )
    assert _project(db, project.id).state == "opening"
    clock.set(project.deadline + timedelta(seconds=290))  # ten seconds before the end
    late = bid(db, w.bidders[2], auction_id, START_PRICE + 2 * INCREMENT)
    assert late.ends_at_after == project.deadline + timedelta(seconds=290) + FIVE_MINUTES
    clock.set(project.deadline + timedelta(seconds=300))  # the original end has passed: still open
    bid(db, w.bidders[0], auction_id, START_PRICE + 3 * INCREMENT)
    ends = _auction(db, auction_id).ends_at
    assert ends == project.deadline + timedelta(seconds=600)
    clock.set(ends)  # exactly at the end: too late
    with pytest.raises(bids.AuctionClosed, match="不再接受报价") as caught:
        bid(db, w.bidders[1], auction_id, START_PRICE + 4 * INCREMENT)
    assert caught.value.status == 409
    assert settle(db, auction_id)
    auction = _auction(db, auction_id)
    assert (auction.phase, auction.outcome, auction.final_price, auction.ended_at) == (
        "ended",
        "sold",
        START_PRICE + 3 * INCREMENT,
        ends,
    )
    assert _steps(db, project.id)[-3:] == ["close_bidding", "start_auction", "conclude_auction"]


def test_the_winner_is_named_the_reserve_revealed_and_verified_and_the_result_published(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, Decimal("10300000.00"))  # above the reserve
    clock.set(project.deadline + FIVE_MINUTES)
    report = tick(db)
    assert report.auctions == [auction_id]
    view = _view(db, w, auction_id)
    result = view.result
    assert (result.outcome, result.final_price, result.winner_name) == (
        "sold",
        Decimal("10300000.00"),
        "闽江路桥工程有限公司",
    )
    assert (result.reserve_price, result.reserve_verified) == (RESERVE, True)
    with db.unit_of_work(read_only=True) as s:
        [entry] = [e for e in ledger.entries_for(s, f"auction:{auction_id}") if e.kind == "auction:result"]
        payload = json.loads(entry.payload)
        assert payload["reserve"]["amount"] == str(RESERVE) and payload["reserve"]["verified"] is True
        assert payload["winner"]["name"] == "闽江路桥工程有限公司" and payload["outcome"] == "sold"
        assert "示范建设集团" not in entry.payload, "only the winner is named"
        project_row = s.get(Project, project.id)
        assert project_row.state == "result_published"
        publications = list(s.scalars(select(Publication).where(Publication.subject == f"project:{project_row.code}")))
        result_pub = [p for p in publications if p.source_ref == f"auction:{auction_id}"]
        assert len(result_pub) == 1 and result_pub[0].status == "published"
        assert "闽江路桥工程有限公司" in result_pub[0].body and "10,300,000.00" in result_pub[0].body
        assert "10,234,567.89" in result_pub[0].body  # the revealed reserve
        obligation = s.get(Obligation, result_pub[0].obligation_id)
        assert obligation.trigger == "trading.result" and obligation.status == "met"
        deposits = {
            d.organisation_id: d.status for d in s.scalars(select(Deposit).where(Deposit.project_id == project.id))
        }
    assert deposits[w.firms[1]] == "paid"  # the winner's deposit is kept towards the price
    assert deposits[w.firms[0]] == deposits[w.firms[2]] == "refund_due"
    assert tick(db).auctions == [], "the tick is idempotent"


def test_a_highest_bid_below_the_reserve_means_failure_and_the_project_fails(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)  # 10,100,000 < reserve 10,234,567.89
    clock.set(project.deadline + timedelta(hours=1))  # nobody bid in the final round
    tick(db)
    auction = _auction(db, auction_id)
    assert (auction.outcome, auction.winner_id, auction.final_price) == ("failed", None, None)
    assert auction.ended_at == project.deadline + FIVE_MINUTES
    row = _project(db, project.id)
    assert (row.state, row.failed_attempts) == ("failed", 1)
    assert _steps(db, project.id)[-1] == "auction_failed"
    view = _view(db, w, auction_id)
    assert view.result.outcome_label == "流拍" and view.result.reserve_price == RESERVE
    with db.unit_of_work(read_only=True) as s:
        statuses = {d.status for d in s.scalars(select(Deposit).where(Deposit.project_id == project.id))}
        pub = s.scalar(select(Publication).where(Publication.source_ref == f"auction:{auction_id}"))
    assert statuses == {"refund_due"}
    assert pub is not None and "流拍" in pub.title


def test_a_single_bidder_in_the_listing_wins_at_the_deadline_without_a_timed_round(db, w, clock):
    project, auction_id = ready_listing(db, w, reserve=None)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    clock.set(project.deadline)
    assert settle(db, auction_id)
    auction = _auction(db, auction_id)
    assert (auction.phase, auction.outcome, auction.final_price, auction.final_started_at) == (
        "ended",
        "sold",
        START_PRICE,
        None,
    )
    assert "start_auction" not in _steps(db, project.id)
    assert _project(db, project.id).state == "result_published"
    assert _view(db, w, auction_id).result.reserve_verified is None  # there was no reserve to verify


def test_no_bid_at_all_is_a_failure(db, w, clock):
    project, auction_id = ready_listing(db, w, reserve=None)
    clock.set(project.deadline + timedelta(days=1))
    tick(db)
    assert _auction(db, auction_id).outcome == "failed"
    assert _project(db, project.id).state == "failed"


def test_a_bid_after_the_listing_deadline_is_refused_by_the_server_clock(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    clock.set(project.deadline)
    with pytest.raises(bids.AuctionClosed, match="不再接受报价"):
        bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)


def test_an_auction_is_a_timed_round_from_its_start(db, w, clock):
    project = listing_project(db, w, method="auction", name="示范市晋安区2026-07号地块国有建设用地使用权拍卖出让")
    for bidder in w.bidders[:2]:
        register(db, project, bidder)
    auction_id = setup_auction(db, w, project, reserve=None)
    clock.set(project.deadline)  # registration closes; the auction starts an hour later
    with pytest.raises(bids.AuctionClosed, match="尚未开始"):
        bid(db, w.bidders[0], auction_id, START_PRICE)
    clock.set(project.opening + timedelta(seconds=10))
    bid(db, w.bidders[0], auction_id, START_PRICE)
    auction = _auction(db, auction_id)
    assert (auction.phase, auction.final_started_at) == ("final", project.opening)
    assert auction.ends_at == project.opening + timedelta(seconds=310)  # extended by the bid
    assert _project(db, project.id).state == "opening"
    clock.set(auction.ends_at)
    tick(db)
    assert _auction(db, auction_id).outcome == "sold"
    assert _steps(db, project.id)[-3:] == ["close_bidding", "start_auction", "conclude_auction"]


def test_a_project_concludes_only_when_all_its_auctions_have_ended(db, w, clock):
    project = listing_project(
        db, w, sections=[("地块甲", "10000000.00"), ("地块乙", "10000000.00")], name="示范市两宗地块挂牌出让"
    )
    for section in project.sections:
        for bidder in w.bidders[:2]:
            register(db, project, bidder, section=section)
    first = setup_auction(db, w, project, reserve=None, section=project.sections[0])
    second = setup_auction(db, w, project, reserve=None, section=project.sections[1])
    clock.set(project.starts)
    bid(db, w.bidders[0], first, START_PRICE)  # one bidder: ends at the deadline
    bid(db, w.bidders[0], second, START_PRICE)
    bid(db, w.bidders[1], second, START_PRICE + INCREMENT)  # two bidders: timed round
    clock.set(project.deadline + timedelta(seconds=1))
    tick(db)
    assert (_auction(db, first).phase, _auction(db, second).phase) == ("ended", "final")
    assert _project(db, project.id).state == "opening"
    clock.set(project.deadline + FIVE_MINUTES)
    tick(db)
    assert _project(db, project.id).state == "result_published"
    with db.unit_of_work(read_only=True) as s:
        pub = s.scalar(
            select(Publication).where(
                Publication.subject == f"project:{_project(db, project.id).code}",
                Publication.source_ref == f"auction:{first}",
            )
        )
    assert "地块甲" in pub.body and "地块乙" in pub.body


def test_a_suspended_project_freezes_its_auction(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    with db.unit_of_work() as s:
        trading.suspend(s, w.centre, project.id, "收到投诉，暂停挂牌")
    with pytest.raises(bids.AuctionClosed, match="暂停"):
        bid(db, w.bidders[0], auction_id, START_PRICE)
    clock.set(project.deadline + timedelta(days=1))
    assert tick(db).auctions == []
    assert _auction(db, auction_id).phase != "ended"
    view = _view(db, w, auction_id)
    assert (view.phase_label, view.accepting) == ("项目已暂停，竞价暂停", False)
