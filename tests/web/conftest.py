"""Fixtures for the real-browser tests: a ``sunshine serve`` subprocess with the demo data, and
Debian's Chromium driven by Playwright (never a downloaded browser).

One server per module: ``live_server`` puts the demo data in the session's test database (SQLite file or
the PostgreSQL database of ``SUNSHINE_TEST_POSTGRES_URL``) and a data folder of the module's own, runs
``sunshine serve`` as a subprocess over them, and stops the server when the module is done. Each test gets a
fresh browser context (no cookies shared between tests).

The demo is loaded on the real clock, as a person running ``make demo`` would, by ``sunshine demo-data`` in a
subprocess: that is the first browser module on a worker. The worker snapshots the database and the data folder
(tests/demo_snapshot.py) and the next modules restore it in a second or two instead of loading again (≈ 25 s
on SQLite, far more on PostgreSQL), as long as the snapshot is younger than ``LIVE_DEMO_MAX_AGE``: the demo is
relative to the moment it is loaded (its opening under way passed its deadline ten minutes before, and bidders
have an hour to decrypt), so an older one is loaded afresh.

Set ``SUNSHINE_SCREENSHOTS=/some/dir`` to keep screenshots of the pages the tests visit.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import demo_snapshot
from tests.conftest import _wipe
from tests.subprocesses import popen, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SERVER_START_SECONDS = 90  # importing the application takes over 30 s on a machine shared by many test runs
LIVE_DEMO_MAX_AGE = 600.0  # seconds a snapshot of the real-clock demo is reused for


def sunshine_executable() -> str:
    found = shutil.which("sunshine")
    beside = Path(sys.executable).parent / "sunshine"
    if beside.exists():  # prefer the one of the running venv over whatever is on PATH
        return str(beside)
    if found:
        return found
    pytest.fail("the `sunshine` command is not installed (pip install -e '.[test]')")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"sunshine serve exited with {server.process.returncode}:\n{server.log()}")
        try:
            if server.get_json("/healthz").get("status") == "ok":
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"sunshine serve did not answer /healthz within {SERVER_START_SECONDS}s:\n{server.log()}")


@pytest.fixture(scope="module")
def live_server(migrated_db, database_url, tmp_path_factory, demo_snapshots) -> Iterator[LiveServer]:
    """A real ``sunshine serve`` on a free port of 127.0.0.1, over the demo data, for one module."""
    if not CHROMIUM.exists():  # no point in starting a server that no browser will visit
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    folder = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "SUNSHINE_DATABASE_URL": database_url,
        "SUNSHINE_DATA_DIR": str(folder / "data"),
        "SUNSHINE_SCHEDULER": "false",  # the page under test must not change under the browser
        "SUNSHINE_WARM_ROUTES": "true",  # as served: no page makes the first visitor wait for the routes
        "SUNSHINE_COOKIE_SECURE": "true",  # as in production: Chromium must accept it over http://127.0.0.1
        "PYTHONUNBUFFERED": "1",
    }
    command = sunshine_executable()
    empty = demo_snapshot.empty_copy(migrated_db.engine, demo_snapshots)
    saved = demo_snapshot.SAVED.get(demo_snapshot.LIVE)
    if saved is not None and saved.age() < LIVE_DEMO_MAX_AGE:
        demo_snapshot.restore(saved, migrated_db.engine, folder / "data")
    else:
        _wipe(migrated_db)
        loaded = subprocess.run([command, "demo-data"], env=env, capture_output=True, text=True, timeout=600)
        assert loaded.returncode == 0, f"sunshine demo-data failed:\n{loaded.stdout}\n{loaded.stderr}"
        saved = demo_snapshot.take(migrated_db.engine, folder / "data", demo_snapshots, demo_snapshot.LIVE)
        demo_snapshot.SAVED[demo_snapshot.LIVE] = saved

    port = _free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = popen(
            [command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        stop(process)
        demo_snapshot.clear(saved, migrated_db.engine, empty)  # no demo data left for the other modules


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a loaded CI machine hashes passwords slowly
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageWatch:
    """What went wrong on a page that a person would not necessarily see: console errors, uncaught
    exceptions, failed requests, error responses and any request leaving this machine."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    error_responses: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{m.text} @ {m.location}"))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.error_responses.append(f"{r.status} {r.url}"))
        page.on("request", lambda r: self._check_host(r.url))

    def _failed(self, request) -> None:
        # ERR_ABORTED: the test went on to the next page before, say, the favicon arrived. A missing
        # file shows up as an error response instead.
        if request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _check_host(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.external_requests.append(url)

    def assert_clean(self, *, allow_error_status: bool = False) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.failed_requests == []
        assert self.external_requests == []
        if not allow_error_status:
            assert self.error_responses == []


class Screenshots:
    def __init__(self) -> None:
        folder = os.environ.get("SUNSHINE_SCREENSHOTS")
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name: str) -> None:
        if self.folder:
            page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def screenshot() -> Screenshots:
    return Screenshots()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(**context_options)`` → (page, watch): a page in a fresh context whose relative
    URLs resolve against the live server."""
    contexts = []

    def _open(**options):
        context = chromium.new_context(
            base_url=live_server.base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        watch.attach(page)
        return page, watch

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def desktop_page(open_page):
    """A desktop-sized page (1280x900)."""
    page, _ = open_page(viewport={"width": 1280, "height": 900})
    return page
