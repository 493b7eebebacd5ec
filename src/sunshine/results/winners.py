"""确定中标人 (determining the winner) from the ranked candidates of each section's signed report.

- The tenderer (purchaser) confirms on the platform. The first candidate needs no reason; tied candidates the
  ranking left pending (``tie_pending``) are chosen by the purchaser per the documents (87号令 第六十八条).
- Choosing other than the first requires one of the statutory reasons — the first gives up, fails to perform a
  condition the documents set, or is found to have violated the law (《招标投标法实施条例》第五十五条 for projects
  with state-controlled funds; 87号令 第六十八条 in procurement) — with facts and evidence (a file in the file
  store); the supervisory department is alerted (core/alerts).
- Where the pack requires the candidates' publicity, the winner is determined after the period has run, and never
  while an objection waits for its answer (条例 第五十四条: 409 ``objection_pending``).
- In procurement, a purchaser silent past its ``purchaser_confirm`` working days from receiving the report is
  deemed to have chosen the first candidate (87号令 第六十八条): ``deem_due`` is the tick's part.

The step ``determine_winner`` keeps the project's state (one transition and ledger entry per section); the result
notice (``notice.publish``) moves it on. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.models import TrackedDeadline
from sunshine.evaluation.models import EvaluationSession
from sunshine.identity.roles import Role
from sunshine.results import base, publicity
from sunshine.results.models import SectionWinnerDecision
from sunshine.trading import lifecycle, outcomes, visibility
from sunshine.trading import service as trading
from sunshine.trading.models import Project, Section

MAX_EVIDENCE = 20 * 1024 * 1024
#: the statutory reasons to choose other than the first candidate
REASONS = {
    "gave_up": "排名第一的中标候选人放弃中标",
    "failed_condition": "排名第一的中标候选人因不可抗力不能履行合同，或不按照招标文件要求提交履约保证金",
    "violated_law": "排名第一的中标候选人被查实存在影响中标结果的违法行为",
}
TIE_CHOICE = "tie_choice"
REASON_LABELS = {
    **REASONS,
    TIE_CHOICE: "并列的中标候选人，由招标人（采购人）按招标文件规定的方式确定",
    "deemed": "逾期未确定，视为确定排名第一的中标候选人",
}


def basis(project: Project) -> str:
    if base.is_procurement(project):
        return "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十八条"
    return "《中华人民共和国招标投标法实施条例》第五十五条"


def decisions(session: Session, project_id: int) -> list[SectionWinnerDecision]:
    stmt = select(SectionWinnerDecision).where(SectionWinnerDecision.project_id == project_id)
    return list(session.scalars(stmt.order_by(SectionWinnerDecision.section_id)))


def _guard(session: Session, project: Project, row) -> None:  # noqa: ANN001
    if base.needs_publicity(project):
        if project.state != "candidates_publicised":
            raise Conflict(
                "本项目须先公示中标候选人，公示期满后方可确定中标人（《中华人民共和国招标投标法实施条例》第五十四条）"
            )
        if publicity.in_period(session, row):
            end = publicity.period_end(session, row)
            raise Conflict(f"中标候选人公示期至{end.due.isoformat()}，公示期满后方可确定中标人")
    publicity.require_none_pending(session, project)


def determine(
    session: Session,
    actor: Principal,
    project_id: int,
    section_id: int,
    *,
    eval_bid_id: int,
    reason: str | None = None,
    facts: str | None = None,
    evidence: Upload | None = None,
) -> SectionWinnerDecision:
    """The tenderer (purchaser) determines the section's winner from its ranked candidates."""
    project = visibility.get_visible(session, actor, project_id)
    if not (actor.has(Role.TENDERER) and actor.organisation_id == project.tenderer_id):
        if visibility.is_party(actor, project):
            raise Forbidden("中标人由招标人（采购人）确定，代理机构不能代为确定")
        raise NotFound("项目不存在")
    session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
    checked = lifecycle.check(project, "determine_winner", actor)
    row = base.require(session, project)
    _guard(session, project, row)
    ev = _session_of(session, project, section_id)
    cands = base.candidates(session, ev)
    chosen = next((c for c in cands if c.eval_bid_id == eval_bid_id), None)
    if chosen is None:
        raise InvalidInput("只能在评标报告推荐的中标候选人中确定中标人", field="eval_bid_id")
    first_rank = cands[0].rank
    firsts = [c for c in cands if c.rank == first_rank]
    code, stored, name = None, None, None
    facts = (facts or "").strip() or None
    if chosen.rank == first_rank and len(firsts) > 1:
        code = TIE_CHOICE  # tied at the top: the purchaser chooses per the documents
    elif chosen.rank != first_rank:
        if reason not in REASONS:
            raise InvalidInput(
                f"确定排名第一以外的中标候选人，须说明法定情形（{'、'.join(REASONS.values())}）。依据：{basis(project)}",
                field="reason",
            )
        if facts is None or not 4 <= len(facts) <= 2000:
            raise InvalidInput("请写明事实（4至2000字）", field="facts")
        if evidence is None or not evidence.data:
            raise InvalidInput("请上传证明材料（如放弃中标的书面声明、处理决定）", field="evidence")
        name, _, data = checked_upload(evidence, MAX_EVIDENCE)
        stored = file_store().put(data)
        code = reason
    return _record(session, project, checked, actor, row, ev, chosen, code, facts, stored, name, deemed=False)


