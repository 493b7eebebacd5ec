"""Pages of tender documents: a project's documents with the step each role takes (the agency drafts from a
template and files; the purchaser confirms; each drawn reviewer reads the documents and gives their own opinion
under /expert/tender-reviews, which the parties and officials read; the finance department orders a
change; an ordered change after publication goes out as an amendment), the holders' receipts for the agency, the
centre's template library, the department's filings, and each holder's own changes to acknowledge under /me."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.roles import Role
from sunshine.tenderdocs import acks, opinions, service
from sunshine.trading.labels import TRANSACTION_TYPES, type_label
from sunshine.trading.notice_kinds import kind_label
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["招标文件"], include_in_schema=False)
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
DRAFTERS = Depends(Access(Role.AGENCY, Role.TENDERER))
TENDERER = Depends(Access(Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))
HOLDER = Depends(Access(Role.BIDDER))
EXPERT = Depends(Access(Role.EXPERT))


def _page(project_id: int) -> str:
    return f"/projects/{project_id}/tender-documents"


@router.get("/projects/{project_id}/tender-documents", response_class=HTMLResponse)
def documents_page(
    project_id: Id,
    request: Request,
    template: str = Query("", max_length=10),
    session: Session = SessionDep,
    principal: Principal = READERS,
) -> Response:
    project = service.readable_project(session, principal, project_id)
    document = service.document_of(session, project)
    order = service.open_order(session, document)
    drafter = principal.organisation_id == (project.agency_id or project.tenderer_id) and principal.has(
        Role.AGENCY, Role.TENDERER
    )
    choices = service.templates(session, project.transaction_type)
    chosen = next((t for t in choices if str(t.id) == template), None)
    if chosen is None and document is not None:
        chosen = next((t for t in choices if t.id == document.template_id), None)
    chosen = chosen or (choices[0] if choices else None)
    return render(
        request,
        "tenderdocs_project.html",
        page_title=f"招标文件：{project.name}",
        project=project,
        document=document,
        filled=json.loads(document.clauses) if document else {},
        status_label=service.STATUS_LABELS.get(document.status, "") if document else "",
        orders=service.orders_of(session, document),
        open_order=order,
        missing=service.missing(session, project),
        required=service.required(session, project),
        review_required=service.review_required(session, project),
        reviewers=len(service.reviewers(session, project)),
        templates=choices,
        template=chosen,
        clauses=service.clauses_of(chosen) if chosen else [],
        may_draft=drafter and (project.public_since is None or order is not None),
        may_confirm=principal.has(Role.TENDERER)
        and principal.organisation_id == project.tenderer_id
        and document is not None
        and document.status == "drafted",
        opinions=opinions.lines(session, principal, project, document),
        needed=opinions.needed(session, project),
        clause_titles={c.key: c.title for c in service.clauses_of(chosen)} if chosen else {},
        may_file=drafter
        and document is not None
        and document.status == "confirmed"
        and not (order is not None and order.after_publication),
        may_order=principal.has(Role.SUPERVISOR) and document is not None and document.status == "filed",
        may_publish_change=drafter
        and order is not None
        and order.after_publication
        and document is not None
        and document.status == "confirmed",
        basis_confirm=service.BASIS_CONFIRM,
        basis_file=service.BASIS_FILE,
        basis_review=service.BASIS_REVIEW,
    )


@router.post("/projects/{project_id}/tender-documents", response_class=HTMLResponse)
def draft(
    project_id: Id,
    request: Request,
    template_id: str = Form(""),
    clause_key: list[str] = Form([]),
    clause_text: list[str] = Form([]),
    session: Session = SessionDep,
    principal: Principal = DRAFTERS,
) -> Response:
    with refusals_back_to(_page(project_id)):
        template = stored_id(template_id)
        if template is None or len(clause_key) != len(clause_text):
            raise InvalidInput("请选择范本并填写条款", field="template_id")
        clauses = dict(zip(clause_key, clause_text, strict=True))
        doc = service.draft(session, principal, project_id, template_id=template, clauses=clauses)
    flash(request, "success", f"已编制招标文件第{doc.version}版，待采购人审核确认")
    return redirect(request, _page(project_id))


@router.post("/projects/{project_id}/tender-documents/confirm", response_class=HTMLResponse)
def confirm(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = TENDERER):
    with refusals_back_to(_page(project_id)):
        service.confirm(session, principal, project_id)
    flash(request, "success", "已审核确认招标文件")
    return redirect(request, _page(project_id))


@router.post("/projects/{project_id}/tender-documents/file", response_class=HTMLResponse)
def file(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = DRAFTERS):
    with refusals_back_to(_page(project_id)):
        service.file(session, principal, project_id)
    flash(request, "success", "招标文件已送财政部门备案")
    return redirect(request, _page(project_id))


@router.post("/projects/{project_id}/tender-documents/orders", response_class=HTMLResponse)
def order(
    project_id: Id,
    request: Request,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = DEPARTMENT,
) -> Response:
    with refusals_back_to(_page(project_id)):
        service.order_change(session, principal, project_id, reason=reason)
    flash(request, "success", "已责令修改招标文件，代理机构修改并经采购人确认后重新备案")
    return redirect(request, _page(project_id))


@router.post("/projects/{project_id}/tender-documents/amendment", response_class=HTMLResponse)
def publish_change(
    project_id: Id,
    request: Request,
    title: str = Form(""),
    body: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = DRAFTERS,
) -> Response:
    with refusals_back_to(_page(project_id)):
        body_html = "".join(f"<p>{line}</p>" for line in body.strip().splitlines() if line.strip())
        notice = service.publish_change(session, principal, project_id, title=title, body_html=body_html or body)
    flash(request, "success", "已发布更正公告，修改后的招标文件随之备案")
    return redirect(request, f"/notices/{notice.id}")


@router.get("/projects/{project_id}/acknowledgements", response_class=HTMLResponse)
def acknowledgements_page(
    project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    project = service.readable_project(session, principal, project_id)
    return render(
        request,
        "tenderdocs_receipts.html",
        page_title=f"澄清/变更签收情况：{project.name}",
        project=project,
        rows=acks.status(session, project),
        kind_label=kind_label,
        basis=acks.BASIS,
    )


@router.get("/tender-templates", response_class=HTMLResponse)
def templates_page(request: Request, session: Session = SessionDep, principal: Principal = READERS) -> Response:
    return render(
        request,
        "tenderdocs_templates.html",
        page_title="招标文件范本库",
        templates=[(t, service.clauses_of(t)) for t in service.templates(session)],
        type_label=type_label,
        type_options=list(TRANSACTION_TYPES.items()),
        may_create=principal.has(Role.CENTRE_STAFF),
    )


@router.post("/tender-templates", response_class=HTMLResponse)
def create_template(
    request: Request,
    transaction_type: str = Form(""),
    name: str = Form(""),
    clauses: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    """``clauses``: one a line, ``代码|名称|必备`` (the third part 必备 or 可选)."""
    with refusals_back_to("/tender-templates"):
        parsed = []
        for line in clauses.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or parts[2] not in {"必备", "可选"}:
                raise InvalidInput("每行一个条款：代码|名称|必备（或可选）", field="clauses")
            parsed.append(service.Clause(parts[0], parts[1], parts[2] == "必备"))
        row = service.create_template(session, principal, transaction_type=transaction_type, name=name, clauses=parsed)
    flash(request, "success", f"已新增范本：{row.name}")
    return redirect(request, "/tender-templates")


@router.get("/tender-documents/filings", response_class=HTMLResponse)
def filings_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = DEPARTMENT
) -> Response:
    result = service.filings(session, cursor=cursor)
    return render(
        request,
        "tenderdocs_filings.html",
        page_title="招标文件备案",
        rows=result.items,
        result=result,
        page_url=page_urls("/tender-documents/filings", {}),
        labels=service.STATUS_LABELS,
    )


@router.get("/me/acknowledgements", response_class=HTMLResponse)
def my_changes(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = HOLDER
) -> Response:
    result = acks.mine_page(session, principal, cursor=cursor)
    return render(
        request,
        "tenderdocs_mine.html",
        page_title="澄清/变更签收",
        changes=result.items,
        result=result,
        page_url=page_urls("/me/acknowledgements", {}),
        kind_label=kind_label,
        basis=acks.BASIS,
    )


@router.post("/me/acknowledgements/{notice_id}", response_class=HTMLResponse)
def acknowledge(notice_id: Id, request: Request, session: Session = SessionDep, principal: Principal = HOLDER):
    with refusals_back_to("/me/acknowledgements"):
        acks.acknowledge(session, principal, notice_id)
    flash(request, "success", "已签收")
    return redirect(request, "/me/acknowledgements")


def _review_page(project_id: int) -> str:
    return f"/expert/tender-reviews/{project_id}"


@router.get("/expert/tender-reviews/{project_id}", response_class=HTMLResponse)
def review_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = EXPERT):
    view = opinions.review_view(session, principal, project_id)
    return render(
        request,
        "tenderdocs_review.html",
        page_title=f"招标文件评审：{view.project.name}",
        view=view,
        status_label=service.STATUS_LABELS.get(view.document.status, "") if view.document else "",
        conclusions=opinions.CONCLUSIONS,
        own=lambda row: json.loads(row.changes),
        clause_titles={key: title for key, title, _text in view.clauses},
        basis_review=service.BASIS_REVIEW,
    )


@router.post("/expert/tender-reviews/{project_id}", response_class=HTMLResponse)
def submit_review(
    project_id: Id,
    request: Request,
    conclusion: str = Form("", max_length=20),
    change_clause: list[str] = Form([]),
    change_text: list[str] = Form([]),
    remarks: str = Form("", max_length=4000),
    session: Session = SessionDep,
    principal: Principal = EXPERT,
) -> Response:
    with refusals_back_to(_review_page(project_id)):
        if len(change_clause) != len(change_text):
            raise InvalidInput("请逐条填写须修改的条款和意见", field="changes")
        changes = [opinions.Change(k, t) for k, t in zip(change_clause, change_text, strict=True)]
        row = opinions.submit(session, principal, project_id, conclusion=conclusion, changes=changes, remarks=remarks)
    flash(request, "success", f"已提交对第{row.version}版招标文件的评审意见：{opinions.CONCLUSIONS[row.conclusion]}")
    return redirect(request, _review_page(project_id))
