"""What every step of a draw shares: its states and labels, finding and locking a draw, its ledger entries,
and reading what it fixed — parties, attendance, the eligible list, the call order and the calls recomputed from
them (``assignment``). What a draw fixes never changes, so a process reads it once (``draws.pooldata``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import NotFound
from sunshine.draws import engine, pooldata, v2
from sunshine.draws.models import Draw, DrawAttendance, DrawOutcome, DrawParty
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules

PREPARED, REVEALING, DRAWN, DISCLOSED = "prepared", "revealing", "drawn", "disclosed"
CANCELLED = "cancelled"
STATE_LABELS = {
    PREPARED: "等待抽取",
    REVEALING: "正在揭示随机数",
    DRAWN: "已抽取",
    DISCLOSED: "结果已公开",
    CANCELLED: "已取消",
}
OUTCOME_LABELS = {"confirmed": "已确认参加", "declined": "已拒绝", "no_show": "未到场"}
CALL_STATE_LABELS = {
    "called": "已通知",
    "confirmed": "已确认",
    "declined": "已拒绝",
    "no_show": "未到场",
    "promoted": "已递补为正选",
}
OBSERVER = "observer"
OBSERVER_ROLES = (Role.SOCIAL_SUPERVISOR, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR, Role.CENTRE_STAFF)
REVEAL_WINDOW_RULE = "draw_reveal_window"
SIGN_IN_RULE = "draw_party_sign_in_required"
DEFAULT_REVEAL_WINDOW = 600
MAX_CANDIDATES = 200_000


def subject(draw: Draw) -> str:
    return f"draw:{draw.code}"


def groups_of(draw: Draw) -> list[dict[str, Any]]:
    return json.loads(draw.groups)


def witnesses_of(draw: Draw) -> list[dict[str, Any]]:
    return json.loads(draw.witnesses)


def log(session: Session, draw: Draw, action: str, payload: dict[str, Any]) -> None:
    ledger.append(session, f"draws:draw:{action}", subject(draw), {"draw": draw.code, **payload})
    ledger.sign_head(session)


def centre_rule(session: Session, rule_id: str, fallback: int) -> int:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    if pack is None or not pack.has(rule_id):
        return fallback
    return int(pack.rule(rule_id).value)


def get(session: Session, code: str) -> Draw:
    draw = session.scalar(select(Draw).where(Draw.code == code)) if isinstance(code, str) and len(code) <= 32 else None
    if draw is None:
        raise NotFound("抽取不存在")
    return draw


def locked(session: Session, code: str) -> Draw:
    draw = get(session, code)
    session.refresh(draw, with_for_update=True)
    return draw


def parties_of(session: Session, draw: Draw) -> list[DrawParty]:
    return list(session.scalars(select(DrawParty).where(DrawParty.draw_id == draw.id).order_by(DrawParty.id)))


def attendance(session: Session, draw: Draw) -> list[DrawAttendance]:
    return list(
        session.scalars(select(DrawAttendance).where(DrawAttendance.draw_id == draw.id).order_by(DrawAttendance.id))
    )


def eligible_of(session: Session, draw: Draw) -> list[dict[str, Any]]:
    """The eligible list of step 2 of v1 (``[{"leaf", "groups"}]`` sorted by leaf), fixed at ``prepare``; a v2
    draw has no leaves (its list is disclosed with the pool): empty."""
    pool = pooldata.of(session, draw)
    return [] if isinstance(pool, pooldata.PoolV2) else pool.eligible()


def calling_inputs(session: Session, draw: Draw) -> tuple[Sequence[str], Mapping[str, list[str]]]:
    """The call order and the groups of each eligible leaf (both fixed once drawn; read once per process). For a
    ``sunshine-draw-v2`` draw the order is lazy (tickets computed as far as it is read) and the groups fill as
    it goes."""
    pool = pooldata.of(session, draw)
    if isinstance(pool, pooldata.PoolV2):
        order = pool.order(draw.code, draw.seed or "")
        return order, order.groups
    return pooldata.call_order(draw), pool.groups_by_leaf


def outcomes_of(session: Session, draw: Draw) -> list[DrawOutcome]:
    return list(session.scalars(select(DrawOutcome).where(DrawOutcome.draw_id == draw.id).order_by(DrawOutcome.id)))


def assignment(session: Session, draw: Draw) -> engine.Assignment:
    return assignment_and_order(session, draw)[0]


def assignment_and_order(session: Session, draw: Draw) -> tuple[engine.Assignment, list[str]]:
    """The calls recomputed, and the order as far as they read it (v1: the whole order)."""
    if draw.call_order is None:
        return engine.Assignment(), []
    order, groups_by_leaf = calling_inputs(session, draw)
    outcomes = [{"leaf": o.leaf, "outcome": o.outcome} for o in outcomes_of(session, draw)]
    calls = engine.assign(order, groups_of(draw), groups_by_leaf, outcomes)
    return calls, order.prefix() if isinstance(order, v2.Order) else list(order)
