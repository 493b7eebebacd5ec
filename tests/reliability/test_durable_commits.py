"""Commits are durable before they return: SQLite runs with ``synchronous=FULL`` unless the setting asks
for the weaker NORMAL (for measuring only), and a PostgreSQL session configured with
``synchronous_commit=off`` is switched back on, while a stronger configured value is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sunshine.config import get_settings
from sunshine.db import Database

SQLITE_LEVELS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def _sqlite_level(url: str) -> str:
    db = Database(url)
    try:
        with db.unit_of_work() as s:
            return SQLITE_LEVELS[s.execute(text("PRAGMA synchronous")).scalar()]
    finally:
        db.dispose()


def test_sqlite_commits_are_fsynced_unless_the_setting_says_normal(tmp_path, monkeypatch):
    assert _sqlite_level(f"sqlite:///{tmp_path / 'a.db'}") == "FULL"
    monkeypatch.setenv("SUNSHINE_SQLITE_SYNCHRONOUS", "normal")
    get_settings.cache_clear()
    assert _sqlite_level(f"sqlite:///{tmp_path / 'b.db'}") == "NORMAL"
    monkeypatch.setenv("SUNSHINE_SQLITE_SYNCHRONOUS", "off")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="sqlite_synchronous"):
        get_settings()


@pytest.mark.parametrize(
    ("configured", "in_force"), [("off", "on"), ("local", "local"), ("remote_apply", "remote_apply")]
)
def test_postgresql_sessions_never_commit_with_synchronous_commit_off(database_url, configured, in_force):
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    # as if the server, the database or the role were configured so: the session starts with that value
    url = make_url(database_url).update_query_dict({"options": f"-c synchronous_commit={configured}"})
    db = Database(url.render_as_string(hide_password=False))
    try:
        for _ in range(2):  # a new connection, then the same one back from the pool
            with db.unit_of_work() as s:
                assert s.execute(text("SHOW synchronous_commit")).scalar() == in_force
    finally:
        db.dispose()
