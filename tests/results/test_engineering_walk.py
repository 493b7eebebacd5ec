"""An engineering open tender from its signed report to the result notice, through the API: the candidates'
publicity due 3 days after the report (条例 第五十四条) counted across a weekend and a holiday by the calendar, the
publicity for 3 days, a bidder's objection that blocks the winner's determination (409) until the tenderer answers
it, the winner, the result notice with the committee's names — hidden before, public after, for an anonymous
visitor — and the winner registered in ``trading.outcomes``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sunshine.core import calendar
from sunshine.identity.roles import Role
from sunshine.trading import outcomes
from sunshine.trading.models import Project
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.results.builders import RESULTS, candidate_id, evaluated, fast, results
from tests.trading.builders import actor


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def test_engineering_tender_from_report_to_result(db, client, clock):
    load_catalog(db)
    admin = actor(db, Role.ADMIN)
    with db.unit_of_work() as s:  # Monday 28 December declared a holiday (an administrator's override)
        calendar.set_day(s, actor=admin, day=date(2026, 12, 28), kind="holiday", name="调休", reason="测试")
    w = evaluated(db, client, clock, procurement=False, prices=("4800000.00", "4750000.00", "4900000.00"))
    first, second = (w.names[f] for f in w.ranked[:2])
    url = f"{RESULTS}/projects/{w.project_id}"

    # before the publicity: officials see the candidates and the due date, the public sees nothing of them
    view = results(client, w, w.h["tenderer"])
    assert view["state_label"] == "评审结束" and view["report_received_on"] == "2026-12-23"  # a Wednesday
    # 3 days: Saturday 26th, a weekend, then Monday 28th a holiday → Tuesday 29th
    assert view["publicity_due"]["due"] == "2026-12-29"
    assert [c["bidder"] for c in view["sections"][0]["candidates"]] == [first, second, w.names[w.ranked[2]]]
    anonymous = results(client, w)
    assert anonymous["sections"][0]["candidates"] == [] and anonymous["publicity_due"] is None
    code = ok(client.get(f"/api/v1/committees/requests/{w.request_id}", headers=w.h["tenderer"]))["draw_code"]
    record = f"/api/v1/draws/{code}/record"  # the draw's public record, for anyone
    assert not any(n in ok(client.get(record)).__repr__() for n in w.member_names)

    # the agency cannot determine the winner; nobody can before the publicity
    assert (
        client.post(
            f"{url}/sections/{w.section_id}/winner", data={"eval_bid_id": "1"}, headers=w.h["agency"]
        ).status_code
        == 403
    )
    early = client.post(
        f"{url}/sections/{w.section_id}/winner",
        data={"eval_bid_id": str(candidate_id(view, first))},
        headers=w.h["tenderer"],
    )
    assert early.status_code == 409 and "公示" in early.json()["detail"]

    # the publicity, published on the 24th: period until the 27th (Sunday) → 29th
    clock.advance(timedelta(days=1))
    view = ok(client.post(f"{url}/publicity", headers=w.h["agency"]))
    assert view["state_label"] == "中标候选人公示中" and view["publicity_until"] == "2026-12-29"
    public = results(client, w)
    assert [c["bidder"] for c in public["sections"][0]["candidates"]][:2] == [first, second]
    listing = ok(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.KP.03"}))
    text = str(listing)
    assert "中标候选人公示" in text
    obligations = ok(
        client.get("/api/v1/disclosure/obligations", params={"project_id": w.project_id}, headers=w.h["centre"])
    )
    publicity = next(o for o in obligations if o["item_code"] == "GC.KP.03")
    assert publicity["event_date"] == "2026-12-23" and publicity["due"] == "2026-12-29"
    assert publicity["status"] == "met" and publicity["late"] is False

    # a bidder objects; the answer is due in 3 days; until answered the winner cannot be determined
    loser = w.bidder_headers[w.ranked[1]]
    assert client.post(f"{url}/objections", json={"content": "短"}, headers=loser).status_code == 422
    filed = ok(
        client.post(
            f"{url}/objections", json={"content": "第一名投标人的项目经理在其他在建项目任职，不符合要求"}, headers=loser
        ),
        201,
    )
    mine = filed["objections"]
    assert len(mine) == 1 and mine[0]["answer_due"]["due"] == "2026-12-29"  # 27th (Sunday) → 29th
    # the objection is a case of the complaints module, with its clock and the statute behind it
    case = ok(client.get(f"/api/v1/complaints/cases/{filed['id']}", headers=loser))
    assert case["kind_label"] == "对评标结果的异议" and case["code"].startswith("JG")
    assert case["clocks"][0]["due"] == "2026-12-29" and "第五十四条" in case["clocks"][0]["basis"]
    other_bidder = w.bidder_headers[w.ranked[2]]
    assert results(client, w, other_bidder)["objections"] == []  # another bidder does not see it
    assert (
        client.post(
            f"/api/v1/results/objections/{filed['id']}/answer", json={"answer": "经核查不属实"}, headers=other_bidder
        ).status_code
        == 404
    )
    clock.set(clock.now() + timedelta(days=7))  # 31 December: the period ran, the objection is still unanswered
    blocked = client.post(
        f"{url}/sections/{w.section_id}/winner",
        data={"eval_bid_id": str(candidate_id(view, first))},
        headers=w.h["tenderer"],
    )
    assert blocked.status_code == 409 and blocked.json()["code"] == "objection_pending"
    assert "第五十四条" in blocked.json()["detail"]
    assert client.post(f"{url}/notice", headers=w.h["agency"]).status_code == 409
    from sunshine import tasks

    report = tasks.tick(db)
    assert any(k.startswith("complaints:JG") for k in report.complaints)  # the answer is overdue: an alert
    alerts = ok(client.get("/api/v1/alerts", headers=w.h["supervisor"]))
    assert any("答复对评标结果的异议" in a["message"] for a in alerts)
    ok(
        client.post(
            f"/api/v1/results/objections/{filed['id']}/answer",
            json={"answer": "经核查，该项目经理原任职项目已竣工验收，异议不成立"},
            headers=w.h["tenderer"],
        )
    )
    seen = results(client, w, loser)["objections"][0]
    assert seen["answer"].startswith("经核查")

    # the first candidate is the winner; names still hidden until the result notice
    decided = ok(
        client.post(
            f"{url}/sections/{w.section_id}/winner",
            data={"eval_bid_id": str(candidate_id(view, first))},
            headers=w.h["tenderer"],
        )
    )
    winner = decided["sections"][0]["winner"]
    assert winner["bidder"] == first and winner["rank"] == 1 and decided["state_label"] == "中标候选人公示中"
    assert decided["notice_due"]["due"] == "2027-01-04"  # 3 days from 31 December: 3 January a holiday (元旦)
    again = client.post(
        f"{url}/sections/{w.section_id}/winner",
        data={"eval_bid_id": str(candidate_id(view, first))},
        headers=w.h["tenderer"],
    )
    assert again.status_code == 409
    assert not any(n in client.get(record).text for n in w.member_names)
    with db.unit_of_work() as s:
        found = outcomes.winners(s, s.get(Project, w.project_id))
    assert [(x.organisation_id, x.amount, x.source) for x in found] == [
        (w.ranked[0], Decimal("4750000.00"), "评标委员会推荐、招标人确定")
    ]

    # the result notice: the committee's names public for anyone
    done = ok(client.post(f"{url}/notice", headers=w.h["agency"]))
    assert done["state_label"] == "结果已公告"
    after = client.get(record).text  # the drawn experts who sat, by name, for an anonymous visitor
    sat = [n for n in w.member_names if n in after]
    assert sat and len(sat) == len(w.member_names) - 1  # every member but the tenderer's representative
    notices = str(ok(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.JG.01"})))
    assert first in notices and all(n in notices for n in w.member_names)
    timeline = client.get(f"/projects/{w.project_id}", headers={"accept": "text/html"}).text
    for title in ("公示中标候选人", "确定中标人", "发布中标（成交）结果公告"):
        assert title in timeline
    assert f'href="/projects/{w.project_id}/results"' in timeline and "evidence:" not in timeline
