"""政府采购邀请招标 starts with the prequalification notice (seed 003, 《福建省省级政府采购货物和服务招标项目实施指引》
三、招标公告（一）: 若采用邀请招标的，应先发布资格预审公告): the first notice of such a project is refused as a tender
notice, through the API and the agency's form, and the prequalification notice is checked by its own periods
(《政府采购法实施条例》第二十一条, 87号令第十八条). An engineering invitation tender, whose law gives no such rule,
and a project registered under rules without it keep their choice."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from sunshine.trading.models import Notice, Project
from tests.builders import api_token
from tests.pages import browser
from tests.pages import csrf_token as _token
from tests.pages import page_text as _text
from tests.trading.builders import accepted_project, beijing, tender_world

BODY = "<p>一、采购项目：示范市交通运输局公路养护检测服务。</p><p>二、申请人资格要求：具有公路工程试验检测资质。</p>"
RULE = "invitation_prequalification_first"
NO_FILE = [("attachments", ("", b"", "application/octet-stream"))]


@pytest.fixture
def w(db):
    return tender_world(db)


def _invited(db, w, transaction_type: str = "gov_procurement") -> int:
    return accepted_project(
        db,
        w,
        transaction_type=transaction_type,
        method="invited_tender",
        name="示范市交通运输局公路养护检测服务采购",
        sections=[("公路技术状况检测服务", "1650000.00")],
    )


def _publish(client, headers, project_id, kind: str, **dates):
    fields = {
        "kind": kind,
        "title": "示范市交通运输局公路养护检测服务采购公告",
        "body_html": BODY,
        "docs_issued_at": beijing(2026, 11, 23, 10),
        "docs_sale_end": beijing(2026, 11, 30, 17),
        "bid_deadline": beijing(2026, 12, 21, 9, 30),
        **dates,
    }
    data = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in fields.items()}
    return client.post(f"/api/v1/projects/{project_id}/notices", data=data, headers=headers)


def _notices(db, project_id: int) -> list[Notice]:
    with db.unit_of_work() as s:
        return list(s.scalars(select(Notice).where(Notice.project_id == project_id)))


def test_an_invitation_procurement_refuses_a_tender_notice_and_takes_the_prequalification_notice(client, db, w):
    project_id = _invited(db, w)
    agency = api_token(client, w["agency"].username)

    refused = _publish(client, agency, project_id, "tender")
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["code"] == "prequalification_notice_first" and body["rule"] == RULE and body["field"] == "kind"
    assert "邀请招标应先发布资格预审公告" in body["detail"] and "不能发布招标公告" in body["detail"]
    assert "三、招标公告（一）" in body["detail"], "the message names the seed section the rule comes from"
    assert _notices(db, project_id) == [], "nothing written"
    assert client.get(f"/api/v1/projects/{project_id}", headers=agency).json()["state"] == "accepted"

    accepted = _publish(client, agency, project_id, "prequalification")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["kind_label"] == "资格预审公告"
    project = client.get(f"/api/v1/projects/{project_id}").json()
    assert project["state"] == "notice_published", "public once the prequalification notice is out"
    assert [n.kind for n in _notices(db, project_id)] == ["prequalification"]


def test_the_prequalification_notice_keeps_its_own_periods(client, db, w):
    """Published Monday 2026-11-23: the documents are provided and applications taken for 5 working days."""
    project_id = _invited(db, w)
    agency = api_token(client, w["agency"].username)

    short_docs = _publish(client, agency, project_id, "prequalification", docs_sale_end=beijing(2026, 11, 26, 17))
    assert short_docs.status_code == 409, short_docs.text
    assert short_docs.json()["rule"] == "prequal_docs_period" and short_docs.json()["field"] == "docs_sale_end"
    assert "第十八条" in short_docs.json()["detail"] and "资格预审文件的提供期限" in short_docs.json()["detail"]

    short_application = _publish(
        client,
        agency,
        project_id,
        "prequalification",
        docs_sale_end=beijing(2026, 11, 26, 17),
        bid_deadline=beijing(2026, 11, 27, 17),
    )
    assert short_application.status_code == 409, short_application.text
    refusal = short_application.json()
    assert refusal["rule"] == "prequal_application_period" and refusal["field"] == "bid_deadline"
    assert "《中华人民共和国政府采购法实施条例》第二十一条" in refusal["detail"]

    ok = _publish(
        client,
        agency,
        project_id,
        "prequalification",
        docs_sale_end=beijing(2026, 11, 30, 17),
        bid_deadline=beijing(2026, 12, 1, 9, 30),
    )
    assert ok.status_code == 201, ok.text


def test_engineering_invitation_and_projects_registered_without_the_rule_keep_their_choice(client, db, w):
    agency = api_token(client, w["agency"].username)
    works = _invited(db, w, transaction_type="engineering")
    response = _publish(client, agency, works, "tender")
    assert response.status_code == 201, response.text

    # a procurement registered when its rules did not yet ask for it keeps the rules of its registration day
    older = _invited(db, w)
    with db.unit_of_work() as s:
        project = s.get(Project, older)
        snapshot = json.loads(project.rules_snapshot)
        snapshot["rules"] = [r for r in snapshot["rules"] if r["id"] != RULE]
        project.rules_snapshot = json.dumps(snapshot, ensure_ascii=False)
    response = _publish(client, agency, older, "tender")
    assert response.status_code == 201, response.text


def test_the_form_offers_only_the_prequalification_notice_and_shows_the_refusal(app, db, w):
    project_id = _invited(db, w)
    with browser(app, w["agency"].username) as agent:
        form = agent.get(f"/projects/{project_id}/notices/new")
        assert form.status_code == 200
        assert 'value="prequalification"' in form.text and 'value="tender"' not in form.text
        assert "资格预审申请文件提交截止时间" in _text(form.text)
        # the earliest dates offered: 5 working days from today (Monday 2026-11-23) for the documents and applications
        assert form.text.count('value="2026-11-30T09:30"') == 2, "the documents and the applications both end then"

        fields = {
            "csrf_token": _token(form.text),
            "kind": "tender",
            "title": "示范市交通运输局公路养护检测服务采购招标公告",
            "body_html": BODY,
            "docs_issued_at": "2026-11-23T10:00",
            "docs_sale_end": "2026-11-30T17:00",
            "bid_deadline": "2026-12-21T09:30",
            "opening_at": "",
        }
        refused = agent.post(f"/projects/{project_id}/notices/new", data=fields, files=NO_FILE)
        assert refused.status_code == 400
        text = _text(refused.text)
        assert "公告未发布" in text and "邀请招标应先发布资格预审公告" in text and "不能发布招标公告" in text
        assert 'id="f-kind-error"' in refused.text
        assert _notices(db, project_id) == []

        done = agent.post(
            f"/projects/{project_id}/notices/new",
            data={**fields, "kind": "prequalification", "title": "示范市交通运输局公路养护检测服务采购资格预审公告"},
            files=NO_FILE,
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert "已发布资格预审公告" in _text(agent.get(done.headers["location"]).text)


def test_the_demo_invitation_procurement_runs_its_prequalification_notice(demo, db):
    with db.unit_of_work(read_only=True) as s:
        project = s.scalar(select(Project).where(Project.name == "示范市交通运输局公路养护检测服务采购"))
        assert project.pack_key == "gov_procurement.invited_tender" and project.state == "notice_published"
        assert [n.kind for n in s.scalars(select(Notice).where(Notice.project_id == project.id))] == [
            "prequalification"
        ]
