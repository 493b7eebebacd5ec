"""Structured lines a domain adds to a section where the notice and project pages show it (e.g. the
qualification requirements: 资质、人员、业绩), and to a registration where the qualification review shows it
(e.g. each requirement against the registrant's certificates), registered by ``domains.install()``. The kernel
knows no such domain: it asks every registered source, in order, and shows the labelled lines it gets."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.trading.models import Registration, Section

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


# (session, registrations) -> {registration id: [(label, text, met), ...]}; met None: no verdict, only a fact
RegistrationDetails = Callable[[Session, list[Registration]], dict[int, list[tuple[str, str, bool | None]]]]
_registration_sources: list[RegistrationDetails] = []


def registration_details(source: RegistrationDetails) -> RegistrationDetails:
    """Add a source of registration lines for the qualification review (idempotent)."""
    if source not in _registration_sources:
        _registration_sources.append(source)
    return source


def of_registrations(session: Session, regs: list[Registration]) -> dict[int, list[tuple[str, str, bool | None]]]:
    out: dict[int, list[tuple[str, str, bool | None]]] = {r.id: [] for r in regs}
    for source in _registration_sources:
        for registration_id, lines in source(session, regs).items():
            out.setdefault(registration_id, []).extend(lines)
    return out
