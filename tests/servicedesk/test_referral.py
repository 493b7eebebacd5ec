"""A complaint about a trading procedure reaching the desk is handed to the complaints procedure, never handled
twice: a party's complaint is filed there through its service (what the statute requires is still checked
there, and nothing of the order is kept when it is refused); anyone else is told the statutory route. And the
kernel's after-step hook: the party that registered the project is asked to rate the centre's acceptance."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.servicedesk.models import SurveyInvitation, WorkOrder
from tests.complaints.builders import CASES, project_row, tender

ORDERS = "/api/v1/desk/orders"


def _order(code: str, **extra) -> dict:
    return {
        "kind": "complaint",
        "title": "招标文件排斥外地投标人",
        "content": "招标文件第三章资格条件要求投标人具有本市业绩，排斥外地潜在投标人。",
        "project_code": code,
        "requester_phone": "13800000009",
        **extra,
    }


REFERRAL = {
    "complaint_kind": "objection",
    "matter": "tender_docs",
    "request": "删除招标文件第三章中关于本市业绩的要求。",
    "legal_basis": "《中华人民共和国招标投标法实施条例》第三十二条",
    "signed": True,
}


def test_trading_complaint_goes_to_complaints(db, client, clock) -> None:
    w = tender(db, client)
    project = project_row(db, w.project_id)

    # a party with the statutory contents: filed as an objection in the complaints module
    r = client.post(ORDERS, json=_order(project.code, referral=REFERRAL), headers=w.hb[0])
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert receipt["state_label"] == "已移交投诉处理" and receipt["complaint_code"].startswith("YY")
    cases = client.get(CASES, headers=w.hb[0]).json()
    items = cases["items"] if isinstance(cases, dict) else cases
    assert any(c["code"] == receipt["complaint_code"] for c in items)
    order = client.get(f"{ORDERS}/{receipt['id']}", headers=w.h["centre"]).json()
    assert order["complaint_code"] == receipt["complaint_code"] and order["state"] == "referred"
    # the desk cannot route it: it is no longer a desk matter
    route = client.post(f"{ORDERS}/{receipt['id']}/route", json={"department_id": 1}, headers=w.h["centre"])
    assert route.status_code in (404, 409, 422)

    # the statutory contents are checked there: refused, and nothing of the order is kept
    with db.unit_of_work() as s:
        before = s.scalar(select(WorkOrder.id).order_by(WorkOrder.id.desc()))
    bad = client.post(ORDERS, json=_order(project.code, referral={**REFERRAL, "signed": False}), headers=w.hb[1])
    assert bad.status_code == 422 and bad.json()["code"] == "contents_missing"
    with db.unit_of_work() as s:
        assert s.scalar(select(WorkOrder.id).order_by(WorkOrder.id.desc())) == before

    # a member of the public: told the statutory route; the desk does not handle it either
    r = client.post(ORDERS, json=_order(project.code))
    assert r.status_code == 201 and r.json()["state_label"] == "已移交投诉处理" and r.json()["complaint_code"] is None
    assert "异议、质疑与投诉" in r.json()["message"]

    # the project's acceptance (a kernel step) asked whoever registered it to rate the centre's service
    with db.unit_of_work() as s:
        inv = s.scalar(
            select(SurveyInvitation).where(
                SurveyInvitation.subject_id == w.project_id, SurveyInvitation.service == "project_accepted"
            )
        )
        assert inv is not None and inv.user_id == project.registered_by
