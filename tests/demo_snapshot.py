"""Demo snapshots: the database state and the data folder a demo load left, saved once per test worker and put
back in a second or two, so that the modules that need the whole demo do not each load it again (≈ 20–30 s each).

The database and the data folder are saved and restored together: the ledger's signed heads depend on the
folder's platform key, and the bids' ciphertexts live in its file store.

- SQLite: the sqlite3 backup API copies the whole database file to a file beside it, and back.
- PostgreSQL: each table the demo wrote is copied into a schema of its own (``CREATE TABLE … AS TABLE``);
  restoring wipes the tables (``tests.databases.wipe``), copies the rows back parents first and sets the id
  sequences to where the demo left them. That stays inside the worker's database, so no connection has to be
  closed (``CREATE DATABASE … TEMPLATE`` would need every connection to it gone, and pg_dump/pg_restore
  costs seconds of process start-up each way).
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

from sunshine.models import metadata
from tests.databases import _USED_SEQUENCES, BASELINE, _probe, wipe


@dataclass
class Snapshot:
    name: str  # also the PostgreSQL schema the rows are kept in
    folder: Path  # the copy of the data folder
    file: Path | None = None  # SQLite: the copy of the database
    tables: list[str] = field(default_factory=list)  # PostgreSQL: the tables copied, parents first
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)  # PostgreSQL: last_value, is_called
    taken: float = field(default_factory=time.monotonic)

    def age(self) -> float:
        return time.monotonic() - self.taken


def take(engine: Engine, data_dir: Path, store: Path, name: str) -> Snapshot:
    """Save the database of ``engine`` and the folder ``data_dir`` under ``store``, as ``name``."""
    folder = store / f"{name}-data"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(data_dir, folder, symlinks=True)
    snapshot = Snapshot(name, folder)
    if engine.dialect.name == "sqlite":
        snapshot.file = store / f"{name}.db"
        snapshot.file.unlink(missing_ok=True)
        with engine.connect() as conn:
            target = sqlite3.connect(snapshot.file)
            try:
                conn.connection.dbapi_connection.backup(target)
            finally:
                target.close()
        return snapshot
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        written = set(conn.scalars(_probe()))
        snapshot.tables = [t.name for t in metadata.sorted_tables if t.name in written]
        for sequence in conn.scalars(_USED_SEQUENCES):
            row = conn.execute(text(f"SELECT last_value, is_called FROM {quote(sequence)}")).one()
            snapshot.sequences[sequence] = (row[0], row[1])
        conn.execute(text(f"DROP SCHEMA IF EXISTS {quote(name)} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {quote(name)}"))
        for table in snapshot.tables:
            conn.execute(text(f"CREATE TABLE {quote(name)}.{quote(table)} AS TABLE {quote(table)}"))
    return snapshot


def restore(snapshot: Snapshot, engine: Engine, data_dir: Path) -> None:
    """Put the database of ``engine`` and the folder ``data_dir`` back in the state ``snapshot`` saved."""
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(snapshot.folder, data_dir, symlinks=True)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            source = sqlite3.connect(snapshot.file)
            try:
                source.backup(conn.connection.dbapi_connection)
            finally:
                source.close()
        return
    wipe(engine)
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        for table in snapshot.tables:
            if table in BASELINE:
                conn.execute(text(f"DELETE FROM {quote(table)}"))
            # generated columns (the site search's tsvector) are computed again, never copied
            columns = ", ".join(
                quote(c)
                for c in conn.scalars(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"
                    ),
                    {"t": table},
                )
            )
            conn.execute(
                text(
                    f"INSERT INTO {quote(table)} ({columns}) "
                    f"SELECT {columns} FROM {quote(snapshot.name)}.{quote(table)}"
                )
            )
        for sequence, (value, called) in snapshot.sequences.items():
            restart = text("SELECT setval(CAST(:s AS regclass), :v, :c)")
            conn.execute(restart, {"s": quote(sequence), "v": value, "c": called})


def clear(snapshot: Snapshot, engine: Engine, empty: Path | None) -> None:
    """Empty the tables a restored (or freshly loaded) demo fills, faster than ``wipe`` deleting its rows one
    by one, each checked against the foreign keys (seconds on SQLite, more on PostgreSQL): SQLite copies the
    empty database ``empty`` back over it, PostgreSQL truncates the demo's tables in one statement and
    restarts their id sequences. ``wipe`` then finds nothing left to do."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            source = sqlite3.connect(empty)
            try:
                source.backup(conn.connection.dbapi_connection)
            finally:
                source.close()
        return
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(quote(t) for t in snapshot.tables)} RESTART IDENTITY CASCADE"))
        for table in snapshot.tables:
            if table in BASELINE:
                conn.execute(text(BASELINE[table][2]))
    wipe(engine)  # whatever the test wrote besides the demo's tables


def empty_copy(engine: Engine, store: Path) -> Path | None:
    """SQLite: a copy of the (wiped) database, for ``clear``."""
    if engine.dialect.name != "sqlite":
        return None
    path = store / "empty.db"
    if path.exists():
        return path
    wipe(engine)
    with engine.connect() as conn:
        target = sqlite3.connect(path)
        try:
            conn.connection.dbapi_connection.backup(target)
        finally:
            target.close()
    return path


def drop(engine: Engine, name: str) -> None:
    """Forget a PostgreSQL snapshot's schema (SQLite snapshots are files of the run's temporary folder)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {engine.dialect.identifier_preparer.quote(name)} CASCADE"))


LIVE = "demo_snapshot_live"  # the browser tests' demo, loaded by ``sunshine demo-data`` on the real clock
SAVED: dict[str, Snapshot] = {}  # this worker's snapshots, by name
