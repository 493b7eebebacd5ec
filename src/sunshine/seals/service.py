"""Sealing a document: the server renders it and shows its SHA-256 and the message to sign; a signer of the
issuing organisation signs the message in the browser with their own key (the private key never reaches the
server); the server checks the signature through ``signing.service.verify_signature``, stores the seal,
appends one ledger entry and signs a tree head, so the seal's inclusion proof is available at once. Never
commits.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.seals import registry
from sunshine.seals.models import DocumentSeal
from sunshine.signing import service as signing

LEDGER_KIND = "seals:document:sealed"
MAX_SIGNATURE = 400  # base64 of an Ed25519 (88) or SM2 DER (≤ 100) signature, with room to spare


class DocumentChanged(Conflict):
    code = "document_changed"
    title = "文书已变化，请重新签章"


class AlreadySealed(Conflict):
    code = "already_sealed"
    title = "该文书的这一版本已由本单位签章"


@dataclass(frozen=True)
class Prepared:
    """A document as its sealing page shows it: the rendering, its hash, the message a signer signs, its seals."""

    kind: registry.DocumentKind
    rendered: registry.Rendered
    sha256: str
    message: str
    seals: list[DocumentSeal]
    may_seal: bool


def readable(session: Session, principal: Principal, kind_key: str, document_id: int) -> registry.Rendered:
    """The document rendered afresh, if ``principal`` may read it (404 otherwise, as if it did not exist)."""
    kind = registry.get(kind_key)
    if not kind.may_read(session, principal, document_id):
        raise NotFound("文书不存在")
    return kind.render(session, document_id)


def may_seal(principal: Principal, rendered: registry.Rendered) -> bool:
    """A personal document (a declaration) is signed by its author only; an organisation's document by a
    signer (签章人) of the issuing organisation."""
    if principal.user_id is None:
        return False
    if rendered.signer_user_id is not None:
        return principal.user_id == rendered.signer_user_id
    return Role.SIGNER in principal.roles and principal.organisation_id == rendered.issuer_id


def message_of(rendered: registry.Rendered, sha256: str | None = None) -> bytes:
    return registry.seal_message(
        rendered.kind, rendered.document_id, sha256 or rendered.sha256(), rendered.issuer_credit_code
    )


def seals_of(session: Session, kind: str, document_id: int) -> list[DocumentSeal]:
    stmt = (
        select(DocumentSeal)
        .where(DocumentSeal.kind == kind, DocumentSeal.document_id == document_id)
        .order_by(DocumentSeal.id)
    )
    return list(session.scalars(stmt))


def prepare(session: Session, principal: Principal, kind_key: str, document_id: int) -> Prepared:
    rendered = readable(session, principal, kind_key, document_id)
    sha = rendered.sha256()
    return Prepared(
        registry.get(kind_key),
        rendered,
        sha,
        message_of(rendered, sha).decode(),
        seals_of(session, kind_key, document_id),
        may_seal(principal, rendered),
    )


def seal(
    session: Session,
    principal: Principal,
    kind_key: str,
    document_id: int,
    *,
    key_id: int,
    document_sha256: str,
    signature: str,
) -> DocumentSeal:
    """签章: put the issuing organisation's seal on the document as it is now."""
    rendered = readable(session, principal, kind_key, document_id)
    if not may_seal(principal, rendered):
        if rendered.signer_user_id is not None:
            raise Forbidden("这份声明只能由声明人本人签署")
        raise Forbidden(f"只有{rendered.issuer_name}的签章人可以为该文书签章")
    sha = rendered.sha256()
    if (document_sha256 or "").strip().lower() != sha:
        raise DocumentChanged("文书在签章页面打开后已变化，请刷新页面核对后重新签章", field="document_sha256")
    signature = (signature or "").strip()
    try:
        raw = base64.b64decode(signature, validate=True) if len(signature) <= MAX_SIGNATURE else b""
    except (binascii.Error, ValueError):
        raw = b""
    if not raw:
        raise InvalidInput("签名值应为 Base64 编码的签名", field="signature")
    existing = session.scalar(
        select(DocumentSeal.id).where(
            DocumentSeal.kind == kind_key,
            DocumentSeal.document_id == document_id,
            DocumentSeal.document_sha256 == sha,
            DocumentSeal.signer_id == principal.user_id,
        )
    )
    if existing is not None:
        raise AlreadySealed("您已为该文书的这一版本签章")
    key = signing.verify_signature(
        session,
        key_id=key_id,
        message=message_of(rendered, sha),
        signature=raw,
        organisation_id=rendered.issuer_id,
        user_id=principal.user_id,
    )
    now = clock.now()
    row = DocumentSeal(
        code=secrets.token_urlsafe(12),
        kind=kind_key,
        document_id=document_id,
        document_sha256=sha,
        title=rendered.title[:300],
        number=rendered.number[:100],
        organisation_id=rendered.issuer_id,
        key_id=key.id,
        algorithm=key.algorithm,
        key_fingerprint=key.fingerprint,
        signature=signature,
        signer_id=principal.user_id,
        sealed_at=now,
        ledger_seq=-1,
    )
    session.add(row)
    session.flush()
    entry = ledger.append(session, LEDGER_KIND, f"seal:{row.code}", ledger_payload(row, rendered))
    row.ledger_seq = entry.seq
    session.flush()
    ledger.sign_head(session)
    return row


def ledger_payload(row: DocumentSeal, rendered: registry.Rendered) -> dict:
    """What the ledger keeps of a seal: enough to check it without the database (no personal names)."""
    return {
        "seal": row.code,
        "kind": row.kind,
        "document": row.document_id,
        "document_sha256": row.document_sha256,
        "issuer_credit_code": rendered.issuer_credit_code,
        "algorithm": row.algorithm,
        "key_fingerprint": row.key_fingerprint,
        "signature": row.signature,
        "by": row.signer_id,
    }


def by_code(session: Session, code: str) -> DocumentSeal:
    row = session.scalar(select(DocumentSeal).where(DocumentSeal.code == code)) if 8 <= len(code) <= 32 else None
    if row is None:
        raise NotFound("没有这个签章验证码")
    return row


def organisation_of(session: Session, row: DocumentSeal) -> Organisation:
    return session.get(Organisation, row.organisation_id)
