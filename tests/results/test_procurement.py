"""Procurement open tenders from the delivered report: the purchaser chooses the second candidate because the first
gave up (a statutory reason, facts and evidence required — 422 without them — and the supervisory department
alerted, 87号令 第六十八条), the result notice published late shows as late on the disclosure dashboard; and a
purchaser silent past its 5 working days is deemed by the tick to have chosen the first candidate."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from sunshine import tasks
from sunshine.trading import outcomes
from sunshine.trading.models import Project
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.results.builders import RESULTS, candidate_id, evaluated, fast, results

PRICES = ("4800000.00", "4700000.00", "4900000.00")
PDF = ("放弃中标声明.pdf", b"%PDF-1.4\n% statement of giving up\n", "application/pdf")


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def test_second_candidate_chosen_because_the_first_gave_up(db, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=True, prices=PRICES)
    first, second = (w.names[f] for f in w.ranked[:2])
    url = f"{RESULTS}/projects/{w.project_id}"
    view = results(client, w, w.h["tenderer"])
    assert not view["needs_publicity"] and view["decide_due"]["due"] == "2026-12-30"  # 5 working days from Wed 23rd
    assert client.post(f"{url}/publicity", headers=w.h["agency"]).status_code == 409
    assert results(client, w)["sections"][0]["candidates"] == []  # nothing public before the result notice

    target = f"{url}/sections/{w.section_id}/winner"
    pick = {"eval_bid_id": str(candidate_id(view, second))}
    bare = client.post(target, data=pick, headers=w.h["tenderer"])
    assert bare.status_code == 422 and bare.json()["code"] == "invalid_input" and "第六十八条" in bare.json()["detail"]
    no_file = client.post(
        target, data={**pick, "reason": "gave_up", "facts": "第一名书面声明放弃中标"}, headers=w.h["tenderer"]
    )
    assert no_file.status_code == 422 and "证明材料" in no_file.json()["detail"]
    outsider = client.post(target, data=pick, headers=w.bidder_headers[w.ranked[0]])
    assert outsider.status_code == 403
    decided = ok(
        client.post(
            target,
            data={**pick, "reason": "gave_up", "facts": "第一名于12月24日书面声明放弃中标"},
            files={"evidence": PDF},
            headers=w.h["tenderer"],
        )
    )
    winner = decided["sections"][0]["winner"]
    assert (winner["bidder"], winner["rank"], winner["reason_label"]) == (second, 2, "排名第一的中标候选人放弃中标")
    assert decided["notice_due"]["due"] == "2026-12-25"  # 2 working days from Wed 23rd
    alerts = ok(client.get("/api/v1/alerts", headers=w.h["supervisor"]))
    assert any(second in a["message"] and "放弃中标" in a["message"] for a in alerts)
    got = client.get(f"{RESULTS}/winners/{winner['id']}/evidence", headers=w.h["supervisor"])
    assert got.status_code == 200 and got.content == PDF[1]
    assert (
        client.get(f"{RESULTS}/winners/{winner['id']}/evidence", headers=w.bidder_headers[w.ranked[0]]).status_code
        == 403
    )
    with db.unit_of_work() as s:
        found = outcomes.winners(s, s.get(Project, w.project_id))
    assert [(x.organisation_id, x.amount, x.source) for x in found] == [
        (w.ranked[1], Decimal("4800000.00"), "评审委员会推荐、采购人确定")
    ]

    # the notice three working days later: late on the dashboard
    clock.set(clock.now() + timedelta(days=5))  # Monday 28th, past Friday 25th
    done = ok(client.post(f"{url}/notice", headers=w.h["tenderer"]))
    assert done["state_label"] == "结果已公告" and done["notice_until"] == "2026-12-29"  # 1 working day
    obligations = ok(
        client.get("/api/v1/disclosure/obligations", params={"project_id": w.project_id}, headers=w.h["centre"])
    )
    notice = next(o for o in obligations if o["item_code"] == "ZC.JG.01")
    assert notice["event_date"] == "2026-12-23" and notice["due"] == "2026-12-25"
    assert notice["status"] == "met" and notice["late"] is True and notice["delay_working_days"] == 1
    late = ok(client.get("/api/v1/disclosure/obligations", params={"status": "late"}, headers=w.h["centre"]))
    assert notice["id"] in [o["id"] for o in late]
    public = results(client, w)
    assert public["sections"][0]["winner"]["bidder"] == second and public["sections"][0]["winner"]["facts"] is None
    text = str(ok(client.get("/api/v1/disclosure/publications", params={"item_code": "ZC.JG.01"})))
    assert (
        second in text
        and "4,800,000.00" in text
        and w.names[w.ranked[0]] not in text.split("中标（成交）供应商")[1][:80]
    )


def test_silent_purchaser_is_deemed_to_choose_the_first(db, client, clock):
    w = evaluated(db, client, clock, procurement=True, prices=PRICES)
    first = w.names[w.ranked[0]]
    clock.set(clock.now() + timedelta(days=7))  # Wednesday 30th, the last day: nothing yet
    assert tasks.tick(db).results_deemed == []
    clock.set(clock.now() + timedelta(days=1))  # Thursday 31st
    assert tasks.tick(db).results_deemed == [w.code]
    view = results(client, w, w.h["tenderer"])
    winner = view["sections"][0]["winner"]
    assert winner["bidder"] == first and winner["deemed"] and winner["rank"] == 1
    assert winner["source"] == "评审委员会推荐、采购人逾期未确定视为确定排名第一的中标候选人"
    assert view["state_label"] == "评审结束" and view["notice_due"]["open"]
    assert tasks.tick(db).results_deemed == []  # once
    timeline = client.get(f"/projects/{w.project_id}", headers={"accept": "text/html", **w.h["tenderer"]}).text
    assert "确定中标人" in timeline


def test_tied_first_candidates_are_chosen_by_the_purchaser_not_deemed(db, client, clock):
    w = evaluated(db, client, clock, procurement=True, prices=("4800000.00", "4800000.00", "4900000.00"))
    view = results(client, w, w.h["tenderer"])
    tied = [c for c in view["sections"][0]["candidates"] if c["tied"]]
    assert [c["rank"] for c in tied] == [1, 1]
    clock.set(clock.now() + timedelta(days=8))  # past the 5 working days: the tick cannot choose among the tied
    assert tasks.tick(db).results_deemed == []
    alerts = ok(client.get("/api/v1/alerts", headers=w.h["supervisor"]))
    assert any("并列" in a["message"] for a in alerts)
    chosen = tied[1]
    decided = ok(
        client.post(
            f"{RESULTS}/projects/{w.project_id}/sections/{w.section_id}/winner",
            data={"eval_bid_id": str(chosen["eval_bid_id"])},
            headers=w.h["tenderer"],
        )
    )
    winner = decided["sections"][0]["winner"]
    assert winner["bidder"] == chosen["bidder"] and winner["reason"] == "tie_choice" and not winner["evidence"]
