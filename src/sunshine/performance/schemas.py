"""Shapes of the performance API: what callers send (JSON bodies with their limits) and what they read — a contract's
whole performance (securities, schedule with what is paid and due, changes, acceptances), an acceptance with its
members' signatures, and the written report of the tender. ``*_out`` build them from the tables."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core.inputs import Id, IsoDate
from sunshine.identity.models import Organisation
from sunshine.performance import acceptance, changes, report, schedule, security
from sunshine.performance.models import Acceptance, ContractChange, Milestone, PerformanceSecurity, TenderReport
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

# --------------------------------------------------------------------------- in


class MilestoneIn(BaseModel):
    title: str = Field(max_length=200, description="里程碑名称")
    planned_on: IsoDate = Field(description="计划完成日期")
    amount: str = Field(max_length=30, description="本期付款金额（元）")


class ScheduleIn(BaseModel):
    milestones: list[MilestoneIn] = Field(max_length=schedule.MAX_MILESTONES, description="各期，合计等于合同金额")


class AmountIn(BaseModel):
    amount: str = Field(max_length=30, description="金额（元）")


class ReleaseIn(BaseModel):
    note: str = Field("", max_length=300, description="保函原件的退还方式（快递单号、签收人）；保证金可不填")


class PaymentIn(BaseModel):
    amount: str = Field(max_length=30, description="本次支付金额（元）")
    paid_on: IsoDate = Field(description="付款日期")
    reference: str = Field(max_length=100, description="银行付款流水号")


class ChangeIn(BaseModel):
    kind: str = Field(max_length=30, description="additional_purchase 追加采购 / non_substantive 非实质性变更")
    description: str = Field(max_length=2000, description="变更内容")
    reasons: str = Field(max_length=2000, description="变更理由")
    amount: str | None = Field(None, max_length=30, description="追加采购金额（元）")
    planned_on: IsoDate | None = Field(None, description="追加部分的计划完成日期")


class AnswerIn(BaseModel):
    agree: bool
    note: str = Field("", max_length=2000, description="意见")


class MemberIn(BaseModel):
    user_id: Id
    role: str = Field(max_length=100, description="在验收小组中的身份")


class AcceptanceIn(BaseModel):
    method: str = Field(max_length=200, description="验收方式")
    members: list[MemberIn] = Field(max_length=acceptance.MAX_MEMBERS)


class ResultIn(BaseModel):
    accepted_on: IsoDate = Field(description="验收时间")
    result: str = Field(max_length=10, description="passed 合格 / failed 不合格")
    findings: str = Field(max_length=4000, description="验收意见")


class SignIn(BaseModel):
    sha256: str = Field(max_length=64, description="成员核对的验收书 SHA-256")


# --------------------------------------------------------------------------- out


class SecurityOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    form: str
    form_label: str
    provider: str
    holder: str
    required: Decimal
    amount: Decimal | None
    status: str
    status_label: str
    account: str | None  # the sub-account to pay into (money)
    issuer: str | None
    number: str | None
    valid_until: date | None
    file_sha256: str | None
    received_at: datetime | None
    released_at: datetime | None
    returned_on: date | None
    return_note: str | None
    refund: dict | None  # the channel's evidence of the refund (money)


class MilestoneOut(BaseModel):
    id: int
    seq: int
    title: str
    planned_on: date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    done_on: date | None
    evidence: str | None
    evidence_sha256: str | None
    pay_due: date | None
    overdue: bool


class PaymentOut(BaseModel):
    id: int
    milestone_id: int
    amount: Decimal
    paid_on: date
    reference: str


class ChangeOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    description: str
    reasons: str
    amount: Decimal | None
    planned_on: date | None
    status: str
    status_label: str
    proposed_side: str
    answer: str | None
    ledger_seq: int | None


class MemberOut(BaseModel):
    user_id: int
    name: str
    role: str
    signed_at: datetime | None


class AcceptanceOut(BaseModel):
    id: int
    contract_id: int
    round: int
    method: str
    accepted_on: date | None
    result: str | None
    result_label: str | None
    findings: str | None
    report: str | None
    sha256: str | None
    status: str
    status_label: str
    members: list[MemberOut]
    ledger_seq: int | None


class PerformanceOut(BaseModel):
    contract_id: int
    number: str
    title: str
    amount: Decimal
    additional: Decimal  # agreed additional purchases (补充合同)
    project_id: int
    project_state_label: str
    side: str | None  # tenderer | winner | None (centre, supervisors)
    securities: list[SecurityOut]
    milestones: list[MilestoneOut]
    payments: list[PaymentOut]
    changes: list[ChangeOut]
    acceptances: list[AcceptanceOut]
    pay_rule: str  # the payment time limit and its basis


class TenderReportOut(BaseModel):
    project_id: int
    project_name: str
    determined_on: date
    due: date | None
    overdue: bool
    body: str  # as submitted, or as it would be generated now
    sha256: str | None
    submitted_at: datetime | None
    late: bool | None
    acknowledged_at: datetime | None
    ledger_seq: int | None


def _name(session: Session, org_id: int) -> str:
    return session.get(Organisation, org_id).name


def security_out(session: Session, s: PerformanceSecurity) -> SecurityOut:
    evidence = json.loads(s.evidence) if s.evidence else {}
    return SecurityOut(
        id=s.id,
        kind=s.kind,
        kind_label=security.KINDS[s.kind],
        form=s.form,
        form_label=security.FORMS[s.form],
        provider=_name(session, s.provider_id),
        holder=_name(session, s.holder_id),
        required=s.required,
        amount=s.amount,
        status=s.status,
        status_label=security.STATUSES[s.status],
        account=s.channel_ref if s.form == "money" else None,
        issuer=s.issuer,
        number=s.number,
        valid_until=s.valid_until,
        file_sha256=s.file_sha256,
        received_at=s.received_at,
        released_at=s.released_at,
        returned_on=s.returned_on,
        return_note=s.return_note,
        refund=evidence.get("refunded"),
    )


def milestone_out(session: Session, m: Milestone, today: date) -> MilestoneOut:
    paid = schedule.paid_of(session, m.id)
    deadline = schedule.pay_deadline(session, m)
    outstanding = m.amount - paid
    return MilestoneOut(
        id=m.id,
        seq=m.seq,
        title=m.title,
        planned_on=m.planned_on,
        amount=m.amount,
        paid=paid,
        outstanding=outstanding,
        done_on=m.done_on,
        evidence=m.evidence,
        evidence_sha256=m.evidence_sha256,
        pay_due=deadline.due if deadline else None,
        overdue=bool(deadline and outstanding > 0 and today > deadline.due),
    )


def change_out(c: ContractChange) -> ChangeOut:
    return ChangeOut(
        id=c.id,
        kind=c.kind,
        kind_label=changes.KINDS[c.kind],
        description=c.description,
        reasons=c.reasons,
        amount=c.amount,
        planned_on=c.planned_on,
        status=c.status,
        status_label=changes.STATUSES[c.status],
        proposed_side=c.proposed_side,
        answer=c.answer,
        ledger_seq=c.ledger_seq,
    )


def acceptance_out(session: Session, a: Acceptance) -> AcceptanceOut:
    return AcceptanceOut(
        id=a.id,
        contract_id=a.contract_id,
        round=a.round,
        method=a.method,
        accepted_on=a.accepted_on,
        result=a.result,
        result_label=acceptance.RESULTS.get(a.result) if a.result else None,
        findings=a.findings,
        report=a.report,
        sha256=a.sha256,
        status=a.status,
        status_label=acceptance.STATUSES[a.status],
        members=[
            MemberOut(user_id=m.user_id, name=name, role=m.role, signed_at=m.signed_at)
            for m, name in acceptance.members_of(session, a.id)
        ],
        ledger_seq=a.ledger_seq,
    )


def performance_out(session: Session, c: AwardContract, project: Project, side: str | None, today: date):
    days, unit, basis = schedule.pay_rule(project)
    return PerformanceOut(
        contract_id=c.id,
        number=c.number,
        title=c.title,
        amount=c.amount,
        additional=schedule.additional_agreed(session, c.id),
        project_id=project.id,
        project_state_label=lifecycle.state_label(project, project.state),
        side=side,
        securities=[security_out(session, s) for s in security.of_contract(session, c.id)],
        milestones=[milestone_out(session, m, today) for m in schedule.milestones(session, c.id)],
        payments=[
            PaymentOut(id=p.id, milestone_id=p.milestone_id, amount=p.amount, paid_on=p.paid_on, reference=p.reference)
            for p in schedule.payments_of(session, c.id)
        ],
        changes=[change_out(x) for x in changes.of_contract(session, c.id)],
        acceptances=[acceptance_out(session, a) for a in acceptance.of_contract(session, c.id)],
        pay_rule=f"里程碑完成后{days}{'个工作日' if unit == 'working' else '日'}内付款（{basis}）",
    )


def report_out(session: Session, project: Project, r: TenderReport, today: date) -> TenderReportOut:
    deadline = report.deadline_of(session, r)
    return TenderReportOut(
        project_id=project.id,
        project_name=project.name,
        determined_on=r.determined_on,
        due=deadline.due if deadline else None,
        overdue=bool(deadline and r.submitted_at is None and today > deadline.due),
        body=r.body or report.generate(session, project),
        sha256=r.sha256,
        submitted_at=r.submitted_at,
        late=r.late,
        acknowledged_at=r.acknowledged_at,
        ledger_seq=r.ledger_seq,
    )
