"""Pages of the evaluation (评标室): the sessions a member sits in or the staff run (``/evaluation/sessions``, linked
from the expert workbench), the session room (sign-in, conflicts, chair, reviews, questions, the member's own scoring
sheet with totals computed live in the browser, the chair's summary, signatures), the printable report, and the
bidder's page of the committee's questions. Thin: every rule is in the services; refusals flash and come back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import Conflict, InvalidInput
from sunshine.core.inputs import Id, IsoDateTime, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.evaluation import (
    codes,
    declaration,
    joint,
    pricing,
    pricing_views,
    reading,
    record_views,
    report,
    report_pdf,
    reviews,
    scoring,
    service,
    visibility,
)
from sunshine.identity.roles import Role
from sunshine.trading.models import Project
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["评标（评审）页面"], include_in_schema=False)


class ReportUnsigned(Conflict):
    code = "evaluation_report_unsigned"
    title = "评标报告尚未签署完成"


READERS = Depends(Access(Role.EXPERT, Role.TENDERER, Role.CENTRE_STAFF, Role.AGENCY, Role.SUPERVISOR))
MEMBERS = Depends(Access(Role.EXPERT, Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
BIDDER = Depends(Access(Role.BIDDER))
LIST = "/evaluation/sessions"


def _room(session_id: int) -> str:
    return f"{LIST}/{session_id}"


@router.get(LIST, response_class=HTMLResponse)
def sessions(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    if visibility.runs(actor):
        page = visibility.session_page(session, cursor=cursor)
    else:
        page = visibility.member_session_page(session, actor, cursor=cursor)
    projects = {
        p.id: p for p in session.scalars(select(Project).where(Project.id.in_({r.project_id for r in page.items})))
    }
    return render(
        request,
        "evaluation_sessions.html",
        page_title="评标会议",
        items=[(r, projects[r.project_id]) for r in page.items],
        page=page,
        page_url=page_urls(LIST, {}),
        states=codes.STATES,
        runs=visibility.runs(actor),
    )


@router.post("/evaluation/start", response_class=HTMLResponse)
def start(
    request: Request,
    section_id: Annotated[Id, Form()],
    representatives: str = Form("", max_length=200),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    def go():
        reps = [stored_id(x) for x in representatives.replace("，", ",").split(",") if x.strip()]
        if None in reps:
            raise InvalidInput("代表的用户编号应为数字，以逗号分隔", field="representatives")
        return service.start(session, actor, section_id, representatives=reps)

    return act(request, LIST, go, "评标会议已开始")


@router.get(LIST + "/{session_id}", response_class=HTMLResponse)
def room(request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> Response:
    view = reading.session_view(session, actor, session_id)
    row, project = visibility.get_readable(session, actor, session_id)
    me = visibility.member_of(session, actor, row)
    decl = declaration.required(session, row.section_id)
    scored = [c for c in view["criteria"] if c["kind"] != "price"]
    return render(
        request,
        "evaluation_session.html",
        page_title=f"评标室 · {project.name}",
        v=view,
        project=project,
        me=me,
        is_chair=me is not None and row.chair_id == me.id,
        runs=visibility.runs(actor),
        procurement=codes.is_procurement(project.transaction_type),
        conflicts=codes.CONFLICTS,
        rejections=codes.rejections_for(project.transaction_type),
        stages=reviews.STAGES,
        kinds=codes.QUERY_KINDS,
        scored=scored,
        is_scored=scoring.is_scored(session, row),
        valid=[b for b in view["bids"] if b["rejected_reason"] is None],
        reviewable=_reviewable(view["bids"], row.round),
        price_weight=decl.price_weight,
        signatures=report.signatures(session, row) if row.state in ("signing", "finished") else [],
        rec=record_views.room_context(session, actor, row),
        prices=pricing_views.room_context(session, row, project),
    )


def _reviewable(bids: list[dict], round_no: int) -> list[dict]:
    """The bids the chair's review form offers: those not rejected; in a re-evaluation round (重新评审, the reviews
    reopened) also those rejected on the committee's own verdict, so a pass/fail can be changed from the page (a
    rejection resting on the bidder's own answer stands, as ``reviews.review`` rules)."""
    if round_no <= 1:
        return [b for b in bids if b["rejected_reason"] is None]
    return [b for b in bids if b["rejected_reason"] not in reviews.KEPT_REJECTIONS]


