"""The observers' seat at an evaluation session (观察席; seed 000 深度观看专家评委网上评标整个过程): the centre
admits the supervisory department, its own witness and the observers it chooses (social supervisors, citizens at
an open day) through the generic ``observers`` package; a seated person watches the steps and their progress as
they happen — the committee's seats by number, who has declared, scored and signed, each bid's review progress,
the questions put, the minutes' count, the session's ledger entries — while the members' identities, their scores,
the review verdicts and what was said stay hidden until the results (《招标投标法》第四十四条). Reads, and the
admission; never commits.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, NotFound
from sunshine.evaluation import codes, declaration, reviews, service, visibility
from sunshine.evaluation.models import EvaluationRemark, EvaluationSession
from sunshine.identity.models import User
from sunshine.ledger.models import LedgerEntry
from sunshine.observers import registry
from sunshine.observers import service as observers
from sunshine.observers.models import ObserverSeat
from sunshine.trading.models import Project, Section

KIND = codes.OBSERVER_KIND

#: what each of the session's ledger entries means, as an observer reads it
EVENTS = {
    "evaluation:session:started": "评标会议开始",
    "evaluation:member:admitted": "递补成员入席",
    "evaluation:member:declared": "成员作出回避声明",
    "evaluation:member:flagged": "发现曾参加开标会的评标专家",
    "evaluation:chair:elected": "推选组长",
    "evaluation:bid:reviewed": "审查一份投标",
    "evaluation:query:asked": "向投标人发出问询",
    "evaluation:query:answered": "投标人答复问询",
    "evaluation:query:judged": "认定异常低价说明",
    "evaluation:review:finished": "审查结束",
    "evaluation:scores:submitted": "一名成员提交评分",
    "evaluation:result:computed": "汇总计算与排序",
    "evaluation:minutes:recorded": "记录成员发言",
    "evaluation:minutes:confirmed": "成员确认本人发言记录",
    "evaluation:report:signed_by": "一名成员签署评标报告",
    "evaluation:report:refused": "记录拒绝签字（视为同意）",
    "evaluation:report:final": "评标报告全体签署",
    "evaluation:session:failed": "评审失败（废标）",
    "evaluation:session:sealed": "会议资料就地封存",
    "evaluation:price:corrected": "修正一份投标的报价（待投标人确认）",
    "evaluation:price:answered": "投标人答复报价修正",
    "evaluation:price:adjusted": "记录一项价格折算",
    "evaluation:member:site": "记录成员的评标地点（异地评标）",
    "evaluation:member:site_signed_in": "异地评标所在交易中心为成员签到",
    "evaluation:session:joint": "与其他标段（包）合并评审（同一评标委员会）",
    "evaluation:session:reopened": "重新评审：原评标委员会重新评分，原评标报告保留",
    "evaluation:member:unavailable": "一名成员不能参加重新评审（按原抽取顺序递补）",
}


def install() -> None:
    registry.register(
        KIND,
        "评标（评审）会议",
        lambda session_id: f"/evaluation/sessions/{session_id}/watch",
        booked_as="evaluation",
        sessions_of=sessions_at_booking,
    )


def sessions_at_booking(session: Session, project_id: int, booking_subject: str) -> list[int]:
    """The sessions held at an evaluation booking: those of its draw request (``committee-request:<id>``), or,
    for a booking the centre made by hand for the project, every session of the project."""
    stmt = select(EvaluationSession.id).where(EvaluationSession.project_id == project_id)
    prefix, _, request_id = booking_subject.partition(":")
    if prefix == "committee-request" and request_id.isdigit():
        stmt = stmt.where(EvaluationSession.request_id == int(request_id))
    return list(session.scalars(stmt.order_by(EvaluationSession.id)))


def ledger_subject(session: Session, row: EvaluationSession) -> str:
    return f"project:{session.get(Project, row.project_id).code}"


def _session_or_404(session: Session, session_id: int) -> tuple[EvaluationSession, Project]:
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None:
        raise NotFound("评标会议不存在")
    return row, project


def may_watch(session: Session, actor: Principal, row: EvaluationSession) -> bool:
    return (
        visibility.runs(actor)
        or visibility.member_of(session, actor, row) is not None
        or observers.seat_of(session, actor, KIND, row.id) is not None
    )


def get_watchable(session: Session, actor: Principal, session_id: int) -> tuple[EvaluationSession, Project]:
    row, project = _session_or_404(session, session_id)
    if not may_watch(session, actor, row):
        raise NotFound("评标会议不存在")
    return row, project


def admit(session: Session, actor: Principal, session_id: int, *, user_id: int, capacity: str) -> ObserverSeat:
    """安排观察席 at a session not yet sealed; a member of the committee cannot also be its observer."""
    row, _ = visibility.get_readable(session, actor, session_id)
    if row.sealed_at is not None:
        raise service.SessionSealed("评标会议已结束并封存，不能再安排观察席")
    if any(m.user_id == user_id for m in service.members_of(session, row)):
        raise Conflict("评标委员会成员不能同时担任本次会议的观察员")
    return observers.admit(
        session, actor, KIND, row.id, user_id=user_id, capacity=capacity, ledger_subject=ledger_subject(session, row)
    )


def revoke(session: Session, actor: Principal, session_id: int, seat_id: int) -> ObserverSeat:
    row, _ = visibility.get_readable(session, actor, session_id)
    return observers.revoke(session, actor, KIND, row.id, seat_id, ledger_subject=ledger_subject(session, row))


def seats_view(session: Session, actor: Principal, session_id: int) -> list[dict[str, Any]]:
    """The seats at a session, for the centre's staff who arrange them (with the names: the staff admitted them)."""
    row, _ = visibility.get_readable(session, actor, session_id)
    out = []
    for seat in observers.seats(session, KIND, row.id):
        user = session.get(User, seat.user_id)
        out.append(
            {
                "id": seat.id,
                "user_id": seat.user_id,
                "name": user.display_name if user is not None else "",
                "capacity": seat.capacity,
                "capacity_label": observers.capacity_label(seat.capacity),
                "admitted_at": seat.admitted_at,
            }
        )
    return out


