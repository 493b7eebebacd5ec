"""Builders for evaluation tests: a sealed-bid tender (engineering or procurement) with its evaluation declared,
bids sealed and opened, a committee drawn from a pool of experts with distinct names, the opening record confirmed
(the project is 评审中; ``confirm_opening=False`` leaves that to the test), every drawn expert confirmed and signed
in, and the clock at the evaluation's time. Everything through the services; the walks then go through the API.
Keyword defaults everywhere."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from sunshine import tasks
from sunshine.bidding import opening, opening_confirmation
from sunshine.bidding import service as bidding
from sunshine.committees import calling, drawing
from sunshine.committees import service as committees
from sunshine.committees.service import RequestIn
from sunshine.core import clock
from sunshine.db import Database
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.evaluation import declaration
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.trading import deposits, registrations
from sunshine.trading.models import Project, Section
from tests.bidding.builders import seal_bid
from tests.builders import make_org
from tests.committees.builders import CIVIL, COST, expert_actor
from tests.committees.calling_world import name_of
from tests.experts.builders import add_expert
from tests.trading.builders import accepted_project, actor, publish_notice, tender_world

PROCUREMENT_CRITERIA = [
    {"code": "price", "title": "价格", "kind": "price", "max_score": "30"},
    {"code": "tech", "title": "技术方案", "kind": "technical", "max_score": "50"},
    {"code": "service", "title": "售后服务", "kind": "commercial", "max_score": "20"},
]


def opened_tender(
    db: Database,
    test_clock,
    *,
    procurement: bool = True,
    prices: tuple[str, ...] = ("4800000.00", "4700000.00", "4900000.00", "4650000.00", "2900000.00"),
    method: str | None = None,
    criteria: list[dict] | None = None,
    price_weight: str | None = None,
    representatives: int = 1,
    pool: int = 14,
    confirm_opening: bool = True,
    deposit: str | None = None,
    joint: bool = False,
) -> SimpleNamespace:
    """The tender opened and in 评审中, its committee (2 + 2 experts and ``representatives``) drawn, confirmed and
    signed in; ``w.members`` are the signed-in experts' dicts (with ``username``), ``w.spare`` the pool's others.
    ``joint``: a second section (``w.section2_id``, every bidder at half its price) evaluated together with the
    first (合并评审: its declaration names the first; the draw request is the first's)."""
    w = SimpleNamespace(**tender_world(db))
    firms, people = list(w.firms), list(w.bidders)
    for i in range(len(firms), len(prices)):
        org = make_org(db, name=f"第{i + 1}设备供应有限公司")
        firms.append(org)
        people.append(actor(db, Role.BIDDER, organisation_id=org))
    w.firms, w.bidders = firms, people
    w.procurement = procurement
    w.project_id = accepted_project(
        db,
        vars(w),
        transaction_type="gov_procurement" if procurement else "engineering",
        name="示范市第一中学教学设备采购项目" if procurement else "示范市滨江路道路改造工程",
        sections=[("第一包：教学设备" if procurement else "第一标段：道路工程", "5000000.00")]
        + ([("第二包：实验器材" if procurement else "第二标段：排水工程", "2500000.00")] if joint else []),
    )
    w.method = method or ("comprehensive_scoring" if procurement else "lowest_evaluated_price")
    with db.unit_of_work() as s:
        project = s.get(Project, w.project_id)
        project.evaluation_method = declaration.method(w.method).title
        ordered = s.query(Section).filter_by(project_id=w.project_id).order_by(Section.number).all()
        w.section_id = ordered[0].id
        w.section2_id = ordered[1].id if joint else None
        w.code = project.code
        credit = {f: s.get(Organisation, f).credit_code for f in firms}
        w.names = {f: s.get(Organisation, f).name for f in firms}
    w.deadline = clock.now() + timedelta(days=30)
    w.deposits = {}  # organisation → its paid deposit's id (with ``deposit``: the section's amount)
    if deposit is not None:
        with db.unit_of_work() as s:
            deposits.set_section_deposit(s, w.agency, w.project_id, w.section_id, Decimal(deposit))
    publish_notice(db, w.agency, w.project_id, bid_deadline=w.deadline)
    for sid, lead in ((w.section_id, None), (w.section2_id, w.section_id)) if joint else ((w.section_id, None),):
        with db.unit_of_work() as s:
            declaration.declare(
                s,
                w.agency,
                sid,
                method_code=w.method,
                criteria=criteria if criteria is not None else (PROCUREMENT_CRITERIA if procurement else []),
                price_weight=price_weight if price_weight is not None else ("0.30" if procurement else None),
                candidates=3,
                category="goods" if procurement else None,
                evaluated_with=lead,
            )
    w.sealed = []
    for person, price in zip(people, prices, strict=True):
        if joint:  # the second section first, at half the price
            with db.unit_of_work() as s:
                reg = registrations.register_bidder(s, person, w.project_id, w.section2_id, "王经理", "13800138000")
                registrations.obtain_documents(s, person, reg.id)
            half = f"{Decimal(price) / 2:.2f}"
            sealed = seal_bid(w.code, 2, credit[person.organisation_id], half)
            with db.unit_of_work() as s:
                bid = bidding.submit(
                    s,
                    person,
                    w.section2_id,
                    sealed.sealed,
                    key_commitment=sealed.commitment,
                    idempotency_key=sealed.idempotency_key,
                ).bid
                w.sealed.append((person, sealed, bid.bid_no))
        with db.unit_of_work() as s:
            reg = registrations.register_bidder(s, person, w.project_id, w.section_id, "王经理", "13800138000")
            registrations.obtain_documents(s, person, reg.id)
            paid = deposits.open_deposit(s, person, reg.id, "transfer") if deposit is not None else None
        if paid is not None:
            with db.unit_of_work() as s:
                deposits.confirm_transfer(s, w.centre, paid.id, Decimal(deposit))
            w.deposits[person.organisation_id] = paid.id
        sealed = seal_bid(w.code, 1, credit[person.organisation_id], price)
        with db.unit_of_work() as s:
            bid = bidding.submit(
                s,
                person,
                w.section_id,
                sealed.sealed,
                key_commitment=sealed.commitment,
                idempotency_key=sealed.idempotency_key,
            ).bid
            w.sealed.append((person, sealed, bid.bid_no))
    w.pool = []
    for i in range(pool):
        e = add_expert(
            db,
            specialties=(CIVIL if i % 2 == 0 else COST,),
            name=name_of(i) + ("" if i < 14 else str(i)),
            mobile=f"1390000{i:04d}",
            id_number=f"3501021975050{i:05d}",
        )
        e["name"] = name_of(i) + ("" if i < 14 else str(i))
        w.pool.append(e)
    w.by_id = {e["id"]: e for e in w.pool}
    w.meeting_at = w.deadline + timedelta(hours=2)
    with db.unit_of_work() as s:
        w.request_id = committees.submit(
            s,
            w.agency,
            w.project_id,
            RequestIn(
                section_id=w.section_id,
                purpose="evaluation",
                specialties=[(CIVIL, 2), (COST, 2)],
                reserve=1,
                representatives=representatives,
                meeting_at=w.meeting_at,
                place_kind="room",
                place="第三评标室",
            ),
        ).id
    with db.unit_of_work() as s:
        committees.approve(s, w.supervisor, w.request_id)
    # the deadline: the opening starts, every bidder decrypts, the record is confirmed
    test_clock.set(w.deadline + timedelta(minutes=1))
    tasks.tick(db)
    for person, sealed, bid_no in w.sealed:
        with db.unit_of_work() as s:
            opening.reveal(s, person, bid_no, sealed.key_text)
    # the draw, witnessed
    with db.unit_of_work() as s:
        draw_code = drawing.start_draw(s, w.centre, w.request_id).draw_code
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, draw_code)
        draws.commit(
            s, w.supervisor, draw_code, engine.commitment(draw_code, f"supervisor:{w.supervisor.user_id}", secret)
        )
        draws.start_reveal(s, w.centre, draw_code)
        draws.reveal(s, w.supervisor, draw_code, secret)
    if confirm_opening:  # else the test records the opening's officials and confirms it itself
        confirm_opening_record(db, w)
    confirm_and_sign_in(db, test_clock, w)
    return w


