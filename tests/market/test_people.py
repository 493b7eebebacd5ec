"""Who manages a market participant's people: its own administrator adds users, grants the roles fitting its kind
and deactivates them, never reaching another organisation and never removing its last administrator; the platform
administrator may only deactivate or reactivate such a user — no route lets it create one, grant a role inside a
participant, or so come to withdraw, replace or read another organisation's bid."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.identity.models import OrganisationKind, User
from sunshine.identity.roles import ORGANISATION_ROLES, Role
from sunshine.trading.models import Message
from tests.builders import PASSWORD, api_token, make_org, make_user
from tests.market.builders import registered
from tests.pages import browser, csrf_token


@pytest.fixture
def staff(client, db):
    make_user(db, Role.CENTRE_STAFF, username="reviewer")
    return api_token(client, "reviewer")


@pytest.fixture
def admin(client, db):
    make_user(db, Role.ADMIN, username="root")
    return api_token(client, "root")


def _user(body: dict, name: str) -> dict:
    return {"username": name, "display_name": "王投标", "password": PASSWORD, **body}


def test_the_organisation_administrator_manages_its_people(client, db, staff):
    _, corp = registered(client, staff)
    added = client.post("/api/v1/market/users", json=_user({"roles": ["bidder", "signer"]}, "wangtb"), headers=corp)
    assert added.status_code == 201, added.text
    assert added.json()["role_labels"] == ["投标人/供应商", "签章人"]
    worker = api_token(client, "wangtb")
    assert client.get("/api/v1/me", headers=worker).json()["organisation"]["name"] == "厦门鹭岛建设工程有限公司"

    tenderer = client.post("/api/v1/market/users", json=_user({"roles": ["tenderer"]}, "nottender"), headers=corp)
    assert tenderer.status_code == 422 and tenderer.json()["code"] == "role_not_for_organisation"
    assert "企业单位不能授予以下角色：招标人/采购人" in tenderer.json()["detail"]
    admin_role = client.post("/api/v1/market/users", json=_user({"roles": ["admin"]}, "notadmin"), headers=corp)
    assert admin_role.status_code == 422

    uid = added.json()["id"]
    viewer = client.put(f"/api/v1/market/users/{uid}/roles", json={"roles": ["org_viewer"]}, headers=corp)
    assert viewer.json()["roles"] == ["org_viewer"]
    off = client.put(f"/api/v1/market/users/{uid}/active", json={"active": False}, headers=corp)
    assert off.json()["is_active"] is False
    assert client.get("/api/v1/me", headers=worker).status_code == 401, "a deactivated user's tokens end"

    with db.unit_of_work() as s:
        subjects = [m.subject for m in s.scalars(select(Message).order_by(Message.id))]
    assert {"本单位新增用户", "本单位用户角色变更", "本单位用户已停用"} <= set(subjects)


def test_the_last_administrator_stays(client, db, staff):
    _, corp = registered(client, staff)
    me = client.get("/api/v1/me", headers=corp).json()["id"]
    demoted = client.put(f"/api/v1/market/users/{me}/roles", json={"roles": ["bidder"]}, headers=corp)
    assert demoted.status_code == 409 and demoted.json()["code"] == "last_organisation_administrator"
    off = client.put(f"/api/v1/market/users/{me}/active", json={"active": False}, headers=corp)
    assert off.status_code == 409
    second = client.post("/api/v1/market/users", json=_user({"roles": ["enterprise_admin"]}, "second"), headers=corp)
    assert second.status_code == 201
    assert client.put(f"/api/v1/market/users/{me}/roles", json={"roles": ["bidder"]}, headers=corp).status_code == 200


def test_nobody_reaches_another_organisations_users(client, db, staff):
    _, corp = registered(client, staff)
    _, rival = registered(client, staff, name="另一家建设有限公司")
    added = client.post("/api/v1/market/users", json=_user({"roles": ["bidder"]}, "corpbidder"), headers=corp).json()
    for call in (
        lambda: client.put(f"/api/v1/market/users/{added['id']}/roles", json={"roles": ["bidder"]}, headers=rival),
        lambda: client.put(f"/api/v1/market/users/{added['id']}/active", json={"active": False}, headers=rival),
    ):
        assert call().status_code == 404
    assert "corpbidder" not in [u["username"] for u in client.get("/api/v1/market/users", headers=rival).json()]
    bidder = api_token(client, "corpbidder")
    assert (
        client.post("/api/v1/market/users", json=_user({"roles": ["bidder"]}, "x1"), headers=bidder).status_code == 403
    )


def test_the_platform_administrator_cannot_act_for_a_bidder_by_any_route(client, db, staff, admin):
    org = make_org(db, name="示范建设有限公司")
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    make_user(db, Role.BIDDER, username="bidder1", organisation_id=org)
    make_user(db, Role.CENTRE_STAFF, username="platformer", organisation_id=centre)
    with db.unit_of_work() as s:
        bidder_id = s.scalar(select(User.id).where(User.username == "bidder1"))
        platform_id = s.scalar(select(User.id).where(User.username == "platformer"))
        root_id = s.scalar(select(User.id).where(User.username == "root"))

    # create a user into an enterprise: refused, whatever the roles
    for roles in (["bidder"], ["org_viewer"], ["centre_staff"]):
        made = client.post(
            "/api/v1/admin/users", json=_user({"roles": roles, "organisation_id": org}, "intruder"), headers=admin
        )
        assert made.status_code == 403 and made.json()["code"] == "organisation_users_by_own_admin", made.text
    # an organisation role for anyone, anywhere: refused
    for role in sorted(ORGANISATION_ROLES):
        made = client.post("/api/v1/admin/users", json=_user({"roles": [role]}, "loose"), headers=admin)
        assert made.status_code == 403, role
        for uid in (platform_id, root_id):
            granted = client.put(f"/api/v1/admin/users/{uid}/roles", json={"roles": ["admin", role]}, headers=admin)
            assert granted.status_code == 403, (uid, role)
    # a participant's user's roles: refused, even to remove
    assert client.put(f"/api/v1/admin/users/{bidder_id}/roles", json={"roles": []}, headers=admin).status_code == 403
    assert (
        client.put(
            f"/api/v1/admin/users/{bidder_id}/roles", json={"roles": ["bidder", "signer"]}, headers=admin
        ).status_code
        == 403
    )
    # deactivation and reactivation are allowed and give no new power
    assert (
        client.put(f"/api/v1/admin/users/{bidder_id}/active", json={"active": False}, headers=admin).status_code == 200
    )
    back = client.put(f"/api/v1/admin/users/{bidder_id}/active", json={"active": True}, headers=admin)
    assert back.status_code == 200 and back.json()["roles"] == ["bidder"]
    me = client.get("/api/v1/me", headers=admin).json()
    assert me["organisation"] is None and [r["role"] for r in me["roles"]] == ["admin"]
    # the administrator still holds no bid-side power: its own bid routes answer as for a stranger
    assert client.get("/api/v1/bids/mine", headers=admin).status_code == 403
    # nor the organisation admin routes
    assert (
        client.post("/api/v1/market/users", json=_user({"roles": ["bidder"]}, "sneak"), headers=admin).status_code
        == 403
    )
    with db.unit_of_work() as s:
        assert s.scalar(select(User.id).where(User.username.in_(["intruder", "loose", "sneak"]))) is None


def test_platform_users_stay_with_the_platform_administrator(client, db, admin):
    centre = make_org(db, name="示范市公共资源交易中心", kind=OrganisationKind.CENTRE)
    made = client.post(
        "/api/v1/admin/users",
        json=_user({"roles": ["centre_staff"], "organisation_id": centre}, "newstaff"),
        headers=admin,
    )
    assert made.status_code == 201
    changed = client.put(
        f"/api/v1/admin/users/{made.json()['id']}/roles", json={"roles": ["supervisor"]}, headers=admin
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["supervisor"]


def test_the_admin_users_page_refuses_organisation_users(app, db):
    org = make_org(db, name="示范建设有限公司")
    make_user(db, Role.ADMIN, username="root")
    with browser(app, "root") as page:
        form = page.get("/admin/users")
        assert "投标人/供应商" not in form.text and "示范建设有限公司" not in form.text
        token = csrf_token(form.text)
        refused = page.post(
            "/admin/users",
            data={
                "username": "intruder",
                "display_name": "某",
                "password": PASSWORD,
                "organisation_id": str(org),
                "roles": ["centre_staff"],
                "csrf_token": token,
            },
        )
        assert refused.status_code == 403 or "企业管理员添加" in refused.text
        refused = page.post(
            "/admin/users",
            data={
                "username": "intruder",
                "display_name": "某",
                "password": PASSWORD,
                "roles": ["bidder"],
                "csrf_token": token,
            },
        )
        assert "企业管理员授予" in refused.text
    with db.unit_of_work() as s:
        assert s.scalar(select(User.id).where(User.username == "intruder")) is None
