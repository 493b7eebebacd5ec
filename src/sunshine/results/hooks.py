"""What a domain above the results adds to them, registered by ``domains.install()``: the objections to the
evaluation result filed during the candidates' publicity (条例 第五十四条), which the complaints domain keeps as
cases with their clock. The results read them here — to refuse the winner while one waits for its answer (409
``objection_pending``), to list them on the results page and to hold the archive — and know nothing of complaints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from sunshine.trading.models import Project


@dataclass(frozen=True)
class ResultObjectionView:
    id: int
    code: str
    section_id: int | None
    organisation_id: int
    filed_at: datetime
    content: str
    answer_due: date | None
    answer_due_overdue: bool
    answer: str | None
    answered_at: datetime | None

    @property
    def pending(self) -> bool:
        return self.answered_at is None


ObjectionsSource = Callable[[Session, Project], list[ResultObjectionView]]
_sources: list[ObjectionsSource] = []


def objections_source(fn: ObjectionsSource) -> ObjectionsSource:
    if fn not in _sources:
        _sources.append(fn)
    return fn


def objections(session: Session, project: Project) -> list[ResultObjectionView]:
    """Every objection to this project's evaluation result, in the order filed."""
    return [o for source in _sources for o in source(session, project)]


def pending(session: Session, project: Project) -> list[ResultObjectionView]:
    return [o for o in objections(session, project) if o.pending]
