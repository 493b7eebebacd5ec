"""Demo objections, challenges and complaints (异议、质疑、投诉), run after the results' and awards' demos:

- the school's multimedia classroom procurement (its result notice six working days ago): the fourth supplier
  challenged the result the next working day, the agency answered on the third working day that the challenge is
  unfounded, the supplier complained to the finance department the day after, and the department accepted it
  yesterday and sent the copy to the school — the school's statement and the department's decision are running;
- the school's dormitory works (中标候选人公示中): the bidder whose objection to the evaluation result the school
  rejected complained to the housing bureau's supervision section yesterday — awaiting its acceptance decision.

Nothing is suspended (the other areas' demo projects keep their stages). All through the services on clocks of
their own, at fixed hours of past working days. Idempotent: nothing is made when a case exists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from sunshine.complaints import answering, handling, kinds, service
from sunshine.complaints.models import ComplaintCase
from sunshine.complaints.schemas import CaseIn
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.demo.evaluation import DORMITORY, _local, _working_day
from sunshine.demo.results import MULTIMEDIA
from sunshine.trading.models import Project

CHALLENGE = (
    "成交供应商投标文件中的投影机亮度检测报告出具日期早于样机送检日期，检测报告真实性存疑，"
    "其技术部分“投影亮度不低于4000流明”的得分不应成立。"
)
CHALLENGE_ANSWER = "经向检测机构核实，报告编号与送检记录一致，出具日期系笔误，评审得分依据充分，质疑不成立。"
COMPLAINT_REQUEST = "责令重新评审，认定成交结果无效。"


def load_demo_complaints(session_factory, real_now: datetime) -> int:
    """The cases described above; returns how many were made (0 on a second load)."""
    with session_factory() as session:
        others = ComplaintCase.kind.not_in(
            sorted(kinds.FOLDED)
        )  # the opening's and the publicity's are bidding's and results'
        if session.scalar(select(ComplaintCase.id).where(others).limit(1)) is not None:
            return 0
        cal = calendar.load(session)
        multimedia = session.scalar(select(Project).where(Project.name == MULTIMEDIA.project.name))
        dormitory = session.scalar(select(Project).where(Project.name == DORMITORY.project.name))
        people = {
            n: principal(session, n) for n in ("supplier4", "agency", "tenderer", "finance", "supervisor", "bidder")
        }
        after_result = {"result_published", "awarded", "contracted", "performing", "performance_accepted"}
        multimedia_id = multimedia.id if multimedia is not None and multimedia.state in after_result else None
        dormitory_id = dormitory.id if dormitory is not None else None
        objection = (
            session.scalar(
                select(ComplaintCase).where(
                    ComplaintCase.project_id == dormitory_id,
                    ComplaintCase.kind == "result_objection",
                    ComplaintCase.answered_at.is_not(None),
                )
            )
            if dormitory_id
            else None
        )
        objection_id, knew = (objection.id, objection.answered_at) if objection is not None else (None, None)
    today = real_now.astimezone(get_settings().tz).date()
    made = 0
    walk = AdjustableClock(_local(_working_day(cal, today, 5), 10, 0))
    with use_clock(walk):
        if multimedia_id is not None:
            made += _procurement(session_factory, cal, today, walk, people, multimedia_id)
        if dormitory_id is not None and objection_id is not None:
            walk.set(_local(_working_day(cal, today, 1), 10, 0))
            with session_factory() as session:
                service.file(
                    session,
                    people["bidder"],
                    CaseIn(
                        kind="eng_complaint",
                        project_id=dormitory_id,
                        matter="result",
                        knew_on=knew.astimezone(get_settings().tz).date(),
                        respondent="示范市第一中学",
                        contact="何丽 0591-83316688",
                        facts="第一中标候选人拟派项目经理的安全生产考核合格证（B证）在合同工期内到期，不满足招标文件"
                        "第三章的要求；招标人的答复未说明核查依据。",
                        request="责令招标人重新核查第一中标候选人的项目经理资格，并依法确定中标人。",
                        legal_basis="《中华人民共和国招标投标法实施条例》第五十四条、第六十条",
                        signed=True,
                        prior_case_id=objection_id,
                    ),
                )
            made += 1
    return made


def _procurement(session_factory, cal, today, walk, people, project_id: int) -> int:
    with session_factory() as session:
        challenge = service.file(
            session,
            people["supplier4"],
            CaseIn(
                kind="challenge",
                project_id=project_id,
                matter="result",
                respondent="示范市第一中学、福建中正招标代理有限公司",
                contact="供应商投标专员 0591-87001234",
                facts=CHALLENGE,
                request="重新评审技术部分，依法另行确定成交供应商。",
                legal_basis="《政府采购质疑和投诉办法》第十条、第十六条",
                signed=True,
            ),
        )
        challenge_id = challenge.id
    walk.set(_local(_working_day(cal, today, 3), 15, 0))
    with session_factory() as session:
        answering.answer(session, people["agency"], challenge_id, text=CHALLENGE_ANSWER, founded=False)
    walk.set(_local(_working_day(cal, today, 2), 9, 30))
    with session_factory() as session:
        complaint_id = service.file(
            session,
            people["supplier4"],
            CaseIn(
                kind="gp_complaint",
                project_id=project_id,
                matter="result",
                respondent="示范市第一中学、福建中正招标代理有限公司",
                contact="供应商投标专员 0591-87001234",
                facts=CHALLENGE + "采购代理机构的答复未附检测机构的书面核实意见。",
                request=COMPLAINT_REQUEST,
                legal_basis="《中华人民共和国政府采购法》第五十五条；《政府采购质疑和投诉办法》第十七条",
                signed=True,
                prior_case_id=challenge_id,
            ),
        ).id
    walk.set(_local(_working_day(cal, today, 1), 9, 0))
    with session_factory() as session:
        handling.accept(session, people["finance"], complaint_id, note="投诉书内容齐全，予以受理")
    with session_factory() as session:
        handling.send_copy(session, people["finance"], complaint_id)
    return 2
