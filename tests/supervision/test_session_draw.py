"""Supervisors drawn for a session (seed 000: 由社会监督员名录库中抽取): the centre prepares the draw among the
supervisors in office with a supervisory department's person as the independent party; once drawn, the chosen take
observer seats, are told, and the draw's public record (by card number) replays."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput
from sunshine.draws import engine, replay
from sunshine.draws import service as draws
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.messaging.models import InboxMessage
from sunshine.supervision import registry, sessions
from tests.builders import make_user
from tests.conftest import SHANGHAI
from tests.supervision.builders import book, people


def _p(db, username: str) -> Principal:
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == username))
        roles = s.scalars(select(UserRole.role).where(UserRole.user_id == user.id))
        return Principal(user_id=user.id, username=username, roles=frozenset(Role(r) for r in roles))


def test_supervisors_drawn_for_a_session_take_seats_and_the_draw_replays(db, client, clock):
    w = people(db, client, candidates=0)
    centre, dept = _p(db, w["centre"]), _p(db, w["supervisor"])
    names = [make_user(db, Role.BIDDER) for _ in range(5)]
    with db.unit_of_work() as s:
        for i, name in enumerate(names):
            row = registry.nominate(
                s,
                centre,
                kind="social",
                source="media",
                username=name,
                name=f"监督员{i}",
                phone=f"1350000{i:04d}",
                employer="",
                statement="媒体推荐",
            )
            registry.appoint(s, centre, row.id)
    starts = datetime(2026, 11, 25, 9, 30, tzinfo=SHANGHAI)
    booking = book(db, w["rooms"]["专家抽取室"], starts, "城区道路改造工程评标专家抽取", purpose="draw")
    with db.unit_of_work() as s:
        with pytest.raises(InvalidInput, match="剩余观察席 4 个"):
            sessions.draw_for_session(s, centre, booking, count=5, party_user_id=dept.user_id)
        with pytest.raises(InvalidInput, match="行政监督部门"):
            sessions.draw_for_session(s, centre, booking, count=2, party_user_id=centre.user_id)
    with db.unit_of_work() as s:
        code = sessions.draw_for_session(s, centre, booking, count=2, party_user_id=dept.user_id).draw_code
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        draws.sign_in(s, centre, code)
        draws.sign_in(s, dept, code)
        draws.commit(s, dept, code, engine.commitment(code, f"supervisor:{dept.user_id}", secret))
    with db.unit_of_work() as s:
        draws.start_reveal(s, centre, code)
    with db.unit_of_work() as s:
        draws.reveal(s, dept, code, secret)
    record = client.get(f"/api/v1/supervision/sessions/{booking}").json()
    assert len(record["observers"]) == 2 and {o["source_label"] for o in record["observers"]} == {"随机抽取"}
    data = client.get(f"/api/v1/draws/{code}/record").json()
    assert replay.verify(data).ok
    assert all(c["ref"].startswith("card:JD") for c in data["candidates"]) and "监督员0" not in str(data)
    with db.unit_of_work() as s:
        told = list(s.scalars(select(InboxMessage).where(InboxMessage.kind == "supervision_session")))
    assert len(told) == 2 and "抽取参加" in told[0].subject
