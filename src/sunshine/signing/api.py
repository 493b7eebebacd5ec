"""JSON routes of signing keys: a signer registers or rotates its key, the enterprise administrator approves, the
signer or the administrator revokes, the organisation's members read the key history. Thin: rules in ``service``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.signing import crypto, service
from sunshine.signing.models import STATUS_LABELS, SigningKey
from sunshine.signing.schemas import KeyIn, KeyOut, RevokeIn

router = APIRouter(prefix="/api/v1/signing/keys", tags=["签名密钥"])
SIGNER = Depends(Access(Role.SIGNER))
ADMIN = Depends(Access(Role.ENTERPRISE_ADMIN))
HOLDERS = Depends(Access(Role.SIGNER, Role.ENTERPRISE_ADMIN))
MEMBERS = Depends(Access(Role.SIGNER, Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.ORG_VIEWER))


def keys_out(session: Session, keys: list[SigningKey]) -> list[KeyOut]:
    ids = {k.user_id for k in keys}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
    return [
        KeyOut(
            id=k.id,
            algorithm=k.algorithm,
            algorithm_label=crypto.ALGORITHM_LABELS[k.algorithm],
            public_key=k.public_key,
            fingerprint=k.fingerprint,
            label=k.label,
            status=k.status,
            status_label=STATUS_LABELS[k.status],
            signer=names.get(k.user_id, ""),
            created_at=k.created_at,
            approved_at=k.approved_at,
            revoked_at=k.revoked_at,
            revoked_reason=k.revoked_reason,
            replaces_id=k.replaces_id,
        )
        for k in keys
    ]


@router.get("", response_model=list[KeyOut], summary="本单位的签名密钥（含历史）")
def list_keys(paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = MEMBERS) -> list[KeyOut]:
    if actor.organisation_id is None:
        return []
    page = service.organisation_key_page(session, actor.organisation_id, cursor=paging.cursor, limit=paging.limit)
    return keys_out(session, paging.answer(page))


@router.get("/{key_id}", response_model=KeyOut, summary="本单位的一个签名密钥")
def get_key(key_id: Id, session: Session = SessionDep, actor: Principal = MEMBERS) -> KeyOut:
    return keys_out(session, [service.get_for(session, actor, key_id)])[0]


@router.post("", response_model=KeyOut, status_code=201, summary="登记签名密钥（签章人；待企业管理员确认）")
def register(body: KeyIn, session: Session = SessionDep, actor: Principal = SIGNER) -> KeyOut:
    return keys_out(session, [service.register(session, actor, body.algorithm, body.public_key, body.label)])[0]


@router.post("/{key_id}/rotate", response_model=KeyOut, status_code=201, summary="轮换签名密钥（新密钥确认后替换）")
def rotate(key_id: Id, body: KeyIn, session: Session = SessionDep, actor: Principal = SIGNER) -> KeyOut:
    key = service.rotate(session, actor, key_id, body.algorithm, body.public_key, body.label)
    return keys_out(session, [key])[0]


@router.post("/{key_id}/approve", response_model=KeyOut, summary="确认签名密钥（企业管理员）")
def approve(key_id: Id, session: Session = SessionDep, actor: Principal = ADMIN) -> KeyOut:
    return keys_out(session, [service.approve(session, actor, key_id)])[0]


@router.post("/{key_id}/revoke", response_model=KeyOut, summary="吊销签名密钥（签章人本人或企业管理员）")
def revoke(key_id: Id, body: RevokeIn, session: Session = SessionDep, actor: Principal = HOLDERS) -> KeyOut:
    return keys_out(session, [service.revoke(session, actor, key_id, body.reason)])[0]
