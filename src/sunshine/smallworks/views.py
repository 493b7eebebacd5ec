"""Pages of the small-works fixed-price draw: a draw project's draw page (/projects/{id}/smallworks: per section
the fixed price, the state, the links to the draw room and the public record, the contractor and reserve once
drawn), with the centre's forms to prepare the draw and to record a drawn contractor's decline. Thin: every
rule is in ``smallworks.service``; a refused step is flashed back to the page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, stored_id
from sunshine.identity.roles import Role
from sunshine.smallworks import reading, service
from sunshine.trading import views as trading_views
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
CENTRE = Depends(Access(Role.CENTRE_STAFF))

# Timeline entries of the draw steps (document ``draw:{code}``) link to the draw's public record.
trading_views.DOCUMENT_LINKS.setdefault("draw", ("随机抽取记录", "/draws/{}"))


@router.get("/projects/{project_id}/smallworks", response_class=HTMLResponse)
def page(request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    v = reading.view(session, principal, project_id)
    return render(
        request,
        "smallworks_project.html",
        page_title=f"固定价抽取：{v.project.name}",
        v=v,
        supervisors=[(str(u.id), u.display_name) for u in service.supervisors(session)] if v.may_prepare else [],
        outcomes={"declined": "放弃", "ineligible": "被查实不符合条件"},
        whom=service.WHOM,
    )


@router.post("/projects/{project_id}/smallworks/prepare")
def prepare(
    request: Request,
    project_id: Id,
    supervisor_user_id: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    def done(rows) -> str:  # noqa: ANN001
        if all(r.state == "failed" for r in rows):
            return "合格报名人不足，项目流标，流标公告已发布"
        return "已组织随机抽取：请监督部门、交易中心和招标人（代理机构）进入抽取室签到"

    return act(
        request,
        f"/projects/{project_id}/smallworks",
        lambda: service.prepare(session, principal, project_id, supervisor_user_id=stored_id(supervisor_user_id)),
        done,
    )


@router.post("/projects/{project_id}/smallworks/sections/{section_id}/decline")
def decline(
    request: Request,
    project_id: Id,
    section_id: Id,
    outcome: str = Form(""),
    reason: str = Form(""),
    whom: str = Form("contractor"),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    return act(
        request,
        f"/projects/{project_id}/smallworks",
        lambda: service.record_decline(
            session, principal, project_id, section_id, outcome=outcome, reason=reason, whom=whom
        ),
        lambda row: (
            (
                "已记录，备选承包人递补，变更结果已公示"
                if whom == "contractor"
                else "已记录，抽取顺序中的下一家成为备选人，变更结果已公示"
            )
            if row.state == "drawn"
            else "已记录；无可递补的备选人，该标段流标"
        ),
    )
