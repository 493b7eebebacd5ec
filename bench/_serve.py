"""What the benchmarks share to run a real server: the ``sunshine`` command, a throwaway PostgreSQL database,
and ``sunshine serve`` on a free port of 127.0.0.1 that dies with the benchmark and is stopped after it."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def sunshine_command() -> str:
    beside = Path(sys.executable).parent / "sunshine"
    found = str(beside) if beside.exists() else shutil.which("sunshine")
    if not found:
        sys.exit("the `sunshine` command is not installed (pip install -e .)")
    return found


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server of ``server_url``, dropped afterwards; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    dsn = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_kept(server_url: str, name: str, *, fresh: bool) -> str:
    """The URL of database ``name`` on the server of ``server_url``, kept between runs: created (dropped first)
    when ``fresh``, else reused as it is."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    if fresh:
        dsn = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the server's process (Linux): SIGTERM when the benchmark dies, even killed, so none is left behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextmanager
def serve(env: dict[str, str], log_path: Path, start_seconds: float = 60) -> Iterator[str]:
    """``sunshine serve`` with ``env`` on a free port of 127.0.0.1, once ``/healthz`` answers; its base URL.
    Stopped (terminated, then killed) when the block ends."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sunshine_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=log,
            preexec_fn=_die_with_parent,
        )
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            if process.poll() is not None:
                sys.exit(f"sunshine serve exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"sunshine serve did not answer /healthz:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
