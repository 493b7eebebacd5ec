"""Page views made durable without a write per request: counted in memory, written once the flush interval has
passed (after the response) and at the application's shutdown, kept for the next write if one fails; the monitoring
settings read through config.py (the rule pack file, the recording approver)."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sunshine.app import create_app
from sunshine.config import get_settings
from sunshine.identity.roles import Role
from sunshine.monitoring import recordings, ruleset, usage
from sunshine.monitoring.models import PageView


def _views(db, path: str) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(func.coalesce(func.sum(PageView.views), 0)).where(PageView.path == path))


def test_page_views_written_each_interval_and_at_shutdown(db, monkeypatch):
    monkeypatch.setenv("SUNSHINE_PAGE_VIEW_FLUSH_SECONDS", "60")
    get_settings.cache_clear()
    usage.take()  # nothing left over from other tests
    app = create_app(get_settings(), db, run_scheduler=False)
    with TestClient(app, base_url="https://testserver") as client:
        usage.flush_to(db)  # the interval starts now
        assert client.get("/monitoring/rules").status_code == 200
        assert client.get("/monitoring/rules").status_code == 200
        assert _views(db, "/monitoring/rules") == 0  # within the interval: in memory, no write per request
        monkeypatch.setattr(usage, "_last_write", time.monotonic() - 61)  # a minute later
        assert client.get("/monitoring/rules").status_code == 200  # the interval passed: all three written at once
        assert _views(db, "/monitoring/rules") == 3
        assert client.get("/monitoring/rules").status_code == 200
        assert _views(db, "/monitoring/rules") == 3
    assert _views(db, "/monitoring/rules") == 4  # the shutdown wrote the last one

    class Broken:
        def unit_of_work(self):
            raise RuntimeError("database unavailable")

    usage.count("/monitoring/rules")
    assert usage.flush_to(Broken()) == 0  # the write failed: the count is kept for the next one
    assert usage.flush_to(db) == 1 and _views(db, "/monitoring/rules") == 5


def test_monitoring_settings_come_from_config(tmp_path, monkeypatch):
    pack = tmp_path / "rules.yaml"
    pack.write_text(ruleset.PACK.read_text(encoding="utf-8").replace("name:", "name: 本地", 1), encoding="utf-8")
    monkeypatch.setenv("SUNSHINE_MONITORING_RULES", str(pack))
    monkeypatch.setenv("SUNSHINE_RECORDING_APPROVER", "centre_staff")
    get_settings.cache_clear()
    try:
        assert get_settings().monitoring_rules == pack
        assert ruleset.reload().name.startswith("本地")
        assert recordings.approver_role() == Role.CENTRE_STAFF
        monkeypatch.setenv("SUNSHINE_RECORDING_APPROVER", "nobody")
        get_settings.cache_clear()
        assert recordings.approver_role() == Role.SUPERVISOR  # not a role: the platform default
    finally:
        monkeypatch.delenv("SUNSHINE_MONITORING_RULES")
        get_settings.cache_clear()
        ruleset.reload()


def test_device_identifiers_are_kept_only_as_keyed_hashes(monkeypatch):
    from sunshine.bidding.service import Origin

    fingerprint = "ab" * 32  # what the bid page sends: SHA-256 of the browser's features, hashed in the browser
    monkeypatch.setenv("SUNSHINE_DEVICE_HASH_KEY", "centre-secret-1")
    get_settings.cache_clear()
    stored = Origin(device=f"browser={fingerprint}").device_json()
    again = Origin(device=f"browser={fingerprint.upper()};mac=aa:bb:cc:dd:ee:01").device_json()
    assert fingerprint not in stored and "aa:bb" not in again  # never the client's value itself
    assert json.loads(stored)["browser"] == json.loads(again)["browser"]  # the same browser compares equal
    monkeypatch.setenv("SUNSHINE_DEVICE_HASH_KEY", "centre-secret-2")
    get_settings.cache_clear()
    assert json.loads(Origin(device=f"browser={fingerprint}").device_json())["browser"] != json.loads(stored)["browser"]
    assert Origin(device="nonsense").device_json() is None  # a malformed header is ignored, the bid is not refused
    get_settings.cache_clear()
