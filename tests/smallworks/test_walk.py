"""The small-works fixed-price draw walked through the API as the people involved would: the agency's draw
project, contractors register (one withdraws, one is banned by the supervisor, one fails the review), the
registration deadline passes, the centre prepares the draw, the witnesses sign in and the parties commit and
reveal, the draw is made and published at once with its public record, which verifies; after the publicity
period the tick determines the result and the contract deadline runs."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from sunshine.core import clock as core_clock
from sunshine.draws import replay
from sunshine.tasks import tick
from tests.disclosure.builders import load_catalog
from tests.smallworks.builders import FIRM_NAMES, draw_project, register, run_draw_api, world


def _ban(client, w, firm: int) -> None:
    today = core_clock.today_local()
    response = client.post(
        "/api/v1/credit/bans",
        headers=w.headers["supervisor"],
        json={
            "organisation_id": firm,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=400)).isoformat(),
            "basis": "《招标投标法》第五十四条：以他人名义投标，取消一年至三年内参加依法必须进行招标的项目的投标资格",
            "decision_no": "榕建罚〔2026〕12号",
        },
    )
    assert response.status_code == 201, response.text


def _verify_with_the_cli(tmp_path, data: dict) -> str:
    from typer.testing import CliRunner

    from sunshine.cli import app as cli_app

    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["draw", "verify", str(path)], env={"COLUMNS": "200"})
    return f"{result.exit_code}:{result.output}"


def test_a_draw_project_from_registration_to_a_determined_contractor(db, client, clock, tmp_path):
    load_catalog(db)
    w = world(db, client, firms=7)
    project = draw_project(client, w)
    pid = project["id"]
    regs = [register(client, w, project, i) for i in range(7)]
    assert client.post(f"/api/v1/registrations/{regs[4]}/withdraw", headers=w.headers["bidder4"]).status_code == 200
    _ban(client, w, w.firms[2])

    before = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert before["state_label"] == "报名中"
    assert before["sections"][0]["state_label"] == "报名中，报名截止后组织抽取"
    assert before["sections"][0]["pool_count"] is None, "who registered stays confidential until the deadline"
    early = client.post(
        f"/api/v1/smallworks/projects/{pid}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert early.status_code == 409 and early.json()["code"] == "illegal_step"

    clock.set(project["deadline"])
    w.login(client)
    tick(db)
    assert client.get(f"/api/v1/projects/{pid}").json()["state"] == "bid_closed"
    failed_review = client.post(
        f"/api/v1/registrations/{regs[3]}/qualification",
        headers=w.headers["agency"],
        json={"stage": "post", "passed": False, "reasons": "市政公用工程施工总承包资质证书已过有效期"},
    )
    assert failed_review.status_code in (200, 201), failed_review.text

    by_agency = client.post(
        f"/api/v1/smallworks/projects/{pid}/prepare",
        headers=w.headers["agency"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert by_agency.status_code == 403
    not_a_supervisor = client.post(
        f"/api/v1/smallworks/projects/{pid}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.centre.user_id},
    )
    assert not_a_supervisor.status_code == 422 and not_a_supervisor.json()["field"] == "supervisor_user_id"

    prepared = client.post(
        f"/api/v1/smallworks/projects/{pid}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert prepared.status_code == 200, prepared.text
    body = prepared.json()
    section = body["sections"][0]
    assert body["state_label"] == "抽取中"
    assert (section["pool_count"], section["eligible_count"]) == (7, 4)
    assert section["contractor"] is None and section["reserve"] is None
    code = section["draw_code"]
    assert section["record_url"] == f"/draws/{code}" and section["room_url"] == f"/draws/{code}/room"
    again = client.post(
        f"/api/v1/smallworks/projects/{pid}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert again.status_code == 409

    # Before the draw the public record names nobody and has no salts.
    before_draw = client.get(f"/api/v1/draws/{code}/record").json()
    assert before_draw["candidates"] is None and before_draw["names"] == {}
    assert before_draw["pool_size"] == 7 and before_draw["eligible_count"] == 4 and before_draw["salt"] is None
    room = client.get(f"/api/v1/draws/{code}/room").text
    assert not any(name in room for name in FIRM_NAMES[:7])

    run_draw_api(client, w, code)

    after = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    section = after["sections"][0]
    assert after["state"] == "candidates_publicised" and after["state_label"] == "抽取结果公示中"
    eligible_names = {FIRM_NAMES[i] for i in (0, 1, 5, 6)}
    assert section["contractor"] in eligible_names and section["reserve"] in eligible_names
    assert section["contractor"] != section["reserve"]
    # drawn on Thursday 3 December: three calendar days end on Sunday the 6th, so Monday the 7th
    assert core_clock.today_local().isoformat() == "2026-12-03"
    assert after["publicity_until"] == "2026-12-07"

    # The public record (disclosed at once) verifies; every registrant is in the pool with its status.
    data = client.get(f"/api/v1/draws/{code}/record").json()
    assert data["state"] == "disclosed"
    assert replay.verify(data).ok
    statuses = {c["ref"]: c["status"] for c in data["candidates"]}
    assert statuses == {
        f"organisation:{w.firms[0]}": "eligible",
        f"organisation:{w.firms[1]}": "eligible",
        f"organisation:{w.firms[2]}": "smallworks_credit_banned",
        f"organisation:{w.firms[3]}": "smallworks_review_failed",
        f"organisation:{w.firms[4]}": "smallworks_withdrawn",
        f"organisation:{w.firms[5]}": "eligible",
        f"organisation:{w.firms[6]}": "eligible",
    }
    assert data["reasons"]["smallworks_credit_banned"] == "被列入失信名单，禁止参与交易"
    verified = _verify_with_the_cli(tmp_path, data)
    assert verified.startswith("0:") and "验证通过" in verified, verified
    forged = {**data, "order": list(reversed(data["order"]))}
    assert _verify_with_the_cli(tmp_path, forged).startswith("1:"), "a forged order fails the check"
    assert section["contractor"] in data["names"].values()

    # The result notice is published through the disclosure pipeline, with the link to the public record.
    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.01"}).json()["items"]
    assert len(pubs) == 1
    notice = pubs[0]
    assert notice["title"].endswith("抽取结果公示")
    assert section["contractor"] in notice["body"] and section["reserve"] in notice["body"]
    assert f'href="/draws/{code}"' in notice["body"] and "386,000.00" in notice["body"]

    timeline = [t["step"] for t in client.get(f"/api/v1/projects/{pid}/timeline").json()]
    assert timeline[-2:] == ["prepare_draw", "publish_draw_result"]

    # Publicity runs to the end of its last day; the next day's tick determines the result.
    clock.advance(timedelta(days=4))
    w.login(client)
    tick(db)
    assert client.get(f"/api/v1/projects/{pid}").json()["state"] == "candidates_publicised"
    clock.advance(timedelta(days=1))
    w.login(client)
    report = tick(db)
    assert report.smallworks_determined == [project["code"]]
    final = client.get(f"/api/v1/smallworks/projects/{pid}").json()
    assert final["state"] == "result_published" and final["state_label"] == "抽取结果已确定"
    assert final["sections"][0]["state_label"] == "抽取结果已确定"
    assert final["contract_due"] == (core_clock.today_local() + timedelta(days=30)).isoformat()
    assert final["publicity_until"] is None
    deadlines = client.get("/api/v1/calendar/deadlines", headers=w.headers["centre"]).json()
    assert any(
        d["subject"] == f"project:{project['code']}" and d["rule_ref"].endswith("/contract_within") for d in deadlines
    )


def test_too_few_qualified_registrants_fail_the_project(db, client, clock):
    load_catalog(db)
    w = world(db, client, firms=3)
    project = draw_project(client, w)
    regs = [register(client, w, project, i) for i in range(3)]
    assert client.post(f"/api/v1/registrations/{regs[1]}/withdraw", headers=w.headers["bidder1"]).status_code == 200
    clock.set(project["deadline"] + timedelta(minutes=5))
    w.login(client)
    # the tick has not run yet: preparing closes registration first
    prepared = client.post(
        f"/api/v1/smallworks/projects/{project['id']}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert prepared.status_code == 200, prepared.text
    body = prepared.json()
    assert body["state"] == "failed" and body["state_label"] == "流标"
    section = body["sections"][0]
    assert section["draw_code"] is None
    assert section["failed_reason"] == "合格报名人 2 家，少于规则要求的最少 3 家"
    timeline = client.get(f"/api/v1/projects/{project['id']}/timeline").json()
    assert [t["step"] for t in timeline][-2:] == ["close_bidding", "fail_draw"]
    assert "少于规则要求的最少 3 家" in timeline[-1]["reason"]
    pubs = client.get("/api/v1/disclosure/publications", params={"item_code": "GC.XE.02"}).json()["items"]
    assert len(pubs) == 1 and pubs[0]["title"].endswith("抽取流标公告")
    assert "合格报名人 2 家" in pubs[0]["body"]
    with db.unit_of_work() as s:
        from sunshine.draws.models import Draw

        assert s.scalars(select(Draw)).all() == [], "no draw is made for a section that failed"
