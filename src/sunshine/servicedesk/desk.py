"""The desk's set-up: the departments work orders are routed to and their members, the centre's settings
(who heads the centre and receives low-score alerts), and each kind's answer limit from the rule pack
``centre.service`` with its basis. Never commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.models import User
from sunshine.rules import service as rules
from sunshine.rules.registry import registry as rule_registry
from sunshine.servicedesk.labels import DEPARTMENT_KINDS, KINDS, LIMIT_RULES
from sunshine.servicedesk.models import DeskDepartment, DeskMember, DeskSetting

PACK = "centre.service"
HEAD_SETTING = "centre_head_user_id"
#: where the rule pack in force lacks a desk rule (an older version): the same defaults, said so
FALLBACK_DAYS = {"consult": 2, "complaint": 5, "suggestion": 10, "help": 3, "praise": 5, "report": 15}


@dataclass(frozen=True)
class Limit:
    days: int
    unit: str  # working | calendar
    basis: str


def _pack(session: Session):
    """The pack in force today, or None before its first version took effect (the platform defaults apply:
    a service before 2026 — an information request answered then — is still surveyed, never refused)."""
    today = clock.today_local()
    if not any(p.effective_from <= today for p in rule_registry().versions(PACK)):
        return None
    return rules.resolve(session, PACK, today)


def rule_value(session: Session, rule_id: str, default: int) -> tuple[int, str]:
    """(value, unit) of a desk rule of ``centre.service``; the platform default where it is missing."""
    pack = _pack(session)
    if pack is not None and pack.has(rule_id):
        rule = pack.rule(rule_id)
        return int(rule.value), rules.DAY_UNITS.get(rule.unit, "count")
    return default, "working"


def limit_for(session: Session, kind: str) -> Limit:
    """The answer limit of a kind of work order, with the basis shown beside its due date."""
    pack = _pack(session)
    rule_id = LIMIT_RULES[kind]
    if pack is not None and pack.has(rule_id):
        rule = pack.rule(rule_id)
        return Limit(int(rule.value), rules.DAY_UNITS[rule.unit], f"{rule.title}（{rule.basis_text}）")
    return Limit(FALLBACK_DAYS[kind], "working", f"平台默认值：{KINDS[kind]}类工单 {FALLBACK_DAYS[kind]} 个工作日")


# --------------------------------------------------------------------------- departments


def departments(session: Session, *, active_only: bool = True) -> list[DeskDepartment]:
    stmt = select(DeskDepartment).order_by(DeskDepartment.kind, DeskDepartment.id)
    if active_only:
        stmt = stmt.where(DeskDepartment.active.is_(True))
    return list(session.scalars(stmt))


DEPARTMENT_ORDER = Keyset.of("desk-departments", Key(DeskDepartment.kind, False), Key(DeskDepartment.id, False))


def department_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[DeskDepartment]:
    """The active departments one page at a time, in ``departments``' order."""
    stmt = select(DeskDepartment).where(DeskDepartment.active.is_(True))
    return paginate(session, stmt, DEPARTMENT_ORDER, cursor=cursor, limit=limit)


def get_department(session: Session, department_id: int) -> DeskDepartment:
    row = session.get(DeskDepartment, department_id)
    if row is None:
        raise NotFound("承办部门不存在")
    return row


def create_department(
    session: Session, *, name: str, kind: str, phone: str | None = None, organisation_id: int | None = None
) -> DeskDepartment:
    name = name.strip()
    if not 2 <= len(name) <= 100:
        raise InvalidInput("部门名称应为 2 至 100 个字", field="name")
    if kind not in DEPARTMENT_KINDS:
        raise InvalidInput("部门类别应为：" + "、".join(DEPARTMENT_KINDS.values()), field="kind")
    if session.scalar(select(DeskDepartment.id).where(DeskDepartment.name == name)) is not None:
        raise AlreadyExists(f"已有名为“{name}”的部门", field="name")
    row = DeskDepartment(
        name=name, kind=kind, phone=phone or None, organisation_id=organisation_id, active=True, created_at=clock.now()
    )
    session.add(row)
    session.flush()
    return row


