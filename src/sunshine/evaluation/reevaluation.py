"""重新评审: a signed evaluation report reopened for the original committee — the same experts — to evaluate again
in a new round (《政府采购货物和服务招标投标管理办法》第六十四条). The superseded round keeps its report, outcome,
scores, qualification and compliance reviews and seal (``EvaluationRound``), still in the ledger and in the project's
record; the session goes back to the review with its members, chair and the reviews as the starting point (the
committee may change a pass/fail), then scores, and the new report is signed as before; the project then leaves
评审中 again through ``closing`` and the results flow publishes the candidates and the result anew.

For government procurement the reopening must name one of the grounds 87号令 第六十四条 lists (``reevaluation.yaml``);
a member of the committee who cannot take part is replaced as the data file says (比照 条例 第四十六条、第四十八条,
87号令 第四十九条 — marked unconfirmed). Reopened by the hook on the complaints' step ``complaint_reevaluate`` and on
the purchaser's own ``purchaser_reevaluate`` (``reopen_on_step``; ``purchaser.py``); after award letters or a contract
the guard ``guard_after_award`` applies 94号令 第三十二条; the layers above learn of it through ``on_reopened`` (the
results retire their clocks and publish the correction, the award letters are withdrawn, a contract revoked).
Never commits."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sunshine.committees import recusal
from sunshine.committees.models import DrawRequest
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SunshineError
from sunshine.evaluation import visibility
from sunshine.evaluation.models import EvaluationMember, EvaluationRound, EvaluationScore, EvaluationSession
from sunshine.evaluation.service import (
    ACTIVE,
    EXPERT,
    RECUSED,
    _add_expert,
    _signed_in_calls,
    bids_of,
    log,
    members_of,
    require_unsealed,
)
from sunshine.trading.lifecycle import StepEvent
from sunshine.trading.models import Project

#: the ledger entries of a re-evaluation, as people read them
EVENTS = {
    "evaluation:session:reopened": "重新评审：原评标委员会重新评审，原评标报告被取代",
    "evaluation:member:unavailable": "原评标委员会成员不能参加重新评审",
    "results:project:reevaluation": "重新评审：原评标结果的确定和公告期限终止",
}


@dataclass(frozen=True)
class Reopening:
    """What the layers above are told of a reopening: the sections, why, on what ground, ordered by what, and the
    project's state before the step (结果已公告, 已发出中标通知书, 合同已签订 …: what must be withdrawn)."""

    project: Project
    sections: list[int]
    actor: Principal
    reason: str
    ground: str | None
    source: str | None
    before: str


Reopened = Callable[[Session, Reopening], None]
_on_reopened: list[Reopened] = []


class GroundRequired(SunshineError):
    status = 422
    code = "reevaluation_ground_required"
    title = "政府采购项目重新评审须符合法定情形"


class NothingToReevaluate(Conflict):
    code = "reevaluation_nothing_signed"
    title = "没有已签署的评标报告可以重新评审"


def on_reopened(listener: Reopened) -> None:
    """A layer above (the results, the award letters) is told which sections' reports were reopened and why, in the
    same transaction."""
    if listener not in _on_reopened:
        _on_reopened.append(listener)


@cache
def config() -> dict:
    return yaml.safe_load(Path(__file__).with_name("reevaluation.yaml").read_text(encoding="utf-8"))


def grounds_for(transaction_type: str) -> dict[str, str]:
    """The grounds a re-evaluation must name for this kind of trading ({} when the law lists none)."""
    spec = config()["procurement_grounds"]
    return dict(spec["grounds"]) if transaction_type in spec["transaction_types"] else {}


def ground_label(code: str | None) -> str:
    return config()["procurement_grounds"]["grounds"].get(code or "", "")


def check_ground(project: Project, ground: str | None) -> str | None:
    """87号令 第六十四条: a procurement's result changes only for the listed errors; refused (422) otherwise."""
    allowed = grounds_for(project.transaction_type)
    if not allowed:
        return ground or None
    if ground not in allowed:
        spec = config()["procurement_grounds"]
        raise GroundRequired(
            f"政府采购项目的评标报告签署后，只有下列情形可以由原评标委员会重新评审："
            f"{'；'.join(allowed.values())}。请选择其中一项（依据：{spec['basis']}）",
            field="ground",
        )
    return ground


class AfterContract(Conflict):
    code = "reevaluation_after_contract"
    title = "合同签订后不能重新评审"


def guard_after_award(session: Session, project: Project, *, actor: Principal, **facts) -> None:  # noqa: ANN003
    """94号令 第三十二条 as LAW-NEXT gives it: letters issued — the result void, the letters withdrawn (allowed);
    a procurement contract signed but not performed — revoked (allowed); performed — damages only (409); a works
    contract signed — no confirmed basis (409). The step's guard, before anything changes."""
    spec = config()["after_award"]
    if project.state in spec["performed"]["states"]:
        raise AfterContract(spec["performed"]["refusal"])
    if project.state == "contracted":
        signed = spec["contracted"]
        if signed.get(project.transaction_type, signed["other"]) == "refuse":
            raise AfterContract(signed["refusal"])


