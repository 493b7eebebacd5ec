"""Demo evaluation (评标/评审), run after the draw requests' and the calls' demos. Three tenders, each sealed, opened
(the opening record confirmed: 评审中), its committee drawn in the room (witnessed), called, confirmed and signed in
with the tenderer's representative, every member declaring no conflict and an expert elected chair:

- the school's laboratory equipment procurement (综合评分法, a 10% price deduction for small and micro enterprises
  declared), its session under way since the last working day: one supplier rejected at the qualification review
  with its statutory reason and the facts, one asked to clarify its delivery time and answered on its own page, the
  others passed the compliance review (one declared an SME); two experts and the representative have scored, two
  experts have not yet (their workbench shows the session and its scoring sheet); the finance department and the
  social supervisor (``observer``) watch it from their seats (``/evaluation/sessions/{id}/watch``), and two remarks
  are in the minutes, both confirmed by their speakers, and one expert takes part from another centre (异地评标);
- the school's dormitory renovation works (经评审的最低投标价法), evaluated a fortnight ago: one bid rejected as
  non-responsive, the others ranked by their evaluated price, the report signed by every member (its hash in the
  ledger), delivered by the agency and received by the school — the project is 评审结束, the session watched by the
  housing department, minuted, and sealed on the spot (``/evaluation/seals``);
- the school's furniture procurement, failed (废标) three weeks ago: one of its three suppliers did not respond to a
  substantive requirement, fewer than three remained (政府采购法 第三十六条), the project is 流标.

The drawn experts get the demo password (the loader's table names the ones who still have to score, see
``account_rows``), so an expert who has not scored yet can sign in and score. The suppliers of the
procurements are demo firms of their own, each with a bidder account; the works are bid by the demo builders. All
through the services on a clock of its own walked over the last weeks, each session at 09:30 Beijing time on a
working day, whatever the hour the demo is loaded. Idempotent: nothing is made when the projects exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from sunshine.bidding import envelope, opening, opening_confirmation
from sunshine.bidding import service as bidding
from sunshine.committees import calling, drawing
from sunshine.committees import service as committees
from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import DEMO_PASSWORD, REGION, DemoProject, org_ids, principal, principal_of, register_project
from sunshine.demo.committees import _codes
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.evaluation import declaration, minutes, report, reviews, scoring, sites, watching
from sunshine.evaluation import service as evaluation
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.experts.models import Expert
from sunshine.identity import credit_code
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind, User
from sunshine.identity.passwords import hash_password, verify_password
from sunshine.identity.roles import Role
from sunshine.trading import notices, registrations, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Project

CRITERIA = [
    {"code": "price", "title": "价格", "kind": "price", "max_score": "30"},
    {"code": "tech", "title": "技术参数响应及产品性能", "kind": "technical", "max_score": "50"},
    {"code": "service", "title": "售后服务及培训方案", "kind": "commercial", "max_score": "20"},
]
# (username, firm, 17-digit credit code prefix, account name)
SUPPLIERS = (
    ("supplier1", "示范市博睿教学设备有限公司", "91350100MA8EQ0001", "博睿教仪 投标专员 林晓"),
    ("supplier2", "福建启明实验室工程有限公司", "91350100MA8EQ0002", "启明实验室 投标专员 张帆"),
    ("supplier3", "示范市科创仪器设备有限公司", "91350100MA8EQ0003", "科创仪器 投标专员 王磊"),
    ("supplier4", "海峡教育装备集团有限公司", "91350100MA8EQ0004", "海峡教育装备 投标专员 郑倩"),
    ("supplier5", "示范市育才科教设备有限公司", "91350100MA8EQ0005", "育才科教 投标专员 黄涛"),
)


@dataclass(frozen=True)
class Tender:
    project: DemoProject
    method: str
    bids: tuple[tuple[str, str], ...]  # (bidder username, price)
    supervisor: str  # who approves the draw request and witnesses the draw
    days_back: int  # working days before today of the opening and the session
    commitments: str
    criteria: list = field(default_factory=list)
    price_weight: str | None = None
    sme_deduction: str = "0"
    category: str | None = None


EQUIPMENT = Tender(
    DemoProject(
        "gov_procurement.open_tender",
        "示范市第一中学理化生实验室教学设备采购项目",
        "school",
        "2380000.00",
        (("第一包：理化生实验室教学设备", "2380000.00"),),
        "open",
    ),
    "comprehensive_scoring",
    (
        ("supplier1", "2268000.00"),
        ("supplier2", "2315500.00"),
        ("supplier3", "2199000.00"),
        ("supplier4", "2342000.00"),
        ("supplier5", "2251800.00"),
    ),
    "finance",
    1,
    "交货期：合同签订后45个日历日内；质保期3年；免费上门培训",
    CRITERIA,
    "0.30",
    "0.10",
    "goods",
)
DORMITORY = Tender(
    DemoProject(
        "engineering.open_tender",
        "示范市第一中学学生宿舍楼修缮及节能改造工程",
        "school",
        "4120000.00",
        (("学生宿舍楼修缮及节能改造施工", "4120000.00"),),
        "open",
    ),
    "lowest_evaluated_price",
    (("bidder", "3986500.00"), ("bidder2", "3912800.00"), ("bidder3", "4035000.00")),
    "supervisor",
    10,
    "项目经理：二级建造师（建筑工程）；暑期完成主体施工，不影响住宿",
)
FURNITURE = Tender(
    DemoProject(
        "gov_procurement.open_tender",
        "示范市第一中学教室课桌椅及办公家具采购项目",
        "school",
        "960000.00",
        (("第一包：课桌椅及办公家具", "960000.00"),),
        "open",
    ),
    "comprehensive_scoring",
    (("supplier1", "918000.00"), ("supplier4", "932600.00"), ("supplier5", "905500.00")),
    "finance",
    15,
    "交货期：合同签订后30个日历日内；质保期5年",
    CRITERIA,
    "0.30",
    "0.10",
    "goods",
)
TENDERS = (FURNITURE, DORMITORY, EQUIPMENT)  # oldest first: the ledger's times follow the clock


def _working_day(cal, today: date, back: int) -> date:
    """The ``back``-th working day before ``today`` (weekends and public holidays skipped)."""
    day = today
    while back:
        day -= timedelta(days=1)
        if cal.is_workday(day):
            back -= 1
    return day


def _publish(session, agency, project: Project, deadline: datetime) -> None:
    """The tender notice, its documents on sale until two days before the deadline (well over the statutory
    minimum whatever holidays fall in between)."""
    notices.publish_first_notice(
        session,
        agency,
        project.id,
        kind="tender",
        title=f"{project.name}招标公告",
        body_html=(
            f"<h2>{project.name}</h2><p>统一交易标识码：{project.code}</p>"
            "<p>一、项目概况与采购需求：详见招标文件。</p><p>二、投标人资格要求：见标段（包）资格条件。</p>"
            "<p>三、招标文件获取：在本平台报名后在线获取。</p>"
            "<p>四、投标文件递交：全流程电子化，投标文件须在本平台加密递交，不见面开标。</p>"
        ),
        bid_deadline=deadline,
        docs_issued_at=clock.now(),
        docs_sale_end=deadline - timedelta(days=2),
    )


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), get_settings().tz)


def _suppliers(session) -> None:
    """The demo suppliers' organisations and bidder accounts (made when missing); their organisation ids."""
    users = {u.username for u in identity.list_users(session)}
    for username, firm, prefix, name in SUPPLIERS:
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


