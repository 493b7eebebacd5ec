"""Who may read a sealed bid, decided once for the API, the pages and the services.

A bid's row (its number, versions, receipt, status) belongs to the organisation that submitted it: every
other caller — the tenderer, the centre, the administrator included — is told it does not exist (404). Its
contents are ciphertext that nobody can read before the opening, because only the bidder holds the key; what
the opening reveals is public through the opening record, not through the bid.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from sunshine.bidding.models import Bid
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound


def readable(actor: Principal) -> ColumnElement[bool]:
    """The condition every list of bids starts from: the caller's own organisation's bids, nothing else."""
    if actor.organisation_id is None:
        return false()
    return Bid.organisation_id == actor.organisation_id


def may_read(actor: Principal, bid: Bid) -> bool:
    """``readable`` for one bid already loaded."""
    return actor.organisation_id is not None and bid.organisation_id == actor.organisation_id


def own_bid(session: Session, actor: Principal, bid_no: str) -> Bid:
    """The caller's own bid by its number; anyone else's does not exist for the caller."""
    bid = session.scalar(select(Bid).where(Bid.bid_no == bid_no, readable(actor)))
    if bid is None:
        raise NotFound("投标文件不存在")
    return bid
