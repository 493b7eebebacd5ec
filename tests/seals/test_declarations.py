"""Declarations of no interest: where the centre requires them (a local override of the centre.service rule),
an agency project's first notice is refused until each drafting staff member of the agency has signed one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.core import clock as core_clock
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from tests.builders import api_token
from tests.pages import browser, csrf_token, page_text
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor, make_project, tender_world

BODY = "<p>招标公告正文：资格条件、获取招标文件的时间和方式。</p>"


@pytest.fixture
def world(db):
    w = tender_world(db)
    # the drafting staff also hold the signer role, so they sign their own declarations
    w["drafter"] = actor(db, Role.AGENCY, Role.SIGNER, organisation_id=w["agency_org"])
    return w


def _require(db, world, value=1):
    with db.unit_of_work() as s:
        rules.set_override(
            s,
            actor=world["centre"],
            key="centre.service",
            rule_id="interest_declaration_before_notice",
            value=value,
            reason="本中心规定：公告发布前编制人员签署无利害关系声明",
        )


def _project(db, world, registrant):
    return make_project(
        db, registrant, tenderer_id=world["school"], agency_id=world["agency_org"], accept_as=world["centre"]
    )


def _publish(client, username, project_id):
    now = core_clock.now()
    data = {
        "kind": "tender",
        "title": "示范市滨江路道路改造工程招标公告",
        "body_html": BODY,
        "bid_deadline": (now + timedelta(days=30)).isoformat(),
        "docs_issued_at": now.isoformat(),
        "docs_sale_end": (now + timedelta(days=8)).isoformat(),
    }
    return client.post(f"/api/v1/projects/{project_id}/notices", data=data, headers=api_token(client, username))


def _declare_and_sign(client, db, principal, project_id, key):
    headers = api_token(client, principal.username)
    drawn = client.post(f"/api/v1/projects/{project_id}/declarations", headers=headers)
    assert drawn.status_code == 201, drawn.text
    declaration_id = drawn.json()["id"]
    assert "不存在利害关系" in drawn.json()["statement"]
    body = seal_body(db, "interest_declaration", declaration_id, key)
    signed = client.post(f"/api/v1/seals/interest_declaration/{declaration_id}", json=body, headers=headers)
    assert signed.status_code == 201, signed.text
    return declaration_id


def test_first_notice_waits_for_the_drafting_staffs_signed_declarations(client, db, world):
    _require(db, world)
    drafter = world["drafter"]
    project_id = _project(db, world, drafter)
    refused = _publish(client, drafter.username, project_id)
    assert refused.status_code == 409 and refused.json()["code"] == "declarations_missing"
    assert drafter.display_name in refused.json()["detail"] and "政府采购法》第十二条" in refused.json()["detail"]

    headers = api_token(client, drafter.username)
    status = client.get(f"/api/v1/projects/{project_id}/declarations", headers=headers).json()
    assert status["required"] is True and [s["declared"] for s in status["staff"]] == [False]

    # drawn up but not yet signed: still refused
    declaration_id = client.post(f"/api/v1/projects/{project_id}/declarations", headers=headers).json()["id"]
    assert _publish(client, drafter.username, project_id).status_code == 409
    # a colleague (who may read it) cannot sign another person's declaration
    other_signer = actor(db, Role.AGENCY, Role.SIGNER, organisation_id=world["agency_org"])
    other_key = make_key(db, other_signer)
    body = seal_body(db, "interest_declaration", declaration_id, other_key)
    foreign = client.post(
        f"/api/v1/seals/interest_declaration/{declaration_id}",
        json=body,
        headers=api_token(client, other_signer.username),
    )
    assert foreign.status_code == 403 and "声明人本人" in foreign.json()["detail"]

    _declare_and_sign(client, db, drafter, project_id, make_key(db, drafter))
    status = client.get(f"/api/v1/projects/{project_id}/declarations", headers=headers).json()
    assert status["staff"][0]["declared"] is True and status["staff"][0]["verify_url"].startswith("/verify/")
    published = _publish(client, drafter.username, project_id)
    assert published.status_code == 201, published.text


def test_a_second_agency_user_who_publishes_is_drafting_staff_too(client, db, world):
    _require(db, world)
    drafter = world["drafter"]
    project_id = _project(db, world, drafter)
    _declare_and_sign(client, db, drafter, project_id, make_key(db, drafter))
    colleague = actor(db, Role.AGENCY, Role.SIGNER, organisation_id=world["agency_org"])
    refused = _publish(client, colleague.username, project_id)
    assert refused.status_code == 409 and colleague.display_name in refused.json()["detail"]
    assert drafter.display_name not in refused.json()["detail"]
    _declare_and_sign(client, db, colleague, project_id, make_key(db, colleague))
    assert _publish(client, colleague.username, project_id).status_code == 201


def test_without_the_local_rule_or_without_an_agency_nothing_waits(client, db, world):
    drafter = world["drafter"]
    assert _publish(client, drafter.username, _project(db, world, drafter)).status_code == 201
    _require(db, world)
    tenderer = world["tenderer"]
    own = make_project(db, tenderer, tenderer_id=world["school"], accept_as=world["centre"])
    assert _publish(client, tenderer.username, own).status_code == 201


def test_who_sees_and_draws_up_declarations(client, db, world):
    drafter = world["drafter"]
    project_id = _project(db, world, drafter)
    other = api_token(client, world["other_agency"].username)
    assert client.get(f"/api/v1/projects/{project_id}/declarations", headers=other).status_code == 404
    assert client.post(f"/api/v1/projects/{project_id}/declarations", headers=other).status_code in (403, 404)
    tenderer = api_token(client, world["tenderer"].username)
    assert client.get(f"/api/v1/projects/{project_id}/declarations", headers=tenderer).status_code == 200
    assert client.post(f"/api/v1/projects/{project_id}/declarations", headers=tenderer).status_code == 403


def test_the_declarations_page_draws_up_and_opens_the_signing_page(app, db, world):
    drafter = world["drafter"]
    project_id = _project(db, world, drafter)
    make_key(db, drafter)
    with browser(app, drafter.username) as visitor:
        page = visitor.get(f"/projects/{project_id}/declarations")
        assert page.status_code == 200 and "起草我的无利害关系声明" in page_text(page.text)
        drawn = visitor.post(
            f"/projects/{project_id}/declarations", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True
        )
        text = page_text(drawn.text)
        assert "无利害关系声明" in text and "不存在利害关系" in text and "私钥文件" in text
