"""评委不参加开标会 (seed 003, 《政府采购服务实施方案》开评标准备（一）): the evaluators stay out of the opening.

Two checks. At the opening (``bidding.hooks.opening_person_check``): an official the centre names (唱标人、记录人、
监标人) or a user confirming the opening record who is an expert already called to the section's committee is
refused with 409 ``evaluation_expert_at_opening`` — the message names no committee (the names are secret until the
results). Where the committee is drawn after the opening (the usual order) and a drawn expert was recorded there
anyway, the session flags the member when it seats them (``flag``): the member's ``at_opening`` says how, an alert goes
to the centre and the supervisory department, a ledger entry records the seat (never the name), and the session room
and the report show it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import opening as bidding_opening
from sunshine.bidding.opening_record import confirmations_of
from sunshine.committees import calling
from sunshine.committees.models import DrawRequest
from sunshine.core import alerts
from sunshine.core.errors import Conflict
from sunshine.evaluation.models import EvaluationMember, EvaluationSession
from sunshine.experts.models import Expert
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

RULE = "《政府采购服务实施方案》开评标准备（一）：评委不参加开标会"
OFFICIALS = {"reader": "唱标人", "recorder": "记录人", "overseer": "监标人"}


class ExpertAtOpening(Conflict):
    code = "evaluation_expert_at_opening"
    title = "评标委员会成员不参加开标会"


def _committee_experts(session: Session, project: Project) -> list[Expert]:
    """The experts called to the project's evaluation committees and not released from them."""
    stmt = select(DrawRequest).where(
        DrawRequest.project_id == project.id,
        DrawRequest.purpose == "evaluation",
        DrawRequest.state.in_(("drawn", "appointed")),
    )
    out = []
    for request in session.scalars(stmt):
        for call in calling.calls_of(session, request.id):
            if call.state in (calling.PENDING, calling.CONFIRMED):
                expert = session.get(Expert, call.expert_id)
                if expert is not None:
                    out.append(expert)
    return out


def check_opening_person(session: Session, project: Project, user_id: int | None, name: str) -> None:
    """The hook bidding calls for each person recorded at the opening."""
    for expert in _committee_experts(session, project):
        if user_id is not None and expert.user_id == user_id:
            raise ExpertAtOpening(f"您是本项目评标委员会成员，不参加开标会（{RULE}）")
        if user_id is None and expert.name == name.strip():
            raise ExpertAtOpening(f"“{name.strip()}”不能担任开标工作人员：{RULE}")


def how_at_opening(session: Session, project: Project, user_id: int, name: str) -> str | None:
    """How the person was recorded at the project's opening (e.g. "记录人", "确认开标记录"), or None."""
    opening = bidding_opening.session_of(session, project.id)
    if opening is None:
        return None
    found = [label for field, label in OFFICIALS.items() if (getattr(opening, field) or "").strip() == name]
    if any(c.user_id == user_id for c in confirmations_of(session, opening)):
        found.append("确认开标记录")
    return "、".join(found) or None


def flag(session: Session, row: EvaluationSession, project: Project, member: EvaluationMember) -> str | None:
    """Flag a seated expert who was recorded at the opening (the caller writes the ledger entry); how, or None."""
    how = how_at_opening(session, project, member.user_id, member.name)
    if how is None:
        return None
    member.at_opening = how[:60]
    alerts.raise_once(
        session,
        key=f"evaluation:at_opening:{member.id}",
        domain="evaluation",
        kind="alert",
        subject_kind="evaluation_session",
        subject_id=row.id,
        message=f"“{project.name}”评标委员会中有专家曾参加开标会（{how}），违反“评委不参加开标会”的要求，请核查",
        audience=[Role.CENTRE_STAFF.value, Role.SUPERVISOR.value],
    )
    return how
