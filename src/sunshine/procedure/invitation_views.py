"""Pages of the invitation tender after its prequalification: the project's page (/projects/{id}/invitations: each
section's draw of the invitees with its link to the draw room and public record, the centre's form to prepare the
draw, the agency's form to send the letters with the schedule, who was invited) for the project's parties and the
officials, and the letters a supplier received (/procedure/invitations, /procedure/invitations/{id}). Thin: every
rule is in ``invitations``; a refused step is flashed back to the page."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id, whole_number
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.procedure import invitations
from sunshine.smallworks import service as smallworks
from sunshine.trading import visibility as trading_visibility
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
BIDDER = Depends(Access(Role.BIDDER))
SIGNED_IN = Depends(Access(Role.BIDDER, Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF))


def _when(value: str, field: str, label: str, *, required: bool = False) -> datetime | None:
    if not value.strip():
        if required:
            raise InvalidInput(f"请填写{label}", field=field)
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{label}格式不正确", field=field) from None


@router.get("/projects/{project_id}/invitations", response_class=HTMLResponse)
def project_page(request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = READERS):
    project, row, sections = invitations.for_project(session, principal, project_id)
    ids = [inv.organisation_id for _, _, invs in sections for inv in invs]
    may_prepare = principal.has(Role.CENTRE_STAFF) and row.state == "prequalifying" and project.state == "bid_closed"
    return render(
        request,
        "procedure_invitations.html",
        page_title=f"资格预审后随机抽取与投标邀请书：{project.name}",
        project=project,
        row=row,
        sections=sections,
        names=invitations.organisation_names(session, ids),
        round_states=invitations.ROUND_STATES,
        draw_states=invitations.DRAW_STATES,
        may_prepare=may_prepare,
        may_send=trading_visibility.is_party(principal, project) and row.state == "drawn",
        supervisors=[(str(u.id), u.display_name) for u in smallworks.supervisors(session)] if may_prepare else [],
    )


@router.post("/projects/{project_id}/invitations/draw")
def draw_page(
    request: Request,
    project_id: Id,
    supervisor_user_id: str = Form(""),
    count: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def call():  # noqa: ANN202
        number = whole_number(count, 1, 1000)
        if count.strip() and number is None:
            raise InvalidInput("抽取数量应为1至1000之间的整数", field="count")
        return invitations.prepare(
            session,
            principal,
            project_id,
            supervisor_user_id=stored_id(supervisor_user_id),
            count=number,
        )

    return act(request, f"/projects/{project_id}/invitations", call, "已组织随机抽取受邀供应商")


@router.post("/projects/{project_id}/invitations/send")
def send_page(
    request: Request,
    project_id: Id,
    docs_issued_at: str = Form(""),
    docs_sale_end: str = Form(""),
    bid_deadline: str = Form(""),
    opening_at: str = Form(""),
    note: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    def call():  # noqa: ANN202
        return invitations.send(
            session,
            principal,
            project_id,
            docs_issued_at=_when(docs_issued_at, "docs_issued_at", "招标文件发出时间"),
            docs_sale_end=_when(docs_sale_end, "docs_sale_end", "招标文件发售截止时间"),
            bid_deadline=_when(bid_deadline, "bid_deadline", "投标截止时间", required=True),
            opening_at=_when(opening_at, "opening_at", "开标时间"),
            note=note,
        )

    return act(request, f"/projects/{project_id}/invitations", call, "投标邀请书已发出")


@router.get("/procedure/invitations", response_class=HTMLResponse)
def mine_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = BIDDER
):
    result = invitations.mine(session, principal, cursor=cursor)
    return render(
        request,
        "procedure_invitation_list.html",
        page_title="投标邀请书",
        rows=result.items,
        result=result,
        page_url=page_urls("/procedure/invitations", {}),
    )


@router.get("/procedure/invitations/{invitation_id}", response_class=HTMLResponse)
def letter_page(request: Request, invitation_id: Id, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    invitation, project, section = invitations.letter(session, principal, invitation_id)
    return render(
        request,
        "procedure_invitation_letter.html",
        page_title=f"投标邀请书：{project.name}",
        invitation=invitation,
        project=project,
        section=section,
    )