def confirm_opening_record(db: Database, w) -> None:
    for who in (w.agency, w.centre):
        with db.unit_of_work() as s:
            opening_confirmation.confirm(s, who, w.project_id)


def calls(db: Database, w):
    with db.unit_of_work(read_only=True) as s:
        rows = calling.calls_of(s, w.request_id)
        s.expunge_all()
        return rows


def confirm_and_sign_in(db: Database, test_clock, w) -> list[dict]:
    """Every pending call confirmed at once, then every confirmed expert signed in (the clock moved to half an hour
    before the evaluation if it is earlier)."""
    for call in calls(db, w):
        if call.state == calling.PENDING:
            with db.unit_of_work() as s:
                calling.confirm(s, expert_actor(db, w.by_id[call.expert_id]), call.id)
    if clock.now() < w.meeting_at - timedelta(minutes=30):
        test_clock.set(w.meeting_at - timedelta(minutes=30))
    for call in calls(db, w):
        if call.state == calling.CONFIRMED and call.signed_in_at is None:
            with db.unit_of_work() as s:
                calling.sign_in(s, expert_actor(db, w.by_id[call.expert_id]), call.id)
    w.members = [w.by_id[c.expert_id] for c in calls(db, w) if c.state == calling.CONFIRMED and c.signed_in_at]
    return w.members
