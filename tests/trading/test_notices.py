"""Notices as an agency publishes them through the API: every date is checked against the project's rule
pack at the moment of publication (by the server clock, in Beijing dates and Chinese working days), a
correction is a new version that leaves the original as it was, and each notice is in the ledger."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from sunshine.ledger import merkle
from sunshine.ledger import service as ledger
from sunshine.trading import visibility
from sunshine.trading.models import Notice, Project
from tests.builders import api_token
from tests.trading.builders import accepted_project, beijing, tender_world

BODY = (
    "<p>一、项目概况：示范市滨江路道路改造工程。</p>"
    "<p>二、投标人资格要求：具有市政公用工程施工总承包三级及以上资质。</p>"
)


@pytest.fixture
def w(db):
    return tender_world(db)


@pytest.fixture
def agency(client, w):
    return api_token(client, w["agency"].username)


def _form(fields: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items() if v is not None}


def publish(client, headers, project_id, *, files=None, **fields):
    data = _form({"kind": "tender", "title": "示范市滨江路道路改造工程招标公告", "body_html": BODY, **fields})
    return client.post(f"/api/v1/projects/{project_id}/notices", data=data, files=files, headers=headers)


def amend(client, headers, project_id, notice_id, *, files=None, **fields):
    data = _form(
        {
            "kind": "clarification",
            "title": "示范市滨江路道路改造工程澄清公告",
            "body_html": "<p>招标文件第三章第5条更正为：工期180日历天。</p>",
            **fields,
        }
    )
    return client.post(
        f"/api/v1/projects/{project_id}/notices/{notice_id}/amendments", data=data, files=files, headers=headers
    )


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    return body


def published_tender(client, headers, project_id, *, deadline=None, docs=None, **extra):
    """A tender notice with documents issued today and the deadline on Monday 2026-12-28 09:30."""
    response = publish(
        client,
        headers,
        project_id,
        docs_issued_at=docs or beijing(2026, 11, 23, 9, 0),
        docs_sale_end=beijing(2026, 11, 30, 17),
        bid_deadline=deadline or beijing(2026, 12, 28, 9, 30),
        **extra,
    )
    assert response.status_code == 201, response.text
    return response.json()


# --------------------------------------------------------------------------- first notice timing


def test_bid_deadline_19_days_after_documents_is_refused_and_20_days_accepted(client, db, w, agency):
    project_id = accepted_project(db, w)
    common = {"docs_issued_at": beijing(2026, 11, 25, 9), "docs_sale_end": beijing(2026, 11, 30, 17)}

    refused = problem(
        publish(client, agency, project_id, bid_deadline=beijing(2026, 12, 14, 9, 30), **common), 409, "rule_violation"
    )
    assert refused["rule"] == "docs_to_bid_deadline"
    assert "《中华人民共和国招标投标法》第二十四条" in refused["detail"] and refused["basis"].endswith("第二十四条")
    assert "2026年12月15日" in refused["detail"]  # the earliest admissible deadline is named
    assert (
        client.get(f"/api/v1/projects/{project_id}", headers=agency).json()["state"] == "accepted"
    )  # nothing happened

    accepted = publish(client, agency, project_id, bid_deadline=beijing(2026, 12, 15, 9, 30), **common)
    assert accepted.status_code == 201, accepted.text
    project = client.get(f"/api/v1/projects/{project_id}", headers=agency).json()
    assert project["state"] == "notice_published"
    assert datetime.fromisoformat(project["bid_deadline"]) == beijing(2026, 12, 15, 9, 30)
    assert datetime.fromisoformat(project["opening_at"]) == beijing(2026, 12, 15, 9, 30)  # same moment
    assert datetime.fromisoformat(project["docs_issued_at"]) == beijing(2026, 11, 25, 9)


def test_procurement_sale_period_counts_working_days_across_national_day(client, db, w, agency, clock):
    """5 working days from 30 September 2026: 8, 9, 10 (the make-up Saturday), 12 and 13 October."""
    clock.set(beijing(2026, 9, 30, 9))
    project_id = accepted_project(
        db,
        w,
        transaction_type="gov_procurement",
        name="示范市第一中学课桌椅采购项目",
        sections=[("第一包：课桌椅", "900000.00")],
    )
    common = {"docs_issued_at": beijing(2026, 9, 30, 10), "bid_deadline": beijing(2026, 10, 21, 9, 30)}

    refused = problem(
        publish(client, agency, project_id, docs_sale_end=beijing(2026, 10, 12, 17), **common), 409, "rule_violation"
    )
    assert refused["rule"] == "docs_sale_period" and refused["field"] == "docs_sale_end"
    assert "5 个工作日" in refused["detail"] and "2026年10月13日" in refused["detail"]

    response = publish(client, agency, project_id, docs_sale_end=beijing(2026, 10, 13, 17), **common)
    assert response.status_code == 201, response.text


def test_engineering_sale_period_is_5_calendar_days(client, db, w, agency):
    common = {"docs_issued_at": beijing(2026, 11, 24, 9), "bid_deadline": beijing(2026, 12, 15, 9, 30)}
    project_id = accepted_project(db, w)
    refused = problem(
        publish(client, agency, project_id, docs_sale_end=beijing(2026, 11, 28, 17), **common), 409, "rule_violation"
    )
    assert refused["rule"] == "docs_sale_period" and "第十六条" in refused["detail"]
    assert publish(client, agency, project_id, docs_sale_end=beijing(2026, 11, 30, 17), **common).status_code == 201


def test_opening_at_a_different_moment_than_the_deadline_is_refused_for_a_tender(client, db, w, agency):
    project_id = accepted_project(db, w)
    body = problem(
        publish(
            client,
            agency,
            project_id,
            docs_sale_end=beijing(2026, 11, 30, 17),
            bid_deadline=beijing(2026, 12, 28, 9, 30),
            opening_at=beijing(2026, 12, 28, 14, 30),
        ),
        409,
        "rule_violation",
    )
    assert body["rule"] == "opening_at_deadline" and body["field"] == "opening_at"
    assert "《中华人民共和国招标投标法》第三十四条" in body["detail"]


def test_deadlines_in_the_past_and_missing_sale_end_are_refused(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    past = problem(
        publish(
            client,
            agency,
            project_id,
            docs_sale_end=beijing(2026, 11, 30, 17),
            bid_deadline=clock.now() - timedelta(minutes=1),
        ),
        422,
        "invalid_input",
    )
    assert past["field"] == "bid_deadline" and "当前时间" in past["detail"]
    missing = problem(
        publish(client, agency, project_id, bid_deadline=beijing(2026, 12, 28, 9, 30)), 422, "invalid_input"
    )
    assert missing["field"] == "docs_sale_end" and "第十六条" in missing["detail"]
    yesterday = problem(
        publish(
            client,
            agency,
            project_id,
            docs_issued_at=beijing(2026, 11, 22, 9),
            docs_sale_end=beijing(2026, 11, 30, 17),
            bid_deadline=beijing(2026, 12, 28, 9, 30),
        ),
        422,
        "invalid_input",
    )
    assert yesterday["field"] == "docs_issued_at"
    wrong_kind = problem(
        publish(
            client,
            agency,
            project_id,
            kind="listing",
            docs_sale_end=beijing(2026, 11, 30, 17),
            bid_deadline=beijing(2026, 12, 28, 9, 30),
        ),
        422,
        "invalid_input",
    )
    assert wrong_kind["field"] == "kind" and "招标公告" in wrong_kind["detail"]


def test_naive_times_are_read_as_beijing_time(client, db, w, agency):
    project_id = accepted_project(db, w)
    response = publish(
        client,
        agency,
        project_id,
        docs_issued_at="2026-11-23T10:00",
        docs_sale_end="2026-11-30T17:00",
        bid_deadline="2026-12-28T09:30",
    )
    assert response.status_code == 201, response.text
    assert datetime.fromisoformat(response.json()["project"]["bid_deadline"]) == beijing(2026, 12, 28, 9, 30)


def test_prequalification_notice_uses_the_prequalification_periods(client, db, w, agency):
    project_id = accepted_project(db, w)
    common = {
        "kind": "prequalification",
        "title": "示范市滨江路道路改造工程资格预审公告",
        "docs_issued_at": beijing(2026, 11, 24, 9),
        "docs_sale_end": beijing(2026, 11, 30, 17),
    }
    # 资格预审申请文件: at least 5 days after the prequalification documents stop selling (条例第十七条)
    refused = problem(
        publish(client, agency, project_id, bid_deadline=beijing(2026, 12, 4, 9, 30), **common), 409, "rule_violation"
    )
    assert refused["rule"] == "prequal_submission_period" and "第十七条" in refused["detail"]
    response = publish(client, agency, project_id, bid_deadline=beijing(2026, 12, 7, 9, 30), **common)
    assert response.status_code == 201, response.text
    assert response.json()["kind_label"] == "资格预审公告"


def test_single_source_publicity_needs_5_working_days(client, db, w, agency):
    project_id = accepted_project(
        db,
        w,
        transaction_type="gov_procurement",
        method="single_source",
        name="示范市医院专用设备单一来源采购",
        sections=[("设备维保", "3000000.00")],
    )
    base = {"kind": "single_source", "title": "单一来源采购公示", "docs_issued_at": beijing(2026, 11, 23, 9, 30)}
    refused = problem(
        publish(client, agency, project_id, bid_deadline=beijing(2026, 11, 27, 17), **base), 409, "rule_violation"
    )
    assert refused["rule"] == "single_source_publicity_period"
    assert publish(client, agency, project_id, bid_deadline=beijing(2026, 11, 30, 17), **base).status_code == 201


# --------------------------------------------------------------------------- amendments


def test_amendment_affecting_bids_15_days_before_deadline_rule(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)  # deadline Monday 2026-12-28 09:30

    clock.set(beijing(2026, 12, 14, 10))  # 14 days before the deadline
    agency = api_token(client, w["agency"].username)  # a fresh token for the new day
    refused = problem(amend(client, agency, project_id, first["id"], affects_bids="true"), 409, "rule_violation")
    assert refused["rule"] == "clarification_before_deadline" and refused["field"] == "new_bid_deadline"
    assert "第二十一条" in refused["detail"] and "2026年12月29日" in refused["detail"]  # how far it must move
    # A clarification that does not affect the bids may still go out.
    assert amend(client, agency, project_id, first["id"], affects_bids="false").status_code == 201
    # Moving the deadline too little is refused; far enough is accepted and moves the opening with it.
    short = problem(
        amend(
            client,
            agency,
            project_id,
            first["id"],
            kind="amendment",
            affects_bids="true",
            new_bid_deadline=beijing(2026, 12, 28, 17),
        ),
        409,
        "rule_violation",
    )
    assert short["rule"] == "clarification_before_deadline"
    moved = amend(
        client,
        agency,
        project_id,
        first["id"],
        kind="amendment",
        affects_bids="true",
        new_bid_deadline=beijing(2026, 12, 29, 9, 30),
    )
    assert moved.status_code == 201, moved.text
    assert datetime.fromisoformat(moved.json()["new_bid_deadline"]) == beijing(2026, 12, 29, 9, 30)
    project = client.get(f"/api/v1/projects/{project_id}", headers=agency).json()
    assert datetime.fromisoformat(project["bid_deadline"]) == beijing(2026, 12, 29, 9, 30)
    assert datetime.fromisoformat(project["opening_at"]) == beijing(2026, 12, 29, 9, 30)


def test_amendment_affecting_bids_exactly_15_days_before_is_allowed(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    clock.set(beijing(2026, 12, 13, 23, 59))  # 15 days before 2026-12-28, late in the evening (Beijing)
    agency = api_token(client, w["agency"].username)  # a fresh token for the new day
    response = amend(client, agency, project_id, first["id"], kind="amendment", affects_bids="true")
    assert response.status_code == 201, response.text
    unchanged = datetime.fromisoformat(response.json()["project"]["bid_deadline"])
    assert unchanged == datetime.fromisoformat(first["project"]["bid_deadline"])  # the same moment


def test_opening_change_must_be_notified_3_days_before(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)  # opening Monday 2026-12-28 09:30
    new_opening = beijing(2026, 12, 31, 9, 30)

    clock.set(beijing(2026, 12, 26, 9))  # 2 days before
    agency = api_token(client, w["agency"].username)  # a fresh token for the new day
    refused = problem(
        amend(
            client,
            agency,
            project_id,
            first["id"],
            kind="opening_change",
            title="开标时间变更公告",
            new_opening_at=new_opening,
        ),
        409,
        "rule_violation",
    )
    assert refused["rule"] == "opening_change_notice" and "2026年12月25日" in refused["detail"]

    clock.set(beijing(2026, 12, 25, 16))  # 3 days before
    agency = api_token(client, w["agency"].username)  # a fresh token for the new day
    response = amend(
        client,
        agency,
        project_id,
        first["id"],
        kind="opening_change",
        title="开标时间变更公告",
        new_opening_at=new_opening,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind_label"] == "开标时间变更公告"
    assert datetime.fromisoformat(body["project"]["opening_at"]) == new_opening
    assert datetime.fromisoformat(body["project"]["bid_deadline"]) == new_opening  # a tender opens at its deadline


def test_opening_change_to_a_time_other_than_the_new_deadline_is_refused(client, db, w, agency):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    body = problem(
        amend(
            client,
            agency,
            project_id,
            first["id"],
            kind="opening_change",
            new_bid_deadline=beijing(2026, 12, 30, 9, 30),
            new_opening_at=beijing(2026, 12, 30, 15),
        ),
        409,
        "rule_violation",
    )
    assert body["rule"] == "opening_at_deadline" and body["field"] == "new_opening_at"


def test_moving_the_deadline_earlier_keeps_every_minimum_period(client, db, w, agency):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    body = problem(
        amend(client, agency, project_id, first["id"], kind="amendment", new_bid_deadline=beijing(2026, 12, 10, 9, 30)),
        409,
        "rule_violation",
    )
    assert body["rule"] == "docs_to_bid_deadline" and body["field"] == "new_bid_deadline"


def test_no_amendment_after_the_deadline(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    clock.set(beijing(2026, 12, 28, 9, 31))
    agency = api_token(client, w["agency"].username)  # a fresh token for the new day
    problem(amend(client, agency, project_id, first["id"]), 409, "illegal_step")


# --------------------------------------------------------------------------- versions


def test_corrections_are_new_versions_newest_first_and_the_original_is_unchanged(client, db, w, agency, clock):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    with db.unit_of_work() as s:
        original = {c.name: getattr(s.get(Notice, first["id"]), c.name) for c in Notice.__table__.columns}
    clock.advance(timedelta(hours=1))
    second = amend(client, agency, project_id, first["id"]).json()
    clock.advance(timedelta(hours=1))
    third = amend(
        client,
        agency,
        project_id,
        second["id"],
        kind="amendment",
        title="更正公告（二）",
        new_bid_deadline=beijing(2026, 12, 30, 9, 30),
    ).json()

    assert (second["version"], second["series_id"]) == (2, first["id"])
    assert (third["version"], third["series_id"]) == (3, first["id"])
    detail = client.get(f"/api/v1/notices/{first['id']}").json()
    assert [v["version"] for v in detail["series"]] == [3, 2, 1]
    assert [v["kind"] for v in detail["series"]] == ["amendment", "clarification", "tender"]
    assert detail["title"] == first["title"] and detail["body_html"] == first["body_html"]
    assert datetime.fromisoformat(detail["new_bid_deadline"]) == beijing(2026, 12, 28, 9, 30)  # what it said then
    with db.unit_of_work() as s:
        assert {c.name: getattr(s.get(Notice, first["id"]), c.name) for c in Notice.__table__.columns} == original

    listed = client.get("/api/v1/notices").json()
    assert [n["id"] for n in listed["items"]] == [third["id"], second["id"], first["id"]]
    assert listed["items"][0]["project_code"] == first["project_code"]


def test_public_list_filters_and_pages(client, db, w, agency):
    works = accepted_project(db, w, name="示范市滨江路道路改造工程")
    goods = accepted_project(
        db,
        w,
        transaction_type="gov_procurement",
        name="示范市第一中学课桌椅采购项目",
        sections=[("课桌椅", "900000.00")],
    )
    published_tender(client, agency, works)
    published_tender(client, agency, goods, title="示范市第一中学课桌椅采购项目招标公告")
    procurement = client.get("/api/v1/notices", params={"transaction_type": "gov_procurement"}).json()
    assert procurement["total"] == 1 and procurement["items"][0]["transaction_type_label"] == "政府采购"
    found = client.get("/api/v1/notices", params={"q": "课桌椅"}).json()
    assert [n["project_name"] for n in found["items"]] == ["示范市第一中学课桌椅采购项目"]
    assert client.get("/api/v1/notices", params={"q": "招标公告"}).json()["total"] == 2
    assert client.get("/api/v1/notices", params={"q": "%"}).json()["total"] == 0  # LIKE wildcards are literal
    assert client.get("/api/v1/notices", params={"kind": "amendment"}).json()["total"] == 0
    first = client.get("/api/v1/notices", params={"page_size": 1}).json()
    paged = client.get("/api/v1/notices", params={"page_size": 1, "cursor": first["next_cursor"]}).json()
    assert (paged["total"], paged["pages"], len(paged["items"])) == (2, 2, 1)
    assert (paged["page"], paged["next_cursor"]) == (2, None) and paged["items"][0]["id"] != first["items"][0]["id"]
    problem(client.get("/api/v1/notices", params={"page_size": 1000}), 422, "invalid_input")


# --------------------------------------------------------------------------- ledger and termination


def test_each_notice_is_in_the_ledger_with_a_proof_that_verifies(client, db, w, agency):
    project_id = accepted_project(db, w)
    pdf = "%PDF-1.7\n招标文件\n%%EOF".encode()
    first = published_tender(client, agency, project_id)
    second = amend(
        client,
        agency,
        project_id,
        first["id"],
        kind="amendment",
        files=[("attachments", ("更正后的工程量清单.pdf", pdf, "application/pdf"))],
    ).json()
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        entries = [e for e in ledger.entries_for(s, f"project:{project.code}") if e.kind == "trading:notice:published"]
        notice = s.get(Notice, second["id"])
        ledger.sign_head(s)
    assert [json.loads(e.payload)["notice"] for e in entries] == [first["id"], second["id"]]
    payload = json.loads(entries[1].payload)
    assert payload["kind"] == "amendment" and payload["version"] == 2 and payload["series"] == first["id"]
    assert payload["body_sha256"] == hashlib.sha256(notice.body_html.encode()).hexdigest()
    assert payload["attachments"] == [
        {"filename": "更正后的工程量清单.pdf", "sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf)}
    ]
    assert entries[1].seq == second["ledger_seq"]
    first_payload = json.loads(entries[0].payload)
    assert datetime.fromisoformat(first_payload["bid_deadline"].replace("Z", "+00:00")) == beijing(2026, 12, 28, 9, 30)

    proof = client.get(second["proof_url"]).json()
    assert proof["entry"]["kind"] == "trading:notice:published" and proof["entry"]["payload"]["notice"] == second["id"]
    assert merkle.verify_inclusion(
        merkle.leaf_hash(proof["leaf_input"].encode()),
        proof["leaf_index"],
        proof["tree_size"],
        [bytes.fromhex(h) for h in proof["audit_path"]],
        bytes.fromhex(proof["head"]["root_hash"]),
    )
    timeline = client.get(f"/api/v1/projects/{project_id}/timeline").json()
    assert [t["document_ref"] for t in timeline if t["step"] in ("publish_notice", "amend_notice")] == [
        f"notice:{first['id']}",
        f"notice:{second['id']}",
    ]


def test_terminating_a_public_project_publishes_a_termination_notice(client, db, w, agency):
    project_id = accepted_project(db, w)
    first = published_tender(client, agency, project_id)
    reason = "因规划调整，项目取消<script>alert(1)</script>"
    response = client.post(f"/api/v1/projects/{project_id}/terminate", json={"reason": reason}, headers=agency)
    assert response.status_code == 200, response.text
    detail = client.get(f"/api/v1/notices/{first['id']}").json()
    latest = detail["series"][0]
    assert (latest["kind"], latest["kind_label"], latest["version"]) == ("termination", "终止公告", 2)
    termination = client.get(latest["url"]).json()
    assert "因规划调整，项目取消" in termination["body_html"] and "<script>" not in termination["body_html"]
    assert termination["project"]["state"] == "terminated"
    with db.unit_of_work() as s:
        code = s.get(Project, project_id).code
        kinds = [(e.kind, json.loads(e.payload).get("kind")) for e in ledger.entries_for(s, f"project:{code}")]
    assert ("trading:notice:published", "termination") in kinds


def test_terminating_a_project_that_was_never_public_publishes_nothing(client, db, w, agency):
    project_id = accepted_project(db, w)
    assert (
        client.post(
            f"/api/v1/projects/{project_id}/terminate", json={"reason": "资金未落实"}, headers=agency
        ).status_code
        == 200
    )
    with db.unit_of_work() as s:
        assert s.scalars(select(Notice)).all() == []
        assert visibility.get_visible(s, w["agency"], project_id).public_since is None
