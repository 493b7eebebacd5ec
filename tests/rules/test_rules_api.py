"""The rule pack JSON API: anyone reads packs, versions and overrides (shown next to the statutory values);
only the administrator sets or clears an override; bad input answers problem+json in Chinese."""

from __future__ import annotations

import pytest

from sunshine.identity.roles import Role
from sunshine.rules.registry import registry
from tests.builders import api_token, make_user

ENG = "engineering.open_tender"
OVERRIDE = f"/api/v1/rules/{ENG}/overrides/docs_to_bid_deadline"
REASON = "市政府令第5号：本市公开招标等标期不少于25日"


@pytest.fixture
def admin_headers(client, db) -> dict[str, str]:
    make_user(db, Role.ADMIN, username="rules-api-admin")
    return api_token(client, "rules-api-admin")


def rule_of(body: dict, rule_id: str) -> dict:
    return next(r for r in body["rules"] if r["id"] == rule_id)


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code and body["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body["detail"]
    return body


def test_list_of_packs_names_every_pack_in_chinese(client):
    response = client.get("/api/v1/rules")
    assert response.status_code == 200
    packs = {p["key"]: p for p in response.json()}
    assert set(packs) == set(registry().keys())
    assert packs[ENG] == {
        "key": ENG,
        "name": "工程建设项目公开招标",
        "version": "2019-03-02",
        "effective_from": "2019-03-02",
        "lifecycle": "tender",
        "lifecycle_label": "招标",
        "transaction_type": "engineering",
        "transaction_type_label": "工程建设",
        "method": "open_tender",
        "method_label": "公开招标",
        "in_force": True,
    }
    assert packs["engineering.small_works_draw"]["lifecycle"] == "draw"
    assert packs["disclosure.seed_legacy"]["method_label"] == "依申请公开（原规则）"


def test_a_pack_with_its_rules_sources_and_basis(client):
    response = client.get(f"/api/v1/rules/{ENG}")
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["on"]) == ("2019-03-02", "2026-11-23")
    assert rule_of(body, "docs_to_bid_deadline") == {
        "id": "docs_to_bid_deadline",
        "title": "招标文件开始发出之日至投标截止之日",
        "value": "20",
        "unit": "calendar_days",
        "unit_label": "日",
        "bound": "min",
        "bound_label": "不少于",
        "display": "20 日",
        "statutory_value": "20",
        "statutory_display": "20 日",
        "overridden": False,
        "override_reason": None,
        "basis_text": "《中华人民共和国招标投标法》第二十四条",
        "basis": {
            "law": "《中华人民共和国招标投标法》",
            "article": "第二十四条",
            "text": "依法必须进行招标的项目，自招标文件开始发出之日起至投标人提交投标文件截止之日止，"
            "最短不得少于二十日",
        },
    }
    assert {
        "name": "《中华人民共和国招标投标法实施条例》",
        "number": "国务院令第613号公布，2019年3月2日修订",
        "effective": "2019-03-02",
    } in body["sources"]
    assert body["overrides"] == []


def test_another_date_gives_the_version_then_in_force(client):
    old = client.get("/api/v1/rules/land.listing", params={"on": "2007-06-01"}).json()
    new = client.get("/api/v1/rules/land.listing").json()
    assert (old["version"], rule_of(old, "listing_period")["display"]) == ("2002-07-01", "10 个工作日")
    assert (new["version"], rule_of(new, "listing_period")["display"]) == ("2007-11-01", "10 日")
    versions = client.get("/api/v1/rules/land.listing/versions").json()
    assert [(v["version"], v["in_force_today"]) for v in versions] == [("2002-07-01", False), ("2007-11-01", True)]
    assert versions[0]["rules"][1]["display"] == "10 个工作日"
    assert versions[0]["sources"][0]["name"] == "《招标拍卖挂牌出让国有土地使用权规定》"


@pytest.mark.parametrize(
    ("path", "status", "code", "detail"),
    [
        ("/api/v1/rules/land.barter", 404, "not_found", "规则包 land.barter 不存在"),
        ("/api/v1/rules/land.barter/versions", 404, "not_found", "规则包 land.barter 不存在"),
        ("/api/v1/rules/land.listing?on=2001-01-01", 422, "invalid_input", "尚无施行的版本"),
        ("/api/v1/rules/land.listing?on=2026-13-01", 422, "invalid_input", "on：应为日期，格式 YYYY-MM-DD"),
        ("/api/v1/rules/land.listing?on=yesterday", 422, "invalid_input", "on：应为日期，格式 YYYY-MM-DD"),
    ],
)
def test_bad_reads_are_problems_in_chinese(client, path, status, code, detail):
    body = assert_problem(client.get(path), status, code)
    assert detail in body["detail"]


