"""Demo re-evaluation by the original committee (重新评审), run after the complaints' demo:

the school's smart library procurement (综合评分法): evaluated fourteen working days ago, one expert scoring the
objective factor "technical parameters" of 福建启明实验室 far below the others; the report signed, delivered and
confirmed, the first candidate chosen and the result notice published; 启明 challenged the result the next working
day, the agency found the challenge unfounded, 启明 complained to the finance department, which accepted it, sent the
copy, received the school's statement and three working days ago upheld the complaint ordering re-evaluation by the
original committee on the ground of 87号令 第六十四条 (评标委员会成员对客观评审因素评分不一致). The same committee is
re-scoring: the representative and one expert have scored again yesterday, the others have not — the first report
kept in the session's rounds (``/evaluation/sessions/{id}/rounds``), the old result's clocks retired.

All through the services on clocks of their own, at fixed hours of past working days. Idempotent: nothing is made
when the project exists."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sunshine.complaints import answering, handling, service
from sunshine.complaints.schemas import CaseIn
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import DemoProject, org_ids, principal
from sunshine.demo.committees import _codes
from sunshine.demo.evaluation import CRITERIA, Tender, _convene, _draw_and_call, _local, _open, _review, _working_day
from sunshine.evaluation import report, reviews, scoring
from sunshine.evaluation.models import EvaluationSession
from sunshine.results import base, notice, winners
from sunshine.trading.models import Project

LIBRARY = Tender(
    DemoProject(
        "gov_procurement.open_tender",
        "示范市第一中学智慧图书馆设备采购项目",
        "school",
        "1260000.00",
        (("第一包：智慧图书馆自助借还及安防设备", "1260000.00"),),
        "open",
    ),
    "comprehensive_scoring",
    (
        ("supplier1", "1208000.00"),
        ("supplier2", "1196500.00"),
        ("supplier4", "1231000.00"),
        ("supplier5", "1219800.00"),
    ),
    "finance",
    14,
    "交货期：合同签订后40个日历日内；质保期3年；含系统对接及馆员培训",
    CRITERIA,
    "0.30",
    "0.10",
    "goods",
)
FACTS = (
    "评标委员会中一名专家对我公司“技术参数响应及产品性能”（客观评审因素，逐项对照招标文件技术参数打分）仅给出18分，"
    "其余成员均在44分以上，同一客观评审因素评分明显不一致，直接导致我公司排名由第一降为第二。"
)
REQUEST = "责令组织原评标委员会对客观评审因素重新评审，依法确定成交供应商。"
DECISION = (
    "经调阅评标报告及评分记录，评标委员会成员对客观评审因素“技术参数响应及产品性能”的评分不一致，且该项评分影响成交结果。"
    "依据《政府采购质疑和投诉办法》第三十一条及《政府采购货物和服务招标投标管理办法》第六十四条，投诉成立，"
    "责令采购人组织原评标委员会重新评审。"
)


def load_demo_reevaluation(session_factory, real_now: datetime) -> int:
    """The stage described above; returns 1 when the project was made, 0 on a second load."""
    with session_factory() as session:
        if session.scalar(select(Project.id).where(Project.name == LIBRARY.project.name)) is not None:
            return 0
        goods = _codes(session, "B") or _codes(session, "C")
        if not goods:
            return 0
        usernames = {u for u, _ in LIBRARY.bids} | {"agency", "centre", "finance", "supervisor", "tenderer"}
        people = {n: principal(session, n) for n in usernames}
        people["registrar"] = principal(session, "agencysigner")
        orgs = org_ids(session)
        cal = calendar.load(session)
    today = real_now.astimezone(get_settings().tz).date()
    tender = LIBRARY
    day = _working_day(cal, today, tender.days_back)
    w = SimpleNamespace(tender=tender, people=people, deadline=_local(day, 9, 0), meeting=_local(day, 9, 30))
    w.codes = goods
    w.walk = AdjustableClock(w.deadline - timedelta(days=35))

    def at(back: int, hour: int, minute: int = 0) -> None:
        w.walk.set(_local(_working_day(cal, today, back), hour, minute))

    with use_clock(w.walk):
        _open(session_factory, w, orgs)
        _draw_and_call(session_factory, w)
        _convene(session_factory, w)
        _first_round(session_factory, w)
        at(tender.days_back - 1, 10, 30)
        with session_factory() as session:
            report.confirm(session, people["tenderer"], w.session_id)
            first = base.candidates(session, session.get(EvaluationSession, w.session_id))[0]
            winners.determine(session, people["tenderer"], w.pid, w.sid, eval_bid_id=first.eval_bid_id)
        at(tender.days_back - 2, 9, 30)
        with session_factory() as session:
            notice.publish(session, people["agency"], w.pid)
        at(tender.days_back - 3, 14, 0)
        letter = {
            "project_id": w.pid,
            "matter": "result",
            "respondent": "示范市第一中学、福建中正招标代理有限公司",
            "contact": "启明实验室 投标专员 张帆 0591-87002345",
            "facts": FACTS,
            "request": REQUEST,
            "legal_basis": "《政府采购货物和服务招标投标管理办法》第六十四条；《政府采购质疑和投诉办法》第十条",
            "signed": True,
        }
        with session_factory() as session:
            challenge = service.file(session, people["supplier2"], CaseIn(kind="challenge", **letter)).id
        at(tender.days_back - 5, 16, 0)
        with session_factory() as session:
            answering.answer(
                session, people["agency"], challenge, text="评审过程符合采购文件规定，质疑不成立。", founded=False
            )
        at(tender.days_back - 6, 9, 30)
        with session_factory() as session:
            body = {
                **letter,
                "legal_basis": "《中华人民共和国政府采购法》第五十五条；《政府采购质疑和投诉办法》第十七条",
            }
            complaint = service.file(
                session, people["supplier2"], CaseIn(kind="gp_complaint", prior_case_id=challenge, **body)
            ).id
        at(tender.days_back - 7, 10, 0)
        with session_factory() as session:
            handling.accept(session, people["finance"], complaint, note="投诉书内容齐全，予以受理")
        with session_factory() as session:
            handling.send_copy(session, people["finance"], complaint)
        at(tender.days_back - 9, 15, 0)
        with session_factory() as session:
            answering.respondent_statement(
                session, people["tenderer"], complaint, text="采购人已提交评标报告及全部评分记录，请依法处理。"
            )
        at(3, 10, 0)
        with session_factory() as session:
            handling.decide(
                session,
                people["finance"],
                complaint,
                outcome="upheld",
                remedy="reevaluate",
                decision=DECISION,
                ground="objective_inconsistent",
            )
        _second_round_begun(session_factory, w, cal, today)
    return 1


def _first_round(session_factory, w) -> None:
    """Every bid passes; the members score, one expert far below the others on 启明's technical parameters."""
    _review(session_factory, w, -1, "compliance", "", "")
    hc = w.actors[w.chair]
    with session_factory() as session:
        reviews.finish(session, hc, w.session_id)
        valid = [b.id for b in reviews.valid_bids(session, session.get(EvaluationSession, w.session_id))]
    qiming = w.bids[1]
    odd = [mid for mid, kind, _ in w.members if kind == "expert" and mid != w.chair][-1]
    for n, (mid, _, _) in enumerate(w.members):
        w.walk.advance(timedelta(minutes=20))
        with session_factory() as session:
            sheet = {
                b: {
                    "tech": Decimal(18 if (mid == odd and b == qiming) else (46 if b == qiming else 44 - i - n % 2)),
                    "service": Decimal(17 - i % 2),
                }
                for i, b in enumerate(valid)
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
        report.deliver(session, w.people["agency"], w.session_id)


def _second_round_begun(session_factory, w, cal, today) -> None:
    """Yesterday the committee confirmed its reviews, the representative and the chair scored again (the same
    committee); the others have not yet."""
    w.walk.set(_local(_working_day(cal, today, 1), 9, 30))
    with session_factory() as session:  # the committee re-examined its reviews and kept every pass
        reviews.finish(session, w.actors[w.chair], w.session_id)
    with session_factory() as session:
        valid = [b.id for b in reviews.valid_bids(session, session.get(EvaluationSession, w.session_id))]
    scorers = [mid for mid, kind, _ in w.members if kind == "representative"] + [w.chair]
    for n, mid in enumerate(scorers):
        w.walk.advance(timedelta(minutes=25))
        with session_factory() as session:
            sheet = {
                b: {"tech": Decimal(46 if b == w.bids[1] else 44 - i - n % 2), "service": Decimal(17 - i % 2)}
                for i, b in enumerate(valid)
            }
            scoring.submit(session, w.actors[mid], w.session_id, sheet)


__all__ = ["load_demo_reevaluation", "LIBRARY"]
