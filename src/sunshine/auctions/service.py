"""Online auctions (网上竞价): setting up a section's auction with its secret reserve price, qualifying
bidders and giving them paddle numbers (竞买号), placing bids in server order, the phases the server
clock drives, and the result — winner or 流拍, the revealed and verified reserve — published through
the disclosure pipeline. The only place these rules are applied. Never commits.

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
import html
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBid, AuctionBidder
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound, SunshineError
from sunshine.core.formatting import amount_text, local_seconds, local_time, yuan
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.ledger.models import LedgerEntry
from sunshine.rules import service as rules
from sunshine.trading import lifecycle, registrations
from sunshine.trading import service as trading
from sunshine.trading.models import Deposit, Project, QualificationResult, Registration, Section

log = logging.getLogger("sunshine.auctions")

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


# --------------------------------------------------------------------------- small helpers


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else amount_text(value)


def _iso(moment: datetime | None) -> str | None:
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
    pack = trading.rules_of(project)
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
    if project is None or not trading.is_visible(actor, project):
        raise NotFound("网上竞价不存在")
    return project


def get_visible(session: Session, actor: Principal, auction_id: int) -> tuple[Auction, Project]:
    """The auction and its project if ``actor`` may see the project; anyone else is told it does not exist."""
    auction = session.get(Auction, auction_id) if 0 < auction_id <= ledger.MAX_INDEX else None
    return auction, _project_of(session, actor, auction)  # type: ignore[return-value]


def _locked(session: Session, auction_id: int) -> tuple[Auction, Project] | None:
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


def _locked_visible(session: Session, actor: Principal, auction_id: int) -> tuple[Auction, Project]:
    found = _locked(session, auction_id)
    if found is None or not trading.is_visible(actor, found[1]):
        raise NotFound("网上竞价不存在")
    return found


def _section(session: Session, auction: Auction) -> Section:
    return session.get(Section, auction.section_id)


def _bidder_organisation(actor: Principal) -> int:
    if Role.BIDDER not in actor.roles or actor.organisation_id is None:
        raise Forbidden("只有竞买人（投标人）账户可以参加网上竞价")
    return actor.organisation_id


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
    project = trading.get_visible(session, actor, project_id)
    if not registrations.is_party(actor, project):
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
            "start_price": _plain(start_price),
            "increment": _plain(increment),
            "reserve": {"set": reserve is not None, "commitment": commitment, "scheme": COMMITMENT_SCHEME},
            "bidding_starts_at": _iso(starts),
            "listing_ends_at": _iso(project.bid_deadline) if project.lifecycle == "listing" else None,
            "final_round_seconds": int(duration.total_seconds()),
            "extension_seconds": int(extension.total_seconds()),
            "by": actor.user_id,
        },
    )
    auction.setup_ledger_seq = entry.seq
    session.flush()
    return auction


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
    section = _section(session, auction)
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
    organisation_id = _bidder_organisation(actor)
    auction, project = _locked_visible(session, actor, auction_id)
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
        raise AuctionClosed(f"竞价{ended}结束，不再接受报价", ended_at=_iso(auction.ended_at))
    if auction.phase == "scheduled":
        raise AuctionClosed(f"竞价尚未开始，开始时间：{local_time(bidding_starts_at(project))}（北京时间）")
    deadline = project.bid_deadline if auction.phase == "listing" else auction.ends_at
    if deadline is not None and now >= deadline:  # advance() has just run; kept as a guard of its own
        raise AuctionClosed(f"竞价已于 {local_seconds(deadline)} 截止，不再接受报价")


def place_bid(session: Session, actor: Principal, auction_id: int, amount: Decimal | str) -> AuctionBid:
    """报价: checked and numbered under the auction's lock by the server clock; in the timed round it
    moves the end to at least ``now + final_round_extension``. The bid and its ledger entry commit together."""
    organisation_id = _bidder_organisation(actor)
    amount = money(amount, field="amount", what="报价")
    auction, project = _locked_visible(session, actor, auction_id)
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
            current_price=_plain(current),
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
            current_price=_plain(current),
            minimum=_plain(lowest),
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
            "amount": _plain(amount),
            "phase": auction.phase,
            "at": _iso(now),
            "ends_at": _iso(ends_after),
        },
    )
    bid.ledger_seq = entry.seq
    session.flush()
    return bid


# --------------------------------------------------------------------------- phases (the server clock)


def is_due(auction: Auction, project: Project, now: datetime) -> bool:
    """Whether the clock has passed a point where the auction changes phase."""
    if auction.phase == "ended" or project.state not in RUNNING_STATES:
        return False
    if project.lifecycle == "listing":
        if auction.phase == "scheduled" and project.docs_issued_at and now >= project.docs_issued_at:
            return True
        if auction.phase in ("scheduled", "listing") and project.bid_deadline and now >= project.bid_deadline:
            return True
    else:
        start = bidding_starts_at(project)
        if auction.phase == "scheduled" and start is not None and now >= start:
            return True
    return auction.phase == "final" and auction.ends_at is not None and now >= auction.ends_at


def advance(session: Session, auction: Auction, project: Project) -> bool:
    """Move the (locked) auction through every phase the clock has reached; True if anything changed."""
    now = clock.now()
    if not is_due(auction, project, now):
        return False
    if project.lifecycle == "listing":
        if auction.phase == "scheduled" and now >= project.docs_issued_at:
            auction.phase = "listing"
        if auction.phase == "listing" and now >= project.bid_deadline:
            _close_bidding(session, project)
            distinct = session.scalar(
                select(func.count(func.distinct(AuctionBid.bidder_id))).where(AuctionBid.auction_id == auction.id)
            )
            if distinct >= LISTING_COMPETITION_BIDDERS:
                _start_final(session, auction, project, project.bid_deadline)
            else:
                _end(session, auction, project, project.bid_deadline)
                return True
    elif auction.phase == "scheduled":
        _close_bidding(session, project)
        _start_final(session, auction, project, bidding_starts_at(project))
    if auction.phase == "final" and now >= auction.ends_at:
        _end(session, auction, project, auction.ends_at)
    session.flush()
    return True


def _close_bidding(session: Session, project: Project) -> None:
    """The listing (or registration) deadline has passed: the project is closed first, as the tick would."""
    if project.state == "notice_published":
        lifecycle.apply(session, project, "close_bidding", trading.SYSTEM)


def _start_final(session: Session, auction: Auction, project: Project, start: datetime) -> None:
    duration, extension = round_durations(session, project)
    auction.phase, auction.final_started_at, auction.ends_at = "final", start, start + duration
    session.flush()
    ledger.append(
        session,
        "auction:final-round",
        f"auction:{auction.id}",
        {
            "auction": auction.id,
            "starts_at": _iso(start),
            "ends_at": _iso(auction.ends_at),
            "current_price": _plain(auction.current_price),
            "bids": auction.bid_count,
            "duration_seconds": int(duration.total_seconds()),
            "extension_seconds": int(extension.total_seconds()),
        },
    )
    if project.state in ("notice_published", "bid_closed"):
        lifecycle.apply(
            session,
            project,
            "start_auction",
            trading.SYSTEM,
            document_ref=f"auction:{auction.id}",
            payload={"auction": auction.id, "ends_at": _iso(auction.ends_at)},
        )


def verify_reserve(session: Session, auction: Auction) -> bool | None:
    """Whether the revealed reserve and salt match the commitment in the setup's ledger entry (None: no reserve)."""
    if auction.reserve_price is None:
        return None
    recomputed = reserve_commitment(auction.reserve_price, auction.reserve_salt or "")
    entry = session.get(LedgerEntry, auction.setup_ledger_seq)
    committed = json.loads(entry.payload).get("reserve", {}).get("commitment") if entry is not None else None
    return recomputed == committed == auction.reserve_commitment


