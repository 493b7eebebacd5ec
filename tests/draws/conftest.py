"""Fixtures of the draw tests: a purpose and exclusion reasons registered for the tests only, and a room with
a centre staff member, a supervisor (the independent party), a tenderer witness and a social supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.core import clock as core_clock
from sunshine.draws import purposes, reasons
from sunshine.draws import service as draws
from sunshine.identity.roles import Role
from tests.trading.builders import actor

PURPOSE = "test_panel"
CALLS: list[tuple] = []


@pytest.fixture(autouse=True)
def test_purpose():
    CALLS.clear()
    purposes.register(
        PURPOSE,
        "测试用抽取",
        on_drawn=lambda session, draw: CALLS.append(("drawn", draw.code)),
        on_outcome=lambda session, draw, seat, new: CALLS.append(("outcome", seat.leaf, [s.leaf for s in new])),
        names=lambda session, draw: {f"person:{i}": f"候选人{i}号" for i in range(1000)},
    )
    reasons.register("on_leave", "休假")
    reasons.register("conflict", "与投标人存在利害关系")
    yield
    purposes.unregister(PURPOSE)


@pytest.fixture
def room(db):
    return {
        "centre": actor(db, Role.CENTRE_STAFF),
        "supervisor": actor(db, Role.SUPERVISOR),
        "tenderer": actor(db, Role.TENDERER),
        "social": actor(db, Role.SOCIAL_SUPERVISOR),
        "bidder": actor(db, Role.BIDDER),
    }


def candidates(n: int = 30, excluded: int = 5) -> list[draws.Candidate]:
    out = []
    for i in range(n):
        groups = ["civil"] if i % 3 else ["civil", "cost"]
        if i % 4 == 0:
            groups = ["cost"]
        out.append(draws.Candidate(f"person:{i}", groups, "eligible"))
    for i in range(n, n + excluded):
        out.append(draws.Candidate(f"person:{i}", ["civil"], "on_leave" if i % 2 else "conflict"))
    return out


def party_key(room) -> str:
    return f"supervisor:{room['supervisor'].user_id}"


def prepare(session, room, *, n=30, beacon_source=None, witnesses=None, delay_minutes=0, construction=None):
    return draws.prepare(
        session,
        room["centre"],
        purpose=PURPOSE,
        title="示范工程评标委员会专家抽取",
        owner="test_request:1",
        groups=[draws.Group("civil", "土建", 3, 1), draws.Group("cost", "造价", 2, 1)],
        candidates=candidates(n),
        parties=[draws.PartySpec(party_key(room), "行政监督人员", room["supervisor"].user_id)],
        witnesses=witnesses
        if witnesses is not None
        else [
            draws.WitnessSpec("supervisor", "行政监督部门"),
            draws.WitnessSpec("tenderer", "招标人代表", user_ids=frozenset({room["tenderer"].user_id})),
        ],
        scheduled_at=core_clock.now() + timedelta(minutes=delay_minutes),
        beacon_source=beacon_source,
        construction=construction,
    )
