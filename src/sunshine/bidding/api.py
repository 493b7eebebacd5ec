"""JSON routes of sealed bids and the opening: submit (ciphertext only), receipts, withdraw, reveal the key
at opening, and the opening session (start, record, confirmation; the objections raised at the opening are
the complaints domain's routes). Thin: the rules are in ``service`` and ``opening``."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, opening, opening_confirmation, opening_record, service
from sunshine.bidding.models import Bid
from sunshine.bidding.visibility import own_bid
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, RecentAuth, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.trading import visibility

router = APIRouter(prefix="/api/v1", tags=["电子投标与开标"])
BIDDER = Depends(Access(Role.BIDDER))
MEMBERS = Depends(Access(Role.BIDDER, Role.SIGNER, Role.ORG_VIEWER))  # read the organisation's own bids
BIDDER_CONFIRMED = Depends(RecentAuth(Role.BIDDER))  # submitting, withdrawing, decrypting: password entered lately
CENTRE = Depends(Access(Role.CENTRE_STAFF))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER))
OFFICIALS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
PUBLIC = Depends(Access.public())


async def sealed_body(request: Request) -> bytes:
    """The ciphertext, read whole before the unit of work starts (the body limit middleware caps it)."""
    return await request.body()


class BidOut(BaseModel):
    bid_no: str
    project_id: int
    section_id: int
    version: int
    status: str
    status_label: str
    ciphertext_sha256: str
    size: int
    key_commitment: str
    submitted_at: datetime
    withdrawn_at: datetime | None
    ledger_seq: int
    decryption: str | None = Field(description="开标后：pending 待解密、decrypted 已解密、revoked、void")
    decryption_label: str | None
    price: Decimal | None = Field(description="投标报价（元），解密后才有")
    duration_days: int | None


def bid_out(bid: Bid) -> BidOut:
    return BidOut(
        bid_no=bid.bid_no,
        project_id=bid.project_id,
        section_id=bid.section_id,
        version=bid.version,
        status=bid.status,
        status_label=service.STATUS_LABELS[bid.status],
        ciphertext_sha256=bid.ciphertext_sha256,
        size=bid.size,
        key_commitment=bid.key_commitment,
        submitted_at=bid.submitted_at,
        withdrawn_at=bid.withdrawn_at,
        ledger_seq=bid.ledger_seq,
        decryption=bid.decryption,
        decryption_label=opening_record.DECRYPTION_LABELS.get(bid.decryption or ""),
        price=bid.price,
        duration_days=bid.duration_days,
    )


class BindingOut(BaseModel):
    format: str
    aad: str = Field(description="AES-GCM 附加认证数据（UTF-8），把密文绑定到本项目、本标段、本投标人")
    project_code: str
    section_number: int
    bidder_credit_code: str
    bid_deadline: datetime
    server_time: datetime


class RevealIn(BaseModel):
    key: str = Field(min_length=1, max_length=200, description="加密时生成并由投标人保管的 256 位密钥（十六进制）")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


@router.get("/sections/{section_id}/bid-binding", response_model=BindingOut, summary="加密投标文件所需的绑定信息")
def binding(section_id: Id, session: Session = SessionDep, actor: Principal = BIDDER) -> BindingOut:
    section, project = service.bid_section(session, section_id)
    org = service.bidder_org(session, actor)
    service.check_open_for_bids(project)
    return BindingOut(
        format=envelope.FORMAT,
        aad=service.binding_for(session, section, project, org).decode(),
        project_code=project.code,
        section_number=section.number,
        bidder_credit_code=org.credit_code,
        bid_deadline=project.bid_deadline,
        server_time=clock.now(),
    )


@router.post(
    "/sections/{section_id}/bids",
    status_code=201,
    summary="递交加密投标文件（请求体为密文，application/octet-stream）",
    responses={200: {"description": "同一幂等键的重试：返回第一次递交的回执"}},
)
def submit(
    section_id: Id,
    request: Request,
    response: Response,
    body: bytes = Depends(sealed_body),
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
    key_commitment: str = Header(default="", alias="Sunshine-Key-Commitment"),
    signing_key: Id | None = Header(default=None, alias="Sunshine-Signing-Key", description="签名密钥编号"),
    signature: str = Header(
        default="", alias="Sunshine-Signature", max_length=200, description="签章人对 envelope.signed_message 的签名"
    ),
    device: str = Header(
        default="",
        alias="Sunshine-Device",
        max_length=1000,
        description="投标客户端报告的硬件标识哈希：mac=<sha256>,<sha256>;machine=<sha256>（电子监察比对）",
    ),
    session: Session = SessionDep,
    actor: Principal = BIDDER_CONFIRMED,
) -> dict[str, Any]:
    result = service.submit(
        session,
        actor,
        section_id,
        body,
        key_commitment=key_commitment,
        idempotency_key=idempotency_key,
        signing_key_id=signing_key,
        signature=signature,
        origin=service.Origin(client_ip=request.client.host if request.client else None, device=device),
    )
    if not result.created:
        response.status_code = 200
    return service.receipt_of(result.bid)


@router.get("/bids/mine", response_model=list[BidOut], summary="本单位的投标文件（各版本）")
def my_bids(
    project_id: Id | None = None, paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = MEMBERS
) -> list[BidOut]:
    page = service.mine_page(session, actor, project_id, cursor=paging.cursor, limit=paging.limit)
    return [bid_out(b) for b in paging.answer(page)]


@router.get("/bids/{bid_no}", response_model=BidOut, summary="本单位的一份投标文件")
def get_bid(bid_no: str, session: Session = SessionDep, actor: Principal = MEMBERS) -> BidOut:
    return bid_out(own_bid(session, actor, bid_no))


@router.get("/bids/{bid_no}/receipt", summary="投标回执（平台签名，可离线验证）")
def receipt(bid_no: str, session: Session = SessionDep, actor: Principal = MEMBERS) -> dict[str, Any]:
    return service.receipt_of(own_bid(session, actor, bid_no))


@router.post("/bids/{bid_no}/withdraw", response_model=BidOut, summary="截止前撤回投标文件")
def withdraw(bid_no: str, session: Session = SessionDep, actor: Principal = BIDDER_CONFIRMED) -> BidOut:
    return bid_out(service.withdraw(session, actor, bid_no))


@router.post("/bids/{bid_no}/reveal", response_model=BidOut, summary="开标时提交解密密钥")
def reveal(bid_no: str, data: RevealIn, session: Session = SessionDep, actor: Principal = BIDDER_CONFIRMED) -> BidOut:
    return bid_out(opening.reveal(session, actor, bid_no, data.key))


@router.post("/bids/{bid_no}/platform-fault", response_model=BidOut, summary="认定未能解密系非投标人原因")
def platform_fault(bid_no: str, data: ReasonIn, session: Session = SessionDep, actor: Principal = CENTRE) -> BidOut:
    return bid_out(opening.record_platform_fault(session, actor, bid_no, data.reason))


def _record(session: Session, actor: Principal, project_id: int) -> dict[str, Any]:
    project = visibility.get_visible(session, actor, project_id)
    found = opening.session_of(session, project.id)
    if found is None:
        raise NotFound("该项目尚未开标")
    if found.record_json is not None:
        record = json.loads(found.record_json)
        record["record_sha256"] = found.record_sha256
        record["ledger_seq"] = found.record_ledger_seq
        return record
    return opening_record.build_record(session, project, found)


@router.get("/projects/{project_id}/opening", summary="开标记录（解密进行中时为实时情况）")
def get_opening(project_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> dict[str, Any]:
    return _record(session, actor, project_id)


@router.post("/projects/{project_id}/opening", status_code=201, summary="开标（投标截止时间到达后）")
def start_opening(project_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> dict[str, Any]:
    opening.start_by_staff(session, actor, project_id)
    return _record(session, actor, project_id)


@router.post("/projects/{project_id}/opening/close-decryption", summary="解密时限届满或全部解密后结束解密")
def close_decryption(project_id: Id, session: Session = SessionDep, actor: Principal = CENTRE) -> dict[str, Any]:
    project = visibility.get_visible(session, actor, project_id)
    opening.close_decryption(session, actor, project)
    return _record(session, actor, project_id)


class OfficialsIn(BaseModel):
    reader: str = Field(min_length=2, max_length=60, description="唱标人")
    recorder: str = Field(min_length=2, max_length=60, description="记录人")
    overseer: str = Field(min_length=2, max_length=60, description="监标人")


@router.put(
    "/projects/{project_id}/opening/officials", summary="登记唱标人、记录人、监标人（交易中心，开标记录公布前）"
)
def officials(
    project_id: Id, data: OfficialsIn, session: Session = SessionDep, actor: Principal = CENTRE
) -> dict[str, Any]:
    opening_confirmation.set_officials(session, actor, project_id, **data.model_dump())
    return _record(session, actor, project_id)


@router.post("/projects/{project_id}/opening/confirm", summary="确认开标记录")
def confirm(project_id: Id, session: Session = SessionDep, actor: Principal = OFFICIALS) -> dict[str, Any]:
    opening_confirmation.confirm(session, actor, project_id)
    return _record(session, actor, project_id)
