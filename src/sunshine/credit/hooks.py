"""What the layers above credit hand down to it, registered by ``domains.install()`` (credit sits below the
trading kernel and imports no domain): the publisher that puts a penalty through the disclosure pipeline and
takes it down at the end of its period, the name an expert is known by (the pool's code, never the name), the
experts to rate, and the sources of the rating's figures that live in other domains (evaluation conduct,
complaints lost, contract performance). Credit calls what was registered, in order; with nothing registered,
a record is kept unpublished and an item without a source counts nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

Publish = Callable[[Session, object, object], str | None]  # (session, record, actor) -> publication ref
TakeDown = Callable[[Session, object, str], int]  # (session, record, reason) -> publications withdrawn
ExpertLabel = Callable[[Session, int], str | None]  # expert id -> pool code, or None when no such expert
ExpertIds = Callable[[Session], list[int]]
ExpertByCode = Callable[[Session, str], int | None]  # pool code -> expert id
# (session, subject type, subject ids, first day, last day) -> {subject id: {item code: value}}
Source = Callable[[Session, str, list[int], date, date], dict[int, dict[str, Decimal]]]

_publishers: list[tuple[Publish, TakeDown]] = []
_expert_labels: list[ExpertLabel] = []
_expert_ids: list[ExpertIds] = []
_expert_by_code: list[ExpertByCode] = []
_sources: dict[str, Source] = {}
ExpertChanged = Callable[[Session, int], object]  # expert id: its exclusions changed (the pool's status follows)
_expert_changed: list[ExpertChanged] = []


def expert_changed(fn: ExpertChanged) -> ExpertChanged:
    """Called after an expert's ban or suspension is recorded or lifted, in the same transaction."""
    if fn not in _expert_changed:
        _expert_changed.append(fn)
    return fn


def expert_exclusion_changed(session: Session, expert_id: int) -> None:
    for fn in _expert_changed:
        fn(session, expert_id)


def publisher(publish: Publish, take_down: TakeDown) -> None:
    if (publish, take_down) not in _publishers:
        _publishers.append((publish, take_down))


def expert_label(fn: ExpertLabel) -> ExpertLabel:
    if fn not in _expert_labels:
        _expert_labels.append(fn)
    return fn


def expert_ids(fn: ExpertIds) -> ExpertIds:
    if fn not in _expert_ids:
        _expert_ids.append(fn)
    return fn


def expert_by_code(fn: ExpertByCode) -> ExpertByCode:
    if fn not in _expert_by_code:
        _expert_by_code.append(fn)
    return fn


def expert_of_code(session: Session, code: str) -> int | None:
    for fn in _expert_by_code:
        found = fn(session, code)
        if found is not None:
            return found
    return None


def source(name: str, fn: Source) -> Source:
    """A named source of rating figures (e.g. ``complaints``, ``performance``, ``expert_conduct``)."""
    _sources[name] = fn
    return fn


def publish(session: Session, record: object, actor: object) -> str | None:
    ref = None
    for fn, _ in _publishers:
        ref = fn(session, record, actor) or ref
    return ref


def take_down(session: Session, record: object, reason: str) -> int:
    return sum(fn(session, record, reason) for _, fn in _publishers)


def label_of_expert(session: Session, expert_id: int) -> str | None:
    for fn in _expert_labels:
        found = fn(session, expert_id)
        if found is not None:
            return found
    return None


def all_experts(session: Session) -> list[int]:
    return sorted({i for fn in _expert_ids for i in fn(session)})


def sources() -> dict[str, Source]:
    return dict(_sources)
