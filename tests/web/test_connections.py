"""Connections and the event loop: a request holds one connection at a time, shared by the CSRF check, the
route and the page it renders; no statement runs on the event loop thread; error pages need no database —
with the database gone, a real server still answers a Chinese 503 page (and 404 and 500 pages) at once;
and should the pool ever run dry, the wait ends in a 503 problem, not a hang."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import make_url

from sunshine.app import create_app
from sunshine.config import get_settings
from sunshine.db import Database
from sunshine.ledger import service as ledger
from sunshine.web.routes import warm_routes
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import accepted_project, publish_notice, tender_world


@contextmanager
def watched(engine, loop_threads: set[int]) -> Iterator[dict]:
    """Counts the connections checked out at once (the peak since the last reset) and records every
    statement executed on an event loop thread."""
    seen: dict = {"out": 0, "peak": 0, "on_loop": []}
    lock = threading.Lock()

    def checkout(*_args) -> None:
        with lock:
            seen["out"] += 1
            seen["peak"] = max(seen["peak"], seen["out"])

    def checkin(*_args) -> None:
        with lock:
            seen["out"] -= 1

    def statement(_conn, _cursor, sql, *_args) -> None:
        if threading.get_ident() in loop_threads:
            seen["on_loop"].append(sql[:80])

    listeners = [(engine, "checkout", checkout), (engine, "checkin", checkin)]
    listeners.append((engine, "before_cursor_execute", statement))
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield seen
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


def test_every_request_holds_one_connection_and_none_runs_on_the_event_loop(db, app):
    world = tender_world(db)
    project_id = accepted_project(db, world)
    notice_id = publish_notice(db, world["agency"], project_id)
    with db.unit_of_work() as s:
        ledger.sign_head(s)

    with browser(app) as visitor, browser(app, world["agency"].username) as agency:
        loop_threads = {client.portal.call(threading.get_ident) for client in (visitor, agency)}
        assert threading.get_ident() not in loop_threads
        form = csrf_token(agency.get("/projects/new").text)
        lookup_form = csrf_token(visitor.get("/requests/lookup").text)
        registration = {
            "csrf_token": form,
            "name": "示范市滨江路二期道路改造工程",
            "type_method": "engineering:open_tender",
            "agency_id": str(world["agency_org"]),
            "budget": "3000000",
            "region_code": "350100",
            "funding_source": "财政资金",
            "evaluation_method": "综合评估法",
            "section_name": "第一标段",
            "section_estimate": "3000000",
            "section_qualification": "具有相应资质",
        }
        calls = [
            (visitor, "GET", "/", {}, 200, "全程留痕"),
            (visitor, "GET", "/notices", {}, 200, "公告"),
            (visitor, "GET", f"/projects/{project_id}", {}, 200, "滨江路道路改造工程"),
            (visitor, "GET", f"/notices/{notice_id}", {}, 200, "招标公告"),
            (visitor, "GET", "/api/v1/projects", {}, 200, "滨江路道路改造工程"),
            (visitor, "GET", "/projects/999999", {}, 404, "未找到"),  # a domain error's page
            (visitor, "POST", "/requests/lookup", {"data": {"csrf_token": lookup_form}}, 422, "查询"),  # async route
            (agency, "GET", "/", {}, 200, "退出"),
            # refused by the service: the form again, drawn in a fresh unit of work after the first rolled back
            (agency, "POST", "/projects/new", {"data": {**registration, "tenderer_id": "999999"}}, 400, "不存在"),
            (agency, "POST", "/projects/new", {"data": {**registration, "tenderer_id": str(world["school"])}}, 303, ""),
        ]
        with watched(db.engine, loop_threads) as seen:
            for client, method, path, kwargs, status, words in calls:
                seen["peak"] = 0
                response = client.request(method, path, follow_redirects=False, **kwargs)
                assert response.status_code == status, (path, response.text[:500])
                assert words in page_text(response.text), path
                assert seen["peak"] == 1, f"{method} {path} held {seen['peak']} connections at once"
            assert seen["on_loop"] == []
            seen["peak"] = 0
            unknown = visitor.get("/no-such-page")
            assert unknown.status_code == 404 and "未找到" in page_text(unknown.text)
            assert seen["peak"] == 0  # no route, no unit of work: the error page itself asks nothing


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app) -> Iterator[str]:
    """A real uvicorn server for ``app`` on a free port, in a thread of this process."""
    warm_routes(app.router)  # as a served app does at start-up (the tests' settings leave it to the first request)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _unreachable(database_url: str, folder) -> str:
    """The same kind of database, somewhere it cannot be opened: a folder for SQLite, a closed port."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{folder}"  # a directory is no database file
    return url.set(host="127.0.0.1", port=_free_port()).render_as_string(hide_password=False)


