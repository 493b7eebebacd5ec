"""Bad input answers a clear 4xx problem+json in Chinese with a stable code — never a 500."""

from __future__ import annotations

from sunshine.identity.roles import Role
from tests.builders import api_token, make_user

PROBLEM = "application/problem+json"


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith(code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["title"] + body["detail"]), "message is in Chinese"
    return body


def test_unknown_api_route(client):
    body = _problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["instance"] == "/api/v1/no-such-thing"


def test_unknown_page_route_renders_chinese_error_page(client):
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "未找到所请求的内容" in response.text and "404" in response.text


def test_method_not_allowed(client):
    response = client.delete("/api/v1/ledger/key")
    _problem(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET", "a 405 says which methods the resource allows"
    page = client.delete("/ledger", headers={"accept": "text/html"})
    assert page.status_code == 405 and "不支持该请求方法" in page.text and "GET" in page.headers["allow"]


def test_bad_json(client):
    response = client.post(
        "/api/v1/auth/token", content=b'{"username": "a", ', headers={"content-type": "application/json"}
    )
    _problem(response, 400, "invalid_json")


def test_wrong_types_list_each_field(db, client):
    make_user(db, Role.ADMIN, username="root")
    headers = api_token(client, "root")
    response = client.post(
        "/api/v1/admin/users",
        headers=headers,
        json={"username": 5, "display_name": "", "password": "x", "roles": ["nobody"]},
    )
    body = _problem(response, 422, "invalid_input")
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["username"] == "应为字符串"
    assert fields["display_name"] == "至少 1 个字符"
    assert fields["password"] == "至少 10 个字符"
    assert "roles.0" in fields


def test_query_validation(client):
    body = _problem(client.get("/api/v1/calendar/deadline?start=2026-02-30&days=abc"), 422, "invalid_input")
    assert {e["field"] for e in body["errors"]} == {"start", "days"}
    assert all(e["in"] == "query" for e in body["errors"])


def test_oversized_declared_body(client, app):
    limit = app.state.settings.max_body_bytes
    response = client.post(
        "/api/v1/auth/token", content=b"x" * (limit + 1), headers={"content-type": "application/json"}
    )
    _problem(response, 413, "payload_too_large")


def test_oversized_streamed_body(client, app):
    limit = app.state.settings.max_body_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    response = client.post("/api/v1/auth/token", content=chunks(), headers={"content-type": "application/json"})
    _problem(response, 413, "payload_too_large")


def test_unauthenticated_api_call_has_www_authenticate(client):
    response = client.get("/api/v1/me")
    _problem(response, 401, "not_authenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_forbidden_role(db, client):
    make_user(db, Role.BIDDER, username="hl")
    _problem(client.get("/api/v1/admin/users", headers=api_token(client, "hl")), 403, "forbidden")


def test_huge_integers_do_not_crash(client):
    response = client.get("/api/v1/ledger/entries/99999999999999999999999")
    assert response.status_code in (404, 422)


def test_security_headers_on_every_response(client):
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
