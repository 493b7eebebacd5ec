"""What declarations plug in at ``domains.install()``: the declaration as a sealable document (signed by its
author with their own key) and the hook that holds back an agency project's first notice until its drafting
staff have declared."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.declarations import service
from sunshine.declarations.models import InterestDeclaration
from sunshine.identity.models import Organisation
from sunshine.ledger import format as fmt
from sunshine.seals import registry
from sunshine.trading import lifecycle
from sunshine.trading.models import Project


def render_declaration(session: Session, declaration_id: int) -> registry.Rendered:
    row = session.get(InterestDeclaration, declaration_id)
    if row is None:
        raise NotFound("声明不存在")
    project = session.get(Project, row.project_id)
    agency = session.get(Organisation, row.organisation_id)
    return registry.Rendered(
        kind=service.KIND,
        document_id=row.id,
        title=f"{project.name}无利害关系声明",
        number=f"{project.code}-声明-{row.id}",
        issuer_id=agency.id,
        issuer_name=agency.name,
        issuer_credit_code=agency.credit_code,
        issued_at=fmt.iso_utc(row.created_at),
        body=row.statement,
        media_type="text/plain",
        public=False,
        signer_user_id=row.user_id,
        extra=(("project", f"{project.code} {project.name}"),),
    )


def may_read_declaration(session: Session, principal: Principal, declaration_id: int) -> bool:
    row = session.get(InterestDeclaration, declaration_id)
    project = session.get(Project, row.project_id) if row is not None else None
    return project is not None and service.may_read(principal, project, row)


def install() -> None:
    registry.register(
        registry.DocumentKind(
            service.KIND,
            "无利害关系声明",
            render_declaration,
            may_read_declaration,
            page=lambda session, declaration_id: _page(session, declaration_id),
        )
    )
    lifecycle.after_step(["publish_notice"], service.require_declarations)


def _page(session: Session, declaration_id: int) -> str | None:
    row = session.get(InterestDeclaration, declaration_id)
    return f"/projects/{row.project_id}/declarations" if row is not None else None
