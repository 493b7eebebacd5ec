"""Lifecycle steps taken from the pages: the centre accepts (受理) or returns (退回) a registered project
from its queue, a party or the centre terminates (终止) a project, the centre or a supervisor suspends
(暂停) and resumes (恢复) it. Each is one button: done → flash and back to the page the form was on;
refused → the reason flashed, and back. Thin: every rule is applied by ``sunshine.trading.service``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.trading import service
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
CENTRE = Depends(Access(Role.CENTRE_STAFF))
OVERSEERS = Depends(Access(Role.CENTRE_STAFF, Role.SUPERVISOR))
PARTIES = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))


def _back(target: str, project_id: int) -> str:
    """Where to return after a step: the page the form was on (same-site paths only)."""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return f"/projects/{project_id}"


def _step(request: Request, done: str, project_id: int, next_url: str, call) -> Response:
    return act(request, _back(next_url, project_id), call, lambda project: f"{done}：{project.code} {project.name}")


@router.post("/projects/{project_id}/accept")
def accept(
    request: Request,
    project_id: Id,
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    return _step(request, "已受理", project_id, next, lambda: service.accept(session, principal, project_id))


@router.post("/projects/{project_id}/return")
def return_project(
    request: Request,
    project_id: Id,
    reason: str = Form(""),
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = CENTRE,
) -> Response:
    return _step(
        request,
        "已退回",
        project_id,
        next,
        lambda: service.return_project(session, principal, project_id, reason.strip()),
    )


@router.post("/projects/{project_id}/terminate")
def terminate(
    request: Request,
    project_id: Id,
    reason: str = Form(""),
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = PARTIES,
) -> Response:
    return _step(
        request,
        "已终止",
        project_id,
        next,
        lambda: service.terminate(session, principal, project_id, reason.strip()),
    )


@router.post("/projects/{project_id}/suspend")
def suspend(
    request: Request,
    project_id: Id,
    reason: str = Form(""),
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OVERSEERS,
) -> Response:
    return _step(
        request,
        "已暂停",
        project_id,
        next,
        lambda: service.suspend(session, principal, project_id, reason.strip()),
    )


@router.post("/projects/{project_id}/resume")
def resume(
    request: Request,
    project_id: Id,
    reason: str = Form(""),
    next: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = OVERSEERS,
) -> Response:
    return _step(
        request,
        "已恢复",
        project_id,
        next,
        lambda: service.resume(session, principal, project_id, reason.strip() or None),
    )


__all__ = ["router"]
