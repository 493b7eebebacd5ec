"""Organisations, users, tokens and login, as callers see them."""

from __future__ import annotations

import re

from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from tests.builders import PASSWORD, api_token, make_org, make_user, valid_credit_code


def test_token_login_and_me(db, client):
    org = make_org(db, name="闽江建设工程有限公司")
    make_user(db, Role.BIDDER, Role.EXPERT, username="hl", organisation_id=org)
    headers = api_token(client, "hl")
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["username"] == "hl"
    assert {r["label"] for r in me["roles"]} == {"投标人/供应商", "评标专家"}
    assert me["organisation"]["name"] == "闽江建设工程有限公司"


def test_wrong_password_and_unknown_user_look_the_same(db, client):
    make_user(db, Role.BIDDER, username="hl")
    wrong = client.post("/api/v1/auth/token", json={"username": "hl", "password": "nope-nope-nope"})
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["code"] == unknown.json()["code"] == "invalid_credentials"
    assert wrong.json()["title"] == "用户名或密码错误"


def test_revoked_and_expired_tokens_are_refused(db, client, clock):
    from datetime import timedelta

    make_user(db, Role.BIDDER, username="hl")
    headers = api_token(client, "hl")
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "not_authenticated"
    headers = api_token(client, "hl")
    clock.advance(timedelta(hours=25))
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_page_cookie_is_not_accepted_by_the_api(db, client):
    make_user(db, Role.ADMIN, username="root")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"username": "root", "password": PASSWORD, "csrf_token": token})
    assert client.get("/me").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_organisation_registration_validates_credit_code_and_is_in_the_ledger(db, client):
    make_user(db, Role.CENTRE_STAFF, username="staff")
    headers = api_token(client, "staff")
    bad = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={
            "name": "榕城路桥集团有限公司",
            "credit_code": "91350100M000100Y44",
            "kind": "enterprise",
            "region_code": "350100",
        },
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_input"
    assert bad.json()["detail"] == "统一社会信用代码校验位不正确"
    assert bad.json()["field"] == "credit_code"
    code = valid_credit_code()
    created = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={"name": "榕城路桥集团有限公司", "credit_code": code, "kind": "enterprise", "region_code": "350100"},
    )
    assert created.status_code == 201, created.text
    again = client.post(
        "/api/v1/organisations",
        headers=headers,
        json={"name": "另一家公司", "credit_code": code, "kind": "enterprise", "region_code": "350100"},
    )
    assert again.status_code == 409 and again.json()["code"] == "already_exists"
    listed = client.get("/api/v1/organisations?kind=enterprise").json()
    assert [o["credit_code"] for o in listed] == [code]
    with db.unit_of_work() as s:
        entries = ledger.entries_for(s, f"organisation:{created.json()['id']}")
    assert [e.kind for e in entries] == ["identity:organisation:registered"]
    assert code in entries[0].payload


def test_admin_manages_users_and_roles(db, client):
    make_user(db, Role.ADMIN, username="root")
    headers = api_token(client, "root")
    created = client.post(
        "/api/v1/admin/users",
        headers=headers,
        json={
            "username": "wangfang",
            "display_name": "王芳",
            "password": "a-long-password",
            "roles": ["disclosure_office"],
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    short = client.post(
        "/api/v1/admin/users",
        headers=headers,
        json={"username": "x", "display_name": "x", "password": "short", "roles": ["bidder"]},
    )
    assert short.status_code == 422
    assert any(e["field"] == "password" and "至少 10 个字符" in e["message"] for e in short.json()["errors"])
    changed = client.put(
        f"/api/v1/admin/users/{user_id}/roles", headers=headers, json={"roles": ["disclosure_office", "centre_staff"]}
    )
    assert changed.json()["roles"] == ["centre_staff", "disclosure_office"]
    own = api_token(client, "wangfang", "a-long-password")
    assert client.get("/api/v1/calendar/deadlines", headers=own).status_code == 200
    client.put(f"/api/v1/admin/users/{user_id}/active", headers=headers, json={"active": False})
    assert client.get("/api/v1/me", headers=own).status_code == 401, "deactivation revokes tokens"
    refused = client.post("/api/v1/auth/token", json={"username": "wangfang", "password": "a-long-password"})
    assert refused.status_code == 401
    unknown_role = client.put(f"/api/v1/admin/users/{user_id}/roles", headers=headers, json={"roles": ["king"]})
    assert unknown_role.status_code == 422
    missing = client.put("/api/v1/admin/users/99999/roles", headers=headers, json={"roles": []})
    assert missing.status_code == 404


def test_password_is_stored_as_argon2(db):
    from sqlalchemy import select

    from sunshine.identity.models import User

    make_user(db, Role.BIDDER, username="hl")
    with db.unit_of_work() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "hl"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_the_last_administrator_cannot_remove_its_own_role_or_deactivate_itself(db, client):
    make_user(db, Role.ADMIN, username="root")
    headers = api_token(client, "root")
    me = client.get("/api/v1/me", headers=headers).json()
    for response in (
        client.put(f"/api/v1/admin/users/{me['id']}/roles", headers=headers, json={"roles": ["centre_staff"]}),
        client.put(f"/api/v1/admin/users/{me['id']}/active", headers=headers, json={"active": False}),
    ):
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["code"] == "last_administrator" and "唯一有效的系统管理员" in problem["detail"]
    assert [r["role"] for r in client.get("/api/v1/me", headers=headers).json()["roles"]] == ["admin"]
    # With a second administrator, the first may step down; the second then is the last one.
    second = client.post(
        "/api/v1/admin/users",
        headers=headers,
        json={"username": "admin2", "display_name": "李明", "password": "a-long-password", "roles": ["admin"]},
    ).json()
    stepped_down = client.put(f"/api/v1/admin/users/{me['id']}/active", headers=headers, json={"active": False})
    assert stepped_down.status_code == 200
    other = api_token(client, "admin2", "a-long-password")
    refused = client.put(f"/api/v1/admin/users/{second['id']}/roles", headers=other, json={"roles": []})
    assert refused.status_code == 409 and refused.json()["code"] == "last_administrator"
