"""Demo calls of the drawn experts (专家通知与确认), run after the draw requests' demo: on the drawn evaluation
request (the Binjiang road works) the platform has called the drawn experts (platform message, SMS and voice
through the simulated gateway); here the first called expert confirms, the second declines (time conflict) and
the next expert in the draw order is called in their place; the others have not answered yet.

The expert who confirmed can sign in to the demo with the demo password (their generated account gets it), so the
workbench ``/expert`` shows an assignment; the loader's table names that account. That table is the demo's own
console output: the platform itself shows nobody who was drawn. Idempotent: nothing is done once a call has an
answer.
"""

from __future__ import annotations

from sqlalchemy import select

from sunshine.committees import calling
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.models import DrawRequest
from sunshine.demo.base import DEMO_PASSWORD, principal_of
from sunshine.experts.models import Expert
from sunshine.identity.models import User
from sunshine.identity.passwords import hash_password, verify_password

ACCOUNT_LABEL = "评标专家（已确认参加评审，可在专家工作台签到）"


def _request(session) -> DrawRequest | None:
    """The newest drawn evaluation request, results not yet public, whose calls nobody has answered."""
    stmt = (
        select(DrawRequest)
        .where(DrawRequest.state == "drawn", DrawRequest.purpose == "evaluation", DrawRequest.disclosed_at.is_(None))
        .order_by(DrawRequest.id.desc())
    )
    for row in session.scalars(stmt):
        calls = calling.calls_of(session, row.id)
        if calls and all(c.state == calling.PENDING for c in calls):
            return row
    return None


def _expert_user(session, call: ExpertCall) -> User:
    return session.get(User, session.get(Expert, call.expert_id).user_id)


def load_demo_calling(session_factory) -> int:
    """Answer the calls as described above; returns how many answers were made."""
    with session_factory() as session:
        row = _request(session)
        if row is None:
            return 0
        first, second = calling.calls_of(session, row.id)[:2]
        ids = (first.id, second.id)
    with session_factory() as session:
        call = session.get(ExpertCall, ids[0])
        user = _expert_user(session, call)
        calling.confirm(session, principal_of(session, user.id), call.id)
        if not verify_password(user.password_hash, DEMO_PASSWORD):
            user.password_hash = hash_password(DEMO_PASSWORD)  # the demo's drawn expert may sign in
    with session_factory() as session:
        call = session.get(ExpertCall, ids[1])
        user = _expert_user(session, call)
        calling.decline(session, principal_of(session, user.id), call.id, "schedule", "当天已有其他项目评审安排")
    return 2


def account_rows(session_factory) -> list[tuple[str, str, str]]:
    """(username, label, name) of the demo experts with a confirmed assignment ahead, for the loader's table."""
    with session_factory() as session:
        stmt = (
            select(User.username, User.display_name)
            .join(Expert, Expert.user_id == User.id)
            .join(ExpertCall, ExpertCall.expert_id == Expert.id)
            .join(DrawRequest, DrawRequest.id == ExpertCall.request_id)
            .where(ExpertCall.state == calling.CONFIRMED, DrawRequest.disclosed_at.is_(None))
            .where(ExpertCall.signed_in_at.is_(None))  # still to sign in (demo/evaluation.py's sat in session)
            .order_by(ExpertCall.id)
        )
        return [(username, ACCOUNT_LABEL, name) for username, name in session.execute(stmt)]
