"""The evaluation room of a draw request (评标室): a request meeting in the centre's rooms names one of its
evaluation rooms (isolated from bidders; ``venues`` refuses any other room), which must seat the committee and be
free at the request's
time when it is submitted, is booked when the request is approved and released when it is withdrawn. Where the
centre keeps no evaluation rooms on the platform the place stays free text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees.models import DrawRequest, DrawRequestSpecialty
from sunshine.trading.models import Project
from sunshine.venues import service as venues


def subject(row: DrawRequest) -> str:
    return f"committee-request:{row.id}"


def evaluation_room_names(session: Session) -> list[str]:
    """The evaluation rooms a request may pick (the form offers them)."""
    return [r.name for r in venues.rooms(session, active_only=True) if r.kind in venues.ISOLATED_KINDS]


def check(session: Session, place_kind: str, place: str, meeting_at, committee_size: int | None = None) -> None:
    if place_kind != "room":
        return
    room = venues.evaluation_room(session, place)
    if room is not None:
        venues.check_evaluation_free(session, room, meeting_at, committee_size)


def committee_size(session: Session, row: DrawRequest) -> int:
    """The experts requested and the tenderer's representatives: who sits in the evaluation room."""
    counts = session.scalars(select(DrawRequestSpecialty.count).where(DrawRequestSpecialty.request_id == row.id))
    return sum(counts) + (row.representatives or 0)


def book(session: Session, row: DrawRequest, project: Project, actor_id: int | None) -> None:
    if row.place_kind == "room":
        venues.book_evaluation(
            session,
            project,
            place=row.place,
            starts_at=row.meeting_at,
            subject=subject(row),
            actor_id=actor_id,
            committee_size=committee_size(session, row),
        )


def release(session: Session, row: DrawRequest, reason: str) -> None:
    venues.release_subject(session, subject(row), reason)
