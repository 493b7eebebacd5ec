"""Builders of the market register tests: a registration through the public API, the centre's decision."""

from __future__ import annotations

import itertools

from sunshine.identity import credit_code
from tests.builders import PASSWORD, api_token

PDF = b"%PDF-1.4\n% licence scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_n = itertools.count(1)


def code(n: int | None = None) -> str:
    n = next(_n) if n is None else n
    return credit_code.complete(f"91350200MA{n + 5000:07d}")


def facts(**overrides: str) -> dict[str, str]:
    data = {
        "name": "厦门鹭岛建设工程有限公司",
        "org_type": "limited",
        "legal_representative": "林建国",
        "address": "厦门市思明区湖滨南路100号",
        "region_code": "350203",
        "contact_name": "陈晓梅",
        "contact_phone": "13906001234",
        "contact_email": "chenxm@ludao.example.cn",
        "bank_name": "中国建设银行厦门分行",
        "bank_account_name": "厦门鹭岛建设工程有限公司",
        "bank_account_number": "35150198010000001234",
    }
    data.update(overrides)
    return data


def apply(client, *, kind: str = "enterprise", licence=("营业执照.pdf", PDF, "application/pdf"), **overrides):
    """POST /api/v1/market/applications; returns the response (and the username in ``response.username``)."""
    n = next(_n)
    form = {
        "kind": kind,
        "credit_code": overrides.pop("credit_code", code(n)),
        "username": overrides.pop("username", f"corp{n}"),
        "display_name": overrides.pop("display_name", "林管理员"),
        "password": overrides.pop("password", PASSWORD),
        **facts(**overrides),
    }
    files = {"licence": licence} if licence else None
    response = client.post("/api/v1/market/applications", data=form, files=files)
    response.username = form["username"]
    return response


def decide(client, headers, application_id: int, decision: str, reasons: str = ""):
    return client.post(
        f"/api/v1/market/applications/{application_id}/decision",
        json={"decision": decision, "reasons": reasons},
        headers=headers,
    )


def registered(client, staff_headers, *, approve: bool = True, kind: str = "enterprise", **overrides):
    """A participant that registered itself (approved by the centre when ``approve``): (application, admin headers)."""
    response = apply(client, kind=kind, **overrides)
    assert response.status_code == 201, response.text
    app = response.json()
    if approve:
        assert decide(client, staff_headers, app["id"], "approve").status_code == 200
    return app, api_token(client, response.username)
