"""Draw requests through the API: validation against the project's pack (clear Chinese 422/409 with stable codes),
the supervisor's approval or return, withdrawal, direct appointment (reason, approval, ledger), the draw
refused before the bid deadline, and who may see what."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from tests.builders import api_token
from tests.committees.builders import CIVIL, COST, procurement, request_body
from tests.trading.builders import actor


@pytest.fixture
def w(db, client):
    w = procurement(db)
    w.h = {
        name: api_token(client, getattr(w, name).username) for name in ("agency", "tenderer", "supervisor", "centre")
    }
    w.h["bidder"] = api_token(client, w.bidders[0].username)
    w.h["other_agency"] = api_token(client, w.other_agency.username)
    return w


def _submit(client, w, who="agency", **overrides):
    return client.post(
        f"/api/v1/committees/projects/{w.project_id}/requests", json=request_body(w, **overrides), headers=w.h[who]
    )


def test_lawful_request_waits_for_the_supervisor(client, w):
    r = _submit(client, w)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["state"] == "submitted" and body["state_label"] == "待行政监督部门核准"
    assert body["committee_size"] == 5 and body["experts"] == 4 and body["seats"] == []
    queue = client.get("/api/v1/committees/queue", headers=w.h["supervisor"]).json()
    assert [q["id"] for q in queue] == [body["id"]]
    assert client.get("/api/v1/committees/queue", headers=w.h["centre"]).json() == []


@pytest.mark.parametrize(
    ("overrides", "status", "code", "words"),
    [
        ({"representatives": 0}, 422, "committee_composition", "单数"),
        (
            {"specialties": [{"code": CIVIL, "count": 1}, {"code": COST, "count": 1}]},
            422,
            "committee_composition",
            "5人以上",
        ),
        (
            {"representatives": 3, "specialties": [{"code": CIVIL, "count": 4}]},
            422,
            "committee_composition",
            "三分之二",
        ),
        ({"specialties": [{"code": "Z99", "count": 5}], "representatives": 0}, 422, "unknown_specialty", "Z99"),
        ({"place": " "}, 422, "invalid_input", "评标室"),
        ({"kind": "appointment"}, 422, "appointment_reason_required", "第四十七条"),
    ],
)
def test_unlawful_requests_are_refused_with_a_reason(client, w, overrides, status, code, words):
    r = _submit(client, w, **overrides)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and words in r.json()["detail"]


def test_meeting_before_the_bid_deadline_is_refused(client, w):
    r = _submit(client, w, meeting_at=(w.deadline - timedelta(hours=1)).isoformat())
    assert r.status_code == 422 and "投标（响应）截止" in r.json()["detail"]


def test_large_procurement_needs_seven(db, client):
    w = procurement(db, budget="12000000.00", experts=2)
    h = api_token(client, w.agency.username)
    r = client.post(f"/api/v1/committees/projects/{w.project_id}/requests", json=request_body(w), headers=h)
    assert r.status_code == 422 and "7人以上" in r.json()["detail"]
    body = request_body(w, specialties=[{"code": CIVIL, "count": 3}, {"code": COST, "count": 2}], representatives=2)
    assert client.post(f"/api/v1/committees/projects/{w.project_id}/requests", json=body, headers=h).status_code == 201


def test_second_open_request_for_the_section_conflicts(client, w):
    assert _submit(client, w).status_code == 201
    again = _submit(client, w)
    assert again.status_code == 409 and again.json()["code"] == "draw_request_exists"


def test_supervisor_approves_or_returns_with_reason(client, w):
    rid = _submit(client, w).json()["id"]
    assert client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["agency"]).status_code == 403
    no_reason = client.post(
        f"/api/v1/committees/requests/{rid}/return", json={"reason": " "}, headers=w.h["supervisor"]
    )
    assert no_reason.status_code == 422
    back = client.post(
        f"/api/v1/committees/requests/{rid}/return", json={"reason": "造价专业人数不足"}, headers=w.h["supervisor"]
    )
    assert back.status_code == 200 and back.json()["state"] == "returned"
    assert back.json()["return_reason"] == "造价专业人数不足"
    again = client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"])
    assert again.status_code == 409 and again.json()["code"] == "draw_request_state"
    rid2 = _submit(client, w).json()["id"]  # a returned request no longer blocks a new one
    ok = client.post(f"/api/v1/committees/requests/{rid2}/approve", headers=w.h["supervisor"])
    assert ok.json()["state"] == "approved"
    assert [q["id"] for q in client.get("/api/v1/committees/queue", headers=w.h["centre"]).json()] == [rid2]


def test_applicant_withdraws_before_the_draw(client, w):
    rid = _submit(client, w).json()["id"]
    r = client.post(f"/api/v1/committees/requests/{rid}/cancel", headers=w.h["tenderer"])
    assert r.status_code == 200 and r.json()["state"] == "cancelled"


def test_draw_before_the_bid_deadline_is_refused(client, w):
    rid = _submit(client, w).json()["id"]
    client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"])
    r = client.post(f"/api/v1/committees/requests/{rid}/draw", headers=w.h["centre"])
    assert r.status_code == 409 and r.json()["code"] == "expert_draw_before_deadline"
    assert "平台默认值" in r.json()["detail"]


def test_who_sees_requests(db, client, w):
    rid = _submit(client, w).json()["id"]
    for who in ("agency", "tenderer", "supervisor", "centre"):
        assert client.get(f"/api/v1/committees/requests/{rid}", headers=w.h[who]).status_code == 200, who
    assert client.get(f"/api/v1/committees/requests/{rid}", headers=w.h["other_agency"]).status_code == 404
    assert client.get(f"/api/v1/committees/requests/{rid}", headers=w.h["bidder"]).status_code == 403
    listing = client.get(f"/api/v1/committees/projects/{w.project_id}/requests", headers=w.h["other_agency"])
    assert listing.status_code == 404
    other = client.post(
        f"/api/v1/committees/projects/{w.project_id}/requests", json=request_body(w), headers=w.h["other_agency"]
    )
    assert other.status_code == 404
    admin = actor(db, Role.ADMIN)
    assert (
        client.get(f"/api/v1/committees/requests/{rid}", headers=api_token(client, admin.username)).status_code == 403
    )


def test_doc_review_only_for_procurement_and_two_experts(db, client):
    w = procurement(db, transaction_type="engineering")
    h = api_token(client, w.agency.username)
    body = request_body(w, purpose="doc_review", representatives=0, specialties=[{"code": CIVIL, "count": 2}])
    r = client.post(f"/api/v1/committees/projects/{w.project_id}/requests", json=body, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "draw_purpose_not_applicable"


def test_direct_appointment_needs_reason_and_approval_and_is_in_the_ledger(db, client, w):
    appointees = [
        {"expert_id": e["id"], "specialty": CIVIL if i % 2 == 0 else COST} for i, e in enumerate(w.experts[:4])
    ]
    r = _submit(
        client, w, kind="appointment", appointees=appointees, reason="国家有特殊要求的保密设备，随机抽取的专家难以胜任"
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["kind_label"] == "直接确定专家" and out["state"] == "submitted"
    assert all(s["name"] is None and s["state_label"] == "待核准" for s in out["seats"])
    approved = client.post(f"/api/v1/committees/requests/{out['id']}/approve", headers=w.h["supervisor"]).json()
    assert approved["state"] == "appointed" and approved["draw_code"] is None
    with db.unit_of_work() as s:
        kinds = [e.kind for e in s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq))]
        payloads = [e.payload for e in s.scalars(select(LedgerEntry).where(LedgerEntry.kind.like("committees:%")))]
    assert "committees:appointment:submitted" in kinds and "committees:appointment:approved" in kinds
    assert payloads and all("expert" not in payload for payload in payloads)  # no appointee named in the ledger


def test_appointee_of_the_tenderer_is_refused(db, client, w):
    from tests.experts.builders import add_expert

    own = add_expert(db, specialties=(CIVIL,), employer_id=w.school)
    appointees = [{"expert_id": own["id"], "specialty": CIVIL}] + [
        {"expert_id": e["id"], "specialty": CIVIL} for e in w.experts[1:5]
    ]
    r = _submit(client, w, kind="appointment", appointees=appointees, reason="专业性强", representatives=0)
    assert r.status_code == 422 and r.json()["code"] == "appointee_not_eligible"
    assert "招标人（采购人）的工作人员" in r.json()["detail"]


def test_a_failed_procurement_asks_only_for_the_method_opinion(db, client, clock, w):
    from sunshine.trading import lifecycle
    from sunshine.trading import service as trading
    from sunshine.trading.models import Project

    clock.set(w.deadline + timedelta(minutes=1))
    with db.unit_of_work() as s:
        trading.close_due(s)
        lifecycle.apply(s, s.get(Project, w.project_id), "fail", w.agency, reason="有效投标人不足3家，流标")
    h = api_token(client, w.agency.username)
    meeting = (w.deadline + timedelta(days=3)).isoformat()
    evaluation = client.post(
        f"/api/v1/committees/projects/{w.project_id}/requests", json=request_body(w, meeting_at=meeting), headers=h
    )
    assert evaluation.status_code == 409 and "流标" in evaluation.json()["detail"]
    opinion = request_body(
        w, purpose="method_opinion", representatives=0, specialties=[{"code": CIVIL, "count": 2}], meeting_at=meeting
    )
    ok = client.post(f"/api/v1/committees/projects/{w.project_id}/requests", json=opinion, headers=h)
    assert ok.status_code == 201, ok.text
    assert ok.json()["purpose_label"] == "变更采购方式专家意见"


def test_directly_appointed_experts_are_called_confirm_and_sign_in(db, client, clock, w):
    appointees = [
        {"expert_id": e["id"], "specialty": CIVIL if i % 2 == 0 else COST} for i, e in enumerate(w.experts[:4])
    ]
    r = _submit(client, w, kind="appointment", appointees=appointees, reason="保密工程，随机抽取的专家难以胜任")
    rid = r.json()["id"]
    assert client.post(f"/api/v1/committees/requests/{rid}/approve", headers=w.h["supervisor"]).status_code == 200
    heads = [api_token(client, e["username"]) for e in w.experts[:4]]
    pending = [client.get("/api/v1/expert/assignments", headers=h).json()["pending"] for h in heads]
    assert all(len(p) == 1 and p[0]["title"] for p in pending)
    inbox = client.get("/api/v1/me/messages", headers=heads[0]).json()["items"]
    assert any("直接确定" in m["body"] for m in inbox)
    first, second = pending[0][0], pending[1][0]
    assert client.post(f"/api/v1/expert/assignments/{first['id']}/confirm", headers=heads[0]).status_code == 200
    declined = client.post(
        f"/api/v1/expert/assignments/{second['id']}/decline", headers=heads[1], json={"reason": "health"}
    )
    assert declined.status_code == 200 and declined.json()["state_label"] == "已拒绝"
    centre = api_token(client, w.centre.username)
    listing = client.get(f"/api/v1/committees/requests/{rid}/sign-in-list", headers=centre).json()
    assert list(listing["short"].values()) == [1]  # nobody is next in an appointment: the centre must act
    from sunshine.core import alerts

    with db.unit_of_work(read_only=True) as s:
        assert any("需另行确定专家" in a.message for a in alerts.for_principal(s, w.centre))
    clock.set(datetime.fromisoformat(first["sign_in_opens_at"]) + timedelta(minutes=1))
    again = api_token(client, w.experts[0]["username"])
    signed = client.post(f"/api/v1/expert/assignments/{first['id']}/sign-in", headers=again)
    assert signed.status_code == 200, signed.text
    centre = api_token(client, w.centre.username)
    listing = client.get(f"/api/v1/committees/requests/{rid}/sign-in-list", headers=centre).json()
    assert [line["name"] is not None for line in listing["lines"]].count(True) == 1
