"""JSON routes of online auctions (网上竞价): set up a section's auction, read its state and bids (public
once the project is public), place a bid, and a bidder's paddle number. Thin: every rule is in the auction
services (``conditions``, ``bids``, ``rounds``); what a caller sees is decided in ``reading.AuctionView``.

Reads and bids first bring the auction up to the server clock (``settle_due``) in a unit of work of their
own, so that a reader sees the result as soon as the time has come, without waiting for the tick."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from sunshine.auctions import bids, conditions, reading, rounds, service
from sunshine.auctions.models import AuctionBidder
from sunshine.auctions.schemas import (
    AuctionIn,
    AuctionOut,
    BidIn,
    BidOut,
    PaddleOut,
    auction_out,
    bid_out,
    paddle_out,
)
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role

log = logging.getLogger("sunshine.auctions")

router = APIRouter(prefix="/api/v1", tags=["网上竞价"])
PUBLIC = Depends(Access.public())
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))


def settle_due(request: Request, auction_id: Id) -> None:
    """Route dependency, run before the request's own unit of work reads anything: if a phase change of
    this auction is due by the server clock, make it now and commit it. Never fails the request (an
    unknown auction is the route's business; a step that cannot be taken now is logged and left to the
    tick)."""
    db = request.app.state.db
    with db.unit_of_work(read_only=True) as session:
        due = rounds.needs_settling(session, auction_id)
    if not due:
        return
    try:
        with db.unit_of_work() as session:
            rounds.settle(session, auction_id)
    except SunshineError as exc:
        log.warning("auction %s could not be settled on read: %s", auction_id, exc.detail)


SETTLED = [Depends(settle_due)]


@router.post(
    "/projects/{project_id}/sections/{section_id}/auction",
    response_model=AuctionOut,
    status_code=201,
    summary="设置标段的网上竞价（起始价、增价幅度、保留价；公告发布后、竞价开始前）",
)
def setup(
    project_id: Id, section_id: Id, body: AuctionIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> AuctionOut:
    auction = conditions.setup(
        session,
        actor,
        project_id,
        section_id,
        start_price=body.start_price,
        increment=body.increment,
        reserve_price=body.reserve_price,
    )
    return auction_out(reading.view(session, actor, auction.id))


@router.get("/projects/{project_id}/auctions", response_model=list[AuctionOut], summary="项目的网上竞价")
def project_auctions(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> list[AuctionOut]:
    return [auction_out(v) for v in reading.list_for_project(session, actor, project_id)]


@router.get(
    "/auctions/{auction_id}",
    response_model=AuctionOut,
    dependencies=SETTLED,
    summary="竞价状态：当前价、领先竞买号、倒计时、服务器时间；结束后含结果与公开的保留价",
)
def auction_state(auction_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> AuctionOut:
    return auction_out(reading.view(session, actor, auction_id))


@router.get(
    "/auctions/{auction_id}/bids",
    response_model=list[BidOut],
    dependencies=SETTLED,
    summary="报价记录（竞买号、金额、时间、顺序号）",
)
def auction_bids(auction_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> list[BidOut]:
    return [bid_out(b) for b in reading.bid_rows(session, actor, auction_id)]


@router.post(
    "/auctions/{auction_id}/bids",
    response_model=BidOut,
    status_code=201,
    dependencies=SETTLED,
    summary="报价（具备资格的竞买人）；迟到或低于最低应价的报价以 409 拒绝并说明当前价",
)
def place_bid(auction_id: Id, body: BidIn, session: Session = SessionDep, actor: Principal = BIDDER) -> BidOut:
    bid = bids.place_bid(session, actor, auction_id, body.amount)
    paddle = session.get(AuctionBidder, bid.bidder_id).paddle
    return BidOut(
        seq=bid.seq,
        paddle=paddle,
        amount=bid.amount,
        phase=bid.phase,
        placed_at=bid.placed_at,
        ends_at_after=bid.ends_at_after,
        ledger_seq=bid.ledger_seq,
    )


@router.get(
    "/auctions/{auction_id}/paddle",
    response_model=PaddleOut,
    dependencies=SETTLED,
    summary="本单位的竞买号与竞买资格",
)
def my_paddle(auction_id: Id, session: Session = SessionDep, actor: Principal = BIDDER) -> PaddleOut:
    auction, _project = service.get_visible(session, actor, auction_id)
    return paddle_out(auction.id, bids.standing(session, actor, auction))


@router.post(
    "/auctions/{auction_id}/paddle",
    response_model=PaddleOut,
    summary="领取竞买号（具备资格的竞买人；重复领取得到同一号码）",
)
def claim_paddle(auction_id: Id, session: Session = SessionDep, actor: Principal = BIDDER) -> PaddleOut:
    bidder = bids.claim_paddle(session, actor, auction_id)
    auction, _project = service.get_visible(session, actor, auction_id)
    leading = auction.leader_id == bidder.id
    return PaddleOut(auction_id=auction.id, paddle=bidder.paddle, qualified=True, problem=None, leading=leading)
