"""Each drawn reviewer's own opinion on the tender documents, through the API and the pages: the two experts the
project's doc_review draw called (and who confirmed) read the current version and submit once each; anyone else
is refused; filing waits until both have submitted; an opinion asking for changes holds the filing until the agency
redrafts, the purchaser confirms and the reviewers review the new version. The readers see the opinions without
the reviewers' names before the results; the ledger carries leaves, never names."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.committees import drawing
from sunshine.committees import service as committees
from sunshine.committees.service import RequestIn
from sunshine.core import clock as core_clock
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Section
from tests.builders import api_token
from tests.committees.builders import CIVIL
from tests.committees.calling_world import name_of
from tests.experts.builders import add_expert
from tests.pages import browser, csrf_token, page_text
from tests.tenderdocs.builders import FILLED, confirm_reviewers, switch_on, template
from tests.tenderdocs.test_documents_api import _draft, _post, _project, _run_room, problem, tokens
from tests.trading.builders import tender_world


@pytest.fixture
def w(db, client):
    w = tender_world(db)
    switch_on(db, w["centre"])
    w["template"] = template(db, w["centre"])
    tokens(client, w)
    return w


def _reviewed_project(client, db, w):
    """A 5,000,000-yuan procurement drafted and confirmed, its doc_review draw run, the two reviewers confirmed."""
    pid = _project(db, w, budget="5000000.00")
    pool = []
    for i in range(8):
        e = add_expert(db, specialties=(CIVIL,), name=name_of(i), id_number=f"3501021975050{i:05d}")
        e["name"] = name_of(i)
        pool.append(e)
    _draft(client, w, pid)
    _post(client, w, pid, "/confirm", "tenderer")
    with db.unit_of_work() as s:
        section_id = s.scalars(select(Section.id).where(Section.project_id == pid)).one()
        review = committees.submit(
            s,
            w["agency"],
            pid,
            RequestIn(
                section_id, "doc_review", [(CIVIL, 2)], 0, 0, core_clock.now() + timedelta(days=1), "room", "一室"
            ),
        )
        committees.approve(s, w["supervisor"], review.id)
        code = drawing.start_draw(s, w["centre"], review.id).draw_code
    _run_room(db, w, code)
    reviewers = confirm_reviewers(db, pool, review.id)
    assert len(reviewers) == 2
    outsider = next(e for e in pool if e not in reviewers)
    return pid, reviewers, outsider, pool


def _say(client, pid, expert, body):
    return client.post(f"/api/v1/expert/tender-reviews/{pid}", json=body, headers=api_token(client, expert["username"]))


def test_two_drawn_experts_submit_and_only_then_the_documents_are_filed(client, db, w):
    pid, (first, second), outsider, pool = _reviewed_project(client, db, w)
    outside = api_token(client, outsider["username"])
    assert client.get(f"/api/v1/expert/tender-reviews/{pid}", headers=outside).status_code == 404
    problem(_say(client, pid, outsider, {"conclusion": "no_changes"}), 404, "not_found")
    agency_try = client.post(
        f"/api/v1/expert/tender-reviews/{pid}", json={"conclusion": "no_changes"}, headers=w["h"]["agency"]
    )
    assert agency_try.status_code == 403
    problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_review_incomplete")

    read = client.get(f"/api/v1/expert/tender-reviews/{pid}", headers=api_token(client, first["username"]))
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["version"] == 1 and body["may_submit"] and body["mine"] is None
    assert {c["key"]: c["text"] for c in body["clauses"]}["invalid_bids"] == FILLED["invalid_bids"]

    said = _say(client, pid, first, {"conclusion": "no_changes", "remarks": "条款完整，无倾向性。"})
    assert said.status_code == 201, said.text
    assert said.json()["conclusion_label"] == "无修改意见"
    problem(_say(client, pid, first, {"conclusion": "no_changes"}), 409, "already_exists")
    refused = problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_review_incomplete")
    assert "已提交1名" in refused["detail"]

    assert _say(client, pid, second, {"conclusion": "no_changes"}).status_code == 201
    for who in ("agency", "tenderer", "centre", "supervisor"):
        seen = client.get(f"/api/v1/projects/{pid}/tender-documents/opinions", headers=w["h"][who])
        assert seen.status_code == 200, seen.text
        assert [o["conclusion_label"] for o in seen.json()] == ["无修改意见", "无修改意见"]
        assert all(o["name"] is None for o in seen.json())
        assert first["name"] not in seen.text and second["name"] not in seen.text
    assert _post(client, w, pid, "/file", "agency").json()["status"] == "filed"
    problem(_say(client, pid, first, {"conclusion": "no_changes"}), 409, "tender_document_state")

    with db.unit_of_work() as s:
        entries = list(s.scalars(select(LedgerEntry).where(LedgerEntry.kind == "tenderdocs:document:opinion")))
        payloads = [
            json.dumps(json.loads(e.payload) if isinstance(e.payload, str) else e.payload, ensure_ascii=False)
            for e in entries
        ]
    assert len(entries) == 2
    for text in payloads:
        assert first["name"] not in text and second["name"] not in text and first["username"] not in text


def test_changes_requested_hold_the_filing_until_the_new_version_is_reviewed(client, db, w, app):
    pid, (first, second), _outsider, _pool = _reviewed_project(client, db, w)
    problem(_say(client, pid, first, {"conclusion": "changes"}), 422, "invalid_input")
    problem(
        _say(client, pid, first, {"conclusion": "changes", "changes": [{"clause": "nowhere", "text": "x"}]}),
        422,
        "invalid_input",
    )
    change = {"clause": "qualification", "text": "删除“近三年无重大违法记录”以外的地域性要求。"}
    said = _say(client, pid, first, {"conclusion": "changes", "changes": [change]})
    assert said.status_code == 201, said.text
    assert _say(client, pid, second, {"conclusion": "no_changes"}).status_code == 201
    held = problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_review_incomplete")
    assert "提出修改意见" in held["detail"]
    seen = client.get(f"/api/v1/projects/{pid}/tender-documents/opinions", headers=w["h"]["tenderer"]).json()
    assert [o["conclusion_label"] for o in seen] == ["需修改", "无修改意见"] and seen[0]["changes"] == [change]

    _draft(client, w, pid, dict(FILLED, qualification="具有独立承担民事责任的能力。"))
    _post(client, w, pid, "/confirm", "tenderer")
    refused = problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_review_incomplete")
    assert "已提交0名" in refused["detail"]

    with browser(app, first["username"]) as expert:
        bench = page_text(expert.get("/expert").text)
        assert "招标文件评审" in bench and "第2版待您提交评审意见" in bench
        page = expert.get(f"/expert/tender-reviews/{pid}")
        text = page_text(page.text)
        assert "第2版" in text and "具有独立承担民事责任的能力。" in text and "no_changes" not in text
        done = expert.post(
            f"/expert/tender-reviews/{pid}",
            data={"conclusion": "no_changes", "remarks": "", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        assert "已提交对第2版招标文件的评审意见：无修改意见" in page_text(done.text)
        assert "第2版待您提交评审意见" not in page_text(expert.get("/expert").text)
    assert _say(client, pid, second, {"conclusion": "no_changes"}).status_code == 201
    assert _post(client, w, pid, "/file", "agency").json()["status"] == "filed"
    with browser(app, w["agency"].username) as agency:
        text = page_text(agency.get(f"/projects/{pid}/tender-documents").text)
        assert "需修改" in text and "投标人资格要求" in text and first["name"] not in text
