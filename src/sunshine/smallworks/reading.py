"""What a reader sees of a draw project's small-works draw (the API and the page): per section the fixed price,
how many registered and how many were qualified, the draw's state with the links to the draw room and its
public record, and — once the draw has finished, which makes the result public — the contractor, the reserve
and any recorded declines; the publicity and contract deadlines; and which centre actions are open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.smallworks import notices, service
from sunshine.smallworks.models import DrawnOutcome, SectionDraw
from sunshine.trading import lifecycle
from sunshine.trading.models import Project


@dataclass
class OutcomeView:
    organisation: str
    outcome_label: str
    reason: str
    at: datetime


@dataclass
class SectionView:
    section_id: int
    number: int
    name: str
    fixed_price: Decimal
    state: str | None  # None: no draw prepared yet
    state_label: str
    draw_code: str | None
    pool_count: int | None
    eligible_count: int | None
    failed_reason: str | None
    contractor: str | None
    reserve: str | None
    drawn_at: datetime | None
    outcomes: list[OutcomeView] = field(default_factory=list)

    @property
    def record_url(self) -> str | None:
        return f"/draws/{self.draw_code}" if self.draw_code else None

    @property
    def room_url(self) -> str | None:
        return f"/draws/{self.draw_code}/room" if self.draw_code else None


@dataclass
class ProjectDraws:
    project: Project
    state_label: str
    sections: list[SectionView]
    publicity_until: date | None
    contract_due: date | None
    may_prepare: bool
    may_record: bool


def view(session: Session, actor: Principal, project_id: int) -> ProjectDraws:
    project = service.project_of(session, actor, project_id)
    rows = {r.section_id: r for r in service.rows_of(session, project.id)}
    public = [r for r in rows.values() if r.state in ("drawn", "determined", "failed")]
    names = service.organisation_names(session, public)
    outcomes: dict[int, list[DrawnOutcome]] = {}
    if rows:
        for o in session.scalars(
            select(DrawnOutcome)
            .where(DrawnOutcome.draw_id.in_([r.id for r in rows.values()]))
            .order_by(DrawnOutcome.id)
        ):
            outcomes.setdefault(o.draw_id, []).append(o)
    sections = []
    for s in sorted(project.sections, key=lambda s: s.number):
        row: SectionDraw | None = rows.get(s.id)
        shown = row is not None and row.state != "prepared"
        sections.append(
            SectionView(
                section_id=s.id,
                number=s.number,
                name=s.name,
                fixed_price=s.estimate,
                state=row.state if row else None,
                state_label=notices.STATE_LABELS[row.state] if row else _waiting(project),
                draw_code=row.draw_code if row else None,
                pool_count=row.pool_count if row else None,
                eligible_count=row.eligible_count if row else None,
                failed_reason=row.failed_reason if row else None,
                contractor=names.get(row.contractor_org_id) if shown and row.contractor_org_id else None,
                reserve=names.get(row.reserve_org_id) if shown and row.reserve_org_id else None,
                drawn_at=row.drawn_at if row else None,
                outcomes=[
                    OutcomeView(
                        names.get(o.organisation_id, ""), service.OUTCOME_LABELS[o.outcome], o.reason, o.recorded_at
                    )
                    for o in outcomes.get(row.id, [])
                ]
                if row
                else [],
            )
        )
    publicity = service.open_deadline(session, project, service.PUBLICITY)
    contract = service.open_deadline(session, project, service.CONTRACT)
    centre = actor.has(Role.CENTRE_STAFF)
    closed = project.state == "bid_closed" or (
        project.state == "notice_published" and project.bid_deadline is not None and clock.now() >= project.bid_deadline
    )
    return ProjectDraws(
        project=project,
        state_label=lifecycle.state_label(project, project.state),
        sections=sections,
        publicity_until=publicity.due if publicity else None,
        contract_due=contract.due if contract else None,
        may_prepare=centre and closed and not rows,
        may_record=centre and project.state == "candidates_publicised",
    )


def _waiting(project: Project) -> str:
    if project.state in ("registered", "returned", "accepted"):
        return "尚未发布抽取公告"
    if project.state == "notice_published":
        return "报名中，报名截止后组织抽取"
    if project.state == "bid_closed":
        return "报名已截止，等待交易中心组织抽取"
    return lifecycle.state_label(project, project.state)