def _go(request: Request, session_id: int, call, done: str) -> Response:
    return act(request, _room(session_id), call, done)


@router.post(LIST + "/{session_id}/conflicts", response_class=HTMLResponse)
def conflicts(
    request: Request,
    session_id: Id,
    conflict: list[str] = Form([]),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def declare():
        row, _ = visibility.get_readable(session, actor, session_id)
        chosen = {}
        for value in conflict:
            bid, _, reason = value.partition(":")
            number = stored_id(bid)
            if number is not None and reason:
                chosen[number] = reason
        items = [service.ConflictIn(b.id, b.id in chosen, chosen.get(b.id)) for b in joint.bidders(session, row)]
        return service.declare_conflicts(session, actor, session_id, items)

    def done(member) -> str:
        if member.state == service.RECUSED:
            return "您已声明存在利害关系并回避；平台将按抽取顺序通知下一位专家"
        return "回避声明已提交"

    return act(request, LIST, declare, done)  # a recused member no longer sees the room


@router.post(LIST + "/{session_id}/chair", response_class=HTMLResponse)
def chair(
    request: Request,
    session_id: Id,
    candidate: Annotated[Id, Form()],
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    return _go(request, session_id, lambda: service.vote_chair(session, actor, session_id, candidate), "已投票")


@router.post(LIST + "/{session_id}/admit", response_class=HTMLResponse)
def admit(
    request: Request,
    session_id: Id,
    representative: int | None = Form(None, ge=1, le=2**31 - 1),
    session: Session = SessionDep,
    actor: Principal = CENTRE,
) -> Response:
    reps = [representative] if representative else []
    return _go(request, session_id, lambda: service.admit(session, actor, session_id, representatives=reps), "已入席")


@router.post(LIST + "/{session_id}/review", response_class=HTMLResponse)
def review(
    request: Request,
    session_id: Id,
    bid_id: Annotated[Id, Form()],
    stage: str = Form(..., max_length=20),
    outcome: str = Form(..., max_length=20),
    reason: str = Form("", max_length=40),
    facts: str = Form("", max_length=2000),
    sme: str = Form("", max_length=5),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def go():
        return reviews.review(
            session,
            actor,
            session_id,
            bid_id,
            stage=stage,
            passed=outcome == "passed",
            reason=reason or None,
            facts=facts,
            sme=(sme == "1") if stage == "compliance" and outcome == "passed" else None,
        )

    return _go(request, session_id, go, "审查结论已记录")


@router.post(LIST + "/{session_id}/queries", response_class=HTMLResponse)
def ask(
    request: Request,
    session_id: Id,
    bid_id: Annotated[Id, Form()],
    due_at: Annotated[IsoDateTime, Form()],
    kind: str = Form(..., max_length=20),
    question: str = Form(..., max_length=2000),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    go = lambda: reviews.ask(session, actor, session_id, bid_id, kind=kind, question=question, due_at=due_at)  # noqa: E731
    return _go(request, session_id, go, "已通过平台向投标人发出书面问询")


@router.post(LIST + "/{session_id}/queries/{query_id}/judgement", response_class=HTMLResponse)
def judge(
    request: Request,
    session_id: Id,
    query_id: Id,
    accepted: str = Form(..., max_length=5),
    facts: str = Form("", max_length=2000),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def go():
        return reviews.judge_low_price(session, actor, session_id, query_id, accepted=accepted == "1", facts=facts)

    return _go(request, session_id, go, "认定已记录")


@router.post(LIST + "/{session_id}/review/finish", response_class=HTMLResponse)
def finish_review(
    request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS
) -> Response:
    return _go(request, session_id, lambda: reviews.finish(session, actor, session_id), "审查结束")


@router.post(LIST + "/{session_id}/reject-all", response_class=HTMLResponse)
def reject_all(
    request: Request,
    session_id: Id,
    reason: str = Form(..., max_length=2000),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    return _go(request, session_id, lambda: reviews.reject_all(session, actor, session_id, reason), "已否决所有投标")


@router.post(LIST + "/{session_id}/scores", response_class=HTMLResponse)
def scores(
    request: Request,
    session_id: Id,
    key: list[str] = Form([]),
    score: list[str] = Form([]),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    def go():
        if len(key) != len(score):
            raise InvalidInput("评分表不完整，请刷新后重新填写", field="scores")
        table: dict[int, dict[str, object]] = {}
        for k, s in zip(key, score, strict=True):
            bid, _, criterion = k.partition(":")
            number = stored_id(bid)
            if number is None or not criterion:
                raise InvalidInput("评分表不完整，请刷新后重新填写", field="scores")
            table.setdefault(number, {})[criterion] = s.strip() or "x"
        return scoring.submit(session, actor, session_id, table)

    return _go(request, session_id, go, "评分已提交；提交后不能修改")


@router.post(LIST + "/{session_id}/compute", response_class=HTMLResponse)
def compute(request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS) -> Response:
    return _go(request, session_id, lambda: scoring.compute(session, actor, session_id), "已汇总计算，评标报告待签署")


@router.post(LIST + "/{session_id}/sign", response_class=HTMLResponse)
def sign(
    request: Request,
    session_id: Id,
    agree: str = Form(..., max_length=5),
    dissent: str = Form("", max_length=2000),
    session: Session = SessionDep,
    actor: Principal = MEMBERS,
) -> Response:
    go = lambda: report.sign(session, actor, session_id, agree=agree == "1", dissent=dissent)  # noqa: E731
    return _go(request, session_id, go, "已签署评标报告")


@router.post(LIST + "/{session_id}/refusals/{member_id}", response_class=HTMLResponse)
def refusal(
    request: Request, session_id: Id, member_id: Id, session: Session = SessionDep, actor: Principal = CENTRE
) -> Response:
    go = lambda: report.record_refusal(session, actor, session_id, member_id)  # noqa: E731
    return _go(request, session_id, go, "已记录拒绝签字，视为同意评标结论")


@router.get(LIST + "/{session_id}/report", response_class=HTMLResponse)
def report_page(
    request: Request, session_id: Id, session: Session = SessionDep, actor: Principal = READERS
) -> Response:
    row, project = report.readable_report(session, actor, session_id)
    return render(
        request,
        "evaluation_report.html",
        page_title=report.content(row).get("title", "评标报告"),
        row=row,
        r=report.content(row),
        signatures=report.signatures(session, row),
        state=codes.STATES[row.state],
    )


@router.get(LIST + "/{session_id}/report.pdf")
def report_file(session_id: Id, session: Session = SessionDep, actor: Principal = READERS) -> Response:
    row, project = report.readable_report(session, actor, session_id)
    if row.state != "finished":
        raise ReportUnsigned("评标报告经全体成员签署后方可下载")
    body = report_pdf.render(row, report.content(row), report.content(row).get("signatures", []))
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="evaluation-report-{project.code}-{row.id}.pdf"'},
    )


@router.get("/evaluation/my-queries", response_class=HTMLResponse)
def my_queries(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, actor: Principal = BIDDER
) -> Response:
    result = reviews.my_query_page(session, actor, cursor=cursor)
    return render(
        request,
        "evaluation_queries.html",
        page_title="评标委员会的问询",
        items=result.items,
        result=result,
        page_url=page_urls("/evaluation/my-queries", {}),
        kinds=codes.QUERY_KINDS,
        now=clock.now(),
        corrections=pricing.my_corrections(session, actor),  # 报价修正 to confirm (87号令 第五十九条)
        correction_rules=pricing.RULE_LABELS,
        correction_answers=pricing.ANSWERS,
    )


@router.post("/evaluation/queries/{query_id}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    query_id: Id,
    text: str = Form(..., max_length=5000),
    session: Session = SessionDep,
    actor: Principal = BIDDER,
) -> Response:
    go = lambda: reviews.answer(session, actor, query_id, text)  # noqa: E731
    return act(request, "/evaluation/my-queries", go, "答复已提交")
