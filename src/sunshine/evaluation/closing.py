"""How a project leaves 评审中: when every section with opened bids has its session finished (report signed) or
failed, the project takes the kernel's step ``finish_evaluation`` (评审结束, for the results to take over) if any
section has candidates, else ``fail_evaluation`` (流标, to the existing re-tender path). Also the session's failure
itself: 政府采购法 第三十六条 (fewer than three valid bids in procurement) and 招标投标法 第四十二条
(the committee rejects every bid).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import opening as bidding_opening
from sunshine.bidding.opening_record import failed_sections
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.evaluation.models import EvaluationSession
from sunshine.evaluation.service import log
from sunshine.trading import lifecycle
from sunshine.trading.models import Project, Section

DONE = frozenset({"finished", "failed"})


def fail(session: Session, actor: Principal, row: EvaluationSession, reason: str, basis: str) -> None:
    """The section's evaluation fails (废标 / 否决所有投标) with its reason and basis."""
    row.state, row.failure_reason, row.finished_at = "failed", f"{reason}（{basis}）", clock.now()
    log(session, row, "session:failed", {"reason": reason, "basis": basis})
    settle(session, actor, session.get(Project, row.project_id))


def settle(session: Session, actor: Principal, project: Project) -> str | None:
    """Take the project out of 评审中 when every section to evaluate is done; the step taken, or None."""
    if project.state != "evaluation":
        return None
    opening = bidding_opening.session_of(session, project.id)
    failed_ids = set(failed_sections(opening)) if opening is not None else set()
    sections = session.scalars(select(Section).where(Section.project_id == project.id)).all()
    stmt = select(EvaluationSession).where(EvaluationSession.project_id == project.id)
    rows = {r.section_id: r for r in session.scalars(stmt)}
    for section in sections:
        if section.id in failed_ids:
            continue
        row = rows.get(section.id)
        if row is None or row.state not in DONE:
            return None
    if any(r.state == "finished" for r in rows.values()):
        lifecycle.apply(session, project, "finish_evaluation", actor)
        return "finish_evaluation"
    reasons = "；".join(r.failure_reason or "" for r in rows.values())
    project.failed_attempts += 1
    lifecycle.apply(session, project, "fail_evaluation", actor, reason=reasons[:1000] or "评审失败")
    return "fail_evaluation"
