"""Pages of declarations of no interest: a project's drafting staff and their declarations; an agency user
draws up their own and signs it on its sealing page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.declarations import service
from sunshine.identity.roles import Role
from sunshine.trading import visibility
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["无利害关系声明"], include_in_schema=False)
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
AGENCY = Depends(Access(Role.AGENCY))


@router.get("/projects/{project_id}/declarations", response_class=HTMLResponse)
def declarations_page(
    project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    if not (visibility.is_party(principal, project) or principal.has(*service.READERS)):
        raise NotFound("项目不存在")
    staff = service.status(session, project)
    can_declare = (
        principal.has(Role.AGENCY) and project.agency_id is not None and principal.organisation_id == project.agency_id
    )
    return render(
        request,
        "declarations_project.html",
        page_title=f"无利害关系声明：{project.name}",
        project=project,
        staff=staff,
        required=project.agency_id is not None and service.required(session),
        basis=service.BASIS,
        can_declare=can_declare,
        mine=next((s for s in staff if s.user_id == principal.user_id), None),
        kind=service.KIND,
    )


@router.post("/projects/{project_id}/declarations", response_class=HTMLResponse)
def draw_up(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = AGENCY) -> Response:
    with refusals_back_to(f"/projects/{project_id}/declarations"):
        row = service.draw_up(session, principal, project_id)
    flash(request, "success", "已生成您的无利害关系声明，请核对后以本人签名密钥签署")
    return redirect(request, f"/seals/{service.KIND}/{row.id}")
