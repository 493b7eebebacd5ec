"""An engineering tender's candidates' publicity (中标候选人公示) withdrawn when the original committee is ordered to
evaluate again during it: an objection answered as founded with 重新评审 publishes, through the disclosure review, a
更正公告 of the publicity under its own catalogue item; the public sees it and no longer sees the old candidates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunshine.disclosure.models import Publication
from tests.complaints.builders import CASES, state_of
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.results.builders import BASE, RESULTS, evaluated, fast, results


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast(monkeypatch)


def test_reevaluation_during_the_publicity_withdraws_it_by_a_correction(db, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=False, prices=("4800000.00", "4750000.00", "4900000.00"))
    pid, url = w.project_id, f"{RESULTS}/projects/{w.project_id}"
    clock.advance(timedelta(days=1))
    ok(client.post(f"{url}/publicity", headers=w.h["agency"]))
    assert state_of(db, pid) == "candidates_publicised"
    assert results(client, w)["sections"][0]["candidates"]

    loser = w.bidder_headers[w.ranked[1]]
    content = {"content": "评标委员会对第二名投标人的技术标评分明显有误，与评标办法不符，请求复核"}
    filed = ok(client.post(f"{url}/objections", json=content, headers=loser), 201)
    body = {"answer": "经核查，评分确有错误，异议成立，组织原评标委员会复核。", "founded": True, "remedy": "reevaluate"}
    ok(client.post(f"{CASES}/{filed['id']}/answer", json=body, headers=w.h["tenderer"]))
    assert state_of(db, pid) == "evaluation"
    room = ok(client.get(f"{BASE}/sessions/{w.sid}", headers=w.h["centre"]))
    assert room["round"] == 2

    # the correction notice, published under the candidates' publicity item (GC.KP.03), names the re-evaluation
    listing = ok(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.KP.03"}))
    text = str(listing)
    assert "中标候选人公示更正公告" in text
    with db.unit_of_work() as s:
        notice = s.query(Publication).filter(Publication.source_ref.like("reevaluation:%:candidates-withdrawn")).one()
        assert notice.status == "published" and "撤销" in notice.body and "重新评审" in notice.body
    # the public no longer sees the superseded candidates
    assert all(not x["candidates"] for x in results(client, w)["sections"])
