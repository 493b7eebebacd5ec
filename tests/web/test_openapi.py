"""The OpenAPI document lists, for every operation, the statuses and problem codes it can answer, as
problem+json with one Problem schema — derived from the routes (``web/openapi.py``), checked against what
the API really answers."""

from __future__ import annotations

from sunshine.identity.roles import Role
from tests.builders import api_token, make_user

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _statuses(document: dict, path: str, method: str) -> dict[str, dict]:
    return document["paths"][path][method]["responses"]


def test_every_operation_lists_its_error_answers_as_problems(client):
    document = _document(client)
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail", "code"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    operations = 0
    for item in document["paths"].values():
        for operation in item.values():
            operations += 1
            responses = operation["responses"]
            assert {"401", "422", "503"} <= responses.keys(), operation["operationId"]
            assert "database_busy" in responses["503"]["description"]
            for status, answer in responses.items():
                if status.startswith(("4", "5")):
                    assert answer["content"] == {"application/problem+json": {"schema": PROBLEM}}, status
    assert operations > 140


def test_the_answers_follow_each_routes_access_path_and_body(client):
    document = _document(client)
    terminate = _statuses(document, "/api/v1/projects/{project_id}/terminate", "post")
    assert {"400", "401", "403", "404", "409", "413", "422"} <= terminate.keys()
    assert "control_characters" in terminate["422"]["description"]
    public_list = _statuses(document, "/api/v1/notices", "get")
    assert "403" not in public_list and "409" not in public_list
    assert "404" not in _statuses(document, "/api/v1/ledger/key", "get"), "nothing asked for, nothing absent"
    public_item = _statuses(document, "/api/v1/notices/{notice_id}", "get")
    assert "404" in public_item and "403" not in public_item
    assert "429" in _statuses(document, "/api/v1/auth/token", "post")
    assert "429" not in terminate
    assert not any(path.startswith("/staff/") for path in document["paths"]), "pages are not in the API document"
    throttled = _statuses(document, "/api/v1/auth/token", "post")["429"]["description"]
    assert "login_throttled" in throttled and "too_many_requests" not in throttled
    assert "too_many_requests" in _statuses(document, "/api/v1/subscriptions", "post")["429"]["description"]
    submit = _statuses(document, "/api/v1/sections/{section_id}/bids", "post")
    assert "reauthentication_required" in submit["401"]["description"], "a step that asks for the password again"
    assert "reauthentication_required" not in terminate["401"]["description"]
    licence = _statuses(document, "/api/v1/market/applications/{application_id}/licence", "get")["200"]
    assert set(licence["content"]) == {"application/pdf", "image/jpeg", "image/png"}
    expert = _statuses(document, "/api/v1/experts/me", "get")["404"]  # declared on its route: no id in its path
    assert expert["content"] == {"application/problem+json": {"schema": PROBLEM}}
    assert expert["description"].startswith("本人不是在库评标专家")
    parameter = document["paths"]["/api/v1/projects/{project_id}"]["get"]["parameters"][0]
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 2**31 - 1)


def test_what_the_api_answers_is_in_the_document(db, client):
    document = _document(client)
    make_user(db, Role.BIDDER, username="bidder1")
    headers = api_token(client, "bidder1")  # signed in, and no expert
    for path, template, status in (
        ("/api/v1/notices/9999", "/api/v1/notices/{notice_id}", "404"),
        (f"/api/v1/projects/{2**63}", "/api/v1/projects/{project_id}", "404"),
        ("/api/v1/notices?q=%00", "/api/v1/notices", "422"),
        ("/api/v1/admin/users", "/api/v1/admin/users", "401"),
        ("/api/v1/experts/me", "/api/v1/experts/me", "404"),
    ):
        response = client.get(path, headers=headers if path.endswith("/me") else {})
        assert str(response.status_code) == status, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert status in _statuses(document, template, "get"), path