def _session_of(session: Session, project: Project, section_id: int) -> EvaluationSession:
    ev = next((s for s in base.sessions(session, project.id) if s.section_id == section_id), None)
    if ev is None:
        raise NotFound("该标段没有已签署的评标报告")
    if session.scalar(select(SectionWinnerDecision.id).where(SectionWinnerDecision.section_id == section_id)):
        raise Conflict("该标段的中标人已确定")
    return ev


def _record(session, project, checked, actor, row, ev, chosen, code, facts, stored, name, *, deemed):  # noqa: ANN001
    now = clock.now()
    decision = SectionWinnerDecision(
        project_id=project.id,
        section_id=ev.section_id,
        eval_bid_id=chosen.eval_bid_id,
        organisation_id=chosen.organisation_id,
        bidder=chosen.bidder,
        amount=chosen.price,
        rank=chosen.rank,
        reason=code,
        facts=facts,
        evidence_sha256=stored,
        evidence_name=name,
        deemed=deemed,
        decided_by=actor.user_id,
        decided_at=now,
        ledger_seq=-1,
    )
    session.add(decision)
    section = session.get(Section, ev.section_id)
    transition = lifecycle.apply(
        session,
        project,
        checked,
        actor,
        reason=REASON_LABELS.get(code) if code else None,
        document_ref=f"results:{project.id}",
        payload={
            "section": section.number,
            "winner": chosen.organisation_id,
            "rank": chosen.rank,
            "amount": f"{chosen.price:.2f}",
            "reason": code,
            "deemed": deemed,
            "evidence_sha256": stored,
        },
    )
    decision.ledger_seq = transition.ledger_seq
    session.flush()
    if code in REASONS:
        alerts.raise_once(
            session,
            key=f"results:not_first:{ev.section_id}",
            domain="results",
            kind="alert",
            subject_kind="project",
            subject_id=project.id,
            message=(
                f"“{project.name}”第{section.number}标段确定排名第{chosen.rank}的中标候选人{chosen.bidder}为中标人，"
                f"理由：{REASONS[code]}（{basis(project)}），请监督部门关注"
            ),
            audience=[Role.SUPERVISOR.value, Role.CENTRE_STAFF.value],
        )
    _all_decided(session, project, row)
    return decision


