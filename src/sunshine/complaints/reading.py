"""What a reader sees of cases: one case with its clocks (each with its due date, whether provisional, and the legal
basis), its history, evidence and — for the department and the complainant — the grounds not to accept it that the
platform's records show; lists for the department (open cases by nearest due date), for a participant (its own
cases, and the cases against its projects), and per project — the objections raised at the opening and to the
evaluation result among them, cases like the others."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String, literal_column, select
from sqlalchemy.orm import Session

from sunshine.complaints import base, jurisdiction, kinds, service
from sunshine.complaints.models import ComplaintCase, ComplaintEvidence
from sunshine.complaints.visibility import is_complainant, is_department, is_respondent, readable
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.pagination import Key, Keyset, Page, bounded_limit, decode_cursor, encode_cursor, paginate
from sunshine.core.workdays import WorkCalendar
from sunshine.identity.models import Organisation
from sunshine.ledger.format import iso_utc
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project

PARTY_LABELS = {"complainant": "提出人", "respondent": "被质疑（投诉）人", "department": "行政监督部门"}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def clock_views(session: Session, row: ComplaintCase, project: Project, cal: WorkCalendar) -> list[dict]:
    today = clock.today_local()
    return [
        {
            "key": r.key,
            "label": r.label,
            "who": r.who,
            "limit": r.limit.text,
            "rule_id": r.limit.rule_id,
            "basis": r.limit.basis,
            "start": _iso(r.start),
            "due": _iso(r.due),
            "provisional": r.clock.provisional,
            "status": {"running": "计时中", "paused": "暂停计时", "stopped": "待补正"}[r.clock.status]
            if r.is_open
            else "已办结",
            "met_on": _iso(r.met_on),
            "overdue": r.overdue(today),
            "late": r.late,
            "explanation": r.explanation,
        }
        for r in base.clocks_of(session, row, project, cal)
    ]


def actions(actor: Principal, row: ComplaintCase, project: Project, history: list[str]) -> list[str]:
    out = []
    kind = base.kind_of(row)
    if is_complainant(actor, row):
        if row.state in kinds.OPEN_STATES:
            out.append("withdraw")
        if row.state == "correction":
            out.append("correct")
    if is_respondent(actor, project):
        if not kind.to_department and row.state == "filed":
            out.append("answer")
        if row.kind == "gp_complaint" and "copy_sent" in history and "respondent_answered" not in history:
            out.append("statement")
    if is_department(actor) and kind.to_department:
        if row.state == "filed":
            out += ["accept", "reject"]
            if row.kind == "gp_complaint" and "correction_requested" not in history:
                out.append("request_correction")
        if row.state == "correction":
            out.append("reject")
        if row.state == "accepted":
            out += ["decide"]
            if row.kind == "gp_complaint" and "copy_sent" not in history:
                out.append("send_copy")
            marks = [s for s in history if s in ("pause", "resume")]
            out.append("resume_count" if marks[-1:] == ["pause"] else "pause_count")
        if row.state in kinds.OPEN_STATES:
            out.append("lift" if row.suspended_project else "suspend")
        if row.state == "decided":
            out.append("publish")
    if row.state not in ("published", "withdrawn", "rejected"):
        out.append("evidence")
    return out


def view(
    session: Session, actor: Principal, row: ComplaintCase, project: Project, cal: WorkCalendar | None = None
) -> dict:
    cal = cal or calendar.load(session)
    org = session.get(Organisation, row.organisation_id)
    history = base.events(session, row)
    evidence = session.scalars(
        select(ComplaintEvidence).where(ComplaintEvidence.case_id == row.id).order_by(ComplaintEvidence.id)
    ).all()
    shown_findings = is_department(actor) or is_complainant(actor, row)
    grounds = service.findings(session, row, project) if shown_findings and row.state in ("filed", "correction") else []
    return {
        "id": row.id,
        "code": row.code,
        "kind": row.kind,
        "kind_label": base.kind_of(row).label,
        "basis": base.kind_of(row).basis,
        "project": {"id": project.id, "code": project.code, "name": project.name},
        "section_id": row.section_id,
        "matter": row.matter,
        "matter_label": kinds.MATTERS[row.matter],
        "complainant": org.name if org else "",
        "respondent": row.respondent,
        "contact": row.contact,
        "facts": row.facts,
        "request": row.request,
        "legal_basis": row.legal_basis,
        "signed": row.signed,
        "knew_on": _iso(row.knew_on),
        "received_on": _iso(row.received_on),
        "filed_at": iso_utc(row.filed_at),
        "state": row.state,
        "state_label": kinds.STATES[row.state],
        "answer": row.answer,
        "founded": row.founded,
        "remedy": row.remedy,
        "remedy_label": kinds.REMEDIES.get(row.remedy or "", None),
        "outcome": row.outcome,
        "outcome_label": kinds.OUTCOMES.get(row.outcome or "", None),
        "decision": row.decision,
        "decided_on": _iso(row.decided_on),
        "published_at": iso_utc(row.published_at) if row.published_at else None,
        "suspended_project": row.suspended_project,
        "suspended_until": _iso(row.suspended_until),
        "department": row.department,
        "department_label": jurisdiction.label(row.department),
        "project_state": project.state,
        "clocks": clock_views(session, row, project, cal),
        "history": [
            {"step": e.step, "label": kinds.STEP_LABELS.get(e.step, e.step), "day": _iso(e.day), "note": e.note}
            for e in history
        ],
        "evidence": [
            {
                "id": v.id,
                "party": PARTY_LABELS.get(v.party, v.party),
                "name": v.name,
                "sha256": v.sha256,
                "size": v.size,
                "uploaded_at": iso_utc(v.uploaded_at),
            }
            for v in evidence
        ],
        "findings": [{"code": c, "label": kinds.INADMISSIBLE[c], "text": t} for c, t in grounds],
        "actions": actions(actor, row, project, [e.step for e in history]),
    }


def summary(session: Session, row: ComplaintCase, project: Project, cal: WorkCalendar) -> dict:
    running = [r for r in base.clocks_of(session, row, project, cal) if r.is_open]
    nxt = min((r for r in running if r.due is not None), key=lambda r: r.due, default=None)
    org = session.get(Organisation, row.organisation_id)
    return {
        "id": row.id,
        "code": row.code,
        "kind_label": base.kind_of(row).label,
        "project": {"id": project.id, "code": project.code, "name": project.name},
        "matter_label": kinds.MATTERS[row.matter],
        "complainant": org.name if org else "",
        "state": row.state,
        "state_label": kinds.STATES[row.state],
        "received_on": _iso(row.received_on),
        "department_label": jurisdiction.label(row.department),
        "next_label": f"{nxt.who}{nxt.label}" if nxt else None,
        "next_due": _iso(nxt.due) if nxt else None,
        "provisional": nxt.clock.provisional if nxt else False,
        "overdue": nxt.overdue(clock.today_local()) if nxt else False,
        "suspended_project": row.suspended_project,
    }


def cases(
    session: Session, actor: Principal, *, project_id: int | None = None, open_only: bool = False, limit: int = 200
) -> list[dict]:
    """Readable cases, newest first — or, for ``open_only``, by nearest due date (the department's list)."""
    stmt = select(ComplaintCase).where(readable(actor, session))
    if project_id is not None:
        stmt = stmt.where(ComplaintCase.project_id == project_id)
    if open_only:
        stmt = stmt.where(ComplaintCase.state.in_(sorted(kinds.OPEN_STATES)))
    rows = session.scalars(stmt.order_by(ComplaintCase.id.desc()).limit(limit)).all()
    cal = calendar.load(session)
    out = [summary(session, r, session.get(Project, r.project_id), cal) for r in rows]
    if open_only:
        out.sort(key=lambda s: (s["next_due"] is None, s["next_due"] or "", s["id"]))
    return out


CASE_ORDER = Keyset.of("complaint-cases", ComplaintCase.id)
# open cases by their nearest due date (computed from the calendar, so ordered here): (has none, due, id)
DUE_ORDER = Keyset.of(
    "complaint-cases-due",
    Key(literal_column("0", Integer), False),
    Key(literal_column("''", String), False),
    Key(literal_column("0", Integer), False),
)


def case_page(
    session: Session, actor: Principal, *, open_only: bool = False, cursor: str | None = None, limit: int | None = None
) -> Page[dict]:
    """``cases`` one page at a time: newest first, or, for ``open_only``, by nearest due date."""
    stmt = select(ComplaintCase).where(readable(actor, session))
    cal = calendar.load(session)
    if not open_only:
        page = paginate(session, stmt, CASE_ORDER, cursor=cursor, limit=limit)
        rows = [summary(session, r, session.get(Project, r.project_id), cal) for r in page.items]
        return Page(rows, page.next_cursor, page.limit, page.number)
    size = bounded_limit(limit)
    after, number = decode_cursor(DUE_ORDER, cursor) if cursor else (None, 1)
    open_rows = session.scalars(stmt.where(ComplaintCase.state.in_(sorted(kinds.OPEN_STATES))))
    summaries = [summary(session, r, session.get(Project, r.project_id), cal) for r in open_rows]
    keyed = sorted(((int(s["next_due"] is None), s["next_due"] or "", s["id"]), s) for s in summaries)
    if after is not None:
        keyed = [(k, s) for k, s in keyed if k > tuple(after)]
    shown = keyed[:size]
    more = len(keyed) > size
    next_cursor = encode_cursor(DUE_ORDER, list(shown[-1][0]), number + 1) if more and shown else None
    return Page([s for _, s in shown], next_cursor, size, number)


def project_cases(session: Session, actor: Principal, project_id: int) -> tuple[Project, list[dict]]:
    project = trading_visibility.get_visible(session, actor, project_id)
    return project, cases(session, actor, project_id=project.id)
