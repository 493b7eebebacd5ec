"""Builders for information-request scenarios: staff principals, a request received on a given day
through the service, and a helper that moves the clock to the day a step is taken."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity import service as identity
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.inforequests import deadlines, service
from sunshine.inforequests.schemas import RequestIn
from tests.builders import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def principal(db: Database, username: str) -> Principal:
    with db.unit_of_work() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
        user = identity.get_user(s, user_id)
        return Principal(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            roles=frozenset(Role(r.role) for r in user.roles),
            organisation_id=user.organisation_id,
        )


def office(db: Database, username: str = "office") -> Principal:
    make_user(db, Role.DISCLOSURE_OFFICE, username=username)
    return principal(db, username)


def department(db: Database, username: str = "dept", role: Role = Role.SUPERVISOR) -> Principal:
    make_user(db, role, username=username)
    return principal(db, username)


def request_in(**overrides) -> RequestIn:
    data = {
        "channel": "in_person",
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_number": "350102199001011234",
        "contact_phone": "13800000000",
        "email": "zhangsan@example.cn",
        "address": "示范市鼓楼区东街1号",
        "description": "2025年度示范市公共资源交易中心政府采购项目的中标结果汇总表",
        "form_wanted": "electronic",
        "delivery": "email",
    }
    data.update(overrides)
    return RequestIn(**data)


def receive(db: Database, clock, actor: Principal, day: date, **overrides) -> tuple[int, str]:
    """A request handed in on ``day`` (the clock is moved there); returns (id, lookup code)."""
    clock.set(at(day))
    overrides.setdefault("submitted_on", day)
    with db.unit_of_work() as s:
        receipt = service.submit(s, actor, request_in(**overrides), public=False)
        return receipt.request.id, receipt.code


def submit_online(db: Database, clock, day: date, **overrides) -> tuple[int, str]:
    from sunshine.core.auth import ANONYMOUS

    clock.set(at(day))
    overrides.setdefault("channel", "online")
    with db.unit_of_work() as s:
        receipt = service.submit(s, ANONYMOUS, request_in(**overrides), public=True)
        return receipt.request.id, receipt.code


def step(db: Database, clock, actor: Principal, request_id: int, action: str, day: date, **fields):
    """Take the staff action ``action`` (a key of ``steps.ACTIONS``) on ``day``."""
    from sunshine.inforequests import steps

    clock.set(at(day))
    fn, schema, _ = steps.ACTIONS[action]
    with db.unit_of_work() as s:
        req = service.get(s, request_id)
        return fn(s, actor, req, schema(day=day, **fields))


def due(db: Database, request_id: int):
    """The answer clock as it stands now."""
    with db.unit_of_work(read_only=True) as s:
        return deadlines.current_clock(s, service.get(s, request_id))


def tracked(db: Database, request_id: int) -> dict:
    with db.unit_of_work(read_only=True) as s:
        rows = deadlines.open_deadlines(s, service.get(s, request_id))
        return {k: (r.due, r.provisional) for k, r in rows.items()}
