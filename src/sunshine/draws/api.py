"""JSON routes of draws: the public list of disclosed draws, a draw's public record (what the verifiers read),
the live room state, and the room's steps for API clients (sign in, commit, start, reveal, finish, beacon,
outcomes). The service decides who may take each step; these routes only require a signed-in caller."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.draws import purposes, record, visibility
from sunshine.draws import service as draws
from sunshine.identity.roles import Role
from sunshine.ledger import format as ledger_format

router = APIRouter(prefix="/api/v1/draws", tags=["公开抽取"])
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
CENTRE = Depends(Access(Role.CENTRE_STAFF))
Code = Annotated[str, Path(min_length=1, max_length=32, pattern="^[A-Za-z0-9]+$", description="抽取编号")]
HEX64 = "^[0-9a-fA-F]{64}$"


class CommitmentIn(BaseModel):
    commitment: str = Field(min_length=64, max_length=64, pattern=HEX64, description="承诺：SHA-256（十六进制）")


class SecretIn(BaseModel):
    secret: str = Field(min_length=64, max_length=64, pattern=HEX64, description="本方在浏览器中生成的随机数")


class BeaconIn(BaseModel):
    value: str = Field(min_length=1, max_length=1000, description="公开信标的发布值")


class OutcomeIn(BaseModel):
    leaf: str = Field(min_length=64, max_length=64, pattern=HEX64)
    outcome: Literal["confirmed", "declined", "no_show"]
    reason: str = Field(default="", max_length=300)


def _summary(draw) -> dict[str, Any]:
    return {
        "code": draw.code,
        "title": draw.title,
        "purpose_label": purposes.label(draw.purpose),
        "state_label": draws.STATE_LABELS[draw.state],
        "drawn_at": ledger_format.iso_utc(draw.drawn_at) if draw.drawn_at else None,
        "disclosed_at": ledger_format.iso_utc(draw.disclosed_at) if draw.disclosed_at else None,
        "record_url": f"/api/v1/draws/{draw.code}/record",
    }


@router.get("", summary="已公开结果的抽取")
def disclosed(
    session: Session = SessionDep,
    _: Principal = PUBLIC,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    rows, total = visibility.disclosed(session, limit=limit, offset=offset)
    return {"total": total, "items": [_summary(d) for d in rows]}


@router.get("/{code}/record", summary="抽取的公开记录（验证程序读取）")
def public_record(code: Code, session: Session = SessionDep, _: Principal = PUBLIC) -> dict[str, Any]:
    return record.build(session, draws.get(session, code))


@router.get("/{code}/room", summary="抽取室的实时状态")
def room(code: Code, session: Session = SessionDep, principal: Principal = PUBLIC) -> dict[str, Any]:
    return visibility.room_state(session, principal, draws.get(session, code))


def _state(session: Session, principal: Principal, code: str) -> dict[str, Any]:
    return visibility.room_state(session, principal, draws.get(session, code))


@router.post("/{code}/sign-in", summary="签到进入抽取室")
def sign_in(code: Code, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> dict[str, Any]:
    draws.sign_in(session, principal, code)
    return _state(session, principal, code)


@router.post("/{code}/commitment", summary="参与方提交承诺")
def commit(
    code: Code, body: CommitmentIn, session: Session = SessionDep, principal: Principal = SIGNED_IN
) -> dict[str, Any]:
    draws.commit(session, principal, code, body.commitment)
    return _state(session, principal, code)


@router.post("/{code}/start", summary="开始抽取（平台揭示随机数）")
def start(code: Code, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> dict[str, Any]:
    draws.start_reveal(session, principal, code)
    return _state(session, principal, code)


@router.post("/{code}/reveal", summary="参与方揭示随机数")
def reveal(
    code: Code, body: SecretIn, session: Session = SessionDep, principal: Principal = SIGNED_IN
) -> dict[str, Any]:
    draws.reveal(session, principal, code, body.secret)
    return _state(session, principal, code)


@router.post("/{code}/finish", summary="完成抽取（逾期未揭示的参与方使用默认值）")
def finish(code: Code, session: Session = SessionDep, principal: Principal = SIGNED_IN) -> dict[str, Any]:
    draws.finish(session, principal, code)
    return _state(session, principal, code)


@router.post("/{code}/beacon", summary="录入公开信标的发布值（交易中心）")
def beacon(code: Code, body: BeaconIn, session: Session = SessionDep, principal: Principal = CENTRE) -> dict[str, Any]:
    draws.enter_beacon(session, principal, code, body.value)
    return _state(session, principal, code)


@router.post("/{code}/outcomes", summary="登记被抽中者的应答结果")
def outcome(
    code: Code, body: OutcomeIn, session: Session = SessionDep, principal: Principal = SIGNED_IN
) -> dict[str, Any]:
    new = draws.record_outcome(session, principal, code, body.leaf.lower(), body.outcome, body.reason)
    return {
        "replacements": [{"leaf": s.leaf, "group": s.group, "kind": s.kind, "position": s.position} for s in new],
        "room": _state(session, principal, code),
    }
