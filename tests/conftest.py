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

from sunshine import domains
from sunshine.config import get_settings
from sunshine.core import clock as clock_module
from sunshine.core.clock import AdjustableClock
from sunshine.db import Database
from sunshine.migrate import upgrade
from sunshine.models import metadata

BACKEND = os.environ.get("SUNSHINE_TEST_BACKEND", "sqlite")
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday morning


def pytest_report_header(config) -> str:
    return f"sunshine database backend: {BACKEND}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if BACKEND == "postgres":
        url = os.environ.get("SUNSHINE_TEST_POSTGRES_URL")
        if not url:
            pytest.exit("SUNSHINE_TEST_BACKEND=postgres needs SUNSHINE_TEST_POSTGRES_URL", returncode=2)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session", autouse=True)
def lifecycle_domains() -> None:
    """Every domain's steps and hooks, as the app, the command line and the tick install them."""
    domains.install()


@pytest.fixture(scope="session")
def migrated_db(database_url) -> Iterator[Database]:
    db = Database(database_url)
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(db.engine)
    yield db
    db.dispose()


def _wipe(db: Database) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
        conn.execute(text("INSERT INTO ledger_state (id, size, compact_range) VALUES (1, 0, '[]')"))


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
