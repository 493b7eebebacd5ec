"""Test fixtures: a migrated database (SQLite, or PostgreSQL when the run asks for it), an adjustable
clock, the app and builders that create real objects through the services.

``SUNSHINE_TEST_BACKEND=postgres`` (with ``SUNSHINE_TEST_POSTGRES_URL``) runs the same suite on
PostgreSQL; ``make test`` runs it on both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sunshine.config import get_settings
from sunshine.core import clock as clock_module
from sunshine.core.clock import AdjustableClock
from sunshine.db import Database
from sunshine.migrate import upgrade
from tests.databases import postgres_database_beside, wipe

BACKEND = os.environ.get("SUNSHINE_TEST_BACKEND", "sqlite")
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1"... when pytest-xdist runs the suite
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday morning


def pytest_report_header(config) -> str:
    return f"sunshine database backend: {BACKEND}"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    """Under ``pytest -n N --dist loadgroup`` (``make test``) the tests of a module that use a
    module-scoped fixture (a live server over the demo data, say) stay on one worker, so that fixture
    is built once; every other test goes wherever a worker is free."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info and any(d.scope == "module" for defs in info.name2fixturedefs.values() for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session", autouse=True)
def _cheap_passwords() -> Iterator[None]:
    """Argon2 at its smallest cost, for the whole run and the servers and commands it starts: the suite
    creates thousands of users and is not about password cracking (tests/identity checks the
    production profile)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SUNSHINE_PASSWORD_HASHING", "insecure-fast-for-tests")
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A database of this run's own: a SQLite file, or on PostgreSQL the database of
    ``SUNSHINE_TEST_POSTGRES_URL`` — or, under pytest-xdist, one database per worker beside it
    (``<name>_gw0``...), created here and dropped at the end."""
    if BACKEND != "postgres":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    url = os.environ.get("SUNSHINE_TEST_POSTGRES_URL")
    if not url:
        pytest.exit("SUNSHINE_TEST_BACKEND=postgres needs SUNSHINE_TEST_POSTGRES_URL", returncode=2)
    if not WORKER:
        yield url
        return
    with postgres_database_beside(url, f"{make_url(url).database}_{WORKER}") as worker_url:
        yield worker_url


@pytest.fixture(scope="session")
def migrated_db(database_url) -> Iterator[Database]:
    """The schema, built once per run (per worker) by the Alembic migrations."""
    db = Database(database_url)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(db.engine)
    _wipe(db)
    yield db
    db.dispose()


def _wipe(db: Database) -> None:
    wipe(db.engine)


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch, database_url) -> Iterator[Path]:
    """Each test gets its own data folder (signing key, secret, file store) and settings."""
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", database_url)
    monkeypatch.setenv("SUNSHINE_SCHEDULER", "false")
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def clock() -> Iterator[AdjustableClock]:
    with clock_module.use_clock(AdjustableClock(START)) as c:
        yield c


@pytest.fixture
def db(migrated_db: Database) -> Database:
    _wipe(migrated_db)
    return migrated_db


@pytest.fixture
def session(db: Database):
    with db.unit_of_work() as s:
        yield s


@pytest.fixture
def app(db: Database):
    from sunshine.app import create_app

    return create_app(get_settings(), db, run_scheduler=False)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as c:
        yield c
