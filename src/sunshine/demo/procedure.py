"""Demo of the procedure before the notice (run after the expert pool and the committees' demo, on a fresh log):

- the school's laboratory instruments procurement (4,600,000 yuan, 交易目录 ZC-01, conducted by the school
  itself) fails twice for want of bids; the school asks for two experts drawn from the pool for the method
  change opinion, applies to the finance department with their opinion, the statement on the notices and its
  request; the department approves, and the project is registered again as a competitive negotiation;
- the school's flood-damaged sports ground retaining wall: a direct award without tender for emergency repair
  (抢险救灾), approved by the supervisory department and disclosed.

The two tenders are walked on the demo clock in the weeks before the present (the clock is set back for them
and returned to where it was). Idempotent: nothing is made when the procurement exists.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from sunshine.bidding import opening
from sunshine.committees import drawing
from sunshine.committees import service as committees
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock
from sunshine.demo.base import REGION, org_ids, principal
from sunshine.demo.committees import _codes, _room
from sunshine.procedure import direct_award, method_change
from sunshine.trading import lifecycle, notices
from sunshine.trading import service as trading
from sunshine.trading.models import Project, Section
from sunshine.trading.schemas import ProjectIn, SectionIn

NAME = "示范市第一中学实验室仪器设备采购项目"
BUDGET = Decimal("4600000.00")


def _publish(session, who, project_id: int) -> None:
    now = clock.now()
    project = session.get(Project, project_id)
    notices.publish_first_notice(
        session,
        who,
        project_id,
        kind="tender",
        title=f"{project.name}招标公告",
        body_html="<p>采购需求：理化生实验室仪器设备一批。投标人资格要求、获取招标文件的时间和方式见招标文件。</p>",
        bid_deadline=now + timedelta(days=25),
        docs_issued_at=now,
        docs_sale_end=now + timedelta(days=16),
    )


def _fail(session_factory, demo_clock: AdjustableClock, project_id: int) -> None:
    demo_clock.advance(timedelta(days=25, minutes=5))
    with session_factory() as session:
        lifecycle.apply(session, session.get(Project, project_id), "close_bidding", trading.SYSTEM)
    with session_factory() as session:
        opening.start_due(session, project_id)  # no bid: the opening does not take place, 流标


def load_demo_procedure(session_factory, demo_clock: AdjustableClock | None) -> int:
    """Create the demo (see the module's description). Returns how many records were made."""
    if demo_clock is None:
        return 0
    with session_factory() as session:
        if session.scalar(select(Project.id).where(Project.name == NAME)) is not None:
            return 0
        people = {n: principal(session, n) for n in ("centre", "finance", "supervisor", "tenderer")}
        orgs = org_ids(session)
    back_to = clock.now()
    demo_clock.set(back_to - timedelta(days=70))
    try:
        with session_factory() as session:
            data = ProjectIn(
                name=NAME,
                transaction_type="gov_procurement",
                method="open_tender",
                tenderer_id=orgs["school"],
                agency_id=None,  # 自行组织采购: the school registers and publishes itself
                budget=BUDGET,
                region_code=REGION,
                funding_source="财政资金",
                evaluation_method="综合评分法",
                sections=[SectionIn(name="理化生实验室仪器设备", estimate=BUDGET, qualification="具有独立法人资格")],
            )
            first = trading.register(session, people["tenderer"], data).id
            trading.accept(session, people["centre"], first)
            _publish(session, people["tenderer"], first)
        _fail(session_factory, demo_clock, first)
        demo_clock.advance(timedelta(days=1))
        with session_factory() as session:
            second = trading.retender(session, people["tenderer"], first).id
            trading.accept(session, people["centre"], second)
            _publish(session, people["tenderer"], second)
        _fail(session_factory, demo_clock, second)
        demo_clock.set(max(clock.now() + timedelta(days=1), back_to - timedelta(days=10)))
        with session_factory() as session:
            codes = _codes(session, "B") or _codes(session, "C") or _codes(session, "A")
            section_id = session.scalar(select(Section.id).where(Section.project_id == second))
            request = committees.submit(
                session,
                people["tenderer"],
                second,
                committees.RequestIn(
                    section_id=section_id,
                    purpose="method_opinion",
                    specialties=[(codes[0], 2)],
                    reserve=0,
                    representatives=0,
                    meeting_at=clock.now() + timedelta(days=1),
                    place_kind="room",
                    place="第二评审室",
                ),
            )
            rid = request.id
        with session_factory() as session:
            committees.approve(session, people["finance"], rid)
        with session_factory() as session:
            code = drawing.start_draw(session, people["centre"], rid).draw_code
        _room(session_factory, people, code, "finance", finish=True, party="tenderer")
        demo_clock.advance(timedelta(days=2))
        with session_factory() as session:
            application = method_change.apply_for(
                session,
                people["tenderer"],
                second,
                method="competitive_negotiation",
                draw_request_id=rid,
                expert_opinion="经审查，招标文件的资格条件、技术要求和评分标准没有不合理条款，流标系潜在供应商不足所致。",
                agency_statement="两次招标公告的发布媒体、公告期限和开标程序均符合规定（自行组织采购，由采购人出具）。",
                request_text="本项目连续两次公开招标失败，申请变更为竞争性谈判方式采购。",
            )
        demo_clock.advance(timedelta(days=3))
        with session_factory() as session:
            method_change.decide(
                session,
                people["finance"],
                application.id,
                approve=True,
                decision="示财采〔2026〕35号：同意变更为竞争性谈判",
            )
        demo_clock.advance(timedelta(days=1))
        with session_factory() as session:
            third = trading.retender(session, people["tenderer"], second, method="competitive_negotiation").id
            trading.accept(session, people["centre"], third)
        with session_factory() as session:
            award = direct_award.apply_for(
                session,
                people["tenderer"],
                name="示范市第一中学运动场挡土墙水毁抢险修复工程",
                tenderer_id=orgs["school"],
                budget=Decimal("4800000.00"),
                funding_source="财政资金",
                region_code=REGION,
                reason="emergency",
                explanation="强降雨致运动场挡土墙局部垮塌，危及相邻教学楼，须立即抢险修复，不宜招标。",
                contractor="示范建设集团有限公司",
            )
        demo_clock.advance(timedelta(days=1))
        with session_factory() as session:
            direct_award.decide(
                session, people["supervisor"], award.id, approve=True, decision="示住建监〔2026〕17号：同意直接发包"
            )
    finally:
        demo_clock.set(max(back_to, clock.now()))
    return 5
