"""The demo data holds an ended platform incident with its notices, and the tender it stopped is open for bids
again with its deadline moved; the public page shows it."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.incidents import service
from sunshine.incidents.models import Incident
from tests.pages import page_text


def test_the_demo_incident_is_ended_with_its_notices(demo, db, client):
    with db.unit_of_work() as s:
        incident = s.scalar(select(Incident))
        assert incident is not None and incident.status == "ended" and incident.confirmed_at is not None
        ((row, project),) = service.affected(s, incident)
        assert row.outcome == "resumed" and row.days_added == 1 and project.state == "notice_published"
        assert "投标截止" in {label for label, _, _ in service.moved_dates(row)}
        assert len(service.notices_of(s, incident)) == 2
    text = page_text(client.get("/incidents").text)
    assert "网络中断" in text and "已结束" in text and "已恢复" in text
