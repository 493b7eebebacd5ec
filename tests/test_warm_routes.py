"""A served app builds every route's handling before it admits the first request (web/routes.py), so no page makes
its first visitor wait for the framework to build the routes of the routers listed before it."""

from __future__ import annotations

from fastapi.testclient import TestClient

import sunshine.app as app_module
from sunshine.app import create_app
from sunshine.config import get_settings


def test_the_routes_are_built_at_start_up_when_the_setting_is_on(db, monkeypatch):
    built: list[int] = []
    real = app_module.warm_routes

    def counting(router):
        built.append(real(router))
        return built[-1]

    monkeypatch.setattr(app_module, "warm_routes", counting)
    monkeypatch.setenv("SUNSHINE_WARM_ROUTES", "true")
    get_settings.cache_clear()
    app = create_app(get_settings(), db, run_scheduler=False)
    with TestClient(app) as client:
        assert built and built[0] >= 100, "every domain's routers, pages and API"
        assert client.get("/supervision").status_code == 200
    assert len(built) == 1


def test_tests_build_only_the_routes_they_visit(db, monkeypatch):
    called: list[object] = []
    monkeypatch.setattr(app_module, "warm_routes", called.append)
    app = create_app(get_settings(), db, run_scheduler=False)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    assert called == []
