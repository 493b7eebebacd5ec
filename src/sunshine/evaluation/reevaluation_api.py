"""Routes of the re-evaluation (重新评审), JSON and pages: a session's rounds (the superseded reports with their
hashes, grounds and the case that ordered them, the round under way), and the centre's staff recording that a
member of the original committee cannot take part and admitting the replacement who signed in. Thin: the rules
are in ``evaluation.reevaluation``; the reopening itself is the hook on the complaints' step."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.evaluation import codes, reevaluation, service, visibility
from sunshine.evaluation.models import EvaluationSession
from sunshine.identity.roles import Role
from sunshine.trading import visibility as projects
from sunshine.trading.models import Project
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

api = APIRouter(prefix="/api/v1/evaluation", tags=["评标（评审）"])
pages = APIRouter(tags=["评标（评审）页面"], include_in_schema=False, dependencies=[Depends(check_csrf)])
READERS = Depends(Access(Role.EXPERT, Role.TENDERER, Role.CENTRE_STAFF, Role.AGENCY, Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))


class UnavailableIn(BaseModel):
    reason: str = Field(max_length=300, description="不能参加重新评审的原因")


class RoundsOut(BaseModel):
    session_id: int
    round: int
    state: str
    state_label: str
    rounds: list[dict[str, Any]]
    committee_rule: str
    replacement: dict[str, str]
    members: list[dict[str, Any]]


def _readable(session: Session, actor: Principal, session_id: int) -> tuple[EvaluationSession, Project]:
    """The session's readers, and the report's (the agency once signed, the tenderer once delivered)."""
    row = session.get(EvaluationSession, session_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if project is None or not (
        visibility.may_read(session, actor, row, project) or visibility.may_read_report(session, actor, row, project)
    ):
        raise NotFound("评标会议不存在")
    return row, project


def rounds_out(session: Session, actor: Principal, row: EvaluationSession) -> RoundsOut:
    rule = reevaluation.replacement_rule()
    inside = visibility.runs(actor) or visibility.member_of(session, actor, row) is not None
    members = (
        [
            {
                "id": m.id,
                "name": m.name,
                "kind": m.kind,
                "state": m.state,
                "note": m.conflict_note,
                "scored": bool(m.scores_submitted_at),
            }
            for m in service.members_of(session, row)
        ]
        if inside
        else []
    )
    return RoundsOut(
        session_id=row.id,
        round=row.round,
        state=row.state,
        state_label=codes.STATES[row.state],
        rounds=[reevaluation.round_view(r) for r in reevaluation.rounds(session, row)],
        committee_rule=reevaluation.config()["committee"]["basis"],
        replacement={
            "value": rule["value"],
            "basis": rule["basis"],
            "status": "待确认（平台默认值）" if rule["status"] == "U" else "已确认",
            "note": rule.get("note", ""),
        },
        members=members,
    )


@api.get("/sessions/{session_id}/rounds", response_model=RoundsOut, summary="重新评审记录（各轮评标报告）")
def get_rounds(session_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> RoundsOut:
    row, _ = _readable(session, actor, session_id)
    return rounds_out(session, actor, row)


@api.post(
    "/sessions/{session_id}/members/{member_id}/unavailable",
    response_model=RoundsOut,
    summary="登记原评标委员会成员不能参加重新评审",
)
def unavailable(
    session_id: Id, member_id: Id, body: UnavailableIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> RoundsOut:
    reevaluation.mark_unavailable(session, actor, session_id, member_id, body.reason)
    return rounds_out(session, actor, session.get(EvaluationSession, session_id))


@api.post("/sessions/{session_id}/replacements", response_model=RoundsOut, summary="递补专家入席重新评审")
def replacements(session_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> RoundsOut:
    reevaluation.admit_replacements(session, actor, session_id)
    return rounds_out(session, actor, session.get(EvaluationSession, session_id))


# --------------------------------------------------------------------------- pages


def _page(session_id: int) -> str:
    return f"/evaluation/sessions/{session_id}/rounds"


@pages.get("/evaluation/sessions/{session_id}/rounds", response_class=HTMLResponse)
def rounds_page(
    request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    row, project = _readable(session, actor, session_id)
    return render(
        request,
        "evaluation_rounds.html",
        page_title=f"重新评审记录：{project.name}",
        project=project,
        row=row,
        v=rounds_out(session, actor, row),
        may_run=visibility.runs(actor)
        and row.round > 1
        and row.state in ("review", "scoring")
        and row.sealed_at is None,
        may_start=_may_start(actor, project),
        may_report=projects.is_party(actor, project),
        grounds=reevaluation.grounds_for(project.transaction_type),
        purchaser_rule=reevaluation.config()["purchaser"],
    )


def _may_start(actor: Principal, project: Project) -> bool:
    """The button of 87号令 第六十四条: the project's purchaser or agency, a procurement, before the contract."""
    rule = reevaluation.config()["purchaser"]
    return (
        projects.is_party(actor, project)
        and project.transaction_type in rule["transaction_types"]
        and project.state in rule["states"]
    )


@pages.post("/evaluation/sessions/{session_id}/members/{member_id}/unavailable", response_class=HTMLResponse)
def unavailable_form(
    request: Request,
    session_id: Id,
    member_id: Id,
    reason: Annotated[str, Form(max_length=300)] = "",
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    done = "已登记；平台已按原抽取顺序通知递补专家"
    return act(
        request,
        _page(session_id),
        lambda: reevaluation.mark_unavailable(session, actor, session_id, member_id, reason),
        done,
    )


@pages.post("/evaluation/sessions/{session_id}/replacements", response_class=HTMLResponse)
def replacements_form(
    request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = CENTRE
) -> Response:
    return act(
        request,
        _page(session_id),
        lambda: reevaluation.admit_replacements(session, actor, session_id),
        "递补专家已入席",
    )
