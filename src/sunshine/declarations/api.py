"""JSON routes of declarations of no interest: the drafting staff of a project and whether each has declared;
an agency user draws up their own declaration (signed then through the seals routes)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.declarations import service
from sunshine.declarations.schemas import DeclarationOut, DeclarationsOut, StaffOut
from sunshine.identity.roles import Role
from sunshine.trading import visibility

router = APIRouter(prefix="/api/v1/projects", tags=["无利害关系声明"])
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
AGENCY = Depends(Access(Role.AGENCY))


def declarations_out(session: Session, principal: Principal, project_id: int) -> DeclarationsOut:
    project = visibility.get_visible(session, principal, project_id)
    if not (visibility.is_party(principal, project) or principal.has(*service.READERS)):
        raise NotFound("项目不存在")
    return DeclarationsOut(
        project_id=project.id,
        required=project.agency_id is not None and service.required(session),
        basis=service.BASIS,
        staff=[
            StaffOut(
                user_id=s.user_id,
                name=s.name,
                declaration_id=s.declaration.id if s.declaration else None,
                declared=s.declared,
                sealed_at=s.seal.sealed_at if s.seal else None,
                verify_url=f"/verify/{s.seal.code}" if s.seal else None,
            )
            for s in service.status(session, project)
        ],
    )


@router.get("/{project_id}/declarations", response_model=DeclarationsOut, summary="编制人员无利害关系声明情况")
def list_declarations(project_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> DeclarationsOut:
    return declarations_out(session, principal, project_id)


@router.post(
    "/{project_id}/declarations", response_model=DeclarationOut, status_code=201, summary="起草本人的无利害关系声明"
)
def draw_up(project_id: Id, session: Session = SessionDep, principal: Principal = AGENCY) -> DeclarationOut:
    row = service.draw_up(session, principal, project_id)
    return DeclarationOut(
        id=row.id,
        project_id=row.project_id,
        statement=row.statement,
        seal_url=f"/seals/{service.KIND}/{row.id}",
    )
