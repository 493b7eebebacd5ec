"""What online auctions contribute to a project's archive (``trading.records``): every ledger entry of each
section's auction — its set-up with the reserve's commitment, every bid, the result with the reserve revealed —
as the ledger recorded them. Missing while an auction has not ended."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction
from sunshine.trading.archive import ledger_records
from sunshine.trading.models import Project
from sunshine.trading.records import Contribution


def contribution(session: Session, project: Project) -> Contribution:
    out = Contribution()
    for auction in session.scalars(select(Auction).where(Auction.project_id == project.id).order_by(Auction.id)):
        out.records.extend(ledger_records(session, f"auction:{auction.id}", f"auctions/auction-{auction.id}"))
        if auction.phase != "ended":
            out.missing.append(f"网上竞价（第{auction.id}号）尚未结束")
    return out
