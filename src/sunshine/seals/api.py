"""JSON routes of seals: a document ready to seal (its hash and the message to sign), sealing it, and the
public verification of a seal by its code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.identity.roles import Role
from sunshine.seals import registry, service, verification
from sunshine.seals.models import DocumentSeal
from sunshine.seals.schemas import CheckOut, DocumentOut, SealIn, SealOut, VerificationOut

router = APIRouter(prefix="/api/v1/seals", tags=["电子签章"])
PUBLIC = Depends(Access.public())
SEALERS = Depends(Access(Role.SIGNER, Role.AGENCY))
Kind = Annotated[str, Path(min_length=1, max_length=40, pattern="^[a-z_]+$", description="文书类别")]
Code = Annotated[str, Path(min_length=1, max_length=32, pattern="^[A-Za-z0-9_-]+$", description="签章验证码")]


def seal_out(session: Session, row: DocumentSeal) -> SealOut:
    org = service.organisation_of(session, row)
    return SealOut(
        code=row.code,
        kind=row.kind,
        kind_label=registry.label(row.kind),
        document_id=row.document_id,
        document_sha256=row.document_sha256,
        title=row.title,
        number=row.number,
        organisation=org.name,
        organisation_credit_code=org.credit_code,
        algorithm=verification.algorithm_label(row.algorithm),
        key_fingerprint=row.key_fingerprint,
        signature=row.signature,
        sealed_at=row.sealed_at,
        ledger_seq=row.ledger_seq,
        verify_url=f"/verify/{row.code}",
    )


def verification_out(session: Session, row: DocumentSeal) -> VerificationOut:
    report, proof = verification.verify(session, row)
    rendered = report.rendered
    credit_code = rendered.issuer_credit_code if rendered else service.organisation_of(session, row).credit_code
    return VerificationOut(
        ok=report.ok,
        seal=seal_out(session, row),
        checks=[CheckOut(key=c.key, label=c.label, ok=c.ok, detail=c.detail) for c in report.checks],
        message=registry.seal_message(row.kind, row.document_id, row.document_sha256, credit_code).decode(),
        public_key=report.key.public_key if report.key is not None else None,
        algorithm=row.algorithm,
        document_public=bool(rendered and rendered.public),
        document_url=f"/verify/{row.code}/document.txt" if rendered and rendered.public else None,
        proof=proof,
    )


@router.get("/verify/{code}", response_model=VerificationOut, summary="验证签章（公开）")
def verify(code: Code, session: Session = SessionDep, _: Principal = PUBLIC) -> VerificationOut:
    return verification_out(session, service.by_code(session, code))


@router.get("/{kind}/{document_id}", response_model=DocumentOut, summary="待签章文书：摘要与签章消息")
def document(kind: Kind, document_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC) -> DocumentOut:
    prepared = service.prepare(session, principal, kind, document_id)
    r = prepared.rendered
    return DocumentOut(
        kind=kind,
        kind_label=prepared.kind.label,
        document_id=document_id,
        title=r.title,
        number=r.number,
        issuer=r.issuer_name,
        issuer_credit_code=r.issuer_credit_code,
        sha256=prepared.sha256,
        message=prepared.message,
        may_seal=prepared.may_seal,
        seals=[seal_out(session, s) for s in prepared.seals],
    )


@router.post("/{kind}/{document_id}", response_model=SealOut, status_code=201, summary="签章（签章人）")
def seal(
    kind: Kind, document_id: Id, body: SealIn, session: Session = SessionDep, principal: Principal = SEALERS
) -> SealOut:
    row = service.seal(
        session,
        principal,
        kind,
        document_id,
        key_id=body.key_id,
        document_sha256=body.document_sha256,
        signature=body.signature,
    )
    return seal_out(session, row)
