"""Reads routed to a PostgreSQL read replica, against a real streaming standby of the test server started for this
module (tests/standby.py): a public read comes from the replica and lags behind a write while the standby's replay
is paused; reads that must not lag — an API client with a token, a browser that has just written — come from the
primary; once the standby replays, the public sees the write; a replica that is gone leaves its reads to the
primary. Marked ``standby``: ``make test`` runs it in a step of its own after the PostgreSQL suite
(``make test-standby``), since the base backup and the server start cost tens of seconds on a busy machine; it
skips on SQLite, and where no standby can be started, saying why."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sunshine.config import get_settings
from sunshine.core.auth import WROTE_COOKIE
from sunshine.db import Database
from tests.builders import PASSWORD, api_token
from tests.conftest import BACKEND
from tests.standby import start_standby
from tests.trading.builders import accepted_project, publish_notice, tender_world

pytestmark = [
    pytest.mark.standby,  # outside the suite's budget: a base backup and a server start (make test-standby)
    pytest.mark.skipif(BACKEND != "postgres", reason="read replicas are PostgreSQL streaming standbys"),
]
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def standby(migrated_db):
    yield from start_standby(migrated_db.url)


@pytest.fixture
def routed(db, standby):
    """The application's database with the standby as its replica, as ``SUNSHINE_DATABASE_REPLICA_URLS`` makes it."""
    database = Database(db.url, replica_urls=(standby.url,))
    yield database
    database.dispose()


def _titles(client: TestClient, **kwargs) -> list[str]:
    response = client.get("/api/v1/notices", **kwargs)
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


def _sign_in(browser: TestClient, username: str) -> None:
    form = browser.get("/login", headers=HTML)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = browser.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/me", "csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_writes_and_their_transactions_never_go_to_a_replica(db, routed, standby):
    with routed.unit_of_work(read_only=True, replica=True) as session:
        assert session.connection().exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is True
    with routed.unit_of_work(replica=True) as session:  # not read-only: the primary, whatever is asked
        assert session.connection().exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is False
    with routed.unit_of_work(read_only=True, replica=True, after_lsn="FFFFFFFF/FFFFFFFF") as session:
        assert session.connection().exec_driver_sql("SELECT pg_is_in_recovery()").scalar() is False  # not replayed


def test_public_reads_lag_on_the_replica_while_writers_read_their_writes(db, routed, standby):
    from sunshine.app import create_app

    world = tender_world(db)
    publish_notice(db, world["agency"], accepted_project(db, world, name="示范市滨江路道路改造工程"))
    first = "示范市滨江路道路改造工程招标公告"
    standby.catch_up(db.engine)
    app = create_app(get_settings(), routed, run_scheduler=False)
    with (
        TestClient(app, base_url="https://testserver") as public,
        TestClient(app, base_url="https://testserver") as api_client,
        TestClient(app, base_url="https://testserver") as browser,
    ):
        assert _titles(public) == [first]
        token = api_token(api_client, world["agency"].username)

        standby.pause()  # from here the replica lags behind every write, until it resumes
        publish_notice(db, world["agency"], accepted_project(db, world, name="示范市第二中学操场改造工程"))
        second = "示范市第二中学操场改造工程招标公告"

        # an anonymous public read comes from the replica: the new notice is not there yet
        assert _titles(public) == [first]
        assert second not in public.get("/notices", headers=HTML).text
        # an API client with a token reads the primary (it carries no mark of its writes)
        assert _titles(api_client, headers=token) == [second, first]
        # a browser that has just written (signing in records its session) is marked with the primary's position
        # after that write; the replica has not replayed it, so its public reads come from the primary
        _sign_in(browser, world["agency"].username)
        assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", browser.cookies.get(WROTE_COOKIE) or "")
        assert _titles(browser) == [second, first]
        assert second in browser.get("/notices", headers=HTML).text
        assert _titles(public) == [first]  # still lagging for everyone else

        standby.resume()
        standby.catch_up(db.engine)
        assert _titles(public) == [second, first]
        assert _titles(browser) == [second, first]  # the replica has replayed the browser's write: it may read there

        # a replica that is gone: its reads go to the primary
        standby.stop()
        assert _titles(public) == [second, first]
        assert second in public.get("/notices", headers=HTML).text
