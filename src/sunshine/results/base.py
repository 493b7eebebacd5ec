"""What the results' use cases share: the project's result row and its clocks, the pack's rules with their
platform defaults, the sections' candidates as the signed reports rank them, and the ledger entry of a results
fact. Never commits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.errors import Conflict
from sunshine.evaluation import declaration
from sunshine.evaluation.models import EvaluationBid, EvaluationSession
from sunshine.ledger import service as ledger
from sunshine.results.models import ProjectResult, SectionWinnerDecision
from sunshine.rules import service as rules
from sunshine.trading.models import Project, Section

PROCUREMENT = frozenset({"gov_procurement"})
#: the states in which the results' steps act (the results take over from 评审结束)
OPEN_STATES = frozenset({"evaluated", "candidates_publicised"})
PUBLICITY_DUE, PUBLICITY_END = "发布中标候选人公示", "中标候选人公示期"
DECIDE_DUE, NOTICE_DUE, ANSWER_DUE = "确定中标人", "发布中标（成交）结果公告", "答复对评标结果的异议"
#: 平台默认值 for a project whose rule snapshot predates the rule: the same values the current packs hold
DEFAULTS = {"result_notice_within": (3, "calendar"), "publicity_objection_answer": (3, "calendar")}


class ResultsNotReady(Conflict):
    code = "results_not_ready"
    title = "评标报告尚未全部送交招标人（采购人）"


def is_procurement(project: Project) -> bool:
    return project.transaction_type in PROCUREMENT


def rule(project: Project, rule_id: str) -> tuple[int, str, str] | None:
    """(value, unit for the calendar, reference) of a day rule of the project's snapshot, or its platform default."""
    snapshot = rules.rules_of(project)
    if snapshot.has(rule_id):
        r = snapshot.rule(rule_id)
        return int(r.value), rules.DAY_UNITS[r.unit], f"{project.pack_key}:{rule_id}"
    if rule_id in DEFAULTS:
        value, unit = DEFAULTS[rule_id]
        return value, unit, f"平台默认值:{rule_id}"
    return None


def needs_publicity(project: Project) -> bool:
    """The pack requires the candidates' publicity (条例 第五十四条: engineering; the packs that carry the rule)."""
    return rules.rules_of(project).has("candidate_publicity_period")


def sessions(session: Session, project_id: int) -> list[EvaluationSession]:
    """The sections' finished sessions (a signed report with candidates), in section order."""
    stmt = (
        select(EvaluationSession)
        .join(Section, Section.id == EvaluationSession.section_id)
        .where(EvaluationSession.project_id == project_id, EvaluationSession.state == "finished")
        .order_by(Section.number, Section.id)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Candidate:
    eval_bid_id: int
    organisation_id: int
    bidder: str
    rank: int
    price: Decimal
    total: str | None
    tied: bool  # in a group the ranking left to the purchaser (tie_pending)


def candidates(session: Session, row: EvaluationSession) -> list[Candidate]:
    """The recommended candidates of a finished session in rank order, as its signed report holds them."""
    outcome = json.loads(row.outcome_json or "{}")
    declared = declaration.declared_of(declaration.required(session, row.section_id))
    tied = {int(ref) for group in outcome.get("tie_pending", []) for ref in group}
    bids = {b.id: b for b in session.scalars(select(EvaluationBid).where(EvaluationBid.session_id == row.id))}
    out = []
    for r in sorted(outcome.get("results", []), key=lambda r: (r["rank"], int(r["ref"]))):
        if r["rank"] > declared.candidates:
            continue
        bid = bids[int(r["ref"])]
        out.append(
            Candidate(
                bid.id, bid.organisation_id, bid.bidder, r["rank"], Decimal(r["price"]), r.get("total"), bid.id in tied
            )
        )
    return out


def result_of(session: Session, project_id: int) -> ProjectResult | None:
    return session.scalar(select(ProjectResult).where(ProjectResult.project_id == project_id))


def ensure(session: Session, project: Project) -> ProjectResult | None:
    """The project's result row once every finished section's report reached the tenderer (purchaser): the day of
    the last receipt is the day the clocks count from (条例 第五十四条, 87号令 第六十八条), tracked so a calendar change
    moves them. None while a report is still on its way."""
    row = result_of(session, project.id)
    if row is not None:
        return row
    rows = sessions(session, project.id)
    if project.state not in OPEN_STATES or not rows or any(r.delivered_at is None for r in rows):
        return None
    received = max(r.delivered_at.astimezone(get_settings().tz).date() for r in rows)
    row = ProjectResult(project_id=project.id, report_received_on=received, created_at=clock.now())
    subject = f"project:{project.code}"
    if needs_publicity(project):
        within = rule(project, "candidate_publicity_within")
        if within is not None:
            row.publicity_due_id = _track(session, subject, PUBLICITY_DUE, received, within)
    else:
        decide = rule(project, "purchaser_confirm") if is_procurement(project) else None
        if decide is not None:
            row.decide_due_id = _track(session, subject, DECIDE_DUE, received, decide)
    session.add(row)
    session.flush()
    return row


def require(session: Session, project: Project) -> ProjectResult:
    row = ensure(session, project)
    if row is None:
        raise ResultsNotReady("评标报告尚未全部经评标委员会签署并送交招标人（采购人），不能办理结果事项")
    return row


def _track(session: Session, subject: str, purpose: str, start: date, spec: tuple[int, str, str]) -> int:
    days, unit, ref = spec
    return calendar.track(session, subject=subject, purpose=purpose, start=start, days=days, unit=unit, rule_ref=ref).id


def track(session: Session, project: Project, purpose: str, start: date, spec: tuple[int, str, str]) -> int:
    return _track(session, f"project:{project.code}", purpose, start, spec)


def log(session: Session, project: Project, kind: str, payload: dict) -> int:
    return ledger.append(session, f"results:{kind}", f"project:{project.code}", payload).seq


def retire(session: Session, project: Project, section_ids: list[int]) -> None:
    """重新评审: the reports of ``section_ids`` were reopened for the original committee, so the result clocks and
    the winners decided from them no longer stand. The project's result row (its clocks closed) and those sections'
    winner decisions are removed — what they were stays in the ledger, with this entry naming them — and the
    results flow starts again from the new signed report (``ensure`` at the next 评审结束)."""
    result = result_of(session, project.id)
    winners = list(
        session.scalars(
            select(SectionWinnerDecision).where(
                SectionWinnerDecision.project_id == project.id, SectionWinnerDecision.section_id.in_(section_ids)
            )
        )
    )
    if result is None and not winners:
        return
    superseded = {
        "sections": section_ids,
        "winners": [
            {"section": w.section_id, "organisation": w.organisation_id, "ledger_seq": w.ledger_seq} for w in winners
        ],
    }
    if result is not None:
        for deadline_id in (
            result.publicity_due_id,
            result.publicity_end_id,
            result.decide_due_id,
            result.notice_due_id,
        ):
            if deadline_id is not None:
                calendar.close(session, deadline_id)
        superseded |= {
            "publicised": result.publicised_at.isoformat() if result.publicised_at else None,
            "notice_published": result.notice_published_at.isoformat() if result.notice_published_at else None,
        }
        session.delete(result)
    for w in winners:
        session.delete(w)
    session.flush()
    log(session, project, "project:reevaluation", superseded)
