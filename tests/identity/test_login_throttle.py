"""Online guessing is throttled: growing delays, then a temporary lock, per account name and per address, with
the same answers whether the account exists; the administrator sees and lifts locks; the ledger records them."""

from __future__ import annotations

from datetime import timedelta

from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from tests.builders import PASSWORD, api_token, make_user
from tests.pages import csrf_token

WRONG = "not-the-password"


def _try(client, username: str, password: str = WRONG):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def _guess_until_locked(client, clock, username: str) -> list[tuple[int, str]]:
    """Ten wrong passwords, each attempt made as soon as the throttle allows (waiting its delay)."""
    seen = []
    for _ in range(10):
        response = _try(client, username)
        while response.status_code == 429 and "秒后再试" in response.json()["detail"]:
            clock.advance(timedelta(seconds=response.json()["retry_after"]))
            response = _try(client, username)
        seen.append((response.status_code, response.json()["code"]))
    return seen


def test_growing_delays_then_a_lock_the_same_for_a_real_and_an_unknown_account(db, client, clock):
    make_user(db, Role.BIDDER, username="hl")
    answers = {}
    for name in ("hl", "ghost"):
        answers[name] = _guess_until_locked(client, clock, name)
        locked = _try(client, name, PASSWORD if name == "hl" else WRONG)  # even the right password now
        assert locked.status_code == 429 and locked.json()["code"] == "login_throttled"
        assert "已暂时锁定" in locked.json()["detail"]
        clock.advance(timedelta(minutes=16))  # the lock runs out by itself
    assert answers["hl"] == answers["ghost"] == [(401, "invalid_credentials")] * 10
    assert api_token(client, "hl")


def test_delays_grow_between_failures(db, client, clock):
    make_user(db, Role.BIDDER, username="hl")
    for _ in range(3):
        assert _try(client, "hl").status_code == 401
    waits = []
    for _ in range(3):
        refused = _try(client, "hl")
        assert refused.status_code == 429 and "秒后再试" in refused.json()["detail"]
        waits.append(refused.json()["retry_after"])
        clock.advance(timedelta(seconds=waits[-1]))
        assert _try(client, "hl").status_code == 401
    assert waits[0] < waits[1] < waits[2]


def test_the_administrator_sees_and_lifts_a_lock_and_the_ledger_records_both(db, client, clock):
    make_user(db, Role.BIDDER, username="hl")
    make_user(db, Role.ADMIN, username="root")
    admin = api_token(client, "root")
    _guess_until_locked(client, clock, "hl")
    assert _try(client, "hl", PASSWORD).status_code == 429
    locks = client.get("/api/v1/admin/login-locks", headers=admin).json()
    assert [(lock["key"], lock["label"]) for lock in locks] == [("account:hl", "账户名 hl")]
    assert client.post("/api/v1/admin/login-locks/lift", headers=admin, json={"key": "account:hl"}).status_code == 204
    clock.advance(timedelta(minutes=5))  # the address's own delay still runs out by itself
    assert api_token(client, "hl")
    missing = client.post("/api/v1/admin/login-locks/lift", headers=admin, json={"key": "account:hl"})
    assert missing.status_code == 404
    with db.unit_of_work() as s:
        kinds = [e.kind for e in ledger.entries_for(s, "login-throttle")]
    assert kinds == ["identity:login:locked", "identity:login:unlocked"]


def test_the_login_page_is_throttled_too(db, client, clock):
    make_user(db, Role.BIDDER, username="hl")
    page = client.get("/login")
    for _ in range(40):
        form = {"username": "hl", "password": WRONG, "csrf_token": csrf_token(page.text)}
        response = client.post("/login", data=form)
        if "已暂时锁定" in response.text:
            break
        if response.status_code == 429:
            clock.advance(timedelta(minutes=6))
        else:
            assert response.status_code == 400 and "用户名或密码错误" in response.text
        page = response
    final = client.post("/login", data={"username": "hl", "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert final.status_code == 429 and "已暂时锁定" in final.text
