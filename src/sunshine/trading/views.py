"""Project pages: the public project lists with the green channel (绿色通道), a registrant's own projects,
the centre's acceptance queue (受理队列), and the project page with the timeline of every stage and its
ledger proof. The registration form is in ``registration_views``, the buttons of the lifecycle steps in
``step_views``. Thin: every rule is applied by ``sunshine.trading.service``; these routes only read and
render."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import ANONYMOUS, Access, Principal, SessionDep
from sunshine.core.errors import SunshineError
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, Page, page_urls
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.rules.registry import registry
from sunshine.trading import classification, lifecycle, project_links, section_details, service, visibility
from sunshine.trading.labels import TRANSACTION_TYPES, method_label, type_label
from sunshine.trading.lifecycle import SEALED_LIFECYCLES
from sunshine.trading.models import Project
from sunshine.web.csrf import check_csrf
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
REGISTRANTS = Depends(Access(Role.AGENCY, Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))

# States the public can meet a project in (it becomes public with its first notice).
PUBLIC_STATES = [s for s in lifecycle.STATES if s not in ("registered", "returned", "accepted")]
PAGE_SIZE = 50  # projects per page of a project list
DOCUMENT_LINKS = {"notice": ("公告", "/notices/{}")}


# --------------------------------------------------------------------------- lists


def _names(session: Session, projects: list[Project]) -> dict[int, str]:
    ids = {i for p in projects for i in (p.tenderer_id, p.agency_id) if i}
    out = {}
    for org_id in ids:
        org: Organisation = identity.get_organisation(session, org_id)
        out[org_id] = org.name
    return out


def project_row(project: Project, names: dict[int, str] | None = None) -> dict[str, Any]:
    """What a list shows of a project."""
    names = names or {}
    return {
        "id": project.id,
        "code": project.code,
        "name": project.name,
        "project": project,
        "type_label": type_label(project.transaction_type),
        "method_label": method_label(project.method),
        "state": project.state,
        "state_label": lifecycle.state_label(project, project.state),
        "deadline": project.bid_deadline,
        "green": project.green_channel,
        "green_reason": project.green_reason,
        "budget": project.budget,
        "registered_at": project.registered_at,
        "tenderer": names.get(project.tenderer_id, ""),
        "agency": names.get(project.agency_id or 0, ""),
    }


def latest_public(session: Session, *, limit: int = 8, transaction_type: str | None = None) -> list[dict[str, Any]]:
    """The newest projects the public can see (for the home and trading pages)."""
    projects = service.list_visible(session, ANONYMOUS, transaction_type=transaction_type, limit=limit)
    return [project_row(p) for p in projects]


def green_count(session: Session) -> int | str:
    """How many public green-channel projects there are, counted up to the kit's cap ("1000+" beyond it)."""
    count, exact = service.count_visible(session, ANONYMOUS, green_only=True)
    return count if exact else f"{count}+"


