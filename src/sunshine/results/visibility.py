"""Who may see what of a project's results, decided once for the API, the pages and the services.

- The re-check of the candidates, the determination and the evidence: the project's tenderer and agency, the
  centre's staff and the supervisors (officials); anyone else is told the project does not exist, or, if the
  project is public, that it may not (403).
- The candidates, their prices and the winners are public once published (the publicity, the result notice go
  through the disclosure pipeline); before that only officials see them.
- An objection: its filer's organisation and the officials.
"""

from __future__ import annotations

from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden
from sunshine.identity.roles import Role
from sunshine.trading import visibility
from sunshine.trading.models import Project

OFFICIAL_ROLES = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})
PUBLISHED_STATES = frozenset(
    {
        "candidates_publicised",
        "result_published",
        "awarded",
        "contracted",
        "performing",
        "performance_accepted",
        "closed",
    }
)


def is_official(actor: Principal, project: Project) -> bool:
    return visibility.is_party(actor, project) or bool(actor.roles & OFFICIAL_ROLES)


def officials_project(session, actor: Principal, project_id: int) -> Project:  # noqa: ANN001
    project = visibility.get_visible(session, actor, project_id)
    if not is_official(actor, project):
        raise Forbidden("中标候选人的核查信息仅招标人（采购人）、代理机构、交易中心和监督部门可见")
    return project


def candidates_public(project: Project) -> bool:
    return project.state in PUBLISHED_STATES
