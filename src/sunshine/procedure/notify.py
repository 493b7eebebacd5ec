"""The decisions of the procedure told to the applicant (站内消息, ``messaging.send``): the finance department's
approval or refusal of a method change and the supervisory department's of a direct award reach every active user
of the applying organisation (the applicant alone when it belongs to none), with the decision and its reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.identity.models import User
from sunshine.messaging import service as messaging

KIND = "procedure_decision"
KIND_LABEL = "审批结果通知"


def recipients(session: Session, *, organisation_id: int | None, user_id: int | None = None) -> list[int]:
    if organisation_id is not None:
        users = list(
            session.scalars(
                select(User.id)
                .where(User.organisation_id == organisation_id, User.is_active.is_(True))
                .order_by(User.id)
            )
        )
        if users:
            return users
    return [user_id] if user_id is not None else []


def decision(
    session: Session, *, organisation_id: int | None, user_id: int | None, subject: str, body: str, link: str
) -> int:
    """Send the decision to the applicant's users; returns how many were told."""
    people = recipients(session, organisation_id=organisation_id, user_id=user_id)
    for person in people:
        messaging.send(session, user_id=person, subject=subject, body=body, link=link, kind=KIND)
    return len(people)