def add_member(session: Session, department_id: int, user_id: int) -> DeskMember:
    get_department(session, department_id)
    if session.get(User, user_id) is None:
        raise InvalidInput("用户不存在", field="user_id")
    found = session.scalar(
        select(DeskMember).where(DeskMember.department_id == department_id, DeskMember.user_id == user_id)
    )
    if found is not None:
        return found
    row = DeskMember(department_id=department_id, user_id=user_id)
    session.add(row)
    session.flush()
    return row


def remove_member(session: Session, department_id: int, user_id: int) -> None:
    get_department(session, department_id)
    row = session.scalar(
        select(DeskMember).where(DeskMember.department_id == department_id, DeskMember.user_id == user_id)
    )
    if row is None:
        raise NotFound("该用户不是本部门经办人")
    session.delete(row)
    session.flush()


def set_active(session: Session, department_id: int, active: bool) -> DeskDepartment:
    """Stop (or resume) routing new orders to a department; the orders it holds stay with it. The last
    supervisory department in use cannot be stopped: 举报 would have nowhere to go."""
    row = get_department(session, department_id)
    if not active and row.active and row.kind == "supervisory":
        others = session.scalar(
            select(DeskDepartment.id).where(
                DeskDepartment.kind == "supervisory", DeskDepartment.active.is_(True), DeskDepartment.id != row.id
            )
        )
        if others is None:
            raise Conflict("这是唯一受理举报的监督部门，停用前请先设置另一个监督部门", field="active")
    row.active = active
    session.flush()
    return row


def members_by_department(session: Session, department_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """Each department's members: (user id, display name, username), in one query."""
    out: dict[int, list[tuple[int, str, str]]] = {d: [] for d in department_ids}
    if not department_ids:
        return out
    rows = session.execute(
        select(DeskMember.department_id, User.id, User.display_name, User.username)
        .join(User, User.id == DeskMember.user_id)
        .where(DeskMember.department_id.in_(department_ids))
        .order_by(DeskMember.department_id, User.display_name, User.id)
    ).all()
    for dept, uid, name, username in rows:
        out[dept].append((uid, name, username))
    return out


def user_by_username(session: Session, username: str, field: str = "username") -> User:
    username = username.strip()
    if not username:
        raise InvalidInput("请填写用户名", field=field)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        raise InvalidInput(f"用户名“{username[:64]}”不存在或已停用", field=field)
    return user


def member_ids(session: Session, department_id: int) -> list[int]:
    return list(session.scalars(select(DeskMember.user_id).where(DeskMember.department_id == department_id)))


def departments_of(session: Session, user_id: int | None) -> set[int]:
    if user_id is None:
        return set()
    return set(session.scalars(select(DeskMember.department_id).where(DeskMember.user_id == user_id)))


def supervisory_department(session: Session) -> DeskDepartment:
    """The department 举报 goes to: the first active supervisory department."""
    row = session.scalar(
        select(DeskDepartment)
        .where(DeskDepartment.kind == "supervisory", DeskDepartment.active.is_(True))
        .order_by(DeskDepartment.id)
    )
    if row is None:
        raise InvalidInput("尚未设置受理举报的监督部门，请联系交易中心", field="kind")
    return row


# --------------------------------------------------------------------------- settings


def setting(session: Session, key: str) -> str | None:
    row = session.get(DeskSetting, key)
    return row.value if row is not None else None


def set_head(session: Session, actor: Principal, user_id: int) -> None:
    if session.get(User, user_id) is None:
        raise InvalidInput("用户不存在", field="user_id")
    row = session.get(DeskSetting, HEAD_SETTING)
    if row is None:
        row = DeskSetting(key=HEAD_SETTING, value="", set_at=clock.now())
        session.add(row)
    row.value, row.set_by, row.set_at = str(user_id), actor.user_id, clock.now()
    session.flush()


def head_user_id(session: Session) -> int | None:
    value = setting(session, HEAD_SETTING)
    return int(value) if value else None
