"""Bids arriving together, from real threads on their own database connections (SQLite and PostgreSQL):
the server puts them in one order; each is either accepted with the next sequence number or refused with a
409 that states the new current price — none is lost, none is numbered twice, and every accepted bid has
its ledger entry."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from decimal import Decimal

import pytest

from sunshine.auctions import bids, reading
from sunshine.core.errors import SunshineError
from sunshine.ledger import service as ledger
from tests.auctions.builders import INCREMENT, START_PRICE, auction_world, bid, ready_listing


@pytest.fixture
def w(db):
    return auction_world(db)


def _together(calls) -> list[tuple[str, object]]:
    """Run every call in its own thread, released at the same moment; (outcome, value) per call."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("missing", None)] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait()
        try:
            results[i] = ("accepted", call())
        except SunshineError as exc:
            results[i] = ("refused", exc)
        except Exception as exc:  # anything else is a failure of the test
            results[i] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _state(db, w, auction_id: int):
    with db.unit_of_work(read_only=True) as s:
        view = reading.view(s, w.centre, auction_id)
        rows = reading.bid_rows(s, w.centre, auction_id)
        entries = [
            json.loads(e.payload) for e in ledger.entries_for(s, f"auction:{auction_id}") if e.kind == "auction:bid"
        ]
    return view, rows, entries


def _consistent(rows, entries) -> None:
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1)), "sequence numbers without gaps or repeats"
    assert all(a.amount < b.amount for a, b in zip(rows, rows[1:], strict=False)), "amounts strictly increasing"
    assert [(e["seq"], Decimal(e["amount"]), e["paddle"]) for e in entries] == [
        (r.seq, r.amount, r.paddle) for r in rows
    ]


def test_two_equal_bids_at_the_same_moment_one_wins_the_other_is_told_the_new_price(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(hours=1))
    bid(db, w.bidders[2], auction_id, START_PRICE)
    amount = START_PRICE + INCREMENT
    results = _together([lambda b=b: bid(db, b, auction_id, amount) for b in w.bidders[:2]])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["accepted", "refused"], results
    [(_, refusal)] = [r for r in results if r[0] == "refused"]
    assert isinstance(refusal, bids.BidTooLow) and refusal.status == 409
    assert "当前最高报价为 10,100,000.00 元" in refusal.detail and refusal.extra["current_price"] == "10100000.00"
    [(_, accepted)] = [r for r in results if r[0] == "accepted"]
    assert accepted.seq == 2
    view, rows, entries = _state(db, w, auction_id)
    assert (view.auction.bid_count, view.auction.current_price) == (2, amount)
    _consistent(rows, entries)


def test_two_compatible_bids_at_the_same_moment_are_both_accepted_in_server_order(db, w, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(hours=1))
    bid(db, w.bidders[2], auction_id, START_PRICE)
    low, high = START_PRICE + INCREMENT, START_PRICE + 3 * INCREMENT
    results = _together(
        [lambda: bid(db, w.bidders[0], auction_id, low), lambda: bid(db, w.bidders[1], auction_id, high)]
    )
    kinds = [k for k, _ in results]
    view, rows, entries = _state(db, w, auction_id)
    _consistent(rows, entries)
    if kinds == ["accepted", "accepted"]:  # the lower one was processed first
        assert [r.amount for r in rows] == [START_PRICE, low, high]
    else:  # the higher one came first: the lower one is refused and told the new price, never dropped silently
        assert kinds == ["refused", "accepted"], results
        assert "10,300,000.00" in results[0][1].detail
        assert [r.amount for r in rows] == [START_PRICE, high]
    assert view.auction.current_price == high


def test_a_storm_of_concurrent_bidders_leaves_a_consistent_auction(db, w, clock):
    """Three bidders, each bidding the current minimum as fast as it can: every attempt ends accepted or
    refused with a conflict; the accepted ones are exactly the bid list, numbered and increasing."""
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(hours=1))

    def bidder_loop(bidder, attempts: int = 8):
        outcomes = []
        for _ in range(attempts):
            with db.unit_of_work(read_only=True) as s:
                minimum = reading.view(s, bidder, auction_id).minimum_bid
            try:
                outcomes.append(("accepted", bid(db, bidder, auction_id, minimum).seq))
            except (bids.BidTooLow, bids.AlreadyLeading) as exc:
                outcomes.append(("refused", exc.code))
        return outcomes

    results = _together([lambda b=b: bidder_loop(b) for b in w.bidders])
    assert all(kind == "accepted" for kind, _ in results), results  # no thread failed
    accepted = [seq for _, outcomes in results for kind, seq in outcomes if kind == "accepted"]
    view, rows, entries = _state(db, w, auction_id)
    assert sorted(accepted) == [r.seq for r in rows] == list(range(1, view.auction.bid_count + 1))
    assert len(rows) >= 3
    _consistent(rows, entries)
    assert view.auction.current_price == rows[-1].amount
