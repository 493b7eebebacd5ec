"""Test fixtures: a migrated database (SQLite, or PostgreSQL when the run asks for it), an adjustable
clock, the app and builders that create real objects through the services.

``SUNSHINE_TEST_BACKEND=postgres`` (with ``SUNSHINE_TEST_POSTGRES_URL``) runs the same suite on
PostgreSQL; ``make test`` runs it on both.

The modules about the demo data ask for ``demo`` rather than calling ``load_demo_data(db)``: the first of them
on each worker loads the demo for real (at ``START``), and the worker keeps a snapshot of the database and the
data folder (tests/demo_snapshot.py) that the later ones get back in a second or two instead of the 20–30 s a
load takes. A module about loading itself (the second load adds nothing, the CLI's ``sunshine demo-data``)
still loads for real on top of it.
"""

from __future__ import annotations

import compileall
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

import sunshine
from sunshine import domains
from sunshine.config import get_settings
from sunshine.core import clock as clock_module
from sunshine.core.clock import AdjustableClock
from sunshine.db import Database
from sunshine.migrate import upgrade
from tests import demo_snapshot
from tests.databases import create_database_beside, drop_database_beside, wipe

BACKEND = os.environ.get("SUNSHINE_TEST_BACKEND", "sqlite")
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1"... when pytest-xdist runs the suite
if WORKER:
    # xdist workers start with COLUMNS=80 and LINES=24 in their environment, which would fix the width
    # of the command line's Rich consoles (created at import) at 80 whatever COLUMNS a test then sets.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)  # a Monday morning


def pytest_configure(config) -> None:
    """Compile the package's bytecode once, before the workers start (``pytest_configure`` of the controlling
    process). With ``PYTHONDONTWRITEBYTECODE`` set, as in CI, Python reads ``__pycache__`` but never writes it,
    so each process — every xdist worker, and every ``sunshine serve`` or command a test starts (the crash tests
    alone restart the server more than twenty times per database) — compiled some 300 modules from source
    again, about 2.5 s of CPU each time. The caches are git-ignored; compiling skips files already up to date."""
    if not WORKER:
        compileall.compile_dir(Path(sunshine.__file__).parent, quiet=1)


def pytest_report_header(config) -> str:
    return f"sunshine database backend: {BACKEND}"


# Modules whose tests never touch a database (pure calculations, property tests, files): the SQLite run covers
# them, the PostgreSQL run of ``make test`` leaves them out — running them twice proves nothing more and costs
# minutes of CI. A module belongs here only if none of its tests asks for a database, a client, a server or the
# command line against ``SUNSHINE_DATABASE_URL``.
NO_DATABASE_MODULES = frozenset(
    {
        "awards/test_consultation_scores.py",
        "bidding/test_envelope_properties.py",
        "committees/test_composition.py",
        "complaints/test_clocks.py",
        "core/test_caseclock.py",
        "core/test_filestore.py",
        "core/test_workdays.py",
        "disclosure/test_detectors.py",
        "draws/test_bulk_paths.py",
        "draws/test_canonical_text.py",
        "draws/test_engine_properties.py",
        "evaluation/test_checks.py",
        "evaluation/test_properties.py",
        "evaluation/test_registry.py",
        "evaluation/test_worked_examples.py",
        "experts/test_pool_properties.py",
        "identity/test_credit_code.py",
        "incidents/test_extension_property.py",
        "inforequests/test_timing_property.py",
        "ledger/test_merkle.py",
        "monitoring/test_flags.py",
        "performance/test_interest.py",
        "qualifications/test_matching_properties.py",
        "rules/test_rule_packs.py",
        "signing/test_crypto.py",
        "tenderdocs/test_clauses_property.py",
        "trading/test_lifecycle_declaration.py",
        "web/test_write_limit.py",
    }
)


def pytest_collection_modifyitems(config, items) -> None:
    if BACKEND != "postgres":
        return
    root = Path(__file__).parent
    skipped = [item for item in items if item.path.relative_to(root).as_posix() in NO_DATABASE_MODULES]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if item.path.relative_to(root).as_posix() not in NO_DATABASE_MODULES]


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
    name = f"{make_url(url).database}_{WORKER}"
    try:
        worker_url = create_database_beside(url, name)
    except DBAPIError as e:
        pytest.exit(
            f"each pytest-xdist worker needs a database of its own, and creating {name} beside "
            f"SUNSHINE_TEST_POSTGRES_URL failed ({e.orig}); allow its user to CREATE DATABASE, "
            f"or run without workers (make test TEST_WORKERS=0)",
            returncode=2,
        )
    yield worker_url
    drop_database_beside(url, name)


@pytest.fixture(scope="session", autouse=True)
def lifecycle_domains() -> None:
    """Every domain's steps and hooks, as the app, the command line and the tick install them."""
    domains.install()


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
    for name in (DEMO_SNAPSHOT, demo_snapshot.LIVE):
        demo_snapshot.drop(db.engine, name)
    db.dispose()


def _wipe(db: Database) -> None:
    wipe(db.engine)


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch, database_url) -> Iterator[Path]:
    """Each test gets its own data folder (signing key, secret, file store) and settings."""
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", database_url)
    monkeypatch.setenv("SUNSHINE_SCHEDULER", "false")
    monkeypatch.setenv("SUNSHINE_WARM_ROUTES", "false")  # each test builds only the routes it visits
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


DEMO_SNAPSHOT = "demo_snapshot"


@pytest.fixture(scope="session")
def demo_snapshots(tmp_path_factory) -> Path:
    """Where this worker keeps its demo snapshots (SQLite files, copies of data folders)."""
    return tmp_path_factory.mktemp("demo-snapshots")


@pytest.fixture
def demo(db: Database, environment: Path, clock: AdjustableClock, demo_snapshots: Path) -> Iterator[Database]:
    """The whole demo, as ``load_demo_data(db)`` leaves it at ``START``, in the test's database and data folder.

    The first test on a worker that asks for it loads the demo for real and snapshots the result; the others
    get the snapshot back. Ask for it before ``app`` and ``client``: restoring replaces the data folder (its
    secret and platform key), which the app must read afterwards. Afterwards the demo's tables are emptied at
    once (``demo_snapshot.clear``) rather than row by row by the next test's ``wipe``.
    """
    from sunshine.demo import load_demo_data

    empty = demo_snapshot.empty_copy(db.engine, demo_snapshots)
    saved = demo_snapshot.SAVED.get(DEMO_SNAPSHOT)
    if saved is None:
        assert clock.now() == START, "the demo snapshot is taken at the tests' fixed clock"
        load_demo_data(db)
        saved = demo_snapshot.take(db.engine, environment, demo_snapshots, DEMO_SNAPSHOT)
        demo_snapshot.SAVED[DEMO_SNAPSHOT] = saved
    else:
        demo_snapshot.restore(saved, db.engine, environment)
    yield db
    demo_snapshot.clear(saved, db.engine, empty)


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
