"""Demo results after the evaluation, run after the evaluation's demo:

- the school's dormitory works (evaluated a fortnight ago, its report received at once): the agency published the
  candidates the next working day (中标候选人公示), the second-ranked bidder objected to the evaluation result the day
  after, and the school answered the following day — the project is 中标候选人公示中, its period run, waiting for the
  school to determine the winner (the re-check page shows each candidate's records);
- the school's multimedia classroom procurement (综合评分法), evaluated eight working days ago: every supplier passed
  the reviews, every member scored, the report was signed and delivered by the agency, the school chose the first
  candidate the next working day and the agency published the result notice the day after — 结果已公告, the
  committee's names public.

All through the services on clocks of their own, at fixed hours of past working days, whatever the hour the demo is
loaded. Idempotent: nothing is made when the multimedia project exists (the dormitory is taken on only from 评审结束).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sunshine.complaints import objections
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import DemoProject, org_ids, principal
from sunshine.demo.committees import _codes
from sunshine.demo.evaluation import (
    CRITERIA,
    DORMITORY,
    Tender,
    _convene,
    _draw_and_call,
    _local,
    _open,
    _review,
    _working_day,
)
from sunshine.evaluation import report, reviews, scoring
from sunshine.evaluation.models import EvaluationSession
from sunshine.results import base, notice, publicity, winners
from sunshine.trading.models import Project

MULTIMEDIA = Tender(
    DemoProject(
        "gov_procurement.open_tender",
        "示范市第一中学多媒体教室设备采购项目",
        "school",
        "1580000.00",
        (("第一包：多媒体教室设备", "1580000.00"),),
        "open",
    ),
    "comprehensive_scoring",
    (
        ("supplier1", "1512000.00"),
        ("supplier2", "1498000.00"),
        ("supplier3", "1526500.00"),
        ("supplier4", "1539000.00"),
    ),
    "finance",
    8,
    "交货期：合同签订后30个日历日内；质保期3年；含教师培训",
    CRITERIA,
    "0.30",
    "0.10",
    "goods",
)
OBJECTION = "第一名投标人拟派项目经理的安全生产考核合格证（B证）即将到期，请核实其是否满足招标文件要求"
ANSWER = "经核查，该项目经理的B证有效期至明年，覆盖本工程工期，满足招标文件要求，异议不成立"


def load_demo_results(session_factory, real_now: datetime) -> int:
    """The two stages described above; returns how many projects were taken on (0 on a second load)."""
    made = 0
    with session_factory() as session:
        cal = calendar.load(session)
        dormitory = session.scalar(select(Project).where(Project.name == DORMITORY.project.name))
        dormitory_id = dormitory.id if dormitory is not None and dormitory.state == "evaluated" else None
        exists = session.scalar(select(Project.id).where(Project.name == MULTIMEDIA.project.name)) is not None
        goods = _codes(session, "B") or _codes(session, "C")
        people = {n: principal(session, n) for n in ("agency", "tenderer", "bidder", "centre", "finance")}
    today = real_now.astimezone(get_settings().tz).date()
    if dormitory_id is not None:
        _publicity(session_factory, cal, today, people, dormitory_id)
        made += 1
    if not exists and goods:
        _procurement(session_factory, cal, today, goods)
        made += 1
    return made


def _publicity(session_factory, cal, today, people, project_id: int) -> None:
    """公示 the next working day after the report, an objection the day after, its answer the day after that."""
    walk = AdjustableClock(_local(_working_day(cal, today, DORMITORY.days_back - 1), 10, 0))
    with use_clock(walk):
        with session_factory() as session:
            publicity.publicise(session, people["agency"], project_id)
        walk.set(_local(_working_day(cal, today, DORMITORY.days_back - 2), 15, 20))
        with session_factory() as session:
            objection = objections.file_on_result(
                session, people["bidder"], project_id, content=OBJECTION, section_id=None
            )
            objection_id = objection.id
        walk.set(_local(_working_day(cal, today, DORMITORY.days_back - 3), 9, 40))
        with session_factory() as session:
            objections.answer_on_result(session, people["tenderer"], objection_id, text=ANSWER)


def _procurement(session_factory, cal, today, goods) -> None:
    tender = MULTIMEDIA
    with session_factory() as session:
        usernames = {u for u, _ in tender.bids} | {"agency", "centre", "finance", "supervisor", "tenderer"}
        people = {n: principal(session, n) for n in usernames}
        people["registrar"] = principal(session, "agencysigner")
        orgs = org_ids(session)
    day = _working_day(cal, today, tender.days_back)
    w = SimpleNamespace(tender=tender, people=people, deadline=_local(day, 9, 0), meeting=_local(day, 9, 30))
    w.codes = goods
    w.walk = AdjustableClock(w.deadline - timedelta(days=35))
    with use_clock(w.walk):
        _open(session_factory, w, orgs)
        _draw_and_call(session_factory, w)
        _convene(session_factory, w)
        _review(session_factory, w, -1, "compliance", "", "")
        hc = w.actors[w.chair]
        with session_factory() as session:
            reviews.finish(session, hc, w.session_id)
            valid = [b.id for b in reviews.valid_bids(session, session.get(EvaluationSession, w.session_id))]
        for n, (mid, _, _) in enumerate(w.members):
            w.walk.advance(timedelta(minutes=20))
            with session_factory() as session:
                sheet = {
                    b: {"tech": Decimal(45 - i - n % 2), "service": Decimal(17 - i % 2)} for i, b in enumerate(valid)
                }
                scoring.submit(session, w.actors[mid], w.session_id, sheet)
        w.walk.advance(timedelta(minutes=20))
        with session_factory() as session:
            scoring.compute(session, hc, w.session_id)
        for mid, _, _ in w.members:
            w.walk.advance(timedelta(minutes=3))
            with session_factory() as session:
                report.sign(session, w.actors[mid], w.session_id, agree=True)
        w.walk.advance(timedelta(hours=2))
        with session_factory() as session:
            report.deliver(session, people["agency"], w.session_id)
        w.walk.set(_local(_working_day(cal, today, tender.days_back - 1), 10, 30))
        with session_factory() as session:
            report.confirm(session, people["tenderer"], w.session_id)
            row = session.get(EvaluationSession, w.session_id)
            first = base.candidates(session, row)[0]
            winners.determine(session, people["tenderer"], w.pid, w.sid, eval_bid_id=first.eval_bid_id)
        w.walk.set(_local(_working_day(cal, today, tender.days_back - 2), 9, 30))
        with session_factory() as session:
            notice.publish(session, people["agency"], w.pid)
