"""Two sections evaluated together (合并评审) through the API: the tender declares the second section evaluated with
the first; the committee is drawn once (the first section's request); opening the session opens both sections'
sessions with the same members; an expert's conflict declared once recuses them in both, the next expert called
once is admitted to both; each member declares once per bidder across the sections, the chair is elected once;
the reviews, the computation and the signed report stay per section, each report listing both sections; the project
is 评审结束 when both are signed, and the results show each section's own candidates."""

from __future__ import annotations

import pytest

from sunshine.config import get_settings
from sunshine.evaluation import declaration, joint
from sunshine.trading.models import Project, Section
from tests.evaluation.builders import opened_tender
from tests.evaluation.walk import member_headers, ok, replace_recused, tokens
from tests.pages import browser, page_text
from tests.trading.builders import accepted_project, cheap_password_hashing, tender_world

BASE = "/api/v1/evaluation"
PRICES = ("3986500.00", "3912800.00", "4035000.00")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()


def _view(client, sid, headers) -> dict:
    return ok(client.get(f"{BASE}/sessions/{sid}", headers=headers))


def test_two_sections_evaluated_together_by_one_committee(db, app, client, clock):
    w = opened_tender(db, clock, procurement=False, prices=PRICES, joint=True)
    tokens(client, w)
    decl = ok(client.get(f"{BASE}/sections/{w.section2_id}/declaration", headers=w.h["agency"]))
    assert decl["evaluated_with"] == w.section_id

    # one start opens both sections' sessions, with the same committee
    started = ok(
        client.post(
            f"{BASE}/sections/{w.section2_id}/session",
            json={"representatives": [w.tenderer.user_id]},
            headers=w.h["centre"],
        ),
        201,
    )
    s2 = started["id"]
    assert [(j["section"], j["this"]) for j in started["joint"]] == [(1, False), (2, True)]
    s1 = started["joint"][0]["session"]
    again = client.post(
        f"{BASE}/sections/{w.section_id}/session", json={"representatives": [w.tenderer.user_id]}, headers=w.h["centre"]
    )
    assert again.status_code == 409
    v1, v2 = _view(client, s1, w.h["centre"]), _view(client, s2, w.h["centre"])
    assert sorted(m["name"] for m in v1["members"]) == sorted(m["name"] for m in v2["members"])
    with browser(app, w.centre.username) as staff:
        room = page_text(staff.get(f"/evaluation/sessions/{s1}").text)
    assert "合并评审（同一评标委员会）" in room and "第二标段：排水工程" in room
    assert len(v1["bidders"]) == len(PRICES) and {b["price"] for b in v2["bids"]} == {
        "1993250.00",
        "1956400.00",
        "2017500.00",
    }

    # an expert declares a conflict once, in the second section's room: recused in both
    w.sid = s1
    headers = member_headers(client, w)
    expert = next(m for m in v1["members"] if m["kind"] == "expert")
    bidders = v2["bidders"]
    body = {
        "declarations": [
            {"bid_id": b["bid_id"], "conflict": i == 0, "reason": "relative" if i == 0 else None}
            for i, b in enumerate(bidders)
        ]
    }
    ok(client.post(f"{BASE}/sessions/{s2}/conflicts", json=body, headers=headers[expert["id"]]))
    for sid in (s1, s2):
        states = {m["name"]: m["state"] for m in _view(client, sid, w.h["centre"])["members"]}
        assert states[expert["name"]] == "recused"
    replaced = replace_recused(client, db, clock, w)  # called once, admitted to both
    for sid in (s1, s2):
        assert replaced["name"] in [m["name"] for m in _view(client, sid, w.h["centre"])["members"]]

    # every member declares once, per bidder, in the first room; the second records it too
    headers = member_headers(client, w)
    bids1 = _view(client, s1, w.h["centre"])["bids"]
    for h in headers.values():
        decl = {"declarations": [{"bid_id": b["id"], "conflict": False} for b in bids1]}
        ok(client.post(f"{BASE}/sessions/{s1}/conflicts", json=decl, headers=h))
    some = next(iter(headers.values()))
    twice = client.post(
        f"{BASE}/sessions/{s2}/conflicts",
        json={"declarations": [{"bid_id": b["bid_id"], "conflict": False} for b in bidders]},
        headers=some,
    )
    assert twice.status_code == 409
    assert all(m["declared"] for m in _view(client, s2, w.h["centre"])["members"] if m["state"] == "active")

    # the chair once, voted in the second room: both sessions under review with the same chair
    chair = next(
        m for m in _view(client, s2, w.h["centre"])["members"] if m["kind"] == "expert" and m["state"] == "active"
    )
    for h in list(headers.values())[:3]:
        ok(client.post(f"{BASE}/sessions/{s2}/chair", json={"candidate": chair["id"]}, headers=h))
    v1, v2 = _view(client, s1, w.h["centre"]), _view(client, s2, w.h["centre"])
    assert v1["state"] == v2["state"] == "review"
    chair_names = {next(m["name"] for m in v["members"] if m["id"] == v["chair_id"]) for v in (v1, v2)}
    assert chair_names == {chair["name"]}
    hc = next(h for mid, h in member_headers(client, w).items() if mid == v1["chair_id"])

    # per section: reviews, computation, signatures, each its own report listing both sections
    reports = {}
    for sid in (s1, s2):
        for b in _view(client, sid, hc)["bids"]:
            for stage in ("qualification", "compliance"):
                url = f"{BASE}/sessions/{sid}/bids/{b['id']}/review"
                ok(client.post(url, json={"stage": stage, "passed": True}, headers=hc))
        ok(client.post(f"{BASE}/sessions/{sid}/review/finish", headers=hc))
        ok(client.post(f"{BASE}/sessions/{sid}/compute", headers=hc))
        w.sid = sid
        for h in member_headers(client, w).values():
            last = ok(client.post(f"{BASE}/sessions/{sid}/report/sign", json={"agree": True}, headers=h))
        assert last["state"] == "finished"
        reports[sid] = last["content"]
        if sid == s1:  # one section signed: the project is still under evaluation
            assert ok(client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]))["state"] == "evaluation"
    for sid, number in ((s1, 1), (s2, 2)):
        content = reports[sid]
        assert content["project"]["section"] == number
        assert [j["section"] for j in content["sections_together"]] == [1, 2]
        assert [c["price"] for c in content["candidates"]][0] == ("3912800.00" if number == 1 else "1956400.00")
    assert ok(client.get(f"/api/v1/projects/{w.project_id}", headers=w.h["agency"]))["state"] == "evaluated"
    results = ok(client.get(f"/api/v1/results/projects/{w.project_id}", headers=w.h["tenderer"]))
    per_section = {s["section_id"]: [c["bidder"] for c in s["candidates"]] for s in results["sections"]}
    assert set(per_section) == {w.section_id, w.section2_id}
    assert all(len(c) == len(PRICES) for c in per_section.values())


