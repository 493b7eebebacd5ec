"""The population rules (R024, R025, R038, R048, R058, C04, C05): fences and concentrations computed over every
section of the horizon. Their input is kept between ticks, one row of facts per section (``monitoring_section_fact``),
replaced only for the projects with something new since the watermark (and after each step of a project), so a tick
reads the changed projects through the trading domains and the rest as stored facts, never every project of 400 days
again. The fences are computed afresh from the stored facts on each run, so a change anywhere moves them at once;
findings are kept for the changed projects' sections and the organisations that took part in them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.identity.models import Organisation
from sunshine.monitoring import facts, flags
from sunshine.monitoring.flags import Finding
from sunshine.monitoring.models import SectionFact
from sunshine.monitoring.ruleset import Rule
from sunshine.trading.models import Project

RULES = ("R024", "R058", "R025", "R038", "R048", "C04", "C05")


def keep(session: Session, project: Project, sections: list[facts.SectionFacts]) -> None:
    """Replace the stored facts of one project's sections with ``sections`` (read just now)."""
    session.execute(delete(SectionFact).where(SectionFact.project_id == project.id))
    now = clock.now()
    session.add_all(
        SectionFact(
            section_id=s.section_id,
            project_id=project.id,
            registered_at=project.registered_at,
            facts_json=facts.dumps(s),
            refreshed_at=now,
        )
        for s in sections
    )
    session.flush()


def stored(session: Session, since: datetime) -> list[facts.SectionFacts]:
    """The stored facts of every section of a project registered since ``since`` (oldest projects first)."""
    rows = session.scalars(
        select(SectionFact.facts_json)
        .where(SectionFact.registered_at >= since)
        .order_by(SectionFact.project_id, SectionFact.section_id)
    )
    return [facts.loads(text) for text in rows]


def prune(session: Session, since: datetime) -> None:
    """Forget the facts of projects that left the horizon."""
    session.execute(delete(SectionFact).where(SectionFact.registered_at < since))


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


def evaluate(
    session: Session,
    rules: dict[str, Rule],
    sections: list[facts.SectionFacts],
    now: datetime,
    touched: Iterable[int] | None,
) -> list[Finding]:
    """Every population rule over ``sections``; with ``touched`` (project ids), only the findings about those
    projects or an organisation that took part in one of them."""
    if not any(r in rules for r in RULES):
        return []
    names = _names(
        session,
        {s.tenderer_id for s in sections}
        | {s.agency_id for s in sections}
        | {b.organisation_id for s in sections for b in s.bids},
    )
    table = {
        "R024": lambda r: flags.r024(r, sections),
        "R058": lambda r: flags.r058(r, sections),
        "R025": lambda r: flags.r025(r, sections),
        "R038": lambda r: flags.r038(r, sections, names),
        "R048": lambda r: flags.r048(r, sections, names),
        "C04": lambda r: flags.c04(r, sections, now, names),
        "C05": lambda r: flags.c05(r, sections, now, names),
    }
    found: list[Finding] = []
    projects = set(touched) if touched is not None else None
    actors: set[int] = set()
    if projects is not None:
        actors = {o for s in sections if s.project_id in projects for o in (s.tenderer_id, s.agency_id)}
        actors |= {b.organisation_id for s in sections if s.project_id in projects for b in s.bids}
    for rule_id, fn in table.items():
        if rule_id in rules:
            found += [f for f in fn(rules[rule_id]) if projects is None or _concerns(f, projects, actors)]
    return found


def _concerns(found: Finding, projects: set[int], organisations: set[int]) -> bool:
    """Whether a population rule's finding is about a changed project or an organisation that took part in one."""
    if found.project_id in projects:
        return True
    return found.subject_kind == "organisation" and found.subject_id in organisations
