"""The archive manifest (归档清单, format ``sunshine-project-archive-v1``): every document and record the domains
contribute to a project's record (``trading.records``), each with its path in the archive, its SHA-256, its size
and its ledger entry where it has one, as canonical JSON (sorted keys, UTF-8, no spaces). Building it checks each
record: a file the store does not hold, or bytes that do not match the hash the domain recorded, is reported as
missing rather than listed. Pure apart from reading the file store; never writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core.filestore import FileStore
from sunshine.ledger import format as ledger_format
from sunshine.trading import lifecycle, records
from sunshine.trading.models import Project

FORMAT = "sunshine-project-archive-v1"
MANIFEST_NAME = "manifest.json"


@dataclass
class Collected:
    """What the sources answered: the entries to list (with the bytes to store for inline records) and what is
    still missing, part by part."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    inline: dict[str, bytes] = field(default_factory=dict)  # sha256 -> bytes of records held in tables
    missing: list[dict[str, str]] = field(default_factory=list)  # {part, label, item}
    parts: list[dict[str, Any]] = field(default_factory=list)  # {name, label, records}

    @property
    def total_bytes(self) -> int:
        return sum(e["size"] for e in self.entries)


def collect(session: Session, project: Project, store: FileStore) -> Collected:
    """Ask every registered source for its records and what is missing; check each record's bytes."""
    out = Collected()
    seen: set[str] = set()
    for name, label, source in records.sources():
        contribution = source(session, project)
        count = 0
        for record in contribution.records:
            problem = _problem(record, store)
            if problem is not None:
                out.missing.append({"part": name, "label": label, "item": f"{record.label}“{record.title}”{problem}"})
                continue
            path = f"files/{name}/{record.filename}"
            if path in seen:
                continue
            seen.add(path)
            if record.data is not None:
                out.inline[record.sha256] = record.data
                size = len(record.data)
            else:
                size = store.size(record.sha256)
            out.entries.append(
                {
                    "path": path,
                    "part": name,
                    "kind": record.kind,
                    "label": record.label,
                    "title": record.title,
                    "media_type": record.media_type,
                    "sha256": record.sha256,
                    "size": size,
                    "ledger_seq": record.ledger_seq,
                    "at": record.at,
                }
            )
            count += 1
        out.missing.extend({"part": name, "label": label, "item": item} for item in contribution.missing)
        out.parts.append({"name": name, "label": label, "records": count})
    return out


def _problem(record: records.Record, store: FileStore) -> str | None:
    if record.data is None and not store.exists(record.stored or ""):
        return "的文件不在文件库中"
    if record.recorded_sha256 is not None and record.recorded_sha256 != record.sha256:
        return "的内容与登记的 SHA-256 不符"
    return None


def build(project: Project, collected: Collected, *, number: str, state: str, archived_at) -> bytes:  # noqa: ANN001
    """The manifest's canonical bytes."""
    manifest = {
        "format": FORMAT,
        "archive": number,
        "project": {
            "code": project.code,
            "name": project.name,
            "transaction_type": project.transaction_type,
            "lifecycle": project.lifecycle,
            "state": state,
            "state_label": lifecycle.state_label(project, state),
        },
        "archived_at": ledger_format.iso_utc(archived_at),
        "parts": collected.parts,
        "records": collected.entries,
        "totals": {"records": len(collected.entries), "bytes": collected.total_bytes},
        "hash": "sha256",
    }
    return records.json_bytes(manifest)


def parse(data: bytes) -> dict[str, Any]:
    """A manifest read back (the download and the verifier); ValueError if it is not one."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"归档清单不是有效的 JSON：{exc}") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("records"), list)
    ):
        raise ValueError(f"归档清单格式不正确（应为 {FORMAT}）")
    return manifest
