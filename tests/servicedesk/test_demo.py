"""The demo shows the desk at work: orders at every stage (closed and rated, reopened, overdue and escalated,
waiting for the callback, a 举报 seen by its department only, one from 12345 told back, a trading complaint
referred), the knowledge base, this week's shifts and last month's published satisfaction."""

from __future__ import annotations

from sunshine.demo.base import DEMO_PASSWORD
from tests.builders import api_token
from tests.pages import browser, page_text


def test_demo_servicedesk(demo, app, client):
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
    published = client.get("/api/v1/desk/satisfaction").json()
    assert published and sum(m["figures"]["count"] for m in published) >= 2
    with browser(app) as visitor:
        text = page_text(visitor.get("/satisfaction").text)
        assert "满意度测评结果" in text and "特约监督员" in text
        assert "进场交易登记办事指南" in visitor.get("/knowledge", params={"q": "进场登记"}).text