def after_award_rule(state: str) -> dict:
    """The rule of ``after_award`` for the state a project was in when the re-evaluation was ordered ({} before)."""
    spec = config()["after_award"]
    if state in ("awarded", "contracted"):
        return dict(spec[state])
    return {}


# --------------------------------------------------------------------------- reopening


def _scores(session: Session, row: EvaluationSession) -> list[dict]:
    ids = [m.id for m in members_of(session, row)]
    if not ids:
        return []
    stmt = select(EvaluationScore).where(EvaluationScore.member_id.in_(ids)).order_by(EvaluationScore.id)
    return [
        {"member": s.member_id, "bid": s.eval_bid_id, "criterion": s.criterion, "score": str(s.score)}
        for s in session.scalars(stmt)
    ]


def _reviews(session: Session, row: EvaluationSession) -> list[dict]:
    """The round's 资格审查 and 符合性审查 per bid, as they stood."""
    return [
        {
            "bid": b.id,
            "bidder": b.bidder,
            "qualification": b.qualification,
            "compliance": b.compliance,
            "rejected_reason": b.rejected_reason,
            "rejected_facts": b.rejected_facts,
            "sme": b.sme,
        }
        for b in bids_of(session, row)
    ]


def _supersede(session: Session, actor: Principal, row: EvaluationSession, reason: str, ground, source) -> None:  # noqa: ANN001
    scores = _scores(session, row)
    kept = EvaluationRound(
        session_id=row.id,
        round=row.round,
        report_json=row.report_json,
        report_sha256=row.report_sha256,
        report_ledger_seq=row.report_ledger_seq,
        outcome_json=row.outcome_json,
        scores_json=json.dumps(scores, ensure_ascii=False),
        reviews_json=json.dumps(_reviews(session, row), ensure_ascii=False),
        finished_at=row.finished_at,
        delivered_at=row.delivered_at,
        seal_sha256=row.seal_sha256,
        seal_json=row.seal_json,
        seal_ledger_seq=row.seal_ledger_seq,
        ground=ground,
        reason=reason,
        source=source,
        superseded_at=clock.now(),
        superseded_by=actor.user_id,
        ledger_seq=0,
    )
    session.add(kept)
    for deadline_id in (row.deliver_deadline_id, row.confirm_deadline_id):
        if deadline_id is not None:
            calendar.close(session, deadline_id)
    members = members_of(session, row)
    if members:
        session.execute(delete(EvaluationScore).where(EvaluationScore.member_id.in_([m.id for m in members])))
    for m in members:
        m.scores_submitted_at = m.signature = m.dissent = m.signed_at = None
    row.round += 1
    # the reviews are reopened too: the committee confirms or changes each pass/fail, ends the review, then scores
    row.state, row.outcome_json, row.finished_at = "review", None, None
    row.report_json = row.report_sha256 = row.report_ledger_seq = None
    row.delivered_at = row.delivered_by = row.received_at = None
    row.deliver_deadline_id = row.confirm_deadline_id = None
    row.sealed_at = row.seal_json = row.seal_sha256 = row.seal_ledger_seq = None
    session.flush()
    kept.ledger_seq = log(
        session,
        row,
        "session:reopened",
        {
            "round": row.round,
            "superseded_report_sha256": kept.report_sha256,
            "superseded_seal_sha256": kept.seal_sha256,
            "scores_superseded": len(scores),
            "ground": ground,
            "source": source,
            "committee": config()["committee"]["value"],
        },
    )


def reopen(
    session: Session,
    actor: Principal,
    project: Project,
    *,
    reason: str,
    ground: str | None = None,
    source: str | None = None,
    section_id: int | None = None,
    before: str = "evaluation",
) -> list[EvaluationSession]:
    """Reopen the signed report of ``section_id`` (or of every section with one) for the original committee. The
    project must already be back in 评审中 (the lifecycle step that ordered it)."""
    if project.state != "evaluation":
        raise Conflict("项目须先回到“评审中”方可重新评审")
    ground = check_ground(project, ground)
    stmt = select(EvaluationSession).where(
        EvaluationSession.project_id == project.id, EvaluationSession.state == "finished"
    )
    if section_id is not None:
        stmt = stmt.where(EvaluationSession.section_id == section_id)
    rows = list(session.scalars(stmt.order_by(EvaluationSession.id)))
    if not rows:
        raise NothingToReevaluate("该项目（标段）没有已由评标委员会签署的评标报告，不能重新评审")
    for row in rows:
        _supersede(session, actor, row, reason, ground, source)
    told = Reopening(project, [r.section_id for r in rows], actor, reason, ground, source, before)
    for listener in _on_reopened:
        listener(session, told)
    return rows


def reopen_on_step(session: Session, event: StepEvent) -> None:
    """After ``complaint_reevaluate`` (an upheld objection, challenge or complaint) or ``purchaser_reevaluate`` (the
    purchaser or its agency, 87号令 第六十四条): the original committee evaluates again. A refusal here (no signed
    report; a procurement without a statutory ground) refuses the step that ordered it."""
    payload = event.payload
    if payload.get("complaint"):
        source = f"complaint:{payload['complaint']}"
    elif payload.get("purchaser"):
        source = f"purchaser:{payload['purchaser']}"
    else:
        source = None
    reopen(
        session,
        event.actor,
        event.project,
        reason=event.reason or "依处理结果重新评审",
        ground=payload.get("ground"),
        source=source,
        section_id=payload.get("section"),
        before=event.before,
    )


