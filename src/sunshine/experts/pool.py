"""Who in the pool can be drawn at a moment (``pool_for_draw``), and why not: the pool-level exclusion reasons.

Every admitted expert holding at least one requested specialty (or a code under it in the tree) is a pool member,
eligible or with the reason code that excludes them. Draw-level avoidance (the tenderer's and bidders' employees,
declared conflicts with parties of the project) is decided by the caller from ``employer_organisation_id`` and
``conflict_organisation_ids``. Nothing here imports the draw engine: callers register ``REASONS`` themselves.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import InvalidInput
from sunshine.experts import poolindex
from sunshine.experts.models import REMOVED
from sunshine.rules import service as rules

PACK = "centre.experts"

ELIGIBLE = "eligible"
BANNED = "banned"
SUSPENDED = "suspended"
TERM_EXPIRED = "term_expired"
OVER_AGE = "over_age"
CREDIT_BANNED = "credit_banned"  # former reason, kept for the labels of draws recorded before bans were one record
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


class PoolMember(NamedTuple):  # a named tuple: a draw over a large pool makes tens of thousands
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
    ordered by expert id. Experts removed (清退) before ``at``'s day are no longer members. The pool's rows come
    from ``experts.poolindex`` (kept in memory while the pool's version stamp is unchanged); each status is decided
    here for ``at``."""
    requested = [c.strip() for c in specialties if c and c.strip()]
    if not requested:
        raise InvalidInput("请至少选择一个评标专业", field="specialties")
    if len(set(requested)) != len(requested):
        raise InvalidInput("评标专业不能重复", field="specialties")
    day = local_day(at)
    limit = max_age(session, day)

    index = poolindex.current(session)
    codes = [code for code in index.by_code if any(covers(code, r) for r in requested)]
    ids = sorted({expert_id for code in codes for expert_id in index.by_code[code]})
    if not ids:
        return []

    sanctions: dict[int, set[str]] = {}
    for expert_id, kind, starts_on, ends_on, lifted_at in index.sanctions:
        if (lifted_at is None or lifted_at > at) and starts_on <= day and (ends_on is None or ends_on >= day):
            sanctions.setdefault(expert_id, set()).add(kind)
    on_leave = {
        expert_id
        for expert_id, starts_on, ends_on, cancelled_at in index.leaves
        if (cancelled_at is None or cancelled_at > at) and starts_on <= day <= ends_on
    }
    conflicts: dict[int, set[int]] = {}
    for expert_id, organisation_id, declared_at, withdrawn_at in index.conflicts:
        if declared_at <= at and (withdrawn_at is None or withdrawn_at > at):
            conflicts.setdefault(expert_id, set()).add(organisation_id)

    members: list[PoolMember] = []
    served: dict[tuple[str, ...], list[str]] = {}  # held codes -> requested codes they serve (few combinations)
    experts, held = index.experts, index.held
    no_conflicts: frozenset[int] = frozenset()
    for expert_id in ids:
        row = experts.get(expert_id)
        if row is None or row[poolindex.ADMITTED_ON] > day:
            continue
        if row[poolindex.STATUS] == REMOVED and (row[poolindex.REMOVED_ON] is None or row[poolindex.REMOVED_ON] <= day):
            continue
        codes = held[expert_id]
        groups = served.get(codes)
        if groups is None:
            groups = served[codes] = [code for code in requested if any(covers(h, code) for h in codes)]
        kinds = sanctions.get(expert_id)
        if kinds and "ban" in kinds:  # the pool's office's or a department's: credit's one record of bans
            status = BANNED
        elif kinds and "suspension" in kinds:
            status = SUSPENDED
        elif day > row[poolindex.TERM_ENDS_ON]:
            status = TERM_EXPIRED
        elif age_on(row[poolindex.BORN], day) > limit:
            status = OVER_AGE
        elif expert_id in on_leave:
            status = ON_LEAVE
        else:
            status = ELIGIBLE
        members.append(
            PoolMember(
                expert_id,
                row[poolindex.USER],
                row[poolindex.EMPLOYER],
                list(groups),
                status,
                frozenset(conflicts[expert_id]) if expert_id in conflicts else no_conflicts,
            )
        )
    return members
