"""Demo market participants (市场主体库) at every stage of the centre's review: a registration waiting for review,
one returned for correction with the reasons, one approved (with a change of its bank account waiting), one not
admitted, and an agency with its professional staff; plus the entrustment agreement (委托代理协议) of a demo
project between the school and its agency. Everything goes through ``market.service`` and ``market.people``.
Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from sunshine.core import clock
from sunshine.core.content import Upload
from sunshine.demo.base import DEMO_PASSWORD, org_ids, principal
from sunshine.identity import credit_code
from sunshine.market import people, service
from sunshine.market.models import Entrustment, Participant
from sunshine.trading.models import Project

LICENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class DemoParticipant:
    username: str
    admin_name: str
    kind: str
    name: str
    prefix17: str
    org_type: str
    address: str
    region: str
    outcome: str  # pending | returned | approved | rejected | change
    reasons: str = ""


PARTICIPANTS = [
    DemoParticipant(
        "ludao",
        "鹭岛建设 管理员 林晓",
        "enterprise",
        "厦门鹭岛建设工程有限公司",
        "91350203MA2Y7K3L0",
        "limited",
        "厦门市思明区湖滨南路100号",
        "350203",
        "pending",
    ),
    DemoParticipant(
        "citong",
        "刺桐机电 管理员 蔡志强",
        "enterprise",
        "泉州刺桐机电安装有限公司",
        "91350503MA31QX5P2",
        "limited",
        "泉州市丰泽区田安南路25号",
        "350503",
        "returned",
        "营业执照扫描件缺少副本页，且银行开户名称与单位名称不一致，请补正后重新提交。",
    ),
    DemoParticipant(
        "xiangjiang",
        "芗江园林 管理员 郭丽",
        "enterprise",
        "漳州芗江园林绿化工程有限公司",
        "91350602MA2XR81D6",
        "limited",
        "漳州市芗城区胜利西路8号",
        "350602",
        "change",
    ),
    DemoParticipant(
        "wuyi",
        "武夷贸易 管理员 詹平",
        "enterprise",
        "南平武夷商贸有限公司",
        "91350702MA32A0C94",
        "sole",
        "南平市延平区滨江中路66号",
        "350702",
        "rejected",
        "提交的营业执照已被市场监督管理部门注销，不能登记为市场主体。",
    ),
    DemoParticipant(
        "rongxin",
        "榕信咨询 管理员 王珊",
        "agency",
        "福州榕信工程咨询有限公司",
        "91350102MA2YB6Q57",
        "limited",
        "福州市鼓楼区五四路158号",
        "350102",
        "approved",
    ),
]
STAFF = [
    ("王珊", "tender_engineer", "ZBS2019350100123", 1200),
    ("郑立", "cost_engineer", "JZ35201800456", 800),
    ("刘德明", "constructor_1", "闽1352015201607890", None),
]


def _facts(p: DemoParticipant, **overrides: str) -> service.Facts:
    values = {
        "name": p.name,
        "org_type": p.org_type,
        "legal_representative": p.admin_name.split(" ")[-1],
        "address": p.address,
        "region_code": p.region,
        "contact_name": p.admin_name.split(" ")[-1],
        "contact_phone": "13905910000",
        "contact_email": f"{p.username}@example.cn",
        "bank_name": "中国工商银行福州分行",
        "bank_account_name": p.name,
        "bank_account_number": "1402020109000012345",
    }
    values.update(overrides)
    return service.Facts(**values)


def load_demo_market(session_factory) -> int:
    with session_factory() as session:
        if session.scalar(select(Participant.organisation_id).limit(1)) is not None:
            return 0
    made = 0
    for p in PARTICIPANTS:
        code = credit_code.complete(p.prefix17)
        with session_factory() as session:
            app = service.register(
                session,
                kind=p.kind,
                credit_code=code,
                facts=_facts(p),
                licence=Upload("营业执照.pdf", LICENCE, "application/pdf"),
                username=p.username,
                display_name=p.admin_name,
                password=DEMO_PASSWORD,
            )
            app_id = app.id
        made += 1
        if p.outcome == "pending":
            continue
        with session_factory() as session:
            centre = principal(session, "centre")
            decision = {"returned": "return", "rejected": "reject"}.get(p.outcome, "approve")
            service.decide(session, centre, app_id, decision, p.reasons)
        if p.outcome == "change":
            with session_factory() as session:
                admin = principal(session, p.username)
                service.apply_change(
                    session,
                    admin,
                    _facts(p, bank_name="兴业银行漳州分行", bank_account_number="181010100100123456"),
                    None,
                )
        if p.kind == "agency":
            with session_factory() as session:
                admin = principal(session, p.username)
                for name, qualification, number, days in STAFF:
                    valid = clock.today_local() + timedelta(days=days) if days else None
                    people.add_staff(
                        session,
                        admin,
                        name=name,
                        qualification=qualification,
                        certificate_number=number,
                        valid_until=valid,
                    )
    return made + _entrustment(session_factory)


def _entrustment(session_factory) -> int:
    with session_factory() as session:
        school = org_ids(session).get("school")
        project = session.scalar(
            select(Project).where(Project.tenderer_id == school, Project.agency_id.is_not(None)).order_by(Project.id)
        )
        if project is None or session.scalar(select(Entrustment.id).where(Entrustment.project_id == project.id)):
            return 0
        people.record_entrustment(
            session,
            principal(session, "tenderer"),
            project.id,
            scope="编制招标文件、发布招标公告、组织开标评标、协助签订合同等招标代理全过程服务",
            signed_on=clock.today_local() - timedelta(days=20),
            agreement=Upload("委托代理协议.pdf", LICENCE + b"% entrustment", "application/pdf"),
        )
    return 1
