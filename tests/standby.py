"""A real PostgreSQL streaming standby of the test server, for the read-replica tests: ``pg_basebackup`` of the
server at the test database's address into a temporary data directory, started on a free port with the server's
own Debian binaries (``/usr/lib/postgresql/<major>/bin``) as the ``postgres`` operating-system user.

Starting one needs root (to act as ``postgres``), those binaries, and replication connections admitted from
127.0.0.1 by the server's ``pg_hba.conf`` (``.ci/run`` adds the line). Without them the fixture skips and says
which is missing. The standby is stopped and its directory removed at the end, whatever happened.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

WAIT_SECONDS = 60


@dataclass
class Standby:
    url: str  # the test database on the standby
    data: Path
    bin: Path
    engine: Engine  # a connection of the test's own to the standby (pausing and watching replay)

    def replayed(self, lsn: str) -> bool:
        with self.engine.connect() as conn:
            query = text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")
            return bool(conn.execute(query, {"lsn": lsn}).scalar())

    def catch_up(self, primary: Engine) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        with primary.connect() as conn:
            lsn = str(conn.execute(text("SELECT pg_current_wal_lsn()")).scalar())
        deadline = time.monotonic() + WAIT_SECONDS
        while not self.replayed(lsn):
            if time.monotonic() > deadline:
                raise AssertionError(f"the standby did not replay up to {lsn} within {WAIT_SECONDS} s")
            time.sleep(0.05)

    def pause(self) -> None:
        """Stop replaying WAL: from now on the standby lags, deterministically, until ``resume``."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_pause()"))
            deadline = time.monotonic() + WAIT_SECONDS
            while conn.execute(text("SELECT pg_get_wal_replay_pause_state()")).scalar() != "paused":
                if time.monotonic() > deadline:
                    raise AssertionError("the standby did not pause its replay")
                time.sleep(0.05)

    def resume(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_wal_replay_resume()"))

    def stop(self) -> None:
        self.engine.dispose()
        if (self.data / "postmaster.pid").exists():
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"], check=False)


def _as_postgres(args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _why_not(primary: Engine) -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "starting a standby needs root (to run PostgreSQL's binaries as the postgres user)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres operating-system user on this machine"
    if shutil.which("runuser") is None:
        return "runuser (util-linux) is missing"
    with primary.connect() as conn:
        if conn.execute(text("SHOW wal_level")).scalar() == "minimal":
            return "the test server runs with wal_level=minimal: no replication"
        rule = conn.execute(
            text(
                "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) "
                "AND (address IS NULL OR address IN ('127.0.0.1', 'all', 'samehost', 'samenet'))"
            )
        ).scalar()
    if not rule:
        return (
            "the test server's pg_hba.conf admits no replication connection from 127.0.0.1 "
            "(add `host replication postgres 127.0.0.1/32 trust` and reload, as .ci/run does)"
        )
    return None


def _settings_to_match(primary: Engine) -> str:
    """A hot standby refuses to start with fewer of these than its primary."""
    names = ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions")
    names += ("max_locks_per_transaction",)
    with primary.connect() as conn:
        return "".join(f"{n} = {conn.execute(text(f'SHOW {n}')).scalar()}\n" for n in names)


def start_standby(database_url: str) -> Iterator[Standby]:
    """Base-backup the test server, start the copy as a streaming standby, and yield it; always cleaned up."""
    url = make_url(database_url)
    primary = create_engine(url)
    try:
        reason = _why_not(primary)
        if reason:
            pytest.skip(f"no streaming standby for the read-replica tests: {reason}")
        with primary.connect() as conn:
            major = int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000
        match = _settings_to_match(primary)
    finally:
        primary.dispose()
    binaries = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (binaries / "pg_basebackup").exists():
        pytest.skip(f"no streaming standby for the read-replica tests: {binaries}/pg_basebackup is missing")
    root = Path(tempfile.mkdtemp(prefix="sunshine-standby-"))
    shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    standby = None
    try:
        _as_postgres(
            [str(binaries / "pg_basebackup"), "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
            + ["-U", url.username or "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"]
        )
        (data / "postgresql.conf").write_text(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{root}'\n"
            "hot_standby = on\nshared_buffers = 32MB\nfsync = off\nlogging_collector = off\n" + match
        )
        (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (data / "pg_ident.conf").write_text("")
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(data / name, "postgres", "postgres")
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "start"])
        replica_url = url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
        standby = Standby(replica_url, data, binaries, create_engine(replica_url, isolation_level="AUTOCOMMIT"))
        with standby.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_is_in_recovery()")).scalar() is True
        yield standby
    finally:
        if standby is not None:
            standby.stop()
        elif (data / "postmaster.pid").exists():
            _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)
