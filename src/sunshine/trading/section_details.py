"""Structured lines a domain adds to a section where the notice and project pages show it (e.g. the
qualification requirements: 资质、人员、业绩), registered by ``domains.install()``. The kernel knows no such
domain: it asks every registered source, in order, and shows the labelled lines it gets."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.trading.models import Section

# (session, sections) -> {section id: [(label, text), ...]}
SectionDetails = Callable[[Session, list[Section]], dict[int, list[tuple[str, str]]]]
_sources: list[SectionDetails] = []


def section_details(source: SectionDetails) -> SectionDetails:
    """Add a source of section lines (idempotent)."""
    if source not in _sources:
        _sources.append(source)
    return source


def details(session: Session, sections: list[Section]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {s.id: [] for s in sections}
    for source in _sources:
        for section_id, lines in source(session, sections).items():
            out.setdefault(section_id, []).extend(lines)
    return out


def of_project(session: Session, project_id: int) -> list[tuple[Section, list[tuple[str, str]]]]:
    sections = list(session.scalars(select(Section).where(Section.project_id == project_id).order_by(Section.number)))
    found = details(session, sections)
    return [(s, found.get(s.id, [])) for s in sections]