def test_admin_sets_an_override_shown_next_to_the_statutory_value_then_clears_it(client, admin_headers):
    response = client.put(OVERRIDE, json={"value": "25", "reason": REASON}, headers=admin_headers)
    assert response.status_code == 200, response.text
    assert response.json()["display"] == "25 日" and response.json()["statutory_display"] == "20 日"

    body = client.get(f"/api/v1/rules/{ENG}").json()  # anyone reads it, without a token
    rule = rule_of(body, "docs_to_bid_deadline")
    assert (rule["value"], rule["statutory_value"], rule["overridden"], rule["override_reason"]) == (
        "25",
        "20",
        True,
        REASON,
    )
    assert [(o["rule_id"], o["value"], o["reason"], o["cleared_at"]) for o in body["overrides"]] == [
        ("docs_to_bid_deadline", "25", REASON, None)
    ]
    # a project's pack of another type is untouched
    assert (
        rule_of(client.get("/api/v1/rules/engineering.invited_tender").json(), "docs_to_bid_deadline")["value"] == "20"
    )

    cleared = client.delete(OVERRIDE, headers=admin_headers)
    assert cleared.status_code == 200
    assert (cleared.json()["display"], cleared.json()["overridden"]) == ("20 日", False)
    body = client.get(f"/api/v1/rules/{ENG}").json()
    assert rule_of(body, "docs_to_bid_deadline")["override_reason"] is None
    assert body["overrides"][0]["cleared_at"] is not None  # history stays
    assert_problem(client.delete(OVERRIDE, headers=admin_headers), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "status", "code", "detail"),
    [
        ({"value": "15", "reason": REASON}, 422, "invalid_input", "本地调整只能严于法定值"),
        ({"value": "20", "reason": REASON}, 422, "invalid_input", "本地值应高于此值"),
        ({"value": "25"}, 422, "invalid_input", "reason：缺少必填项"),
        ({"value": "25", "reason": "x"}, 422, "invalid_input", "reason：至少 2 个字符"),
        ({"value": "25", "reason": "  \t "}, 422, "invalid_input", "请填写调整理由"),
        ({"value": "abc", "reason": REASON}, 422, "invalid_input", "value："),
        ({"value": "25.5", "reason": REASON}, 422, "invalid_input", "期间应为整数日"),
        ({"reason": REASON}, 422, "invalid_input", "value：缺少必填项"),
    ],
)
def test_bad_overrides_are_refused_in_chinese(client, admin_headers, body, status, code, detail):
    problem = assert_problem(client.put(OVERRIDE, json=body, headers=admin_headers), status, code)
    assert detail in problem["detail"]
    assert client.get(f"/api/v1/rules/{ENG}").json()["overrides"] == []


def test_overrides_of_unknown_or_fixed_rules(client, admin_headers):
    body = {"value": "1", "reason": REASON}
    assert_problem(
        client.put(f"/api/v1/rules/{ENG}/overrides/bid_colour", json=body, headers=admin_headers), 404, "not_found"
    )
    assert_problem(
        client.put("/api/v1/rules/land.barter/overrides/listing_period", json=body, headers=admin_headers),
        404,
        "not_found",
    )
    fixed = assert_problem(
        client.put(f"/api/v1/rules/{ENG}/overrides/opening_at_deadline", json=body, headers=admin_headers),
        422,
        "invalid_input",
    )
    assert "法定固定值" in fixed["detail"]


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.SUPERVISOR, Role.DISCLOSURE_OFFICE, Role.AGENCY])
def test_only_the_administrator_may_override(client, db, role):
    make_user(db, role, username=f"rules-{role.value}")
    headers = api_token(client, f"rules-{role.value}")
    body = {"value": "25", "reason": REASON}
    assert_problem(client.put(OVERRIDE, json=body, headers=headers), 403, "forbidden")
    assert_problem(client.delete(OVERRIDE, headers=headers), 403, "forbidden")
    assert client.get(f"/api/v1/rules/{ENG}", headers=headers).status_code == 200


def test_anonymous_override_is_401(client):
    assert_problem(client.put(OVERRIDE, json={"value": "25", "reason": REASON}), 401, "not_authenticated")
    assert_problem(client.delete(OVERRIDE), 401, "not_authenticated")
