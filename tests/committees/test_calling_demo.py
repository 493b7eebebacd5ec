"""The demo shows calls in progress on the drawn evaluation request — one confirmed, one declined and replaced
from the draw order, the others waiting — and an expert demo account with its assignment on the workbench."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.committees import calling
from sunshine.committees.models import DrawRequest
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.calling import account_rows, load_demo_calling
from sunshine.messaging.models import GatewayRecord
from tests.builders import api_token


def test_demo_calls_in_progress(demo, db, client):
    with db.unit_of_work(read_only=True) as s:
        # the committees demo's drawn request (the evaluation demo's, drawn later, have every call confirmed);
        # by id, not by whatever order the database returns the rows in
        drawn = select(DrawRequest).where(DrawRequest.state == "drawn", DrawRequest.disclosed_at.is_(None))
        row = s.scalars(drawn.order_by(DrawRequest.id)).first()
        states = sorted(c.state for c in calling.calls_of(s, row.id))
        assert s.scalar(select(GatewayRecord.id).limit(1)) is not None  # the simulated gateway "received" them
    assert states.count("confirmed") == 1 and states.count("declined") == 1
    assert states.count("pending") >= 2  # the replacement and those who have not answered
    assert load_demo_calling(db.unit_of_work) == 0  # idempotent
    [(username, _label, _name)] = account_rows(db.unit_of_work)
    mine = client.get("/api/v1/expert/assignments", headers=api_token(client, username, DEMO_PASSWORD)).json()
    assert len(mine["upcoming"]) == 1 and mine["upcoming"][0]["state"] == "confirmed"
