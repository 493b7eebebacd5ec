"""Demo award letters and contracts after the result, run after the results demo:

- the finished land listing of the auctions demo (连江县2026-05号地块, sold in its timed round): the agency drafted
  the 成交确认书 to the buyer and the 竞价结果通知书 to the other bidder the first working day after the round, its
  signer sealed both and the agency issued them (已签发成交确认书); the centre refunded the other bidder's 竞买保证金
  the next working day; the agency drafted the 转让合同 at the final price and the land bureau and the buyer signed it
  two working days later (合同已签订; the buyer's deposit is settled under the contract, not refunded);
- the school's multimedia classroom procurement of the results demo (结果已公告): the award letters drafted, sealed
  and issued five working days ago, the 政府采购合同 drafted the next working day and signed by the school, waiting
  for the supplier's signature (its suppliers paid no deposit, so nothing is refunded).

Sealed the way demo/seals.py seals documents (the agency's signer with its approved demo key). All through the
services on clocks of their own, at fixed hours of past working days, whatever the hour the demo is loaded.
Idempotent: a project is taken on only while it is 结果已公告 (a second load finds it past that and makes nothing).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from sunshine.auctions.models import Auction
from sunshine.awards import contracts, letters
from sunshine.awards.contract_models import AwardContract
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.demo.evaluation import _local, _working_day
from sunshine.demo.results import MULTIMEDIA
from sunshine.demo.seals import _principal, _seal, _signer_key, _user
from sunshine.identity.roles import Role
from sunshine.trading import deposits
from sunshine.trading.models import Deposit, Project, Section

LAND = "示范市连江县2026-05号地块国有建设用地使用权挂牌出让"  # the finished listing of demo/auctions.py
LAND_TERMS = {
    "term": "土地交付之日起6个月内开工，开工之日起24个月内竣工",
    "payment": "合同签订之日起30日内缴清全部出让价款，竞买保证金抵作出让价款",
}
PROCUREMENT_TERMS = {
    "term": "合同签订后30个日历日内交货并完成安装调试，质保期3年",
    "payment": "验收合格后15个工作日内支付合同金额的95%，质保期满无质量问题支付余款",
    "performance_security": "75600.00",
}


def _next_working_day(cal, day: date) -> date:
    day += timedelta(days=1)
    while not cal.is_workday(day):
        day += timedelta(days=1)
    return day


def _signer(session, data_dir):
    """The agency's signer with its approved demo key (made as demo/seals.py makes it, if missing)."""
    signer = _user(session, "agencysigner")
    admin = _user(session, "agencyadmin")
    if signer is None or admin is None:
        return None
    who = principal(session, "agencysigner")
    return (who, *_signer_key(session, data_dir, who, _principal(admin, [Role.ENTERPRISE_ADMIN])))


def _letters(session_factory, data_dir, project_id: int) -> None:
    """Draft the letters (the agency), seal each (its signer), issue them (the agency)."""
    with session_factory() as session:
        agency = principal(session, "agency")
        drafted = [x.id for x in letters.draft(session, agency, project_id)]
        who, key, private = _signer(session, data_dir)
        for letter_id in drafted:
            _seal(session, who, letters.KIND, letter_id, key, private)
    with session_factory() as session:
        letters.issue(session, principal(session, "agency"), project_id)


def _contract(session_factory, project_id: int, terms: dict) -> tuple[int, str]:
    with session_factory() as session:
        section_id = session.scalar(
            select(Section.id).where(Section.project_id == project_id).order_by(Section.number).limit(1)
        )
        row = contracts.draft(session, principal(session, "agency"), project_id, section_id, **terms)
        return row.id, row.sha256


def _land(session_factory, data_dir, cal, project_id: int, ended: datetime) -> None:
    day = _next_working_day(cal, ended.astimezone(get_settings().tz).date())
    walk = AdjustableClock(_local(day, 10, 0))
    with use_clock(walk):
        _letters(session_factory, data_dir, project_id)
        walk.set(_local(day, 15, 30))
        contract_id, sha = _contract(session_factory, project_id, LAND_TERMS)
        walk.set(_local(_next_working_day(cal, day), 9, 30))
        with session_factory() as session:  # the other bidder's 竞买保证金, refundable since the round ended
            centre = principal(session, "centre")
            due = session.scalars(
                select(Deposit.id).where(Deposit.project_id == project_id, Deposit.status == "refund_due")
            ).all()
            for deposit_id in due:
                deposits.refund(session, centre, deposit_id)
        signed = _next_working_day(cal, _next_working_day(cal, day))
        walk.set(_local(signed, 10, 0))
        with session_factory() as session:
            contracts.sign(session, principal(session, "landbureau"), contract_id, sha256=sha)
        walk.set(_local(signed, 14, 20))
        with session_factory() as session:
            winner = session.get(AwardContract, contract_id).winner_id
            buyer = next(n for n in ("bidder", "bidder2") if principal(session, n).organisation_id == winner)
            contracts.sign(session, principal(session, buyer), contract_id, sha256=sha)


def _procurement(session_factory, data_dir, cal, today: date, project_id: int) -> None:
    walk = AdjustableClock(_local(_working_day(cal, today, 5), 10, 0))
    with use_clock(walk):
        _letters(session_factory, data_dir, project_id)
        walk.set(_local(_working_day(cal, today, 4), 15, 0))
        contract_id, sha = _contract(session_factory, project_id, PROCUREMENT_TERMS)
        walk.set(_local(_working_day(cal, today, 3), 9, 40))
        with session_factory() as session:  # the school signs; the supplier has yet to
            contracts.sign(session, principal(session, "tenderer"), contract_id, sha256=sha)


def load_demo_awards(session_factory, real_now: datetime, data_dir=None) -> int:
    """The two stages described above; returns how many projects were taken on (0 on a second load)."""
    data_dir = data_dir or get_settings().ensure_data_dir()
    made = 0
    with session_factory() as session:
        cal = calendar.load(session)
        land = session.scalar(select(Project).where(Project.name == LAND))
        land = (
            (land.id, session.scalar(select(Auction.ends_at).where(Auction.project_id == land.id)))
            if (land is not None and land.state == "result_published")
            else None
        )
        school = session.scalar(select(Project).where(Project.name == MULTIMEDIA.project.name))
        school_id = school.id if school is not None and school.state == "result_published" else None
        ready = _signer(session, data_dir) is not None and _user(session, "landbureau") is not None
    if not ready:
        return 0
    if land is not None and land[1] is not None:
        _land(session_factory, data_dir, cal, *land)
        made += 1
    if school_id is not None:
        _procurement(session_factory, data_dir, cal, real_now.astimezone(get_settings().tz).date(), school_id)
        made += 1
    return made
