"""Bidding in an online auction: who qualifies (registration, qualification, deposit), paddle numbers
(竞买号) handed out at random once per bidder, a bidder's own standing, and bids placed under the auction's
lock in server order — each numbered, checked against the current price and the increment, extending the
timed round, and entered in the ledger in the same transaction. A bid that lost a race is refused with a
409 stating the new current price. Never commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBid, AuctionBidder
from sunshine.auctions.rounds import advance
from sunshine.auctions.service import (
    RUNNING_STATES,
    bidder_organisation,
    bidding_starts_at,
    iso_time,
    locked_visible,
    minimum_bid,
    money,
    plain_amount,
    round_durations,
    section_of,
)
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden
from sunshine.core.formatting import local_seconds, local_time, yuan
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading.models import Deposit, Project, QualificationResult, Registration

# --------------------------------------------------------------------------- errors


class AuctionClosed(Conflict):
    code = "auction_closed"
    title = "当前不在竞价时间内"


class BidTooLow(Conflict):
    code = "bid_too_low"
    title = "报价低于当前最低应价"


class AlreadyLeading(Conflict):
    code = "already_leading"
    title = "您已是当前最高报价人"


class NotQualified(Forbidden):
    code = "not_qualified"
    title = "不具备本标段竞买资格"


# --------------------------------------------------------------------------- bidders


def qualification_problem(session: Session, auction: Auction, organisation_id: int) -> str | None:
    """Why the organisation may not bid in this auction, or None when it may: a registration for the
    section that is not withdrawn, no failed qualification, and a paid deposit when the section needs one."""
    reg = session.scalar(
        select(Registration).where(
            Registration.section_id == auction.section_id, Registration.organisation_id == organisation_id
        )
    )
    if reg is None:
        return "本单位未报名参加该标段，不具备竞买资格"
    if reg.withdrawn_at is not None:
        return "本单位已撤回该标段的报名"
    failed = session.scalar(
        select(QualificationResult.id).where(
            QualificationResult.registration_id == reg.id, QualificationResult.passed.is_(False)
        )
    )
    if failed is not None:
        return "本单位未通过资格审查，不具备竞买资格"
    section = section_of(session, auction)
    if section.deposit_amount is not None:
        paid = session.scalar(
            select(Deposit.id).where(
                Deposit.section_id == section.id, Deposit.organisation_id == organisation_id, Deposit.status == "paid"
            )
        )
        if paid is None:
            return f"本单位尚未缴纳竞买保证金（{yuan(section.deposit_amount)} 元），不能报价"
    return None


def bidder_of(session: Session, auction: Auction, organisation_id: int | None) -> AuctionBidder | None:
    if organisation_id is None:
        return None
    return session.scalar(
        select(AuctionBidder).where(
            AuctionBidder.auction_id == auction.id, AuctionBidder.organisation_id == organisation_id
        )
    )


def _assign_paddle(session: Session, auction: Auction, organisation_id: int) -> AuctionBidder:
    """The organisation's paddle number in this auction: random, so that it tells nothing about the order
    or the number of bidders; assigned once, under the auction's lock."""
    existing = bidder_of(session, auction, organisation_id)
    if existing is not None:
        return existing
    taken = set(session.scalars(select(AuctionBidder.paddle).where(AuctionBidder.auction_id == auction.id)))
    digits = 4 if len(taken) < 4000 else 6
    while True:
        paddle = str(10 ** (digits - 1) + secrets.randbelow(9 * 10 ** (digits - 1)))
        if paddle not in taken:
            break
    row = AuctionBidder(auction_id=auction.id, organisation_id=organisation_id, paddle=paddle, assigned_at=clock.now())
    session.add(row)
    session.flush()
    return row


def claim_paddle(session: Session, actor: Principal, auction_id: int) -> AuctionBidder:
    """领取竞买号: a qualified bidder gets its paddle number (the same one every time)."""
    organisation_id = bidder_organisation(actor)
    auction, project = locked_visible(session, actor, auction_id)
    advance(session, auction, project)
    problem = qualification_problem(session, auction, organisation_id)
    if problem is not None:
        raise NotQualified(problem)
    existing = bidder_of(session, auction, organisation_id)
    if existing is None and auction.phase == "ended":
        raise AuctionClosed("竞价已结束")
    return existing or _assign_paddle(session, auction, organisation_id)


