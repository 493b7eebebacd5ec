"""Who in the pool can be drawn at a moment, and why not: the pool-level exclusion reasons and the rules they are
decided by (the decision itself is made by the database: ``experts.poolquery``).

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
