"""Database engine, the declarative base and the unit of work.

SQLite (a file in the data folder, WAL mode, foreign keys on) is the embedded default; PostgreSQL is
selected by ``SUNSHINE_DATABASE_URL``. Services only flush; the unit of work around a request, a CLI
command or a tick commits everything a step did, or nothing.

The connection pool is sized from the admitted concurrency on both databases (``config.Settings``:
``db_pool_size`` = reads + writes admitted + the tick, ``db_max_overflow`` = the spare worker threads),
since each admitted request holds at most one connection: a request never waits for one. Should it ever
have to, it waits ``db_pool_timeout`` seconds at most, and the error handlers answer 503 ``database_busy``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from sunshine.config import Settings, get_settings

PG_CONNECT_TIMEOUT = 5  # seconds

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

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            # Let SQLAlchemy manage transactions explicitly, and take the write lock at BEGIN so
            # two writers queue instead of failing with "database is locked" on upgrade.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
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


class Database:
    """An engine and its session factory, created once per process (or per test)."""

    def __init__(self, url: str, settings: Settings | None = None) -> None:
        self.url = url
        self.engine = create_db_engine(url, settings)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = sessionmaker(
            self.engine.execution_options(sunshine_read_only=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, read_only: bool = False) -> Iterator[Session]:
        """Commit everything done in the block, or roll all of it back on error.

        ``read_only`` only changes how SQLite begins the transaction (deferred instead of taking the
        write lock at once); it does not forbid writing.
        """
        factory = self.read_sessionmaker if read_only else self.sessionmaker
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
