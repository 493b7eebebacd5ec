"""A project that ends while its expert draw is in the room: the draw is cancelled before any order exists, the
request withdrawn, the room closed to sign-ins, and the public record says so."""

from __future__ import annotations

from datetime import timedelta

from sunshine.committees import drawing, service
from sunshine.committees.service import RequestIn
from tests.builders import api_token
from tests.committees.builders import CIVIL, COST, procurement


def test_a_draw_in_the_room_is_cancelled_when_the_project_is_terminated(db, client, clock):
    w = procurement(db)
    data = RequestIn(
        section_id=w.section_id,
        purpose="evaluation",
        specialties=[(CIVIL, 2), (COST, 2)],
        reserve=1,
        representatives=1,
        meeting_at=w.deadline + timedelta(hours=2),
        place_kind="room",
        place="第三评标室",
    )
    with db.unit_of_work() as s:
        rid = service.submit(s, w.agency, w.project_id, data).id
    with db.unit_of_work() as s:
        service.approve(s, w.supervisor, rid)
    clock.set(w.deadline + timedelta(minutes=5))
    with db.unit_of_work() as s:
        code = drawing.start_draw(s, w.centre, rid).draw_code
    agency = api_token(client, w.agency.username)
    ended = client.post(
        f"/api/v1/projects/{w.project_id}/terminate", headers=agency, json={"reason": "预算调整，终止本次采购"}
    )
    assert ended.status_code == 200, ended.text
    request = client.get(f"/api/v1/committees/requests/{rid}", headers=agency).json()
    assert request["state_label"] == "已撤回"
    public = client.get(f"/api/v1/draws/{code}/record")
    assert public.status_code == 200 and public.json()["state_label"] == "已取消"
    supervisor = api_token(client, w.supervisor.username)
    refused = client.post(f"/api/v1/draws/{code}/sign-in", headers=supervisor)
    assert refused.status_code == 409 and "已取消" in refused.json()["detail"]
    page = client.get(f"/draws/{code}/room")
    assert "已取消" in page.text and "hx-trigger" not in page.text
