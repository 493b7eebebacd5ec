"""What a domain above bidding adds to it, registered by ``domains.install()``: a block of the opening room for
the officials (the qualification findings beside each bid), work done when decryption ends (the project-manager
conflicts found in the opened bids), the people a bidder may name in its bid form (拟派项目经理), and the holds
that keep a project's opening from being due (a procurement invitation tender before its invitation letters).

Bidding knows none of these domains; it calls what was registered, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.trading.models import Project


@dataclass(frozen=True)
class RoomPanel:
    """A block of the opening room: its heading, the template that draws it and that template's context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


RoomPanelSource = Callable[[Session, Principal, Project], RoomPanel | None]
DecryptionClosed = Callable[[Session, Project], None]
# the people an organisation may name as the bid's project manager: [(registration number, name, label)]
PeopleSource = Callable[[Session, int], list[tuple[str, str, str]]]

_room_panels: list[RoomPanelSource] = []
_decryption_closed: list[DecryptionClosed] = []
_people: list[PeopleSource] = []
# the SQL condition, over ``Project``, of the projects whose opening a domain holds back
OpeningHold = Callable[[], ColumnElement[bool]]
_opening_holds: list[OpeningHold] = []


def _add(registry: list, fn):
    if fn not in registry:
        registry.append(fn)
    return fn


def room_panel(fn: RoomPanelSource) -> RoomPanelSource:
    return _add(_room_panels, fn)


def on_decryption_closed(fn: DecryptionClosed) -> DecryptionClosed:
    return _add(_decryption_closed, fn)


def bid_people(fn: PeopleSource) -> PeopleSource:
    return _add(_people, fn)


def panels(session: Session, actor: Principal, project: Project) -> list[RoomPanel]:
    return [p for p in (source(session, actor, project) for source in _room_panels) if p is not None]


def decryption_closed(session: Session, project: Project) -> None:
    for hook in _decryption_closed:
        hook(session, project)


def people(session: Session, organisation_id: int | None) -> list[tuple[str, str, str]]:
    if organisation_id is None:
        return []
    return [person for source in _people for person in source(session, organisation_id)]


# Checks of a person recorded at the opening — an official named (唱标人、记录人、监标人; user_id None) or a user
# confirming the record — that raise a domain error to refuse (evaluation: 评委不参加开标会).
OpeningPersonCheck = Callable[[Session, Project, int | None, str], None]
_opening_person_checks: list[OpeningPersonCheck] = []


def opening_person_check(fn: OpeningPersonCheck) -> OpeningPersonCheck:
    return _add(_opening_person_checks, fn)


def check_opening_person(session: Session, project: Project, user_id: int | None, name: str) -> None:
    for check in _opening_person_checks:
        check(session, project, user_id, name)


def opening_hold(fn: OpeningHold) -> OpeningHold:
    return _add(_opening_holds, fn)


def held_condition() -> ColumnElement[bool]:
    """True for the projects some domain holds back from their opening."""
    return or_(*(hold() for hold in _opening_holds)) if _opening_holds else false()


def held(session: Session, project: Project) -> bool:
    """The same condition for one project (one query, so that the room and the tick never disagree)."""
    if not _opening_holds:
        return False
    return session.scalar(select(Project.id).where(Project.id == project.id, held_condition())) is not None


@dataclass(frozen=True)
class OpeningObjectionView:
    """An objection raised at the opening (开标异议) as the opening record shows it; the domain that keeps the
    objections (complaints) provides them and the routes that raise and answer them."""

    id: int
    organisation_id: int
    text: str
    raised_at: Any
    answer: str | None
    answered_by: int | None
    answered_at: Any


OpeningObjectionsSource = Callable[[Session, Project], list[OpeningObjectionView]]
_opening_objections: list[OpeningObjectionsSource] = []


def opening_objections_source(fn: OpeningObjectionsSource) -> OpeningObjectionsSource:
    return _add(_opening_objections, fn)


def opening_objections(session: Session, project: Project) -> list[OpeningObjectionView]:
    """The objections raised at this project's opening, in the order raised."""
    return [o for source in _opening_objections for o in source(session, project)]
