"""Pages of award letters: a project's letters (the tenderer or its agency drafts them, its signer seals each
on the seals page, then it issues them), one letter, its PDF, and the bidder's letters on its workbench."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.awards import letters as service
from sunshine.awards import reading
from sunshine.awards.pdf import letter_pdf
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import Conflict
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.seals.views import verify_url
from sunshine.trading import lifecycle, visibility
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["中标（成交）通知书"], include_in_schema=False)
SIGNED_IN = Depends(Access.signed_in())
ISSUERS = Depends(Access(Role.AGENCY, Role.TENDERER))
BIDDER = Depends(Access(Role.BIDDER))


class NotSealed(Conflict):
    code = "letter_not_sealed"
    title = "通知书尚未签章"


@router.get("/projects/{project_id}/award-letters", response_class=HTMLResponse)
def project_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    project, rows = service.for_project(session, principal, project_id)
    party = visibility.is_party(principal, project)
    return render(
        request,
        "awards_project.html",
        page_title=f"中标（成交）通知书：{project.name}",
        project=project,
        state_label=lifecycle.state_label(project, project.state),
        letters=[reading.view(session, row) for row in rows],
        may_draft=party and project.state == "result_published" and not rows,
        may_issue=party and project.state == "result_published" and bool(rows),
        words=service.words(project),
    )


@router.post("/projects/{project_id}/award-letters/draft", response_class=HTMLResponse)
def draft(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = ISSUERS):
    with refusals_back_to(f"/projects/{project_id}/award-letters"):
        service.draft(session, principal, project_id)
    flash(request, "success", "通知书已起草，请由本单位签章人逐份签章后发出")
    return redirect(request, f"/projects/{project_id}/award-letters")


@router.post("/projects/{project_id}/award-letters/issue", response_class=HTMLResponse)
def issue(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = ISSUERS):
    with refusals_back_to(f"/projects/{project_id}/award-letters"):
        rows = service.issue(session, principal, project_id)
    flash(request, "success", f"已发出{len(rows)}份通知书，收件单位已在平台收到通知")
    return redirect(request, f"/projects/{project_id}/award-letters")


@router.get("/award-letters/{letter_id}", response_class=HTMLResponse)
def letter_page(letter_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    v = reading.view(session, service.readable(session, principal, letter_id))
    return render(
        request,
        "awards_letter.html",
        page_title=f"{v.letter.title}（{v.letter.number}）",
        v=v,
        party=visibility.is_party(principal, v.project),
    )


@router.get("/award-letters/{letter_id}/letter.pdf")
def letter_file(letter_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> Response:
    v = reading.view(session, service.readable(session, principal, letter_id))
    if v.seal is None:
        raise NotSealed("通知书须经出具单位签章后方可下载")
    body = letter_pdf(v.letter, v.issuer, v.seal, verify_url(v.seal.code))
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="award-letter-{v.letter.number}.pdf"'},
    )


@router.get("/my/award-letters", response_class=HTMLResponse)
def mine_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = BIDDER
):
    result = service.mine(session, principal, cursor=cursor)
    return render(
        request,
        "awards_mine.html",
        page_title="我的中标（成交）通知书",
        letters=[reading.view(session, row) for row in result.items],
        result=result,
        page_url=page_urls("/my/award-letters", {}),
    )
