"""The leader lock: of all the processes on one database (server workers, ``sunshine worker``, a one-off
``sunshine tick``), only the one holding this lock runs the time-driven steps, so the tick runs in exactly
one place however many processes serve the site.

The lock belongs to a process for its whole life and dies with it, so a new leader takes over when the
leader is gone, however it went (stopped, killed, its machine lost):

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection of its own, outside
  the pool, kept open while the process leads; the server releases the lock when that session ends.
- SQLite: ``flock`` on ``leader.lock`` in the data folder (every process on one SQLite database shares
  that folder); the operating system releases it when the process exits or dies.

Both are tried without waiting: a process that does not get the lock is on standby and tries again on
its next round (``hold`` again), which is how a new leader takes over.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from sunshine.config import Settings

log = logging.getLogger("sunshine.leader")

LOCK_FILE = "leader.lock"
# Advisory lock keys are per database; this one is derived from a name so that it says what it is for.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"sunshine:tick-leader").digest()[:8], "big", signed=True)
APPLICATION_NAME = "sunshine-leader"  # how the leader's session shows in pg_stat_activity


class LeaderLock(Protocol):
    @property
    def held(self) -> bool:
        """Whether this process held the lock at its last ``hold``."""
        ...

    def hold(self) -> bool:
        """Take the lock if it is free, or confirm this process still holds it; never waits.
        True when this process is the leader."""
        ...

    def release(self) -> None:
        """Give the lock up (a no-op when not held), so another process can take it at once."""
        ...


class FileLock:
    """``flock`` on a file: exclusive, non-blocking, released by the OS when the process ends. Two
    ``FileLock`` objects on one path exclude each other even inside one process (each opens the file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def hold(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)  # the file names its holder, for whoever looks (cat var/leader.lock)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the only descriptor of the open file releases the flock

    def __repr__(self) -> str:
        return f"FileLock({str(self.path)!r}, held={self.held})"


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock on a dedicated connection (autocommit, so it is never
    left idle in a transaction). While held, each ``hold`` checks that the session is still alive: a
    session the server ended (restart, ``pg_terminate_backend``, network loss) took the lock with it,
    and the lock is then tried again on a new connection like any standby's."""

    def __init__(self, url: str | URL) -> None:
        self._engine = create_engine(
            url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "application_name": APPLICATION_NAME,
                "connect_timeout": 10,
                # notice a dead peer within about a minute instead of the system's two hours
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
            },
        )
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def hold(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.exec_driver_sql("SELECT 1")
                return True
            except DBAPIError:
                log.warning("定时任务主进程锁所在的数据库会话已中断，锁随之释放；重新尝试取得")
                self._discard()
        try:
            conn = self._engine.connect()
        except DBAPIError as exc:
            log.warning("无法连接数据库以取得定时任务主进程锁：%s", exc.orig)
            return False
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar()
        except DBAPIError as exc:
            log.warning("无法取得定时任务主进程锁：%s", exc.orig)
            conn.close()
            return False
        if got:
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(DBAPIError):  # when the session is gone, the lock went with it
            self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
        self._discard()

    def _discard(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(DBAPIError):
                conn.close()

    def __repr__(self) -> str:
        return f"AdvisoryLock({self._engine.url.render_as_string(hide_password=True)!r}, held={self.held})"


def leader_lock(settings: Settings) -> LeaderLock:
    """The leader lock for the database of ``settings``."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(url)
    return FileLock(settings.ensure_data_dir() / LOCK_FILE)
