"""Who may see and act on a project's expert draw requests, decided once for the API, the pages and the services.

The project's own tenderer and its appointed agency ask for draws and read their requests; the supervisory
department (行政监督部门) reads and decides them; the trading centre's staff read them and run the draws.
Anyone else — bidders, experts, the administrator, the public — is told a request does not exist (404). No
reader sees who was drawn before the results: seats show positions and hashes only (``service.seat_view``).
"""

from __future__ import annotations

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project

OFFICIALS = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF})
ROUTE_ROLES = (Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF)


def may_read(actor: Principal, project: Project) -> bool:
    return trading_visibility.is_party(actor, project) or bool(actor.roles & OFFICIALS)


def may_request(actor: Principal, project: Project) -> bool:
    return trading_visibility.is_party(actor, project)


def may_decide(actor: Principal) -> bool:
    return actor.has(Role.SUPERVISOR)


def may_run(actor: Principal) -> bool:
    return actor.has(Role.CENTRE_STAFF)
