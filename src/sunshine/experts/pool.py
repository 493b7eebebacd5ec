"""Who in the pool can be drawn at a moment (``pool_for_draw``), and why not: the pool-level exclusion reasons.

Every admitted expert holding at least one requested specialty (or a code under it in the tree) is a pool member,
eligible or with the reason code that excludes them. Draw-level avoidance (the tenderer's and bidders' employees,
declared conflicts with parties of the project) is decided by the caller from ``employer_organisation_id`` and
``conflict_organisation_ids``. Nothing here imports the draw engine: callers register ``REASONS`` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import InvalidInput
from sunshine.credit import bans as credit_bans
from sunshine.experts.models import (
    REMOVED,
    Expert,
    ExpertConflict,
    ExpertLeave,
    ExpertSanction,
    ExpertSpecialty,
)
from sunshine.rules import service as rules

PACK = "centre.experts"

ELIGIBLE = "eligible"
BANNED = "banned"
SUSPENDED = "suspended"
TERM_EXPIRED = "term_expired"
OVER_AGE = "over_age"
CREDIT_BANNED = "credit_banned"
ON_LEAVE = "on_leave"

#: Pool-level exclusion reasons, most serious first (an expert excluded for several shows the first).
REASONS: dict[str, str] = {
    BANNED: "被禁止参加评标",
    SUSPENDED: "暂停评标",
    TERM_EXPIRED: "聘期已届满",
    OVER_AGE: "超过专家年龄上限",
    ON_LEAVE: "请假",
    CREDIT_BANNED: "被行政监督部门禁止参加评标（信用惩戒）",
}


@dataclass(frozen=True)
class PoolMember:
    expert_id: int
    user_id: int
    employer_organisation_id: int
    specialties: list[str]  # the requested codes the expert holds, in the request's order
    status: str  # "eligible" or a code of REASONS
    conflict_organisation_ids: frozenset[int]


def local_day(at: datetime) -> date:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    return at.astimezone(get_settings().tz).date()


def age_on(born: date, day: date) -> int:
    """Age in full years (周岁) on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def pack(session: Session, day: date) -> rules.ResolvedPack:
    """The pool's rule pack in force on ``day``; before its first version, the earliest one (the pool existed
    before the platform's rules did: experts taken over from a former pool)."""
    try:
        return rules.resolve(session, PACK, day)
    except InvalidInput:
        return rules.resolve(session, PACK, max(day, clock.today_local()))


def max_age(session: Session, day: date) -> int:
    return int(pack(session, day).rule("max_age").value)


def covers(held: str, requested: str) -> bool:
    """A held code serves a requested one when it is that code or a code under it in the tree."""
    return held == requested or held.startswith(requested)


def pool_for_draw(session: Session, *, specialties: list[str], at: datetime) -> list[PoolMember]:
    """Every pool member relevant to a draw over ``specialties`` at ``at``, eligible or with its reason code,
    ordered by expert id. Experts removed (清退) before ``at``'s day are no longer members."""
    requested = [c.strip() for c in specialties if c and c.strip()]
    if not requested:
        raise InvalidInput("请至少选择一个评标专业", field="specialties")
    if len(set(requested)) != len(requested):
        raise InvalidInput("评标专业不能重复", field="specialties")
    day = local_day(at)
    limit = max_age(session, day)

    matches = or_(*[ExpertSpecialty.specialty_code.startswith(code, autoescape=True) for code in requested])
    held: dict[int, list[str]] = {}
    for expert_id, code in session.execute(
        select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code).where(matches)
    ):
        held.setdefault(expert_id, []).append(code)
    if not held:
        return []

    experts = session.execute(
        select(
            Expert.id,
            Expert.user_id,
            Expert.employer_organisation_id,
            Expert.status,
            Expert.removed_on,
            Expert.term_ends_on,
            Expert.date_of_birth,
        )
        .where(Expert.admitted_on <= day, Expert.id.in_(select(ExpertSpecialty.expert_id).where(matches)))
        .order_by(Expert.id)
    ).all()

    sanctions: dict[int, set[str]] = {}
    for expert_id, kind in session.execute(
        select(ExpertSanction.expert_id, ExpertSanction.kind).where(
            ExpertSanction.lifted_at.is_(None) | (ExpertSanction.lifted_at > at),
            ExpertSanction.starts_on <= day,
            ExpertSanction.ends_on.is_(None) | (ExpertSanction.ends_on >= day),
        )
    ):
        sanctions.setdefault(expert_id, set()).add(kind)
    on_leave = set(
        session.scalars(
            select(ExpertLeave.expert_id).where(
                ExpertLeave.cancelled_at.is_(None) | (ExpertLeave.cancelled_at > at),
                ExpertLeave.starts_on <= day,
                ExpertLeave.ends_on >= day,
            )
        )
    )
    conflicts: dict[int, set[int]] = {}
    for expert_id, organisation_id in session.execute(
        select(ExpertConflict.expert_id, ExpertConflict.organisation_id).where(
            ExpertConflict.declared_at <= at,
            ExpertConflict.withdrawn_at.is_(None) | (ExpertConflict.withdrawn_at > at),
        )
    ):
        conflicts.setdefault(expert_id, set()).add(organisation_id)

    credit_banned = credit_bans.banned_experts(session, None, day)  # 信用惩戒: bans decided in credit
    members: list[PoolMember] = []
    served: dict[tuple[str, ...], list[str]] = {}  # held codes -> requested codes they serve (few combinations)
    for row in experts:
        codes = held.get(row.id)
        if not codes:
            continue
        if row.status == REMOVED and (row.removed_on is None or row.removed_on <= day):
            continue
        key = tuple(codes)
        groups = served.get(key)
        if groups is None:
            groups = served[key] = [code for code in requested if any(covers(h, code) for h in codes)]
        kinds = sanctions.get(row.id, set())
        if "ban" in kinds:
            status = BANNED
        elif row.id in credit_banned:
            status = CREDIT_BANNED
        elif "suspension" in kinds:
            status = SUSPENDED
        elif day > row.term_ends_on:
            status = TERM_EXPIRED
        elif age_on(row.date_of_birth, day) > limit:
            status = OVER_AGE
        elif row.id in on_leave:
            status = ON_LEAVE
        else:
            status = ELIGIBLE
        members.append(
            PoolMember(
                expert_id=row.id,
                user_id=row.user_id,
                employer_organisation_id=row.employer_organisation_id,
                specialties=list(groups),
                status=status,
                conflict_organisation_ids=frozenset(conflicts.get(row.id, ())),
            )
        )
    return members
