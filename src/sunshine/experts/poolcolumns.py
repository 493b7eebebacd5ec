"""The pool for a draw in columns (``columns_for_draw``): the same members and statuses as ``pool.pool_for_draw``,
without one object per member, so that a draw over a pool of 100,000 builds its candidate list in milliseconds.

For a requested set of specialties the members are fixed while the pool's version stamp is (``poolindex``): their
ids, refs (``expert:<id>``, sorted as strings: the order a draw commits them in), the requested codes each serves
(one shared list per combination), their employers and the positions of each employer's experts are computed once
and kept on the index (``Selection``). What depends on the day — not yet admitted or removed (no longer members),
term expired, over the age limit — is decided once per day and limit over the selection and kept too. What depends
on the moment — bans and suspensions (credit's one record), leave, declared conflicts — comes from short lists and
is decided at every call. Statuses are returned as exceptions (position → reason): every other member is eligible.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from sunshine.core.errors import InvalidInput
from sunshine.experts import poolindex
from sunshine.experts.models import REMOVED
from sunshine.experts.pool import (
    BANNED,
    ON_LEAVE,
    OVER_AGE,
    SUSPENDED,
    TERM_EXPIRED,
    age_on,
    covers,
    local_day,
    max_age,
)

_lock = threading.Lock()
KEEP_DAYS = 4  # day decisions kept per selection


@dataclass
class Selection:
    """The members holding one of ``requested`` (or a code under it), sorted by ref."""

    requested: tuple[str, ...]
    ids: list[int]
    refs: list[str]
    groups: list[list[str]]  # the requested codes each member serves, request order; shared per combination
    employers: list[int | None]
    position: dict[int, int]  # expert id -> position
    by_employer: dict[int, list[int]]  # organisation -> positions of its experts
    days: dict[tuple[date, int], tuple[frozenset[int], dict[int, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Columns:
    """The pool of a draw: members in ``refs`` order (sorted), each with its groups; ``statuses`` maps a position to
    its pool reason (``pool.REASONS``), every other member being eligible; ``conflicts`` maps a position to the
    organisations it declared a conflict with (in force at the moment asked)."""

    ids: list[int]
    refs: list[str]
    groups: list[list[str]]
    statuses: dict[int, str]
    conflicts: dict[int, set[int]]
    position: dict[int, int]
    by_employer: dict[int, list[int]]

    def __len__(self) -> int:
        return len(self.refs)


def _selection(index: poolindex.Index, requested: tuple[str, ...]) -> Selection:
    with _lock:
        found = index.selections.get(requested)
    if found is not None:
        return found
    codes = [code for code in index.by_code if any(covers(code, r) for r in requested)]
    ids = {expert_id for code in codes for expert_id in index.by_code[code]}
    ordered = sorted((f"expert:{i}", i) for i in ids if i in index.experts)
    served: dict[tuple[str, ...], list[str]] = {}
    groups, employers = [], []
    for _, expert_id in ordered:
        held = index.held[expert_id]
        g = served.get(held)
        if g is None:
            g = served[held] = [code for code in requested if any(covers(h, code) for h in held)]
        groups.append(g)
        employers.append(index.experts[expert_id][poolindex.EMPLOYER])
    by_employer: dict[int, list[int]] = {}
    for pos, employer in enumerate(employers):
        if employer is not None:
            by_employer.setdefault(employer, []).append(pos)
    sel = Selection(
        requested,
        [i for _, i in ordered],
        [r for r, _ in ordered],
        groups,
        employers,
        {i: pos for pos, (_, i) in enumerate(ordered)},
        by_employer,
    )
    with _lock:
        index.selections[requested] = sel
    return sel


def _day(index: poolindex.Index, sel: Selection, day: date, limit: int) -> tuple[frozenset[int], dict[int, str]]:
    """Positions that are not members on ``day`` (not yet admitted, removed), and those whose term has ended or
    who are over the age limit (term first, as ``pool_for_draw`` orders them)."""
    key = (day, limit)
    found = sel.days.get(key)
    if found is not None:
        return found
    absent, statuses = set(), {}
    rows = index.experts
    for pos, expert_id in enumerate(sel.ids):
        row = rows[expert_id]
        if row[poolindex.ADMITTED_ON] > day or (
            row[poolindex.STATUS] == REMOVED and (row[poolindex.REMOVED_ON] is None or row[poolindex.REMOVED_ON] <= day)
        ):
            absent.add(pos)
        elif day > row[poolindex.TERM_ENDS_ON]:
            statuses[pos] = TERM_EXPIRED
        elif age_on(row[poolindex.BORN], day) > limit:
            statuses[pos] = OVER_AGE
    found = (frozenset(absent), statuses)
    with _lock:
        sel.days[key] = found
        while len(sel.days) > KEEP_DAYS:
            sel.days.pop(next(iter(sel.days)))
    return found


def columns_for_draw(session: Session, *, specialties: list[str], at: datetime) -> Columns:
    """What ``pool_for_draw`` decides, in columns (members sorted by ref rather than by id)."""
    requested = [c.strip() for c in specialties if c and c.strip()]
    if not requested:
        raise InvalidInput("请至少选择一个评标专业", field="specialties")
    if len(set(requested)) != len(requested):
        raise InvalidInput("评标专业不能重复", field="specialties")
    day = local_day(at)
    limit = max_age(session, day)
    index = poolindex.current(session)
    sel = _selection(index, tuple(requested))
    absent, by_day = _day(index, sel, day, limit)
    position = sel.position

    statuses: dict[int, str] = {}
    for expert_id, starts_on, ends_on, cancelled_at in index.leaves:  # least serious first: overwritten below
        pos = position.get(expert_id)
        if pos is not None and (cancelled_at is None or cancelled_at > at) and starts_on <= day <= ends_on:
            statuses[pos] = ON_LEAVE
    statuses.update(by_day)
    bans, suspensions = set(), set()
    for expert_id, kind, starts_on, ends_on, lifted_at in index.sanctions:
        pos = position.get(expert_id)
        if pos is None or not ((lifted_at is None or lifted_at > at) and starts_on <= day):
            continue
        if ends_on is None or ends_on >= day:
            if kind == "ban":
                bans.add(pos)
            elif kind == "suspension":
                suspensions.add(pos)
    for pos in suspensions:
        statuses[pos] = SUSPENDED
    for pos in bans:
        statuses[pos] = BANNED
    conflicts: dict[int, set[int]] = {}
    for expert_id, organisation_id, declared_at, withdrawn_at in index.conflicts:
        pos = position.get(expert_id)
        if pos is not None and declared_at <= at and (withdrawn_at is None or withdrawn_at > at):
            conflicts.setdefault(pos, set()).add(organisation_id)
    if not absent:
        return Columns(sel.ids, sel.refs, sel.groups, statuses, conflicts, position, sel.by_employer)
    return _without(sel, absent, statuses, conflicts)


def _without(sel: Selection, absent: frozenset[int], statuses: dict[int, str], conflicts: dict[int, set[int]]):
    """The columns with the members of ``absent`` left out (positions renumbered)."""
    keep = [pos for pos in range(len(sel.ids)) if pos not in absent]
    new = {old: k for k, old in enumerate(keep)}
    by_employer: dict[int, list[int]] = {}
    for k, old in enumerate(keep):
        employer = sel.employers[old]
        if employer is not None:
            by_employer.setdefault(employer, []).append(k)
    return Columns(
        [sel.ids[p] for p in keep],
        [sel.refs[p] for p in keep],
        [sel.groups[p] for p in keep],
        {new[p]: s for p, s in statuses.items() if p in new},
        {new[p]: c for p, c in conflicts.items() if p in new},
        {sel.ids[p]: k for k, p in enumerate(keep)},
        by_employer,
    )