def _end(session: Session, auction: Auction, project: Project, at: datetime) -> None:
    """The bidding is over: the winner (or 流拍), the revealed reserve, the ledger, the deposits, the project."""
    current = auction.current_price
    met = current is not None and (auction.reserve_price is None or current >= auction.reserve_price)
    winner = session.get(AuctionBidder, auction.leader_id) if met and auction.leader_id else None
    organisation = session.get(Organisation, winner.organisation_id) if winner else None
    auction.phase, auction.ended_at = "ended", at
    auction.outcome = "sold" if winner else "failed"
    auction.winner_id = winner.id if winner else None
    auction.final_price = current if winner else None
    auction.reserve_verified = verify_reserve(session, auction)
    if auction.reserve_verified is False:
        log.error("auction %s: the revealed reserve does not match its commitment", auction.id)
    session.flush()
    entry = ledger.append(
        session,
        "auction:result",
        f"auction:{auction.id}",
        {
            "auction": auction.id,
            "outcome": auction.outcome,
            "price": _plain(auction.final_price),
            "highest_bid": _plain(current),
            "winner": {"paddle": winner.paddle, "organisation": organisation.id, "name": organisation.name}
            if winner
            else None,
            "reserve": {
                "set": auction.reserve_price is not None,
                "amount": _plain(auction.reserve_price),
                "salt": auction.reserve_salt,
                "commitment": auction.reserve_commitment,
                "committed_in": auction.setup_ledger_seq,
                "verified": auction.reserve_verified,
            },
            "bids": auction.bid_count,
            "ended_at": _iso(at),
        },
    )
    auction.result_ledger_seq = entry.seq
    _refund_deposits(session, auction, winner)
    _conclude_project(session, project)


