"""What the tick does for disclosure governance: consultations past their period stop taking comments, and one
alert is raised for each opinion item not answered by its due date and each finding not corrected by its
deadline (idempotent: a second tick the same day raises nothing)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.governance import consultations, inspections, opinions


def tick(session: Session) -> list[str]:
    """The alert keys and consultation codes this tick acted on."""
    out = [f"consultation:{code}" for code in consultations.close_due(session)]
    out += [f"{opinions.ALERT_KIND}:{i}" for i in opinions.mark_overdue(session)]
    out += [f"{inspections.ALERT_KIND}:{i}" for i in inspections.mark_overdue(session)]
    return out
