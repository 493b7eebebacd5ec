"""Bulk downloads (批量下载): releases and records as gzip-compressed JSON Lines (one release or record per line),
the whole set and one file per day, and the main tables (projects, notices, results, contracts) as CSV and xlsx.
Each file is written as a stream — rows read through server-side cursors (``yield_per``), compressed and hashed
as they go, never held whole in memory — moved into the file store under its SHA-256, and fixed by one ledger
entry (``opendata:dump``) with its name, size, row count and hash."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import NotFound
from sunshine.core.filestore import file_store
from sunshine.ledger import service as ledger
from sunshine.opendata import facts, ocds, reading
from sunshine.opendata.models import OpenDump, OpenRelease
from sunshine.trading.labels import method_label, type_label
from sunshine.trading.lifecycle import STATES
from sunshine.trading.models import Notice, Project
from sunshine.trading.notice_kinds import KIND_LABELS

YIELD = 1000
JSON_DATASETS = ("releases", "records")
TABLES: dict[str, str] = {"projects": "交易项目", "notices": "公告", "results": "中标（成交）结果", "contracts": "合同"}
DATASET_LABELS = {"releases": "OCDS 发布（releases）", "records": "OCDS 记录（records，含汇编发布）", **TABLES}


class _HashingWriter(io.RawIOBase):
    """A binary sink that hashes and counts what passes into the file under it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.hash, self.size = raw, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.hash.update(data)
        self.size += len(data)
        self.raw.write(data)
        return len(data)


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    size: int
    rows: int


def _tmp() -> tuple[IO[bytes], Path]:
    store_root = getattr(file_store(), "root", None)
    folder = Path(store_root) / "tmp" if store_root else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="opendata-")
    return os.fdopen(fd, "wb"), Path(name)


def write_jsonl_gz(lines: Iterable[str], out: IO[bytes]) -> tuple[str, int, int]:
    """``lines`` (JSON texts) as gzip JSON Lines into ``out``: (sha256, size, rows)."""
    sink = _HashingWriter(out)
    rows = 0
    # mtime 0: the same content gives the same file, so the same hash
    with gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=6, mtime=0) as gz:
        buffer: list[bytes] = []
        for line in lines:
            buffer.append(line.encode() + b"\n")
            rows += 1
            if len(buffer) >= 256:
                gz.write(b"".join(buffer))
                buffer.clear()
        if buffer:
            gz.write(b"".join(buffer))
    return sink.hash.hexdigest(), sink.size, rows


