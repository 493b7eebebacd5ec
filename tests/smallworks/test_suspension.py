"""A draw project suspended while its draw room is open (a complaint, a platform incident): the draw may still be
made, but its result is published only when the project resumes; a project terminated meanwhile never uses it."""

from __future__ import annotations

from sunshine.tasks import tick
from tests.disclosure.builders import load_catalog
from tests.smallworks.builders import draw_project, register, run_draw_api, world


def _prepared(db, client, clock):
    load_catalog(db)
    w = world(db, client, firms=3)
    project = draw_project(client, w)
    for i in range(3):
        register(client, w, project, i)
    clock.set(project["deadline"])
    w.login(client)
    tick(db)
    prepared = client.post(
        f"/api/v1/smallworks/projects/{project['id']}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert prepared.status_code == 200, prepared.text
    return w, project, prepared.json()["sections"][0]["draw_code"]


def test_the_result_waits_for_the_resumption(db, client, clock):
    w, project, code = _prepared(db, client, clock)
    pid = project["id"]
    suspended = client.post(
        f"/api/v1/projects/{pid}/suspend", headers=w.headers["centre"], json={"reason": "收到投诉，暂停抽取结果公示"}
    )
    assert suspended.status_code == 200, suspended.text
    run_draw_api(client, w, code)
    during = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert during["state_label"] == "已暂停" and during["publicity_until"] is None
    assert client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"] == []
    resumed = client.post(
        f"/api/v1/projects/{pid}/resume", headers=w.headers["centre"], json={"reason": "投诉处理完毕，恢复"}
    )
    assert resumed.status_code == 200, resumed.text
    after = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert after["state_label"] == "抽取结果公示中" and after["publicity_until"] is not None
    assert len(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"]) == 1


def test_a_terminated_project_does_not_use_the_draw(db, client, clock):
    w, project, code = _prepared(db, client, clock)
    pid = project["id"]
    terminated = client.post(
        f"/api/v1/projects/{pid}/terminate", headers=w.headers["agency"], json={"reason": "项目资金调整，终止本次抽取"}
    )
    assert terminated.status_code == 200, terminated.text
    run_draw_api(client, w, code)
    after = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    section = after["sections"][0]
    assert after["state"] == "terminated" and section["state_label"] == "抽取结果不予采用"
    assert section["failed_reason"] == "项目已终止，抽取结果不予采用" and section["contractor"] is None


def test_a_suspension_during_the_publicity_extends_it(db, client, clock):
    from datetime import date, timedelta

    w, project, code = _prepared(db, client, clock)
    pid = project["id"]
    run_draw_api(client, w, code)
    before = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert before["state_label"] == "抽取结果公示中"
    until = date.fromisoformat(before["publicity_until"])
    centre = w.headers["centre"]
    assert (
        client.post(f"/api/v1/projects/{pid}/suspend", headers=centre, json={"reason": "收到异议"}).status_code == 200
    )
    clock.advance(timedelta(days=4))
    w.login(client)
    centre = w.headers["centre"]
    assert (
        client.post(f"/api/v1/projects/{pid}/resume", headers=centre, json={"reason": "异议已答复"}).status_code == 200
    )
    after = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert after["state_label"] == "抽取结果公示中"
    moved = date.fromisoformat(after["publicity_until"])
    assert moved > until  # the period starts again four days later, counted in its own unit (working days)
    clock.advance(timedelta(days=1))  # past the old end (suspended four days), before the new one
    tick(db)  # the old end has passed: the result is not determined yet, the public still has its days
    assert client.get(f"/api/v1/smallworks/projects/{pid}").json()["state_label"] == "抽取结果公示中"