def _all_decided(session: Session, project: Project, row) -> None:  # noqa: ANN001
    done = {d.section_id for d in decisions(session, project.id)}
    if any(s.section_id not in done for s in base.sessions(session, project.id)):
        return
    today = clock.today_local()
    row.decided_on = today
    if row.decide_due_id is not None:
        calendar.close(session, row.decide_due_id)
    within = base.rule(project, "result_notice_within")
    if within is not None:
        row.notice_due_id = base.track(session, project, base.NOTICE_DUE, today, within)
    session.flush()


def undecided(session: Session, project: Project) -> list[EvaluationSession]:
    done = {d.section_id for d in decisions(session, project.id)}
    return [s for s in base.sessions(session, project.id) if s.section_id not in done]


def deem_due(session: Session) -> list[str]:
    """The tick's part (87号令 第六十八条): a purchaser silent past its working days is deemed to have chosen the
    first candidate of each undecided section; a tie at the top cannot be deemed and raises an alert instead."""
    today = clock.today_local()
    projects = session.scalars(
        select(Project)
        .where(Project.transaction_type.in_(base.PROCUREMENT), Project.state == "evaluated")
        .order_by(Project.id)
    ).all()
    done = []
    for project in projects:
        row = base.ensure(session, project)
        if row is None or row.decide_due_id is None:
            continue
        deadline = session.get(TrackedDeadline, row.decide_due_id)
        if not deadline.is_open or today <= deadline.due:
            continue
        if publicity.pending(session, project):
            continue
        for ev in undecided(session, project):
            cands = base.candidates(session, ev)
            if not cands:
                continue
            firsts = [c for c in cands if c.rank == cands[0].rank]
            if len(firsts) > 1:
                alerts.raise_once(
                    session,
                    key=f"results:tie_overdue:{ev.section_id}",
                    domain="results",
                    kind="alert",
                    subject_kind="project",
                    subject_id=project.id,
                    message=f"“{project.name}”逾期未确定中标人，且排名第一的中标候选人并列，须由采购人按采购文件确定",
                    audience=[Role.SUPERVISOR.value, Role.CENTRE_STAFF.value],
                    organisation_id=project.tenderer_id,
                    due=deadline.due,
                )
                continue
            checked = lifecycle.check(project, "determine_winner", trading.SYSTEM)
            facts = f"采购人自收到评标报告之日起{deadline.days}个工作日内（至{deadline.due.isoformat()}）未确定中标人"
            _record(
                session, project, checked, trading.SYSTEM, row, ev, firsts[0], "deemed", facts, None, None, deemed=True
            )
            done.append(project.code)
    return done


def evidence_of(session: Session, actor: Principal, decision_id: int) -> tuple[str, bytes]:
    """The evidence file: the project's parties, the centre and the supervisors."""
    decision = session.get(SectionWinnerDecision, decision_id)
    project = session.get(Project, decision.project_id) if decision is not None else None
    if project is None or not decision.evidence_sha256:
        raise NotFound("证明材料不存在")
    if not (visibility.is_party(actor, project) or actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR}):
        raise NotFound("证明材料不存在")
    return decision.evidence_name or "evidence", file_store().open(decision.evidence_sha256)


def source_label(project: Project, decision: SectionWinnerDecision) -> str:
    who = "采购人" if base.is_procurement(project) else "招标人"
    committee = "评审委员会" if base.is_procurement(project) else "评标委员会"
    if decision.deemed:
        return f"{committee}推荐、{who}逾期未确定视为确定排名第一的中标候选人"
    return f"{committee}推荐、{who}确定"


def winner_source(session: Session, project: Project) -> list[outcomes.SectionWinner]:
    """The registry's source (``trading.outcomes``): every section whose winner is determined."""
    return [
        outcomes.SectionWinner(
            section_id=d.section_id,
            organisation_id=d.organisation_id,
            amount=d.amount,
            decided_at=d.decided_at,
            source=source_label(project, d),
            ledger_seq=d.ledger_seq,
        )
        for d in decisions(session, project.id)
    ]
