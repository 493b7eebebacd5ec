"""Small builders that create real objects through the services, with keyword defaults."""

from __future__ import annotations

import itertools

from sunshine.db import Database
from sunshine.identity import credit_code, service
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def valid_credit_code(n: int | None = None) -> str:
    n = next(_counter) if n is None else n
    return credit_code.complete(f"91350100MA{n:07d}")


def make_org(
    db: Database,
    *,
    name: str | None = None,
    kind: OrganisationKind = OrganisationKind.ENTERPRISE,
    region_code: str = "350100",
    code: str | None = None,
) -> int:
    with db.unit_of_work() as s:
        n = next(_counter)
        org = service.create_organisation(
            s,
            name=name or f"示范建设有限公司{n}",
            credit_code_value=code or valid_credit_code(n),
            kind=kind,
            region_code=region_code,
        )
        return org.id


def make_user(
    db: Database,
    *roles: Role,
    username: str | None = None,
    organisation_id: int | None = None,
    password: str = PASSWORD,
) -> str:
    username = username or f"user{next(_counter)}"
    with db.unit_of_work() as s:
        service.create_user(
            s, username=username, display_name=username, password=password, roles=roles, organisation_id=organisation_id
        )
    return username


def api_token(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
