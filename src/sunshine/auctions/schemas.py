"""JSON shapes of online auctions (网上竞价). What a caller sees is decided by ``service.AuctionView``: the
reserve price and the winner's name exist only in ``result``, which exists only after the end."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from sunshine.auctions.bids import Standing
from sunshine.auctions.reading import AuctionView, BidRow

Yuan = Decimal


class AuctionIn(BaseModel):
    start_price: Yuan = Field(gt=0, description="起始价（元，精确到分）")
    increment: Yuan = Field(gt=0, description="增价幅度（元，精确到分）")
    reserve_price: Yuan | None = Field(
        default=None, gt=0, description="保留价/底价（元）；可不设。竞价结束前不向任何人显示，只公开其加盐哈希承诺"
    )


class BidIn(BaseModel):
    amount: Yuan = Field(gt=0, description="报价（元，精确到分）：首次不低于起始价，其后不低于当前最高价加增价幅度")


class ResultOut(BaseModel):
    outcome: str = Field(description="sold 成交，failed 流拍")
    outcome_label: str
    winner_paddle: str | None
    winner_name: str | None = Field(description="竞得人名称（仅成交时公布）")
    winner_organisation_id: int | None
    final_price: Yuan | None = Field(description="成交价（元）")
    ended_at: datetime
    reserve_price: Yuan | None = Field(description="保留价（竞价结束后公开）")
    reserve_salt: str | None = Field(description="承诺所用的盐值：sha256(盐值|保留价) 应等于 reserve_commitment")
    reserve_verified: bool | None = Field(description="公开的保留价与事先记入留痕日志的承诺是否一致")
    ledger_seq: int | None = Field(description="结果的留痕记录序号")


class AuctionOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    project_name: str
    section_id: int
    section_number: int
    section_name: str
    lifecycle: str = Field(description="listing 挂牌，auction 拍卖")
    phase: str = Field(description="scheduled 未开始，listing 挂牌期，final 限时竞价，ended 已结束")
    phase_label: str
    accepting_bids: bool
    start_price: Yuan
    increment: Yuan
    current_price: Yuan | None = Field(description="当前最高报价（元）")
    leader_paddle: str | None = Field(description="当前最高报价人的竞买号（竞价中只显示竞买号）")
    bid_count: int
    minimum_bid: Yuan | None = Field(description="下一次报价的最低金额")
    starts_at: datetime | None = Field(description="开始接受报价的时间（挂牌起始或拍卖开始）")
    listing_ends_at: datetime | None = Field(description="挂牌截止时间（挂牌方式）")
    final_started_at: datetime | None = Field(description="限时竞价开始时间")
    ends_at: datetime | None = Field(description="当前倒计时的终点：挂牌截止、限时竞价结束（每次报价后顺延）")
    clock_label: str
    seconds_left: int | None
    server_time: datetime = Field(description="服务器时间：是否截止只以服务器时钟为准")
    final_round_seconds: int
    extension_seconds: int
    has_reserve: bool = Field(description="是否设有保留价（金额在竞价结束后公开）")
    reserve_commitment: str | None = Field(description="保留价的加盐 SHA-256 承诺值（竞价前已记入留痕日志）")
    setup_ledger_seq: int
    result: ResultOut | None = Field(description="竞价结果（结束后才有）")


class BidOut(BaseModel):
    seq: int = Field(description="服务器处理顺序编号，从 1 起连续")
    paddle: str = Field(description="竞买号")
    amount: Yuan
    phase: str
    placed_at: datetime
    ends_at_after: datetime | None = Field(description="该报价之后的竞价结束时间（限时竞价）")
    ledger_seq: int


class PaddleOut(BaseModel):
    auction_id: int
    paddle: str | None = Field(description="本单位的竞买号；尚未领取时为 null")
    qualified: bool
    problem: str | None = Field(description="不具备竞买资格的原因")
    leading: bool = Field(description="本单位是否为当前最高报价人")


def auction_out(v: AuctionView) -> AuctionOut:
    a, p, s = v.auction, v.project, v.section
    r = v.result
    return AuctionOut(
        id=a.id,
        project_id=p.id,
        project_code=p.code,
        project_name=p.name,
        section_id=s.id,
        section_number=s.number,
        section_name=s.name,
        lifecycle=p.lifecycle,
        phase=a.phase,
        phase_label=v.phase_label,
        accepting_bids=v.accepting,
        start_price=a.start_price,
        increment=a.increment,
        current_price=a.current_price,
        leader_paddle=v.leader_paddle,
        bid_count=a.bid_count,
        minimum_bid=v.minimum_bid,
        starts_at=v.starts_at,
        listing_ends_at=v.listing_ends_at,
        final_started_at=a.final_started_at,
        ends_at=v.clock_ends_at if r is None else r.ended_at,
        clock_label=v.clock_label,
        seconds_left=v.seconds_left,
        server_time=v.server_time,
        final_round_seconds=v.final_round_seconds,
        extension_seconds=v.extension_seconds,
        has_reserve=v.has_reserve,
        reserve_commitment=a.reserve_commitment,
        setup_ledger_seq=a.setup_ledger_seq,
        result=ResultOut(
            outcome=r.outcome,
            outcome_label=r.outcome_label,
            winner_paddle=r.winner_paddle,
            winner_name=r.winner_name,
            winner_organisation_id=r.winner_organisation_id,
            final_price=r.final_price,
            ended_at=r.ended_at,
            reserve_price=r.reserve_price,
            reserve_salt=r.reserve_salt,
            reserve_verified=r.reserve_verified,
            ledger_seq=r.ledger_seq,
        )
        if r is not None
        else None,
    )


def bid_out(b: BidRow) -> BidOut:
    return BidOut(
        seq=b.seq,
        paddle=b.paddle,
        amount=b.amount,
        phase=b.phase,
        placed_at=b.placed_at,
        ends_at_after=b.ends_at_after,
        ledger_seq=b.ledger_seq,
    )


def paddle_out(auction_id: int, standing: Standing | None) -> PaddleOut:
    if standing is None:
        return PaddleOut(auction_id=auction_id, paddle=None, qualified=False, problem="不是竞买人账户", leading=False)
    return PaddleOut(
        auction_id=auction_id,
        paddle=standing.paddle,
        qualified=standing.qualified,
        problem=standing.problem,
        leading=standing.leading,
    )
