"""JSON routes of the evaluation: the section's declaration (agency, before the opening), the session (centre staff
open it; members declare conflicts, elect the chair, review, ask, score, sign), the bidder's answers to the
committee's questions, and the report (delivered to the purchaser, confirmed). Who reads what is
``evaluation.visibility``: outside the committee and the staff running it a session answers 404 until the results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.evaluation import conduct, declaration, reading, report, reviews, scoring, service, visibility
from sunshine.evaluation.schemas import (
    AnswerIn,
    ConductIn,
    ConductOut,
    ConflictsIn,
    DeclarationIn,
    DeclarationOut,
    DeclaredOut,
    JudgementIn,
    QueryIn,
    QueryOut,
    ReasonIn,
    ReportOut,
    ReviewIn,
    ScoresIn,
    SessionOut,
    SignIn,
    StartSessionIn,
    VoteIn,
)
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.models import Project, Section

router = APIRouter(prefix="/api/v1/evaluation", tags=["评标（评审）"])
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
DECLARATION_READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR, Role.EXPERT))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
#: members are experts or the tenderer's representatives; the staff run the session; others read after the results
SESSION_READERS = Depends(Access(Role.EXPERT, Role.TENDERER, Role.CENTRE_STAFF, Role.AGENCY, Role.SUPERVISOR))
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))
DELIVERERS = Depends(Access(Role.AGENCY, Role.CENTRE_STAFF))
TENDERER = Depends(Access(Role.TENDERER))
CONDUCT = Depends(Access(Role.CENTRE_STAFF, Role.TENDERER))


def _declaration_out(row) -> DeclarationOut:
    declared = declaration.declared_of(row)
    return DeclarationOut(
        section_id=row.section_id,
        method=row.method,
        method_title=declaration.method(row.method).title,
        criteria=[
            {"code": c.code, "title": c.title, "kind": c.kind, "max_score": c.max_score, "min_score": c.min_score}
            for c in declared.criteria
        ],
        price_weight=row.price_weight,
        sme_deduction=row.sme_deduction,
        candidates=row.candidates,
        tie_break=row.tie_break,
        category=row.category,
        price_fixed=bool(row.price_fixed),
        evaluated_with=row.evaluated_with,
        set_at=row.set_at,
    )


@router.put("/sections/{section_id}/declaration", response_model=DeclarationOut, summary="声明评标办法和评分标准")
def put_declaration(
    section_id: Id, body: DeclarationIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> DeclarationOut:
    row = declaration.declare(
        session,
        actor,
        section_id,
        method_code=body.method,
        criteria=[c.model_dump() for c in body.criteria],
        price_weight=body.price_weight,
        sme_deduction=body.sme_deduction,
        candidates=body.candidates,
        tie_break=body.tie_break,
        category=body.category,
        price_fixed=body.price_fixed,
        evaluated_with=body.evaluated_with,
    )
    return _declaration_out(row)


@router.get("/sections/{section_id}/declaration", response_model=DeclarationOut, summary="标段的评标办法声明")
def get_declaration(section_id: Id, session: Session = SessionDep, actor: Principal = DECLARATION_READERS) -> Any:
    section = session.get(Section, section_id)
    project = session.get(Project, section.project_id) if section is not None else None
    row = declaration.of_section(session, section_id)
    if project is None or row is None or not trading_visibility.is_visible(actor, project):
        raise NotFound("该标段（包）没有评标办法声明")
    return _declaration_out(row)


def _out(session: Session, actor: Principal, session_id: int) -> dict[str, Any]:
    return reading.session_view(session, actor, session_id)


@router.post("/sections/{section_id}/session", response_model=SessionOut, status_code=201, summary="开始评审")
def start(section_id: Id, body: StartSessionIn, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    row = service.start(session, actor, section_id, representatives=body.representatives)
    return _out(session, actor, row.id)


@router.get("/mine", response_model=list[SessionOut], summary="本人参加的评标会议")
def mine(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    page = visibility.member_session_page(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [_out(session, actor, row.id) for row in paging.answer(page)]


@router.get("/sessions/{session_id}", response_model=SessionOut, summary="评标会议")
def get_session(session_id: Id, session: Session = SessionDep, actor: Principal = SESSION_READERS) -> Any:
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/admit", response_model=SessionOut, summary="递补专家、更换代表入席")
def admit(session_id: Id, body: StartSessionIn, session: Session = SessionDep, actor: Principal = CENTRE) -> Any:
    service.admit(session, actor, session_id, representatives=body.representatives)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/conflicts", response_model=DeclaredOut, summary="回避声明")
def conflicts(session_id: Id, body: ConflictsIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    items = [service.ConflictIn(d.bid_id, d.conflict, d.reason) for d in body.declarations]
    member = service.declare_conflicts(session, actor, session_id, items, body.note)
    recused = member.state != service.ACTIVE
    return DeclaredOut(
        member_id=member.id,
        recused=recused,
        message="您已回避，不再参加本次评审；平台将按抽取顺序通知下一位专家" if recused else "回避声明已提交",
    )


@router.post("/sessions/{session_id}/chair", response_model=SessionOut, summary="推选组长")
def vote(session_id: Id, body: VoteIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    service.vote_chair(session, actor, session_id, body.candidate)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/bids/{bid_id}/review", response_model=SessionOut, summary="资格审查、符合性审查")
def review(
    session_id: Id, bid_id: Id, body: ReviewIn, session: Session = SessionDep, actor: Principal = MEMBERS
) -> Any:
    reviews.review(
        session,
        actor,
        session_id,
        bid_id,
        stage=body.stage,
        passed=body.passed,
        reason=body.reason,
        facts=body.facts,
        sme=body.sme,
    )
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/queries", response_model=QueryOut, status_code=201, summary="澄清、异常低价说明")
def ask(session_id: Id, body: QueryIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    q = reviews.ask(session, actor, session_id, body.bid_id, kind=body.kind, question=body.question, due_at=body.due_at)
    return reading.query_view(q)


@router.post("/sessions/{session_id}/queries/{query_id}/judgement", response_model=SessionOut, summary="异常低价认定")
def judge(
    session_id: Id, query_id: Id, body: JudgementIn, session: Session = SessionDep, actor: Principal = MEMBERS
) -> Any:
    reviews.judge_low_price(session, actor, session_id, query_id, accepted=body.accepted, facts=body.facts)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/review/finish", response_model=SessionOut, summary="审查结束")
def finish_review(session_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    reviews.finish(session, actor, session_id)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/reject-all", response_model=SessionOut, summary="否决所有投标")
def reject_all(session_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    reviews.reject_all(session, actor, session_id, body.reason)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/scores", response_model=SessionOut, summary="提交评分")
def submit_scores(session_id: Id, body: ScoresIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    scoring.submit(session, actor, session_id, body.scores)
    return _out(session, actor, session_id)


@router.post("/sessions/{session_id}/compute", response_model=SessionOut, summary="汇总计算与排序")
def compute(session_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS) -> Any:
    scoring.compute(session, actor, session_id)
    return _out(session, actor, session_id)


def _report_out(session: Session, row) -> ReportOut:
    return ReportOut(
        session_id=row.id,
        state=row.state,
        report_sha256=row.report_sha256,
        report_ledger_seq=row.report_ledger_seq,
        content=report.content(row),
        signatures=report.signatures(session, row),
        delivered_at=row.delivered_at,
        received_at=row.received_at,
    )


@router.get("/sessions/{session_id}/report", response_model=ReportOut, summary="评标报告")
def get_report(session_id: Id, session: Session = SessionDep, actor: Principal = SESSION_READERS) -> ReportOut:
    row, _ = report.readable_report(session, actor, session_id)
    return _report_out(session, row)


@router.post("/sessions/{session_id}/report/sign", response_model=ReportOut, summary="签署评标报告")
def sign(session_id: Id, body: SignIn, session: Session = SessionDep, actor: Principal = MEMBERS) -> ReportOut:
    report.sign(session, actor, session_id, agree=body.agree, dissent=body.dissent)
    return _report_out(session, report.readable_report(session, actor, session_id)[0])


@router.post(
    "/sessions/{session_id}/report/refusals/{member_id}", response_model=ReportOut, summary="记录拒绝签字（视为同意）"
)
def refusal(session_id: Id, member_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> ReportOut:
    report.record_refusal(session, actor, session_id, member_id)
    return _report_out(session, report.readable_report(session, actor, session_id)[0])


@router.post("/sessions/{session_id}/report/deliver", response_model=ReportOut, summary="送交采购人")
def deliver(session_id: Id, session: Session = SessionDep, actor: Principal = DELIVERERS) -> ReportOut:
    row = report.deliver(session, actor, session_id)
    return _report_out(session, row)


@router.post("/sessions/{session_id}/report/confirm", response_model=ReportOut, summary="采购人确认评标报告")
def confirm(session_id: Id, session: Session = SessionDep, actor: Principal = TENDERER) -> ReportOut:
    row = report.confirm(session, actor, session_id)
    return _report_out(session, row)


@router.post(
    "/sessions/{session_id}/members/{member_id}/conduct",
    response_model=ConductOut,
    status_code=201,
    summary="记录评标专家的评标行为（迟到、缺席、行为不当）",
)
def record_conduct(
    session_id: Id, member_id: Id, body: ConductIn, session: Session = SessionDep, actor: Principal = CONDUCT
) -> ConductOut:
    row = conduct.record(session, actor, session_id, member_id, kind=body.kind, note=body.note)
    return ConductOut(id=row.id, kind=row.kind, note=row.note, recorded_at=row.recorded_at)


@router.get("/my-queries", response_model=list[QueryOut], summary="评标委员会向本单位的问询")
def my_queries(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = BIDDER) -> Any:
    page = reviews.my_query_page(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [reading.query_view(q, project_name=p.name) for q, p in paging.answer(page)]


@router.post("/queries/{query_id}/answer", response_model=QueryOut, summary="答复澄清或说明")
def answer(query_id: Id, body: AnswerIn, session: Session = SessionDep, actor: Principal = BIDDER) -> Any:
    return reading.query_view(reviews.answer(session, actor, query_id, body.answer))
