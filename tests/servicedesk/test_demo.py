"""The demo shows the desk at work: orders at every stage (closed and rated, reopened, overdue and escalated,
waiting for the callback, a 举报 seen by its department only, one from 12345 told back, a trading complaint
referred), the knowledge base, this week's shifts, the 12345 log with a call's recording, information requests'
applicants rating the answer through their letters' links, and last month's published satisfaction."""

from __future__ import annotations

from sqlalchemy import func, select

from sunshine.demo.base import DEMO_PASSWORD
from sunshine.servicedesk.models import SurveyInvitation, SurveyResponse
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_servicedesk(demo, app, client, db):
    centre = api_token(client, "centre", DEMO_PASSWORD)
    rows = client.get("/api/v1/desk/orders", headers=centre).json()
    states = {o["state_label"] for o in rows}
    assert {"已办结", "督办中", "已答复待回访", "已移交投诉处理"} <= states
    assert any(o["escalated"] for o in rows) and any(o["reopen_count"] for o in rows)
    assert all(o["kind_label"] != "举报" for o in rows)
    supervisor = api_token(client, "supervisor", DEMO_PASSWORD)
    assert any(o["kind_label"] == "举报" for o in client.get("/api/v1/desk/orders", headers=supervisor).json())
    messages = client.get("/api/v1/desk/hotline/messages", headers=centre).json()
    assert {(m["direction"], m["status"]) for m in messages} >= {("in", "received"), ("out", "sent")}
    assert client.get("/api/v1/desk/shifts", headers=centre).json()
    with db.unit_of_work(read_only=True) as s:
        rated = s.scalars(select(SurveyResponse.month).where(SurveyResponse.service == "request_answered")).all()
        links = s.scalar(select(func.count()).where(SurveyInvitation.subject_kind == "info_request"))
    assert rated and links > len(rated)  # applicants rated answers through their letters' links; others still open
    with browser(app, "centre", DEMO_PASSWORD) as staff:
        log = page_text(staff.get("/desk/hotline").text)
        assert "12345-DEMO-000321" in log and "CALL-DEMO-000321" in log and "4 分 23 秒" in log
        assert "派驻纪检监察组" in page_text(staff.get("/desk/departments").text)
        assert "1号坐席" in page_text(staff.get("/desk/shifts").text)
    published = client.get("/api/v1/desk/satisfaction").json()
    assert published and sum(m["figures"]["count"] for m in published) >= 2
    with browser(app) as visitor:
        text = page_text(visitor.get("/satisfaction").text)
        assert "满意度测评结果" in text and "特约监督员" in text
        assert "进场交易登记办事指南" in visitor.get("/knowledge", params={"q": "进场登记"}).text
