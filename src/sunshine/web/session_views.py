"""The re-authentication page: before a sensitive step (``core.auth.RecentAuth``) the signed-in user enters the
password again and is sent back to the form. Wrong passwords count in the login throttle like failed sign-ins.
A page script (the bid page's, ``static/js/seal.js``) may post here asking for JSON: it gets 204 or a problem."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidCredentials
from sunshine.identity import service as identity
from sunshine.identity import throttle
from sunshine.web.csrf import check_csrf
from sunshine.web.problems import problem_response
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
SIGNED_IN = Depends(Access.signed_in())


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/me"


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def _form(request: Request, next: str, errors: dict[str, str], status: int = 200) -> Response:
    minutes = request.app.state.settings.reauth_minutes
    context = {"next": _safe_next(next), "errors": errors, "minutes": minutes}
    return render(request, "reauth.html", status=status, page_title="确认身份", **context)


@router.get("/reauth", response_class=HTMLResponse)
def reauth_form(request: Request, next: str = "/me", _: Principal = SIGNED_IN) -> Response:
    return _form(request, next, {})


@router.post("/reauth", response_class=HTMLResponse)
def reauth(
    request: Request,
    password: str = Form(""),
    next: str = Form("/me"),
    session: Session = SessionDep,
    principal: Principal = SIGNED_IN,
) -> Response:
    address = request.client.host if request.client else None
    username = principal.username or ""
    try:
        if not password:
            raise InvalidCredentials("请输入密码")
        throttle.check(session, username, address)
        identity.reauthenticate(session, principal, password)
    except throttle.LoginThrottled as exc:
        if _wants_json(request):
            return problem_response(request, exc.status, exc.code, exc.title, exc.detail, **exc.extra)
        return _form(request, next, {"password": exc.detail}, status=exc.status)
    except InvalidCredentials as exc:  # answered, not raised: the failure is counted in this request's commit
        if password:
            throttle.record_failure(session, username, address)
        detail = exc.detail if not password else "密码错误"
        if _wants_json(request):
            return problem_response(request, 401, exc.code, exc.title, detail)
        return _form(request, next, {"password": detail}, status=400)
    throttle.record_success(session, username)
    if _wants_json(request):
        return Response(status_code=204)
    flash(request, "success", "身份已确认，请继续操作")
    return redirect(request, _safe_next(next))
