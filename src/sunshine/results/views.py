"""Pages of the results: a project's results page (/projects/{id}/results: the candidates in rank with the
publicity's dates, the objections and their answers, the winners and the result notice; the tenderer's forms to
publicise, determine and publish, the bidder's form to object, the party's form to answer) and the re-check of
the candidates (/projects/{id}/results/recheck). Thin: every rule is in the services; a refused step is flashed
back to the page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, stored_id
from sunshine.identity.roles import Role
from sunshine.results import api, notice, publicity, reading, recheck, winners
from sunshine.trading import views as trading_views
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
OFFICIALS = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR))
PARTIES = Depends(Access(Role.TENDERER, Role.AGENCY))
TENDERER = Depends(Access(Role.TENDERER))
OBJECTORS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN))

# Timeline entries of the results' steps (document ``results:{project id}``) link to the project's results page.
trading_views.DOCUMENT_LINKS.setdefault("results", ("评标结果", "/projects/{}/results"))


@router.get("/projects/{project_id}/results", response_class=HTMLResponse)
def page(request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    v = reading.view(session, principal, project_id)
    return render(request, "results_project.html", page_title=f"评标结果：{v['project_name']}", v=v)


@router.get("/projects/{project_id}/results/recheck", response_class=HTMLResponse)
def recheck_page(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = OFFICIALS
) -> Response:
    v = recheck.view(session, principal, project_id)
    return render(request, "results_recheck.html", page_title=f"中标候选人资格审查：{v['project_name']}", v=v)


def _back(project_id: int) -> str:
    return f"/projects/{project_id}/results"


@router.post("/projects/{project_id}/results/publicity")
def publicise(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PARTIES
) -> Response:
    return act(
        request, _back(project_id), lambda: publicity.publicise(session, principal, project_id), "中标候选人公示已发布"
    )


@router.post("/projects/{project_id}/results/sections/{section_id}/winner")
async def determine(
    request: Request,
    project_id: Id,
    section_id: Id,
    eval_bid_id: str = Form(""),
    reason: str = Form("", max_length=30),
    facts: str = Form("", max_length=2000),
    evidence: UploadFile | None = File(None),
    session: Session = SessionDep,
    principal: Principal = TENDERER,
) -> Response:
    upload = await api.read_upload(evidence)

    def run() -> Response:
        return act(
            request,
            _back(project_id),
            lambda: winners.determine(
                session,
                principal,
                project_id,
                section_id,
                eval_bid_id=stored_id(eval_bid_id) or 0,
                reason=reason or None,
                facts=facts,
                evidence=upload,
            ),
            "中标人已确定",
        )

    return await run_in_threadpool(run)


@router.post("/projects/{project_id}/results/notice")
def publish(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PARTIES
) -> Response:
    return act(
        request,
        _back(project_id),
        lambda: notice.publish(session, principal, project_id),
        "中标（成交）结果公告已发布，评标委员会成员名单随之公开",
    )
