"""JSON routes of participation: registration (报名), tender documents, qualification results, the
applicant's inbox, and deposits (保证金) from the section's amount to the refund. Thin: every rule
is in ``registrations`` and ``deposits``; what a caller may see of a deposit is decided in
``deposit_out`` only."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT, MAX_LIMIT, PAGING, Paging, link_header
from sunshine.identity.roles import Role
from sunshine.trading import deposits, registrations
from sunshine.trading.schemas import SectionOut

router = APIRouter(prefix="/api/v1", tags=["报名与保证金"])
BIDDER = Depends(Access(Role.BIDDER))
READERS = Depends(Access(Role.BIDDER, Role.ORG_VIEWER))  # the organisation's viewers read, only a clerk acts
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
LIST_VIEWERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
OVERSEERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
SIGNED_IN = Depends(Access.signed_in())

Yuan = Decimal


# --------------------------------------------------------------------------- shapes


class RegistrationIn(BaseModel):
    contact_name: str = Field(min_length=2, max_length=100, description="联系人")
    contact_phone: str = Field(min_length=7, max_length=40, description="联系电话")


class QualificationIn(BaseModel):
    stage: Literal["pre", "post"] = Field(description="pre 资格预审，post 资格后审")
    passed: bool
    reasons: str | None = Field(default=None, max_length=2000, description="理由；不通过时必填")


class SectionDepositIn(BaseModel):
    amount: Yuan | None = Field(gt=0, max_digits=16, decimal_places=2, description="投标保证金（元）；null 表示不收取")


class DepositOpenIn(BaseModel):
    method: Literal["transfer", "guarantee"] = Field(description="transfer 银行转账，guarantee 电子保函")


class TransferConfirmIn(BaseModel):
    amount: Yuan = Field(gt=0, max_digits=16, decimal_places=2, description="银行到账金额（元）")


class GuaranteeIn(BaseModel):
    guarantee_number: str = Field(min_length=6, max_length=64, description="保函编号")
    issuer: str = Field(min_length=2, max_length=200, description="出具保函的银行、保险或担保机构")


class QualificationOut(BaseModel):
    stage: str
    stage_label: str
    passed: bool
    reasons: str
    decided_at: datetime


class DepositOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    section_id: int
    section_number: int
    organisation_id: int
    organisation_name: str
    amount: Yuan
    method: str
    method_label: str
    status: str
    status_label: str
    channel: str
    account: str = Field(description="转账：虚拟子账号；电子保函：保函编号")
    paid_at: datetime | None
    refund_reason: str | None
    refund_due: date | None
    refunded_at: datetime | None
    overdue: bool
    evidence: dict | None = Field(description="支付通道的凭证（仅投标人本人、交易中心和监督部门可见）")


class RegistrationOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    project_name: str
    section_id: int
    section_number: int
    section_name: str
    organisation_id: int
    organisation_name: str
    contact_name: str
    contact_phone: str
    registered_at: datetime
    docs_obtained_at: datetime | None
    docs_sha256: str | None
    withdrawn_at: datetime | None
    qualification: list[QualificationOut]
    deposit_required: Yuan | None
    deposit: DepositOut | None


class MessageOut(BaseModel):
    id: int
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


def deposit_out(view: deposits.DepositView, actor: Principal) -> DepositOut:
    d = view.deposit
    sees_evidence = bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR}) or (
        Role.BIDDER in actor.roles and actor.organisation_id == d.organisation_id
    )
    return DepositOut(
        id=d.id,
        project_id=d.project_id,
        project_code=view.project.code,
        section_id=d.section_id,
        section_number=view.section.number,
        organisation_id=d.organisation_id,
        organisation_name=view.organisation_name,
        amount=d.amount,
        method=d.method,
        method_label=view.method_label,
        status=d.status,
        status_label=view.status_label,
        channel=d.channel,
        account=d.channel_ref,
        paid_at=d.paid_at,
        refund_reason=d.refund_reason,
        refund_due=view.due,
        refunded_at=d.refunded_at,
        overdue=view.overdue,
        evidence=json.loads(d.evidence) if sees_evidence and d.evidence else None,
    )


def _deposit_view(session: Session, view: registrations.RegistrationView) -> deposits.DepositView | None:
    if view.deposit is None:
        return None
    return deposits.DepositView(view.deposit, view.project, view.section, view.organisation_name, view.deposit_due)


def registration_out(session: Session, view: registrations.RegistrationView, actor: Principal) -> RegistrationOut:
    r = view.registration
    deposit = _deposit_view(session, view)
    return RegistrationOut(
        id=r.id,
        project_id=r.project_id,
        project_code=view.project.code,
        project_name=view.project.name,
        section_id=r.section_id,
        section_number=view.section.number,
        section_name=view.section.name,
        organisation_id=r.organisation_id,
        organisation_name=view.organisation_name,
        contact_name=r.contact_name,
        contact_phone=r.contact_phone,
        registered_at=r.registered_at,
        docs_obtained_at=r.docs_obtained_at,
        docs_sha256=r.docs_sha256,
        withdrawn_at=r.withdrawn_at,
        qualification=[
            QualificationOut(
                stage=q.stage,
                stage_label=registrations.STAGES[q.stage],
                passed=q.passed,
                reasons=q.reasons,
                decided_at=q.decided_at,
            )
            for stage, q in sorted(view.qualifications.items(), key=lambda kv: kv[0] != "pre")
        ],
        deposit_required=deposits.required_amount(view.project, view.section),
        deposit=deposit_out(deposit, actor) if deposit else None,
    )


# --------------------------------------------------------------------------- registration


@router.post(
    "/projects/{project_id}/sections/{section_id}/registrations",
    response_model=RegistrationOut,
    status_code=201,
    summary="报名（投标人）",
)
def register(
    project_id: Id, section_id: Id, body: RegistrationIn, session: Session = SessionDep, actor: Principal = BIDDER
) -> RegistrationOut:
    reg = registrations.register_bidder(session, actor, project_id, section_id, body.contact_name, body.contact_phone)
    return registration_out(session, registrations.view_of(session, reg), actor)


@router.get(
    "/projects/{project_id}/registrations",
    response_model=list[RegistrationOut],
    summary="项目的报名情况（招标人、代理机构、交易中心、监督部门；截止前保密）",
)
def project_registrations(
    project_id: Id, session: Session = SessionDep, actor: Principal = LIST_VIEWERS
) -> list[RegistrationOut]:
    return [registration_out(session, v, actor) for v in registrations.list_for_project(session, actor, project_id)]


@router.get(
    "/registrations/mine",
    response_model=list[RegistrationOut],
    summary='本单位的报名（最新在前；有下一页时响应头 Link 给出 rel="next" 的地址）',
)
def my_registrations(
    request: Request,
    response: Response,
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    actor: Principal = READERS,
) -> list[RegistrationOut]:
    page = registrations.mine(session, actor, cursor=cursor, limit=limit or MAX_LIMIT)
    response.headers.update(link_header(request.url, page))
    return [registration_out(session, v, actor) for v in page.items]


@router.post("/registrations/{registration_id}/documents", response_model=RegistrationOut, summary="获取招标文件")
def obtain_documents(registration_id: Id, session: Session = SessionDep, actor: Principal = BIDDER) -> RegistrationOut:
    reg = registrations.obtain_documents(session, actor, registration_id)
    return registration_out(session, registrations.view_of(session, reg), actor)


@router.post(
    "/registrations/{registration_id}/withdraw",
    response_model=RegistrationOut,
    summary="撤回报名（投标截止前；已缴保证金按规则退还）",
)
def withdraw(registration_id: Id, session: Session = SessionDep, actor: Principal = BIDDER) -> RegistrationOut:
    reg = registrations.withdraw(session, actor, registration_id)
    return registration_out(session, registrations.view_of(session, reg), actor)


@router.post(
    "/registrations/{registration_id}/qualification",
    response_model=QualificationOut,
    status_code=201,
    summary="记录资格预审/资格后审结果（招标人、代理机构）",
)
def qualification(
    registration_id: Id, body: QualificationIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> QualificationOut:
    q = registrations.record_qualification(session, actor, registration_id, body.stage, body.passed, body.reasons)
    return QualificationOut(
        stage=q.stage,
        stage_label=registrations.STAGES[q.stage],
        passed=q.passed,
        reasons=q.reasons,
        decided_at=q.decided_at,
    )


@router.get("/messages", response_model=list[MessageOut], summary="本单位的站内通知")
def messages(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> list[MessageOut]:
    page = registrations.message_page(session, actor, cursor=paging.cursor, limit=paging.limit)
    return [
        MessageOut(id=m.id, subject=m.subject, body=m.body, link=m.link, created_at=m.created_at, read_at=m.read_at)
        for m in paging.answer(page)
    ]


# --------------------------------------------------------------------------- deposits


@router.put(
    "/projects/{project_id}/sections/{section_id}/deposit",
    response_model=SectionOut,
    summary="设定标段投标保证金（不超过估算价的 2%）",
)
def set_section_deposit(
    project_id: Id, section_id: Id, body: SectionDepositIn, session: Session = SessionDep, actor: Principal = PARTIES
) -> SectionOut:
    section = deposits.set_section_deposit(session, actor, project_id, section_id, body.amount)
    return SectionOut.model_validate(section)


@router.post(
    "/registrations/{registration_id}/deposit",
    response_model=DepositOut,
    summary="选择保证金缴纳方式（转账获得虚拟子账号，或电子保函）",
)
def open_deposit(
    registration_id: Id, body: DepositOpenIn, session: Session = SessionDep, actor: Principal = BIDDER
) -> DepositOut:
    deposit = deposits.open_deposit(session, actor, registration_id, body.method)
    return deposit_out(deposits.view_of(session, deposit), actor)


@router.post("/deposits/{deposit_id}/confirm", response_model=DepositOut, summary="确认转账到账（交易中心）")
def confirm_transfer(
    deposit_id: Id, body: TransferConfirmIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> DepositOut:
    deposit = deposits.confirm_transfer(session, actor, deposit_id, body.amount)
    return deposit_out(deposits.view_of(session, deposit), actor)


@router.post("/deposits/{deposit_id}/guarantee", response_model=DepositOut, summary="提交电子保函（投标人）")
def submit_guarantee(
    deposit_id: Id, body: GuaranteeIn, session: Session = SessionDep, actor: Principal = BIDDER
) -> DepositOut:
    deposit = deposits.submit_guarantee(session, actor, deposit_id, body.guarantee_number, body.issuer)
    return deposit_out(deposits.view_of(session, deposit), actor)


@router.post("/deposits/{deposit_id}/refund", response_model=DepositOut, summary="退还保证金或保函（交易中心）")
def refund(deposit_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> DepositOut:
    deposit = deposits.refund(session, actor, deposit_id)
    return deposit_out(deposits.view_of(session, deposit), actor)


@router.get("/deposits/overdue", response_model=list[DepositOut], summary="逾期未退还的保证金（交易中心、监督部门）")
def overdue(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = OVERSEERS) -> list[DepositOut]:
    page = deposits.overdue_page(session, cursor=paging.cursor, limit=paging.limit)
    return [deposit_out(v, actor) for v in paging.answer(page)]
