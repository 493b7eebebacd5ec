"""Who may see and act in an evaluation session, decided once for the API, the pages and the services.

What is said and scored in the session is confidential until the results (《招标投标法》第四十四条:
评标委员会成员不得透露对投标文件的评审和比较、中标候选人的推荐情况以及与评标有关的其他情况):
only the committee's active members and the centre's staff running the session read it. The report is delivered
to the tenderer (purchaser) and its agency when the committee has signed it; everyone else — the supervisor,
bidders, other experts, a member who was recused, the public — is told the session does not exist (404) until
the project's results are public. A bidder sees only the questions put to itself.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project

#: states in which the results are public: the session's record is readable by the project's officials and parties
RESULT_STATES = frozenset({"result_published", "awarded", "contracted", "performing", "performance_accepted", "closed"})


def runs(actor: Principal) -> bool:
    """The centre's staff run the session (organise, admit members, record refusals to sign)."""
    return actor.has(Role.CENTRE_STAFF)


def member_of(session: Session, actor: Principal, row: EvaluationSession) -> EvaluationMember | None:
    """The actor's own active seat in the session, if any."""
    if actor.user_id is None:
        return None
    stmt = select(EvaluationMember).where(
        EvaluationMember.session_id == row.id,
        EvaluationMember.user_id == actor.user_id,
        EvaluationMember.state == "active",
    )
    return session.scalar(stmt)


def results_public(project: Project) -> bool:
    return project.state in RESULT_STATES


def may_read(session: Session, actor: Principal, row: EvaluationSession, project: Project) -> bool:
    if runs(actor) or member_of(session, actor, row) is not None:
        return True
    if results_public(project):
        return trading_visibility.is_party(actor, project) or actor.has(Role.SUPERVISOR)
    return False


def may_read_report(session: Session, actor: Principal, row: EvaluationSession, project: Project) -> bool:
    """The report: the session's readers; the agency once the committee has signed it (it delivers the report to the
    purchaser, 87号令 第六十八条); the tenderer once it is delivered."""
    if may_read(session, actor, row, project):
        return True
    if not trading_visibility.is_party(actor, project):
        return False
    if actor.has(Role.AGENCY) and row.state == "finished":
        return True
    return row.delivered_at is not None


def get_readable(session: Session, actor: Principal, session_id: int) -> tuple[EvaluationSession, Project]:
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not may_read(session, actor, row, project):
        raise NotFound("评标会议不存在")
    return row, project


MEMBER_ORDER = Keyset.of("evaluation-sessions-mine", EvaluationSession.id)


def member_session_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[EvaluationSession]:
    """The sessions the actor sits in (active), newest first, one page at a time."""
    if actor.user_id is None:
        return Page([], None, bounded_limit(limit))
    stmt = (
        select(EvaluationSession)
        .join(EvaluationMember, EvaluationMember.session_id == EvaluationSession.id)
        .where(EvaluationMember.user_id == actor.user_id, EvaluationMember.state == "active")
    )
    return paginate(session, stmt, MEMBER_ORDER, cursor=cursor, limit=limit)


ALL_ORDER = Keyset.of("evaluation-sessions", EvaluationSession.id)


def session_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[EvaluationSession]:
    """Every session, newest first, one page at a time: the centre's staff run them all."""
    return paginate(session, select(EvaluationSession), ALL_ORDER, cursor=cursor, limit=limit)
