"""What open data may say about a batch of projects, read once for the whole batch: the public projects, their
sections and parties, the published notices, the steps taken, the publications the public can read, the opening
record once published, the signed contracts whose announcement is public and the decided winners once the result
notice is public. Everything here is already public: nothing that is still a draft, held for review or before its
publication is read (``trading.visibility``, ``disclosure.visibility``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.bidding.models import OpeningSession
from sunshine.core.auth import ANONYMOUS
from sunshine.disclosure import visibility as disclosure_visibility
from sunshine.disclosure.models import Publication
from sunshine.identity.models import Organisation
from sunshine.performance import reading as performance
from sunshine.trading import outcomes
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Notice, Project, Section, Transition

# The public document of each stage, by its source reference in the disclosure pipeline.
RESULT_SOURCES = ("results:notice:", "smallworks:", "auction:")
CONTRACT_SOURCE = "contracts:"
ACCEPTANCE_SOURCE = "acceptance:"
OPENING_SOURCE = "opening:"
CANCELLED_STATES = frozenset({"failed", "terminated"})


@dataclass
class Facts:
    """The public facts of one project."""

    project: Project
    sections: list[Section] = field(default_factory=list)
    orgs: dict[int, Organisation] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)  # oldest first
    transitions: list[Transition] = field(default_factory=list)  # oldest first
    publications: list[Publication] = field(default_factory=list)  # public ones, oldest first
    opening: OpeningSession | None = None  # only once its record is public
    opening_record: dict[str, Any] | None = None
    contracts: list[AwardContract] = field(default_factory=list)  # signed, announcement public
    winners: list[outcomes.SectionWinner] = field(default_factory=list)  # result notice public
    # contract id → its schedule, payments and passed acceptance, once the acceptance's publication is public
    implementation: dict[int, performance.Implementation] = field(default_factory=dict)

    def publication(self, *prefixes: str) -> Publication | None:
        """The first public publication whose source reference starts with one of ``prefixes``."""
        return next((p for p in self.publications if (p.source_ref or "").startswith(prefixes)), None)

    def section_number(self, section_id: int) -> int:
        return next((s.number for s in self.sections if s.id == section_id), 0)


def public_projects() -> Any:
    """The condition of projects the public may read (from their first notice)."""
    return trading_visibility.readable(ANONYMOUS)


def load(session: Session, project_ids: Sequence[int]) -> list[Facts]:
    """The public facts of the projects ``project_ids`` that are public, in the order given."""
    if not project_ids:
        return []
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(project_ids), public_projects()))}
    facts = {pid: Facts(projects[pid]) for pid in project_ids if pid in projects}
    ids = list(facts)
    if not ids:
        return []
    for s in session.scalars(select(Section).where(Section.project_id.in_(ids)).order_by(Section.number)):
        facts[s.project_id].sections.append(s)
    for n in session.scalars(select(Notice).where(Notice.project_id.in_(ids)).order_by(Notice.published_at, Notice.id)):
        facts[n.project_id].notices.append(n)
    for t in session.scalars(
        select(Transition).where(Transition.project_id.in_(ids)).order_by(Transition.at, Transition.id)
    ):
        facts[t.project_id].transitions.append(t)
    by_subject = {f"project:{f.project.code}": f for f in facts.values()}
    for pub in session.scalars(
        select(Publication)
        .where(Publication.subject.in_(list(by_subject)), disclosure_visibility.public())
        .order_by(Publication.published_at, Publication.id)
    ):
        by_subject[pub.subject].publications.append(pub)
    for opening in session.scalars(select(OpeningSession).where(OpeningSession.project_id.in_(ids))):
        f = facts[opening.project_id]
        if opening.record_json and f.publication(f"{OPENING_SOURCE}{opening.id}"):
            f.opening, f.opening_record = opening, json.loads(opening.record_json)
    for c in session.scalars(select(AwardContract).where(AwardContract.project_id.in_(ids)).order_by(AwardContract.id)):
        f = facts[c.project_id]
        if c.tenderer_signed_at and c.winner_signed_at and f.publication(CONTRACT_SOURCE):
            f.contracts.append(c)
    accepted = {c.id: c.project_id for f in facts.values() if f.publication(ACCEPTANCE_SOURCE) for c in f.contracts}
    for cid, done in performance.implementation_of(session, list(accepted)).items():
        if done.accepted is not None:
            facts[accepted[cid]].implementation[cid] = done
    for f in facts.values():
        if f.publication(*RESULT_SOURCES) and any(t.to_state == "result_published" for t in f.transitions):
            f.winners = outcomes.winners(session, f.project)
    wanted: set[int] = set()
    for f in facts.values():
        wanted |= {f.project.tenderer_id, f.project.agency_id or 0}
        wanted |= {w.organisation_id for w in f.winners}
        wanted |= {c.winner_id for c in f.contracts}
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))}
    for f in facts.values():
        f.orgs = orgs
    return [facts[pid] for pid in project_ids if pid in facts]


def changed_since(session: Session, moment: datetime) -> list[int]:
    """Projects with something published or a step taken since ``moment``: the candidates for new releases."""
    ids: set[int] = set()
    ids |= set(session.scalars(select(Notice.project_id).where(Notice.published_at >= moment)))
    ids |= set(session.scalars(select(Transition.project_id).where(Transition.at >= moment)))
    subjects = set(
        session.scalars(
            select(Publication.subject).where(Publication.published_at >= moment, Publication.subject.like("project:%"))
        )
    )
    if subjects:
        codes = [s.removeprefix("project:") for s in subjects]
        ids |= set(session.scalars(select(Project.id).where(Project.code.in_(codes))))
    return sorted(ids)
