"""The end of an online auction and its results: the winner (or 流拍), the revealed reserve checked against
its commitment in the ledger, deposits made refundable, the project concluded once all its auctions have
ended, and the result notice (成交结果公告 / 流拍公告) published through the disclosure pipeline; the guards
of the ``conclude_auction`` and ``auction_failed`` steps. Never commits.
"""

from __future__ import annotations

import html
import json
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.auctions.models import Auction, AuctionBidder
from sunshine.auctions.service import OUTCOMES, iso_time, plain_amount, reserve_commitment
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.formatting import local_seconds, yuan
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger
from sunshine.ledger.models import LedgerEntry
from sunshine.trading import lifecycle
from sunshine.trading import service as trading
from sunshine.trading.models import Deposit, Project, Section

log = logging.getLogger("sunshine.auctions")


def verify_reserve(session: Session, auction: Auction) -> bool | None:
    """Whether the revealed reserve and salt match the commitment in the setup's ledger entry (None: no reserve)."""
    if auction.reserve_price is None:
        return None
    recomputed = reserve_commitment(auction.reserve_price, auction.reserve_salt or "")
    entry = session.get(LedgerEntry, auction.setup_ledger_seq)
    committed = json.loads(entry.payload).get("reserve", {}).get("commitment") if entry is not None else None
    return recomputed == committed == auction.reserve_commitment


def end_auction(session: Session, auction: Auction, project: Project, at: datetime) -> None:
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
            "price": plain_amount(auction.final_price),
            "highest_bid": plain_amount(current),
            "winner": {"paddle": winner.paddle, "organisation": organisation.id, "name": organisation.name}
            if winner
            else None,
            "reserve": {
                "set": auction.reserve_price is not None,
                "amount": plain_amount(auction.reserve_price),
                "salt": auction.reserve_salt,
                "commitment": auction.reserve_commitment,
                "committed_in": auction.setup_ledger_seq,
                "verified": auction.reserve_verified,
            },
            "bids": auction.bid_count,
            "ended_at": iso_time(at),
        },
    )
    auction.result_ledger_seq = entry.seq
    _refund_deposits(session, auction, winner)
    conclude_project(session, project)


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


def conclude_project(session: Session, project: Project) -> None:
    """When every auction of the project has ended: the project's result (or 流拍) and its notice."""
    auctions = list(
        session.scalars(select(Auction).where(Auction.project_id == project.id).order_by(Auction.section_id))
    )
    if not auctions or any(a.phase != "ended" for a in auctions) or project.state not in ("bid_closed", "opening"):
        return
    sold = [a for a in auctions if a.outcome == "sold"]
    step = "conclude_auction" if sold else "auction_failed"
    title, body = result_notice(session, project, auctions)
    # The result stands even when its notice is held by the confidentiality review: the notice then waits in
    # the disclosure office's queue, and the open obligation shows as due (then overdue) until it is published.
    lifecycle.apply(
        session,
        project,
        step,
        trading.SYSTEM,
        document_ref=f"auction:{auctions[0].id}",
        payload={"auctions": [a.id for a in auctions], "sold": [a.id for a in sold]},
        publication=lifecycle.Publication(
            title=title, body_html=body, source_ref=f"auction:{auctions[0].id}", author_id=None, hold="queue"
        ),
    )
    if not sold:
        project.failed_attempts = (project.failed_attempts or 0) + 1


FAILED_NOTE = "<p>未达到保留价或无人报价的标段流拍，竞买保证金按规定退还。</p>"


def result_notice(session: Session, project: Project, auctions: list[Auction]) -> tuple[str, str]:
    """The result notice (成交结果公告 / 流拍公告) of a project's auctions, as sanitised HTML."""
    from sunshine.core.content import sanitise

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
