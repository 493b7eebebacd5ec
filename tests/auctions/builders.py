"""Builders for auction tests: a land bureau with its agency and bidders, listing (挂牌) and auction (拍卖)
projects published through the notice service with dates that satisfy the land packs, bidders registered
with their deposits paid, and auctions set up through ``auctions.conditions``. Each builder runs in its own
unit of work, as a request would."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sunshine.auctions import bids, conditions, rounds
from sunshine.core import clock
from sunshine.db import Database
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.trading import deposits, notices, registrations
from sunshine.trading.models import Section
from tests.builders import make_org
from tests.disclosure.builders import load_catalog
from tests.trading.builders import actor, make_project, tender_world

_guarantees = itertools.count(1)

START_PRICE = Decimal("10000000.00")
INCREMENT = Decimal("100000.00")
RESERVE = Decimal("10234567.89")  # digits that appear nowhere else on the pages
RESERVE_TEXTS = ("10234567.89", "10,234,567.89", "10234567.9")


def auction_world(db: Database) -> SimpleNamespace:
    """tender_world (agency, centre, supervisor, three bidders) plus the land bureau as the 出让人 and a
    fourth bidder that will not qualify; the disclosure catalog is loaded, so results are owed and published."""
    load_catalog(db)
    w = tender_world(db)
    bureau = make_org(db, name="示范市自然资源和规划局", kind=OrganisationKind.DEPARTMENT)
    outsider = make_org(db, name="未报名置业有限公司")
    return SimpleNamespace(
        **w,
        bureau=bureau,
        bureau_staff=actor(db, Role.TENDERER, organisation_id=bureau),
        outsider=actor(db, Role.BIDDER, organisation_id=outsider),
    )


def listing_project(
    db: Database,
    w: SimpleNamespace,
    *,
    method: str = "listing",
    deposit: str | None = "2000000.00",
    name: str = "示范市马尾区2026-03号地块国有建设用地使用权挂牌出让",
    sections: list[tuple[str, str]] | None = None,
) -> SimpleNamespace:
    """A land listing (or auction) project registered by the agency for the bureau, accepted, with a deposit
    per section, and its first notice published now. Listing: starts in 21 days and runs 12 days;
    auction: registration closes in 21 days, the auction starts one hour later."""
    sections = sections or [("马尾区2026-03号地块（住宅用地，4.2公顷）", "10000000.00")]
    pid = make_project(
        db,
        w.agency,
        tenderer_id=w.bureau,
        agency_id=w.agency_org,
        transaction_type="land",
        method=method,
        name=name,
        sections=sections,
        accept_as=w.centre,
    )
    with db.unit_of_work() as s:
        section_ids = list(s.scalars(select(Section.id).where(Section.project_id == pid).order_by(Section.number)))
        if deposit is not None:
            for sid in section_ids:
                deposits.set_section_deposit(s, w.agency, pid, sid, Decimal(deposit))
    now = clock.now()
    if method == "listing":
        docs, deadline, opening = now + timedelta(days=21), now + timedelta(days=33), None
        sale_end = deadline - timedelta(days=1)
    else:
        docs, deadline = now, now + timedelta(days=21)
        opening, sale_end = deadline + timedelta(hours=1), deadline - timedelta(days=1)
    with db.unit_of_work() as s:
        notices.publish_first_notice(
            s,
            w.agency,
            pid,
            kind=method,
            title=f"{name}公告",
            body_html="<p>出让地块的位置、面积、用途、起始价、竞买保证金及竞买人资格条件。</p>",
            bid_deadline=deadline,
            docs_issued_at=docs,
            docs_sale_end=sale_end,
            opening_at=opening,
        )
    return SimpleNamespace(
        id=pid,
        section=section_ids[0],
        sections=section_ids,
        starts=docs if method == "listing" else opening,
        deadline=deadline,
        opening=opening,
    )


def register(db: Database, project: SimpleNamespace, bidder, *, pay: bool = True, section: int | None = None) -> int:
    """The bidder registers for the section and lodges its deposit by electronic guarantee."""
    section = section or project.section
    with db.unit_of_work() as s:
        reg = registrations.register_bidder(s, bidder, project.id, section, "王经理", "13905910001")
        reg_id = reg.id
        needs = s.get(Section, section).deposit_amount is not None
    if pay and needs:
        with db.unit_of_work() as s:
            deposit = deposits.open_deposit(s, bidder, reg_id, "guarantee")
            deposits.submit_guarantee(s, bidder, deposit.id, f"BH2026{next(_guarantees):06d}", "示范市融资担保有限公司")
    return reg_id


def setup_auction(
    db: Database,
    w: SimpleNamespace,
    project: SimpleNamespace,
    *,
    start: Decimal = START_PRICE,
    increment: Decimal = INCREMENT,
    reserve: Decimal | None = RESERVE,
    section: int | None = None,
) -> int:
    with db.unit_of_work() as s:
        return conditions.setup(
            s,
            w.agency,
            project.id,
            section or project.section,
            start_price=start,
            increment=increment,
            reserve_price=reserve,
        ).id


def ready_listing(db: Database, w: SimpleNamespace, *, bidders: int = 3, reserve: Decimal | None = RESERVE, **kw):
    """A listing project with an auction set up and ``bidders`` of the world's bidders qualified."""
    project = listing_project(db, w, **kw)
    for bidder in w.bidders[:bidders]:
        register(db, project, bidder)
    auction_id = setup_auction(db, w, project, reserve=reserve)
    return project, auction_id


def bid(db: Database, bidder, auction_id: int, amount: Decimal | str):
    with db.unit_of_work() as s:
        placed = bids.place_bid(s, bidder, auction_id, Decimal(amount))
        return SimpleNamespace(seq=placed.seq, amount=placed.amount, ends_at_after=placed.ends_at_after)


def settle(db: Database, auction_id: int) -> bool:
    with db.unit_of_work() as s:
        return rounds.settle(s, auction_id)


def go_to(clock_, when: datetime) -> None:
    clock_.set(when)
