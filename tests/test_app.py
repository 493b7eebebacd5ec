"""Application start-up, settings, clock and demo data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sunshine.cli import app as cli
from sunshine.config import Settings
from sunshine.core import clock as clock_module
from sunshine.core.clock import SystemClock
from sunshine.core.errors import ClockLocked, DatabaseNotReady
from sunshine.db import Database


def test_server_refuses_an_unmigrated_database(tmp_path):
    from sunshine.app import create_app

    db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseNotReady) as caught:
        create_app(Settings(data_dir=tmp_path), db)
    assert "sunshine db upgrade" in caught.value.detail


def test_serve_command_says_which_command_to_run(tmp_path, monkeypatch):
    from sunshine.config import get_settings

    monkeypatch.setenv("SUNSHINE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert "sunshine db upgrade" in result.output


def test_db_upgrade_then_current(tmp_path, monkeypatch):
    from sunshine.config import get_settings
    from sunshine.migrate import pending_message

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("SUNSHINE_DATABASE_URL", url)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert pending_message(Database(url).engine) is None


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_secret_key_is_generated_once_and_kept(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first = settings.resolved_secret_key()
    assert len(first) > 40
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_system_clock_cannot_be_moved():
    system = SystemClock()
    with pytest.raises(ClockLocked):
        system.set(datetime(2030, 1, 1, tzinfo=UTC))
    with pytest.raises(ClockLocked):
        system.advance(timedelta(days=1))
    assert abs(system.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_adjustable_clock_walks_time(clock):
    before = clock_module.now()
    clock.advance(timedelta(days=20))
    assert clock_module.now() - before == timedelta(days=20)
    assert clock_module.now().tzinfo is not None


def test_times_are_stored_in_utc_and_come_back_aware(db, clock):
    from sunshine.identity import service
    from sunshine.identity.models import OrganisationKind
    from tests.builders import valid_credit_code

    with db.unit_of_work() as s:
        org = service.create_organisation(
            s,
            name="示范公司",
            credit_code_value=valid_credit_code(),
            kind=OrganisationKind.ENTERPRISE,
            region_code="350100",
        )
        org_id = org.id
    with db.unit_of_work() as s:
        loaded = service.get_organisation(s, org_id)
        assert loaded.created_at == clock.now()
        assert loaded.created_at.utcoffset() == timedelta(0)


def test_demo_data_is_idempotent(demo, db):
    from sunshine.demo import USERS, load_demo_data
    from sunshine.demo.credit import account_rows as credit_accounts
    from sunshine.demo.evaluation import SUPPLIERS
    from sunshine.demo.experts import DEMO_USERS
    from sunshine.demo.market import PARTICIPANTS
    from sunshine.demo.supervision import account_rows as supervision_accounts
    from sunshine.identity import service
    from sunshine.ledger import service as ledger

    with db.unit_of_work() as s:
        size = ledger.size(s)
        users = len(service.list_users(s))
    load_demo_data(db)
    with db.unit_of_work() as s:
        assert ledger.size(s) == size
        # the platform's accounts, the administrators the market participants registered themselves, and the
        # accounts of the demo expert pool (experts and applicants), the evaluation demo's suppliers, the credit
        # demo's banned contractor
        assert (
            len(service.list_users(s))
            == users
            == (
                len(USERS)
                + len(PARTICIPANTS)
                + DEMO_USERS
                + len(SUPPLIERS)
                + len(credit_accounts())
                + len(supervision_accounts())
            )
        )


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["ledger_size"] == 0


def test_demo_data_covers_every_trading_method_at_various_stages(demo, db):
    from sqlalchemy import select

    from sunshine.ledger.export import iter_db_entries, iter_db_heads
    from sunshine.ledger.signing import platform_key
    from sunshine.ledger.verify import verify_log
    from sunshine.rules.registry import registry
    from sunshine.trading.labels import TRANSACTION_TYPES
    from sunshine.trading.models import Deposit, Project, Registration

    with db.unit_of_work() as s:
        projects = s.scalars(select(Project)).all()
        packs = {p.pack_key for p in projects}
        states = {p.state for p in projects}
        trading_packs = {p.key for p in registry().current() if p.transaction_type in TRANSACTION_TYPES}
        assert trading_packs <= packs
        assert {
            "registered",
            "returned",
            "accepted",
            "notice_published",
            "bid_closed",
            "suspended",
            "terminated",
        } <= states
        assert any(p.green_channel for p in projects)
        assert s.scalars(select(Registration)).first() is not None
        assert {d.status for d in s.scalars(select(Deposit))} >= {"paid", "refund_due"}
        report = verify_log(iter_db_entries(s), list(iter_db_heads(s)), platform_key().public_bytes)
    assert report.ok, report.problems