def _file(write: Any) -> Written:
    out, path = _tmp()
    try:
        with out:
            digest, size, rows = write(out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Written(path, digest, size, rows)


# --------------------------------------------------------------------------- what goes in


def _window(day: date | None) -> tuple[datetime, datetime] | None:
    """The local day ``day`` as a UTC interval [start, end)."""
    if day is None:
        return None
    start = datetime.combine(day, time(0), tzinfo=get_settings().tz)
    return start, start + timedelta(days=1)


def release_lines(session: Session, day: date | None = None) -> Iterator[str]:
    """Every stored release (or those that entered open data on ``day``), in order, streamed."""
    stmt = select(OpenRelease.data).order_by(OpenRelease.id)
    if (window := _window(day)) is not None:
        stmt = stmt.where(OpenRelease.created_at >= window[0], OpenRelease.created_at < window[1])
    yield from session.execute(stmt.execution_options(yield_per=YIELD)).scalars()


def record_lines(session: Session, day: date | None = None) -> Iterator[str]:
    """Every record (or those with a release that entered open data on ``day``), compiled and streamed."""
    ocids = None
    if (window := _window(day)) is not None:
        ocids = list(
            session.scalars(
                select(OpenRelease.ocid)
                .where(OpenRelease.created_at >= window[0], OpenRelease.created_at < window[1])
                .group_by(OpenRelease.ocid)
                .order_by(OpenRelease.ocid)
            )
        )
    yield from reading.iter_record_texts(session, ocids=ocids)


def _releases_of_tag(session: Session, tag: str) -> Iterator[dict[str, Any]]:
    stmt = select(OpenRelease.data).where(OpenRelease.tag == tag).order_by(OpenRelease.id)
    for data in session.execute(stmt.execution_options(yield_per=YIELD)).scalars():
        yield json.loads(data)


def table_rows(session: Session, table: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows of one of the main tables (public data only)."""
    if table == "projects":
        header = [
            "统一交易标识码",
            "ocid",
            "项目名称",
            "交易类型",
            "交易方式",
            "预算（元）",
            "行政区划代码",
            "状态",
            "公开时间",
        ]
        stmt = select(Project).where(facts.public_projects()).order_by(Project.id)

        def projects() -> Iterator[list[Any]]:
            for p in session.execute(stmt.execution_options(yield_per=YIELD)).scalars():
                yield [
                    p.code,
                    ocds.ocid_of(p.code),
                    p.name,
                    type_label(p.transaction_type),
                    method_label(p.method),
                    f"{p.budget:.2f}",
                    p.region_code,
                    STATES.get(p.state, p.state),
                    ocds.iso(p.public_since),
                ]

        return header, projects()
    if table == "notices":
        header = ["公告编号", "统一交易标识码", "公告类型", "标题", "发布时间", "地址"]
        stmt = (
            select(Notice.id, Project.code, Notice.kind, Notice.title, Notice.published_at)
            .join(Project, Notice.project_id == Project.id)
            .where(facts.public_projects())
            .order_by(Notice.id)
        )

        def notices() -> Iterator[list[Any]]:
            for nid, code, kind, title, at in session.execute(stmt.execution_options(yield_per=YIELD)):
                yield [nid, code, KIND_LABELS.get(kind, kind), title, ocds.iso(at), f"{ocds.site()}/notices/{nid}"]

        return header, notices()
    if table == "results":
        header = [
            "ocid",
            "统一交易标识码",
            "标段（包）",
            "中标（成交）人",
            "统一社会信用代码",
            "金额（元）",
            "确定时间",
        ]

        def results() -> Iterator[list[Any]]:
            for release in _releases_of_tag(session, "award"):
                code = release["publicResourceTrading"]["transactionCode"]
                for a in release.get("awards", []):
                    s = a["suppliers"][0]
                    yield [
                        release["ocid"],
                        code,
                        a["relatedLots"][0],
                        s["name"],
                        s["id"].removeprefix(f"{ocds.ORG_SCHEME}-"),
                        f"{a['value']['amount']:.2f}",
                        a.get("date", ""),
                    ]

        return header, results()
    if table == "contracts":
        header = ["ocid", "统一交易标识码", "合同编号", "合同名称", "金额（元）", "签订时间"]

        def contracts() -> Iterator[list[Any]]:
            for release in _releases_of_tag(session, "contract"):
                code = release["publicResourceTrading"]["transactionCode"]
                for c in release.get("contracts", []):
                    yield [release["ocid"], code, c["id"], c["title"], f"{c['value']['amount']:.2f}", c["dateSigned"]]

        return header, contracts()
    raise ValueError(f"unknown table {table}")


def write_csv(header: list[str], rows: Iterable[list[Any]], out: IO[bytes]) -> tuple[str, int, int]:
    """UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese), streamed."""
    sink = _HashingWriter(out)
    text = io.TextIOWrapper(sink, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    text.flush()
    text.detach()
    return sink.hash.hexdigest(), sink.size, n


def write_xlsx(title: str, header: list[str], rows: Iterable[list[Any]], out: IO[bytes]) -> tuple[str, int, int]:
    """openpyxl's write-only workbook (rows go to a temporary file as they come), then hashed into ``out``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    n = 0
    for row in rows:
        sheet.append(row)
        n += 1
    sink = _HashingWriter(out)
    book.save(sink)
    return sink.hash.hexdigest(), sink.size, n


# --------------------------------------------------------------------------- making the downloads


def _register(session: Session, dataset: str, scope: str, fmt: str, written: Written) -> OpenDump:
    file_store().put_file(written.path, written.sha256)
    filename = f"{dataset}-{scope}.{fmt}"
    entry = ledger.append(
        session,
        "opendata:dump",
        f"opendata:{dataset}:{scope}",
        {"file": filename, "sha256": written.sha256, "size": written.size, "rows": written.rows},
    )
    dump = OpenDump(
        dataset=dataset,
        scope=scope,
        fmt=fmt,
        filename=filename,
        sha256=written.sha256,
        size=written.size,
        rows=written.rows,
        ledger_seq=entry.seq,
        created_at=clock.now(),
    )
    session.add(dump)
    session.flush()
    return dump


def dump_json(session: Session, dataset: str, day: date | None = None) -> OpenDump:
    """The gzip JSON Lines download of ``dataset`` (releases | records), full or of one day."""
    lines = release_lines(session, day) if dataset == "releases" else record_lines(session, day)
    written = _file(lambda out: write_jsonl_gz(lines, out))
    return _register(session, dataset, day.isoformat() if day else "full", "jsonl.gz", written)


def dump_table(session: Session, table: str, fmt: str) -> OpenDump:
    header, rows = table_rows(session, table)
    if fmt == "csv":
        written = _file(lambda out: write_csv(header, rows, out))
    else:
        written = _file(lambda out: write_xlsx(TABLES[table], header, rows, out))
    return _register(session, table, "full", fmt, written)


def make_all(session: Session, day: date | None = None) -> list[OpenDump]:
    """The daily downloads of ``day`` (default: yesterday, local time) and the full ones, unless already made
    for that day (idempotent per day)."""
    day = day or clock.today_local() - timedelta(days=1)
    since = datetime.combine(day + timedelta(days=1), time(0), tzinfo=get_settings().tz)
    made = set(
        session.execute(select(OpenDump.dataset, OpenDump.scope, OpenDump.fmt).where(OpenDump.created_at >= since))
    )
    out = []
    for dataset in JSON_DATASETS:
        if (dataset, day.isoformat(), "jsonl.gz") not in made:
            out.append(dump_json(session, dataset, day))
        if (dataset, "full", "jsonl.gz") not in made:
            out.append(dump_json(session, dataset))
    for table in TABLES:
        for fmt in ("csv", "xlsx"):
            if (table, "full", fmt) not in made:
                out.append(dump_table(session, table, fmt))
    return out


def daily_due(session: Session) -> list[OpenDump]:
    """The tick's part: the day's downloads once per local day, and only when releases entered open data since the
    last full download (an idle platform makes no new files and no new ledger entries)."""
    last = session.scalar(
        select(OpenDump.created_at).where(OpenDump.scope == "full").order_by(OpenDump.id.desc()).limit(1)
    )
    if last is not None and last.astimezone(get_settings().tz).date() >= clock.today_local():
        return []
    newer = select(OpenRelease.id).limit(1)
    if last is not None:
        newer = newer.where(OpenRelease.created_at > last)
    if session.scalar(newer) is None:
        return []
    return make_all(session)


def latest(session: Session) -> list[OpenDump]:
    """The newest download of each dataset, scope and format, for the 数据开放 page and the API."""
    rows = session.scalars(select(OpenDump).order_by(OpenDump.id.desc()).limit(500))
    seen: dict[tuple[str, str, str], OpenDump] = {}
    for row in rows:
        key = (row.dataset, "daily" if row.scope != "full" else "full", row.fmt)
        if key not in seen:
            seen[key] = row
    return sorted(seen.values(), key=lambda d: (list(DATASET_LABELS).index(d.dataset), d.scope != "full", d.fmt))


def get_dump(session: Session, filename: str) -> OpenDump:
    row = session.scalar(select(OpenDump).where(OpenDump.filename == filename).order_by(OpenDump.id.desc()).limit(1))
    if row is None:
        raise NotFound("下载文件不存在")
    return row
