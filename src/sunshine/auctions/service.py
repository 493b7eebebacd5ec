"""Online auctions (网上竞价): what every use case of the package shares — the vocabulary (phases, outcomes,
running states), amounts and their formatting, the reserve commitment, the timings the rule pack gives,
and loading an auction with the locks every write takes. The use cases are modules of their own:
``conditions`` (setting an auction up with its secret reserve price), ``bids`` (qualifying bidders,
paddle numbers (竞买号), placing bids in server order), ``rounds`` (the phases the server clock drives,
the tick and lazy settling) and ``results`` (winner or 流拍, the revealed and verified reserve, the result
notice published through the disclosure pipeline). ``reading`` decides what a viewer sees. Never commits.

Phases of an auction (``Auction.phase``):

* ``scheduled`` — set up after the first notice, before bidding starts;
* ``listing`` (挂牌期, listing lifecycle only) — bids accepted from the listing start
  (``Project.docs_issued_at``) to the listing deadline (``Project.bid_deadline``), no extension;
* ``final`` (限时竞价) — a timed round: for a listing, at the deadline when at least
  ``LISTING_COMPETITION_BIDDERS`` distinct bidders have bid during the listing (the online form of
  “挂牌截止时有两个以上竞买人要求报价的，进行现场竞价”); for an auction (拍卖) the whole live auction,
  from ``Project.opening_at``. It lasts ``final_round_duration`` and each accepted bid sets
  ``ends_at = max(ends_at, now + final_round_extension)`` (rule packs, in seconds);
* ``ended`` — the highest bid wins if it reaches the reserve (or there is none); otherwise 流拍.

Phase changes happen when the server clock says so: in the tick (``finalise_due``), and lazily before
anyone reads or bids on an auction whose time has come (``settle``). Either way the same function runs
under the same locks, so it happens once. Times are the rules' times (a final round that started at the
listing deadline started then, even if the first request came later).

Ordering: every write locks the project row, then the auction row (``SELECT … FOR UPDATE``; on SQLite the
write transaction itself is exclusive, ``BEGIN IMMEDIATE``), so bids are numbered 1, 2, 3 … in the order
the server processes them; a bid and its ledger entry commit together or not at all. A bid that lost the
race is refused with a 409 that states the new current price — never silently dropped.

Secrecy: the reserve price is stored for the server to decide the outcome, but no route or page shows
it before the end; at setup the ledger receives only ``sha256(salt + "|" + amount)`` (amount with two
decimals, salt 32 hex characters), and the result reveals amount and salt and checks them against that
ledger entry. During bidding bidders are known only by paddle numbers; the result names the winner only.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import amount_text
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.service import rules_of
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project, Section

LIFECYCLES = ("listing", "auction")
PHASES: dict[str, str] = {"scheduled": "未开始", "listing": "挂牌期", "final": "限时竞价", "ended": "已结束"}
PHASE_LABELS_BY_LIFECYCLE: dict[str, dict[str, str]] = {
    "listing": {
        "scheduled": "挂牌未开始",
        "listing": "挂牌期（接受报价）",
        "final": "限时竞价中",
        "ended": "竞价已结束",
    },
    "auction": {"scheduled": "拍卖未开始", "final": "拍卖中（限时竞价）", "ended": "拍卖已结束"},
}
OUTCOMES: dict[str, str] = {"sold": "成交", "failed": "流拍"}
# Project states in which an auction runs; anything else (suspended, terminated) freezes it.
RUNNING_STATES = frozenset({"notice_published", "bid_closed", "opening"})
LISTING_COMPETITION_BIDDERS = 2  # distinct bidders during the listing that lead to a timed final round
DURATION_RULE = "final_round_duration"
EXTENSION_RULE = "final_round_extension"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e16")  # Numeric(18, 2)
COMMITMENT_SCHEME = "sha256(salt|amount)"

# --------------------------------------------------------------------------- small helpers


def plain_amount(value: Decimal | None) -> str | None:
    """An amount as the ledger records it (no separators, two places); None stays None."""
    return None if value is None else amount_text(value)


def iso_time(moment: datetime | None) -> str | None:
    return fmt.iso_utc(moment) if moment is not None else None


def money(value: Decimal | int | str | None, *, field: str, what: str) -> Decimal:
    """An amount in yuan: positive, whole cents, within the column's range; a 422 that says why otherwise."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{what}应为以元为单位的金额", field=field) from None
    if not number.is_finite() or number <= 0:
        raise InvalidInput(f"{what}应大于 0", field=field)
    if number >= MAX_AMOUNT:
        raise InvalidInput(f"{what}过大", field=field)
    if number != number.quantize(CENT):
        raise InvalidInput(f"{what}以元为单位，最多保留两位小数（精确到分）", field=field)
    return number.quantize(CENT)


