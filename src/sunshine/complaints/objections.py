"""The two objections the platform takes in their own places, kept as cases of this module with the others: the
objection raised at the opening (开标现场异议, 条例 第四十四条: a bidder of the opening raises it in the opening
room, the tenderer's side answers on the spot and the answer is recorded in the opening record — no clock) and the
objection to the evaluation result during the candidates' publicity (条例 第五十四条: answered within
``publicity_objection_answer`` days, the case clock with its reminder and overdue alert; until every one is answered
the winner cannot be determined — results' guard 409 ``objection_pending``). Bidding and the results read them
through the hooks registered here (``install``); they import nothing of this module. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding import hooks as bidding_hooks
from sunshine.bidding.opening import session_or_404
from sunshine.bidding.service import sealed_bids
from sunshine.complaints import base, jurisdiction, kinds
from sunshine.complaints.models import ComplaintCase
from sunshine.complaints.visibility import get_visible, is_respondent
from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
from sunshine.results import hooks as results_hooks
from sunshine.results import publicity
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Section

OPENING_MAX = 2000
RESULT_MIN, RESULT_MAX = 10, 5000


def _new_case(
    session: Session, actor: Principal, project: Project, kind: str, text: str, section_id: int | None = None
) -> ComplaintCase:
    today = clock.today_local()
    row = ComplaintCase(
        code=base.new_code(session, kind),
        kind=kind,
        project_id=project.id,
        section_id=section_id,
        organisation_id=actor.organisation_id,
        filed_by=actor.user_id,
        filed_at=clock.now(),
        received_on=today,
        knew_on=today,
        matter=kinds.KINDS[kind].matters[0],
        respondent=_respondent(session, project),
        contact="",
        facts=text,
        request="",
        signed=True,  # raised through the bidder's own signed-in account
        state="filed",
        suspended_project=False,
        department=jurisdiction.check_addressed(project, None),
        ledger_seq=-1,
    )
    session.add(row)
    session.flush()
    event = base.record(
        session,
        row,
        "filed",
        actor,
        payload={
            "project": project.code,
            "matter": row.matter,
            "organisation": actor.organisation_id,
            "facts_sha256": base.sha(text),
            "section": section_id,
        },
    )
    row.ledger_seq = event.ledger_seq
    return row


def _respondent(session: Session, project: Project) -> str:
    from sunshine.identity.models import Organisation

    names = [session.get(Organisation, i).name for i in (project.tenderer_id, project.agency_id) if i is not None]
    return "、".join(names)


def _answer(session: Session, actor: Principal, row: ComplaintCase, project: Project, text: str) -> None:
    row.answer, row.answered_at, row.answered_by, row.state = text, clock.now(), actor.user_id, "answered"
    base.record(session, row, "answered", actor, note=text)
    alerts.resolve(session, subject_kind="complaint", subject_id=row.id)


def _own_case(session: Session, actor: Principal, case_id: int, kind: str, project_id: int | None) -> tuple:
    row, project = get_visible(session, actor, case_id)
    if row.kind != kind or (project_id is not None and row.project_id != project_id):
        from sunshine.core.errors import NotFound

        raise NotFound("异议不存在")
    if not is_respondent(actor, project):
        raise Forbidden("异议由招标人（或其委托的代理机构）答复")
    if row.state != "filed":
        raise Conflict(f"该异议已{kinds.STATES[row.state]}")
    return row, project


# --------------------------------------------------------------------------- at the opening (条例 第四十四条)


def raise_at_opening(session: Session, actor: Principal, project_id: int, text: str) -> ComplaintCase:
    """开标异议: a bidder of this opening objects on the spot, while the record is being made."""
    project = trading_visibility.get_visible(session, actor, project_id)
    opening = session_or_404(session, project.id)
    if opening.status not in ("decrypting", "recording"):
        raise Conflict("开标记录已确认公布，开标现场异议环节已结束")
    if not any(b.organisation_id == actor.organisation_id for b in sealed_bids(session, project.id)):
        raise Forbidden("只有参加本次开标的投标人可以提出开标异议")
    text = (text or "").strip()
    if not 5 <= len(text) <= OPENING_MAX:
        raise InvalidInput(f"异议内容应为 5 到 {OPENING_MAX} 字", field="text")
    return _new_case(session, actor, project, "opening_objection", text)


def answer_at_opening(
    session: Session, actor: Principal, case_id: int, answer: str, project_id: int | None = None
) -> ComplaintCase:
    """招标人当场作出答复，并制作记录: the answer enters the opening record."""
    row, project = _own_case(session, actor, case_id, "opening_objection", project_id)
    answer = (answer or "").strip()
    if not 2 <= len(answer) <= OPENING_MAX:
        raise InvalidInput(f"答复内容应为 2 到 {OPENING_MAX} 字", field="answer")
    _answer(session, actor, row, project, answer)
    return row


# --------------------------------------------------------------------------- to the result (条例 第五十四条)


def file_on_result(
    session: Session, actor: Principal, project_id: int, *, content: str, section_id: int | None
) -> ComplaintCase:
    """对评标结果提出异议, during the publicity period only; its answer clock starts at once."""
    project = trading_visibility.get_visible(session, actor, project_id)
    if not publicity.may_object(actor):
        raise Forbidden("异议由投标人或者其他利害关系人以本单位账户提出")
    publicity.check_open(session, project)
    content = (content or "").strip()
    if not RESULT_MIN <= len(content) <= RESULT_MAX:
        raise InvalidInput(f"异议应写明事实和理由（{RESULT_MIN}至{RESULT_MAX}字）", field="content")
    if section_id is not None:
        section = session.get(Section, section_id)
        if section is None or section.project_id != project.id:
            raise InvalidInput("标段不属于本项目", field="section_id")
    return _new_case(session, actor, project, "result_objection", content, section_id)


def answer_on_result(
    session: Session, actor: Principal, case_id: int, *, text: str, project_id: int | None = None
) -> ComplaintCase:
    """The tenderer (or its agency) answers in writing; the objector hears of it in the platform inbox."""
    row, project = _own_case(session, actor, case_id, "result_objection", project_id)
    text = (text or "").strip()
    if not 4 <= len(text) <= RESULT_MAX:
        raise InvalidInput(f"答复应写明处理意见和理由（4至{RESULT_MAX}字）", field="answer")
    _answer(session, actor, row, project, text)
    base.tell(session, row, project, "已答复", text)
    return row


# --------------------------------------------------------------------------- read by bidding and the results


def _cases(session: Session, project: Project, kind: str) -> list[ComplaintCase]:
    stmt = select(ComplaintCase).where(ComplaintCase.project_id == project.id, ComplaintCase.kind == kind)
    return list(session.scalars(stmt.order_by(ComplaintCase.id)))


def opening_objections(session: Session, project: Project) -> list[bidding_hooks.OpeningObjectionView]:
    return [
        bidding_hooks.OpeningObjectionView(
            id=r.id,
            organisation_id=r.organisation_id,
            text=r.facts,
            raised_at=r.filed_at,
            answer=r.answer,
            answered_by=r.answered_by,
            answered_at=r.answered_at,
        )
        for r in _cases(session, project, "opening_objection")
        if r.state != "withdrawn"
    ]


def result_objections(session: Session, project: Project) -> list[results_hooks.ResultObjectionView]:
    rows = [r for r in _cases(session, project, "result_objection") if r.state != "withdrawn"]
    if not rows:
        return []
    cal, today = calendar.load(session), clock.today_local()
    out = []
    for r in rows:
        running = base.clocks_of(session, r, project, cal)
        due = running[0].due if running else None
        out.append(
            results_hooks.ResultObjectionView(
                id=r.id,
                code=r.code,
                section_id=r.section_id,
                organisation_id=r.organisation_id,
                filed_at=r.filed_at,
                content=r.facts,
                answer_due=due,
                answer_due_overdue=bool(running and running[0].overdue(today)),
                answer=r.answer,
                answered_at=r.answered_at,
            )
        )
    return out


def install() -> None:
    bidding_hooks.opening_objections_source(opening_objections)
    results_hooks.objections_source(result_objections)
