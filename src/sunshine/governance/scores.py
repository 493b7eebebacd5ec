"""Department scores (部门政务公开考核): for a year, each department's on-time rate from the compliance dashboard
(``disclosure.compliance``) and its inspection findings (by aspect, corrections made late, corrections still
open past their deadline) go through the method kept as data (``method.yaml``, ``method.py``); the government
affairs office computes and publishes them (ledger entry with every department's figures)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput
from sunshine.disclosure import compliance
from sunshine.governance import method as scoring
from sunshine.governance.models import GovFinding, GovScore
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger


def _year(year: int) -> tuple[date, date]:
    if not 2000 <= year <= 2099:
        raise InvalidInput("年份应在2000至2099之间", field="year")
    return date(year, 1, 1), date(year, 12, 31)


def facts(session: Session, year: int) -> dict[int, tuple[scoring.Facts, int]]:
    """Each department's facts for ``year`` and the number of obligations the dashboard counted for it."""
    first, last = _year(year)
    today = clock.today_local()
    board = compliance.dashboard(session, since=first, until=last)
    out: dict[int, tuple[scoring.Facts, int]] = {}
    counts: dict[int, dict] = {}
    for f in session.scalars(select(GovFinding).where(GovFinding.found_on >= first, GovFinding.found_on <= last)):
        if f.department_org_id is None:
            continue
        c = counts.setdefault(f.department_org_id, {"aspects": {}, "late": 0, "open": 0})
        c["aspects"][f.aspect] = c["aspects"].get(f.aspect, 0) + 1
        c["late"] += bool(f.late)
        c["open"] += f.status == "open" and f.due < today
    rates = {int(t.key): (t.rate, t.counted) for t in board.by_body if t.key != "none"}
    for org in set(rates) | set(counts):
        rate, counted = rates.get(org, (None, 0))
        c = counts.get(org, {"aspects": {}, "late": 0, "open": 0})
        out[org] = (scoring.Facts(rate, c["aspects"], c["late"], c["open"]), counted)
    return out


def compute(session: Session, actor: Principal, year: int) -> list[GovScore]:
    """计算 (or recompute, while unpublished) every department's score for ``year``."""
    method = scoring.load()
    existing = {s.department_org_id: s for s in session.scalars(select(GovScore).where(GovScore.year == year))}
    if any(s.published_at is not None for s in existing.values()):
        raise Conflict("该年度考核结果已公布，不能重新计算")
    now = clock.now()
    for org, (f, counted) in facts(session, year).items():
        row = existing.get(org) or GovScore(year=year, department_org_id=org)
        row.method_version, row.timeliness_rate, row.counted = method.version, f.rate, counted
        row.findings = json.dumps(
            {"aspects": f.findings, "late_corrections": f.late_corrections, "open_past_due": f.open_past_due},
            ensure_ascii=False,
        )
        row.score, row.computed_at = float(scoring.score(method, f)), now
        session.add(row)
    session.flush()
    return of_year(session, year)


def publish(session: Session, actor: Principal, year: int) -> list[GovScore]:
    """向社会公布考核结果."""
    rows = of_year(session, year)
    if not rows:
        raise Conflict("该年度尚未计算考核结果")
    if rows[0].published_at is not None:
        raise Conflict("该年度考核结果已公布")
    now = clock.now()
    entry = ledger.append(
        session,
        "governance:scores:published",
        f"gov-scores:{year}",
        {
            "year": year,
            "method": rows[0].method_version,
            "scores": {str(r.department_org_id): r.score for r in rows},
            "by": actor.user_id,
        },
    )
    for r in rows:
        r.published_at, r.published_by, r.ledger_seq = now, actor.user_id, entry.seq
    session.flush()
    return rows


def of_year(session: Session, year: int, *, published_only: bool = False) -> list[GovScore]:
    _year(year)
    stmt = select(GovScore).where(GovScore.year == year)
    if published_only:
        stmt = stmt.where(GovScore.published_at.is_not(None))
    return sorted(session.scalars(stmt), key=lambda r: (-r.score, r.department_org_id))


def published_years(session: Session) -> list[int]:
    stmt = select(GovScore.year).where(GovScore.published_at.is_not(None)).distinct()
    return sorted(session.scalars(stmt), reverse=True)


def names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))).all())


def findings_summary(row: GovScore) -> dict:
    return json.loads(row.findings)
