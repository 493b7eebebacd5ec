"""An incident during a timed auction round (限时竞价): the round stands still while the project is suspended,
and at the end restarts with the time it had left, at least the rule's minimum; bidding then goes on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine import tasks
from sunshine.auctions import bids
from sunshine.auctions.models import Auction
from sunshine.incidents import service
from sunshine.incidents.schemas import ConfirmIn, EndIn, IncidentIn
from sunshine.trading.models import Project
from tests.auctions.builders import INCREMENT, START_PRICE, auction_world, bid, ready_listing, settle


def test_a_timed_round_restarts_with_at_least_the_minimum(db, clock):
    w = auction_world(db)
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts + timedelta(days=1))
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)
    clock.set(project.deadline)
    assert settle(db, auction_id)  # the five-minute final round starts
    with db.unit_of_work() as s:
        round_end = s.get(Auction, auction_id).ends_at
    began = project.deadline + timedelta(minutes=2)  # three minutes of the round were left
    clock.set(began + timedelta(minutes=1))
    with db.unit_of_work() as s:
        incident = service.declare(
            s,
            w.centre,
            IncidentIn(
                kind="power",
                description="机房市电中断，备用电源切换失败",
                started_at=began,
                scope="types",
                transaction_types=["land"],
            ),
        )
        incident_id = incident.id
        assert s.get(Project, project.id).state == "suspended"
    with pytest.raises(bids.AuctionClosed):
        bid(db, w.bidders[2], auction_id, START_PRICE + 2 * INCREMENT)
    clock.advance(timedelta(hours=1))
    assert auction_id not in tasks.tick(db).auctions  # the round does not end while the project stands still
    with db.unit_of_work() as s:
        service.confirm(s, w.supervisor, incident_id, ConfirmIn())
    clock.advance(timedelta(hours=1))
    with db.unit_of_work() as s:
        service.end(s, w.centre, incident_id, EndIn(ended_at=clock.now() - timedelta(minutes=5), note="恢复市电供应"))
        restarted = s.get(Auction, auction_id).ends_at
        minimum = service.restart_minimum(s)
    assert minimum == timedelta(minutes=30) and round_end - began == timedelta(minutes=3)
    assert restarted == clock.now() + minimum  # three minutes left, but at least half an hour
    late = bid(db, w.bidders[2], auction_id, START_PRICE + 2 * INCREMENT)
    assert late.amount == START_PRICE + 2 * INCREMENT
