"""A drawn contractor that declines (or is found not qualified) before the result is determined: the centre
records it with the reason, the reserve takes the contract in the draw's own order, the next registrant in the
order becomes the reserve, the changed result is published again and the public record still verifies; with
nobody left to call the project fails. The draw room's generic outcome form cannot bypass this."""

from __future__ import annotations

import pytest

from sunshine.draws import record, replay, v2
from sunshine.draws import service as draws
from sunshine.tasks import tick
from tests.disclosure.builders import load_catalog
from tests.smallworks.builders import FIRM_NAMES, draw_project, register, run_draw, world


def _drawn(db, client, clock, firms: int):
    load_catalog(db)
    w = world(db, client, firms=firms)
    project = draw_project(client, w)
    for i in range(firms):
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
    section = prepared.json()["sections"][0]
    run_draw(db, w, section["draw_code"])
    return w, project, section["section_id"], section["draw_code"]


def _decline(client, w, project, section_id, **body):
    return client.post(
        f"/api/v1/smallworks/projects/{project['id']}/sections/{section_id}/decline",
        headers=w.headers["centre"],
        json={"outcome": "declined", "reason": "中选人书面声明放弃：施工队伍另有安排", **body},
    )


def test_the_reserve_takes_the_contract_in_the_draws_order(db, client, clock):
    w, project, section_id, code = _drawn(db, client, clock, firms=5)
    url = f"/api/v1/smallworks/projects/{project['id']}"
    first = client.get(url).json()["sections"][0]
    contractor, reserve = first["contractor"], first["reserve"]

    refused = client.post(
        f"{url}/sections/{section_id}/decline",
        headers=w.headers["agency"],
        json={"outcome": "declined", "reason": "放弃"},
    )
    assert refused.status_code == 403
    assert _decline(client, w, project, section_id, reason="").status_code == 422
    assert _decline(client, w, project, section_id, outcome="confirmed").status_code == 422
    assert _decline(client, w, project, section_id, reason="x" * 281).status_code == 422
    # the draw room's generic outcome form cannot change a small-works result behind the project's back
    with pytest.raises(Exception) as refusal, db.unit_of_work() as s:  # noqa: PT012
        seat = draws.seats(s, draws.get(s, code))[0]
        draws.record_outcome(s, w.centre, code, seat.leaf, "declined", "放弃")
    assert getattr(refusal.value, "code", None) == "smallworks_outcome_elsewhere"

    done = _decline(client, w, project, section_id)
    assert done.status_code == 200, done.text
    section = done.json()["sections"][0]
    assert section["contractor"] == reserve, "the reserve takes the contract"
    assert section["reserve"] not in (None, contractor, reserve)
    assert [(o["organisation"], o["outcome_label"]) for o in section["outcomes"]] == [(contractor, "中选人放弃")]
    assert done.json()["state_label"] == "抽取结果公示中"

    with db.unit_of_work() as s:
        data = record.build(s, draws.get(s, code))
    assert replay.verify(data).ok, "the replacement is part of the same replayable draw"
    assert data["version"] == v2.VERSION  # a candidate is named in the order by its salted ticket
    by_leaf = {v2.ticket(data["code"], data["salt"], c["ref"]): c["ref"] for c in data["candidates"]}
    promoted = [a for a in data["assignment"] if a["kind"] == "seat" and a["state"] == "called"]
    assert data["names"][promoted[0]["leaf"]] == reserve
    # the new reserve is the first registrant in the order who was never called
    called_before = {a["leaf"] for a in data["assignment"] if a.get("replaces") is None}
    first_uncalled = next(leaf for leaf in data["order"] if leaf not in called_before)
    assert data["names"][first_uncalled] == section["reserve"]
    assert by_leaf[first_uncalled].startswith("organisation:")

    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"]
    name = project["name"]
    assert sorted(p["title"] for p in pubs) == sorted([f"{name}抽取结果公示", f"{name}抽取结果变更公示"])
    changed = next(p for p in pubs if p["title"].endswith("变更公示"))
    assert reserve in changed["body"] and section["reserve"] in changed["body"]
    steps = client.get(f"/api/v1/projects/{project['id']}/timeline").json()
    assert steps[-1]["step"] == "replace_contractor" and "施工队伍另有安排" in steps[-1]["reason"]


def test_nobody_left_to_call_fails_the_project(db, client, clock):
    w, project, section_id, _code = _drawn(db, client, clock, firms=3)
    names = set(FIRM_NAMES[:3])
    seen = set()
    for _ in range(2):
        current = client.get(f"/api/v1/smallworks/projects/{project['id']}").json()["sections"][0]
        seen.add(current["contractor"])
        response = _decline(client, w, project, section_id, outcome="ineligible", reason="资质证书经核查已被注销")
        assert response.status_code == 200, response.text
    last = response.json()["sections"][0]
    assert last["reserve"] is None, "three qualified: contractor, reserve and one more in the order"
    seen.add(last["contractor"])
    assert seen == names
    response = _decline(client, w, project, section_id)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "failed" and body["sections"][0]["state_label"] == "流标"
    assert body["sections"][0]["failed_reason"] == "中选人放弃或不符合条件，且无可递补的备选人"
    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.02"}).json()["items"]
    assert len(pubs) == 1 and pubs[0]["title"].endswith("抽取流标公告")
    again = _decline(client, w, project, section_id)
    assert again.status_code == 409


def test_the_reserve_withdraws_before_being_called(db, client, clock):
    w, project, section_id, code = _drawn(db, client, clock, firms=5)
    first = client.get(f"/api/v1/smallworks/projects/{project['id']}").json()["sections"][0]
    contractor, reserve = first["contractor"], first["reserve"]
    done = _decline(client, w, project, section_id, whom="reserve", reason="备选人书面声明放弃备选资格")
    assert done.status_code == 200, done.text
    section = done.json()["sections"][0]
    assert section["contractor"] == contractor, "the contractor keeps the contract"
    assert section["reserve"] not in (None, contractor, reserve), "the next in the order becomes the reserve"
    assert [(o["organisation"], o["outcome_label"]) for o in section["outcomes"]] == [(reserve, "备选人放弃")]
    with db.unit_of_work() as s:
        data = record.build(s, draws.get(s, code))
    assert replay.verify(data).ok, "the new reserve is part of the same replayable draw"
    assert _decline(client, w, project, section_id, whom="nobody").status_code == 422
