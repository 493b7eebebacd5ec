"""A web request's SMS and voice calls go to the gateway after its response (``web.middleware.AfterResponseMiddleware``
holds them with ``core.after_commit.hold``): committed in the outbox at once, handed over only when the held work
runs; outside a request, at the commit as before."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.core import after_commit
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.messaging import service
from sunshine.messaging.models import Delivery
from tests.builders import make_user

PHONE = "13812345679"


def _send(db) -> None:
    with db.unit_of_work() as s:
        user_id = s.scalar(select(User.id).where(User.username == "li-expert"))
        service.send(s, user_id=user_id, subject="评标邀请", body="请确认", sms_to=PHONE, voice_to=PHONE, kind="notice")


def _sent(db) -> list[tuple[str, bool]]:
    with db.unit_of_work(read_only=True) as s:
        stmt = select(Delivery.channel, Delivery.sent_at).where(Delivery.phone == PHONE)
        rows = s.execute(stmt.order_by(Delivery.id))
        return [(channel, sent_at is not None) for channel, sent_at in rows]


def test_held_deliveries_are_queued_at_the_commit_and_sent_when_the_held_work_runs(db):
    make_user(db, Role.EXPERT, username="li-expert")
    queue: list = []
    token = after_commit.hold(queue)
    try:
        _send(db)
    finally:
        after_commit.release(token)
    assert _sent(db) == [("sms", False), ("voice", False)]  # in the outbox, not yet handed to the gateway
    with db.unit_of_work(read_only=True) as s:
        assert service.received(s, PHONE) == []
    after_commit.run_held(queue)
    assert _sent(db) == [("sms", True), ("voice", True)]
    with db.unit_of_work(read_only=True) as s:
        assert [r.channel for r in service.received(s, PHONE)] == ["sms", "voice"]


def test_outside_a_request_deliveries_go_at_the_commit(db):
    make_user(db, Role.EXPERT, username="li-expert")
    _send(db)
    assert _sent(db) == [("sms", True), ("voice", True)]