def _refund_deposits(session: Session, auction: Auction, winner: AuctionBidder | None) -> None:
    """Everyone's deposit but the winner's becomes refundable (the winner's is kept towards the price)."""
    from sunshine.trading import deposits

    paid = session.scalars(
        select(Deposit).where(Deposit.section_id == auction.section_id, Deposit.status == "paid").order_by(Deposit.id)
    ).all()
    reason = "网上竞价流拍" if winner is None else "网上竞价结束，未竞得"
    for deposit in paid:
        if winner is not None and deposit.organisation_id == winner.organisation_id:
            continue
        deposits.schedule_refund(session, deposit, clock.today_local(), reason)


def _conclude_project(session: Session, project: Project) -> None:
    """When every auction of the project has ended: the project's result (or 流拍) and its notice."""
    auctions = list(
        session.scalars(select(Auction).where(Auction.project_id == project.id).order_by(Auction.section_id))
    )
    if not auctions or any(a.phase != "ended" for a in auctions) or project.state not in ("bid_closed", "opening"):
        return
    sold = [a for a in auctions if a.outcome == "sold"]
    step = "conclude_auction" if sold else "auction_failed"
    lifecycle.apply(
        session,
        project,
        step,
        trading.SYSTEM,
        document_ref=f"auction:{auctions[0].id}",
        payload={"auctions": [a.id for a in auctions], "sold": [a.id for a in sold]},
    )
    if not sold:
        project.failed_attempts = (project.failed_attempts or 0) + 1
    title, body = result_notice(session, project, auctions)
    from sunshine import disclosure

    try:
        disclosure.publish_from_step(
            session,
            trigger="trading.result",
            subject=f"project:{project.code}",
            title=title,
            body_html=body,
            source_ref=f"auction:{auctions[0].id}",
            author_id=None,
        )
    except disclosure.HeldForReview:
        # The result stands; its notice waits in the disclosure office's queue, and the open obligation
        # shows as due (then overdue) on the compliance dashboard until someone publishes it.
        log.warning("auction result notice of %s held for review", project.code)


FAILED_NOTE = "<p>未达到保留价或无人报价的标段流拍，竞买保证金按规定退还。</p>"


def result_notice(session: Session, project: Project, auctions: list[Auction]) -> tuple[str, str]:
    """The result notice (成交结果公告 / 流拍公告) of a project's auctions, as sanitised HTML."""
    from sunshine.trading.notices import sanitise

    sections = {s.id: s for s in session.scalars(select(Section).where(Section.project_id == project.id))}
    winners = {
        b.id: b
        for b in session.scalars(
            select(AuctionBidder).where(AuctionBidder.id.in_([a.winner_id for a in auctions if a.winner_id]))
        )
    }
    names = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(
                Organisation.id.in_([b.organisation_id for b in winners.values()])
            )
        ).all()
    )
    sold = any(a.outcome == "sold" for a in auctions)
    title = f"{project.name}网上竞价结果公告" if sold else f"{project.name}网上竞价流拍公告"
    rows = []
    for a in auctions:
        s = sections[a.section_id]
        winner = winners.get(a.winner_id) if a.winner_id else None
        if a.reserve_price is None:
            reserve = "未设保留价"
        else:
            verdict = "经核验与事先承诺一致" if a.reserve_verified else "核验不一致"
            reserve = f"{yuan(a.reserve_price)}（{verdict}）"
        rows.append(
            "<tr>"
            f"<td>第 {s.number} 标段：{html.escape(s.name)}</td>"
            f"<td>{OUTCOMES[a.outcome]}</td>"
            f"<td>{html.escape(names.get(winner.organisation_id, '')) if winner else '—'}</td>"
            f"<td>{winner.paddle if winner else '—'}</td>"
            f"<td>{yuan(a.final_price) if a.final_price is not None else '—'}</td>"
            f"<td>{yuan(a.start_price)}</td>"
            f"<td>{reserve}</td>"
            f"<td>{a.bid_count}</td>"
            f"<td>{local_seconds(a.ended_at)}</td>"
            "</tr>"
        )
    body = (
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）网上竞价已于"
        f" {local_seconds(max(a.ended_at for a in auctions))}（北京时间）结束，结果如下：</p>"
        "<table><thead><tr><th>标段</th><th>结果</th><th>竞得人</th><th>竞买号</th><th>成交价（元）</th>"
        "<th>起始价（元）</th><th>保留价（元）</th><th>有效报价次数</th><th>竞价结束时间</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        "<p>保留价在竞价开始前以加盐 SHA-256 承诺值记入全程留痕日志，竞价结束后公开保留价与盐值供核验；"
        "每一次报价均按服务器收到的先后顺序编号并记入全程留痕日志。</p>"
        + (FAILED_NOTE if any(a.outcome == "failed" for a in auctions) else "")
    )
    return title[:300], sanitise(body)


