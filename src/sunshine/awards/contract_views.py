"""Pages of contracts: a project's contracts with the drafting form for the tenderer's side, one contract with
its text, hash and signatures, and signing it (each party by its own users, with a recently entered password:
a stale session is sent to the password page and back)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.awards import contracts as service
from sunshine.awards.contract_api import state_label
from sunshine.awards.models import AwardLetter
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Access, Principal, RecentAuth, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Project
from sunshine.web.refusals import refusals_back_to
from sunshine.web.templating import flash, redirect, render

router = APIRouter(tags=["合同"], include_in_schema=False)
SIGNED_IN = Depends(Access.signed_in())
DRAFTERS = Depends(Access(Role.AGENCY, Role.TENDERER))
SIGNERS = Depends(RecentAuth(Role.TENDERER, Role.BIDDER))


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all())


@router.get("/projects/{project_id}/contracts", response_class=HTMLResponse)
def project_page(project_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    project, rows = service.of_project(session, principal, project_id)
    drafted = {c.section_id for c in rows}
    open_sections = []
    if visibility.is_party(principal, project) and project.state == "awarded":
        awards = session.scalars(
            select(AwardLetter).where(AwardLetter.project_id == project.id, AwardLetter.kind == "award")
        )
        sections = {s.id: s for s in project.sections}
        open_sections = [(sections[a.section_id], a) for a in awards if a.section_id not in drafted]
    return render(
        request,
        "awards_contracts.html",
        page_title=f"合同：{project.name}",
        project=project,
        state_label=lifecycle.state_label(project, project.state),
        contracts=[(c, state_label(c)) for c in rows],
        names=_names(session, {c.winner_id for c in rows} | {a.organisation_id for _, a in open_sections}),
        open_sections=open_sections,
        basis=service.BASIS,
    )


@router.post("/projects/{project_id}/contracts", response_class=HTMLResponse)
def draft(
    project_id: Id,
    request: Request,
    section_id: Annotated[Id, Form()],
    term: str = Form(""),
    payment: str = Form(""),
    performance_security: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = DRAFTERS,
):
    with refusals_back_to(f"/projects/{project_id}/contracts"):
        contract = service.draft(
            session,
            principal,
            project_id,
            section_id,
            term=term,
            payment=payment,
            performance_security=performance_security or None,
        )
    flash(request, "success", "合同已起草，请甲乙双方核对后签署")
    return redirect(request, f"/contracts/{contract.id}")


@router.get("/contracts/{contract_id}", response_class=HTMLResponse)
def contract_page(contract_id: Id, request: Request, session: Session = SessionDep, principal: Principal = SIGNED_IN):
    contract = service.readable(session, principal, contract_id)
    project = session.get(Project, contract.project_id)
    as_tenderer = Role.TENDERER in principal.roles and principal.organisation_id == contract.tenderer_id
    as_winner = Role.BIDDER in principal.roles and principal.organisation_id == contract.winner_id
    may_sign = (as_tenderer and contract.tenderer_signed_at is None) or (
        as_winner and contract.winner_signed_at is None
    )
    return render(
        request,
        "awards_contract.html",
        page_title=f"{contract.title}（{contract.number}）",
        contract=contract,
        project=project,
        state_label=state_label(contract),
        may_sign=may_sign,
        filing=filing_view(session, principal, contract, project),
    )


def filing_view(session: Session, principal: Principal, contract, project: Project) -> dict | None:  # noqa: ANN001
    """合同备案 (procurement: 政府采购法 第四十七条): the deadline from the signing, its state, and whether the viewer
    (the purchaser or its agency) records it."""
    deadline = service.filing_deadline(session, contract)
    if deadline is None:
        return None
    today = clock.today_local()
    if contract.filed_at is not None:
        late = contract.filed_at.astimezone(get_settings().tz).date() > deadline.due
        state = "已备案（逾期）" if late else "已备案"
    else:
        state = "已逾期，尚未备案" if today > deadline.due else "待备案"
    return {
        "due": deadline.due,
        "days": deadline.days,
        "unit": "个工作日" if deadline.unit == "working" else "日",
        "start": deadline.start,
        "state": state,
        "overdue": contract.filed_at is None and today > deadline.due,
        "may_file": contract.filed_at is None and visibility.is_party(principal, project),
    }


@router.post("/contracts/{contract_id}/filing", response_class=HTMLResponse)
def filing(
    contract_id: Id,
    request: Request,
    reference: str = Form("", max_length=100),
    session: Session = SessionDep,
    principal: Principal = DRAFTERS,
):
    with refusals_back_to(f"/contracts/{contract_id}"):
        service.record_filing(session, principal, contract_id, reference=reference)
    flash(request, "success", "已登记合同备案")
    return redirect(request, f"/contracts/{contract_id}")


@router.post("/contracts/{contract_id}/sign", response_class=HTMLResponse)
def sign(
    contract_id: Id,
    request: Request,
    sha256: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SIGNERS,
):
    with refusals_back_to(f"/contracts/{contract_id}"):
        service.sign(session, principal, contract_id, sha256=sha256)
    flash(request, "success", "已签署合同")
    return redirect(request, f"/contracts/{contract_id}")
