"""Experts' conduct at the session (评标专家行为记录): once the session has ended (report signed, or failed), the
centre's staff who ran it and the tenderer (purchaser) record how an expert member behaved — late, absent, improper —
into the expert's record (``experts.records.record_conduct``), which the pool's office reads with the expert's other
records. The ledger names the session and the member's seat, never the expert."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.evaluation import visibility
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.evaluation.service import EXPERT, log
from sunshine.experts import records
from sunshine.experts.models import ExpertConduct
from sunshine.trading.models import Project


def record(
    session: Session, actor: Principal, session_id: int, member_id: int, *, kind: str, note: str
) -> ExpertConduct:
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    tenderer = project is not None and actor.organisation_id == project.tenderer_id
    if project is None or not (visibility.runs(actor) or tenderer):
        raise NotFound("评标会议不存在")
    if row.state not in ("finished", "failed"):
        raise Conflict("评审结束后方可记录专家的评标行为")
    member = session.get(EvaluationMember, member_id)
    if member is None or member.session_id != row.id:
        raise NotFound("该成员不在本评标委员会")
    if member.kind != EXPERT or member.expert_id is None:
        raise InvalidInput("评标行为记录只针对评标专家", field="member")
    if not (visibility.runs(actor) or tenderer):
        raise Forbidden("由交易中心或招标人（采购人）记录")
    conduct = records.record_conduct(
        session,
        member.expert_id,
        kind=kind,
        note=note,
        source=f"evaluation_session:{row.id}",
        project_name=project.name,
        recorded_by=actor.user_id,
    )
    log(session, row, "member:conduct", {"member": member.id, "kind": kind})
    return conduct
