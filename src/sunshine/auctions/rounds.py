"""The phases of an online auction as the server clock drives them: listing, the timed final round, the
end. ``advance`` moves a locked auction through every point the clock has passed — by the tick
(``finalise_due``) or lazily before a read or a bid (``settle``), under the same locks so it happens once;
the guard of the ``start_auction`` step. Never commits.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBid
from sunshine.auctions.results import conclude_project, end_auction
from sunshine.auctions.service import (
    LIFECYCLES,
    LISTING_COMPETITION_BIDDERS,
    RUNNING_STATES,
    bidding_starts_at,
    iso_time,
    locked,
    plain_amount,
    round_durations,
)
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import SunshineError
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle
from sunshine.trading import service as trading
from sunshine.trading.models import Project

log = logging.getLogger("sunshine.auctions")

# --------------------------------------------------------------------------- phases (the server clock)


def is_due(auction: Auction, project: Project, now: datetime) -> bool:
    """Whether the clock has passed a point where the auction changes phase."""
    if auction.phase == "ended" or project.state not in RUNNING_STATES:
        return False
    if project.lifecycle == "listing":
        if auction.phase == "scheduled" and project.docs_issued_at and now >= project.docs_issued_at:
            return True
        if auction.phase in ("scheduled", "listing") and project.bid_deadline and now >= project.bid_deadline:
            return True
    else:
        start = bidding_starts_at(project)
        if auction.phase == "scheduled" and start is not None and now >= start:
            return True
    return auction.phase == "final" and auction.ends_at is not None and now >= auction.ends_at


def advance(session: Session, auction: Auction, project: Project) -> bool:
    """Move the (locked) auction through every phase the clock has reached; True if anything changed."""
    now = clock.now()
    if not is_due(auction, project, now):
        return False
    if project.lifecycle == "listing":
        if auction.phase == "scheduled" and now >= project.docs_issued_at:
            auction.phase = "listing"
        if auction.phase == "listing" and now >= project.bid_deadline:
            _close_bidding(session, project)
            distinct = session.scalar(
                select(func.count(func.distinct(AuctionBid.bidder_id))).where(AuctionBid.auction_id == auction.id)
            )
            if distinct >= LISTING_COMPETITION_BIDDERS:
                _start_final(session, auction, project, project.bid_deadline)
            else:
                end_auction(session, auction, project, project.bid_deadline)
                return True
    elif auction.phase == "scheduled":
        _close_bidding(session, project)
        _start_final(session, auction, project, bidding_starts_at(project))
    if auction.phase == "final" and now >= auction.ends_at:
        end_auction(session, auction, project, auction.ends_at)
    session.flush()
    return True


def _close_bidding(session: Session, project: Project) -> None:
    """The listing (or registration) deadline has passed: the project is closed first, as the tick would."""
    if project.state == "notice_published":
        lifecycle.apply(session, project, "close_bidding", trading.SYSTEM)


def _start_final(session: Session, auction: Auction, project: Project, start: datetime) -> None:
    duration, extension = round_durations(session, project)
    auction.phase, auction.final_started_at, auction.ends_at = "final", start, start + duration
    session.flush()
    ledger.append(
        session,
        "auction:final-round",
        f"auction:{auction.id}",
        {
            "auction": auction.id,
            "starts_at": iso_time(start),
            "ends_at": iso_time(auction.ends_at),
            "current_price": plain_amount(auction.current_price),
            "bids": auction.bid_count,
            "duration_seconds": int(duration.total_seconds()),
            "extension_seconds": int(extension.total_seconds()),
        },
    )
    if project.state in ("notice_published", "bid_closed"):
        lifecycle.apply(
            session,
            project,
            "start_auction",
            trading.SYSTEM,
            document_ref=f"auction:{auction.id}",
            payload={"auction": auction.id, "ends_at": iso_time(auction.ends_at)},
        )


# --------------------------------------------------------------------------- guards (lifecycle.apply)


def guard_auction_started(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    running = session.scalar(select(Auction.id).where(Auction.project_id == project.id, Auction.phase == "final"))
    if running is None:
        raise lifecycle.IllegalStep("没有进入限时竞价（拍卖）的网上竞价，不能开始竞价")


# --------------------------------------------------------------------------- the tick and lazy settling


def settle(session: Session, auction_id: int) -> bool:
    """Bring one auction up to the server clock (under its locks); True if it changed."""
    found = locked(session, auction_id)
    if found is None:
        return False
    return advance(session, *found)


def needs_settling(session: Session, auction_id: int) -> bool:
    """A cheap, lock-free look: is a phase change of this auction due? (Reads may then settle it first.)"""
    auction = session.get(Auction, auction_id) if 0 < auction_id <= ledger.MAX_INDEX else None
    if auction is None:
        return False
    project = session.get(Project, auction.project_id)
    return project is not None and is_due(auction, project, clock.now())


def finalise_due(session: Session) -> list[int]:
    """The tick's part (idempotent): every auction whose time has come changes phase — listing to timed
    round, timed round to result — and projects whose auctions have all ended are concluded. Each auction
    in a savepoint of its own, so one that cannot be finished (logged) does not hold up the others.
    Returns the ids of the auctions that changed."""
    now = clock.now()
    rows = session.execute(
        select(Auction, Project)
        .join(Project, Auction.project_id == Project.id)
        .where(Auction.phase != "ended", Project.state.in_(RUNNING_STATES))
        .order_by(Auction.id)
    ).all()
    changed = []
    for auction, project in rows:
        if not is_due(auction, project, now):
            continue
        try:
            with session.begin_nested():
                if settle(session, auction.id):
                    changed.append(auction.id)
        except SunshineError as exc:
            log.warning("auction %s could not be settled: %s", auction.id, exc.detail)
    # A project whose last two auctions ended in concurrent transactions may have been left unconcluded.
    waiting = session.scalars(
        select(Project)
        .where(Project.state.in_(("bid_closed", "opening")), Project.lifecycle.in_(LIFECYCLES))
        .where(Project.id.in_(select(Auction.project_id)))
        .where(~Project.id.in_(select(Auction.project_id).where(Auction.phase != "ended")))
    ).all()
    for project in waiting:
        try:
            with session.begin_nested():
                conclude_project(session, project)
        except SunshineError as exc:
            log.warning("project %s could not be concluded: %s", project.code, exc.detail)
    return changed


def restart_final_rounds(
    session: Session, project: Project, *, since: datetime, minimum: timedelta, reason: str
) -> list[tuple[int, datetime, datetime]]:
    """Timed rounds interrupted at ``since`` (a platform incident; the project stood suspended, so nothing moved
    them) restart now with the time each had left then, and at least ``minimum``. Returns (auction id, old end,
    new end) for each round that moved."""
    now = clock.now()
    moved = []
    rounds = session.scalars(
        select(Auction).where(Auction.project_id == project.id, Auction.phase == "final").order_by(Auction.id)
    )
    for auction in rounds:
        before = auction.ends_at
        after = trading.restarted_end(before, since, now, minimum) if before is not None else None
        if after is None:
            continue
        auction.ends_at = after
        ledger.append(
            session,
            "auction:final-round-restarted",
            f"auction:{auction.id}",
            {"reason": reason, "interrupted_at": iso_time(since), "before": iso_time(before), "after": iso_time(after)},
        )
        moved.append((auction.id, before, after))
    session.flush()
    return moved
