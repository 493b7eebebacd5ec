"""Setting up an online auction (设置网上竞价) of one section: its conditions — start price, increment and
the optional secret reserve price, committed to the ledger by its salted hash only — set once by the
project's tenderer or agency between the first notice and the start of bidding, and the sections that may
still be set up. Never commits.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction
from sunshine.auctions.service import (
    COMMITMENT_SCHEME,
    LIFECYCLES,
    bidding_starts_at,
    iso_time,
    money,
    plain_amount,
    reserve_commitment,
    round_durations,
)
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project, Section

# --------------------------------------------------------------------------- setting up


def setup(
    session: Session,
    actor: Principal,
    project_id: int,
    section_id: int,
    *,
    start_price: Decimal | str,
    increment: Decimal | str,
    reserve_price: Decimal | str | None = None,
) -> Auction:
    """设置网上竞价 of one section, by the project's own tenderer (出让人) or agency, after the first notice
    is published and before bidding starts. The reserve price (保留价/底价) is optional and secret: the
    ledger receives only its salted commitment, so it cannot be changed afterwards."""
    project = visibility.get_visible(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("只有本项目的招标人（出让人、转让方）或其委托的代理机构可以设置网上竞价")
    if project.lifecycle not in LIFECYCLES:
        raise Conflict("只有挂牌、拍卖方式的项目可以设置网上竞价", lifecycle=project.lifecycle)
    section = next((s for s in project.sections if s.id == section_id), None)
    if section is None:
        raise NotFound("标段不存在")
    start_price = money(start_price, field="start_price", what="起始价")
    increment = money(increment, field="increment", what="增价幅度")
    reserve = None if reserve_price in (None, "") else money(reserve_price, field="reserve_price", what="保留价")
    if reserve is not None and reserve < start_price:
        raise InvalidInput("保留价不得低于起始价", field="reserve_price")
    session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    if project.state != "notice_published":
        raise Conflict(
            f"网上竞价须在公告发布后、竞价开始前设置；项目当前为“{lifecycle.state_label(project, project.state)}”"
        )
    starts = bidding_starts_at(project)
    if starts is None or clock.now() >= starts:
        raise Conflict(f"竞价已于 {local_time(starts)} 开始，不能再设置或修改网上竞价")
    if session.scalar(select(Auction.id).where(Auction.section_id == section.id)) is not None:
        raise AlreadyExists("该标段已设置网上竞价；竞价条件一经设置不得修改")
    salt = secrets.token_hex(16) if reserve is not None else None
    commitment = reserve_commitment(reserve, salt) if reserve is not None else None
    now = clock.now()
    auction = Auction(
        project_id=project.id,
        section_id=section.id,
        start_price=start_price,
        increment=increment,
        reserve_price=reserve,
        reserve_salt=salt,
        reserve_commitment=commitment,
        phase="scheduled",
        bid_count=0,
        setup_ledger_seq=-1,
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(auction)
    session.flush()
    duration, extension = round_durations(session, project)
    entry = ledger.append(
        session,
        "auction:setup",
        f"auction:{auction.id}",
        {
            "auction": auction.id,
            "project": project.code,
            "section": section.number,
            "lifecycle": project.lifecycle,
            "start_price": plain_amount(start_price),
            "increment": plain_amount(increment),
            "reserve": {"set": reserve is not None, "commitment": commitment, "scheme": COMMITMENT_SCHEME},
            "bidding_starts_at": iso_time(starts),
            "listing_ends_at": iso_time(project.bid_deadline) if project.lifecycle == "listing" else None,
            "final_round_seconds": int(duration.total_seconds()),
            "extension_seconds": int(extension.total_seconds()),
            "by": actor.user_id,
        },
    )
    auction.setup_ledger_seq = entry.seq
    session.flush()
    return auction


def auctionable_sections(session: Session, actor: Principal, project: Project) -> list[Section]:
    """Sections the actor could set an auction up for now (none unless it is the project's party and the
    project is between its first notice and the start of bidding)."""
    if not visibility.is_party(actor, project) or project.lifecycle not in LIFECYCLES:
        return []
    starts = bidding_starts_at(project)
    if project.state != "notice_published" or starts is None or clock.now() >= starts:
        return []
    taken = set(session.scalars(select(Auction.section_id).where(Auction.project_id == project.id)))
    return [s for s in project.sections if s.id not in taken]
