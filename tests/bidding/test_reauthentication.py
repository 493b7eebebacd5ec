"""The password again before the sensitive steps of a sealed bid — submitting, withdrawing, decrypting — on the
API (401 ``reauthentication_required``; a fresh token satisfies it) and on the pages (the re-authentication
page and back to the form; the bid page's script asks in place). Wrong passwords there count in the login
throttle. One mechanism (``core.auth.RecentAuth``) that other domains reuse."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from sunshine import tasks
from sunshine.bidding import envelope
from sunshine.config import get_settings
from sunshine.core.auth import RecentAuth
from sunshine.identity.models import LoginThrottle
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import PASSWORD, api_token
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import cheap_password_hashing

LATER = timedelta(minutes=11)  # past the 10 minutes (reauth_minutes) since the password was entered


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db, monkeypatch):
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")  # tokens that live through the tender period
    get_settings.cache_clear()
    world = tender_with_bidders(db)
    world.bid_url = f"/projects/{world.project_id}/sections/{world.section_id}/bid"
    world.room = f"/projects/{world.project_id}/opening"
    return world


def _submit_api(client, w, token, sealed):
    return client.post(
        f"/api/v1/sections/{w.section_id}/bids",
        content=sealed.sealed,
        headers={
            **token,
            "Content-Type": "application/octet-stream",
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        },
    )


def _asks_again(response, where: str) -> None:
    assert response.status_code == 401, response.text
    problem = response.json()
    assert problem["code"] == "reauthentication_required"
    assert problem["detail"] == "此操作须在 10 分钟内输入过密码，请再次输入密码确认身份"
    assert problem["max_age_seconds"] == 600 and problem["reauthenticate"] == where


def test_the_sensitive_routes_and_only_they_take_recent_authentication(app):
    # a bid's submission, withdrawal and decryption (docs/security.md) and the signing of a contract (docs/awards.md)
    confirmed = sorted(
        f"{method} {ctx.path}"
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute)
        for method in ctx.methods - {"HEAD", "OPTIONS"}
        if any(isinstance(d.call, RecentAuth) for d in ctx.dependant.dependencies)
    )
    assert confirmed == [
        "POST /api/v1/bids/{bid_no}/reveal",
        "POST /api/v1/bids/{bid_no}/withdraw",
        "POST /api/v1/contracts/{contract_id}/sign",
        "POST /api/v1/sections/{section_id}/bids",
        "POST /contracts/{contract_id}/sign",
        "POST /my/bids/{bid_no}/withdraw",
        "POST /projects/{project_id}/opening/reveal",
        "POST /projects/{project_id}/sections/{section_id}/bid",
    ]


def test_api_submit_withdraw_and_reveal_need_a_recent_password(db, client, w, clock):
    bidder = w.bidders[0].username
    old = api_token(client, bidder)
    me = client.get("/api/v1/me", headers=old).json()
    assert me["confirmed_until"] is not None and me["authenticated_at"] is not None
    sealed = seal_for(w, w.bidders[0])
    clock.advance(LATER)
    _asks_again(_submit_api(client, w, old, sealed), "/api/v1/auth/token")
    assert client.get("/api/v1/bids/mine", headers=old).json() == []  # nothing was recorded; reading needs nothing

    fresh = api_token(client, bidder)
    done = _submit_api(client, w, fresh, sealed)
    assert done.status_code == 201, done.text
    bid_no = done.json()["bid_no"]

    clock.advance(LATER)
    _asks_again(client.post(f"/api/v1/bids/{bid_no}/withdraw", headers=fresh), "/api/v1/auth/token")
    assert client.get(f"/api/v1/bids/{bid_no}", headers=fresh).json()["status"] == "sealed"
    # a second bid to reveal after the first is withdrawn
    again = api_token(client, bidder)
    assert client.post(f"/api/v1/bids/{bid_no}/withdraw", headers=again).json()["status"] == "withdrawn"
    second = seal_for(w, w.bidders[0], "4700000.00")
    assert _submit_api(client, w, again, second).status_code == 201
    others = [seal_for(w, b, "4900000.00") for b in w.bidders[1:]]
    for b, s in zip(w.bidders[1:], others, strict=True):
        assert _submit_api(client, w, api_token(client, b.username), s).status_code == 201

    clock.advance(timedelta(days=30))
    assert tasks.tick(db).opened == [w.code]
    second_no = client.get("/api/v1/bids/mine", headers=again).json()
    second_no = next(b["bid_no"] for b in second_no if b["status"] == "sealed")
    key = {"key": envelope.key_to_text(second.key)}
    _asks_again(client.post(f"/api/v1/bids/{second_no}/reveal", json=key, headers=again), "/api/v1/auth/token")
    assert client.get(f"/api/v1/bids/{second_no}", headers=again).json()["decryption"] == "pending"
    revealed = client.post(f"/api/v1/bids/{second_no}/reveal", json=key, headers=api_token(client, bidder))
    assert revealed.status_code == 200 and revealed.json()["price"] == "4700000.00"


def _page_post(visitor, page_url: str, action: str, data: dict | None = None):
    page = visitor.get(page_url)
    assert page.status_code == 200, page.text
    return visitor.post(
        action,
        data={**(data or {}), "csrf_token": csrf_token(page.text)},
        headers={"referer": f"https://testserver{page_url}"},
        follow_redirects=False,
    )


def test_page_withdraw_sends_to_the_password_page_and_back_to_the_form(db, app, client, w, clock):
    sealed = seal_for(w, w.bidders[0])
    bid_no = _submit_api(client, w, api_token(client, w.bidders[0].username), sealed).json()["bid_no"]
    with browser(app, w.bidders[0].username) as visitor:
        clock.advance(LATER)
        refused = _page_post(visitor, "/my/bids", f"/my/bids/{bid_no}/withdraw", {"next": "/my/bids"})
        assert refused.status_code == 303
        assert unquote(refused.headers["location"]) == "/reauth?next=/my/bids"
        page = visitor.get(refused.headers["location"])
        text = page_text(page.text)
        assert "请再次输入密码确认身份" in text and "此操作须在 10 分钟内输入过密码" in text
        assert page.headers["cache-control"] == "no-store"
        assert (
            client.get(f"/api/v1/bids/{bid_no}", headers=api_token(client, w.bidders[0].username)).json()["status"]
            == "sealed"
        )

        wrong = visitor.post(
            "/reauth",
            data={"password": "not-my-password", "next": "/my/bids", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert wrong.status_code == 400 and "密码错误" in page_text(wrong.text)
        with db.unit_of_work(read_only=True) as s:
            counted = s.get(LoginThrottle, f"account:{w.bidders[0].username}")
            assert counted is not None and counted.failures == 1

        right = visitor.post(
            "/reauth",
            data={"password": PASSWORD, "next": "/my/bids", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert right.status_code == 303 and right.headers["location"] == "/my/bids"
        assert "身份已确认，请继续操作" in page_text(visitor.get("/my/bids").text)
        with db.unit_of_work(read_only=True) as s:  # the account's count is cleared as by a sign-in
            assert s.get(LoginThrottle, f"account:{w.bidders[0].username}") is None
        done = _page_post(visitor, "/my/bids", f"/my/bids/{bid_no}/withdraw", {"next": "/my/bids"})
        assert done.headers["location"] == "/my/bids"
        assert "已撤回投标文件" in page_text(visitor.get("/my/bids").text)


def test_wrong_passwords_on_the_password_page_are_throttled_like_sign_ins(db, app, w, clock):
    with browser(app, w.bidders[0].username) as visitor:
        page = visitor.get("/reauth?next=/my/bids")
        for _ in range(3):
            wrong = visitor.post(
                "/reauth", data={"password": "guess", "next": "/my/bids", "csrf_token": csrf_token(page.text)}
            )
            assert wrong.status_code == 400
        held = visitor.post(
            "/reauth", data={"password": PASSWORD, "next": "/my/bids", "csrf_token": csrf_token(page.text)}
        )
        assert held.status_code == 429 and "秒后再试" in page_text(held.text)
        as_json = visitor.post(
            "/reauth",
            data={"password": PASSWORD},
            headers={"Accept": "application/json", "X-CSRF-Token": csrf_token(page.text)},
        )
        assert as_json.status_code == 429 and as_json.json()["code"] == "login_throttled"
        clock.advance(timedelta(seconds=2))
        ok = visitor.post(
            "/reauth",
            data={"password": PASSWORD, "next": "/my/bids", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert ok.status_code == 303


def test_the_bid_page_submission_asks_in_place_and_keeps_the_sealed_bid(db, app, w, clock):
    sealed = seal_for(w, w.bidders[0])
    with browser(app, w.bidders[0].username) as visitor:
        page = visitor.get(w.bid_url)
        assert 'id="reauth"' in page.text and "请再次输入登录密码确认身份" in page_text(page.text)
        token = csrf_token(page.text)
        headers = {
            "Content-Type": "application/octet-stream",
            "Accept": "application/json",
            "X-CSRF-Token": token,
            "Idempotency-Key": sealed.idempotency_key,
            "Sunshine-Key-Commitment": sealed.commitment,
        }
        clock.advance(LATER)
        _asks_again(visitor.post(w.bid_url, content=sealed.sealed, headers=headers), "/reauth")
        # as the page's script does: the password posted for JSON, then the same bytes again
        json_headers = {"Accept": "application/json", "X-CSRF-Token": token}
        wrong = visitor.post("/reauth", data={"password": "nope"}, headers=json_headers)
        assert wrong.status_code == 401 and wrong.json()["detail"] == "密码错误"
        assert visitor.post("/reauth", data={"password": PASSWORD}, headers=json_headers).status_code == 204
        done = visitor.post(w.bid_url, content=sealed.sealed, headers=headers)
        assert done.status_code == 201, done.text


def test_page_reveal_in_the_opening_room_asks_for_the_password_first(db, app, client, w, clock):
    kept = []
    for i, b in enumerate(w.bidders):
        sealed = seal_for(w, b, f"48{i}0000.00")
        kept.append(_submit_api(client, w, api_token(client, b.username), sealed).json()["bid_no"])
        if i == 0:
            first = sealed
    clock.advance(timedelta(days=30))
    assert tasks.tick(db).opened == [w.code]
    with browser(app, w.bidders[0].username) as visitor:
        clock.advance(LATER)
        form = {"bid_no": kept[0], "key": first.key.hex()}
        refused = _page_post(visitor, w.room, f"{w.room}/reveal", form)
        assert unquote(refused.headers["location"]) == f"/reauth?next={w.room}"
        page = visitor.get(refused.headers["location"])
        visitor.post("/reauth", data={"password": PASSWORD, "next": w.room, "csrf_token": csrf_token(page.text)})
        done = _page_post(visitor, w.room, f"{w.room}/reveal", form)
        assert done.headers["location"] == w.room
        assert f"投标文件 {kept[0]} 已解密" in page_text(visitor.get(w.room).text)
