"""Tables of online auctions (网上竞价): one auction per section, the qualified bidders with their
anonymous paddle numbers (竞买号), and the accepted bids in server order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime

Money = Numeric(18, 2)


class Auction(Base):
    # 网上竞价 the online auction of one section (挂牌 listing followed by 限时竞价, or 拍卖)
    __tablename__ = "auction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), unique=True)
    start_price: Mapped[Decimal] = mapped_column(Money)  # 起始价（元）
    increment: Mapped[Decimal] = mapped_column(Money)  # 增价幅度（元）
    # 保留价/底价: secret until the end; only its salted SHA-256 commitment is public (in the ledger)
    reserve_price: Mapped[Decimal | None] = mapped_column(Money)
    reserve_salt: Mapped[str | None] = mapped_column(String(64))
    reserve_commitment: Mapped[str | None] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(20), index=True)  # scheduled | listing | final | ended
    final_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 限时竞价开始
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # 限时竞价结束（每次出价顺延）
    bid_count: Mapped[int] = mapped_column(Integer, default=0)  # also the last bid's sequence number
    current_price: Mapped[Decimal | None] = mapped_column(Money)  # 当前最高报价
    # auction_bidder ids; plain integers, not foreign keys, so the two tables do not reference each other
    leader_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(10))  # sold (成交) | failed (流拍)
    winner_id: Mapped[int | None] = mapped_column(Integer)
    final_price: Mapped[Decimal | None] = mapped_column(Money)  # 成交价
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the bidding ended, by the rules
    reserve_verified: Mapped[bool | None] = mapped_column(Boolean)  # the revealed reserve matches its commitment
    setup_ledger_seq: Mapped[int] = mapped_column(Integer)
    result_ledger_seq: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuctionBidder(Base):
    # 竞买人 a qualified bidder of one auction and its anonymous paddle number (竞买号)
    __tablename__ = "auction_bidder"
    __table_args__ = (UniqueConstraint("organisation_id", "auction_id"), UniqueConstraint("paddle", "auction_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auction.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    paddle: Mapped[str] = mapped_column(String(8))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuctionBid(Base):
    # 报价 an accepted bid; ``seq`` is the server's order (1, 2, 3 … without gaps)
    __tablename__ = "auction_bid"
    __table_args__ = (UniqueConstraint("auction_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auction.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("auction_bidder.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    phase: Mapped[str] = mapped_column(String(20))  # listing | final
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at_after: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the clock after this bid (final round)
    ledger_seq: Mapped[int] = mapped_column(Integer)