def test_with_the_database_gone_error_pages_still_answer_at_once_in_chinese(db, database_url, tmp_path):
    with db.unit_of_work() as s:
        ledger.sign_head(s)
        head = ledger.latest_head(s)
    app = create_app(get_settings(), db, run_scheduler=False)

    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    app.add_api_route("/boom", boom, include_in_schema=False)
    with serving(app) as base, httpx.Client(base_url=base, timeout=10, headers={"accept": "text/html"}) as c:
        assert head.root_hash[:16] in c.get("/").text  # read through the request's unit of work
        app.state.db = Database(_unreachable(database_url, tmp_path))  # the database goes away

        down = c.get("/")
        assert down.status_code == 503 and down.headers["content-type"].startswith("text/html")
        assert down.headers["retry-after"] == "30"
        text = page_text(down.text)
        assert "服务暂不可用" in text and "数据库暂时无法访问，请稍后再试" in text and "database_unavailable" in text
        assert head.root_hash[:16] in down.text  # the ledger head this process last read, from memory

        api = c.get("/api/v1/projects")
        assert api.status_code == 503 and api.headers["content-type"] == "application/problem+json"
        assert api.json()["code"] == "database_unavailable" and api.json()["title"] == "服务暂不可用"
        assert c.get("/healthz").status_code == 503

        missing = c.get("/no-such-page")
        assert missing.status_code == 404 and "未找到所请求的内容" in page_text(missing.text)
        broken = c.get("/boom")  # last: the server closes a connection after an unexpected error
        assert broken.status_code == 500 and "服务器内部错误" in page_text(broken.text)
        assert "RuntimeError" not in broken.text

    app.state.db = db  # the database comes back: the application serves again
    with serving(app) as base, httpx.Client(base_url=base, timeout=10) as c:
        assert c.get("/").status_code == 200
        assert c.get("/healthz").json()["status"] == "ok"


def test_a_request_that_finds_no_free_connection_gets_a_503_problem_not_a_hang(db, database_url):
    settings = get_settings().model_copy(
        update={"max_concurrent_reads": 1, "max_concurrent_writes": 1, "db_pool_timeout": 0.5}
    )
    small = Database(database_url, settings)
    capacity = settings.db_pool_size + settings.db_max_overflow
    assert small.engine.pool.size() == settings.db_pool_size == 3
    app = create_app(settings, small, run_scheduler=False)
    held = [small.engine.connect() for _ in range(capacity)]  # something else has taken every connection
    try:
        with TestClient(app, base_url="https://testserver") as client:
            api = client.get("/api/v1/projects")
            assert api.status_code == 503 and api.headers["retry-after"] == "5"
            assert api.json()["code"] == "database_busy" and api.json()["detail"] == "当前访问人数过多，请稍后再试"
            page = client.get("/notices", headers={"accept": "text/html"})
            assert page.status_code == 503 and "当前访问人数过多" in page_text(page.text)
    finally:
        for connection in held:
            connection.close()
        small.dispose()


@pytest.mark.parametrize(("reads", "writes"), [(24, 8), (4, 2)])
def test_threads_and_connections_follow_the_admitted_requests(reads, writes):
    settings = get_settings().model_copy(update={"max_concurrent_reads": reads, "max_concurrent_writes": writes})
    assert settings.worker_threads == reads + writes + 8
    assert settings.db_pool_size == reads + writes + 1  # and one for the tick
    # every worker thread, and the tick beside them, can hold a connection at once
    assert settings.db_pool_size + settings.db_max_overflow >= settings.worker_threads + 1
    if (reads, writes) == (24, 8):
        assert settings.worker_threads == 40  # anyio's own default


def test_the_server_runs_with_the_worker_threads_it_is_sized_for(app):
    import anyio.to_thread

    with TestClient(app) as client:
        tokens = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    assert tokens == get_settings().worker_threads
