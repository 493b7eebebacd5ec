"""Demo trading history: one project for every transaction type and method of the rule packs, at
various stages — in the acceptance queue, returned, accepted, with notices running and bidders
registered and deposits paid, closed at the deadline, suspended and terminated.

Everything goes through the same services a user's request would, on a clock walked through the
last months, so every step is on the timeline and in the ledger at a plausible date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.clock import AdjustableClock
from sunshine.demo.base import DemoProject, org_ids, principal, register_project
from sunshine.trading import deposits, notice_kinds, notice_schedule, notices, registrations, service, visibility
from sunshine.trading.models import Project

LATER_START = ("listing", "auction")  # 出让/挂牌: the notice runs before bidding or listing starts

PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        "engineering.open_tender",
        "示范市滨江路（湖东路—五一路）道路提升改造工程施工",
        "transport",
        "36800000.00",
        (("第一标段：道路及排水工程", "21500000.00"), ("第二标段：景观及照明工程", "15300000.00")),
        "closed",
        items=("B02", "B06"),
    ),
    DemoProject(
        "gov_procurement.open_tender",
        "示范市第一中学智慧教室设备采购项目",
        "school",
        "2860000.00",
        (("包1：交互式黑板及录播系统", "1960000.00"), ("包2：学生平板电脑", "900000.00")),
        "closed",
        items=("A02", "A02"),
    ),
    DemoProject(
        "land.listing",
        "示范市马尾区2026-03号地块国有建设用地使用权挂牌出让",
        "land_bureau",
        "186000000.00",
        (("马尾区2026-03号地块（住宅用地，4.2公顷）", "186000000.00"),),
        "closed",
        funding="土地出让",
    ),
    DemoProject(
        "state_property.listing",
        "示范市国投集团所持示范水务有限公司20%股权转让",
        "state_capital",
        "48500000.00",
        (("示范水务有限公司20%股权", "48500000.00"),),
        "closed",
        funding="国有产权转让",
    ),
    DemoProject(
        "engineering.invited_tender",
        "示范市第一中学实验楼抗震加固工程施工",
        "school",
        "4200000.00",
        (("实验楼抗震加固施工", "4200000.00"),),
        "open",
    ),
    DemoProject(
        "engineering.open_tender",
        "示范市洪山镇乡村振兴示范村道路硬化工程",
        "transport",
        "6350000.00",
        (("村道硬化及安防工程", "6350000.00"),),
        "open",
        green="乡村振兴、民生改善项目，优先受理和发布",
    ),
    DemoProject(
        "engineering.small_works_draw",
        "示范市鼓楼区温泉街道老旧小区雨污分流改造",
        "transport",
        "386000.00",
        (("雨污分流改造施工", "386000.00"),),
        "open",
    ),
    DemoProject(
        "gov_procurement.competitive_consultation",
        "示范市第一中学校园物业管理服务采购",
        "school",
        "1380000.00",
        (("校园物业管理服务（三年）", "1380000.00"),),
        "open",
    ),
    DemoProject(
        "gov_procurement.enquiry",
        "示范市第一中学2027年度办公用品询价采购",
        "school",
        "186000.00",
        (("办公用品及耗材", "186000.00"),),
        "open",
    ),
    DemoProject(
        "land.auction",
        "示范市晋安区2026-07号地块国有建设用地使用权拍卖出让",
        "land_bureau",
        "92000000.00",
        (("晋安区2026-07号地块（商业用地，1.8公顷）", "92000000.00"),),
        "open",
        funding="土地出让",
    ),
    DemoProject(
        "mining.listing",
        "示范市永泰县某高岭土矿探矿权挂牌出让",
        "land_bureau",
        "3600000.00",
        (("高岭土矿探矿权", "3600000.00"),),
        "open",
        funding="矿业权出让",
    ),
    DemoProject(
        "emission.listing",
        "示范市2026年度化学需氧量排污权挂牌出让",
        "ecology",
        "520000.00",
        (("化学需氧量排污权 120 吨/年", "520000.00"),),
        "open",
        funding="排污权出让",
    ),
    DemoProject(
        "gov_procurement.competitive_negotiation",
        "示范市交通运输局应急抢险物资采购",
        "transport",
        "960000.00",
        (("防汛应急抢险物资", "960000.00"),),
        "terminated",
    ),
    DemoProject(
        "soe_procurement.open_tender",
        "示范水务集团管网漏损监测设备采购",
        "water",
        "3900000.00",
        (("管网漏损监测设备及安装", "3900000.00"),),
        "suspended",
        funding="企业自有资金",
    ),
    DemoProject(
        "mining.auction",
        "示范市闽侯县某建筑用花岗岩矿采矿权拍卖出让",
        "land_bureau",
        "12800000.00",
        (("建筑用花岗岩矿采矿权", "12800000.00"),),
        "accepted",
        funding="矿业权出让",
    ),
    DemoProject(
        "gov_procurement.single_source",
        "示范市交通运输局交通信号控制系统升级（原厂服务）",
        "transport",
        "740000.00",
        (("信号控制系统升级服务", "740000.00"),),
        "accepted",
    ),
    DemoProject(
        "rural_property.listing",
        "洪山镇西洪村集体果园经营权流转",
        "village",
        "360000.00",
        (("西洪村集体果园经营权（10年）", "360000.00"),),
        "queued",
        green="农村集体经济、民生项目",
    ),
    DemoProject(
        "gov_procurement.invited_tender",
        "示范市交通运输局公路养护检测服务采购",
        "transport",
        "1650000.00",
        (("公路技术状况检测服务", "1650000.00"),),
        "accepted",  # 邀请招标: its prequalification, draw of invitees and letters are walked by demo/invitations.py
    ),
    DemoProject(
        "land.tender",
        "示范市仓山区2026-12号地块国有建设用地使用权招标出让",
        "land_bureau",
        "265000000.00",
        (("仓山区2026-12号地块（商住用地，5.1公顷）", "265000000.00"),),
        "returned",
        funding="土地出让",
    ),
)

PAST_STAGES = frozenset({"closed", "terminated"})


def _schedule(project: Project, start: datetime) -> dict[str, datetime]:
    docs = (
        start + timedelta(days=35) if project.lifecycle in LATER_START or project.pack_key == "land.tender" else start
    )
    deadline = (docs + timedelta(days=50)).replace(hour=1, minute=30, second=0, microsecond=0)  # 09:30 北京时间
    out = {"docs_issued_at": docs, "bid_deadline": deadline, "docs_sale_end": docs + timedelta(days=12)}
    if project.lifecycle == "auction":
        out["opening_at"] = deadline
    return out


def _publish(session: Session, people: dict[str, Principal], project: Project) -> None:
    for section in project.sections:
        if deposits.maximum_amount(project, section) is not None:
            deposits.set_section_deposit(
                session,
                people["agency"],
                project.id,
                section.id,
                (section.estimate * Decimal("0.01")).quantize(Decimal("0.01")),
            )
    kind = notice_schedule.offered_first_kinds(project)[0]  # 邀请招标: the prequalification notice where the pack asks
    notices.publish_first_notice(
        session,
        people["agency"],
        project.id,
        kind=kind,
        title=f"{project.name}{notice_kinds.kind_label(kind)}",
        body_html=(
            f"<h2>{project.name}</h2><p>统一交易标识码：{project.code}</p>"
            "<p>一、项目概况：详见招标（采购、出让）文件。</p><p>二、投标人（竞买人）资格要求：见各标段资格条件。</p>"
            "<p>三、文件获取：在本平台报名后在线获取。</p>"
            "<p>四、监督部门及电话：示范市公共资源交易监督管理办公室 0591-87110000。</p>"
        ),
        **_schedule(project, clock.now()),
    )


def _bid(session: Session, people: dict[str, Principal], project: Project) -> None:
    if project.lifecycle == "single_source":
        return
    for username, method in (("bidder", "transfer"), ("bidder2", "guarantee")):
        bidder = people[username]
        for section in project.sections:
            reg = registrations.register_bidder(
                session,
                bidder,
                project.id,
                section.id,
                bidder.display_name[-2:],
                "13905910001" if username == "bidder" else "13805910002",
            )
            registrations.obtain_documents(session, bidder, reg.id)
            if section.deposit_amount is None:
                continue
            deposit = deposits.open_deposit(session, bidder, reg.id, method)
            if method == "transfer":
                deposits.confirm_transfer(session, people["centre"], deposit.id, section.deposit_amount)
            else:
                deposits.submit_guarantee(
                    session, bidder, deposit.id, f"BH{project.code[-8:]}{section.number:02d}", "示范市融资担保有限公司"
                )


def load_demo_trading(
    session_factory,
    demo_clock: AdjustableClock | None,
    real_now: datetime,
    *,
    on_current: Callable[[], int] | None = None,
    before_present: Callable[[], int] | None = None,
) -> int:
    """Create the demo projects unless there already are projects. Returns how many were made, with what the
    areas that walk the same weeks made: ``on_current`` runs when the current projects begin (about two weeks
    ago), ``before_present`` after them, before the clock reaches the present."""
    with session_factory() as session:
        if session.scalar(select(func.count()).select_from(Project)):
            return 0
        people = {
            name: principal(session, name)
            for name in ("agency", "centre", "supervisor", "finance", "bidder", "bidder2")
        }
        orgs = org_ids(session)

    def step(fn) -> None:
        with session_factory() as session:
            fn(session)

    def advance(days: float) -> None:
        if demo_clock is not None:
            demo_clock.advance(timedelta(days=days))

    made: dict[str, int] = {}

    def registered(demo: DemoProject):
        def _(session: Session) -> None:
            made[demo.name] = register_project(session, people, orgs, demo).id

        return _

    # Past projects: published about three months ago, so their deadlines have passed by now.
    for demo in (d for d in PROJECTS if d.stage in PAST_STAGES):
        step(registered(demo))
        advance(0.2)
        step(lambda s, d=demo: service.accept(s, people["centre"], made[d.name]))
        advance(0.1)
        step(lambda s, d=demo: _publish(s, people, visibility.get_visible(s, people["agency"], made[d.name])))
        advance(1)
        step(lambda s, d=demo: _bid(s, people, visibility.get_visible(s, people["agency"], made[d.name])))
        advance(2)
    for demo in (d for d in PROJECTS if d.stage == "terminated"):
        step(
            lambda s, d=demo: service.terminate(
                s, people["agency"], made[d.name], "采购需求发生重大变化，经采购人申请终止本次采购"
            )
        )
    if demo_clock is not None:
        demo_clock.set(max(demo_clock.now(), real_now - timedelta(days=12)))
    alongside = on_current() if on_current is not None else 0
    # Current projects, over the last two weeks.
    for demo in (d for d in PROJECTS if d.stage not in PAST_STAGES):
        step(registered(demo))
        advance(0.15)
        if demo.stage == "queued":
            continue
        if demo.stage == "returned":
            step(
                lambda s, d=demo: service.return_project(
                    s, people["centre"], made[d.name], "出让方案批复文件缺失，请补充自然资源主管部门的批复后重新提交"
                )
            )
            continue
        step(lambda s, d=demo: service.accept(s, people["centre"], made[d.name]))
        advance(0.1)
        if demo.stage == "accepted":
            continue
        step(lambda s, d=demo: _publish(s, people, visibility.get_visible(s, people["agency"], made[d.name])))
        advance(0.3)
        step(lambda s, d=demo: _bid(s, people, visibility.get_visible(s, people["agency"], made[d.name])))
        advance(0.2)
        if demo.stage == "suspended":
            step(
                lambda s, d=demo: service.suspend(
                    s, people["supervisor"], made[d.name], "收到投诉，依法暂停项目，待投诉处理完毕后恢复"
                )
            )
    alongside += before_present() if before_present is not None else 0
    if demo_clock is not None:
        demo_clock.set(max(demo_clock.now(), real_now))
    step(lambda s: service.close_due(s))
    return len(made) + alongside
