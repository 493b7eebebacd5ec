"""JSON routes for tokens, the caller's profile, organisations and (for administrators) users."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep, _bearer_token
from sunshine.core.errors import InvalidCredentials
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT, MAX_LIMIT, PAGING, Paging, link_header
from sunshine.identity import organisation_users, service, throttle
from sunshine.identity.models import OrganisationKind, TokenKind, User
from sunshine.identity.roles import Role
from sunshine.identity.schemas import (
    ActiveIn,
    MeOut,
    OrganisationBrief,
    OrganisationIn,
    RoleOut,
    RolesIn,
    TokenOut,
    TokenRequest,
    UserIn,
    UserOut,
)
from sunshine.web.problems import problem_response

router = APIRouter(prefix="/api/v1", tags=["身份与权限"])


def _user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        is_active=user.is_active,
        roles=sorted(Role(r.role) for r in user.roles),
        organisation_id=user.organisation_id,
    )


@router.post("/auth/token", response_model=TokenOut, summary="以用户名和密码换取访问令牌")
def create_token(
    request: Request, body: TokenRequest, session: Session = SessionDep, _: Principal = Depends(Access.public())
) -> TokenOut | Response:
    address = request.client.host if request.client else None
    throttle.check(session, body.username, address)
    try:
        user = service.authenticate(session, body.username, body.password)
    except InvalidCredentials as exc:  # answered, not raised: the failure is counted in this request's commit
        throttle.record_failure(session, body.username, address)
        return problem_response(request, exc.status, exc.code, exc.title, exc.detail)
    throttle.record_success(session, body.username)
    raw, token = service.issue_token(session, user, TokenKind.API)
    return TokenOut(access_token=raw, expires_at=token.expires_at)


@router.delete("/auth/token", status_code=204, summary="注销当前访问令牌")
def revoke_token(
    request: Request, session: Session = SessionDep, _: Principal = Depends(Access.signed_in())
) -> Response:
    token = _bearer_token(request)
    if token:
        service.revoke_token(session, token)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut, summary="当前用户（及本令牌的身份确认有效期）")
def me(request: Request, session: Session = SessionDep, principal: Principal = Depends(Access.signed_in())) -> MeOut:
    user = service.get_user(session, principal.user_id)
    window = timedelta(minutes=request.app.state.settings.reauth_minutes)
    confirmed = principal.authenticated_at + window if principal.authenticated_at else None
    return MeOut(
        authenticated_at=principal.authenticated_at,
        confirmed_until=confirmed,
        server_time=clock.now(),
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=[RoleOut(role=Role(r.role), label=Role(r.role).label) for r in user.roles],
        organisation=OrganisationBrief.model_validate(user.organisation) if user.organisation else None,
    )


@router.get("/users/{user_id}", response_model=UserOut, summary="用户账号（本人或系统管理员可见）")
def get_user(user_id: Id, session: Session = SessionDep, principal: Principal = Depends(Access.signed_in())) -> UserOut:
    return _user_out(service.visible_user(session, principal, user_id))


@router.get(
    "/organisations",
    response_model=list[OrganisationBrief],
    summary='机构名录（已通过审核的市场主体与平台机构，按登记先后；有下一页时响应头 Link 给出 rel="next" 的地址）',
)
def list_organisations(
    request: Request,
    response: Response,
    kind: OrganisationKind | None = None,
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    _: Principal = Depends(Access.public()),
) -> list[OrganisationBrief]:
    page = service.page_organisations(session, kind, public=True, cursor=cursor, limit=limit or MAX_LIMIT)
    response.headers.update(link_header(request.url, page))
    return [OrganisationBrief.model_validate(o) for o in page.items]


@router.get("/organisations/{organisation_id}", response_model=OrganisationBrief, summary="机构详情")
def get_organisation(
    organisation_id: Id, session: Session = SessionDep, _: Principal = Depends(Access.public())
) -> OrganisationBrief:
    return OrganisationBrief.model_validate(service.get_public_organisation(session, organisation_id))


@router.post("/organisations", response_model=OrganisationBrief, status_code=201, summary="登记机构")
def create_organisation(
    body: OrganisationIn,
    session: Session = SessionDep,
    _: Principal = Depends(Access(Role.ADMIN, Role.CENTRE_STAFF)),
) -> OrganisationBrief:
    org = service.create_organisation(
        session,
        name=body.name,
        credit_code_value=body.credit_code,
        kind=body.kind,
        region_code=body.region_code,
        contact_phone=body.contact_phone,
        address=body.address,
    )
    return OrganisationBrief.model_validate(org)


@router.get("/admin/users", response_model=list[UserOut], summary="用户列表（系统管理员）")
def list_users(
    paging: Paging = PAGING, session: Session = SessionDep, _: Principal = Depends(Access(Role.ADMIN))
) -> list[UserOut]:
    return [_user_out(u) for u in paging.answer(service.user_page(session, cursor=paging.cursor, limit=paging.limit))]


@router.post("/admin/users", response_model=UserOut, status_code=201, summary="创建平台用户（系统管理员）")
def create_user(body: UserIn, session: Session = SessionDep, _: Principal = Depends(Access(Role.ADMIN))) -> UserOut:
    user = organisation_users.admin_create_user(
        session,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        roles=body.roles,
        organisation_id=body.organisation_id,
    )
    return _user_out(service.get_user(session, user.id))


@router.put("/admin/users/{user_id}/roles", response_model=UserOut, summary="设置平台用户角色（系统管理员）")
def set_roles(
    user_id: Id, body: RolesIn, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))
) -> UserOut:
    return _user_out(organisation_users.admin_set_roles(session, actor=principal, user_id=user_id, roles=body.roles))


@router.put("/admin/users/{user_id}/active", response_model=UserOut, summary="启用或停用用户（系统管理员）")
def set_active(
    user_id: Id, body: ActiveIn, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))
) -> UserOut:
    return _user_out(organisation_users.admin_set_active(session, actor=principal, user_id=user_id, active=body.active))


class LockOut(BaseModel):
    key: str
    label: str
    failures: int
    locked_until: datetime


class LiftIn(BaseModel):
    key: str = Field(min_length=1, max_length=200, description="锁定项，如 account:zhangsan 或 address:10.0.0.8")


@router.get("/admin/login-locks", response_model=list[LockOut], summary="登录暂时锁定情况（系统管理员）")
def login_locks(
    paging: Paging = PAGING, session: Session = SessionDep, _: Principal = Depends(Access(Role.ADMIN))
) -> list[LockOut]:
    return [
        LockOut(key=x.key, label=x.label, failures=x.failures, locked_until=x.locked_until)
        for x in paging.answer(throttle.lock_page(session, cursor=paging.cursor, limit=paging.limit))
    ]


@router.post("/admin/login-locks/lift", status_code=204, summary="解除登录锁定（系统管理员）")
def lift_login_lock(
    body: LiftIn, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))
) -> Response:
    throttle.lift(session, actor=principal, key=body.key)
    return Response(status_code=204)
