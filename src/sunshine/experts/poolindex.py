"""The expert pool's rows that a draw reads, kept in memory between draws and used only while they are current.

``pool_for_draw`` needs, for every admitted expert, the dates and codes that decide whether they may be drawn on a
day: reading them from the database is most of the cost of a draw over a large pool (100,000 experts and their
specialties), and they change rarely. The table ``expert_pool_version`` holds one row whose random ``stamp`` is
replaced in the same transaction as any change to the pool's tables (``experts.models.bump_pool_version``, called
for every flush and ORM bulk statement that touches them). ``current`` reads the stamp — one row — and reuses the
index read under the same stamp; otherwise it reads the pool again. A stamp is random, so one written by a
transaction that was rolled back, or by another database, is never mistaken for the current one; an index read
while another transaction changed the pool (the stamp differs after the read) is used for this read only.

Nothing is decided here: the index holds raw rows; ``experts.pool`` decides each status for the moment asked.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.credit import bans as credit_bans
from sunshine.experts.models import (
    Expert,
    ExpertConflict,
    ExpertLeave,
    ExpertPoolVersion,
    ExpertSpecialty,
)

KEEP = 2  # indexes kept (a process serving two databases, or the index being replaced)
_kept: OrderedDict[str, Index] = OrderedDict()
_lock = threading.Lock()


# An expert's row as a plain tuple of plain values (the collector stops tracking those: an index of 100,000 rows
# costs the rest of the process nothing): id, user, employer, status, removed on, term ends on, born, admitted on.
ID, USER, EMPLOYER, STATUS, REMOVED_ON, TERM_ENDS_ON, BORN, ADMITTED_ON = range(8)


@dataclass
class Index:
    stamp: str | None
    experts: dict[int, tuple[Any, ...]]  # by id: rows as above
    held: dict[int, tuple[str, ...]]  # expert id -> the specialty codes held
    by_code: dict[str, list[int]]  # specialty code -> the experts holding it
    sanctions: list[tuple[int, str, date, date | None, datetime | None]]  # expert, kind, starts, ends, lifted
    leaves: list[tuple[int, date, date, datetime | None]]  # expert, starts, ends, cancelled
    conflicts: list[tuple[int, int, datetime, datetime | None]]  # expert, organisation, declared, withdrawn
    reads: int = field(default=0)  # how many draws used it (shown by the benchmark)
    selections: dict[tuple[str, ...], Any] = field(default_factory=dict)  # experts.poolcolumns, per request


def stamp(session: Session) -> str | None:
    return session.scalar(select(ExpertPoolVersion.stamp).where(ExpertPoolVersion.id == 1))


def _read(session: Session, at_stamp: str | None) -> Index:
    experts = {
        r[0]: tuple(r)
        for r in session.execute(
            select(
                Expert.id,
                Expert.user_id,
                Expert.employer_organisation_id,
                Expert.status,
                Expert.removed_on,
                Expert.term_ends_on,
                Expert.date_of_birth,
                Expert.admitted_on,
            )
        )
    }
    held: dict[int, list[str]] = {}
    by_code: dict[str, list[int]] = {}
    for expert_id, code in session.execute(select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code)):
        held.setdefault(expert_id, []).append(code)
        by_code.setdefault(code, []).append(expert_id)
    sanctions = credit_bans.expert_rows(session)  # 暂停评标/禁止评标, whoever decided them: credit's one record
    leaves = [
        tuple(r)
        for r in session.execute(
            select(ExpertLeave.expert_id, ExpertLeave.starts_on, ExpertLeave.ends_on, ExpertLeave.cancelled_at)
        )
    ]
    conflicts = [
        tuple(r)
        for r in session.execute(
            select(
                ExpertConflict.expert_id,
                ExpertConflict.organisation_id,
                ExpertConflict.declared_at,
                ExpertConflict.withdrawn_at,
            )
        )
    ]
    return Index(
        at_stamp,
        experts,
        {k: tuple(v) for k, v in held.items()},
        by_code,
        sanctions,  # type: ignore[arg-type]
        leaves,  # type: ignore[arg-type]
        conflicts,  # type: ignore[arg-type]
    )


def current(session: Session) -> Index:
    """The pool's rows as of this transaction: kept from an earlier read under the same stamp, or read now."""
    now = stamp(session)
    if now is not None:
        with _lock:
            found = _kept.get(now)
        if found is not None:
            found.reads += 1
            return found
    index = _read(session, now)
    if now is not None and stamp(session) == now:  # nothing changed the pool during the read
        with _lock:
            _kept[now] = index
            while len(_kept) > KEEP:
                _kept.popitem(last=False)
    return index


def forget() -> None:
    """Drop every kept index (tests; a process that restores a database)."""
    with _lock:
        _kept.clear()
