"""Under load the server keeps answering: 32 clients for a few seconds against a real ``sunshine serve`` on the
test database — public pages, API reads, and signed-in writes through the API and the page form — get no
error and no timeout, and ``/healthz`` answers throughout. The figures (64 clients, 30 s, latencies) are
``bench/load.py``'s; this test only checks correctness, never timings. (32, not fewer: with a request holding
two connections, as pages once did, 32 clients exhaust the pool within seconds and this test fails.)"""

from __future__ import annotations

import os
import random
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from sunshine.ledger import service as ledger
from sunshine.trading.models import Project
from tests.builders import PASSWORD
from tests.pages import csrf_token
from tests.subprocesses import popen, stop
from tests.trading.builders import accepted_project, publish_notice, tender_world
from tests.web.conftest import _free_port, sunshine_executable

CLIENTS = 32
SECONDS = 6
TIMEOUT = 30  # seconds without an answer that count as a timeout


@pytest.fixture
def server(db, tmp_path) -> Iterator[str]:
    """``sunshine serve`` on a free port over the test database (and this test's data folder)."""
    env = {**os.environ, "SUNSHINE_COOKIE_SECURE": "false", "PYTHONUNBUFFERED": "1"}
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = popen(
            [sunshine_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        yield base
    finally:
        stop(process, grace=20)
    assert "Traceback" not in log_path.read_text(errors="replace"), log_path.read_text(errors="replace")[-3000:]


def test_many_clients_on_pages_api_and_writes_get_no_error_and_no_timeout(db, server):
    world = tender_world(db)
    projects = [accepted_project(db, world, name=f"示范市道路改造工程{i}") for i in range(3)]
    notices = [publish_notice(db, world["agency"], p) for p in projects]
    agency = world["agency"].username
    with db.unit_of_work() as s:
        ledger.sign_head(s)

    with httpx.Client(base_url=server, timeout=TIMEOUT) as c:
        token = c.post("/api/v1/auth/token", json={"username": agency, "password": PASSWORD})
        token = token.json()["access_token"]
        login = c.post(
            "/login",
            data={"username": agency, "password": PASSWORD, "csrf_token": csrf_token(c.get("/login").text)},
            follow_redirects=False,
        )
        assert login.status_code == 303
        form_token = csrf_token(c.get("/projects/new").text)
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())

    registration = {
        "transaction_type": "engineering",
        "method": "open_tender",
        "tenderer_id": world["school"],
        "agency_id": world["agency_org"],
        "budget": "2000000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "evaluation_method": "综合评估法",
        "sections": [{"name": "第一标段", "estimate": "2000000", "qualification": "具有相应资质"}],
    }
    form = {
        "csrf_token": form_token,
        "type_method": "engineering:open_tender",
        "tenderer_id": str(world["school"]),
        "agency_id": str(world["agency_org"]),
        "budget": "2000000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "evaluation_method": "综合评估法",
        "section_name": "第一标段",
        "section_estimate": "2000000",
        "section_qualification": "具有相应资质",
    }

    def pick(rng: random.Random, n: int) -> tuple[str, str, dict, int]:
        if n % 10 == 3:
            body = {**registration, "name": f"并发登记项目{n}"}
            return "POST", "/api/v1/projects", {"json": body, "headers": {"authorization": f"Bearer {token}"}}, 201
        if n % 10 == 7:
            data = {**form, "name": f"页面登记项目{n}"}
            return "POST", "/projects/new", {"data": data, "headers": {"cookie": cookie}}, 303
        project, notice = rng.choice(projects), rng.choice(notices)
        path = rng.choice(
            ["/", "/notices", f"/projects/{project}", f"/notices/{notice}", "/api/v1/projects",
             f"/api/v1/projects/{project}", "/api/v1/notices", "/api/v1/ledger/head"]
        )  # fmt: skip
        return "GET", path, {}, 200

    answered: Counter = Counter()
    errors: Counter = Counter()
    timeouts: Counter = Counter()
    health: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 2)

    def client(i: int) -> None:
        rng = random.Random(i)
        with httpx.Client(base_url=server, timeout=TIMEOUT, follow_redirects=False) as c:
            start.wait()
            n = i
            while time.monotonic() < until:
                method, path, kwargs, expected = pick(rng, n)
                n += CLIENTS
                try:
                    response = c.request(method, path, **kwargs)
                except httpx.TimeoutException:
                    with lock:
                        timeouts[path] += 1
                    continue
                except httpx.HTTPError as exc:
                    response, path = None, f"{path}: {type(exc).__name__}"
                with lock:
                    if response is not None and response.status_code == expected:
                        answered[method] += 1
                    else:
                        errors[f"{method} {path} {response.status_code if response else ''}"] += 1

    def watch_health() -> None:
        with httpx.Client(base_url=server, timeout=TIMEOUT) as c:
            start.wait()
            while time.monotonic() < until:
                try:
                    health[c.get("/healthz").status_code] += 1
                except httpx.HTTPError as exc:
                    health[type(exc).__name__] += 1
                time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=watch_health))
    for t in threads:
        t.start()
    until = time.monotonic() + SECONDS
    start.wait()
    for t in threads:
        t.join()

    assert errors == Counter() and timeouts == Counter()
    assert answered["GET"] > CLIENTS and answered["POST"] > 0
    assert set(health) == {200} and health[200] >= 5  # /healthz answered throughout
    with db.unit_of_work(read_only=True) as s:  # every acknowledged write is kept, and nothing else
        made = select(func.count()).select_from(Project).where(Project.name.like("%登记项目%"))
        assert s.scalar(made) == answered["POST"]