def _seal(session, bidder, project: Project, tender: Tender, price: str) -> tuple[str, str]:
    section = project.sections[0]
    key = envelope.new_key()
    works = tender.project.key.startswith("engineering")
    form = envelope.make_form(price, 180 if works else 45, "合格", tender.commitments)
    docs = [
        envelope.Document(
            "施工组织设计.txt" if works else "技术响应文件.txt",
            "text/plain",
            f"{project.name}\n{tender.commitments}\n".encode(),
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
    """Create the demo tenders described above that are not there yet; returns how many were made (0 on a second
    load, or when the expert pool's demo has not run)."""
    with session_factory() as session:
        names = [t.project.name for t in TENDERS]
        existing = set(session.scalars(select(Project.name).where(Project.name.in_(names))))
        todo = [t for t in TENDERS if t.project.name not in existing]
        codes = {"works": _codes(session, "A"), "goods": _codes(session, "B") or _codes(session, "C")}
        if not todo or len(codes["works"]) < 2 or not codes["goods"]:
            return 0
        _suppliers(session)
    with session_factory() as session:
        usernames = {u for t in todo for u, _ in t.bids} | {"agency", "centre", "finance", "supervisor", "tenderer"}
        usernames.add("observer")  # the social supervisor watching the session under way
        people = {n: principal(session, n) for n in usernames}
        people["registrar"] = principal(session, "agencysigner")
        orgs = org_ids(session)
        cal = calendar.load(session)
    today = real_now.astimezone(get_settings().tz).date()
    stages: dict[str, Callable] = {EQUIPMENT.project.name: _under_way, DORMITORY.project.name: _reported}
    for tender in todo:
        day = _working_day(cal, today, tender.days_back)
        w = SimpleNamespace(tender=tender, people=people, deadline=_local(day, 9, 0), meeting=_local(day, 9, 30))
        w.codes = codes["works"] if tender.project.key.startswith("engineering") else codes["goods"]
        w.walk = AdjustableClock(w.deadline - timedelta(days=35))
        with use_clock(w.walk):
            _open(session_factory, w, orgs)
            _draw_and_call(session_factory, w)
            _convene(session_factory, w)
            stages.get(tender.project.name, _failed)(session_factory, w)
    return len(todo)


def _open(session_factory, w, orgs) -> None:
    """Registered, published with its declared evaluation, the bidders registered and sealed, the draw requested
    and approved, the bids opened and decrypted, the opening record confirmed."""
    tender, people, walk = w.tender, w.people, w.walk
    with session_factory() as session:
        # registered by the agency's other staff member (as demo/tenderdocs.py does): the seals demo, run before,
        # declares for the most recent projects the "agency" account registered; a second load finds nothing to do
        project = register_project(session, dict(people, agency=people["registrar"]), orgs, tender.project)
        project.evaluation_method = declaration.method(tender.method).title
        w.pid = project.id
    walk.advance(timedelta(hours=3))
    with session_factory() as session:
        trading.accept(session, people["centre"], w.pid)
    walk.advance(timedelta(hours=2))
    with session_factory() as session:
        project = visibility.get_visible(session, people["agency"], w.pid)
        _publish(session, people["agency"], project, w.deadline)
        w.sid = project.sections[0].id
        declaration.declare(
            session,
            people["agency"],
            w.sid,
            method_code=tender.method,
            criteria=tender.criteria,
            price_weight=tender.price_weight,
            sme_deduction=tender.sme_deduction,
            candidates=3 if tender.criteria else 2,
            category=tender.category,
        )
    walk.advance(timedelta(days=2))
    bidders = [people[u] for u, _ in tender.bids]
    for i, bidder in enumerate(bidders):
        with session_factory() as session:
            reg = registrations.register_bidder(
                session, bidder, w.pid, w.sid, bidder.display_name[-2:], f"1395910{i:04d}"
            )
            registrations.obtain_documents(session, bidder, reg.id)
    counts = [2, 2] if len(w.codes) > 1 else [4]  # four experts and the representative
    walk.set(w.deadline - timedelta(days=3))
    with session_factory() as session:
        w.request_id = committees.submit(
            session,
            people["agency"],
            w.pid,
            committees.RequestIn(
                section_id=w.sid,
                purpose="evaluation",
                specialties=list(zip(w.codes[:2], counts, strict=False)),
                reserve=2,
                representatives=1,
                meeting_at=w.meeting,
                place_kind="room",
                place="第一评标室",
            ),
        ).id
        committees.approve(session, people[tender.supervisor], w.request_id)
    kept = []
    for i, (bidder, (_, price)) in enumerate(zip(bidders, tender.bids, strict=True)):
        walk.set(w.deadline - timedelta(days=2, hours=-i * 3))
        with session_factory() as session:
            project = visibility.get_visible(session, bidder, w.pid)
            kept.append((bidder, *_seal(session, bidder, project, tender, price)))
    walk.set(w.deadline)
    with session_factory() as session:
        opening.start(session, trading.SYSTEM, visibility.get_visible(session, people["agency"], w.pid))
    for i, (bidder, bid_no, key) in enumerate(kept):
        walk.set(w.deadline + timedelta(minutes=2 + i))
        with session_factory() as session:
            opening.reveal(session, bidder, bid_no, key)
    walk.set(w.deadline + timedelta(minutes=12))
    for who in ("agency", "centre"):
        with session_factory() as session:
            opening_confirmation.confirm(session, people[who], w.pid)


def _draw_and_call(session_factory, w) -> None:
    """The draw witnessed in the room; every drawn expert confirms and signs in before the session."""
    people, walk = w.people, w.walk
    walk.set(w.deadline + timedelta(minutes=14))
    with session_factory() as session:
        code = drawing.start_draw(session, people["centre"], w.request_id).draw_code
    secret = engine.new_secret()
    who = people[w.tender.supervisor]
    with session_factory() as session:
        for p in (who, people["centre"], people["agency"]):
            draws.sign_in(session, p, code)
        draws.commit(session, who, code, engine.commitment(code, f"supervisor:{who.user_id}", secret))
        draws.start_reveal(session, people["centre"], code)
        draws.reveal(session, who, code, secret)
    walk.set(w.meeting - timedelta(minutes=12))
    with session_factory() as session:
        for call in calling.calls_of(session, w.request_id):
            if call.state == calling.PENDING:
                user = session.get(User, session.get(Expert, call.expert_id).user_id)
                calling.confirm(session, principal_of(session, user.id), call.id)
                if not verify_password(user.password_hash, DEMO_PASSWORD):
                    user.password_hash = hash_password(DEMO_PASSWORD)  # the demo's drawn experts may sign in
    walk.set(w.meeting - timedelta(minutes=8))
    with session_factory() as session:
        for call in calling.calls_of(session, w.request_id):
            if call.state == calling.CONFIRMED and call.signed_in_at is None:
                user_id = session.get(Expert, call.expert_id).user_id
                calling.sign_in(session, principal_of(session, user_id), call.id)


def _convene(session_factory, w) -> None:
    """The centre opens the session; every member declares no conflict; three vote for the first expert as chair."""
    walk = w.walk
    walk.set(w.meeting)
    with session_factory() as session:
        row = evaluation.start(session, w.people["centre"], w.sid, representatives=[w.people["tenderer"].user_id])
        w.session_id = row.id
        w.members = [(m.id, m.kind, m.user_id) for m in evaluation.members_of(session, row, active_only=True)]
        by_org = {b.organisation_id: b.id for b in evaluation.bids_of(session, row)}
        w.bids = [by_org[w.people[u].organisation_id] for u, _ in w.tender.bids]
        w.actors = {mid: principal_of(session, user_id) for mid, _, user_id in w.members}
    for mid, _, _ in w.members:
        walk.advance(timedelta(minutes=1))
        with session_factory() as session:
            items = [evaluation.ConflictIn(bid_id=b, conflict=False) for b in w.bids]
            evaluation.declare_conflicts(session, w.actors[mid], w.session_id, items)
    w.chair = next(mid for mid, kind, _ in w.members if kind == "expert")
    for mid, _, _ in w.members[:3]:
        walk.advance(timedelta(minutes=1))
        with session_factory() as session:
            evaluation.vote_chair(session, w.actors[mid], w.session_id, w.chair)
    walk.advance(timedelta(minutes=20))


def _review(session_factory, w, rejected: int, stage: str, reason: str, facts: str, sme: int | None = None) -> None:
    """The chair records the committee's reviews: bid ``rejected`` fails ``stage`` for ``reason``, the others pass."""
    hc = w.actors[w.chair]
    with session_factory() as session:
        for i, b in enumerate(w.bids):
            if i == rejected:
                reviews.review(session, hc, w.session_id, b, stage=stage, passed=False, reason=reason, facts=facts)
                continue
            if stage == "compliance":
                reviews.review(session, hc, w.session_id, b, stage="qualification", passed=True)
    w.walk.advance(timedelta(minutes=40))
    with session_factory() as session:
        for i, b in enumerate(w.bids):
            if i == rejected:
                continue
            if stage == "qualification":
                reviews.review(session, hc, w.session_id, b, stage="qualification", passed=True)
            reviews.review(session, hc, w.session_id, b, stage="compliance", passed=True, sme=i == sme)


def _watched_and_minuted(session_factory, w, supervisor: str, remarks: tuple[str, str], *, social: bool) -> None:
    """The centre seats the supervisory department (and the social supervisor where ``social``); the chair's remark
    is minuted by the centre and confirmed by the chair, another expert records their own."""
    centre = w.people["centre"]
    with session_factory() as session:
        watching.admit(session, centre, w.session_id, user_id=w.people[supervisor].user_id, capacity="supervisor")
        if social:
            watching.admit(session, centre, w.session_id, user_id=w.people["observer"].user_id, capacity="observer")
    w.walk.advance(timedelta(minutes=5))
    other = next(mid for mid, kind, _ in w.members if kind == "expert" and mid != w.chair)
    with session_factory() as session:
        remark = minutes.record(session, centre, w.session_id, member_id=w.chair, text=remarks[0]).id
    w.walk.advance(timedelta(minutes=2))
    with session_factory() as session:
        minutes.confirm(session, w.actors[w.chair], w.session_id, remark)
        minutes.record(session, w.actors[other], w.session_id, member_id=None, text=remarks[1])


def _under_way(session_factory, w) -> None:
    """The procurement's session in its scoring, watched by the finance department and a social supervisor: one
    rejected, one clarified, remarks minuted, three members have scored."""
    hc = w.actors[w.chair]
    _watched_and_minuted(
        session_factory,
        w,
        "finance",
        ("建议就第二家投标人的交货期是否含安装调试时间发起澄清", "同意组长意见，其余投标人交货期表述明确"),
        social=True,
    )
    remote = [mid for mid, kind, _ in w.members if kind == "expert" and mid != w.chair][-1]
    with session_factory() as session:  # one expert takes part from another centre (异地评标)
        sites.set_site(session, w.people["centre"], w.session_id, remote, "莆田市公共资源交易中心 第二评标室")
    with session_factory() as session:
        query = reviews.ask(
            session,
            hc,
            w.session_id,
            w.bids[1],
            kind="clarification",
            question="请澄清投标文件中“交货期45日”是否为日历日，以及是否包含安装调试时间",
            due_at=clock.now() + timedelta(hours=1),
        ).id
    w.walk.advance(timedelta(minutes=25))
    with session_factory() as session:
        reviews.answer(
            session, w.people["supplier2"], query, "交货期为合同签订后45个日历日，已包含安装调试及验收前培训时间。"
        )
    w.walk.advance(timedelta(minutes=15))
    facts = "投标文件所附营业执照经营范围不含教学仪器设备销售，不满足招标文件规定的资格条件"
    _review(session_factory, w, 2, "qualification", "not_qualified", facts, sme=4)
    with session_factory() as session:
        reviews.finish(session, hc, w.session_id)
        valid = [b.id for b in reviews.valid_bids(session, session.get(EvaluationSession, w.session_id))]
    scorers = [mid for mid, kind, _ in w.members if kind == "representative"]
    scorers += [mid for mid, kind, _ in w.members if kind == "expert"][:2]
    for n, mid in enumerate(scorers):
        w.walk.advance(timedelta(minutes=30))
        with session_factory() as session:
            sheet = {
                b: {"tech": Decimal(44 - n - i * 2), "service": Decimal(15 + (i + n) % 3)} for i, b in enumerate(valid)
            }
            scoring.submit(session, w.actors[mid], w.session_id, sheet)


def _reported(session_factory, w) -> None:
    """The works' session to its end: one rejected, the others ranked, everyone signs, the report goes to the
    school (at once for works) and the school confirms its receipt. Watched by the housing department, minuted;
    the session is sealed on the spot when the project takes 评审结束 (``evaluation.sealing``)."""
    hc = w.actors[w.chair]
    _watched_and_minuted(
        session_factory,
        w,
        "supervisor",
        ("第三家投标人承诺工期超过招标文件要求，应按未实质性响应处理", "同意，工期属于实质性要求"),
        social=False,
    )
    facts = "投标文件承诺工期240日历天，超过招标文件要求的180日历天，未对实质性要求作出响应"
    _review(session_factory, w, 2, "compliance", "non_responsive", facts)
    with session_factory() as session:
        reviews.finish(session, hc, w.session_id)
    w.walk.advance(timedelta(minutes=20))
    with session_factory() as session:
        scoring.compute(session, hc, w.session_id)  # a price method: nothing to score
    for mid, _, _ in w.members:
        w.walk.advance(timedelta(minutes=3))
        with session_factory() as session:
            report.sign(session, w.actors[mid], w.session_id, agree=True)
    w.walk.advance(timedelta(hours=3))
    with session_factory() as session:
        if session.get(EvaluationSession, w.session_id).delivered_at is None:  # works: delivered on signature
            report.deliver(session, w.people["agency"], w.session_id)
    w.walk.advance(timedelta(days=1))
    with session_factory() as session:
        report.confirm(session, w.people["tenderer"], w.session_id)


def _failed(session_factory, w) -> None:
    """The furniture procurement fails: one of three suppliers rejected, fewer than three remain."""
    facts = "投标文件承诺的投标有效期为60日，短于招标文件要求的90日"
    _review(session_factory, w, 1, "compliance", "other_invalid", facts)
    with session_factory() as session:
        reviews.finish(session, w.actors[w.chair], w.session_id)


SCORING_LABEL = "评标专家（评标会议进行中，尚未提交评分）"


def account_rows(session_factory) -> list[tuple[str, str, str]]:
    """(username, label, name) of the demo experts sitting in the session under way who have not scored yet, for
    the loader's table."""
    with session_factory() as session:
        stmt = (
            select(User.username, User.display_name)
            .join(EvaluationMember, EvaluationMember.user_id == User.id)
            .join(EvaluationSession, EvaluationSession.id == EvaluationMember.session_id)
            .join(Project, Project.id == EvaluationSession.project_id)
            .where(
                Project.name == EQUIPMENT.project.name,
                EvaluationMember.kind == "expert",
                EvaluationMember.scores_submitted_at.is_(None),
            )
            .order_by(EvaluationMember.id)
        )
        return [(username, SCORING_LABEL, name) for username, name in session.execute(stmt)]


__all__ = ["load_demo_evaluation", "account_rows", "EQUIPMENT", "DORMITORY", "FURNITURE", "SUPPLIERS"]
