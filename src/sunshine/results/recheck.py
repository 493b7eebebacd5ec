"""中标候选人资格审查 before the award (seed 001): for each candidate of each section, what the tenderer should check
before it determines the winner — the credit records and the bans in force (``credit.service``), the qualification
certificates, key personnel and past performance with their validity dates (``qualifications.records``), and the
section's structured requirements as met today (``qualifications.service.assess``). Reads only; shown to the
project's tenderer and agency, the centre and the supervisors (``results.visibility``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.credit import service as credit
from sunshine.qualifications import records
from sunshine.qualifications import service as qualifications
from sunshine.results import base, visibility
from sunshine.trading.models import Section


def _record(r: Any, today) -> dict[str, Any]:  # noqa: ANN001
    until = records.valid_until(r)
    return {
        "title": records.title(r),
        "detail": records.detail(r),
        "valid_until": until,
        "status": records.status(r, today),
    }


def view(session: Session, actor: Principal, project_id: int) -> dict[str, Any]:
    project = visibility.officials_project(session, actor, project_id)
    today = clock.today_local()
    scope = credit.Scope(project.region_code, project.transaction_type)
    sections = []
    for ev in base.sessions(session, project.id):
        section = session.get(Section, ev.section_id)
        rows = []
        for c in base.candidates(session, ev):
            kept = records.of_candidate(session, c.organisation_id)
            bans = credit.bans_against(session, c.organisation_id, scope=scope, on=today)
            findings = qualifications.assess(session, section, c.organisation_id, on=today)
            rows.append(
                {
                    "rank": c.rank,
                    "bidder": c.bidder,
                    "organisation_id": c.organisation_id,
                    "price": c.price,
                    "bans": [
                        {
                            "scope": credit.scope_label(b),
                            "starts_on": b.starts_on,
                            "ends_on": b.ends_on,
                            "decision_no": b.decision_no,
                            "basis": b.basis,
                        }
                        for b in bans
                    ],
                    "credit_records": [
                        {
                            "polarity": "良好" if r.polarity == "good" else "不良",
                            "behaviour": r.behaviour,
                            "source": r.source,
                            "decided_on": r.decided_on,
                            "effective_from": r.effective_from,
                            "effective_until": r.effective_until,
                            "in_effect": r.effective_from <= today
                            and (r.effective_until is None or r.effective_until >= today),
                        }
                        for r in credit.organisation_records(session, c.organisation_id)
                    ],
                    "certificates": [_record(r, today) for r in kept["certificate"]],
                    "people": [_record(r, today) for r in kept["person"]],
                    "performance": [_record(r, today) for r in kept["performance"]],
                    "requirements": [
                        {"label": f.label, "met": f.met, "valid_until": f.valid_until, "note": f.note} for f in findings
                    ],
                    "warnings": _warnings(bans, findings, kept, today),
                }
            )
        sections.append({"section_id": section.id, "number": section.number, "name": section.name, "candidates": rows})
    return {"project_id": project.id, "project_name": project.name, "on": today, "sections": sections}


def _warnings(bans, findings, kept, today) -> list[str]:  # noqa: ANN001
    out = [f"被禁止参与{credit.scope_label(b)}（{b.decision_no}）" for b in bans]
    out += [f"资格条件不满足：{f.label}" for f in findings if not f.met]
    for kind in ("certificate", "person"):
        for r in kept[kind]:
            if records.status(r, today) == "过期":
                out.append(f"已过期：{records.title(r)}")
    return out
