"""The purchaser's own re-evaluation (《政府采购货物和服务招标投标管理办法》第六十四条): after the report is signed, the
purchaser or its agency that finds one of the four listed errors organises the ORIGINAL committee to evaluate again —
the step ``purchaser_reevaluate`` (government procurement only; before the contract; a ground from
``reevaluation.yaml``, else 422 ``reevaluation_ground_required``), reopened by the same hook as a complaint's order.
When the new report changes the result (the candidates or their order), the written report to the finance department
(书面报告本级财政部门) is owed: recorded on the superseded round with a ledger entry and an alert to the supervisory
department, then made by the purchaser or its agency on the rounds page (text, ledger entry with its hash). The
supervisory department lists them (``owed``). Never commits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.evaluation import reevaluation
from sunshine.evaluation.models import EvaluationRound, EvaluationSession
from sunshine.evaluation.service import log
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle
from sunshine.trading import visibility as projects
from sunshine.trading.models import Project

STEP = "purchaser_reevaluate"
EVENTS = {
    "evaluation:finance_report:owed": "重新评审改变评标结果，应书面报告本级财政部门",
    "evaluation:finance_report:made": "重新评审改变评标结果：已书面报告本级财政部门",
}
OVERSEERS = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF})


class NotProcurement(Conflict):
    code = "reevaluation_not_procurement"
    title = "采购人自行组织重新评审只适用于政府采购"


def spec() -> dict:
    return reevaluation.config()["purchaser"]


def guard(session: Session, project: Project, *, actor: Principal, **facts) -> None:  # noqa: ANN003
    """Government procurement only, after the signed report and before the contract (the yaml's states)."""
    rule = spec()
    if project.transaction_type not in rule["transaction_types"]:
        raise NotProcurement(rule["not_procurement"])
    if project.state not in rule["states"]:
        raise reevaluation.AfterContract(rule["after_contract"])


def start(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    ground: str | None,
    reason: str,
    section_id: int | None = None,
) -> Project:
    """组织原评标委员会重新评审: the project's purchaser or its agency only, with a ground and the facts found."""
    project = projects.get_visible(session, actor, project_id)
    if not projects.is_party(actor, project):
        raise Forbidden("只有本项目的采购人或其采购代理机构可以组织原评标委员会重新评审")
    if section_id is not None and section_id not in {s.id for s in project.sections}:
        raise InvalidInput("该标段不属于本项目", field="section_id")
    checked = lifecycle.check(project, STEP, actor)
    guard(session, project, actor=actor)
    ground = reevaluation.check_ground(project, ground)
    reason = (reason or "").strip()
    if not 4 <= len(reason) <= 500:
        raise InvalidInput("请写明发现的错误及其事实（4至500字）", field="reason")
    payload = {"purchaser": actor.organisation_id, "section": section_id, "ground": ground}
    lifecycle.apply(session, project, checked, actor, reason=reason, payload=payload)
    return project


def _ranking(report_json: str | None) -> list[tuple]:
    return [(c.get("bidder"), c.get("rank")) for c in json.loads(report_json or "{}").get("candidates", [])]


def latest_round(session: Session, row: EvaluationSession) -> EvaluationRound | None:
    stmt = select(EvaluationRound).where(EvaluationRound.session_id == row.id).order_by(EvaluationRound.round.desc())
    return session.scalars(stmt.limit(1)).first()


def on_final(session: Session, row: EvaluationSession, actor: Principal) -> None:
    """A new round's report signed: where the purchaser started it and the result changed, the report is owed."""
    if row.round < 2:
        return
    kept = latest_round(session, row)
    if kept is None or not (kept.source or "").startswith("purchaser:") or kept.finance_report_owed_at is not None:
        return
    if _ranking(kept.report_json) == _ranking(row.report_json):
        return
    kept.finance_report_owed_at = clock.now()
    project = session.get(Project, row.project_id)
    log(session, row, "finance_report:owed", {"round": row.round, "superseded_round": kept.round})
    alerts.raise_once(
        session,
        key=f"evaluation:finance_report:{kept.id}",
        domain="evaluation",
        kind="alert",
        subject_kind="evaluation_round",
        subject_id=kept.id,
        message=f"“{project.name}”采购人组织的重新评审改变了评标结果，应书面报告本级财政部门（87号令第六十四条）",
        audience=[Role.SUPERVISOR.value, Role.CENTRE_STAFF.value],
        organisation_id=project.agency_id or project.tenderer_id,
    )


def record(session: Session, actor: Principal, session_id: int, round_no: int, text: str) -> EvaluationRound:
    """The written report made: its text, who and when, one ledger entry with its SHA-256."""
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not projects.is_party(actor, project):
        raise NotFound("评标会议不存在")
    kept = session.scalar(
        select(EvaluationRound).where(EvaluationRound.session_id == row.id, EvaluationRound.round == round_no)
    )
    if kept is None or kept.finance_report_owed_at is None:
        raise NotFound("该轮重新评审没有应报告财政部门的事项")
    if kept.finance_reported_at is not None:
        raise Conflict("已登记书面报告")
    text = (text or "").strip()
    if not 10 <= len(text) <= 5000:
        raise InvalidInput("请填写书面报告的内容（10至5000字）", field="text")
    kept.finance_report_text, kept.finance_reported_at, kept.finance_reported_by = text, clock.now(), actor.user_id
    kept.finance_report_ledger_seq = log(
        session,
        row,
        "finance_report:made",
        {"round": kept.round, "sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    alerts.resolve(session, subject_kind="evaluation_round", subject_id=kept.id)
    return kept


FINANCE_REPORT_ORDER = Keyset.of(
    "evaluation-finance-reports", EvaluationRound.finance_report_owed_at, EvaluationRound.id
)


def owed(session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None) -> Page[dict]:
    """The written reports owed and made, newest first, a page at a time: every one for the supervisory department
    and the centre, a party's own (the project's tenderer or the agency it appointed)."""
    stmt = (
        select(EvaluationRound, EvaluationSession, Project)
        .join(EvaluationSession, EvaluationSession.id == EvaluationRound.session_id)
        .join(Project, Project.id == EvaluationSession.project_id)
        .where(EvaluationRound.finance_report_owed_at.is_not(None))
    )
    if not actor.roles & OVERSEERS:
        mine = []
        if actor.organisation_id is not None and Role.TENDERER in actor.roles:
            mine.append(Project.tenderer_id == actor.organisation_id)
        if actor.organisation_id is not None and Role.AGENCY in actor.roles:
            mine.append(Project.agency_id == actor.organisation_id)
        stmt = stmt.where(or_(*mine) if mine else false())
    page = paginate(session, stmt, FINANCE_REPORT_ORDER, cursor=cursor, limit=limit)
    items = [
        {
            "project_id": project.id,
            "project_code": project.code,
            "project_name": project.name,
            "session_id": row.id,
            "round": kept.round,
            "ground_label": reevaluation.ground_label(kept.ground),
            **reevaluation.finance_report_view(kept),
        }
        for kept, row, project in page.items
    ]
    return replace(page, items=items)
