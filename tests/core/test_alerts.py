"""The shared alerts (``sunshine.core.alerts``): raised once per fact, listed by audience (role or user),
acknowledged only by their audience, handled when the fact is over; and the migration that moved the two
domain tables into the shared one keeps every row, with the key its domain now raises it by."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, make_url, text

from sunshine.core import alerts
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.core.models import Alert
from sunshine.identity.roles import Role
from sunshine.migrate import upgrade
from tests.conftest import BACKEND

BIDDER = Principal(user_id=2, username="b", roles=frozenset({Role.BIDDER}))


def _raise(s, key: str, **kw) -> Alert | None:
    defaults = dict(domain="test", kind="overdue", subject_kind="case", subject_id=7, message="已逾期")
    return alerts.raise_once(s, key=key, **{**defaults, **kw})


def test_one_alert_per_fact_listed_by_audience_and_handled_once_over(db, clock):
    from tests.builders import make_user

    make_user(db, Role.DISCLOSURE_OFFICE, username="alert-office")
    with db.unit_of_work() as s:
        user_id = s.scalar(text("SELECT id FROM app_user WHERE username = 'alert-office'"))
    office = Principal(user_id=user_id, username="alert-office", roles=frozenset({Role.DISCLOSURE_OFFICE}))
    centre = Principal(user_id=None, roles=frozenset({Role.CENTRE_STAFF}))
    with db.unit_of_work() as s:
        first = _raise(s, "case:7:overdue", audience=[Role.DISCLOSURE_OFFICE], due=date(2026, 12, 1))
        assert first is not None
        assert _raise(s, "case:7:overdue", audience=[Role.DISCLOSURE_OFFICE]) is None  # the same fact again
        _raise(s, "case:8:reminder", subject_id=8, kind="reminder", audience=[Role.SUPERVISOR], user_id=user_id)
    with db.unit_of_work() as s:
        assert [a.key for a in alerts.for_principal(s, office)] == ["case:8:reminder", "case:7:overdue"]
        assert alerts.for_principal(s, centre) == []  # "centre_staff" is not "disclosure_office"
        assert alerts.for_principal(s, BIDDER) == []
        with pytest.raises(NotFound):
            alerts.acknowledge(s, BIDDER, first.id)
        seen = alerts.acknowledge(s, office, first.id)
        assert seen.acknowledged_by == user_id and seen.resolved_at is None
        assert alerts.resolve(s, subject_kind="case", subject_id=7) == 1
        assert alerts.resolve(s, subject_kind="case", subject_id=7) == 0
    with db.unit_of_work() as s:
        assert [a.key for a in alerts.for_principal(s, office)] == ["case:8:reminder"]
        assert [a.key for a in alerts.for_principal(s, office, open_only=False)][-1] == "case:7:overdue"
        assert alerts.raised_subjects(s, kind="overdue", subject_kind="case") == {7}
        assert set(alerts.for_subjects(s, "case", [7, 8, 9])) == {7, 8}


def test_the_alerts_api_lists_and_acknowledges_ones_own(db, client, clock):
    from tests.builders import api_token, make_user

    make_user(db, Role.DISCLOSURE_OFFICE, username="api-office")
    make_user(db, Role.BIDDER, username="api-bidder")
    with db.unit_of_work() as s:
        alert_id = _raise(s, "case:9:overdue", subject_id=9, audience=[Role.DISCLOSURE_OFFICE]).id
    office, bidder = api_token(client, "api-office"), api_token(client, "api-bidder")
    assert [a["id"] for a in client.get("/api/v1/alerts", headers=office).json()] == [alert_id]
    assert client.get("/api/v1/alerts", headers=bidder).json() == []
    assert client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=bidder).status_code == 404
    done = client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=office)
    assert done.status_code == 200 and done.json()["acknowledged_at"] is not None


# --------------------------------------------------------------------------- the migration


@pytest.fixture
def empty_engine(tmp_path):
    """A database of its own, empty, for running the migrations step by step."""
    if BACKEND != "postgres":
        engine = create_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield engine
        engine.dispose()
        return
    url = make_url(os.environ["SUNSHINE_TEST_POSTGRES_URL"])
    scratch = f"{url.database}_alert_migration"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    engine = create_engine(url.set(database=scratch))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))
    admin.dispose()


REQUEST = {
    "year": 2026,
    "tracking_no": "依申〔2026〕第0001号",
    "code_hash": "0" * 64,
    "channel": "online",
    "submitted_on": date(2026, 11, 23),
    "received_on": date(2026, 11, 23),
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "contact_phone": "13800000000",
    "applicant_key": "k" * 64,
    "description": "某某信息",
    "form_wanted": "electronic",
    "delivery": "online",
    "pack_key": "disclosure.gip_2019",
    "pack_version": "1",
    "rules_snapshot": "{}",
    "volume_flag": False,
}


def test_the_migration_moves_both_tables_into_one(empty_engine):
    t0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    t1 = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    upgrade(empty_engine, "20261122_2700")
    with empty_engine.begin() as conn:
        if empty_engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")  # rows without their parents
        conn.execute(
            text(
                "INSERT INTO disclosure_alert (kind, obligation_id, organisation_id, message, created_at, resolved_at)"
                " VALUES ('disclosure_overdue', 12, 3, '已逾期', :t0, NULL),"
                " ('disclosure_overdue', 13, NULL, '已逾期二', :t0, :t1)"
            ),
            {"t0": t0, "t1": t1},
        )
        for rid, state, serial in ((5, "routed", 1), (6, "answered", 2)):
            conn.execute(
                text(
                    "INSERT INTO info_request (id, year, serial, tracking_no, short_code, code_hash, channel,"
                    " submitted_on, received_on, applicant_type, applicant_name, contact_phone, applicant_key,"
                    " description, form_wanted, delivery, pack_key, pack_version, rules_snapshot, state, volume_flag,"
                    " created_at, updated_at) VALUES (:id, :year, :serial, :tracking_no, :short_code, :code_hash,"
                    " :channel, :submitted_on, :received_on, :applicant_type, :applicant_name, :contact_phone,"
                    " :applicant_key, :description, :form_wanted, :delivery, :pack_key, :pack_version,"
                    " :rules_snapshot, :state, :volume_flag, :t0, :t1)"
                ),
                {
                    **REQUEST,
                    "id": rid,
                    "serial": serial,
                    "state": state,
                    "tracking_no": f"{REQUEST['tracking_no']}{rid}",
                    "short_code": f"YS{rid}",
                    "t0": t0,
                    "t1": t1,
                },
            )
        conn.execute(
            text(
                "INSERT INTO info_request_alert (request_id, kind, due, message, user_id, created_at) VALUES"
                " (5, 'overdue', :due, '答复期限届满', 4, :t0), (6, 'reminder', :due, '还剩3个工作日', NULL, :t0)"
            ),
            {"due": date(2026, 12, 21), "t0": t0},
        )
    upgrade(empty_engine)
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT key, domain, kind, subject_kind, subject_id, due, message, audience, organisation_id,"
                " user_id, resolved_at IS NOT NULL FROM alert ORDER BY key"
            )
        ).all()
        tables = {
            name
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
                if empty_engine.dialect.name == "sqlite"
                else text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
        }
    due = date(2026, 12, 21)
    obligation = ("disclosure", "disclosure_overdue", "disclosure-obligation")
    assert [tuple(r[:5]) for r in rows] == [
        ("disclosure_overdue:disclosure-obligation:12", *obligation, 12),
        ("disclosure_overdue:disclosure-obligation:13", *obligation, 13),
        ("inforequest:5:overdue:2026-12-21", "inforequests", "overdue", "inforequest", 5),
        ("inforequest:6:reminder:2026-12-21", "inforequests", "reminder", "inforequest", 6),
    ]
    assert [(str(r[5]) if r[5] else None, r[6], r[7].split(), r[8], r[9], bool(r[10])) for r in rows] == [
        (None, "已逾期", ["admin", "centre_staff", "disclosure_office", "supervisor"], 3, None, False),
        (None, "已逾期二", ["admin", "centre_staff", "disclosure_office", "supervisor"], None, None, True),
        (str(due), "答复期限届满", ["disclosure_office"], None, 4, False),
        (str(due), "还剩3个工作日", ["disclosure_office"], None, None, True),  # the request was answered
    ]
    assert "alert" in tables and not tables & {"disclosure_alert", "info_request_alert"}