@dataclass(frozen=True)
class Standing:
    """What a bidder sees of itself: its paddle (if it has one), whether it may bid and why not."""

    paddle: str | None
    qualified: bool
    problem: str | None
    leading: bool


def standing(session: Session, actor: Principal, auction: Auction) -> Standing | None:
    """A bidder's own standing in the auction (read only); None for anyone who is not a bidder."""
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        return None
    problem = qualification_problem(session, auction, actor.organisation_id)
    bidder = bidder_of(session, auction, actor.organisation_id)
    return Standing(
        paddle=bidder.paddle if bidder else None,
        qualified=problem is None,
        problem=problem,
        leading=bidder is not None and auction.leader_id == bidder.id,
    )


# --------------------------------------------------------------------------- bidding


def _check_accepting(auction: Auction, project: Project, now: datetime) -> None:
    if project.state == "suspended":
        raise AuctionClosed("项目已暂停，暂停期间不接受报价")
    if auction.phase == "ended" or project.state not in RUNNING_STATES:
        ended = f"已于 {local_seconds(auction.ended_at)} " if auction.ended_at else "已"
        raise AuctionClosed(f"竞价{ended}结束，不再接受报价", ended_at=iso_time(auction.ended_at))
    if auction.phase == "scheduled":
        raise AuctionClosed(f"竞价尚未开始，开始时间：{local_time(bidding_starts_at(project))}（北京时间）")
    deadline = project.bid_deadline if auction.phase == "listing" else auction.ends_at
    if deadline is not None and now >= deadline:  # advance() has just run; kept as a guard of its own
        raise AuctionClosed(f"竞价已于 {local_seconds(deadline)} 截止，不再接受报价")


def place_bid(session: Session, actor: Principal, auction_id: int, amount: Decimal | str) -> AuctionBid:
    """报价: checked and numbered under the auction's lock by the server clock; in the timed round it
    moves the end to at least ``now + final_round_extension``. The bid and its ledger entry commit together."""
    organisation_id = bidder_organisation(actor)
    amount = money(amount, field="amount", what="报价")
    auction, project = locked_visible(session, actor, auction_id)
    advance(session, auction, project)
    now = clock.now()
    _check_accepting(auction, project, now)
    problem = qualification_problem(session, auction, organisation_id)
    if problem is not None:
        raise NotQualified(problem)
    bidder = _assign_paddle(session, auction, organisation_id)
    current = auction.current_price
    if auction.leader_id == bidder.id:
        raise AlreadyLeading(
            f"您（竞买号 {bidder.paddle}）已是当前最高报价人，报价 {yuan(current)} 元，不能对自己加价",
            current_price=plain_amount(current),
            paddle=bidder.paddle,
        )
    lowest = minimum_bid(auction)
    if amount < lowest:
        if current is None:
            detail = f"首次报价不得低于起始价 {yuan(auction.start_price)} 元，所报 {yuan(amount)} 元"
        else:
            leader = session.get(AuctionBidder, auction.leader_id)
            detail = (
                f"当前最高报价为 {yuan(current)} 元（竞买号 {leader.paddle}，第 {auction.bid_count} 次报价），"
                f"增价幅度 {yuan(auction.increment)} 元，报价须不低于 {yuan(lowest)} 元；所报 {yuan(amount)} 元"
            )
        raise BidTooLow(
            detail,
            field="amount",
            current_price=plain_amount(current),
            minimum=plain_amount(lowest),
            bid_count=auction.bid_count,
        )
    seq = auction.bid_count + 1
    ends_after = None
    if auction.phase == "final":
        _, extension = round_durations(session, project)
        auction.ends_at = max(auction.ends_at, now + extension)
        ends_after = auction.ends_at
    bid = AuctionBid(
        auction_id=auction.id,
        seq=seq,
        bidder_id=bidder.id,
        amount=amount,
        phase=auction.phase,
        placed_at=now,
        ends_at_after=ends_after,
        ledger_seq=-1,
    )
    session.add(bid)
    auction.bid_count, auction.current_price, auction.leader_id = seq, amount, bidder.id
    session.flush()
    entry = ledger.append(
        session,
        "auction:bid",
        f"auction:{auction.id}",
        {
            "auction": auction.id,
            "seq": seq,
            "paddle": bidder.paddle,
            "amount": plain_amount(amount),
            "phase": auction.phase,
            "at": iso_time(now),
            "ends_at": iso_time(ends_after),
        },
    )
    bid.ledger_seq = entry.seq
    session.flush()
    return bid
