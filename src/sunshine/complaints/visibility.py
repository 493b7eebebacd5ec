"""Who may see a case file (异议、质疑、投诉的案卷): the complainant's own organisation, the project's tenderer
(purchaser) and its agency — the respondents — and the supervisory department; the centre also reads the objections
raised at the opening and to the evaluation result. Nobody else: to them a case
does not exist (404). A published decision is read through the disclosure pipeline, not here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from sunshine.complaints import jurisdiction, kinds
from sunshine.complaints.models import ComplaintCase
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project

DEPARTMENT = frozenset({Role.SUPERVISOR})


def is_department(actor: Principal) -> bool:
    return bool(actor.roles & DEPARTMENT)


def is_complainant(actor: Principal, row: ComplaintCase) -> bool:
    return actor.organisation_id is not None and actor.organisation_id == row.organisation_id


def is_respondent(actor: Principal, project: Project) -> bool:
    return trading_visibility.is_party(actor, project)


def is_centre(actor: Principal) -> bool:
    return Role.CENTRE_STAFF in actor.roles


def may_read(actor: Principal, row: ComplaintCase, project: Project) -> bool:
    """The centre also reads the objections raised at the opening it hosts and to the result it publishes."""
    return (
        is_department(actor)
        or is_complainant(actor, row)
        or is_respondent(actor, project)
        or (is_centre(actor) and row.kind in kinds.FOLDED)
    )


def own_jurisdiction(session: Session | None, actor: Principal) -> ColumnElement[bool]:
    """A department's account sees the cases filed to its department (and those filed before jurisdiction)."""
    dept = jurisdiction.of_actor(session, actor) if session is not None else None
    if dept is None:
        return true()
    return or_(ComplaintCase.department == dept, ComplaintCase.department.is_(None))


def readable(actor: Principal, session: Session | None = None) -> ColumnElement[bool]:
    """The condition every list of cases starts from (pass the session to apply the department's jurisdiction)."""
    if is_department(actor):
        return own_jurisdiction(session, actor)
    centre = ComplaintCase.kind.in_(sorted(kinds.FOLDED)) if is_centre(actor) else false()
    if actor.organisation_id is None:
        return centre
    clauses = [centre, ComplaintCase.organisation_id == actor.organisation_id]
    if actor.roles & {Role.TENDERER, Role.AGENCY}:
        own = select(Project.id).where(
            or_(
                (Project.tenderer_id == actor.organisation_id) if Role.TENDERER in actor.roles else false(),
                (Project.agency_id == actor.organisation_id) if Role.AGENCY in actor.roles else false(),
            )
        )
        clauses.append(ComplaintCase.project_id.in_(own))
    return or_(*clauses)


def in_jurisdiction(session: Session, actor: Principal, row: ComplaintCase) -> bool:
    dept = jurisdiction.of_actor(session, actor)
    return dept is None or row.department is None or row.department == dept


def get_visible(session: Session, actor: Principal, case_id: int) -> tuple[ComplaintCase, Project]:
    row = session.get(ComplaintCase, case_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if row is None or project is None or not may_read(actor, row, project):
        raise NotFound("异议、质疑或投诉不存在")
    other = is_department(actor) and not in_jurisdiction(session, actor, row)
    if other and not (is_complainant(actor, row) or is_respondent(actor, project)):
        raise NotFound("异议、质疑或投诉不存在")
    return row, project