def reserve_commitment(amount: Decimal, salt: str) -> str:
    """The public commitment to a reserve price: SHA-256 of ``salt|amount`` (amount with two decimals)."""
    return hashlib.sha256(f"{salt}|{Decimal(amount).quantize(CENT)}".encode()).hexdigest()


def phase_label(auction: Auction, project: Project) -> str:
    if auction.phase != "ended" and project.state == "suspended":
        return "项目已暂停，竞价暂停"
    if auction.phase != "ended" and project.state not in RUNNING_STATES:
        return f"项目{lifecycle.state_label(project, project.state)}，竞价未完成"
    labels = PHASE_LABELS_BY_LIFECYCLE.get(project.lifecycle, {})
    return labels.get(auction.phase) or PHASES.get(auction.phase, auction.phase)


def _rule_seconds(session: Session, project: Project, rule_id: str) -> tuple[int, rules.ResolvedRule]:
    """A duration of the project's rule pack. A project registered before the pack had the rule follows
    the version of its pack in force today (with the centre's overrides)."""
    pack = rules_of(project)
    if not pack.has(rule_id):
        pack = rules.resolve(session, project.pack_key, clock.today_local())
    rule = pack.rule(rule_id)
    return int(rule.value), rule


def round_durations(session: Session, project: Project) -> tuple[timedelta, timedelta]:
    """(initial length of the timed round, extension after each bid), from the rule pack."""
    duration, _ = _rule_seconds(session, project, DURATION_RULE)
    extension, _ = _rule_seconds(session, project, EXTENSION_RULE)
    return timedelta(seconds=duration), timedelta(seconds=extension)


def bidding_starts_at(project: Project) -> datetime | None:
    """When bids are first accepted: the listing start (挂牌起始时间), or the auction start (拍卖开始时间)."""
    if project.lifecycle == "listing":
        return project.docs_issued_at
    return project.opening_at or project.bid_deadline


def minimum_bid(auction: Auction) -> Decimal:
    """The lowest admissible next bid: the start price first, then the current price plus the increment."""
    if auction.current_price is None:
        return auction.start_price
    return auction.current_price + auction.increment


# --------------------------------------------------------------------------- loading and locking


def _project_of(session: Session, actor: Principal, auction: Auction | None) -> Project:
    project = session.get(Project, auction.project_id) if auction is not None else None
    if project is None or not visibility.is_visible(actor, project):
        raise NotFound("网上竞价不存在")
    return project


def get_visible(session: Session, actor: Principal, auction_id: int) -> tuple[Auction, Project]:
    """The auction and its project if ``actor`` may see the project; anyone else is told it does not exist."""
    auction = session.get(Auction, auction_id) if 0 < auction_id <= ledger.MAX_INDEX else None
    return auction, _project_of(session, actor, auction)  # type: ignore[return-value]


def locked(session: Session, auction_id: int) -> tuple[Auction, Project] | None:
    """Lock the project row, then the auction row (always in this order), and read both fresh."""
    if not 0 < auction_id <= ledger.MAX_INDEX:
        return None
    project_id = session.scalar(select(Auction.project_id).where(Auction.id == auction_id))
    if project_id is None:
        return None
    project = session.scalar(
        select(Project).where(Project.id == project_id).with_for_update().execution_options(populate_existing=True)
    )
    auction = session.scalar(
        select(Auction).where(Auction.id == auction_id).with_for_update().execution_options(populate_existing=True)
    )
    return auction, project


def locked_visible(session: Session, actor: Principal, auction_id: int) -> tuple[Auction, Project]:
    found = locked(session, auction_id)
    if found is None or not visibility.is_visible(actor, found[1]):
        raise NotFound("网上竞价不存在")
    return found


def section_of(session: Session, auction: Auction) -> Section:
    return session.get(Section, auction.section_id)


def bidder_organisation(actor: Principal) -> int:
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有竞买人（投标人）账户可以参加网上竞价")
    return actor.organisation_id
