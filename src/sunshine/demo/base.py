"""What every demo area shares: the demo organisations and accounts, the principal a demo step acts as,
the organisations' ids by their demo key, and the demo project with its registration through the
trading service. The area modules import this; it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.identity import credit_code
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind, User
from sunshine.identity.roles import Role
from sunshine.rules.registry import registry
from sunshine.trading import service as trading
from sunshine.trading.models import Project
from sunshine.trading.schemas import ProjectIn, SectionIn

DEMO_PASSWORD = "sunshine-demo-2026"
REGION = "350100"


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    prefix17: str
    kind: OrganisationKind
    phone: str
    address: str


ORGS = [
    DemoOrg(
        "centre",
        "示范市公共资源交易中心",
        "12350100MB0381726",
        OrganisationKind.CENTRE,
        "0591-87654321",
        "示范市鼓楼区湖东路168号",
    ),
    DemoOrg(
        "housing",
        "示范市住房和城乡建设局",
        "11350100MB0165432",
        OrganisationKind.DEPARTMENT,
        "0591-87110000",
        "示范市鼓楼区北大路88号",
    ),
    DemoOrg(
        "finance",
        "示范市财政局",
        "11350100MB0178265",
        OrganisationKind.DEPARTMENT,
        "0591-87120000",
        "示范市鼓楼区东街92号",
    ),
    DemoOrg(
        "office",
        "示范市人民政府办公室（政务公开办）",
        "11350100MB0100019",
        OrganisationKind.DEPARTMENT,
        "0591-87130000",
        "示范市鼓楼区鼓屏路1号",
    ),
    DemoOrg(
        "agency1",
        "福建中正招标代理有限公司",
        "91350100MA34X6Y18",
        OrganisationKind.AGENCY,
        "0591-83301234",
        "示范市台江区江滨中大道356号",
    ),
    DemoOrg(
        "agency2",
        "示范市政采咨询服务有限公司",
        "91350100MA31P2K5N",
        OrganisationKind.AGENCY,
        "0591-83305678",
        "示范市仓山区浦上大道208号",
    ),
    DemoOrg(
        "school",
        "示范市第一中学",
        "12350100488123456",
        OrganisationKind.PURCHASER,
        "0591-83721111",
        "示范市鼓楼区华林路21号",
    ),
    DemoOrg(
        "transport",
        "示范市交通运输局",
        "11350100MB0192837",
        OrganisationKind.PURCHASER,
        "0591-87140000",
        "示范市晋安区福新中路99号",
    ),
    DemoOrg(
        "build1",
        "闽江建设工程有限公司",
        "91350100MA2YBC7Q1",
        OrganisationKind.ENTERPRISE,
        "0591-88001001",
        "示范市马尾区江滨东大道100号",
    ),
    DemoOrg(
        "build2",
        "榕城路桥集团有限公司",
        "91350100MA2XRT4L9",
        OrganisationKind.ENTERPRISE,
        "0591-88002002",
        "示范市晋安区连江北路18号",
    ),
    DemoOrg(
        "build3",
        "海西市政工程有限公司",
        "91350100MA33GH8K2",
        OrganisationKind.ENTERPRISE,
        "0591-88003003",
        "示范市长乐区航城街道数字路3号",
    ),
    DemoOrg(
        "supply1",
        "福建智联信息技术有限公司",
        "91350100MA35PQ1W6",
        OrganisationKind.ENTERPRISE,
        "0591-88004004",
        "示范市闽侯县上街镇高新大道66号",
    ),
    DemoOrg(
        "supply2",
        "示范市绿洲物业服务有限公司",
        "91350100MA2WUN3D5",
        OrganisationKind.ENTERPRISE,
        "0591-88005005",
        "示范市台江区五一中路12号",
    ),
    DemoOrg(
        "land_bureau",
        "示范市自然资源和规划局",
        "11350100MB0145678",
        OrganisationKind.DEPARTMENT,
        "0591-87150000",
        "示范市鼓楼区五四路137号",
    ),
    DemoOrg(
        "ecology",
        "示范市生态环境局",
        "11350100MB0156789",
        OrganisationKind.DEPARTMENT,
        "0591-87160000",
        "示范市鼓楼区湖东路196号",
    ),
    DemoOrg(
        "state_capital",
        "示范市国有资本投资运营集团有限公司",
        "91350100MA2Y0G7P3",
        OrganisationKind.ENTERPRISE,
        "0591-87170000",
        "示范市台江区广达路108号",
    ),
    DemoOrg(
        "water",
        "示范水务集团有限公司",
        "91350100MA2XW8T61",
        OrganisationKind.PURCHASER,
        "0591-87180000",
        "示范市鼓楼区东街33号",
    ),
    DemoOrg(
        "village",
        "示范市鼓楼区洪山镇西洪村股份经济合作社",
        "N2350102MF0123456",
        OrganisationKind.PURCHASER,
        "0591-87190000",
        "示范市鼓楼区洪山镇西洪村",
    ),
]

USERS = [
    ("admin", "系统管理员 林涛", [Role.ADMIN], "centre"),
    ("centre", "交易中心 陈静", [Role.CENTRE_STAFF], "centre"),
    ("disclosure", "政务公开办 王芳", [Role.DISCLOSURE_OFFICE], "office"),
    ("supervisor", "住建局监督科 郑伟", [Role.SUPERVISOR], "housing"),
    ("finance", "财政局采购监管处 黄敏", [Role.SUPERVISOR], "finance"),
    ("agency", "中正招标 刘洋", [Role.AGENCY], "agency1"),
    ("tenderer", "第一中学 后勤处 吴刚", [Role.TENDERER], "school"),
    ("bidder", "闽江建设 投标专员 何丽", [Role.BIDDER], "build1"),
    ("bidder2", "榕城路桥 投标专员 许强", [Role.BIDDER], "build2"),
    ("bidder3", "海西市政 投标专员 陈磊", [Role.BIDDER], "build3"),
    ("expert", "评标专家 高建国", [Role.EXPERT], None),
    ("observer", "社会监督员 李秀英", [Role.SOCIAL_SUPERVISOR], None),
    ("entadmin", "闽江建设 企业管理员 周敏", [Role.ENTERPRISE_ADMIN], "build1"),
    ("signer", "闽江建设 签章人 林峰", [Role.SIGNER], "build1"),
    ("viewer", "闽江建设 资料员 黄琳", [Role.ORG_VIEWER], "build1"),
    ("industry", "交通运输局建设管理科 蔡明", [Role.INDUSTRY_SUPERVISOR], "transport"),
    ("committee", "公管办 综合科 方华", [Role.COMMITTEE_OFFICE], "office"),
    ("govaffairs", "政务办 督查科 余婷", [Role.GOVERNMENT_AFFAIRS], "office"),
    ("evaluator", "第三方评估机构 评估员 钟诚", [Role.EVALUATOR], None),
    # electronic seals (demo/seals.py): the signers of the documents the agency, the centre and the office issue,
    # and who approves their keys
    ("agencysigner", "中正招标 签章人 赵敏", [Role.AGENCY, Role.SIGNER], "agency1"),
    ("agencyadmin", "中正招标 企业管理员 孙立", [Role.ENTERPRISE_ADMIN], "agency1"),
    ("centresigner", "交易中心 签章人 郭宁", [Role.SIGNER], "centre"),
    ("centreadmin", "交易中心 密钥管理员 邓辉", [Role.ENTERPRISE_ADMIN], "centre"),
    ("officesigner", "政务公开办 签章人 朱琳", [Role.DISCLOSURE_OFFICE, Role.SIGNER], "office"),
    ("officeadmin", "政务公开办 密钥管理员 潘雪", [Role.ENTERPRISE_ADMIN], "office"),
    # the land bureau's staff who signs the transfer contract of the sold land listing (demo/awards.py)
    ("landbureau", "自然资源和规划局 利用科 马骏", [Role.TENDERER], "land_bureau"),
]


def principal_of(session: Session, user_id: int) -> Principal:
    """The principal of a demo account, with every role it holds."""
    user = identity.get_user(session, user_id)
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(Role(r.role) for r in user.roles),
        organisation_id=user.organisation_id,
    )


def principal(session: Session, username: str) -> Principal:
    """The principal of the demo account ``username``."""
    return principal_of(session, session.scalar(select(User.id).where(User.username == username)))


def org_ids(session: Session) -> dict[str, int]:
    """The ids of the demo organisations that exist, by their demo key."""
    keys = {credit_code.complete(o.prefix17): o.key for o in ORGS}
    return {keys[o.credit_code]: o.id for o in session.scalars(select(Organisation)) if o.credit_code in keys}


@dataclass(frozen=True)
class DemoProject:
    key: str
    name: str
    tenderer: str  # demo organisation key
    budget: str
    sections: tuple[tuple[str, str], ...]
    stage: str  # closed | open | terminated | suspended | accepted | queued | returned
    green: str | None = None
    funding: str = "财政资金"
    items: tuple[str, ...] = ()  # each section's 品目分类代码 (trading/item_classes.yaml), in order


def register_project(
    session: Session, people: dict[str, Principal], orgs: dict[str, int], demo: DemoProject
) -> Project:
    """Register ``demo`` through the trading service, by the demo agency, under the pack in force today."""
    pack = registry().in_force(demo.key, clock.today_local())
    data = ProjectIn(
        name=demo.name,
        transaction_type=pack.transaction_type,
        method=pack.method,
        tenderer_id=orgs[demo.tenderer],
        agency_id=orgs["agency1"],
        budget=Decimal(demo.budget),
        region_code=REGION,
        funding_source=demo.funding,
        evaluation_method="综合评估法" if pack.lifecycle == "tender" else None,
        description=f"{demo.name}。项目已具备交易条件，资金已落实。",
        green_channel=demo.green is not None,
        green_reason=demo.green,
        sections=[
            SectionIn(
                name=n,
                estimate=Decimal(e),
                qualification="具有独立法人资格，具备相应资质，近三年无重大违法记录",
                item_classification=demo.items[i] if i < len(demo.items) else None,
            )
            for i, (n, e) in enumerate(demo.sections)
        ],
    )
    return trading.register(session, people["agency"], data)
