"""Demo evaluation (评标/评审), run after the draw requests' and the calls' demos: a procurement open tender of the
school (综合评分法, a 10% price deduction for small and micro enterprises declared) whose committee's session is
under way since the last working day —

- five suppliers sealed their bids, the opening record was confirmed (评审中);
- four experts drawn in the room (witnessed), called, confirmed and signed in, with the school's representative;
- every member declared no conflict, the committee elected an expert as its chair;
- one supplier rejected at the qualification review with its statutory reason and the facts, one asked to clarify
  its delivery time and answered on its own page, the others passed the compliance review (one declared an SME);
- two experts and the representative have scored; two experts have not yet (their workbench shows the session).

The drawn experts get the demo password (the loader's table names them, see demo/calling.py's ``account_rows``), so
an expert who has not scored yet can sign in and score. The suppliers are demo firms of their own, each with a
bidder account. Everything goes through the services on a clock of its own walked over the last weeks, the session
at 09:30 Beijing time on a working day, whatever the hour the demo is loaded. Idempotent: nothing is made when the
project exists.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from sunshine.bidding import envelope, opening, opening_confirmation
from sunshine.bidding import service as bidding
from sunshine.committees import calling, drawing
from sunshine.committees import service as committees
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo import bidding as demo_bidding
from sunshine.demo.base import DEMO_PASSWORD, REGION, DemoProject, org_ids, principal, principal_of, register_project
from sunshine.demo.committees import _codes
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.evaluation import declaration, reviews, scoring
from sunshine.evaluation import service as evaluation
from sunshine.experts.models import Expert
from sunshine.identity import credit_code
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind, User
from sunshine.identity.passwords import hash_password, verify_password
from sunshine.identity.roles import Role
from sunshine.trading import registrations, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Project

EQUIPMENT = DemoProject(
    "gov_procurement.open_tender",
    "示范市第一中学理化生实验室教学设备采购项目（示范）",
    "school",
    "2380000.00",
    (("第一包：理化生实验室教学设备", "2380000.00"),),
    "open",
)
CRITERIA = [
    {"code": "price", "title": "价格", "kind": "price", "max_score": "30"},
    {"code": "tech", "title": "技术参数响应及产品性能", "kind": "technical", "max_score": "50"},
    {"code": "service", "title": "售后服务及培训方案", "kind": "commercial", "max_score": "20"},
]
# (username, firm, 17-digit credit code prefix, account name, price)
SUPPLIERS = (
    ("supplier1", "示范市博睿教学设备有限公司", "91350100MA8EQ0001", "博睿教仪 投标专员 林晓", "2268000.00"),
    ("supplier2", "福建启明实验室工程有限公司", "91350100MA8EQ0002", "启明实验室 投标专员 张帆", "2315500.00"),
    ("supplier3", "示范市科创仪器设备有限公司", "91350100MA8EQ0003", "科创仪器 投标专员 王磊", "2199000.00"),
    ("supplier4", "海峡教育装备集团有限公司", "91350100MA8EQ0004", "海峡教育装备 投标专员 郑倩", "2342000.00"),
    ("supplier5", "示范市育才科教设备有限公司", "91350100MA8EQ0005", "育才科教 投标专员 黄涛", "2251800.00"),
)
REJECTED, ASKED, SME = 2, 1, 4  # indexes in SUPPLIERS
SHEETS = (("42", "16"), ("40", "17"), ("44", "15"))  # (tech, service) of the members who have scored


def _working_day_before(today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), get_settings().tz)


def _suppliers(session) -> list[int]:
    """The demo suppliers' organisations and bidder accounts (made when missing); their organisation ids."""
    users = {u.username for u in identity.list_users(session)}
    ids = []
    for username, firm, prefix, name, _ in SUPPLIERS:
        code = credit_code.complete(prefix)
        org = identity.find_organisation_by_code(session, code) or identity.create_organisation(
            session,
            name=firm,
            credit_code_value=code,
            kind=OrganisationKind.ENTERPRISE,
            region_code=REGION,
            contact_phone="0591-8720" + prefix[-4:],
            address="示范市仓山区金山工业区",
        )
        if username not in users:
            identity.create_user(
                session,
                username=username,
                display_name=name,
                password=DEMO_PASSWORD,
                roles=[Role.BIDDER],
                organisation_id=org.id,
            )
        ids.append(org.id)
    return ids


