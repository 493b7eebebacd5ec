"""Pages of seals: a document's sealing page (the document, its SHA-256, its seals with their QR codes, and for
a signer of the issuing organisation the panel that signs in the browser), and the public verification page
``/verify/<code>`` with the files a sealed document carries (canonical document, detached seal, sealed PDF, QR)."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.seals import copies, registry, service, verification
from sunshine.seals.models import DocumentSeal
from sunshine.signing import service as signing
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["电子签章"], include_in_schema=False)
PUBLIC = Depends(Access.public())
SEALERS = Depends(Access(Role.SIGNER, Role.AGENCY))
Kind = Annotated[str, Path(min_length=1, max_length=40, pattern="^[a-z_]+$")]
Code = Annotated[str, Path(min_length=1, max_length=32, pattern="^[A-Za-z0-9_-]+$")]


def verify_url(code: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/verify/{code}"


@router.get("/seals/{kind}/{document_id}", response_class=HTMLResponse)
def document_page(
    kind: Kind, document_id: Id, request: Request, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    prepared = service.prepare(session, principal, kind, document_id)
    keys = signing.active_keys(session, principal.user_id) if prepared.may_seal else []
    return render(
        request,
        "seals_document.html",
        page_title=f"{prepared.kind.label}签章：{prepared.rendered.title}",
        doc=prepared,
        text=copies.readable_text(prepared.rendered),
        page_link=prepared.kind.page(session, document_id),
        keys=keys,
        organisation_of=lambda row: service.organisation_of(session, row),
        algorithm_label=verification.algorithm_label,
        here=f"/seals/{kind}/{document_id}",
    )


@router.post("/seals/{kind}/{document_id}", response_class=HTMLResponse)
def seal_document(
    kind: Kind,
    document_id: Id,
    request: Request,
    key_id: Annotated[Id, Form()],
    document_sha256: Annotated[str, Form(max_length=64)] = "",
    signature: Annotated[str, Form(max_length=400)] = "",
    session: Session = SessionDep,
    principal: Principal = SEALERS,
) -> Response:
    def call() -> DocumentSeal:
        return service.seal(
            session,
            principal,
            kind,
            document_id,
            key_id=key_id,
            document_sha256=document_sha256,
            signature=signature,
        )

    return act(request, f"/seals/{kind}/{document_id}", call, lambda row: f"已签章，验证码 {row.code}")


def _verified(session: Session, code: str):
    row = service.by_code(session, code)
    report, proof = verification.verify(session, row)
    return row, report, proof


@router.get("/verify/{code}", response_class=HTMLResponse)
def verify_page(code: Code, request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    row, report, proof = _verified(session, code)
    org = service.organisation_of(session, row)
    rendered = report.rendered
    return render(
        request,
        "seals_verify.html",
        page_title="电子签章验证",
        seal=row,
        report=report,
        org=org,
        kind_label=registry.label(row.kind),
        algorithm_label=verification.algorithm_label(row.algorithm),
        document_public=bool(rendered and rendered.public),
        page_link=registry.KINDS[row.kind].page(session, row.document_id) if row.kind in registry.KINDS else None,
        has_proof=proof is not None,
    )


def _readable_document(session: Session, principal: Principal, row: DocumentSeal) -> registry.Rendered:
    kind = registry.KINDS.get(row.kind)
    if kind is None:
        raise NotFound("文书不存在")
    rendered = kind.render(session, row.document_id)
    if not rendered.public and not kind.may_read(session, principal, row.document_id):
        raise NotFound("文书不存在")
    return rendered


@router.get("/verify/{code}/document.txt")
def document_file(code: Code, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    """The canonical document as it is now (its SHA-256 is what the seal covers, if unchanged)."""
    rendered = _readable_document(session, principal, service.by_code(session, code))
    return Response(
        rendered.canonical(),
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="document-{code}.txt"'},
    )


@router.get("/verify/{code}/seal.json")
def seal_file(code: Code, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    """The detached seal (sunshine-seal/1)."""
    row = service.by_code(session, code)
    org = service.organisation_of(session, row)
    key = session.get(verification.SigningKey, row.key_id)
    data = copies.seal_file(row, org.name, org.credit_code, key.public_key if key else None, verify_url(code))
    return Response(
        copies.seal_file_bytes(data),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="seal-{code}.json"'},
    )


@router.get("/verify/{code}/sealed.pdf")
def sealed_pdf(code: Code, session: Session = SessionDep, principal: Principal = PUBLIC) -> Response:
    """The printable sealed copy (the text only where the document is public or the viewer may read it)."""
    row = service.by_code(session, code)
    kind = registry.KINDS.get(row.kind)
    if kind is None:
        raise NotFound("文书不存在")
    rendered = kind.render(session, row.document_id)
    if not rendered.public and kind.may_read(session, principal, row.document_id):
        rendered = dataclasses.replace(rendered, public=True)
    org = service.organisation_of(session, row)
    return Response(
        copies.sealed_pdf(rendered, row, org.name, verify_url(code)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="sealed-{code}.pdf"'},
    )


@router.get("/verify/{code}/qr.svg")
def qr_code(code: Code, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    row = service.by_code(session, code)
    return Response(copies.qr_svg(verify_url(row.code)), media_type="image/svg+xml")
