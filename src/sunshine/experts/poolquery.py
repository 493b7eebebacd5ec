"""The pool of a draw decided in one indexed SQL statement (``members``): every expert holding a requested specialty
(or a code under it in the tree) on the day asked, sorted by ref, with the requested codes each serves and the
reason that excludes them, if any — and nothing else leaves the database: no ORM object and no Python decision per
expert, whatever the pool's size.

The statement reads ``expert_specialty`` by its index on the code (the requested codes and the codes under them
in the specialty tree), groups it per expert into a bit mask of the requested codes served, joins the expert's
row and decides the status with one ``CASE``: the pool's own reasons first, most serious first
(``pool.REASONS``: banned, credit ban, suspended, term ended, over the age limit, on leave), then the caller's
rules in the caller's order (avoidance: ``committees.avoidance``), each a SQL condition on the expert's row.
Experts not yet admitted on the day, or removed (清退) on or before it, are not members. Only three values per
member come back: the id, the mask and the status (NULL when eligible). ``expert_ids`` narrows the statement to a
few experts (the checks made again at a confirmation or a sign-in: one expert, by primary key).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from sunshine.core.errors import InvalidInput
from sunshine.credit.models import CreditBan
from sunshine.experts.models import (
    REMOVED,
    Expert,
    ExpertConflict,
    ExpertLeave,
    ExpertSpecialty,
    Specialty,
)
from sunshine.experts.pool import (
    BANNED,
    ON_LEAVE,
    OVER_AGE,
    SUSPENDED,
    TERM_EXPIRED,
    PoolMember,
    covers,
    local_day,
    max_age,
)
from sunshine.experts.specialties import shipped

REF_PREFIX = "expert:"


@dataclass(frozen=True)
class Rule:
    """An exclusion decided in SQL after the pool's own reasons: ``reason`` when ``condition`` (over ``Expert``'s
    columns) holds."""

    reason: str
    condition: ColumnElement[bool]


@dataclass(frozen=True)
class Members:
    """The members in ref order (``refs`` sorted as strings): ids, the requested codes each serves (one shared list
    per combination) and ``statuses`` (position → reason code; every other member is eligible)."""

    ids: list[int]
    refs: list[str]
    groups: list[list[str]]
    statuses: dict[int, str]

    def __len__(self) -> int:
        return len(self.refs)

    def status_of(self) -> dict[int, str]:
        """Expert id → status, ``eligible`` included (tests and single checks: one dict over the members)."""
        return {eid: self.statuses.get(pos, "eligible") for pos, eid in enumerate(self.ids)}


def requested_codes(specialties: Iterable[str]) -> list[str]:
    requested = [c.strip() for c in specialties if c and c.strip()]
    if not requested:
        raise InvalidInput("请至少选择一个评标专业", field="specialties")
    if len(set(requested)) != len(requested):
        raise InvalidInput("评标专业不能重复", field="specialties")
    return requested


def born_on_or_before(day: date, limit: int) -> date:
    """The latest date of birth of someone over ``limit`` full years of age (周岁) on ``day``: over the limit means
    at least ``limit + 1`` years, i.e. born on or before ``day`` less ``limit + 1`` years (28 February when that
    day is a 29 February of a year that is not leap)."""
    year = day.year - (limit + 1)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return date(year, 2, 28)


def tree_codes(session: Session) -> list[str]:
    """Every code of the specialty tree, shipped and added by the centre: the only codes an expert can hold
    (``specialties.check_codes`` at admission)."""
    return [code for code, _, _ in shipped().entries] + list(session.scalars(select(Specialty.code)))


def _under(codes: Sequence[str]) -> ColumnElement[bool]:
    """``expert_specialty.specialty_code`` is one of ``codes`` (a requested code and the codes under it in the
    tree): equality on the index, the same under any collation, and counted by the planner's statistics."""
    return ExpertSpecialty.specialty_code.in_(sorted(codes))


def employed_by(organisation_ids: Iterable[int]) -> ColumnElement[bool]:
    """The expert's employer is one of ``organisation_ids``."""
    return Expert.employer_organisation_id.in_(sorted(set(organisation_ids)))


def one_of(expert_ids: Iterable[int]) -> ColumnElement[bool]:
    """The expert is one of ``expert_ids`` (short lists: reviewers of a project, recent draws of a tenderer)."""
    return Expert.id.in_(sorted(set(expert_ids)))


def declared_conflict(organisation_ids: Iterable[int], at: datetime) -> ColumnElement[bool]:
    """The expert declared a standing conflict (常设回避单位) in force at ``at`` with one of ``organisation_ids``."""
    ids = sorted(set(organisation_ids))
    return Expert.id.in_(
        select(ExpertConflict.expert_id).where(
            ExpertConflict.organisation_id.in_(ids),
            ExpertConflict.declared_at <= at,
            or_(ExpertConflict.withdrawn_at.is_(None), ExpertConflict.withdrawn_at > at),
        )
    )


def _sanction(kind: str, day: date, at: datetime) -> ColumnElement[bool]:
    """An exclusion of ``kind`` (``ban`` 禁止评标 or ``suspension`` 暂停评标) in force on ``day``: a row of credit's
    ``credit_ban``, the one record of exclusions whoever recorded it (the pool's office or a department)."""
    return Expert.id.in_(
        select(CreditBan.expert_id).where(
            CreditBan.kind == kind,
            CreditBan.starts_on <= day,
            or_(CreditBan.ends_on.is_(None), CreditBan.ends_on >= day),
            or_(CreditBan.lifted_at.is_(None), CreditBan.lifted_at > at),
        )
    )


