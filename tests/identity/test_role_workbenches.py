"""Every role of DESIGN §2 has a Chinese label, can be given (by the administrator, or for the roles inside a market
participant by that organisation's own administrator), and lands on a workbench at /me whose every link opens for
that role (no dead link, no page the role may not read)."""

from __future__ import annotations

import pytest

from sunshine.identity.roles import ORGANISATION_ROLES, ROLE_LABELS, Role
from sunshine.web.views import ROLE_TASKS
from tests.builders import api_token, make_org, make_user
from tests.pages import browser, page_text

NEW_ROLES = {
    Role.ENTERPRISE_ADMIN: "企业管理员",
    Role.INDUSTRY_SUPERVISOR: "行业监督部门",
    Role.COMMITTEE_OFFICE: "公共资源交易管理委员会办公室",
    Role.GOVERNMENT_AFFAIRS: "政务办",
    Role.EVALUATOR: "第三方评估机构",
}


def test_every_role_has_a_label_and_a_workbench():
    assert set(ROLE_LABELS) == set(Role) == set(ROLE_TASKS)
    assert {r: ROLE_LABELS[r] for r in NEW_ROLES} == NEW_ROLES


def test_the_administrator_assigns_the_new_roles(db, client):
    make_user(db, Role.ADMIN, username="roles-admin")
    admin = api_token(client, "roles-admin")
    made = client.post(
        "/api/v1/admin/users",
        json={
            "username": "evaluator1",
            "display_name": "评估员",
            "password": "correct-horse-battery",
            "roles": ["evaluator"],
        },
        headers=admin,
    )
    assert made.status_code == 201, made.text
    user_id = made.json()["id"]
    platform_roles = {r.value for r in NEW_ROLES if r not in ORGANISATION_ROLES}
    changed = client.put(f"/api/v1/admin/users/{user_id}/roles", json={"roles": sorted(platform_roles)}, headers=admin)
    assert changed.status_code == 200
    assert set(changed.json()["roles"]) == platform_roles
    refused = client.put(
        f"/api/v1/admin/users/{user_id}/roles", json={"roles": [r.value for r in NEW_ROLES]}, headers=admin
    )
    assert refused.status_code == 403, "the enterprise administrator is granted by its own organisation"


@pytest.mark.parametrize("role", list(NEW_ROLES), ids=lambda r: r.value)
def test_each_new_role_lands_on_a_workbench_whose_links_open(db, app, role):
    organisation_id = make_org(db) if role in ORGANISATION_ROLES else None
    make_user(db, role, username=f"bench-{role.value}", organisation_id=organisation_id)
    with browser(app, f"bench-{role.value}") as page:
        me = page.get("/me")
        assert me.status_code == 200
        text = page_text(me.text)
        assert NEW_ROLES[role] in text
        for href, label in ROLE_TASKS[role]:
            assert label in text
            assert page.get(href).status_code == 200, href
