"""Database engine, the declarative base and the unit of work.

SQLite (a file in the data folder, WAL mode, foreign keys on) is the embedded default; PostgreSQL is
selected by ``SUNSHINE_DATABASE_URL``. Services only flush; the unit of work around a request, a CLI
command or a tick commits everything a step did, or nothing.

The connection pool is sized from the admitted concurrency on both databases (``config.Settings``:
``db_pool_size`` = reads + writes admitted + the tick, ``db_max_overflow`` = the spare worker threads),
since each admitted request holds at most one connection: a request never waits for one. Should it ever
have to, it waits ``db_pool_timeout`` seconds at most, and the error handlers answer 503 ``database_busy``.

A commit returns only once it is durable, on both databases: sealed-bid receipts and signed tree heads
attest commits, so a commit that a power cut could still take back must not be answered. SQLite runs
with ``synchronous=FULL`` (``SUNSHINE_SQLITE_SYNCHRONOUS``); a PostgreSQL session whose configured
``synchronous_commit`` is ``off`` is switched back to ``on`` (docs/durability.md).

Reads may go to PostgreSQL streaming replicas (``SUNSHINE_DATABASE_REPLICA_URLS``): ``unit_of_work(read_only=True,
replica=True)`` opens its session on one of them, in turn. Only read-only units of work do, and only when the caller
asks (``core.auth.get_session`` asks for anonymous-safe public reads); writes, steps, the tick and commands always
use the primary. Read-your-writes: a caller that wrote passes the primary's WAL position after its commit
(``primary_lsn``) as ``after_lsn``, and a replica is used only if it has replayed that far, else the primary. A
replica that does not answer is left aside for ``REPLICA_RETRY_SECONDS`` and its reads go to the others or the
primary.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from sunshine.config import Settings, get_settings

PG_CONNECT_TIMEOUT = 5  # seconds
REPLICA_RETRY_SECONDS = 30  # a replica that did not answer is tried again after this long

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored in UTC on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetime values must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def create_db_engine(url: str, settings: Settings | None = None) -> Engine:
    """The engine of ``url``, its pool sized by ``settings`` (by default the process's settings)."""
    settings = settings or get_settings()
    pool = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
    }
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        else:
            pool = {}  # an in-memory database lives in one connection (SingletonThreadPool)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **pool)
        synchronous = settings.sqlite_synchronous.upper()

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            # Let SQLAlchemy manage transactions explicitly, and take the write lock at BEGIN so
            # two writers queue instead of failing with "database is locked" on upgrade.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # FULL: the WAL is fsynced at every commit, so a commit that returned (and the receipt that
            # attests it) survives a power cut; NORMAL only survives a crash of the process.
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:
            # Readers (GET pages) begin deferred so they never wait for a writer under WAL.
            deferred = conn.get_execution_options().get("sunshine_read_only", False)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    # a server that does not answer is a prompt 503, not a request hanging on the connect
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": PG_CONNECT_TIMEOUT}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **pool)


_log = logging.getLogger(__name__)


def insist_on_durable_commits(engine: Engine) -> None:
    """On PostgreSQL, no session of the platform commits with ``synchronous_commit=off``.

    ``off`` (set for the server, the database or the role) would answer a commit before its WAL is
    flushed: a crash of the server could then take back a bid whose receipt is already signed. Every
    other value (``local``, ``remote_write``, ``on``, ``remote_apply``) flushes the local WAL before the
    commit returns and is kept as configured. ``fsync=off`` cannot be changed by a session: it is logged.
    """
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def _durable(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SHOW synchronous_commit")
            if cursor.fetchone()[0] == "off":
                cursor.execute("SET synchronous_commit TO on")
            cursor.execute("SHOW fsync")
            if cursor.fetchone()[0] != "on":
                _log.error("PostgreSQL 服务器 fsync=off：断电后已提交的数据（含已出具回执的投标）可能丢失")
        finally:
            cursor.close()
        dbapi_connection.commit()  # the SET is a session setting, kept only if its transaction commits


class Database:
    """An engine and its session factory, created once per process (or per test); with the read replicas that
    ``settings`` name when ``url`` is their primary (``SUNSHINE_DATABASE_REPLICA_URLS``), or ``replica_urls``."""

    def __init__(self, url: str, settings: Settings | None = None, replica_urls: tuple[str, ...] | None = None) -> None:
        self.url = url
        self.engine = create_db_engine(url, settings)
        insist_on_durable_commits(self.engine)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = sessionmaker(
            self.engine.execution_options(sunshine_read_only=True), expire_on_commit=False
        )
        if replica_urls is None:
            replica_urls = settings.replica_urls if settings and url == settings.resolved_database_url else ()
        if replica_urls and self.dialect != "postgresql":
            raise ValueError("只读副本（SUNSHINE_DATABASE_REPLICA_URLS）仅适用于 PostgreSQL 主库")
        self.replicas = [create_db_engine(u, settings) for u in replica_urls]
        self.replica_sessionmakers = [
            sessionmaker(e.execution_options(sunshine_read_only=True), expire_on_commit=False) for e in self.replicas
        ]
        self._replica_turn = itertools.count()
        self._replica_down_until = [0.0] * len(self.replicas)
        self._replica_lock = threading.Lock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(
        self, read_only: bool = False, *, replica: bool = False, after_lsn: str | None = None
    ) -> Iterator[Session]:
        """Commit everything done in the block, or roll all of it back on error.

        ``read_only`` only changes how SQLite begins the transaction (deferred instead of taking the
        write lock at once); it does not forbid writing. ``replica`` (with ``read_only``) reads from a replica
        that has replayed ``after_lsn``, if one is configured and answers; a write there fails (a standby is
        read-only), so only reads that never write ask for one.
        """
        session = self._replica_session(after_lsn) if read_only and replica and self.replicas else None
        if session is None:
            session = (self.read_sessionmaker if read_only else self.sessionmaker)()
        with session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _replica_session(self, after_lsn: str | None) -> Session | None:
        """A session on the next replica that answers and has replayed ``after_lsn``; None: use the primary."""
        with self._replica_lock:
            first = next(self._replica_turn)
        for i in range(len(self.replicas)):
            index = (first + i) % len(self.replicas)
            if self._replica_down_until[index] > time.monotonic():
                continue
            session = self.replica_sessionmakers[index]()
            try:
                if after_lsn is None:
                    session.connection()  # checked out now: a replica that does not answer is skipped
                    return session
                # NULL on a server that is not replaying (a primary named as a replica by mistake): not caught up
                caught_up = session.execute(
                    text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"), {"lsn": after_lsn}
                ).scalar()
                if caught_up:
                    return session
                session.close()
            except DBAPIError as exc:
                session.close()
                self._replica_down_until[index] = time.monotonic() + REPLICA_RETRY_SECONDS
                _log.warning("只读副本 %d 无法连接，%d 秒内改读其他副本或主库：%s", index, REPLICA_RETRY_SECONDS, exc)
        return None

    def primary_lsn(self) -> str | None:
        """The primary's WAL position now (after a commit: a replica that replayed this far sees that commit)."""
        if not self.replicas:
            return None
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT pg_current_wal_lsn()")).scalar())

    def dispose(self) -> None:
        self.engine.dispose()
        for engine in self.replicas:
            engine.dispose()
