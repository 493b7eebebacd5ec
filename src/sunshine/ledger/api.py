"""Public JSON routes of the transparency log: key, heads, entries, inclusion and consistency proofs.

Everything here is public by design: anyone may check that nothing published was altered.
"""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from annotated_types import Ge
from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import pagination
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import NOT_FOUND, Between
from sunshine.ledger import format as fmt
from sunshine.ledger import service
from sunshine.ledger.models import LedgerEntry
from sunshine.ledger.schemas import ConsistencyOut, EntriesPage, EntryOut, HeadOut, HeadsPage, InclusionOut, KeyOut
from sunshine.ledger.signing import platform_key

router = APIRouter(prefix="/api/v1/ledger", tags=["全程留痕"])
PUBLIC = Depends(Access.public())

# A sequence number or a tree size beyond what the log can hold names nothing: 404 naming it, like one the
# log has not reached yet. (Below zero in a query is a malformed value: its ``Query(ge=...)`` answers 422.)
Seq = Annotated[int, Between(-(2**31), service.MAX_INDEX, NOT_FOUND, "留痕记录 {value} 不存在")]
Size = Annotated[int, Between(-(2**31), service.MAX_INDEX, NOT_FOUND, "没有大小为 {value} 的签名树头")]
OldSize = Annotated[Size, Ge(0)]
NewSize = Annotated[Size, Ge(1)]


def entry_dict(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "subject": entry.subject,
        "payload": json.loads(entry.payload),
        "payload_sha256": entry.payload_sha256,
        "recorded_at": fmt.iso_utc(entry.recorded_at),
        "leaf_hash": entry.leaf_hash,
    }


@router.get("/key", summary="树头签名公钥（Ed25519）", response_model=KeyOut)
def key(_: Principal = PUBLIC) -> dict[str, str]:
    signing = platform_key()
    return {
        "algorithm": "Ed25519",
        "key_id": signing.key_id,
        "public_key": base64.b64encode(signing.public_bytes).decode(),
        "public_key_pem": signing.public_pem,
        "log_id": fmt.LOG_ID,
    }


@router.get("/key.pem", response_class=PlainTextResponse, summary="签名公钥 PEM 文件")
def key_pem(_: Principal = PUBLIC) -> str:
    return platform_key().public_pem


@router.get(
    "/head", summary="最新签名树头", response_model=HeadOut, responses={404: {"description": "日志尚无签名树头"}}
)
def head(session: Session = SessionDep, _: Principal = PUBLIC) -> dict[str, Any]:
    latest = service.latest_head(session)
    if latest is None:
        raise NotFound("留痕日志尚无签名树头")
    return latest.as_dict()


@router.get(
    "/heads",
    summary="签名树头列表（按大小升序分页）",
    response_model=HeadsPage,
    description="列出所有已签名的树大小，审计者据此选择要核对的树头与一致性证明，无需逐一试探 /heads/{size}。",
)
def heads(
    cursor: str | None = pagination.CURSOR,
    limit: int | None = pagination.LIMIT,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict[str, Any]:
    page = service.heads_page(session, cursor=cursor, limit=limit)
    return {"heads": [h.as_dict() for h in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/heads/{size}",
    summary="指定大小的签名树头",
    response_model=HeadOut,
    responses={404: {"description": "没有该大小的签名树头（并非每个大小都签名，见 /heads 列表）"}},
)
def head_at(size: Size, session: Session = SessionDep, _: Principal = PUBLIC) -> dict[str, Any]:
    return service.head_at(session, size).as_dict()


@router.get("/entries", summary="按序号分页读取留痕记录", response_model=EntriesPage)
def entries(
    start: int = Query(0, ge=0, le=service.MAX_INDEX, description="起始序号"),
    limit: int = Query(100, ge=1, le=1000),
    subject: str | None = Query(None, max_length=200, description="按对象筛选，如 project:12"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict[str, Any]:
    stmt = select(LedgerEntry).where(LedgerEntry.seq >= start).order_by(LedgerEntry.seq).limit(limit)
    if subject:
        stmt = stmt.where(LedgerEntry.subject == subject)
    rows = [entry_dict(e) for e in session.scalars(stmt)]
    return {"entries": rows, "next_start": rows[-1]["seq"] + 1 if len(rows) == limit else None}


@router.get(
    "/entries/{seq}", summary="单条留痕记录", response_model=EntryOut, responses={404: {"description": "记录不存在"}}
)
def entry(seq: Seq, session: Session = SessionDep, _: Principal = PUBLIC) -> dict[str, Any]:
    return entry_dict(service.get_entry(session, seq))


@router.get(
    "/entries/{seq}/proof",
    summary="包含性证明（RFC 9162 §2.1.3）",
    response_model=InclusionOut,
    responses={404: {"description": "记录不存在，或记录已存在但尚未被签名树头覆盖（下一次签名后再取）"}},
)
def inclusion(
    seq: Seq,
    tree_size: Size | None = Query(None, ge=1, description="树大小；缺省为最新签名树头"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict[str, Any]:
    entry = service.get_entry(session, seq)
    head = service.head_at(session, tree_size) if tree_size else service.latest_head(session)
    if head is None or head.size <= seq:
        raise NotFound("该记录尚未被签名树头覆盖，请稍后再试")
    return {
        "entry": entry_dict(entry),
        "leaf_index": seq,
        "tree_size": head.size,
        "leaf_input": fmt.leaf_input(
            entry.seq, entry.kind, entry.subject, entry.payload_sha256, fmt.iso_utc(entry.recorded_at)
        ).decode(),
        "audit_path": service.inclusion_proof(session, seq, head.size),
        "head": head.as_dict(),
    }


@router.get(
    "/consistency",
    summary="一致性证明（RFC 9162 §2.1.4）",
    response_model=ConsistencyOut,
    responses={404: {"description": "first 或 second 没有签名树头"}},
)
def consistency(
    first: Annotated[OldSize, Query(description="旧树大小")],
    second: Annotated[NewSize, Query(description="新树大小")],
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict[str, Any]:
    return {
        "first": first,
        "second": second,
        "proof": service.consistency_proof(session, first, second),
        "first_head": service.head_at(session, first).as_dict() if first else None,
        "second_head": service.head_at(session, second).as_dict(),
    }