def _timeline(session: Session, row: EvaluationSession, project: Project) -> list[dict[str, Any]]:
    stmt = (
        select(LedgerEntry)
        .where(LedgerEntry.subject == f"project:{project.code}", LedgerEntry.kind.in_(tuple(EVENTS)))
        .order_by(LedgerEntry.seq)
    )
    out = []
    for entry in session.scalars(stmt):
        payload = json.loads(entry.payload)
        if payload.get("session") != row.id:
            continue
        out.append({"seq": entry.seq, "at": formatting.local_time(entry.recorded_at), "event": EVENTS[entry.kind]})
    return out


def watch_view(session: Session, actor: Principal, session_id: int) -> dict[str, Any]:
    """What a seated observer sees, as it happens. Names of members only once the results are public."""
    row, project = get_watchable(session, actor, session_id)
    public = visibility.results_public(project)
    section = session.get(Section, row.section_id)
    method = declaration.method(declaration.required(session, row.section_id).method)
    members = service.members_of(session, row)
    queries = reviews.queries_of(session, row)
    remarks = session.scalars(select(EvaluationRemark).where(EvaluationRemark.session_id == row.id)).all()
    return {
        "id": row.id,
        "project_name": project.name,
        "project_code": project.code,
        "section": section.number,
        "section_name": section.name,
        "method_title": method.title,
        "state": row.state,
        "state_label": codes.STATES[row.state],
        "results_public": public,
        "started_at": row.started_at,
        "seats": [
            {
                "seat": f"第{i}席",
                "name": m.name if public else None,
                "kind_label": "评标专家" if m.kind == service.EXPERT else "招标人（采购人）代表",
                "state_label": "回避" if m.state == service.RECUSED else "在席",
                "chair": m.id == row.chair_id,
                "declared": m.declared_at is not None,
                "scores_submitted": m.scores_submitted_at is not None,
                "signed": m.signed_at is not None,
                "at_opening": bool(m.at_opening),
            }
            for i, m in enumerate(members, start=1)
        ],
        "bids": [
            {
                "bidder": b.bidder,
                "price": formatting.yuan(b.price),
                "review": _review_progress(b, public),
            }
            for b in service.bids_of(session, row)
        ],
        "queries": {"asked": len(queries), "answered": sum(1 for q in queries if q.answered_at is not None)},
        "remarks": {"recorded": len(remarks), "confirmed": sum(1 for r in remarks if r.confirmed_at is not None)},
        "timeline": _timeline(session, row, project),
        "sealed_at": row.sealed_at,
        "seal_sha256": row.seal_sha256,
    }


def _review_progress(bid, public: bool) -> str:
    done = [s for s in (bid.qualification, bid.compliance) if s]
    if public:
        if bid.rejected_reason:
            return "未通过审查"
        return "通过审查" if len(done) == 2 else "审查未完成"
    if bid.rejected_reason or len(done) == 2:
        return "审查完成"
    return "审查中" if done else "待审查"
