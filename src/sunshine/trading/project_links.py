"""Links a domain adds to the project page once its part of the project exists (e.g. the evaluation results,
the award letters, the contracts), registered by ``domains.install()``. The kernel knows no such domain: it asks
every registered source, in order, what ``principal`` may open for the project and shows the labelled links."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.trading.models import Project

# (session, principal, project) -> [(label, href), ...]: only pages the principal may open
ProjectLinks = Callable[[Session, Principal, Project], list[tuple[str, str]]]
_sources: list[ProjectLinks] = []


def project_links(source: ProjectLinks) -> ProjectLinks:
    """Add a source of project links (idempotent)."""
    if source not in _sources:
        _sources.append(source)
    return source


def links(session: Session, principal: Principal, project: Project) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for source in _sources:
        out.extend(source(session, principal, project))
    return out
