"""What the archive routes answer: an archive with its manifest's hash and ledger entry, the records it lists,
and, before archiving, what the record would hold and what it still lacks."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RecordOut(BaseModel):
    path: str
    part: str
    kind: str
    label: str
    title: str
    sha256: str
    size: int
    ledger_seq: int | None
    at: str | None


class ArchiveOut(BaseModel):
    id: int
    project_id: int
    project_code: str
    project_name: str
    number: str
    state: str
    state_label: str
    manifest_sha256: str
    ledger_seq: int
    records: int
    total_bytes: int
    archived_at: datetime
    download: str


class ArchiveDetailOut(ArchiveOut):
    contents: list[RecordOut]


class MissingOut(BaseModel):
    part: str
    label: str
    item: str


class PreviewOut(BaseModel):
    project_id: int
    state: str
    state_label: str
    closable: bool
    why_not: str | None
    records: int
    total_bytes: int
    missing: list[MissingOut]
    contents: list[RecordOut]
