"""What a reader sees of a project's results, shared by the API and the pages: the clocks with their due dates,
each section's candidates (officials always, everyone once published), the winners, the objections the reader may
read, and what the reader may do now. Reads only."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.models import TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.results import base, publicity, visibility, winners
from sunshine.trading import lifecycle
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Section


def _deadline(session: Session, deadline_id: int | None) -> dict[str, Any] | None:
    row = session.get(TrackedDeadline, deadline_id) if deadline_id else None
    if row is None:
        return None
    return {
        "purpose": row.purpose,
        "due": row.due,
        "open": row.is_open,
        "basis": row.basis,
        "overdue": row.is_open and clock.today_local() > row.due,
    }


def view(session: Session, actor: Principal, project_id: int) -> dict[str, Any]:
    project = trading_visibility.get_visible(session, actor, project_id)
    official = visibility.is_official(actor, project)
    shown = official or visibility.candidates_public(project)
    row = base.result_of(session, project.id)
    decided = {d.section_id: d for d in winners.decisions(session, project.id)}
    winners_public = official or project.state in visibility.PUBLISHED_STATES - {"candidates_publicised"}
    sections = []
    for ev in base.sessions(session, project.id):
        section = session.get(Section, ev.section_id)
        d = decided.get(section.id)
        sections.append(
            {
                "section_id": section.id,
                "number": section.number,
                "name": section.name,
                "candidates": [
                    {"eval_bid_id": c.eval_bid_id, "rank": c.rank, "bidder": c.bidder, "price": c.price, "tied": c.tied}
                    for c in base.candidates(session, ev)
                ]
                if shown
                else [],
                "winner": (
                    {
                        "id": d.id,
                        "bidder": d.bidder,
                        "organisation_id": d.organisation_id,
                        "amount": d.amount,
                        "rank": d.rank,
                        "reason": d.reason,
                        "reason_label": winners.REASON_LABELS.get(d.reason or "") if d.reason else None,
                        "facts": d.facts if official else None,
                        "evidence": bool(d.evidence_sha256) if official else False,
                        "deemed": d.deemed,
                        "decided_at": d.decided_at,
                        "source": winners.source_label(project, d),
                    }
                    if d is not None and winners_public
                    else None
                ),
            }
        )
    objections = [
        {
            "id": o.id,
            "code": o.code,
            "section_id": o.section_id,
            "organisation": publicity.organisation_name(session, o.organisation_id),
            "filed_at": o.filed_at,
            "content": o.content,
            "answer_due": {"due": o.answer_due, "overdue": o.answer_due_overdue} if o.answer_due else None,
            "answer": o.answer,
            "answered_at": o.answered_at,
            "case_link": f"/complaints/{o.id}",
        }
        for o in publicity.objections(session, project)
        if publicity.may_read_objection(actor, o.organisation_id, project)
    ]
    steps = {s.name for s in lifecycle.available_steps(project)}
    party = trading_visibility.is_party(actor, project)
    tenderer = actor.has(Role.TENDERER) and actor.organisation_id == project.tenderer_id
    in_period = row is not None and publicity.in_period(session, row)
    return {
        "project_id": project.id,
        "project_name": project.name,
        "project_code": project.code,
        "state": project.state,
        "state_label": lifecycle.state_label(project, project.state),
        "procurement": base.is_procurement(project),
        "needs_publicity": base.needs_publicity(project),
        "official": official,
        "report_received_on": row.report_received_on if row else None,
        "publicity_due": _deadline(session, row.publicity_due_id) if row and official else None,
        "publicity_until": (_deadline(session, row.publicity_end_id) or {}).get("due") if row else None,
        "publicised_at": row.publicised_at if row else None,
        "decide_due": _deadline(session, row.decide_due_id) if row and official else None,
        "decided_on": row.decided_on if row and official else None,
        "notice_due": _deadline(session, row.notice_due_id) if row and official else None,
        "notice_published_at": row.notice_published_at if row else None,
        "notice_until": row.notice_until if row else None,
        "sections": sections,
        "objections": objections,
        "reasons": winners.REASONS,
        "may": {
            "publicise": party and "publicise_candidates" in steps and base.needs_publicity(project),
            "determine": tenderer and "determine_winner" in steps,
            "publish": party and "publish_result" in steps,
            "object": publicity.may_object(actor) and project.state == "candidates_publicised" and in_period,
            "answer": party,
            "recheck": official and bool(sections),
        },
    }