def _pool_reasons(session: Session, day: date, at: datetime) -> list[tuple[str, ColumnElement[bool]]]:
    """The pool's own reasons in their precedence (``pool.REASONS``; a ban before a suspension)."""
    leave = Expert.id.in_(
        select(ExpertLeave.expert_id).where(
            ExpertLeave.starts_on <= day,
            ExpertLeave.ends_on >= day,
            or_(ExpertLeave.cancelled_at.is_(None), ExpertLeave.cancelled_at > at),
        )
    )
    return [
        (BANNED, _sanction("ban", day, at)),
        (SUSPENDED, _sanction("suspension", day, at)),
        (TERM_EXPIRED, Expert.term_ends_on < day),
        (OVER_AGE, Expert.date_of_birth <= born_on_or_before(day, max_age(session, day))),
        (ON_LEAVE, leave),
    ]


def statement(
    session: Session,
    requested: Sequence[str],
    at: datetime,
    rules: Sequence[Rule] = (),
    *,
    prefix: str = "",
    expert_ids: Iterable[int] | None = None,
):
    """The SELECT of (ref, mask, status) described in the module's text; bit ``i`` of the mask is ``requested[i]``."""
    day = local_day(at)
    tree = tree_codes(session)
    covered = [[code for code in tree if covers(code, r)] or [r] for r in requested]
    served = [
        func.max(case((_under(codes), 1 << i), else_=0)) for i, codes in enumerate(covered)
    ]  # a held code may serve several requested ones, and several held codes the same one: max per bit, then sum
    # grouped by ``expert_id + 0``: an expression, so that SQLite reads the few holders of the codes from the index
    # on (code, expert) and groups them, instead of walking the whole (expert, code) index to group without a sort
    expert = ExpertSpecialty.expert_id + 0
    held = select(expert.label("expert_id"), sum(served[1:], served[0]).label("mask")).where(
        _under({code for codes in covered for code in codes})
    )
    if expert_ids is not None:
        held = held.where(ExpertSpecialty.expert_id.in_(sorted(set(expert_ids))))
    held = held.group_by(expert).subquery("held")
    branches = [(cond, literal(prefix + code)) for code, cond in _pool_reasons(session, day, at)]
    branches += [(rule.condition, literal(rule.reason)) for rule in rules]
    ref = literal(REF_PREFIX) + cast(Expert.id, String)
    if session.get_bind().dialect.name == "postgresql":
        ref = ref.collate("C")  # refs sorted by code point, as the draw commits them
    return (
        select(Expert.id, held.c.mask, case(*branches, else_=None).label("status"))
        .join(held, held.c.expert_id == Expert.id)
        .where(
            Expert.admitted_on <= day,
            or_(Expert.status != REMOVED, and_(Expert.removed_on.is_not(None), Expert.removed_on > day)),
        )
        .order_by(ref)
    )


def members(
    session: Session,
    *,
    specialties: Sequence[str],
    at: datetime,
    rules: Sequence[Rule] = (),
    prefix: str = "",
    expert_ids: Iterable[int] | None = None,
) -> Members:
    """Every member for a draw over ``specialties`` at ``at`` (see the module's text); pool reasons are returned
    as ``prefix + code``."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    requested = requested_codes(specialties)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # the planner's cost of the status CASE over the whole pool passes jit_above_cost, and compiling the plan
        # (inlining, optimisation) takes far longer than running it: no JIT for the rest of this transaction
        connection.exec_driver_sql("SET LOCAL jit = off")
    result = connection.execute(statement(session, requested, at, rules, prefix=prefix, expert_ids=expert_ids))
    # three plain values a row (integers and a string: nothing for SQLAlchemy to convert): read from the driver's
    # cursor directly, without a Row object each
    rows = result.cursor.fetchall() if result.cursor is not None else result.all()
    if not rows:
        return Members([], [], [], {})
    ids, masks, found = zip(*rows, strict=True)
    lists = {mask: [code for i, code in enumerate(requested) if mask >> i & 1] for mask in set(masks)}
    return Members(
        list(ids),
        [REF_PREFIX + str(i) for i in ids],
        list(map(lists.__getitem__, masks)),
        {pos: status for pos, status in enumerate(found) if status is not None},
    )


def pool_for_draw(session: Session, *, specialties: list[str], at: datetime) -> list[PoolMember]:
    """The members of ``members`` one by one, ordered by expert id, with their account, employer and the
    conflicts they declared in force at ``at`` — for the pool's pages and checks over a few experts; a draw reads
    ``members`` (or ``committees.avoidance.columns``) and never this."""
    found = members(session, specialties=specialties, at=at)
    if not found.ids:
        return []
    status = found.status_of()
    groups = dict(zip(found.ids, found.groups, strict=True))
    rows = session.execute(
        select(Expert.id, Expert.user_id, Expert.employer_organisation_id).where(Expert.id.in_(found.ids))
    ).all()
    conflicts: dict[int, set[int]] = {}
    for expert_id, organisation_id in session.execute(
        select(ExpertConflict.expert_id, ExpertConflict.organisation_id).where(
            ExpertConflict.expert_id.in_(found.ids),
            ExpertConflict.declared_at <= at,
            or_(ExpertConflict.withdrawn_at.is_(None), ExpertConflict.withdrawn_at > at),
        )
    ):
        conflicts.setdefault(expert_id, set()).add(organisation_id)
    return [
        PoolMember(eid, user, employer, list(groups[eid]), status[eid], frozenset(conflicts.get(eid, ())))
        for eid, user, employer in sorted(rows)
    ]
