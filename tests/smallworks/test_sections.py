"""A draw project with two sections: one draw per section, each with its own qualified registrants; the result is
published only when both draws are finished, and names a contractor per section."""

from __future__ import annotations

from sunshine.draws import record, replay
from sunshine.draws import service as draws
from sunshine.tasks import tick
from tests.disclosure.builders import load_catalog
from tests.smallworks.builders import draw_project, register, run_draw, world


def test_each_section_has_its_own_draw_and_the_result_waits_for_all(db, client, clock):
    load_catalog(db)
    w = world(db, client, firms=5)
    project = draw_project(client, w, sections=2, estimate="200000.00")
    for i in range(5):
        register(client, w, project, i, section=0)
    for i in (1, 2, 3):
        register(client, w, project, i, section=1)
    clock.set(project["deadline"])
    w.login(client)
    tick(db)
    prepared = client.post(
        f"/api/v1/smallworks/projects/{project['id']}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert prepared.status_code == 200, prepared.text
    sections = prepared.json()["sections"]
    assert len(sections) == 2 and len({s["draw_code"] for s in sections}) == 2
    run_draw(db, w, sections[0]["draw_code"])
    halfway = client.get(f"/api/v1/smallworks/projects/{project['id']}").json()
    assert halfway["state_label"] == "抽取中", "the result waits for the other section's draw"
    assert client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"] == []
    run_draw(db, w, sections[1]["draw_code"])
    done = client.get(f"/api/v1/smallworks/projects/{project['id']}").json()
    assert done["state_label"] == "抽取结果公示中"
    first, second = done["sections"]
    assert first["contractor"] and second["contractor"]
    with db.unit_of_work() as s:
        second_record = record.build(s, draws.get(s, sections[1]["draw_code"]))
    assert second_record["names"] and len(second_record["candidates"]) == 3, "only the section's own registrants"
    assert replay.verify(second_record).ok
    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"]
    assert len(pubs) == 1 and first["contractor"] in pubs[0]["body"] and second["contractor"] in pubs[0]["body"]