def _seal(session, bidder, project: Project, price: str, i: int) -> tuple[str, str]:
    section = project.sections[0]
    key = envelope.new_key()
    form = envelope.make_form(price, 45, "合格", f"交货期：合同签订后45个日历日内；质保期{3 + i % 2}年；免费上门培训")
    docs = [
        envelope.Document(
            "技术响应文件.txt",
            "text/plain",
            f"{project.name}\n技术参数逐条响应，主要设备均为国产品牌，附检测报告。\n".encode(),
        ),
        envelope.Document("报价一览表.csv", "text/csv", f"序号,项目,金额（元）\n1,合计,{price}\n".encode()),
    ]
    credit = session.get(Organisation, bidder.organisation_id).credit_code
    aad = envelope.binding(project.code, section.number, credit)
    sealed = envelope.seal(envelope.build_package(form, docs), key, aad)
    bid = bidding.submit(
        session,
        bidder,
        section.id,
        sealed,
        key_commitment=envelope.key_commitment(key),
        idempotency_key=f"demo-{project.code}-{bidder.username}",
    ).bid
    return bid.bid_no, envelope.key_to_text(key)


def load_demo_evaluation(session_factory, real_now: datetime) -> int:
    """Create the demo evaluation described above; returns how many projects were made (0 on a second load or
    when the expert pool's demo has not run)."""
    with session_factory() as session:
        if session.scalar(select(Project.id).where(Project.name == EQUIPMENT.name)) is not None:
            return 0
        goods = _codes(session, "B") or _codes(session, "C")
        if not goods:
            return 0
        firms = _suppliers(session)
        people = {n: principal(session, n) for n in ("agency", "centre", "finance", "tenderer")}
        bidders = [principal(session, s[0]) for s in SUPPLIERS]
        orgs = org_ids(session)
    day = _working_day_before(real_now.astimezone(get_settings().tz).date())
    deadline, meeting = _local(day, 9, 0), _local(day, 9, 30)
    walk = AdjustableClock(deadline - timedelta(days=32))
    with use_clock(walk):
        _walk(session_factory, walk, people, bidders, orgs, firms, goods, deadline, meeting)
    return 1


def _walk(session_factory, walk, people, bidders, orgs, firms, goods, deadline, meeting) -> None:
    with session_factory() as session:
        # registered by the agency's other staff member (as demo/tenderdocs.py does): the seals demo, run before,
        # declares for the most recent projects the "agency" account registered; a second load finds nothing to do
        registrar = principal(session, "agencysigner")
        project = register_project(session, dict(people, agency=registrar), orgs, EQUIPMENT)
        project.evaluation_method = declaration.method("comprehensive_scoring").title
        pid = project.id
    walk.advance(timedelta(hours=3))
    with session_factory() as session:
        trading.accept(session, people["centre"], pid)
    walk.advance(timedelta(hours=2))
    with session_factory() as session:
        project = visibility.get_visible(session, people["agency"], pid)
        demo_bidding._publish(session, people["agency"], project, deadline)
        sid = project.sections[0].id
        declaration.declare(
            session,
            people["agency"],
            sid,
            method_code="comprehensive_scoring",
            criteria=CRITERIA,
            price_weight="0.30",
            sme_deduction="0.10",
            candidates=3,
            category="goods",
        )
    walk.advance(timedelta(days=2))
    kept = []
    for i, bidder in enumerate(bidders):
        with session_factory() as session:
            reg = registrations.register_bidder(session, bidder, pid, sid, bidder.display_name[-2:], f"1395910{i:04d}")
            registrations.obtain_documents(session, bidder, reg.id)
    codes = goods[:2] if len(goods) > 1 else goods
    counts = [2, 2] if len(codes) > 1 else [4]
    walk.set(deadline - timedelta(days=3))
    with session_factory() as session:
        request_id = committees.submit(
            session,
            people["agency"],
            pid,
            committees.RequestIn(
                section_id=sid,
                purpose="evaluation",
                specialties=list(zip(codes, counts, strict=True)),
                reserve=2,
                representatives=1,
                meeting_at=meeting,
                place_kind="room",
                place="第一评标室",
            ),
        ).id
        committees.approve(session, people["finance"], request_id)
    for i, (bidder, supplier) in enumerate(zip(bidders, SUPPLIERS, strict=True)):
        walk.set(deadline - timedelta(days=2, hours=-i * 3))
        with session_factory() as session:
            kept.append((bidder, *_seal(session, bidder, visibility.get_visible(session, bidder, pid), supplier[4], i)))
    walk.set(deadline)
    with session_factory() as session:
        opening.start(session, trading.SYSTEM, visibility.get_visible(session, people["agency"], pid))
    for i, (bidder, bid_no, key) in enumerate(kept):
        walk.set(deadline + timedelta(minutes=2 + i))
        with session_factory() as session:
            opening.reveal(session, bidder, bid_no, key)
    walk.set(deadline + timedelta(minutes=12))
    for who in ("agency", "centre"):
        with session_factory() as session:
            opening_confirmation.confirm(session, people[who], pid)
    walk.set(deadline + timedelta(minutes=14))
    _draw_and_call(session_factory, walk, people, request_id, meeting)
    _session(session_factory, walk, people, bidders, firms, sid, meeting)


