"""Sessions expire: a page session after 30 minutes without a request and after 12 hours in any case, an API
token after its lifetime — the visitor is sent to the sign-in page with the reason in Chinese, the API
answers 401 with a stable code. The clock is the platform's (``core.clock``), moved by the tests."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

from fastapi.testclient import TestClient
from itsdangerous import URLSafeSerializer

from sunshine.core.auth import ACTIVITY_COOKIE, SESSION_COOKIE
from sunshine.identity.roles import Role
from tests.builders import api_token, make_user
from tests.pages import browser, csrf_token, page_text


def _sign_in_page(visitor, response) -> str:
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/login?next=")
    return page_text(visitor.get(response.headers["location"]).text)


def test_an_idle_page_session_expires_after_30_minutes(db, app, clock):
    make_user(db, Role.BIDDER, username="idle-bidder")
    with browser(app, "idle-bidder") as visitor:
        clock.advance(timedelta(minutes=29))
        assert visitor.get("/me").status_code == 200
        assert visitor.cookies.get(ACTIVITY_COOKIE)  # the answer renewed the activity mark
        clock.advance(timedelta(minutes=29))  # 58 minutes since sign-in, 29 since the last request
        assert visitor.get("/me", follow_redirects=False).status_code == 200
        clock.advance(timedelta(minutes=31))
        response = visitor.get("/my/bids", follow_redirects=False)
        assert unquote(response.headers["location"]) == "/login?next=/my/bids"
        assert not visitor.cookies.get(SESSION_COOKIE) and not visitor.cookies.get(ACTIVITY_COOKIE)
        text = _sign_in_page(visitor, response)
        assert "您已超过 30 分钟未操作，为保护账户安全已自动退出，请重新登录" in text
        # signing in again works at once
        form = visitor.get("/login")
        again = visitor.post(
            "/login",
            data={"username": "idle-bidder", "password": "correct-horse-battery", "csrf_token": csrf_token(form.text)},
            follow_redirects=False,
        )
        assert again.status_code == 303 and visitor.get("/me").status_code == 200


def _visit(app, session: str, mark: str | None):
    """A request with exactly these cookies (no jar carried over)."""
    cookies = {SESSION_COOKIE: session, **({ACTIVITY_COOKIE: mark} if mark else {})}
    with TestClient(app, base_url="https://testserver", cookies=cookies) as once:
        return once.get("/me", follow_redirects=False)


def test_a_forged_or_foreign_activity_mark_does_not_keep_a_session_alive(db, app, clock):
    make_user(db, Role.BIDDER, username="forger")
    with browser(app, "forger") as visitor:
        session = visitor.cookies.get(SESSION_COOKIE)
        clock.advance(timedelta(minutes=20))
        assert visitor.get("/me").status_code == 200
        genuine = visitor.cookies.get(ACTIVITY_COOKIE)
    token_id, _ = URLSafeSerializer(app.state.secret_key, salt="session-activity").loads(genuine)
    clock.advance(timedelta(minutes=35))  # 35 minutes since the last genuine request
    later = int(clock.now().timestamp())
    forged = URLSafeSerializer("not-the-platform-key", salt="session-activity").dumps([token_id, later])
    foreign = URLSafeSerializer(app.state.secret_key, salt="session-activity").dumps([token_id + 1, later])
    for mark in (forged, foreign, "garbage", genuine, None):
        response = _visit(app, session, mark)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), mark
    # the genuine mark of a later request would have kept it: signed by the platform for this session
    fresh = URLSafeSerializer(app.state.secret_key, salt="session-activity").dumps([token_id, later])
    assert _visit(app, session, fresh).status_code == 200


def test_a_page_session_ends_after_12_hours_however_busy(db, app, clock):
    make_user(db, Role.BIDDER, username="busy-bidder")
    with browser(app, "busy-bidder") as visitor:
        for _ in range(28):  # 11 h 40 min of requests every 25 minutes
            clock.advance(timedelta(minutes=25))
            assert visitor.get("/me", follow_redirects=False).status_code == 200
        clock.advance(timedelta(minutes=25))
        response = visitor.get("/me", follow_redirects=False)
        assert "登录已超过 12 小时有效期，为保护账户安全已自动退出，请重新登录" in _sign_in_page(visitor, response)


def test_a_form_sent_after_the_session_expired_goes_to_sign_in_not_a_csrf_error(db, app, clock):
    make_user(db, Role.BIDDER, username="late-bidder")
    with browser(app, "late-bidder") as visitor:
        form = visitor.get("/my/bids")
        clock.advance(timedelta(minutes=45))
        response = visitor.post(
            "/my/bids/TB-NONE/withdraw",
            data={"csrf_token": csrf_token(form.text)},
            headers={"referer": "https://testserver/my/bids"},
            follow_redirects=False,
        )
        assert unquote(response.headers["location"]) == "/login?next=/my/bids"
        assert "分钟未操作" in _sign_in_page(visitor, response)


def test_an_expired_session_on_a_public_page_is_simply_signed_out(db, app, clock):
    make_user(db, Role.BIDDER, username="reader")
    with browser(app, "reader") as visitor:
        clock.advance(timedelta(hours=1))
        page = visitor.get("/trading")
        assert page.status_code == 200 and "登录" in page_text(page.text)
        assert not visitor.cookies.get(SESSION_COOKIE)


def test_an_api_token_expires_after_its_lifetime_with_a_stable_code(db, client, clock):
    make_user(db, Role.BIDDER, username="api-bidder")
    token = api_token(client, "api-bidder")
    clock.advance(timedelta(hours=23, minutes=59))
    assert client.get("/api/v1/me", headers=token).status_code == 200
    clock.advance(timedelta(minutes=1))
    expired = client.get("/api/v1/me", headers=token)
    assert expired.status_code == 401
    problem = expired.json()
    assert problem["code"] == "token_expired" and "访问令牌已于" in problem["detail"] and "过期" in problem["detail"]
    unknown = client.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"})
    assert unknown.status_code == 401 and unknown.json()["code"] == "not_authenticated"
