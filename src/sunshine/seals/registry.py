"""The sealable documents: a domain registers each kind of document it issues (how to render its canonical
bytes, its title, which organisation issues it, who may read it), at ``domains.install()``. This layer knows
no domain; the domains plug in here, so a notice, an opening record or a reply letter is sealed and verified
by the same code.

The canonical bytes of a document are a UTF-8 text (docs/seals.md): a header of ``name: value`` lines, a blank
line, and the body exactly as the domain stores it (a notice's sanitised HTML, an opening record's canonical
JSON). It is rebuilt from stored, never-rewritten rows, so a fresh rendering at verification gives the same
bytes, and any change of the stored document changes its SHA-256.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound

FORMAT = "sunshine-document/1"
MESSAGE_FORMAT = "sunshine-seal/1"


@dataclass(frozen=True)
class Rendered:
    """One document as it is sealed: its header fields, its body and who issues it."""

    kind: str
    document_id: int
    title: str
    number: str  # 文书编号 as the domain numbers it
    issuer_id: int  # the organisation whose signer seals it
    issuer_name: str
    issuer_credit_code: str
    issued_at: str  # ISO date or moment, as the domain records it
    body: str
    media_type: str = "text/html"  # what the body is: text/html, application/json or text/plain
    public: bool = True  # the verification page may show the text to anyone
    signer_user_id: int | None = None  # a personal document: only this user signs it (a declaration)
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # further header lines, in order

    def canonical(self) -> bytes:
        """The exact bytes that are hashed and sealed."""
        header = [
            ("format", FORMAT),
            ("kind", self.kind),
            ("id", str(self.document_id)),
            ("number", self.number),
            ("title", self.title),
            ("issuer", self.issuer_name),
            ("issuer_credit_code", self.issuer_credit_code),
            ("issued_at", self.issued_at),
            ("media_type", self.media_type),
            *self.extra,
        ]
        lines = [f"{name}: {_one_line(value)}" for name, value in header]
        body = _normalised(self.body)
        return ("\n".join(lines) + "\n\n" + body + ("" if body.endswith("\n") else "\n")).encode("utf-8")

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _one_line(value: str) -> str:
    return " ".join(_normalised(str(value)).split())


def seal_message(kind: str, document_id: int, sha256: str, credit_code: str) -> bytes:
    """What a seal's signature covers: ``sunshine-seal/1|{kind}|{id}|{sha256}|{issuer credit code}`` in UTF-8.
    The prefix separates it from every other signature a key makes (bids, tree heads)."""
    return f"{MESSAGE_FORMAT}|{kind}|{document_id}|{sha256}|{credit_code}".encode()


Renderer = Callable[[Session, int], Rendered]
Reader = Callable[[Session, Principal, int], bool]


@dataclass(frozen=True)
class DocumentKind:
    """A kind of sealable document a domain registered."""

    key: str  # notice, opening_record, reply_letter, interest_declaration
    label: str  # 交易公告, 开标记录, ...
    render: Renderer  # raises NotFound when the document does not exist (or is not yet issued)
    may_read: Reader  # whether the viewer may read the document itself (else 404)
    page: Callable[[Session, int], str | None] = lambda session, document_id: None  # where the portal shows it


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add a kind; the domain's ``install`` calls it once per process (a second call replaces the first)."""
    KINDS[kind.key] = kind
    return kind


def get(key: str) -> DocumentKind:
    kind = KINDS.get(key)
    if kind is None:
        raise NotFound("没有这类可签章的文书")
    return kind


def label(key: str) -> str:
    kind = KINDS.get(key)
    return kind.label if kind else "文书"