def _draw_and_call(session_factory, walk, people, request_id, meeting) -> None:
    with session_factory() as session:
        code = drawing.start_draw(session, people["centre"], request_id).draw_code
    secret = engine.new_secret()
    who = people["finance"]
    with session_factory() as session:
        for p in (who, people["centre"], people["agency"]):
            draws.sign_in(session, p, code)
        draws.commit(session, who, code, engine.commitment(code, f"supervisor:{who.user_id}", secret))
        draws.start_reveal(session, people["centre"], code)
        draws.reveal(session, who, code, secret)
    walk.set(meeting - timedelta(minutes=12))
    with session_factory() as session:
        for call in calling.calls_of(session, request_id):
            if call.state == calling.PENDING:
                user = session.get(User, session.get(Expert, call.expert_id).user_id)
                calling.confirm(session, principal_of(session, user.id), call.id)
                if not verify_password(user.password_hash, DEMO_PASSWORD):
                    user.password_hash = hash_password(DEMO_PASSWORD)  # the demo's drawn experts may sign in
    walk.set(meeting - timedelta(minutes=8))
    with session_factory() as session:
        for call in calling.calls_of(session, request_id):
            if call.state == calling.CONFIRMED and call.signed_in_at is None:
                user_id = session.get(Expert, call.expert_id).user_id
                calling.sign_in(session, principal_of(session, user_id), call.id)


def _session(session_factory, walk, people, bidders, firms, sid, meeting) -> None:
    walk.set(meeting)
    with session_factory() as session:
        row = evaluation.start(session, people["centre"], sid, representatives=[people["tenderer"].user_id])
        session_id = row.id
        members = [(m.id, m.kind, m.user_id) for m in evaluation.members_of(session, row, active_only=True)]
        bids = {b.organisation_id: b.id for b in evaluation.bids_of(session, row)}
    actors = {}
    with session_factory() as session:
        for mid, _, user_id in members:
            actors[mid] = principal_of(session, user_id)
    for mid, _, _ in members:
        walk.advance(timedelta(minutes=1))
        with session_factory() as session:
            items = [evaluation.ConflictIn(bid_id=b, conflict=False) for b in bids.values()]
            evaluation.declare_conflicts(session, actors[mid], session_id, items)
    chair = next(mid for mid, kind, _ in members if kind == "expert")
    for mid, _, _ in members[:3]:
        walk.advance(timedelta(minutes=1))
        with session_factory() as session:
            evaluation.vote_chair(session, actors[mid], session_id, chair)
    hc = actors[chair]
    order = [bids[f] for f in firms]
    walk.advance(timedelta(minutes=20))
    with session_factory() as session:
        reviews.review(
            session,
            hc,
            session_id,
            order[REJECTED],
            stage="qualification",
            passed=False,
            reason="not_qualified",
            facts="投标文件所附营业执照经营范围不含教学仪器设备销售，不满足招标文件规定的资格条件",
        )
        for i, b in enumerate(order):
            if i != REJECTED:
                reviews.review(session, hc, session_id, b, stage="qualification", passed=True)
    walk.advance(timedelta(minutes=10))
    with session_factory() as session:
        query = reviews.ask(
            session,
            hc,
            session_id,
            order[ASKED],
            kind="clarification",
            question="请澄清投标文件中“交货期45日”是否为日历日，以及是否包含安装调试时间",
            due_at=clock.now() + timedelta(hours=1),
        ).id
    walk.advance(timedelta(minutes=25))
    with session_factory() as session:
        reviews.answer(session, bidders[ASKED], query, "交货期为合同签订后45个日历日，已包含安装调试及验收前培训时间。")
    walk.advance(timedelta(minutes=15))
    with session_factory() as session:
        for i, b in enumerate(order):
            if i != REJECTED:
                reviews.review(session, hc, session_id, b, stage="compliance", passed=True, sme=i == SME)
        reviews.finish(session, hc, session_id)
        valid = [b.id for b in reviews.valid_bids(session, session.get(type(row), session_id))]
    scorers = [mid for mid, kind, _ in members if kind == "representative"]
    scorers += [mid for mid, kind, _ in members if kind == "expert"][:2]
    for mid, (tech, service) in zip(scorers, SHEETS, strict=False):
        walk.advance(timedelta(minutes=30))
        with session_factory() as session:
            sheet = {b: {"tech": Decimal(tech) - (b % 3), "service": Decimal(service)} for b in valid}
            scoring.submit(session, actors[mid], session_id, sheet)


__all__ = ["load_demo_evaluation", "EQUIPMENT", "SUPPLIERS"]
