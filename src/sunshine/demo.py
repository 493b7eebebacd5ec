"""Realistic demo data: the centre, its supervising departments, agencies, purchasers and bidders,
and one account per role. Idempotent: a second run changes nothing.

When the log is still empty the loader walks an adjustable clock through the last months, so that
registrations carry plausible dates; otherwise it records at the present time (the log never runs
backwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from rich.console import Console
from rich.table import Table

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.db import Database
from sunshine.demo_auctions import load_demo_auctions
from sunshine.demo_bidding import load_demo_bidding
from sunshine.demo_trading import load_demo_trading
from sunshine.identity import credit_code, service
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

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
    ("industry", "交通运输局建设管理科 蔡明", [Role.INDUSTRY_SUPERVISOR], "transport"),
    ("committee", "公管办 综合科 方华", [Role.COMMITTEE_OFFICE], "office"),
    ("govaffairs", "政务办 督查科 余婷", [Role.GOVERNMENT_AFFAIRS], "office"),
    ("evaluator", "第三方评估机构 评估员 钟诚", [Role.EVALUATOR], None),
]


def _months(real_now: datetime) -> list[tuple[date, date]]:
    """The last twelve calendar months up to yesterday, oldest first, as (first day, last day)."""
    today = real_now.astimezone(get_settings().tz).date()
    first = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    out = []
    while first <= today:
        nxt = (first + timedelta(days=32)).replace(day=1)
        out.append((first, min(nxt - timedelta(days=1), today - timedelta(days=1))))
        first = nxt
    return [(a, b) for a, b in out if a <= b]


def _load_disclosure(db: Database, demo_clock: AdjustableClock | None, real_now: datetime) -> int:
    """The disclosure catalog, policies, and — on a fresh log — a year of proactive disclosure and of
    information requests. The two histories are walked one after the other on the same months; the
    ledger never runs backwards, so the second one's entries carry the later of their own time and
    the log's last time."""
    from sunshine import demo_channels, demo_disclosure, demo_inforequests

    demo_disclosure.load_catalog(db)
    made = demo_channels.load(db)
    if demo_clock is None:
        return made
    months = _months(real_now)
    year_start = datetime.combine(months[0][0], time(8, 0), get_settings().tz)
    for seed in (demo_disclosure.seed_month, demo_inforequests.seed_month):
        demo_clock.set(year_start)
        for first, last in months:
            seed(db, demo_clock, first, last)
    return made + len(months)


def load_demo_data(db: Database, console: Console | None = None) -> Table:
    console = console or Console()
    with db.unit_of_work() as session:
        fresh = ledger.size(session) == 0
    real_now = clock.now()
    start = real_now - timedelta(days=400) if fresh else real_now
    demo_clock = AdjustableClock(start) if fresh else clock.current()
    created = 0
    with use_clock(demo_clock), db.unit_of_work() as session:
        ids: dict[str, int] = {}
        for org in ORGS:
            code = credit_code.complete(org.prefix17)
            existing = service.find_organisation_by_code(session, code)
            if existing is None:
                existing = service.create_organisation(
                    session,
                    name=org.name,
                    credit_code_value=code,
                    kind=org.kind,
                    region_code=REGION,
                    contact_phone=org.phone,
                    address=org.address,
                )
                created += 1
                if fresh:
                    demo_clock.advance(timedelta(days=1, hours=3))
            ids[org.key] = existing.id
        existing_users = {u.username for u in service.list_users(session)}
        for username, name, roles, org_key in USERS:
            if username in existing_users:
                continue
            service.create_user(
                session,
                username=username,
                display_name=name,
                password=DEMO_PASSWORD,
                roles=roles,
                organisation_id=ids[org_key] if org_key else None,
            )
            created += 1
            if fresh:
                demo_clock.advance(timedelta(hours=10))
        if created:
            ledger.sign_head(session)
    with use_clock(demo_clock):
        created += _load_disclosure(db, demo_clock if fresh else None, real_now)
        if fresh:
            demo_clock.set(real_now - timedelta(days=100))
        created += load_demo_trading(db.unit_of_work, demo_clock if fresh else None, real_now)
        created += load_demo_auctions(db, demo_clock if fresh else None, real_now)
        created += load_demo_bidding(db.unit_of_work, real_now)
        with db.unit_of_work() as session:
            ledger.sign_head(session)

    table = Table(
        "账号", "角色", "姓名", title=f"示范数据已就绪（新增 {created} 条）。示范账号的密码均为 {DEMO_PASSWORD}"
    )
    for username, name, roles, _ in USERS:
        table.add_row(username, "、".join(r.label for r in roles), name)
    return table
