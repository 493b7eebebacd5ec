"""Export of the whole log as JSON Lines, and reading it back for verification.

Line 1 is a header with the log id and the public key; then one ``{"type": "entry", ...}`` line per
entry in sequence order; then one ``{"type": "head", ...}`` line per signed tree head. The format is
documented in docs/ledger.md.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.ledger import format as fmt
from sunshine.ledger.models import LedgerEntry, TreeHead
from sunshine.ledger.signing import SigningKey
from sunshine.ledger.verify import EntryRecord, HeadRecord, records_from_rows

FORMAT = "sunshine-ledger-export/1"
BATCH = 5000


def iter_db_entries(session: Session) -> Iterator[EntryRecord]:
    stmt = select(LedgerEntry).order_by(LedgerEntry.seq).execution_options(yield_per=BATCH)
    yield from records_from_rows(session.scalars(stmt))


def iter_db_heads(session: Session) -> Iterator[HeadRecord]:
    for head in session.scalars(select(TreeHead).order_by(TreeHead.size)):
        yield HeadRecord(head.size, head.root_hash, fmt.iso_utc(head.signed_at), head.key_id, head.signature)


def write_export(session: Session, key: SigningKey, out: IO[str], progress=None) -> int:
    header = {
        "type": "header",
        "format": FORMAT,
        "log_id": fmt.LOG_ID,
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(key.public_bytes).decode(),
        "key_id": key.key_id,
    }
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    count = 0
    for entry in iter_db_entries(session):
        out.write(json.dumps({
            "type": "entry",
            "seq": entry.seq,
            "kind": entry.kind,
            "subject": entry.subject,
            "payload": entry.payload,
            "payload_sha256": entry.payload_sha256,
            "recorded_at": entry.recorded_at,
            "leaf_hash": entry.leaf_hash,
        }, ensure_ascii=False) + "\n")
        count += 1
        if progress:
            progress(1)
    for head in iter_db_heads(session):
        out.write(json.dumps({"type": "head", **head.__dict__}) + "\n")
    return count


class ExportFile:
    """Reads an export: the header at once, entries and heads streamed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open(encoding="utf-8") as fh:
            first = fh.readline()
        try:
            header = json.loads(first)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} 不是留痕日志导出文件：首行不是 JSON") from exc
        if header.get("format") != FORMAT:
            raise ValueError(f"{path} 不是留痕日志导出文件（格式应为 {FORMAT}）")
        self.public_key = base64.b64decode(header["public_key"])

    def _lines(self, kind: str) -> Iterator[dict]:
        with self.path.open(encoding="utf-8") as fh:
            fh.readline()
            for number, line in enumerate(fh, start=2):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"第 {number} 行不是有效的 JSON") from exc
                if item.get("type") == kind:
                    yield item

    def entries(self) -> Iterator[EntryRecord]:
        for item in self._lines("entry"):
            yield EntryRecord(item["seq"], item["kind"], item["subject"], item["payload"],
                              item["payload_sha256"], item["recorded_at"], item.get("leaf_hash"))

    def heads(self) -> list[HeadRecord]:
        return [HeadRecord(i["size"], i["root_hash"], i["signed_at"], i["key_id"], i["signature"])
                for i in self._lines("head")]