def source_label(source: str | None) -> str:
    if not source:
        return ""
    kind, _, ref = source.partition(":")
    if kind == "complaint":
        return f"异议、质疑或投诉处理结果（{ref}）"
    if kind == "purchaser":
        return "采购人（采购代理机构）自行组织（《政府采购货物和服务招标投标管理办法》第六十四条）"
    return source


def rounds(session: Session, row: EvaluationSession) -> list[EvaluationRound]:
    stmt = select(EvaluationRound).where(EvaluationRound.session_id == row.id).order_by(EvaluationRound.round)
    return list(session.scalars(stmt))


def round_view(r: EvaluationRound) -> dict:
    report = json.loads(r.report_json or "{}")
    return {
        "round": r.round,
        "report_sha256": r.report_sha256,
        "report_ledger_seq": r.report_ledger_seq,
        "seal_sha256": r.seal_sha256,
        "finished_at": r.finished_at,
        "superseded_at": r.superseded_at,
        "ground": r.ground,
        "ground_label": ground_label(r.ground),
        "reason": r.reason,
        "source": r.source,
        "source_label": source_label(r.source),
        "ledger_seq": r.ledger_seq,
        "candidates": report.get("candidates", []),
        "reviews": json.loads(r.reviews_json or "[]"),
        "finance_report": finance_report_view(r),
    }


def finance_report_view(r: EvaluationRound) -> dict | None:
    """87号令 第六十四条: the written report of a changed result to the finance department (purchaser's rounds)."""
    if r.finance_report_owed_at is None:
        return None
    return {
        "owed_at": r.finance_report_owed_at,
        "reported_at": r.finance_reported_at,
        "text": r.finance_report_text,
        "ledger_seq": r.finance_report_ledger_seq,
        "state": "已书面报告" if r.finance_reported_at else "应书面报告本级财政部门，尚未报告",
        "basis": config()["purchaser"]["finance_report"]["basis"],
    }


# --------------------------------------------------------------------------- a member who cannot take part


def _staff(actor: Principal) -> None:
    if not visibility.runs(actor):
        raise Forbidden("重新评审由组织评审的交易中心工作人员组织")


def replacement_rule() -> dict:
    return dict(config()["member_unavailable"])


def mark_unavailable(
    session: Session, actor: Principal, session_id: int, member_id: int, reason: str
) -> EvaluationMember:
    """An expert of the original committee cannot take part in the re-evaluation (ill, left the pool…): the staff
    record it; the replacement is called from the draw's order where the data file says so (平台默认值，待确认)."""
    row, _ = visibility.get_readable(session, actor, session_id)
    _staff(actor)
    require_unsealed(row)
    if row.round < 2 or row.state not in ("review", "scoring"):
        raise Conflict("只有重新评审（审查或独立评分阶段）中可以登记原评标委员会成员不能参加")
    member = session.get(EvaluationMember, member_id)
    if member is None or member.session_id != row.id or member.state != ACTIVE:
        raise NotFound("该成员不在本评标委员会")
    if member.kind != EXPERT or member.call_id is None:
        raise InvalidInput("招标人（采购人）代表不能参加的，由招标人（采购人）另行确定代表", field="member")
    if member.scores_submitted_at is not None:
        raise Conflict("该成员已在本轮提交评分")
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 300:
        raise InvalidInput("请说明不能参加的原因（2至300字）", field="reason")
    rule = replacement_rule()
    member.state, member.conflict_note = RECUSED, f"重新评审时不能参加：{reason}"
    if row.chair_id == member.id:
        row.chair_id = None  # the committee elects its chair again once whole
    session.flush()
    if rule["value"] == "draw_replacement":
        recusal.recuse_at_session(session, member.call_id)
    log(session, row, "member:unavailable", {"member": member.id, "round": row.round, "replacement": rule["value"]})
    return member


def admit_replacements(session: Session, actor: Principal, session_id: int) -> list[EvaluationMember]:
    """The replacement experts who confirmed and signed in join the re-evaluation; each declares conflicts before
    scoring (the room's form), and where the chair was replaced the committee elects one again."""
    row, _ = visibility.get_readable(session, actor, session_id)
    _staff(actor)
    require_unsealed(row)
    if row.round < 2 or row.state not in ("review", "scoring"):
        raise Conflict("只有重新评审（审查或独立评分阶段）中可以补充入席")
    request = session.get(DrawRequest, row.request_id)
    known = {m.call_id for m in members_of(session, row) if m.call_id}
    added = [_add_expert(session, row, c) for c in _signed_in_calls(session, request) if c.id not in known]
    if not added:
        raise Conflict("没有新签到的递补专家；等待递补专家确认并签到")
    session.flush()
    log(session, row, "member:admitted", {"members": [m.id for m in added], "round": row.round})
    return added
