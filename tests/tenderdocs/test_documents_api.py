"""Tender documents through the API: drafted from the centre's template (a mandatory clause left empty refused),
confirmed by the purchaser only, filed with the finance department, the first notice held until they are ready
(projects registered before the centre switched the check on keep their course), a change ordered by the
department before publication (refiled) and after it (out as an amendment with the 15-day check), and above the
pack's amount the review by two experts drawn from the pool, who are then excluded from the evaluation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.committees import avoidance, drawing
from sunshine.committees import service as committees
from sunshine.committees.models import DrawRequest
from sunshine.committees.service import RequestIn
from sunshine.core import clock as core_clock
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Project, Section
from tests.builders import api_token
from tests.committees.builders import CIVIL, COST
from tests.experts.builders import add_expert
from tests.tenderdocs.builders import FILLED, confirm_reviewers, switch_on, template
from tests.trading.builders import accepted_project, publish_notice, tender_world


def _form(fields: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items() if v is not None}


def notice_form(name: str, deadline_days: int = 30) -> dict:
    now = core_clock.now()
    return _form(
        {
            "kind": "tender",
            "title": f"{name}招标公告",
            "body_html": "<p>招标公告正文：资格条件、获取招标文件的时间和方式。</p>",
            "docs_issued_at": now,
            "docs_sale_end": now + timedelta(days=8),
            "bid_deadline": now + timedelta(days=deadline_days),
        }
    )


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
def w(db, client):
    w = tender_world(db)
    switch_on(db, w["centre"])
    w["template"] = template(db, w["centre"])
    tokens(client, w)
    return w


def tokens(client, w) -> None:
    w["h"] = {k: api_token(client, w[k].username) for k in ("agency", "tenderer", "supervisor", "centre")}


def _project(db, w, budget="2000000.00"):
    return accepted_project(
        db, w, transaction_type="gov_procurement", name="示范市第一中学教学设备采购项目", sections=[("第一包", budget)]
    )


def _draft(client, w, pid, clauses=None, who="agency"):
    return client.post(
        f"/api/v1/projects/{pid}/tender-documents",
        json={"template_id": w["template"], "clauses": FILLED if clauses is None else clauses},
        headers=w["h"][who],
    )


def _post(client, w, pid, path, who, body=None):
    return client.post(f"/api/v1/projects/{pid}/tender-documents{path}", json=body, headers=w["h"][who])


def test_notice_waits_until_documents_are_drafted_confirmed_and_filed(client, db, w):
    pid = _project(db, w)
    form = notice_form("示范市第一中学教学设备采购项目")
    held = problem(
        client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]),
        409,
        "tender_documents_not_ready",
    )
    assert "尚未依范本编制" in held["detail"]

    missing = dict(FILLED, invalid_bids="  ")
    body = problem(_draft(client, w, pid, missing), 422, "mandatory_clauses_missing")
    assert "无效投标条款" in body["detail"]
    problem(_draft(client, w, pid, dict(FILLED, unknown="x")), 422, "invalid_input")

    drafted = _draft(client, w, pid)
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["status_label"] == "已编制，待采购人确认"
    assert "采购人尚未审核确认招标文件" in drafted.json()["missing"]
    assert _post(client, w, pid, "/confirm", "agency").status_code == 403
    problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_state")
    held = problem(
        client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]),
        409,
        "tender_documents_not_ready",
    )
    assert "采购人尚未审核确认" in held["detail"]

    confirmed = _post(client, w, pid, "/confirm", "tenderer")
    assert confirmed.json()["status"] == "confirmed", confirmed.text
    filed = _post(client, w, pid, "/file", "agency").json()
    assert filed["status_label"] == "已送财政部门备案" and filed["missing"] == []
    listed = client.get("/api/v1/tender-documents/filings", headers=w["h"]["supervisor"]).json()
    assert [d["project_id"] for d in listed] == [pid]

    published = client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"])
    assert published.status_code == 201, published.text
    with db.unit_of_work() as s:
        code = s.get(Project, pid).code
        kinds = list(s.scalars(select(LedgerEntry.kind).where(LedgerEntry.subject == f"project:{code}")))
    for kind in ("tenderdocs:document:drafted", "tenderdocs:document:confirmed", "tenderdocs:document:filed"):
        assert kind in kinds


def test_projects_registered_before_the_switch_keep_their_course(client, db, clock):
    w = tender_world(db)
    pid = accepted_project(db, w, transaction_type="gov_procurement", sections=[("第一包", "2000000.00")])
    clock.advance(timedelta(minutes=1))
    switch_on(db, w["centre"])
    publish_notice(db, w["agency"], pid)  # not held
    later = accepted_project(db, w, transaction_type="gov_procurement", sections=[("第一包", "2000000.00")])
    engineering = accepted_project(db, w)  # the engineering packs carry no such rule
    publish_notice(db, w["agency"], engineering)
    headers = api_token(client, w["agency"].username)
    problem(
        client.post(f"/api/v1/projects/{later}/notices", data=notice_form("项目"), headers=headers),
        409,
        "tender_documents_not_ready",
    )


def test_department_orders_a_change_before_publication_and_the_new_version_is_refiled(client, db, w):
    pid = _project(db, w)
    _draft(client, w, pid)
    _post(client, w, pid, "/confirm", "tenderer")
    problem(_post(client, w, pid, "/orders", "supervisor", {"reason": "评分标准"}), 409, "tender_document_state")
    _post(client, w, pid, "/file", "agency")
    assert _post(client, w, pid, "/orders", "agency", {"reason": "x"}).status_code == 403
    ordered = _post(client, w, pid, "/orders", "supervisor", {"reason": "评分标准中“本地企业加分”影响公平竞争，应删除"})
    assert ordered.status_code == 201, ordered.text
    assert ordered.json()["status_label"] == "财政部门责令修改"
    assert ordered.json()["orders"][0]["after_publication"] is False
    form = notice_form("示范市第一中学教学设备采购项目")
    held = problem(
        client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]),
        409,
        "tender_documents_not_ready",
    )
    assert "责令修改" in held["detail"]
    _draft(client, w, pid, dict(FILLED, evaluation_method="综合评分法：价格30分，技术55分，商务15分。"))
    _post(client, w, pid, "/confirm", "tenderer")
    refiled = _post(client, w, pid, "/file", "agency").json()
    assert refiled["version"] == 2 and refiled["orders"][0]["answered_version"] == 2
    assert client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]).status_code == 201


def test_change_ordered_after_publication_goes_out_as_an_amendment(client, db, w):
    pid = _project(db, w)
    _draft(client, w, pid)
    _post(client, w, pid, "/confirm", "tenderer")
    _post(client, w, pid, "/file", "agency")
    form = notice_form("示范市第一中学教学设备采购项目", deadline_days=30)
    assert client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]).status_code == 201
    problem(_draft(client, w, pid), 409, "tender_document_state")  # no redraft without an order
    ordered = _post(client, w, pid, "/orders", "supervisor", {"reason": "资格条件设定了特定地区业绩，应修改"})
    assert ordered.json()["orders"][0]["after_publication"] is True
    _draft(client, w, pid, dict(FILLED, qualification="具有独立承担民事责任的能力。"))
    change = {"title": "教学设备采购项目更正公告", "body_html": "<p>删除特定地区业绩要求。</p>"}
    problem(_post(client, w, pid, "/amendment", "agency", change), 409, "tender_document_state")  # not confirmed
    _post(client, w, pid, "/confirm", "tenderer")
    problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_state")  # goes out as an amendment
    notice = _post(client, w, pid, "/amendment", "agency", change)
    assert notice.status_code == 201, notice.text
    assert notice.json()["kind_label"] == "更正公告"
    doc = client.get(f"/api/v1/projects/{pid}/tender-documents", headers=w["h"]["supervisor"]).json()
    assert doc["status"] == "filed" and doc["orders"][0]["notice_id"] == notice.json()["id"]


def test_ordered_change_inside_15_days_needs_a_later_deadline(client, db, w, clock):
    pid = _project(db, w)
    _draft(client, w, pid)
    _post(client, w, pid, "/confirm", "tenderer")
    _post(client, w, pid, "/file", "agency")
    form = notice_form("示范市第一中学教学设备采购项目", deadline_days=25)
    assert client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]).status_code == 201
    clock.advance(timedelta(days=15))
    tokens(client, w)
    _post(client, w, pid, "/orders", "supervisor", {"reason": "技术参数指向特定品牌"})
    _draft(client, w, pid, dict(FILLED, qualification="具有独立承担民事责任的能力。"))
    _post(client, w, pid, "/confirm", "tenderer")
    change = {"title": "更正公告", "body_html": "<p>修改技术参数。</p>"}
    problem(_post(client, w, pid, "/amendment", "agency", change), 409, "rule_violation")
    later = dict(change, new_bid_deadline=(core_clock.now() + timedelta(days=16)).isoformat())
    assert _post(client, w, pid, "/amendment", "agency", later).status_code == 201


def _run_room(db, w, code):
    secret = engine.new_secret()
    with db.unit_of_work() as s:
        for who in (w["supervisor"], w["centre"], w["agency"]):
            draws.sign_in(s, who, code)
        draws.commit(s, w["supervisor"], code, engine.commitment(code, f"supervisor:{w['supervisor'].user_id}", secret))
        draws.start_reveal(s, w["centre"], code)
        draws.reveal(s, w["supervisor"], code, secret)


def test_above_three_million_two_drawn_experts_review_and_are_excluded_from_the_evaluation(client, db, w, clock):
    pid = _project(db, w, budget="5000000.00")
    experts = [add_expert(db, specialties=(CIVIL if i % 2 == 0 else COST,)) for i in range(12)]
    assert experts
    _draft(client, w, pid)
    _post(client, w, pid, "/confirm", "tenderer")
    doc = client.get(f"/api/v1/projects/{pid}/tender-documents", headers=w["h"]["agency"]).json()
    assert doc["review_required"] and any("随机抽取的专家尚未全部提交本版评审意见" in m for m in doc["missing"])
    problem(_post(client, w, pid, "/file", "agency"), 409, "tender_document_review_incomplete")
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
    for e in confirm_reviewers(db, experts, review.id):
        said = client.post(
            f"/api/v1/expert/tender-reviews/{pid}",
            json={"conclusion": "no_changes"},
            headers=api_token(client, e["username"]),
        )
        assert said.status_code == 201, said.text
    reviewed = client.get(f"/api/v1/projects/{pid}/tender-documents", headers=w["h"]["agency"]).json()
    assert reviewed["reviewers_seated"] == 2 and reviewed["reviewed_version"] == 1
    assert _post(client, w, pid, "/file", "agency").json()["status"] == "filed"
    form = notice_form("示范市第一中学教学设备采购项目")
    assert client.post(f"/api/v1/projects/{pid}/notices", data=form, headers=w["h"]["agency"]).status_code == 201

    with db.unit_of_work() as s:
        reviewers = {seat.expert_id for seat in committees.committee_of(s, review.id) if not seat.reserve}
        deadline = s.get(Project, pid).bid_deadline
    clock.set(deadline + timedelta(minutes=1))
    tokens(client, w)
    evaluation = client.post(
        f"/api/v1/committees/projects/{pid}/requests",
        json={
            "section_id": section_id,
            "purpose": "evaluation",
            "specialties": [{"code": CIVIL, "count": 2}, {"code": COST, "count": 2}],
            "reserve": 1,
            "representatives": 1,
            "meeting_at": (deadline + timedelta(hours=2)).isoformat(),
            "place_kind": "room",
            "place": "第三评标室",
        },
        headers=w["h"]["agency"],
    )
    assert evaluation.status_code == 201, evaluation.text
    with db.unit_of_work() as s:
        row = s.get(DrawRequest, evaluation.json()["id"])
        statuses = avoidance.statuses(s, row, s.get(Project, pid))
    assert len(reviewers) == 2 and {statuses[e] for e in reviewers} == {"doc_reviewer"}
