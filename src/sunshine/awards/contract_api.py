"""JSON routes of contracts: a project's contracts, drafting one (the tenderer's side), one contract, signing it
(each party by its own users, password entered lately). Thin: the rules are in ``awards.contracts``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.awards import contracts as service
from sunshine.awards.contract_models import AwardContract
from sunshine.core.auth import Access, Principal, RecentAuth, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

router = APIRouter(prefix="/api/v1", tags=["合同"])
SIGNED_IN = Depends(Access.signed_in())
DRAFTERS = Depends(Access(Role.AGENCY, Role.TENDERER))
SIGNERS = Depends(RecentAuth(Role.TENDERER, Role.BIDDER))  # signing a contract: password entered lately


class ContractIn(BaseModel):
    section_id: Id
    term: str = Field(max_length=service.MAX_TEXT, description="履行期限")
    payment: str = Field(max_length=service.MAX_TEXT, description="付款方式")
    amount: str | None = Field(None, max_length=30, description="合同金额（元），须等于中标金额；省略则取该金额")
    subject: str | None = Field(None, max_length=300, description="标的，须为招标的标段；省略则取该标段")
    performance_security: str | None = Field(None, max_length=30, description="履约担保金额（元），不超过合同金额的10%")


class SignIn(BaseModel):
    sha256: str = Field(max_length=64, description="签署方核对的合同文本 SHA-256")


class FilingIn(BaseModel):
    reference: str = Field(max_length=100, description="财政部门的备案回执编号")


class ContractOut(BaseModel):
    id: int
    project_id: int
    section_id: int
    title: str
    number: str
    tenderer: str
    winner: str
    subject: str
    amount: Decimal
    term: str
    payment: str
    performance_security: Decimal | None
    body: str
    sha256: str
    state_label: str
    tenderer_signed_at: datetime | None
    winner_signed_at: datetime | None
    ledger_seq: int | None
    project_state_label: str
    filing_due: date | None  # 政府采购合同报财政部门备案的期限（采购法 第四十七条）
    filed_at: datetime | None
    filing_ref: str | None


def state_label(c: AwardContract) -> str:
    if c.revoked_at is not None:
        return f"已撤销（{c.revoked_reason}）"
    if c.tenderer_signed_at and c.winner_signed_at:
        return "双方已签署"
    if c.tenderer_signed_at:
        return "甲方已签署，待乙方签署"
    if c.winner_signed_at:
        return "乙方已签署，待甲方签署"
    return "待双方签署"


def contract_out(session: Session, c: AwardContract) -> ContractOut:
    project = session.get(Project, c.project_id)
    filing = service.filing_deadline(session, c)
    return ContractOut(
        id=c.id,
        project_id=c.project_id,
        section_id=c.section_id,
        title=c.title,
        number=c.number,
        tenderer=session.get(Organisation, c.tenderer_id).name,
        winner=session.get(Organisation, c.winner_id).name,
        subject=c.subject,
        amount=c.amount,
        term=c.term,
        payment=c.payment,
        performance_security=c.performance_security,
        body=c.body,
        sha256=c.sha256,
        state_label=state_label(c),
        tenderer_signed_at=c.tenderer_signed_at,
        winner_signed_at=c.winner_signed_at,
        ledger_seq=c.ledger_seq,
        project_state_label=lifecycle.state_label(project, project.state),
        filing_due=filing.due if filing else None,
        filed_at=c.filed_at,
        filing_ref=c.filing_ref,
    )


@router.get("/projects/{project_id}/contracts", response_model=list[ContractOut], summary="项目的合同")
def project_contracts(project_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> list[ContractOut]:
    _, rows = service.of_project(session, actor, project_id)
    return [contract_out(session, c) for c in rows]


@router.post(
    "/projects/{project_id}/contracts",
    response_model=ContractOut,
    status_code=201,
    summary="起草合同（招标人、采购人或代理机构）：金额为中标（成交）金额、标的为招标的标段，改变实质性内容的拒绝（422）",
)
def draft(project_id: Id, body: ContractIn, session: Session = SessionDep, actor: Principal = DRAFTERS) -> ContractOut:
    c = service.draft(
        session,
        actor,
        project_id,
        body.section_id,
        term=body.term,
        payment=body.payment,
        amount=body.amount,
        subject=body.subject,
        performance_security=body.performance_security,
    )
    return contract_out(session, c)


@router.get("/contracts/{contract_id}", response_model=ContractOut, summary="一份合同")
def one(contract_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ContractOut:
    return contract_out(session, service.readable(session, actor, contract_id))


@router.post(
    "/contracts/{contract_id}/sign",
    response_model=ContractOut,
    summary="签署合同（甲方：招标人/采购人/转让方的用户；乙方：中标（成交）人的用户；须近期输入过密码）",
)
def sign(contract_id: Id, body: SignIn, session: Session = SessionDep, actor: Principal = SIGNERS) -> ContractOut:
    return contract_out(session, service.sign(session, actor, contract_id, sha256=body.sha256))


@router.post(
    "/contracts/{contract_id}/filing",
    response_model=ContractOut,
    summary="登记合同备案（采购人或代理机构）：合同副本报财政部门备案的回执编号（政府采购法 第四十七条）",
)
def filing(contract_id: Id, body: FilingIn, session: Session = SessionDep, actor: Principal = DRAFTERS) -> ContractOut:
    return contract_out(session, service.record_filing(session, actor, contract_id, reference=body.reference))
