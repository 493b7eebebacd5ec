"""The demo shows the small-works draw at two stages: a draw made and disclosed yesterday, its result in publicity
and its public record replayable by anyone; and a draw prepared after registration closed, whose room waits for
the witnesses."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.demo.smallworks import FINISHED, WAITING
from sunshine.draws import replay
from sunshine.trading.models import Project
from tests.pages import browser, page_text


def test_demo_small_works_draws(demo, db, app, client):
    with db.unit_of_work() as s:
        finished = s.scalar(select(Project.id).where(Project.name == FINISHED.name))
        waiting = s.scalar(select(Project.id).where(Project.name == WAITING.name))
    done = client.get(f"/api/v1/smallworks/projects/{finished}").json()
    assert done["state_label"] == "抽取结果公示中" and done["publicity_until"] is not None
    section = done["sections"][0]
    assert section["contractor"] and section["reserve"] and section["eligible_count"] == 3
    record = client.get(section["record_json_url"]).json()
    assert record["state"] == "disclosed" and replay.verify(record).ok
    assert section["contractor"] in record["names"].values()

    open_ = client.get(f"/api/v1/smallworks/projects/{waiting}").json()
    assert open_["state_label"] == "抽取中"
    room_section = open_["sections"][0]
    assert room_section["contractor"] is None
    room = client.get(f"/api/v1/draws/{room_section['draw_code']}/room").json()
    assert room["state"] == "prepared" and not any(w["present"] for w in room["witnesses"])
    with browser(app) as visitor:
        text = page_text(visitor.get(f"/projects/{waiting}/smallworks").text)
    assert "进入抽取室" in text and "抽取中（等待见证各方签到、各方承诺与揭示）" in text
