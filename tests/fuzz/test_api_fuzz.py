"""Schemathesis over the whole JSON API (``make fuzz``, which ``make test`` runs): every operation of the OpenAPI
document, anonymous and as three roles — the administrator, the centre's staff and a bidder of the demo
accounts — against a real server (``sunshine serve`` in its own process) on this run's database, with demo
projects in it. The check is ``not_a_server_error``: whatever the input, no answer is a 5xx.

A bounded pass, a time budget per caller (``FUZZ_SECONDS``, 30 s by default): schemathesis's coverage phase
(boundary values, huge and negative numbers, NUL and other control characters, numbers for dates) and then
random inputs. A longer local pass with more checks: ``make fuzz FUZZ_SECONDS=600 FUZZ_CHECKS=all``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sunshine.db import Database
from sunshine.demo.accounts import load_accounts
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.trading import load_demo_trading
from tests.subprocesses import popen, stop

pytestmark = pytest.mark.fuzz

BIN = Path(sys.executable).parent
SECONDS = os.environ.get("FUZZ_SECONDS", "30")
CHECKS = os.environ.get("FUZZ_CHECKS", "not_a_server_error")
# Anonymous, then the demo accounts of three roles; the administrator last, since its pass may deactivate the
# other accounts or change their roles.
CALLERS = [None, "centre", "bidder", "admin"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(migrated_db: Database, database_url: str, tmp_path_factory):
    """The demo accounts and projects in this run's database, served by ``sunshine serve`` on a free port."""
    load_accounts(migrated_db, None)
    load_demo_trading(migrated_db.unit_of_work, None, datetime.now(UTC))
    data = tmp_path_factory.mktemp("fuzz-data")
    port = _free_port()
    env = {
        **os.environ,
        "SUNSHINE_DATABASE_URL": database_url,
        "SUNSHINE_DATA_DIR": str(data),
        "SUNSHINE_SCHEDULER": "false",
        "SUNSHINE_WARM_ROUTES": "true",
        "SUNSHINE_PASSWORD_HASHING": "insecure-fast-for-tests",
        "SUNSHINE_COOKIE_SECURE": "false",
    }
    log = (data / "server.log").open("w")
    process = popen(
        [str(BIN / "sunshine"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    give_up = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < give_up, (data / "server.log").read_text()
        time.sleep(0.2)
    assert httpx.get(f"{url}/api/v1/openapi.json", timeout=120).status_code == 200  # built once, then cached
    # Every caller's token before any pass runs: the anonymous pass's wrong passwords lock the address (the login
    # throttle), and the administrator's pass may deactivate an account.
    tokens = {caller: _token(url, caller) for caller in CALLERS if caller}
    yield url, data / "server.log", tokens
    stop(process, grace=30)
    log.close()


def _token(url: str, username: str) -> str:
    body = {"username": username, "password": DEMO_PASSWORD}
    response = httpx.post(f"{url}/api/v1/auth/token", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.mark.parametrize("caller", CALLERS, ids=[c or "anonymous" for c in CALLERS])
def test_no_input_makes_a_server_error(server, caller, tmp_path):
    url, server_log, tokens = server
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--phases",
        "coverage,fuzzing",
        "--max-examples",
        "5",
        "--max-time",
        SECONDS,
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--wait-for-schema",
        "60",
        "--generation-database",
        "none",
        "--no-color",
        "--output-truncate",
        "true",
        "--report-dir",
        str(tmp_path),
    ]
    if caller:
        # The caller keeps its token: logging out is the one operation left out.
        command += ["--header", f"Authorization: Bearer {tokens[caller]}"]
        command += ["--exclude-path", "/api/v1/auth/token"]
    served_before = len(_served(server_log))
    result = subprocess.run(command, capture_output=True, text=True, timeout=int(SECONDS) + 240)
    report = result.stdout[-20000:] + result.stderr[-5000:]
    served = _served(server_log)[served_before:]
    assert len(served) > 100, report  # the pass really ran (thousands of requests, fewer on a busy machine)
    server_errors = [line for line in served if re.search(r'HTTP/1.1" 5\d\d ', line)]
    unhandled = [line for line in server_log.read_text().splitlines() if "unhandled error" in line]
    assert not server_errors and not unhandled, (server_errors + unhandled)[:20]
    # A failed check is a finding; schemathesis's own runtime errors (a pattern it cannot compile) are not.
    assert "FAILURES" not in result.stdout, report


def _served(server_log: Path) -> list[str]:
    """The access log's lines: one per request the server answered."""
    return [line for line in server_log.read_text().splitlines() if '" ' in line and "HTTP/1.1" in line]
