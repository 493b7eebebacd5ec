"""Builders for the performance tests: from a project whose result is published (结果已公告) to a signed contract,
through the API as the agency, its signer, the tenderer and the winner would (letters drafted, sealed, issued; the
contract drafted with its performance security and signed by both), and small helpers to read and upload."""

from __future__ import annotations

from sunshine.identity.roles import Role
from tests.builders import api_token
from tests.evaluation.walk import ok
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def letters_and_contract(db, client, w, *, term: str, payment: str, security: str | None) -> dict:
    """Letters drafted by the agency, sealed by its signer, issued; the contract drafted (with ``security``) and signed
    by the winner then the tenderer. Returns the contract as the API shows it."""
    pid = w.project_id
    drafted = ok(client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.h["agency"]))["letters"]
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    key = make_key(db, signer)
    signer_headers = api_token(client, signer.username)
    for letter in drafted:
        body = seal_body(db, "award_letter", letter["id"], key)
        sealed = client.post(f"/api/v1/seals/award_letter/{letter['id']}", headers=signer_headers, json=body)
        assert sealed.status_code in (200, 201), sealed.text
    ok(client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.h["agency"]))
    terms = {"section_id": w.section_id, "term": term, "payment": payment}
    if security is not None:
        terms["performance_security"] = security
    contract = ok(client.post(f"/api/v1/projects/{pid}/contracts", headers=w.h["agency"], json=terms), 201)
    sign = f"/api/v1/contracts/{contract['id']}/sign"
    sha = {"sha256": contract["sha256"]}
    winner_user = w.bidders[w.firms.index(w.winner)]
    ok(client.post(sign, headers=api_token(client, winner_user.username), json=sha))
    signed = ok(client.post(sign, headers=api_token(client, w.tenderer.username), json=sha))
    assert signed["project_state_label"] == "合同已签订"
    return signed


def performance(client, contract_id: int, headers: dict) -> dict:
    return ok(client.get(f"/api/v1/contracts/{contract_id}/performance", headers=headers))


def upload_guarantee(client, security_id: int, headers: dict, **fields) -> object:
    return client.post(
        f"/api/v1/performance/securities/{security_id}/guarantee",
        headers=headers,
        data=fields,
        files={"file": ("保函.pdf", PDF, "application/pdf")},
    )


def page_as(app, username: str, *urls: str) -> list[str]:
    """The pages ``urls`` as ``username`` sees them in a browser (signed in by the login form)."""
    from fastapi.testclient import TestClient

    from tests.web.test_calendar_pages import login

    with TestClient(app, base_url="https://testserver") as person:
        login(person, username)
        return [person.get(url, headers={"accept": "text/html"}).text for url in urls]