# --------------------------------------------------------------------------- guards (lifecycle.apply)


def guard_auction_started(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    running = session.scalar(select(Auction.id).where(Auction.project_id == project.id, Auction.phase == "final"))
    if running is None:
        raise lifecycle.IllegalStep("没有进入限时竞价（拍卖）的网上竞价，不能开始竞价")


def _ended(session: Session, project: Project) -> list[Auction]:
    auctions = list(session.scalars(select(Auction).where(Auction.project_id == project.id)))
    if not auctions or any(a.phase != "ended" for a in auctions):
        raise lifecycle.IllegalStep("本项目的网上竞价尚未全部结束")
    return auctions


def guard_auction_sold(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    if not any(a.outcome == "sold" for a in _ended(session, project)):
        raise lifecycle.IllegalStep("没有成交的标段，应按流拍处理")


def guard_auction_unsold(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    if any(a.outcome == "sold" for a in _ended(session, project)):
        raise lifecycle.IllegalStep("已有标段成交，不能按流拍处理")


# --------------------------------------------------------------------------- the tick and lazy settling


def settle(session: Session, auction_id: int) -> bool:
    """Bring one auction up to the server clock (under its locks); True if it changed."""
    found = _locked(session, auction_id)
    if found is None:
        return False
    return advance(session, *found)


def needs_settling(session: Session, auction_id: int) -> bool:
    """A cheap, lock-free look: is a phase change of this auction due? (Reads may then settle it first.)"""
    auction = session.get(Auction, auction_id) if 0 < auction_id <= ledger.MAX_INDEX else None
    if auction is None:
        return False
    project = session.get(Project, auction.project_id)
    return project is not None and is_due(auction, project, clock.now())


def finalise_due(session: Session) -> list[int]:
    """The tick's part (idempotent): every auction whose time has come changes phase — listing to timed
    round, timed round to result — and projects whose auctions have all ended are concluded. Each auction
    in a savepoint of its own, so one that cannot be finished (logged) does not hold up the others.
    Returns the ids of the auctions that changed."""
    now = clock.now()
    rows = session.execute(
        select(Auction, Project)
        .join(Project, Auction.project_id == Project.id)
        .where(Auction.phase != "ended", Project.state.in_(RUNNING_STATES))
        .order_by(Auction.id)
    ).all()
    changed = []
    for auction, project in rows:
        if not is_due(auction, project, now):
            continue
        try:
            with session.begin_nested():
                if settle(session, auction.id):
                    changed.append(auction.id)
        except SunshineError as exc:
            log.warning("auction %s could not be settled: %s", auction.id, exc.detail)
    # A project whose last two auctions ended in concurrent transactions may have been left unconcluded.
    waiting = session.scalars(
        select(Project)
        .where(Project.state.in_(("bid_closed", "opening")), Project.lifecycle.in_(LIFECYCLES))
        .where(Project.id.in_(select(Auction.project_id)))
        .where(~Project.id.in_(select(Auction.project_id).where(Auction.phase != "ended")))
    ).all()
    for project in waiting:
        try:
            with session.begin_nested():
                _conclude_project(session, project)
        except SunshineError as exc:
            log.warning("project %s could not be concluded: %s", project.code, exc.detail)
    return changed


def auctionable_sections(session: Session, actor: Principal, project: Project) -> list[Section]:
    """Sections the actor could set an auction up for now (none unless it is the project's party and the
    project is between its first notice and the start of bidding)."""
    if not registrations.is_party(actor, project) or project.lifecycle not in LIFECYCLES:
        return []
    starts = bidding_starts_at(project)
    if project.state != "notice_published" or starts is None or clock.now() >= starts:
        return []
    taken = set(session.scalars(select(Auction.section_id).where(Auction.project_id == project.id)))
    return [s for s in project.sections if s.id not in taken]
