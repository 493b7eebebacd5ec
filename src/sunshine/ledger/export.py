"""Export of the whole log as JSON Lines, and reading it back for verification.

Line 1 is a header with the log id and the public key; then one ``{"type": "entry", ...}`` line per
entry in sequence order; then one ``{"type": "head", ...}`` line per signed tree head. The format is
documented in docs/ledger.md.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.ledger import format as fmt
from sunshine.ledger.models import LedgerEntry, TreeHead
from sunshine.ledger.signing import SigningKey
from sunshine.ledger.verify import HeadRecord

FORMAT = "sunshine-ledger-export/1"
BATCH = 5000


# The timestamp rendered by the database itself exactly as ``fmt.iso_utc`` writes it, so that no datetime object is
# made and formatted again per entry (that alone cost more than the hashing). SQLite stores UTC as
# ``YYYY-MM-DD HH:MM:SS.ffffff`` (SQLAlchemy's format, always six fractional digits); PostgreSQL renders it.
_RECORDED_AT_SQL = {
    "sqlite": "replace(recorded_at, ' ', 'T') || 'Z'",
    "postgresql": "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
}


def iter_db_entries(session: Session) -> Iterator[tuple]:
    """Every entry in sequence order as a plain tuple in ``EntryRecord``'s order, streamed.

    Read through the session's own DBAPI connection (same transaction): a server-side cursor on PostgreSQL,
    batches of rows on SQLite, no ORM objects, no SQLAlchemy rows, no datetime per entry — the verification
    then runs at the speed of its hashing (bench/ledger.py)."""
    connection = session.connection()
    dialect = connection.dialect.name
    rendered = _RECORDED_AT_SQL.get(dialect)
    if rendered is None:  # another database: through SQLAlchemy's types
        yield from _iter_db_entries_typed(session)
        return
    table = LedgerEntry.__table__.name
    sql = f"SELECT seq, kind, subject, payload, payload_sha256, {rendered}, leaf_hash FROM {table} ORDER BY seq"
    raw = connection.connection.dbapi_connection
    if dialect == "postgresql":
        cursor = raw.cursor(name="sunshine_ledger_entries")
        cursor.itersize = BATCH
        try:
            cursor.execute(sql)
            yield from cursor
        finally:
            cursor.close()
        return
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            yield from rows
    finally:
        cursor.close()


def _iter_db_entries_typed(session: Session) -> Iterator[tuple]:
    stmt = (
        select(
            LedgerEntry.seq,
            LedgerEntry.kind,
            LedgerEntry.subject,
            LedgerEntry.payload,
            LedgerEntry.payload_sha256,
            LedgerEntry.recorded_at,
            LedgerEntry.leaf_hash,
        )
        .order_by(LedgerEntry.seq)
        .execution_options(yield_per=BATCH)
    )
    iso = fmt.iso_utc
    for seq, kind, subject, payload, digest, recorded_at, leaf in session.connection().execute(stmt):
        yield (seq, kind, subject, payload, digest, iso(recorded_at), leaf)


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
    # Heads first: a head is only ever signed over committed entries, so every head read now is
    # covered by the entries read next, even on PostgreSQL (READ COMMITTED gives each statement its
    # own snapshot; reading entries first could pair them with a newer head that covers entries
    # the file does not contain).
    heads = list(iter_db_heads(session))
    count = 0
    for seq, kind, subject, payload, digest, recorded_at, leaf in iter_db_entries(session):
        out.write(
            json.dumps(
                {
                    "type": "entry",
                    "seq": seq,
                    "kind": kind,
                    "subject": subject,
                    "payload": payload,
                    "payload_sha256": digest,
                    "recorded_at": recorded_at,
                    "leaf_hash": leaf,
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        count += 1
        if progress:
            progress(1)
    for head in heads:
        out.write(json.dumps({"type": "head", **head.__dict__}) + "\n")
    return count


_ENTRY_FIELDS = {
    "seq": int,
    "kind": str,
    "subject": str,
    "payload": str,
    "payload_sha256": str,
    "recorded_at": str,
}
_HEAD_FIELDS = {"size": int, "root_hash": str, "signed_at": str, "key_id": str, "signature": str}


def _field(item: dict, name: str, kind: type, number: int):
    value = item.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        if name not in item:
            raise ValueError(f"第 {number} 行缺少字段 {name}")
        raise ValueError(f"第 {number} 行的字段 {name} 类型不正确")
    return value


class ExportFile:
    """Reads an export: the header at once, entries and heads streamed.

    Anything that is not a well-formed export (unreadable file, bad JSON, missing or mistyped
    fields) raises ``ValueError`` with a Chinese message naming the line, never another exception.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with path.open(encoding="utf-8") as fh:
                first = fh.readline()
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path} 不是留痕日志导出文件：不是 UTF-8 文本") from exc
        except OSError as exc:
            raise ValueError(f"无法读取 {path}：{exc.strerror or exc}") from exc
        try:
            header = json.loads(first)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} 不是留痕日志导出文件：首行不是 JSON") from exc
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(f"{path} 不是留痕日志导出文件（格式应为 {FORMAT}）")
        try:
            self.public_key = base64.b64decode(_field(header, "public_key", str, 1), validate=True)
        except binascii.Error as exc:
            raise ValueError("第 1 行的公钥不是有效的 Base64") from exc
        if len(self.public_key) != 32:
            raise ValueError("第 1 行的公钥不是 32 字节的 Ed25519 公钥")

    def _lines(self, kind: str) -> Iterator[tuple[int, dict]]:
        try:
            with self.path.open(encoding="utf-8") as fh:
                fh.readline()
                for number, line in enumerate(fh, start=2):
                    if line.startswith('{"type": "'):  # as write_export writes: skip other types unparsed
                        end = line.find('"', 10)
                        if end > 0 and line[10:end] != kind and "\\" not in line[10:end]:
                            continue
                    if not line.strip():
                        continue
                    try:
                        item = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ValueError(f"第 {number} 行不是有效的 JSON") from exc
                    if not isinstance(item, dict):
                        raise ValueError(f"第 {number} 行不是 JSON 对象")
                    if item.get("type") == kind:
                        yield number, item
        except UnicodeDecodeError as exc:
            raise ValueError(f"{self.path} 含有非 UTF-8 内容") from exc
        except OSError as exc:
            raise ValueError(f"无法读取 {self.path}：{exc.strerror or exc}") from exc

    def entries(self) -> Iterator[tuple]:
        """The entries as tuples in ``EntryRecord``'s order. One tight loop (no generator in between): parsing is
        most of a verification from a file, so it is done by orjson and checked with one test per line."""
        loads = orjson.loads
        try:
            with self.path.open(encoding="utf-8") as fh:
                fh.readline()
                for number, line in enumerate(fh, start=2):
                    try:
                        item = loads(line)
                    except orjson.JSONDecodeError as exc:
                        if not line.strip():
                            continue
                        raise ValueError(f"第 {number} 行不是有效的 JSON") from exc
                    if type(item) is not dict:
                        raise ValueError(f"第 {number} 行不是 JSON 对象")
                    get = item.get
                    if get("type") != "entry":
                        continue
                    seq, kind, subject, payload = get("seq"), get("kind"), get("subject"), get("payload")
                    digest, recorded_at, leaf = get("payload_sha256"), get("recorded_at"), get("leaf_hash")
                    # One cheap check per line (type(...) is int also refuses booleans); the precise message
                    # is only worked out when it fails.
                    if not (
                        type(seq) is int
                        and type(kind) is str
                        and type(subject) is str
                        and type(payload) is str
                        and type(digest) is str
                        and type(recorded_at) is str
                        and (leaf is None or type(leaf) is str)
                    ):
                        for name, expected in _ENTRY_FIELDS.items():
                            _field(item, name, expected, number)
                        raise ValueError(f"第 {number} 行的字段 leaf_hash 类型不正确")
                    yield (seq, kind, subject, payload, digest, recorded_at, leaf)
        except UnicodeDecodeError as exc:
            raise ValueError(f"{self.path} 含有非 UTF-8 内容") from exc
        except OSError as exc:
            raise ValueError(f"无法读取 {self.path}：{exc.strerror or exc}") from exc

    def heads(self) -> list[HeadRecord]:
        return [
            HeadRecord(*(_field(item, name, kind, number) for name, kind in _HEAD_FIELDS.items()))
            for number, item in self._lines("head")
        ]
