"""Pages of objections, challenges and complaints: the list (the department's open cases by due date; a
participant's own cases and those against its projects), the filing form (which says the statutory contents
missing), a case with its clocks and their legal basis, the answer, withdrawal and evidence forms, the
department's handling form, and a project's cases beside its opening and result objections."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.complaints import answering, handling, jurisdiction, kinds, reading, service
from sunshine.complaints.api import read_upload
from sunshine.complaints.schemas import CaseIn
from sunshine.complaints.visibility import get_visible, is_department
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Id, IsoDate, whole_number
from sunshine.core.pagination import CURSOR, cursor_query, page_urls
from sunshine.evaluation import reevaluation
from sunshine.identity.roles import Role
from sunshine.trading import visibility as trading_visibility
from sunshine.web.refusals import refusals_back_to, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["异议、质疑与投诉"], include_in_schema=False)
READERS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.AGENCY, Role.SUPERVISOR))
FILERS = Depends(Access(Role.BIDDER, Role.ENTERPRISE_ADMIN))
RESPONDENTS = Depends(Access(Role.TENDERER, Role.AGENCY))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))
Text = Annotated[str, Form(max_length=10000)]


@router.get("/complaints", response_class=HTMLResponse)
def list_page(
    request: Request,
    cursor: str | None = CURSOR,
    all_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    principal: Principal = READERS,
) -> Response:
    department = is_department(principal)
    result = reading.case_page(session, principal, open_only=department, cursor=cursor)
    everything = reading.case_page(session, principal, cursor=all_cursor) if department else None
    return render(
        request,
        "complaints_list.html",
        page_title="投诉处理（待办）" if department else "我的异议、质疑与投诉",
        department=department,
        cases=result.items,
        result=result,
        page_url=page_urls("/complaints", {"all_cursor": all_cursor}),
        done=everything.items if everything else [],
        done_result=everything,
        done_url=lambda c: page_urls("/complaints", {"cursor": cursor, "all_cursor": c})(None),
    )


def _form_page(  # noqa: ANN202
    request: Request,
    session: Session,
    principal: Principal,
    project_id: int,
    *,
    form=None,  # noqa: ANN001
    errors=None,  # noqa: ANN001
    summary: str | None = None,
    status: int = 200,
):
    project = trading_visibility.get_visible(session, principal, project_id)
    regime = project.transaction_type
    right = jurisdiction.competent(project)
    return render(
        request,
        "complaints_new.html",
        status=status,
        page_title=f"提出异议、质疑或投诉：{project.name}",
        project=project,
        kinds=[k for k in kinds.KINDS.values() if k.regime == regime and k.code not in kinds.FOLDED],
        departments=jurisdiction.options(),
        competent=right.code if right else None,
        competent_help=f"本项目的投诉由{right.label}处理（{right.basis}）" if right else "",
        matters=kinds.MATTERS,
        contents=kinds.CONTENTS,
        required={k: [kinds.CONTENTS[c] for c in v] for k, v in kinds.REQUIRED_CONTENTS.items()},
        own=reading.cases(session, principal, project_id=project.id),
        form=form or {},
        errors=errors or {},
        summary=summary,
    )


@router.get("/projects/{project_id}/complaints/new", response_class=HTMLResponse)
def new_page(
    project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = FILERS
) -> Response:
    return _form_page(request, session, principal, project_id)


@router.post("/projects/{project_id}/complaints/new", response_class=HTMLResponse)
def file_case(
    project_id: Id,
    request: Request,
    kind: Annotated[str, Form(max_length=30)],
    matter: Annotated[str, Form(max_length=20)],
    knew_on: Annotated[IsoDate | None, Form()] = None,
    respondent: Annotated[str, Form(max_length=300)] = "",
    contact: Annotated[str, Form(max_length=200)] = "",
    facts: Text = "",
    request_text: Annotated[str, Form(alias="request", max_length=5000)] = "",
    legal_basis: Annotated[str, Form(max_length=5000)] = "",
    signed: Annotated[str, Form(max_length=5)] = "",
    prior_case_id: Annotated[str, Form(max_length=12)] = "",
    department: Annotated[str, Form(max_length=30)] = "",
    session: Session = SessionDep,
    principal: Principal = FILERS,
) -> Response:
    submitted = {
        "kind": kind,
        "matter": matter,
        "knew_on": knew_on.isoformat() if isinstance(knew_on, date) else "",
        "respondent": respondent,
        "contact": contact,
        "facts": facts,
        "request": request_text,
        "legal_basis": legal_basis,
        "signed": bool(signed),
        "prior_case_id": prior_case_id,
        "department": department,
    }

    def refused(session: Session, exc: SunshineError) -> Response:
        errors = {exc.extra.get("field", "kind"): exc.detail}
        for name in exc.extra.get("missing", []):
            errors[name] = f"缺少：{kinds.CONTENTS[name]}"
        return _form_page(
            request, session, principal, project_id, form=submitted, errors=errors, summary=exc.detail, status=422
        )

    with refusals_shown_on(refused, passing=()):
        prior = whole_number(prior_case_id or None, 1, 2**31 - 1)
        if prior_case_id and prior is None:
            raise InvalidInput("请填写异议或质疑的编号（数字）", field="prior_case_id")
        data = CaseIn(
            kind=kind,
            project_id=project_id,
            matter=matter,
            knew_on=knew_on,
            respondent=respondent,
            contact=contact,
            facts=facts,
            request=request_text,
            legal_basis=legal_basis,
            signed=bool(signed),
            prior_case_id=prior,
            department=department or None,
        )
        row = service.file(session, principal, data)
    flash(request, "success", f"已提出（编号{row.code}），请关注答复（受理）期限")
    return redirect(request, f"/complaints/{row.id}")


@router.get("/complaints/{case_id}", response_class=HTMLResponse)
def case_page(case_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS) -> Response:
    row, project = get_visible(session, principal, case_id)
    v = reading.view(session, principal, row, project)
    title, body = handling.draft_notice(session, row, project)
    return render(
        request,
        "complaints_case.html",
        page_title=f"{v['kind_label']}（{v['code']}）",
        v=v,
        remedies=kinds.REMEDIES,
        outcomes=kinds.OUTCOMES,
        grounds=kinds.INADMISSIBLE,
        # 87号令 第六十四条: a procurement's re-evaluation names its ground (the evaluation's data, read only here)
        reeval_grounds=reevaluation.grounds_for(project.transaction_type),
        reeval_basis=reevaluation.config()["procurement_grounds"]["basis"],
        notice_title=title,
        notice_body=body,
    )


@router.post("/complaints/{case_id}/answer", response_class=HTMLResponse)
def answer(
    case_id: Id,
    request: Request,
    answer: Text,
    founded: Annotated[str, Form(max_length=5)] = "",
    remedy: Annotated[str, Form(max_length=20)] = "none",
    ground: Annotated[str, Form(max_length=40)] = "",
    session: Session = SessionDep,
    principal: Principal = RESPONDENTS,
) -> Response:
    with refusals_back_to(f"/complaints/{case_id}"):
        row, _ = get_visible(session, principal, case_id)
        if row.kind == "gp_complaint":
            answering.respondent_statement(session, principal, case_id, text=answer)
        else:
            answering.answer(
                session, principal, case_id, text=answer, founded=founded == "1", remedy=remedy, ground=ground or None
            )
    flash(request, "success", "已答复")
    return redirect(request, f"/complaints/{case_id}")


@router.post("/complaints/{case_id}/withdraw", response_class=HTMLResponse)
def withdraw(
    case_id: Id, request: Request, note: Text = "", session: Session = SessionDep, principal: Principal = FILERS
) -> Response:
    with refusals_back_to(f"/complaints/{case_id}"):
        service.withdraw(session, principal, case_id, note=note)
    flash(request, "success", "已撤回")
    return redirect(request, f"/complaints/{case_id}")


@router.post("/complaints/{case_id}/evidence", response_class=HTMLResponse)
async def evidence(
    case_id: Id,
    request: Request,
    file: UploadFile | None = File(None),
    session: Session = SessionDep,
    principal: Principal = READERS,
) -> Response:
    upload = await read_upload(file)
    with refusals_back_to(f"/complaints/{case_id}"):
        if upload is None:
            raise InvalidInput("请选择文件", field="file")
        service.add_evidence(session, principal, case_id, upload)
    flash(request, "success", "证明材料已提交，其哈希值已记入留痕")
    return redirect(request, f"/complaints/{case_id}")


DEPARTMENT_ACTIONS = {
    "accept": "已受理",
    "reject": "已作出不予受理决定",
    "request_correction": "已发出补正通知",
    "send_copy": "已发出投诉书副本",
    "pause_count": "已开始检验、检测、鉴定或专家评审，处理期限暂停计算",
    "resume_count": "已继续计算处理期限",
    "suspend": "已暂停招标投标（采购）活动",
    "lift": "已恢复招标投标（采购）活动",
    "decide": "已作出处理决定",
    "publish": "处理决定已公告",
}


@router.post("/complaints/{case_id}/handle", response_class=HTMLResponse)
def handle(
    case_id: Id,
    request: Request,
    action: Annotated[str, Form(max_length=30)],
    note: Text = "",
    grounds: Annotated[list[str] | None, Form(max_length=8)] = None,
    days: Annotated[str, Form(max_length=3)] = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    remedy: Annotated[str, Form(max_length=20)] = "none",
    ground: Annotated[str, Form(max_length=40)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    session: Session = SessionDep,
    principal: Principal = DEPARTMENT,
) -> Response:
    with refusals_back_to(f"/complaints/{case_id}"):
        if action == "accept":
            handling.accept(session, principal, case_id, note=note)
        elif action == "reject":
            handling.reject(session, principal, case_id, grounds=list(grounds or []), note=note)
        elif action == "request_correction":
            handling.request_correction(session, principal, case_id, note=note)
        elif action == "send_copy":
            handling.send_copy(session, principal, case_id)
        elif action == "pause_count":
            handling.pause(session, principal, case_id, note=note)
        elif action == "resume_count":
            handling.resume(session, principal, case_id, note=note)
        elif action == "suspend":
            handling.suspend(session, principal, case_id, days=whole_number(days or None, 1, 30), note=note)
        elif action == "lift":
            handling.lift(session, principal, case_id, note=note)
        elif action == "decide":
            handling.decide(
                session, principal, case_id, outcome=outcome, remedy=remedy, decision=note, ground=ground or None
            )
        elif action == "publish":
            handling.publish(session, principal, case_id, title=title, body=note)
        else:
            raise InvalidInput("未知的办理事项", field="action")
    flash(request, "success", DEPARTMENT_ACTIONS[action])
    return redirect(request, f"/complaints/{case_id}")


@router.get("/projects/{project_id}/complaints", response_class=HTMLResponse)
def project_page(
    project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = READERS
) -> Response:
    project, cases = reading.project_cases(session, principal, project_id)
    return render(
        request,
        "complaints_project.html",
        page_title=f"异议、质疑与投诉：{project.name}",
        project=project,
        cases=cases,
        may_file=service.may_file(principal),
    )
