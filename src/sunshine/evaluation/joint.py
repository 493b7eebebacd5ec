"""Sections evaluated together (合并评审): where the tender documents declare that several sections (包) of a project
are evaluated by one committee, each section's declaration names the lead section (``evaluated_with``). The draw
request is the lead section's (the committee is drawn once); the session opens for every section of the group at
once, with the same members; a member signs in once (the experts' own sign-in on the workbench), declares conflicts
once per bidder across the sections, and the chair is elected once — each step taken in any section's room is
recorded in every section's session. Reviews, scoring, the ranking and the report stay per section (each section
its own ranked candidates, which the results and the award letters read per section); each report lists the
sections evaluated together. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.evaluation.models import EvaluationBid, EvaluationDeclaration, EvaluationMember, EvaluationSession
from sunshine.trading.models import Section


def lead_of(session: Session, section_id: int) -> int:
    """The section whose draw request forms the committee: the lead named by the declaration, else the section."""
    decl = session.scalar(select(EvaluationDeclaration).where(EvaluationDeclaration.section_id == section_id))
    return decl.evaluated_with if decl is not None and decl.evaluated_with is not None else section_id


def sections_of(session: Session, section_id: int) -> list[Section]:
    """The sections evaluated together with ``section_id`` (itself included), by number; one alone if none."""
    lead = lead_of(session, section_id)
    stmt = select(EvaluationDeclaration.section_id).where(EvaluationDeclaration.evaluated_with == lead)
    ids = {lead, section_id, *session.scalars(stmt)}
    rows = [session.get(Section, i) for i in ids]
    return sorted((r for r in rows if r is not None), key=lambda r: (r.number, r.id))


def group(session: Session, row: EvaluationSession) -> list[EvaluationSession]:
    """The sessions of the sections evaluated together with ``row``'s (itself included), by section number."""
    ids = [s.id for s in sections_of(session, row.section_id)]
    if len(ids) == 1:
        return [row]
    stmt = select(EvaluationSession).where(EvaluationSession.section_id.in_(ids))
    order = {sid: i for i, sid in enumerate(ids)}
    return sorted(session.scalars(stmt), key=lambda r: order[r.section_id])


def counterpart(session: Session, row: EvaluationSession, member: EvaluationMember) -> EvaluationMember | None:
    """The same person's seat in another session of the group (by account)."""
    if member.session_id == row.id:
        return member
    stmt = select(EvaluationMember).where(
        EvaluationMember.session_id == row.id, EvaluationMember.user_id == member.user_id
    )
    return session.scalars(stmt.order_by(EvaluationMember.id.desc())).first()


def listing(session: Session, row: EvaluationSession) -> list[dict]:
    """The sections evaluated together, for the room and the report (empty for a section evaluated alone)."""
    sessions = group(session, row)
    if len(sessions) == 1:
        return []
    out = []
    for s in sessions:
        section = session.get(Section, s.section_id)
        out.append({"session": s.id, "section": section.number, "name": section.name, "this": s.id == row.id})
    return out


def bidders(session: Session, row: EvaluationSession) -> list[EvaluationBid]:
    """One bid per bidder across the sections evaluated together (a member declares conflicts per bidder once)."""
    seen: dict[int, EvaluationBid] = {}
    for each in group(session, row):
        stmt = select(EvaluationBid).where(EvaluationBid.session_id == each.id).order_by(EvaluationBid.id)
        for bid in session.scalars(stmt):
            seen.setdefault(bid.organisation_id, bid)
    return list(seen.values())
