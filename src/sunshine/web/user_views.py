"""The platform administrator's page of users (/admin/users): platform users only. A market participant's users
and the roles inside it are managed by that organisation's own administrator (identity/organisation_users.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import stored_id
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.identity import organisation_users
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation
from sunshine.identity.roles import ORGANISATION_ROLES, Role
from sunshine.web.csrf import check_csrf
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
ADMIN = Depends(Access(Role.ADMIN))


def _platform_organisations(session: Session) -> list[Organisation]:
    """The organisations whose users the platform administrator creates: the centre and the departments."""
    return [o for o in identity.list_organisations(session) if not organisation_users.is_market_organisation(o)]


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = ADMIN
) -> Response:
    result = identity.user_page(session, cursor=cursor)
    return render(
        request,
        "admin_users.html",
        page_title="用户与角色",
        users=result.items,
        result=result,
        page_url=page_urls("/admin/users", {}),
        roles=[r for r in Role if r not in ORGANISATION_ROLES],
        organisations=_platform_organisations(session),
        errors={},
        form={},
    )


@router.post("/admin/users", response_class=HTMLResponse)
def admin_users_create(
    request: Request,
    username: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    organisation_id: str = Form(""),
    roles: list[str] = Form(default_factory=list),
    session: Session = SessionDep,
    _: Principal = ADMIN,
) -> Response:
    errors: dict[str, str] = {}
    valid_roles = [r for r in Role if r.value in roles]
    if not valid_roles:
        errors["roles"] = "请至少选择一个角色"
    org_id = stored_id(organisation_id)
    if not errors:
        try:
            user = organisation_users.admin_create_user(
                session,
                username=username,
                display_name=display_name,
                password=password,
                roles=valid_roles,
                organisation_id=org_id,
            )
        except SunshineError as exc:
            errors[exc.extra.get("field", "username")] = exc.detail
    if errors:
        return render(
            request,
            "admin_users.html",
            status=400,
            page_title="用户与角色",
            users=(first := identity.user_page(session)).items,
            result=first,
            page_url=page_urls("/admin/users", {}),
            roles=[r for r in Role if r not in ORGANISATION_ROLES],
            organisations=_platform_organisations(session),
            errors=errors,
            form={
                "username": username,
                "display_name": display_name,
                "organisation_id": organisation_id,
                "roles": roles,
            },
        )
    flash(request, "success", f"已创建用户 {user.username}")
    return redirect(request, "/admin/users")
