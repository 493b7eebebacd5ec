"""Demo tender documents (招标文件编制、确认、备案、责令修改) and acknowledged changes (签收回执), run last:

- the centre switches the platform check on (a local adjustment of ``tender_docs_platform_check``) and keeps a
  procurement template whose mandatory clauses are checked;
- the school's canteen equipment procurement: drafted by the agency from the template, confirmed by the school,
  filed with the finance department, which orders a change (评分标准的本地企业加分); the agency redrafts, the
  school confirms again, the second version is filed and the notice published; three firms register, the agency
  publishes a clarification, and one of the three has acknowledged it so far.

Idempotent: nothing is made when any template exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import SunshineError
from sunshine.demo.base import DemoProject, org_ids, principal, register_project
from sunshine.rules import service as rules
from sunshine.tenderdocs import acks, service
from sunshine.tenderdocs.models import TenderTemplate
from sunshine.trading import notices, registrations
from sunshine.trading import service as trading
from sunshine.trading.models import Registration, Section

CANTEEN = DemoProject(
    key="gov_procurement.open_tender",
    name="示范市第一中学食堂设备采购项目",
    tenderer="school",
    budget="1680000.00",
    sections=(("第一包：食堂厨房设备", "1680000.00"),),
    stage="open",
)
CLAUSES = [
    ("invitation", "投标邀请", True),
    ("qualification", "投标人资格要求", True),
    ("requirements", "采购需求（技术、商务要求）", True),
    ("invalid_bids", "无效投标条款", True),
    ("evaluation_method", "评标方法和评分标准", True),
    ("contract_terms", "合同主要条款", True),
    ("samples", "样品要求", False),
]
DRAFT = {
    "invitation": "示范市第一中学委托中正招标对食堂设备进行公开招标，欢迎合格供应商参加投标。",
    "qualification": "具有独立承担民事责任的能力；具有良好的商业信誉；参加采购活动前三年内无重大违法记录。",
    "requirements": "商用燃气灶、蒸饭柜、消毒柜等共42项，交货期30日，质保期两年。",
    "invalid_bids": "未按要求签署、密封的；报价超过最高限价的；不满足带“★”条款的，投标无效。",
    "evaluation_method": "综合评分法：价格30分，技术45分，商务15分，本地企业加10分。",
    "contract_terms": "验收合格后30日内支付合同价款的95%，余款质保期满后支付。",
}
CHANGED = dict(DRAFT, evaluation_method="综合评分法：价格30分，技术50分，商务20分。")


def load_demo_tenderdocs(session_factory) -> int:
    with session_factory() as session:
        if session.scalar(select(func.count()).select_from(TenderTemplate)):
            return 0
        people = {
            n: principal(session, n)
            for n in ("agency", "centre", "finance", "tenderer", "bidder", "bidder2", "bidder3")
        }
        orgs = org_ids(session)
        if "school" not in orgs or "agency1" not in orgs:
            return 0
        rules.set_override(
            session,
            actor=people["centre"],
            key="centre.service",
            rule_id=service.CENTRE_RULE,
            value=1,
            reason="示范：交易中心已启用招标文件范本库，此后登记的政府采购招标项目须在平台完成招标文件确认和备案",
        )
        template = service.create_template(
            session,
            people["centre"],
            transaction_type="gov_procurement",
            name="政府采购货物和服务招标文件范本（2026年版）",
            clauses=[service.Clause(k, t, m) for k, t, m in CLAUSES],
        )
        template_id = template.id
    clock_ = clock.current()
    tick = getattr(clock_, "advance", None)

    def later(minutes: int = 30) -> None:
        if tick is not None:
            tick(timedelta(minutes=minutes))

    later()
    with session_factory() as session:
        # registered by the agency's other staff member: the seals demo, run before, declares for the most recent
        # projects the "agency" account registered, and a second load must find nothing new to do
        registrar = principal(session, "agencysigner")
        project = register_project(session, dict(people, agency=registrar), orgs, CANTEEN)
        trading.accept(session, people["centre"], project.id)
        pid = project.id
    steps = [
        lambda s: service.draft(s, people["agency"], pid, template_id=template_id, clauses=DRAFT),
        lambda s: service.confirm(s, people["tenderer"], pid),
        lambda s: service.file(s, people["agency"], pid),
        lambda s: service.order_change(
            s, people["finance"], pid, reason="评分标准设“本地企业加10分”，构成对外地供应商的差别待遇，应删除并调整分值"
        ),
        lambda s: service.draft(s, people["agency"], pid, template_id=template_id, clauses=CHANGED),
        lambda s: service.confirm(s, people["tenderer"], pid),
        lambda s: service.file(s, people["agency"], pid),
    ]
    for step in steps:
        later()
        with session_factory() as session:
            step(session)
    later()
    with session_factory() as session:
        now = clock.now()
        tz = get_settings().tz  # the opening (at the deadline) falls within the rooms' opening hours
        deadline = datetime.combine((now + timedelta(days=30)).astimezone(tz).date(), time(9, 30), tzinfo=tz)
        first = notices.publish_first_notice(
            session,
            people["agency"],
            pid,
            kind="tender",
            title=f"{CANTEEN.name}招标公告",
            body_html="<p>一、项目概况：食堂厨房设备42项。</p><p>二、获取招标文件：在本平台报名后下载。</p>",
            docs_issued_at=now,
            docs_sale_end=now + timedelta(days=8),
            bid_deadline=deadline,
        ).id
        section = session.scalar(select(Section.id).where(Section.project_id == pid))
    for n, who in enumerate(("bidder", "bidder2", "bidder3")):
        later(60)
        try:
            with session_factory() as session:
                registrations.register_bidder(session, people[who], pid, section, "投标联系人", f"1380013800{n}")
        except SunshineError:
            continue  # a firm the market register has not approved in this demo
    later(60)
    with session_factory() as session:
        clarification = notices.publish_amendment(
            session,
            people["agency"],
            pid,
            first,
            kind="clarification",
            title=f"{CANTEEN.name}澄清公告",
            body_html="<p>采购需求第12项“蒸饭柜”容量澄清为：不少于24盘。</p>",
        ).id
    later(90)
    with session_factory() as session:
        # the holder acknowledges only where it registered above (a firm the market register did not approve
        # could not): asked of the registrations, not guessed from a refusal
        holder = session.scalar(
            select(Registration.id).where(
                Registration.project_id == pid,
                Registration.organisation_id == people["bidder"].organisation_id,
                Registration.withdrawn_at.is_(None),
            )
        )
        if holder is not None:
            acks.acknowledge(session, people["bidder"], clarification)
    return 1 + len(steps) + 2
