"""Security headers as a client receives them: a Content-Security-Policy that admits no inline script or style
(and templates that need none), HSTS only over HTTPS with the configured max-age, ``Cache-Control: no-store``
on every private answer while public pages stay cacheable, and no ``Server`` banner from the application."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sunshine.config import get_settings
from sunshine.identity.roles import Role
from tests.builders import PASSWORD, api_token, make_user
from tests.pages import browser, csrf_token

SRC = Path(__file__).resolve().parents[2] / "src" / "sunshine"


def _csp(response) -> dict[str, list[str]]:
    policy = {}
    for part in response.headers["content-security-policy"].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def test_the_policy_admits_only_the_sites_own_scripts_and_styles(client):
    page = client.get("/")
    assert page.status_code == 200
    csp = _csp(page)
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert "unsafe" not in page.headers["content-security-policy"]
    # the same on the API, on errors and on static files
    for path in ("/api/v1/projects", "/no/such/page", "/static/js/sunshine.js"):
        assert client.get(path).headers["content-security-policy"] == page.headers["content-security-policy"]


def test_no_template_carries_inline_script_style_or_event_handler():
    """What the policy refuses must not be in any page: every template of every package."""
    offending = []
    patterns = {
        "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
        "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
        "style element": re.compile(r"<style\b", re.I),
        "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
        "htmx eval": re.compile(r"\bhx-on\b|\bhx-on:|js:", re.I),
    }
    templates = sorted(SRC.rglob("*.html"))
    assert len(templates) > 50  # the scan really reads the templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for what, pattern in patterns.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offending.append(f"{template.relative_to(SRC)}:{line}: {what}")
    assert offending == []


def test_hsts_only_over_https_with_the_configured_max_age(app, monkeypatch):
    with TestClient(app, base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/").headers
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/").headers["strict-transport-security"] == "max-age=31536000"
        assert secure.get("/api/v1/projects").headers["strict-transport-security"] == "max-age=31536000"
    monkeypatch.setenv("SUNSHINE_HSTS_MAX_AGE", "600")
    get_settings.cache_clear()
    app.state.settings = get_settings()
    with TestClient(app, base_url="https://testserver") as secure:
        assert secure.get("/").headers["strict-transport-security"] == "max-age=600"
    monkeypatch.setenv("SUNSHINE_HSTS_MAX_AGE", "0")
    get_settings.cache_clear()
    app.state.settings = get_settings()
    with TestClient(app, base_url="https://testserver") as secure:
        assert "strict-transport-security" not in secure.get("/").headers


def test_public_pages_stay_cacheable_private_answers_are_not_stored(db, app, client):
    make_user(db, Role.BIDDER, username="cache-bidder")
    # public, anonymous: no no-store (the feed keeps its own caching header)
    for path in ("/", "/trading", "/api/v1/projects", "/static/css/sunshine.css"):
        assert "no-store" not in client.get(path).headers.get("cache-control", ""), path
    feed = client.get("/feeds/notices.atom")
    assert feed.status_code == 200 and feed.headers["cache-control"].startswith("public")
    # a page whose form carries a CSRF token
    assert client.get("/login").headers["cache-control"] == "no-store"
    # the API with a token, also when it refuses
    issued = client.post("/api/v1/auth/token", json={"username": "cache-bidder", "password": PASSWORD})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    token = api_token(client, "cache-bidder")
    assert client.get("/api/v1/me", headers=token).headers["cache-control"] == "no-store"
    assert client.get("/api/v1/projects", headers=token).headers["cache-control"] == "no-store"
    refused = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401 and refused.headers["cache-control"] == "no-store"
    # every page a signed-in user is shown, public ones included
    with browser(app, "cache-bidder") as bidder:
        for path in ("/me", "/", "/trading", "/my/bids"):
            response = bidder.get(path)
            assert response.status_code == 200, path
            assert response.headers["cache-control"] == "no-store", path


def test_the_application_sends_no_server_banner(client):
    for path in ("/", "/api/v1/projects", "/healthz", "/no/such/page"):
        response = client.get(path)
        assert "server" not in response.headers, (path, response.headers.get("server"))


@pytest.mark.parametrize("path", ["/reauth", "/login"])
def test_forms_of_the_session_pages_carry_csrf_and_are_not_stored(db, app, path):
    make_user(db, Role.BIDDER, username="form-bidder")
    with browser(app, "form-bidder") as bidder:
        page = bidder.get(path)
        assert page.status_code == 200 and csrf_token(page.text)
        assert page.headers["cache-control"] == "no-store"
