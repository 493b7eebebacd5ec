"""Page login with a secure HttpOnly session cookie, CSRF on every form, logout."""

from __future__ import annotations

from sunshine.core.auth import SESSION_COOKIE
from sunshine.identity.roles import Role
from tests.builders import PASSWORD, make_user
from tests.pages import csrf_token as _token


def test_login_sets_secure_httponly_cookie_and_lands_on_workbench(db, client):
    make_user(db, Role.CENTRE_STAFF, username="chenjing")
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "chenjing", "password": PASSWORD, "csrf_token": _token(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/me"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    landing = client.get("/me")
    assert "我的工作台" in landing.text and "交易中心" in landing.text
    assert "欢迎，chenjing" in landing.text, "the flash message is shown once"
    assert "欢迎，chenjing" not in client.get("/me").text


def test_login_without_csrf_token_is_refused(db, client):
    make_user(db, Role.BIDDER, username="hl")
    client.get("/login")
    response = client.post("/login", data={"username": "hl", "password": PASSWORD})
    assert response.status_code == 403
    assert "表单已失效" in response.text


def test_csrf_token_of_another_visitor_is_refused(db, app, client):
    from fastapi.testclient import TestClient

    make_user(db, Role.BIDDER, username="hl")
    with TestClient(app, base_url="https://testserver") as other:
        stolen = _token(other.get("/login").text)
    client.get("/login")
    response = client.post("/login", data={"username": "hl", "password": PASSWORD, "csrf_token": stolen})
    assert response.status_code == 403


def test_wrong_password_rerenders_form_with_error_beside_field(db, client):
    make_user(db, Role.BIDDER, username="hl")
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "hl", "password": "wrong-password", "csrf_token": _token(page.text)}
    )
    assert response.status_code == 400
    assert "用户名或密码错误" in response.text
    assert 'value="hl"' in response.text


def test_logout_needs_post_and_revokes_session(db, client):
    make_user(db, Role.BIDDER, username="hl")
    page = client.get("/login")
    client.post("/login", data={"username": "hl", "password": PASSWORD, "csrf_token": _token(page.text)})
    session_cookie = client.cookies.get(SESSION_COOKIE)
    me = client.get("/me")
    assert client.get("/logout").status_code == 405
    out = client.post("/logout", data={"csrf_token": _token(me.text)}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set(SESSION_COOKIE, session_cookie)
    again = client.get("/me", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


def test_protected_page_redirects_anonymous_to_login_with_next(client):
    response = client.get("/admin/calendar?year=2027", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/admin/calendar%3Fyear%3D2027"


def test_open_redirect_through_next_is_prevented(db, client):
    make_user(db, Role.BIDDER, username="hl")
    page = client.get("/login?next=//evil.example/")
    assert 'name="next" value="/me"' in page.text
    response = client.post(
        "/login",
        data={"username": "hl", "password": PASSWORD, "next": "https://evil.example/", "csrf_token": _token(page.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/me"


def test_each_role_lands_on_its_own_workbench(db, client):
    expectations = {
        Role.ADMIN: "工作日历与放假安排",
        Role.BIDDER: "法定期限计算",
        Role.SOCIAL_SUPERVISOR: "验证留痕记录",
    }
    for role, task in expectations.items():
        client.cookies.clear()
        make_user(db, role, username=f"u-{role.value}")
        page = client.get("/login")
        client.post(
            "/login", data={"username": f"u-{role.value}", "password": PASSWORD, "csrf_token": _token(page.text)}
        )
        landing = client.get("/me")
        assert role.label in landing.text and task in landing.text
