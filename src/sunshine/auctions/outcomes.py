"""The online auction's decided winners for the kernel's registry (``trading.outcomes``): each sold section's
buyer (竞得人/买受人) and its final price (成交价), decided when the auction ended. Registered at
``domains.install()``; what follows the result (the 成交确认书, the transfer contract, refunds) reads these."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBidder
from sunshine.trading import outcomes
from sunshine.trading.models import Project

SOURCE = "网上竞价"


def auction_winners(session: Session, project: Project) -> list[outcomes.SectionWinner]:
    if project.lifecycle not in ("listing", "auction"):
        return []
    rows = session.execute(
        select(Auction, AuctionBidder)
        .join(AuctionBidder, AuctionBidder.id == Auction.winner_id)
        .where(Auction.project_id == project.id, Auction.outcome == "sold", Auction.phase == "ended")
        .order_by(Auction.section_id)
    ).all()
    return [
        outcomes.SectionWinner(
            section_id=auction.section_id,
            organisation_id=bidder.organisation_id,
            amount=auction.final_price,
            decided_at=auction.ended_at,
            source=SOURCE,
            ledger_seq=auction.result_ledger_seq,
        )
        for auction, bidder in rows
        if auction.final_price is not None and auction.ended_at is not None
    ]


def install() -> None:
    outcomes.winner_source(auction_winners)
    from sunshine.auctions import archive
    from sunshine.trading import records

    records.record_source("auctions", "网上竞价", archive.contribution)  # the project record (archives)
