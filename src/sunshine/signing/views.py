"""Pages of signing keys: the organisation's key history; a signer creates a key pair in the browser (the private
key is offered as a key file and never sent) and registers the public key; the enterprise administrator approves
or revokes; the signer revokes its own key."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.signing import api, crypto, service
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["签名密钥"], include_in_schema=False)  # pages, not the JSON API
PAGE = "/signing/keys"


@router.get(PAGE, response_class=HTMLResponse)
def keys_page(request: Request, session: Session = SessionDep, principal: Principal = api.MEMBERS) -> Response:
    keys = service.organisation_keys(session, principal.organisation_id) if principal.organisation_id else []
    return render(
        request,
        "signing_keys.html",
        page_title="签名密钥",
        keys=api.keys_out(session, keys),
        is_signer=principal.has(Role.SIGNER),
        is_admin=principal.has(Role.ENTERPRISE_ADMIN),
        user_id=principal.user_id,
        owners={k.id: k.user_id for k in keys},
        algorithms=crypto.ALGORITHM_LABELS,
        short=service.short,
    )


@router.post(PAGE, response_class=HTMLResponse)
def register(
    request: Request,
    algorithm: str = Form("", max_length=10),
    public_key: str = Form("", max_length=200),
    label: str = Form("", max_length=100),
    session: Session = SessionDep,
    principal: Principal = Depends(Access(Role.SIGNER)),
) -> Response:
    return act(
        request,
        PAGE,
        lambda: service.register(session, principal, algorithm, public_key, label),
        lambda key: f"已登记签名密钥（指纹 {service.short(key.fingerprint)}），请企业管理员确认后使用",
    )


@router.post(PAGE + "/{key_id}/approve", response_class=HTMLResponse)
def approve(
    request: Request,
    key_id: Id,
    session: Session = SessionDep,
    principal: Principal = Depends(Access(Role.ENTERPRISE_ADMIN)),
) -> Response:
    return act(request, PAGE, lambda: service.approve(session, principal, key_id), "已确认签名密钥")


@router.post(PAGE + "/{key_id}/revoke", response_class=HTMLResponse)
def revoke(
    request: Request,
    key_id: Id,
    reason: str = Form("", max_length=500),
    session: Session = SessionDep,
    principal: Principal = Depends(Access(Role.SIGNER, Role.ENTERPRISE_ADMIN)),
) -> Response:
    return act(request, PAGE, lambda: service.revoke(session, principal, key_id, reason), "已吊销签名密钥")
