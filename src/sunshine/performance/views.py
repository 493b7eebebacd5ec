"""Pages of contract performance: a contract's performance with the forms of the viewer's side (the schedule, the
securities, milestones and payments, changes, acceptances), an acceptance with its report and the members'
signatures, the written report of the tender (the tenderer submits, the supervisory department acknowledges), the
supervisory department's list of reports and the winner's workbench. Thin: the rules are in the use-case modules."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.content import Upload
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.performance import acceptance, changes, reading, report, schedule, security
from sunshine.performance import schemas as s
from sunshine.performance import visibility as parties
from sunshine.performance.models import Milestone, PerformanceSecurity
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["合同履约"], include_in_schema=False)
SIGNED_IN = Depends(Access.signed_in())
TENDERER_SIDE = Depends(Access(Role.AGENCY, Role.TENDERER))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER, Role.BIDDER))
WINNER = Depends(Access(Role.BIDDER))
SUPERVISOR = Depends(Access(Role.SUPERVISOR))
OVERSIGHT = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))


def _page(contract_id: int) -> str:
    return f"/contracts/{contract_id}/performance"


def _upload(file: UploadFile | None) -> Upload | None:
    if file is None or not file.filename:
        return None
    return Upload(filename=file.filename, data=file.file.read(), content_type=file.content_type)


def _lines(text: str) -> list[list[str]]:
    return [line.split() for line in (text or "").splitlines() if line.strip()]


@router.get("/contracts/{contract_id}/performance", response_class=HTMLResponse)
def performance_page(
    contract_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN
):
    contract, project = parties.contract(session, principal, contract_id)
    view = reading.performance(session, principal, contract_id)
    return render(
        request,
        "performance_contract.html",
        page_title=f"合同履约：{contract.number}",
        contract=contract,
        project=project,
        view=view,
        performing=parties.is_signed(contract) and project.state in parties.PERFORMING,
        change_kinds=changes.KINDS,
        substantive=changes.SUBSTANTIVE,
        tenderer_side=view.side == "tenderer",
        winner_side=view.side == "winner",
    )


@router.post("/contracts/{contract_id}/performance/schedule", response_class=HTMLResponse)
def schedule_form(
    contract_id: Id,
    request: Request,
    milestones: str = Form("", max_length=5000),
    session: Session = SessionDep,
    principal: Principal = TENDERER_SIDE,
):
    with refusals_back_to(_page(contract_id)):
        planned = []
        for i, parts in enumerate(_lines(milestones), start=1):
            if len(parts) < 3:
                raise InvalidInput(f"第{i}行应为“名称 计划日期 金额”，以空格分隔", field="milestones")
            try:
                planned_on = date.fromisoformat(parts[-2])
            except ValueError:
                raise InvalidInput(f"第{i}行的计划日期应为 YYYY-MM-DD", field="milestones") from None
            planned.append(schedule.PlannedMilestone(" ".join(parts[:-2]), planned_on, parts[-1]))
        schedule.set_schedule(session, principal, contract_id, planned)
    flash(request, "success", "付款计划已登记")
    return redirect(request, _page(contract_id))


def _security_contract(session: Session, security_id: int) -> int:
    row = session.get(PerformanceSecurity, security_id)
    return row.contract_id if row is not None else 0


@router.post("/performance/securities/{security_id}/money", response_class=HTMLResponse)
def money_form(security_id: Id, request: Request, session: Session = SessionDep, principal: Principal = PARTIES):
    back = _page(_security_contract(session, security_id))
    with refusals_back_to(back):
        security.pay_as_money(session, principal, security_id)
    flash(request, "success", "已生成缴款子账号，请按约定金额转账")
    return redirect(request, back)


@router.post("/performance/securities/{security_id}/guarantee", response_class=HTMLResponse)
def guarantee_form(
    security_id: Id,
    request: Request,
    file: UploadFile | None = None,
    issuer: str = Form("", max_length=200),
    number: str = Form("", max_length=64),
    amount: str = Form("", max_length=30),
    valid_until: Annotated[IsoDate, Form()] = None,
    session: Session = SessionDep,
    principal: Principal = PARTIES,
):
    back = _page(_security_contract(session, security_id))
    with refusals_back_to(back):
        upload = _upload(file)
        if upload is None or valid_until is None:
            raise InvalidInput("请上传保函扫描件并填写有效期", field="file")
        security.submit_guarantee(
            session,
            principal,
            security_id,
            issuer=issuer,
            number=number,
            amount=amount,
            valid_until=valid_until,
            upload=upload,
        )
    flash(request, "success", "保函已提交，待对方确认收到")
    return redirect(request, back)


@router.post("/performance/securities/{security_id}/receipt", response_class=HTMLResponse)
def receipt_form(security_id: Id, request: Request, session: Session = SessionDep, principal: Principal = PARTIES):
    back = _page(_security_contract(session, security_id))
    with refusals_back_to(back):
        security.confirm_receipt(session, principal, security_id)
    flash(request, "success", "已确认收到担保")
    return redirect(request, back)


@router.post("/performance/securities/{security_id}/release", response_class=HTMLResponse)
def release_form(
    security_id: Id,
    request: Request,
    note: str = Form("", max_length=300),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
):
    back = _page(_security_contract(session, security_id))
    with refusals_back_to(back):
        security.release(session, principal, security_id, note=note)
    flash(request, "success", "担保已退还")
    return redirect(request, back)


def _milestone_contract(session: Session, milestone_id: int) -> int:
    row = session.get(Milestone, milestone_id)
    return row.contract_id if row is not None else 0


@router.post("/performance/milestones/{milestone_id}/done", response_class=HTMLResponse)
def done_form(
    milestone_id: Id,
    request: Request,
    evidence: str = Form("", max_length=2000),
    file: UploadFile | None = None,
    session: Session = SessionDep,
    principal: Principal = WINNER,
):
    back = _page(_milestone_contract(session, milestone_id))
    with refusals_back_to(back):
        schedule.report_done(session, principal, milestone_id, evidence=evidence, upload=_upload(file))
    flash(request, "success", "已报告里程碑完成")
    return redirect(request, back)


@router.post("/performance/milestones/{milestone_id}/payments", response_class=HTMLResponse)
def payment_form(
    milestone_id: Id,
    request: Request,
    amount: str = Form("", max_length=30),
    paid_on: Annotated[IsoDate, Form()] = None,
    reference: str = Form("", max_length=100),
    session: Session = SessionDep,
    principal: Principal = TENDERER_SIDE,
):
    back = _page(_milestone_contract(session, milestone_id))
    with refusals_back_to(back):
        schedule.record_payment(
            session, principal, milestone_id, amount=amount, paid_on=paid_on or clock.today_local(), reference=reference
        )
    flash(request, "success", "付款已登记")
    return redirect(request, back)


@router.post("/contracts/{contract_id}/performance/changes", response_class=HTMLResponse)
def change_form(
    contract_id: Id,
    request: Request,
    kind: str = Form("", max_length=30),
    description: str = Form("", max_length=2000),
    reasons: str = Form("", max_length=2000),
    amount: str = Form("", max_length=30),
    planned_on: Annotated[IsoDate | None, Form()] = None,
    session: Session = SessionDep,
    principal: Principal = PARTIES,
):
    with refusals_back_to(_page(contract_id)):
        changes.propose(
            session,
            principal,
            contract_id,
            kind=kind,
            description=description,
            reasons=reasons,
            amount=amount or None,
            planned_on=planned_on,
        )
    flash(request, "success", "合同变更已提出，待对方确认")
    return redirect(request, _page(contract_id))


@router.post("/performance/changes/{change_id}/answer", response_class=HTMLResponse)
def answer_form(
    change_id: Id,
    request: Request,
    agree: str = Form("", max_length=5),
    note: str = Form("", max_length=2000),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
):
    row = session.get(changes.ContractChange, change_id)
    back = _page(row.contract_id if row else 0)
    with refusals_back_to(back):
        changes.answer(session, principal, change_id, agree=agree == "yes", note=note)
    flash(request, "success", "已答复合同变更")
    return redirect(request, back)


@router.post("/contracts/{contract_id}/performance/acceptances", response_class=HTMLResponse)
def organise_form(
    contract_id: Id,
    request: Request,
    method: str = Form("", max_length=200),
    members: str = Form("", max_length=3000),
    session: Session = SessionDep,
    principal: Principal = TENDERER_SIDE,
):
    with refusals_back_to(_page(contract_id)):
        wanted = []
        for i, parts in enumerate(_lines(members), start=1):
            user = session.scalar(select(User).where(User.username == parts[0]))
            if user is None or len(parts) < 2:
                raise InvalidInput(f"第{i}行应为“用户名 身份”，且用户名须为平台用户", field="members")
            wanted.append(acceptance.MemberIn(user.id, " ".join(parts[1:])))
        row = acceptance.organise(session, principal, contract_id, method=method, members=wanted)
    flash(request, "success", "已组织履约验收，成员已收到通知")
    return redirect(request, f"/acceptances/{row.id}")


@router.get("/acceptances/{acceptance_id}", response_class=HTMLResponse)
def acceptance_page(
    acceptance_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN
):
    row, contract, project = acceptance.readable(session, principal, acceptance_id)
    view = s.acceptance_out(session, row)
    member = next((m for m in view.members if m.user_id == principal.user_id), None)
    return render(
        request,
        "performance_acceptance.html",
        page_title=f"履约验收：{contract.number}（第{row.round}次）",
        view=view,
        contract=contract,
        project=project,
        may_record=row.status == "organised" and parties.side_of(principal, contract, project) == "tenderer",
        may_sign=row.status == "signing" and member is not None and member.signed_at is None,
        results=acceptance.RESULTS,
        today=clock.today_local(),
    )


@router.post("/acceptances/{acceptance_id}/result", response_class=HTMLResponse)
def result_form(
    acceptance_id: Id,
    request: Request,
    accepted_on: Annotated[IsoDate, Form()] = None,
    result: str = Form("", max_length=10),
    findings: str = Form("", max_length=4000),
    session: Session = SessionDep,
    principal: Principal = TENDERER_SIDE,
):
    with refusals_back_to(f"/acceptances/{acceptance_id}"):
        acceptance.record(
            session,
            principal,
            acceptance_id,
            accepted_on=accepted_on or clock.today_local(),
            result=result,
            findings=findings,
        )
    flash(request, "success", "验收结论已录入，请验收小组成员签字")
    return redirect(request, f"/acceptances/{acceptance_id}")


@router.post("/acceptances/{acceptance_id}/sign", response_class=HTMLResponse)
def sign_form(
    acceptance_id: Id,
    request: Request,
    sha256: str = Form("", max_length=64),
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
):
    with refusals_back_to(f"/acceptances/{acceptance_id}"):
        acceptance.sign(session, principal, acceptance_id, sha256=sha256)
    flash(request, "success", "已在验收书上签字")
    return redirect(request, f"/acceptances/{acceptance_id}")


@router.get("/projects/{project_id}/tender-report", response_class=HTMLResponse)
def report_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    project, row = report.readable(session, principal, project_id)
    return render(
        request,
        "performance_report.html",
        page_title=f"招标投标情况书面报告：{project.name}",
        project=project,
        view=s.report_out(session, project, row, clock.today_local()),
        may_submit=row.submitted_at is None and report.may_submit(principal, project),
        may_acknowledge=row.submitted_at is not None
        and row.acknowledged_at is None
        and Role.SUPERVISOR in principal.roles,
        basis=report.BASIS,
    )


@router.post("/projects/{project_id}/tender-report/submit", response_class=HTMLResponse)
def submit_form(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = TENDERER_SIDE):
    with refusals_back_to(f"/projects/{project_id}/tender-report"):
        report.submit(session, principal, project_id)
    flash(request, "success", "书面报告已提交行政监督部门")
    return redirect(request, f"/projects/{project_id}/tender-report")


@router.post("/projects/{project_id}/tender-report/acknowledge", response_class=HTMLResponse)
def acknowledge_form(
    project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SUPERVISOR
):
    with refusals_back_to(f"/projects/{project_id}/tender-report"):
        report.acknowledge(session, principal, project_id)
    flash(request, "success", "已签收书面报告")
    return redirect(request, f"/projects/{project_id}/tender-report")


@router.get("/performance/tender-reports", response_class=HTMLResponse)
def reports_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = OVERSIGHT
):
    today = clock.today_local()
    result = report.listing(session, principal, cursor=cursor)
    rows = [s.report_out(session, p, r, today) for r, p, _ in result.items]
    return render(
        request,
        "performance_reports.html",
        page_title="招标投标情况书面报告",
        reports=rows,
        result=result,
        page_url=page_urls("/performance/tender-reports", {}),
    )


@router.get("/my/performance", response_class=HTMLResponse)
def mine_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = WINNER
):
    today = clock.today_local()
    result = reading.mine(session, principal, cursor=cursor)
    rows = [(p, s.performance_out(session, c, p, "winner", today)) for c, p in result.items]
    return render(
        request,
        "performance_mine.html",
        page_title="我的合同履约",
        rows=rows,
        result=result,
        page_url=page_urls("/my/performance", {}),
    )
