"""Who won each section of a project, whichever domain decided it (中标人/成交人/中选人/竞得人): the
evaluation's results after the tenderer determined the winner, an online auction's buyer, a small-works
draw's contractor. The kernel knows none of them: each deciding domain registers a source at
``domains.install()``, and what follows a result (award letters, contracts, deposit refunds, performance,
archives) reads ``winners`` only, never the deciding domain's tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from sunshine.trading.models import Project


@dataclass(frozen=True)
class SectionWinner:
    section_id: int
    organisation_id: int
    amount: Decimal  # 中标（成交）金额，元
    decided_at: datetime  # when the result became final (determined, auction ended, draw result determined)
    source: str  # what decided it, in people's words: 评标委员会推荐、招标人确定 / 网上竞价 / 固定价随机抽取
    ledger_seq: int | None = None  # the ledger entry of the decision, where there is one


# (session, project) -> the winners that source decided for the project's sections (none when it decided none)
WinnerSource = Callable[[Session, Project], list[SectionWinner]]
_sources: list[WinnerSource] = []


def winner_source(source: WinnerSource) -> WinnerSource:
    """Add a source of decided winners (idempotent)."""
    if source not in _sources:
        _sources.append(source)
    return source


def winners(session: Session, project: Project) -> list[SectionWinner]:
    """Every section's decided winner, in section order; a section nobody decided yet is absent. A section
    decided by two sources is a defect of the deciding domains, refused here rather than guessed."""
    found: dict[int, SectionWinner] = {}
    for source in _sources:
        for winner in source(session, project):
            if winner.section_id in found:
                raise RuntimeError(f"section {winner.section_id} has winners from two sources")
            found[winner.section_id] = winner
    return [found[k] for k in sorted(found)]


def winner_of(session: Session, project: Project, section_id: int) -> SectionWinner | None:
    return next((w for w in winners(session, project) if w.section_id == section_id), None)
