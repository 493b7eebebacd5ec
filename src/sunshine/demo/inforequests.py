"""Demo data for information requests (依申请公开): one month at a time, walking the given clock day by day
through the month so that every request is received, routed, consulted on, extended, answered or left to
lapse on a plausible working day, and the tick raises its reminders and alerts as it would have.

Over twelve months the mix covers every answer form and annual-report category, extensions, third-party
consultations (answered and lapsed), corrections (made and not made, the latter treated as withdrawn), a
request answered late (with its overdue alert) and a few reviews and lawsuits. Requests received near the
end of a month carry over into the next call; those still open after the last month stay open.

The plan of each request is derived from its id, so a later call continues what an earlier one began.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.auth import ANONYMOUS, Principal
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.core.workdays import WorkCalendar
from sunshine.db import Database
from sunshine.demo.base import principal_of
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.inforequests import alerts, repository, service, states, steps
from sunshine.inforequests.models import InfoRequest, RequestReview
from sunshine.inforequests.schemas import RequestIn, ReviewIn

# (action, base, working days after the base, fields). base "r": the receipt; "c": the corrected request.
Plan = list[tuple[str, str, int, dict[str, Any]]]

LOCATION = "本中心门户网站“政府信息公开—法定主动公开内容—交易结果”栏目（可按项目编号检索）"
HOLDER = "示范市财政局（政府采购监督管理处），地址：示范市鼓楼区东街92号，电话：0591-87120000"

SCENARIOS: list[tuple[str, Plan]] = [
    (
        "disclosed",
        [
            ("route", "r", 1, {}),
            ("opinion", "r", 5, {"opinion": "经核查，所申请信息可以公开", "suggested_form": "disclosed"}),
            ("answer", "r", 8, {"form": "disclosed"}),
            ("close", "r", 10, {"note": "已通过电子邮件送达"}),
        ],
    ),
    ("already_public", [("answer", "r", 2, {"form": "already_public", "location": LOCATION})]),
    (
        "extended",
        [
            ("route", "r", 1, {}),
            ("opinion", "r", 12, {"opinion": "涉及多年度档案，需调阅归档材料后提出意见"}),
            (
                "extend",
                "r",
                18,
                {"days": 15, "approver": "政务公开办 李主任", "reason": "所申请信息涉及多个年度的归档材料"},
            ),
            ("answer", "r", 30, {"form": "disclosed", "fee_method": "pages", "pages": 45}),
            ("close", "r", 32, {}),
        ],
    ),
    (
        "partly",
        [
            ("route", "r", 1, {}),
            ("opinion", "r", 8, {"opinion": "合同中含投标人报价明细，建议区分处理"}),
            (
                "answer",
                "r",
                14,
                {
                    "form": "partly_disclosed",
                    "reason": "third_party",
                    "detail": "提供合同文本，隐去报价明细和联系人信息",
                },
            ),
            ("review", "r", 25, {"kind": "lawsuit_direct", "result": "pending"}),
        ],
    ),
    (
        "third_party",
        [
            ("route", "r", 1, {}),
            ("consultation", "r", 4, {"party": "third_party", "party_name": "闽江建设工程有限公司"}),
            ("consultation-end", "r", 12, {"outcome": "agrees"}),
            ("answer", "r", 24, {"form": "disclosed"}),
        ],
    ),
    (
        "not_exist",
        [
            ("route", "r", 2, {}),
            ("opinion", "r", 6, {"opinion": "经检索，未制作该信息"}),
            ("answer", "r", 9, {"form": "not_exist"}),
        ],
    ),
    (
        "correction",
        [
            ("correction", "r", 2, {"items": "请写明所需信息对应的项目名称或交易编号", "period_days": 10}),
            ("corrected", "r", 6, {"note": "申请人来电补充了项目编号"}),
            ("answer", "c", 10, {"form": "disclosed"}),
        ],
    ),
    (
        "withheld",
        [
            ("route", "r", 1, {}),
            ("opinion", "r", 9, {"opinion": "属于评标过程中的讨论记录"}),
            ("answer", "r", 15, {"form": "withheld", "reason": "process_info"}),
            ("review", "r", 22, {"kind": "review", "result": "upheld"}),
        ],
    ),
    ("not_held", [("answer", "r", 4, {"form": "not_held", "holder": HOLDER})]),
    ("withdrawn", [("correction", "r", 3, {"items": "请明确所需信息的时间范围和具体内容", "period_days": 10})]),
    ("repeat", [("answer", "r", 3, {"form": "repeat", "detail": "本机关已于此前就相同内容的申请作出答复"})]),
    (
        "overdue",
        [
            ("route", "r", 1, {}),
            ("opinion", "r", 18, {"opinion": "承办部门人员调整，意见延迟提出"}),
            ("answer", "r", 23, {"form": "disclosed"}),
        ],
    ),
    ("needs_creation", [("answer", "r", 10, {"form": "needs_creation"})]),
    (
        "third_party_lapse",
        [
            ("consultation", "r", 3, {"party": "third_party", "party_name": "福建智联信息技术有限公司"}),
            ("answer", "r", 30, {"form": "withheld", "reason": "third_party"}),
        ],
    ),
    ("petition", [("answer", "r", 3, {"form": "petition"})]),
    (
        "publication",
        [("answer", "r", 2, {"form": "publication", "location": "《示范市公共资源交易年鉴》，可在市图书馆查阅"})],
    ),
    (
        "unclear",
        [
            ("correction", "r", 2, {"items": "请说明所需信息的名称或特征", "period_days": 10}),
            ("corrected", "r", 5, {}),
            ("answer", "c", 8, {"form": "unclear_after_correction"}),
        ],
    ),
    ("confirm_existing", [("answer", "r", 5, {"form": "confirm_existing"})]),
    ("withheld_secret", [("answer", "r", 12, {"form": "withheld", "reason": "state_secret"})]),
    ("excessive", [("answer", "r", 5, {"form": "excessive", "detail": "申请人未能说明大量申请的正当理由"})]),
    ("other", [("answer", "r", 6, {"form": "other", "detail": "申请人撤回申请"})]),
    ("fee_unpaid", [("answer", "r", 12, {"form": "fee_unpaid"})]),
    ("internal", [("answer", "r", 9, {"form": "withheld", "reason": "internal_affairs"})]),
]

DONE_BY = {
    "correction": "request_correction",
    "corrected": "record_correction",
    "route": "route",
    "opinion": "department_opinion",
    "consultation": "start_consultation",
    "consultation-end": "end_consultation",
    "extend": "extend",
    "answer": "answer",
    "close": "close",
}

APPLICANTS: list[tuple[str, str]] = [
    ("natural", "陈志强"),
    ("commercial", "福建海峡建设工程有限公司"),
    ("natural", "林晓燕"),
    ("legal_services", "福建正言律师事务所"),
    ("natural", "黄建华"),
    ("research", "示范大学公共管理学院"),
    ("natural", "郑丽萍"),
    ("public_interest", "示范市阳光公益服务中心"),
    ("commercial", "榕城智慧城市科技有限公司"),
    ("other_org", "示范市鼓楼区东街街道东街社区居民委员会"),
]
TOPICS = [
    "示范市第一中学食堂服务采购项目的采购合同",
    "2025年度本中心受理的工程建设项目招标投标情况统计",
    "示范市滨江路道路改造工程的中标候选人公示及评标报告摘要",
    "国有建设用地使用权挂牌出让结果及成交价款",
    "本中心评标专家抽取规则及监督情况",
    "政府采购项目投标保证金退还情况",
    "交易中心2025年部门预算及“三公”经费",
    "示范市污水处理厂运营服务项目的投诉处理决定",
    "农村产权流转交易的交易规则及收费标准",
    "本中心电子招标投标系统的建设合同",
]
CHANNELS = ["online", "in_person", "post", "online", "fax", "post_ordinary"]


@dataclass(frozen=True)
class People:
    office: Principal
    departments: list[Principal]


def _people(session: Session) -> People:
    def holders(role: Role) -> list[User]:
        stmt = (
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role.value, User.is_active.is_(True))
            .order_by(User.id)
        )
        return list(session.scalars(stmt))

    offices = holders(Role.DISCLOSURE_OFFICE)
    if not offices:
        raise RuntimeError("示范数据需要一个政务公开办账号（disclosure）")
    office = next((u for u in offices if u.username == "disclosure"), offices[0])
    departments = holders(Role.SUPERVISOR) + holders(Role.CENTRE_STAFF)
    return People(principal_of(session, office.id), [principal_of(session, u.id) for u in departments] or [])


def scenario_of(req: InfoRequest) -> tuple[str, Plan]:
    return SCENARIOS[(req.id - 1) % len(SCENARIOS)]


def _move(clock: AdjustableClock, day: date, hour: int, minute: int = 0) -> None:
    target = datetime.combine(day, time(hour, minute), tzinfo=get_settings().tz)
    if target > clock.now():
        clock.set(target)


def _request_in(rng: random.Random, n: int, channel: str, day: date) -> RequestIn:
    kind, name = APPLICANTS[n % len(APPLICANTS)]
    phone = f"139{rng.randrange(10**8):08d}"
    organisation = kind != "natural"
    data: dict[str, Any] = {
        "channel": "post" if channel == "post_ordinary" else channel,
        "applicant_type": kind,
        "applicant_name": name,
        "id_number": None if organisation else f"350102{1960 + n % 40}0{1 + n % 9}1{n % 10}{rng.randrange(1000):03d}X",
        "contact_phone": phone,
        "email": f"applicant{n}@example.cn" if rng.random() < 0.6 else None,
        "address": "示范市鼓楼区湖东路168号" if organisation else None,
        "description": TOPICS[(n * 7 + rng.randrange(3)) % len(TOPICS)],
        "form_wanted": "electronic" if rng.random() < 0.7 else "paper",
        "delivery": rng.choice(["email", "post", "pickup", "online"]),
    }
    if channel in ("post", "post_ordinary"):
        data.update(post_signed=channel == "post", submitted_on=day - timedelta(days=2), received_on=day)
    elif channel == "fax":
        data.update(submitted_on=day, received_on=day)
    elif channel == "in_person":
        data.update(submitted_on=day)
    return RequestIn(**data)


def _receive(db: Database, rng: random.Random, people: People, day: date) -> None:
    with db.unit_of_work() as session:
        n = (session.scalar(select(InfoRequest.id).order_by(InfoRequest.id.desc()).limit(1)) or 0) + 1
        channel = CHANNELS[n % len(CHANNELS)]
        data = _request_in(rng, n, channel, day)
        if channel == "online":
            service.submit(session, ANONYMOUS, data, public=True)
        else:
            service.submit(session, people.office, data, public=False)


def _planned_day(cal: WorkCalendar, req: InfoRequest, history, base: str, offset: int) -> date | None:
    if base == "c":
        corrected = repository.last(history, "record_correction")
        if corrected is None:
            return None
        return cal.deadline(corrected.day, offset, "working").due
    return cal.deadline(req.received_on, offset, "working").due


def _done(session: Session, req: InfoRequest, history, action: str) -> bool:
    if action == "review":
        return session.scalar(select(RequestReview.id).where(RequestReview.request_id == req.id)) is not None
    return repository.last(history, DONE_BY[action]) is not None


def _act(session: Session, people: People, req: InfoRequest, action: str, day: date, fields: dict[str, Any]) -> None:
    if action == "review":
        result = fields["result"]
        body = ReviewIn(
            kind=fields["kind"], filed_on=day, result=result, decided_on=None if result == "pending" else day
        )
        steps.add_review(session, people.office, req, body)
        return
    fn, schema, _ = steps.ACTIONS[action]
    if action == "route":
        if not people.departments:
            return
        fields = {"department_user_id": people.departments[req.id % len(people.departments)].user_id}
    actor = people.office
    if action == "opinion":
        actor = next((p for p in people.departments if p.user_id == req.department_user_id), None)
        if actor is None:
            return
    fn(session, actor, req, schema(day=day, **fields))


def _progress(db: Database, clock: AdjustableClock, people: People, day: date, finished: set[int]) -> None:
    """Take every planned step that is due today on the open demo requests. ``finished`` holds the requests
    whose plan is fully taken (a request's history only grows, so they are not looked at again)."""
    with db.unit_of_work(read_only=True) as session:
        cal = calendar.load(session)
        ids = list(
            session.scalars(
                select(InfoRequest.id)
                .where(InfoRequest.state.in_(sorted(states.OPEN_STATES | {"answered"})))
                .order_by(InfoRequest.id)
            )
        )
    minute = 0
    for request_id in ids:
        if request_id in finished:
            continue
        while True:
            with db.unit_of_work() as session:
                req = session.get(InfoRequest, request_id)
                history = repository.events(session, req)
                _, plan = scenario_of(req)
                pending = next(((a, b, o, f) for a, b, o, f in plan if not _done(session, req, history, a)), None)
                if pending is None:
                    finished.add(request_id)
                    break
                action, base, offset, fields = pending
                when = _planned_day(cal, req, history, base, offset)
                if when is None or when > day:
                    break
                if action in ("route", "opinion") and not people.departments:
                    break
                if action not in ("review", "close") and req.state not in states.WORKING_STATES | {
                    "received",
                    "correction_requested",
                    "third_party_consultation",
                }:
                    break  # e.g. treated as withdrawn, or the consultation still open: nothing more to do
                if action != "consultation-end" and req.state == "third_party_consultation":
                    break
                minute = (minute + 7) % 50
                _move(clock, day, 10 + minute // 20, minute)
                _act(session, people, req, action, day, fields)


def seed_month(db: Database, clock: AdjustableClock, month_start: date, month_end: date) -> None:
    """Create and progress the information requests of one month, walking ``clock`` through it."""
    with use_clock(clock):
        with db.unit_of_work(read_only=True) as session:
            people = _people(session)
            cal = calendar.load(session)
        rng = random.Random(f"inforequests-{month_start.isoformat()}")
        workdays = [
            month_start + timedelta(days=i)
            for i in range((month_end - month_start).days + 1)
            if cal.is_workday(month_start + timedelta(days=i))
        ]
        receipts: dict[date, int] = {}
        for receipt_day in rng.sample(workdays, k=min(len(workdays), rng.randint(4, 6))):
            receipts[receipt_day] = receipts.get(receipt_day, 0) + 1
        day = month_start
        finished: set[int] = set()
        while day <= month_end:
            _move(clock, day, 9)
            for _ in range(receipts.get(day, 0)):
                _move(clock, day, 9, 30)
                _receive(db, rng, people, day)
            _progress(db, clock, people, day, finished)
            _move(clock, day, 18)
            with db.unit_of_work() as session:
                alerts.tick(session)
            day += timedelta(days=1)
