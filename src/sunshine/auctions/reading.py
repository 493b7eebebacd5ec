"""Reading online auctions (网上竞价) as anyone may see them: the state with its countdown, the bids by paddle
number, a project's auctions. This is the one place that decides what a viewer sees: the reserve price and
the winner's name exist only in ``AuctionView.result``, which exists only once the auction has ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBid, AuctionBidder
from sunshine.auctions.service import (
    OUTCOMES,
    RUNNING_STATES,
    bidding_starts_at,
    get_visible,
    minimum_bid,
    phase_label,
    round_durations,
)
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.identity.models import Organisation
from sunshine.trading import visibility
from sunshine.trading.models import Project, Section


@dataclass(frozen=True)
class BidRow:
    seq: int
    paddle: str
    amount: Decimal
    phase: str
    placed_at: datetime
    ends_at_after: datetime | None
    ledger_seq: int


@dataclass(frozen=True)
class Result:
    outcome: str
    outcome_label: str
    winner_paddle: str | None
    winner_name: str | None
    winner_organisation_id: int | None
    final_price: Decimal | None
    ended_at: datetime
    reserve_price: Decimal | None
    reserve_salt: str | None
    reserve_verified: bool | None
    ledger_seq: int | None


@dataclass(frozen=True)
class AuctionView:
    """An auction as anyone may see it. The reserve and the winner's name appear only in ``result``, which
    exists only once the auction has ended: this is the one place that decides it."""

    auction: Auction
    project: Project
    section: Section
    phase_label: str
    leader_paddle: str | None
    minimum_bid: Decimal | None
    starts_at: datetime | None
    listing_ends_at: datetime | None
    clock_ends_at: datetime | None  # the moment the countdown runs to
    clock_label: str
    server_time: datetime
    final_round_seconds: int
    extension_seconds: int
    result: Result | None

    @property
    def has_reserve(self) -> bool:
        return self.auction.reserve_commitment is not None

    @property
    def accepting(self) -> bool:
        return self.auction.phase in ("listing", "final") and self.project.state in RUNNING_STATES

    @property
    def seconds_left(self) -> int | None:
        if self.clock_ends_at is None:
            return None
        return max(0, int((self.clock_ends_at - self.server_time).total_seconds()))


def _clock(auction: Auction, project: Project) -> tuple[datetime | None, str]:
    if auction.phase == "scheduled":
        return bidding_starts_at(project), "距竞价开始"
    if auction.phase == "listing":
        return project.bid_deadline, "距挂牌截止"
    if auction.phase == "final":
        return auction.ends_at, "距竞价结束"
    return None, "竞价已结束"


def _views(session: Session, pairs: list[tuple[Auction, Project]]) -> list[AuctionView]:
    if not pairs:
        return []
    bidder_ids = {i for a, _ in pairs for i in (a.leader_id, a.winner_id) if i}
    bidders = (
        {b.id: b for b in session.scalars(select(AuctionBidder).where(AuctionBidder.id.in_(bidder_ids)))}
        if bidder_ids
        else {}
    )
    winner_orgs = {bidders[a.winner_id].organisation_id for a, _ in pairs if a.winner_id in bidders}
    names = (
        dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(winner_orgs))).all())
        if winner_orgs
        else {}
    )
    sections = {
        s.id: s for s in session.scalars(select(Section).where(Section.id.in_({a.section_id for a, _ in pairs})))
    }
    durations: dict[int, tuple[timedelta, timedelta]] = {}
    now = clock.now()
    out = []
    for auction, project in pairs:
        if project.id not in durations:
            durations[project.id] = round_durations(session, project)
        duration, extension = durations[project.id]
        result = None
        if auction.phase == "ended":
            winner = bidders.get(auction.winner_id) if auction.winner_id else None
            result = Result(
                outcome=auction.outcome or "failed",
                outcome_label=OUTCOMES.get(auction.outcome or "failed", ""),
                winner_paddle=winner.paddle if winner else None,
                winner_name=names.get(winner.organisation_id) if winner else None,
                winner_organisation_id=winner.organisation_id if winner else None,
                final_price=auction.final_price,
                ended_at=auction.ended_at,
                reserve_price=auction.reserve_price,
                reserve_salt=auction.reserve_salt,
                reserve_verified=auction.reserve_verified,
                ledger_seq=auction.result_ledger_seq,
            )
        leader = bidders.get(auction.leader_id) if auction.leader_id else None
        ends, label = _clock(auction, project)
        out.append(
            AuctionView(
                auction=auction,
                project=project,
                section=sections[auction.section_id],
                phase_label=phase_label(auction, project),
                leader_paddle=leader.paddle if leader else None,
                minimum_bid=minimum_bid(auction) if auction.phase != "ended" else None,
                starts_at=bidding_starts_at(project),
                listing_ends_at=project.bid_deadline if project.lifecycle == "listing" else None,
                clock_ends_at=ends,
                clock_label=label,
                server_time=now,
                final_round_seconds=int(duration.total_seconds()),
                extension_seconds=int(extension.total_seconds()),
                result=result,
            )
        )
    return out


def view(session: Session, actor: Principal, auction_id: int) -> AuctionView:
    auction, project = get_visible(session, actor, auction_id)
    return _views(session, [(auction, project)])[0]


def list_for_project(session: Session, actor: Principal, project_id: int) -> list[AuctionView]:
    project = visibility.get_visible(session, actor, project_id)
    auctions = session.scalars(select(Auction).where(Auction.project_id == project.id).order_by(Auction.section_id))
    return _views(session, [(a, project) for a in auctions])


ROOM_HISTORY = 100  # bids shown in the room; the API lists them all


def bid_rows(
    session: Session, actor: Principal, auction_id: int, *, newest_first: bool = False, limit: int | None = None
) -> list[BidRow]:
    """Every accepted bid, by paddle number only (public: the bids are in the public ledger anyway)."""
    auction, _project = get_visible(session, actor, auction_id)
    order = AuctionBid.seq.desc() if newest_first else AuctionBid.seq
    rows = session.execute(
        select(AuctionBid, AuctionBidder.paddle)
        .join(AuctionBidder, AuctionBid.bidder_id == AuctionBidder.id)
        .where(AuctionBid.auction_id == auction.id)
        .order_by(order)
        .limit(limit)
    ).all()
    return [BidRow(b.seq, paddle, b.amount, b.phase, b.placed_at, b.ends_at_after, b.ledger_seq) for b, paddle in rows]
