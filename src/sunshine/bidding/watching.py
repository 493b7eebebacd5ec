"""The observers' seat at an opening (开标会观察席, seed 000: 可远程观察电子开标): bidding registers the opening of a
project as a kind of observed session with the generic ``observers`` package, held at the room booked for the
opening; a seated person (a social supervisor who chose or was drawn for the opening) watches the room remotely and is
told so there, and the room counts its seated observers. A seat shows nothing more than the room shows anyone:
no bid's content before it is decrypted (the record forms only from decryption on). Reads; never commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.observers import registry
from sunshine.observers import service as observers

KIND = "opening_session"
LABEL = "开标会（电子开标室）"


def watch_link(project_id: int) -> str:
    return f"/projects/{project_id}/opening"


def sessions_at_booking(session: Session, project_id: int, booking_subject: str) -> list[int]:
    """An opening booking is the project's opening: the session's id is the project's."""
    return [project_id]


def install() -> None:
    registry.register(KIND, LABEL, watch_link, booked_as="opening", sessions_of=sessions_at_booking)


def seat_label(session: Session, actor: Principal, project_id: int) -> str | None:
    """The visitor's own seat at the opening, as the room names it (None: no seat)."""
    seat = observers.seat_of(session, actor, KIND, project_id)
    return observers.capacity_label(seat.capacity) if seat is not None else None


def seated(session: Session, project_id: int) -> int:
    return len(observers.seats(session, KIND, project_id))
