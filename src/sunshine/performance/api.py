"""JSON routes of contract performance: a contract's performance, its payment schedule, securities (money or 保函)
and their return, milestones and payments, changes, acceptances and their signatures, the written report of the
tender, and the winner's list. Thin: the rules are in the use-case modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.content import Upload
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.performance import acceptance, changes, reading, report, schedule, security
from sunshine.performance import schemas as s
from sunshine.performance.models import Acceptance

router = APIRouter(prefix="/api/v1", tags=["合同履约"])
SIGNED_IN = Depends(Access.signed_in())
TENDERER_SIDE = Depends(Access(Role.AGENCY, Role.TENDERER))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER, Role.BIDDER))
WINNER = Depends(Access(Role.BIDDER))
SUPERVISOR = Depends(Access(Role.SUPERVISOR))
OVERSIGHT = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))


@router.get("/contracts/{contract_id}/performance", response_model=s.PerformanceOut, summary="合同履约情况")
def performance(contract_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> s.PerformanceOut:
    return reading.performance(session, actor, contract_id)


@router.put(
    "/contracts/{contract_id}/schedule",
    response_model=s.PerformanceOut,
    summary="登记付款计划（招标人、采购人或代理机构）：各期金额之和须等于合同金额（否则 422）",
)
def set_schedule(
    contract_id: Id, body: s.ScheduleIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> s.PerformanceOut:
    planned = [schedule.PlannedMilestone(m.title, m.planned_on, m.amount) for m in body.milestones]
    schedule.set_schedule(session, actor, contract_id, planned)
    return reading.performance(session, actor, contract_id)


@router.post(
    "/contracts/{contract_id}/payment-guarantee",
    response_model=s.PerformanceOut,
    summary="登记合同约定的支付担保（招标人、采购人或代理机构）",
)
def payment_guarantee(
    contract_id: Id, body: s.AmountIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> s.PerformanceOut:
    security.require_payment_guarantee(session, actor, contract_id, amount=body.amount)
    return reading.performance(session, actor, contract_id)


@router.post(
    "/performance/securities/{security_id}/money",
    response_model=s.PerformanceOut,
    summary="以保证金（转账）提交担保：取得支付通道的虚拟子账号（提供担保的一方）",
)
def pay_money(security_id: Id, session: Session = SessionDep, actor: Principal = PARTIES) -> s.PerformanceOut:
    row = security.pay_as_money(session, actor, security_id)
    return reading.performance(session, actor, row.contract_id)


@router.post(
    "/performance/securities/{security_id}/guarantee",
    response_model=s.PerformanceOut,
    summary="上传保函（提供担保的一方）：出具机构、编号、金额不低于约定、有效期覆盖履行期限",
)
def submit_guarantee(
    security_id: Id,
    file: UploadFile,
    issuer: Annotated[str, Form(max_length=200)],
    number: Annotated[str, Form(max_length=64)],
    amount: Annotated[str, Form(max_length=30)],
    valid_until: Annotated[IsoDate, Form()],
    session: Session = SessionDep,
    actor: Principal = PARTIES,
) -> s.PerformanceOut:
    upload = Upload(filename=file.filename or "", data=file.file.read(), content_type=file.content_type)
    row = security.submit_guarantee(
        session, actor, security_id, issuer=issuer, number=number, amount=amount, valid_until=valid_until, upload=upload
    )
    return reading.performance(session, actor, row.contract_id)


@router.post(
    "/performance/securities/{security_id}/receipt",
    response_model=s.PerformanceOut,
    summary="确认收到担保（收取担保的一方；保证金向支付通道核实到账）",
)
def receipt(security_id: Id, session: Session = SessionDep, actor: Principal = PARTIES) -> s.PerformanceOut:
    row = security.confirm_receipt(session, actor, security_id)
    return reading.performance(session, actor, row.contract_id)


@router.post(
    "/performance/securities/{security_id}/release",
    response_model=s.PerformanceOut,
    summary="验收合格后退还担保：保证金原路退还，保函原件退还并登记退还方式",
)
def release(
    security_id: Id, body: s.ReleaseIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> s.PerformanceOut:
    row = security.release(session, actor, security_id, note=body.note)
    return reading.performance(session, actor, row.contract_id)


@router.get("/performance/securities/{security_id}/file", summary="下载保函文件")
def guarantee_file(security_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> Response:
    name, data, sha = security.file_of(session, actor, security_id)
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{name}", "x-sha256": sha},
    )


@router.post(
    "/performance/milestones/{milestone_id}/done",
    response_model=s.PerformanceOut,
    summary="报告里程碑完成（中标人）：完成情况和交付成果，可附文件",
)
def milestone_done(
    milestone_id: Id,
    evidence: Annotated[str, Form(max_length=2000)],
    file: UploadFile | None = None,
    session: Session = SessionDep,
    actor: Principal = WINNER,
) -> s.PerformanceOut:
    upload = (
        Upload(filename=file.filename or "", data=file.file.read(), content_type=file.content_type) if file else None
    )
    row = schedule.report_done(session, actor, milestone_id, evidence=evidence, upload=upload)
    return reading.performance(session, actor, row.contract_id)


@router.post(
    "/performance/milestones/{milestone_id}/payments",
    response_model=s.PerformanceOut,
    status_code=201,
    summary="登记付款（招标人、采购人或代理机构）：不超过该期应付未付金额",
)
def pay(
    milestone_id: Id, body: s.PaymentIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> s.PerformanceOut:
    row = schedule.record_payment(
        session, actor, milestone_id, amount=body.amount, paid_on=body.paid_on, reference=body.reference
    )
    return reading.performance(session, actor, row.contract_id)


@router.post(
    "/contracts/{contract_id}/changes",
    response_model=s.ChangeOut,
    status_code=201,
    summary="提出合同变更（合同一方）：实质性变更拒绝（422）；追加采购不超过原合同金额10%（政府采购法 第四十九条）",
)
def propose(
    contract_id: Id, body: s.ChangeIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> s.ChangeOut:
    row = changes.propose(
        session,
        actor,
        contract_id,
        kind=body.kind,
        description=body.description,
        reasons=body.reasons,
        amount=body.amount,
        planned_on=body.planned_on,
    )
    return s.change_out(row)


@router.post(
    "/performance/changes/{change_id}/answer", response_model=s.ChangeOut, summary="同意或不同意合同变更（另一方）"
)
def answer(change_id: Id, body: s.AnswerIn, session: Session = SessionDep, actor: Principal = PARTIES) -> s.ChangeOut:
    return s.change_out(changes.answer(session, actor, change_id, agree=body.agree, note=body.note))


@router.post(
    "/contracts/{contract_id}/acceptances",
    response_model=s.AcceptanceOut,
    status_code=201,
    summary="组织履约验收（招标人、采购人或代理机构）：验收方式和验收小组成员",
)
def organise(
    contract_id: Id, body: s.AcceptanceIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> s.AcceptanceOut:
    members = [acceptance.MemberIn(m.user_id, m.role) for m in body.members]
    row = acceptance.organise(session, actor, contract_id, method=body.method, members=members)
    return s.acceptance_out(session, row)


@router.get("/acceptances/{acceptance_id}", response_model=s.AcceptanceOut, summary="一次履约验收及验收书")
def one_acceptance(acceptance_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> s.AcceptanceOut:
    row, _, _ = acceptance.readable(session, actor, acceptance_id)
    return s.acceptance_out(session, row)


@router.post(
    "/acceptances/{acceptance_id}/result",
    response_model=s.AcceptanceOut,
    summary="录入验收结论（招标人、采购人或代理机构）：合格/不合格和验收意见，生成验收书",
)
def result(
    acceptance_id: Id, body: s.ResultIn, session: Session = SessionDep, actor: Principal = TENDERER_SIDE
) -> s.AcceptanceOut:
    row = acceptance.record(
        session, actor, acceptance_id, accepted_on=body.accepted_on, result=body.result, findings=body.findings
    )
    return s.acceptance_out(session, row)


@router.post(
    "/acceptances/{acceptance_id}/sign",
    response_model=s.AcceptanceOut,
    summary="验收小组成员在验收书上签字（政府采购法 第四十一条）",
)
def sign(
    acceptance_id: Id, body: s.SignIn, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> s.AcceptanceOut:
    acceptance.sign(session, actor, acceptance_id, sha256=body.sha256)
    return s.acceptance_out(session, session.get(Acceptance, acceptance_id))


@router.get("/projects/{project_id}/tender-report", response_model=s.TenderReportOut, summary="招标投标情况书面报告")
def tender_report(project_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> s.TenderReportOut:
    project, row = report.readable(session, actor, project_id)
    return s.report_out(session, project, row, clock.today_local())


@router.post(
    "/projects/{project_id}/tender-report/submit",
    response_model=s.TenderReportOut,
    summary="提交招标投标情况书面报告（招标人或代理机构；招标投标法 第四十七条：确定中标人之日起15日内）",
)
def submit_report(project_id: Id, session: Session = SessionDep, actor: Principal = TENDERER_SIDE) -> s.TenderReportOut:
    row = report.submit(session, actor, project_id)
    project, _ = report.readable(session, actor, project_id)
    return s.report_out(session, project, row, clock.today_local())


@router.post(
    "/projects/{project_id}/tender-report/acknowledge",
    response_model=s.TenderReportOut,
    summary="签收招标投标情况书面报告（行政监督部门）",
)
def acknowledge_report(
    project_id: Id, session: Session = SessionDep, actor: Principal = SUPERVISOR
) -> s.TenderReportOut:
    row = report.acknowledge(session, actor, project_id)
    project, _ = report.readable(session, actor, project_id)
    return s.report_out(session, project, row, clock.today_local())


@router.get(
    "/performance/tender-reports", response_model=list[s.TenderReportOut], summary="书面报告一览（监督部门、交易中心）"
)
def reports(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = OVERSIGHT
) -> list[s.TenderReportOut]:
    today = clock.today_local()
    page = report.listing(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [s.report_out(session, p, r, today) for r, p, _ in paging.answer(page)]


@router.get("/performance/mine", response_model=list[s.PerformanceOut], summary="本单位中标合同的履约（投标人）")
def mine(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = WINNER) -> list[s.PerformanceOut]:
    today = clock.today_local()
    page = reading.mine(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [s.performance_out(session, c, p, "winner", today) for c, p in paging.answer(page)]
