"""The project record (项目档案): what each domain contributes to a project's archive, registered by the domains
at ``domains.install()`` — the kernel knows no such domain. A source answers, for one project, the documents and
records it holds (each with its exact bytes or its file in the file store, its SHA-256 and its ledger entry where
it has one) and what is still missing before the record is complete (an unsigned contract, a refund not paid, a
publication owed). The archives domain asks every source, in the order they were registered, lists what they
return in the archive manifest and refuses to close a project while anything is missing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sunshine.trading.models import Project


@dataclass(frozen=True)
class Record:
    """One document or record of the project. Either ``data`` (its exact bytes, small: a text the domain
    stores in its tables) or ``stored`` (the SHA-256 under which the file store keeps it: bids, attachments).
    ``recorded_sha256`` is the hash the domain itself recorded (and put in the ledger), when it has one: the
    archive checks the bytes against it before listing them."""

    kind: str  # e.g. "notice", "bid", "evaluation_report"
    label: str  # Chinese: 公告, 投标文件（密文）, 评标报告 …
    title: str
    filename: str  # its name in the archive, unique within the source (e.g. "notice-12.html")
    media_type: str = "application/octet-stream"
    data: bytes | None = None
    stored: str | None = None
    recorded_sha256: str | None = None
    ledger_seq: int | None = None
    at: str | None = None  # ISO moment the record was made or published

    @property
    def sha256(self) -> str:
        if self.data is not None:
            return hashlib.sha256(self.data).hexdigest()
        return self.stored or ""


@dataclass
class Contribution:
    records: list[Record] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # what the record still lacks, in Chinese, one line each


# (session, project) -> Contribution
Source = Callable[[Session, Project], Contribution]
_sources: list[tuple[str, str, Source]] = []


def record_source(name: str, label: str, source: Source) -> Source:
    """Add a domain's source of archive records (idempotent by name); ``label`` is the part's Chinese name."""
    if not any(n == name for n, _, _ in _sources):
        _sources.append((name, label, source))
    return source


def sources() -> list[tuple[str, str, Source]]:
    return list(_sources)


def json_bytes(data: Any) -> bytes:
    """A record's canonical JSON (sorted keys, UTF-8, no spaces): the same bytes every time."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def safe_name(name: str) -> str:
    """A stored file's name made safe as a path inside an archive (no folders, no control characters)."""
    cleaned = "".join(c if c.isprintable() and c not in '/\\:*?"<>|' else "_" for c in name).strip(". ")
    return cleaned[:120] or "file"