def test_the_lead_of_a_joint_evaluation_is_another_section_of_the_project_without_chains(db):
    world = tender_world(db)
    sections = [(f"第{n}标段", "1000000.00") for n in ("一", "二", "三")]
    pid = accepted_project(db, world, transaction_type="engineering", name="示范市合并评审工程", sections=sections)
    other = accepted_project(db, world, transaction_type="engineering", name="示范市另一工程")
    with db.unit_of_work() as s:
        s.get(Project, pid).evaluation_method = declaration.method("lowest_evaluated_price").title
        ids = [x.id for x in s.query(Section).filter_by(project_id=pid).order_by(Section.number)]
        foreign = s.query(Section).filter_by(project_id=other).one().id

    def declare(section_id: int, lead: int | None) -> None:
        with db.unit_of_work() as s:
            declaration.declare(
                s, world["agency"], section_id, method_code="lowest_evaluated_price", criteria=[], evaluated_with=lead
            )

    for lead in (ids[0], foreign):  # itself, or another project's section
        with pytest.raises(declaration.DeclarationInvalid):
            declare(ids[0], lead)
    declare(ids[1], ids[0])
    with pytest.raises(declaration.DeclarationInvalid):  # no chains: the second is not a lead
        declare(ids[2], ids[1])
    with pytest.raises(declaration.DeclarationInvalid):  # the lead is not evaluated with another
        declare(ids[0], ids[2])
    declare(ids[2], ids[0])
    with db.unit_of_work(read_only=True) as s:
        assert [x.id for x in joint.sections_of(s, ids[2])] == ids
        assert joint.lead_of(s, ids[1]) == ids[0] and joint.lead_of(s, ids[0]) == ids[0]
