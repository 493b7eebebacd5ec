"""Dumping and restoring the database for ``sunshine backup`` / ``sunshine restore``.

SQLite is copied with its online backup API: one step copies every page under a read lock of the WAL,
so the copy is a consistent snapshot while the server keeps writing. PostgreSQL is dumped with
``pg_dump`` in its custom format, restored with ``pg_restore`` in one transaction. The facts the manifest
records (the latest signed tree head, the schema revision, the ledger's size) are read from the very
snapshot that is dumped: the SQLite copy itself, or on PostgreSQL the exported snapshot ``pg_dump`` is
told to use.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from glob import glob
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from sunshine.db import Database

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
PG_TOOL_SECONDS = 3600


class BackupError(Exception):
    """A backup or a restore refused or failed; the message is shown to the operator as it is."""


def facts_of(connection: Connection) -> dict[str, Any]:
    """What the manifest records of a database snapshot: schema revision, ledger size and signed head."""
    from alembic.runtime.migration import MigrationContext

    from sunshine.ledger import service as ledger

    revisions = sorted(MigrationContext.configure(connection).get_current_heads())
    session = Session(bind=connection)
    head = ledger.latest_head(session)
    return {
        "schema_revisions": revisions,
        "ledger_size": ledger.size(session),
        "signed_head": head.as_dict() if head is not None else None,
    }


# --------------------------------------------------------------------------------------------------- SQLite


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复")
    return Path(database)


def dump_sqlite(db: Database, out: Path) -> dict[str, Any]:
    """The database copied page by page into ``out`` (a self-contained file, no WAL); its facts."""
    source = sqlite_path(db.url)
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}")
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(out)) as dst:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)  # pages=-1: all of it in one step, one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # a single file, whatever mode the source ran in
    fsync_file(out)
    engine = create_engine(f"sqlite:///{out}", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return facts_of(connection)
    finally:
        engine.dispose()


def sqlite_is_empty(url: str) -> bool:
    path = sqlite_path(url)
    if not path.exists() or path.stat().st_size == 0:
        return not any(Path(f"{path}{side}").exists() for side in SQLITE_SIDE_FILES)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def restore_sqlite(dump: Path, url: str) -> None:
    """The dump copied into place through a temporary file beside it, made durable, then renamed."""
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    for side in SQLITE_SIDE_FILES:  # an empty database may have left these
        Path(f"{target}{side}").unlink(missing_ok=True)
    tmp = target.with_name(f".restoring-{target.name}")
    tmp.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as src, closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
        fsync_file(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target.parent)


# ----------------------------------------------------------------------------------------------- PostgreSQL


def pg_tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: on the PATH, or in Debian's versioned folder (the newest)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return candidates[-1]
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（Debian：apt-get install postgresql-client）")


def _libpq(url: str | URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment carrying it (not on the command line)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TOOL_SECONDS)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what}超时（{PG_TOOL_SECONDS} 秒）") from None
    if done.returncode != 0:
        raise BackupError(
            f"{what}失败（{Path(command[0]).name} 退出码 {done.returncode}）：{done.stderr.strip()[-2000:]}"
        )


def dump_postgres(db: Database, out: Path) -> dict[str, Any]:
    """``pg_dump --format=custom`` of the snapshot a REPEATABLE READ transaction exports; its facts read
    in that same transaction, kept open until the dump is done."""
    uri, env = _libpq(db.url)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            facts = facts_of(connection)
            command = [pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={out}", uri]
            _run(command, env, "pg_dump 导出数据库")
    fsync_file(out)
    return facts


def postgres_is_empty(url: str) -> bool:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            count = connection.execute(
                text(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
                    "AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return count == 0


def restore_postgres(dump: Path, url: str) -> None:
    """``pg_restore`` in one transaction (all or nothing); objects owned by the restoring user."""
    uri, env = _libpq(url)
    command = [
        pg_tool("pg_restore"),
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={uri}",
        str(dump),
    ]
    _run(command, env, "pg_restore 恢复数据库")


# ------------------------------------------------------------------------------------------------- dispatch


def dump(db: Database, folder: Path) -> tuple[str, dict[str, Any]]:
    """The database dumped into ``folder``; the dump's file name and the snapshot's facts."""
    name, dumper = _by_dialect(db.dialect, (SQLITE_FILE, dump_sqlite), (POSTGRES_FILE, dump_postgres))
    return name, dumper(db, folder / name)


def is_empty(url: str) -> bool:
    check = _by_dialect(make_url(url).get_backend_name(), sqlite_is_empty, postgres_is_empty)
    return check(url)


def restore(dialect: str, dump_file: Path, url: str) -> None:
    restorer = _by_dialect(dialect, restore_sqlite, restore_postgres)
    restorer(dump_file, url)


def _by_dialect(dialect: str, for_sqlite, for_postgres) -> Any:
    if dialect == "sqlite":
        return for_sqlite
    if dialect == "postgresql":
        return for_postgres
    raise BackupError(f"不支持的数据库：{dialect}（支持 SQLite 与 PostgreSQL）")


def fsync_file(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