@router.get("/projects", response_class=HTMLResponse)
def project_list(
    request: Request,
    transaction_type: str | None = Query(None, max_length=30),
    state: str | None = Query(None, max_length=40),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    transaction_type = transaction_type if transaction_type in TRANSACTION_TYPES else None
    state = state if state in lifecycle.STATES else None
    # The public list shows what the public may see, whoever is looking (own projects: /projects/mine).
    filters = {"transaction_type": transaction_type, "state": state}
    result = service.page_visible(session, ANONYMOUS, cursor=cursor, limit=PAGE_SIZE, **filters)
    return render(
        request,
        "projects_list.html",
        page_title="交易项目",
        heading="交易项目",
        mode="all",
        rows=[project_row(p) for p in result.items],
        result=result,
        page_url=page_urls("/projects", filters),
        transaction_type=transaction_type or "",
        state=state or "",
        type_options=list(TRANSACTION_TYPES.items()),
        state_options=[(s, lifecycle.STATES[s]) for s in PUBLIC_STATES],
    )


@router.get("/projects/green", response_class=HTMLResponse)
def green_list(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    result = service.page_visible(session, ANONYMOUS, green_only=True, cursor=cursor, limit=PAGE_SIZE)
    return render(
        request,
        "projects_list.html",
        page_title="绿色通道项目",
        heading="绿色通道项目",
        mode="green",
        rows=[project_row(p) for p in result.items],
        result=result,
        page_url=page_urls("/projects/green", {}),
    )


@router.get("/projects/mine", response_class=HTMLResponse)
def my_projects(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, principal: Principal = REGISTRANTS
) -> Response:
    result = (
        service.page_visible(session, principal, mine=True, cursor=cursor, limit=PAGE_SIZE)
        if principal.organisation_id
        else Page([], None, PAGE_SIZE)
    )
    projects = result.items
    rows = []
    names = _names(session, projects)
    for project in projects:
        row = project_row(project, names)
        if project.state == "returned":
            returns = [t for t in service.timeline(session, project) if t.step == "return"]
            row["return_reason"] = returns[-1].reason if returns else None
        rows.append(row)
    return render(
        request,
        "projects_list.html",
        page_title="本单位的项目",
        heading="本单位的项目",
        mode="mine",
        rows=rows,
        result=result,
        page_url=page_urls("/projects/mine", {}),
    )


@router.get("/staff/queue", response_class=HTMLResponse)
def acceptance_queue(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = CENTRE
) -> Response:
    result = service.acceptance_page(session, cursor=cursor, limit=PAGE_SIZE)
    projects = result.items
    names = _names(session, projects)
    return render(
        request,
        "projects_queue.html",
        page_title="受理队列",
        rows=[project_row(p, names) for p in projects],
        result=result,
        page_url=page_urls("/staff/queue", {}),
        handling=service.handling_deadlines(session, projects),
        today=clock.today_local(),
    )


# --------------------------------------------------------------------------- the project page


def _document(ref: str | None) -> tuple[str, str | None] | None:
    """``notice:12`` → ("公告 12", "/notices/12"); an unknown kind is shown as it is, unlinked."""
    if not ref:
        return None
    kind, _, ident = ref.partition(":")
    if kind in DOCUMENT_LINKS and ident:
        label, pattern = DOCUMENT_LINKS[kind]
        return f"{label} {ident}", pattern.format(ident)
    return ref, None


def _actions(project: Project, principal: Principal) -> dict[str, bool]:
    """Which buttons this viewer sees. Only a convenience: the service refuses whatever is not allowed."""
    steps = {s.name for s in lifecycle.available_steps(project) if principal.roles & s.roles}
    party = principal.organisation_id is not None and principal.organisation_id in (
        project.tenderer_id,
        project.agency_id,
    )
    oversight = principal.has(Role.CENTRE_STAFF, Role.SUPERVISOR)
    return {
        "resubmit": "resubmit" in steps and party,
        "accept": "accept" in steps,
        "return": "return" in steps,
        "publish_notice": "publish_notice" in steps and party,
        "amend_notice": "amend_notice" in steps and party,
        "terminate": "terminate" in steps and (party or oversight),
        "suspend": "suspend" in steps,
        "resume": "resume" in steps,
        "registrations": project.public_since is not None
        and ((party and principal.has(Role.AGENCY, Role.TENDERER)) or principal.has(Role.CENTRE_STAFF)),
        "register": project.state == "notice_published" and principal.has(Role.BIDDER),
        # 招标文件 (the tenderdocs pages): the parties draft and confirm, the department and the centre read
        "tender_docs": project.lifecycle in SEALED_LIFECYCLES
        and (
            (party and principal.has(Role.AGENCY, Role.TENDERER)) or principal.has(Role.CENTRE_STAFF, Role.SUPERVISOR)
        ),
        # 专家抽取申请 (the committees pages): the parties ask, the supervisor and the centre handle them
        "expert_draws": project.lifecycle in SEALED_LIFECYCLES | {"single_source"}
        and project.state not in {"registered", "returned"}
        and (
            (party and principal.has(Role.AGENCY, Role.TENDERER)) or principal.has(Role.CENTRE_STAFF, Role.SUPERVISOR)
        ),
    }


def _sealed_bidding(project: Project, principal: Principal) -> dict[str, bool] | None:
    """Links to the bid page (a bidder, while bids are taken) and the opening room (once the deadline passed)."""
    if project.lifecycle not in SEALED_LIFECYCLES or project.public_since is None:
        return None
    before = project.bid_deadline is None or clock.now() < project.bid_deadline
    return {
        "bid": project.state == "notice_published" and before and principal.has(Role.BIDDER),
        "opened": not before,
    }


def _pack_name(project: Project) -> str:
    try:
        return registry().get(project.pack_key, project.pack_version).name
    except SunshineError:
        return project.pack_key


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    names = _names(session, [project])
    transitions = service.timeline(session, project)
    # Clarifications and amendments are published against the first notice (its series).
    first_notice = next(
        (t.document_ref.partition(":")[2] for t in transitions if t.step == "publish_notice" and t.document_ref),
        None,
    )
    timeline = [
        {
            "at": t.at,
            "title": lifecycle.STEPS[t.step].title if t.step in lifecycle.STEPS else t.step,
            "state_label": lifecycle.state_label(project, t.to_state),
            "reason": t.reason,
            "document": _document(t.document_ref),
            "ledger_seq": t.ledger_seq,
        }
        for t in transitions
    ]
    return render(
        request,
        "projects_detail.html",
        page_title=project.name,
        project=project,
        row=project_row(project, names),
        pack_name=_pack_name(project),
        timeline=timeline,
        actions=_actions(project, principal),
        sealed_bidding=_sealed_bidding(project, principal),
        here=f"/projects/{project.id}",
        amend_url=f"/projects/{project.id}/notices/{first_notice}/amend" if first_notice else None,
        section_lines=section_details.details(session, list(project.sections)),
        item_catalogue=classification.catalogue(),
        domain_links=project_links.links(session, principal, project),
    )


__all__ = ["router", "latest_public", "green_count", "project_row"]
