"""The small-works draw's decided winners for the kernel's registry (``trading.outcomes``): each section's
drawn contractor after any replacement by the reserve, at the section's fixed price (固定价), decided when the
publicity period ran out and the result was determined. Registered by ``smallworks.steps.install``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.smallworks.models import SectionDraw
from sunshine.trading import outcomes
from sunshine.trading.models import Project, Transition

SOURCE = "固定价随机抽取"


def draw_winners(session: Session, project: Project) -> list[outcomes.SectionWinner]:
    if project.lifecycle != "draw":
        return []
    rows = session.scalars(
        select(SectionDraw)
        .where(SectionDraw.project_id == project.id, SectionDraw.state == "determined")
        .order_by(SectionDraw.section_id)
    ).all()
    if not rows:
        return []
    determined = session.scalar(
        select(Transition)
        .where(Transition.project_id == project.id, Transition.step == "determine_draw_result")
        .order_by(Transition.id.desc())
        .limit(1)
    )
    if determined is None:
        return []
    return [
        outcomes.SectionWinner(
            section_id=row.section_id,
            organisation_id=row.contractor_org_id,
            amount=row.fixed_price,
            decided_at=determined.at,
            source=SOURCE,
            ledger_seq=determined.ledger_seq,
        )
        for row in rows
        if row.contractor_org_id is not None
    ]


def install() -> None:
    outcomes.winner_source(draw_winners)
