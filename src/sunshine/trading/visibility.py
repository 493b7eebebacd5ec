"""Who may see what of a trading project, decided once for the API, the pages and the services.

A project is public from its first notice; before that only its parties (the tenderer and the agency it
appointed) and the oversight roles see it. Who registered is confidential until the bid deadline
(《招标投标法》第二十二条): a bidder sees only its own registrations; the list of a project is for its
parties, the centre and the supervisory department. Everyone else is told an object does not exist (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session, selectinload

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.roles import Role
from sunshine.trading.models import Project, Registration

OVERSIGHT = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.ADMIN, Role.DISCLOSURE_OFFICE})
REGISTRATION_READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})


def is_party_to(actor: Principal, tenderer_id: int | None, agency_id: int | None) -> bool:
    """The tenderer itself (招标人/采购人, acting in that role) or the agency it appointed."""
    if actor.organisation_id is None:
        return False
    if Role.TENDERER in actor.roles and actor.organisation_id == tenderer_id:
        return True
    return Role.AGENCY in actor.roles and agency_id is not None and actor.organisation_id == agency_id


def is_party(actor: Principal, project: Project) -> bool:
    """The project's own tenderer or the agency it appointed."""
    return is_party_to(actor, project.tenderer_id, project.agency_id)


def is_own_organisation_project(actor: Principal, project: Project) -> bool:
    """The viewer's organisation is the project's tenderer or agency, whatever role the viewer holds."""
    return actor.organisation_id is not None and actor.organisation_id in (project.tenderer_id, project.agency_id)


def may_see_registrations(actor: Principal, project: Project) -> bool:
    """Who may know who registered (and how many): the parties, the centre and the supervisors."""
    return is_party(actor, project) or bool(actor.roles & REGISTRATION_READERS)


def is_visible(actor: Principal, project: Project) -> bool:
    if project.public_since is not None or actor.roles & OVERSIGHT:
        return True
    return is_own_organisation_project(actor, project)


def readable(actor: Principal, *, mine: bool = False) -> ColumnElement[bool]:
    """The condition every list of projects starts from: what ``actor`` may read (``mine``: only the projects
    of the viewer's own organisation)."""
    own = (Project.tenderer_id == actor.organisation_id) | (Project.agency_id == actor.organisation_id)
    if mine:
        return own if actor.organisation_id is not None else Project.id.is_(None)
    if actor.roles & OVERSIGHT:
        return true()
    public = Project.public_since.is_not(None)
    return public | own if actor.organisation_id is not None else public


def _load(session: Session, where) -> Project | None:
    return session.scalar(select(Project).where(where).options(selectinload(Project.sections)))


def get_visible(session: Session, actor: Principal, project_id: int) -> Project:
    """The project if ``actor`` may see it; anyone else is told it does not exist."""
    project = _load(session, Project.id == project_id)
    if project is None or not is_visible(actor, project):
        raise NotFound("项目不存在")
    return project


def get_visible_by_code(session: Session, actor: Principal, code: str) -> Project:
    project = _load(session, Project.code == code)
    if project is None or not is_visible(actor, project):
        raise NotFound("项目不存在")
    return project


def own_registration(session: Session, actor: Principal, registration_id: int) -> Registration:
    """The bidder's own registration; anyone else's does not exist for it."""
    reg = session.get(Registration, registration_id)
    if (
        reg is None
        or actor.organisation_id is None
        or reg.organisation_id != actor.organisation_id
        or Role.BIDDER not in actor.roles
    ):
        raise NotFound("报名记录不存在")
    return reg
