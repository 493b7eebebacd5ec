"""A procurement contract signed and not performed, then a re-evaluation ordered by a challenge's answer (94号令
第三十二条: 撤销合同): both parties see the contract revoked (已撤销) with the reason, it cannot be signed again, its
filing deadline closes; after the committee evaluates again the new letters are numbered apart (…-2) and the new
contract beside the revoked one (…-HT-2)."""

from __future__ import annotations

from sunshine.core.models import TrackedDeadline
from tests.complaints.builders import CASES, state_of
from tests.evaluation.test_reevaluation import challenge, published
from tests.evaluation.test_reevaluation_consequences import issue_letters
from tests.evaluation.walk import ok
from tests.pages import browser, page_text
from tests.results.builders import BASE, RESULTS, candidate_id, results

TERMS = {"term": "合同签订后30日内交货", "payment": "验收合格后一次性付款"}


def signed_contract(db, client, w) -> dict:
    pid = w.project_id
    body = {**TERMS, "section_id": w.section_id}
    contract = ok(client.post(f"/api/v1/projects/{pid}/contracts", headers=w.h["agency"], json=body), 201)
    sha = {"sha256": contract["sha256"]}
    url = f"/api/v1/contracts/{contract['id']}/sign"
    ok(client.post(url, headers=w.bidder_headers[w.ranked[0]], json=sha))
    signed = ok(client.post(url, headers=w.h["tenderer"], json=sha))
    assert signed["state_label"] == "双方已签署" and state_of(db, pid) == "contracted"
    return signed


def rescore(client, w, winner: int) -> None:
    sid, chair = w.sid, w.member_headers[w.chair]
    ok(client.post(f"{BASE}/sessions/{sid}/review/finish", headers=chair))
    room = ok(client.get(f"{BASE}/sessions/{sid}", headers=w.h["centre"]))
    bids = {b["bidder"]: b["id"] for b in room["bids"]}
    sheet = {
        "scores": {str(bids[w.names[o]]): {"tech": "50" if o == winner else "38", "service": "18"} for o in w.ranked}
    }
    for h in w.member_headers.values():
        ok(client.post(f"{BASE}/sessions/{sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{sid}/compute", headers=chair))
    for h in w.member_headers.values():
        ok(client.post(f"{BASE}/sessions/{sid}/report/sign", json={"agree": True}, headers=h))
    ok(client.post(f"{BASE}/sessions/{sid}/report/deliver", headers=w.h["agency"]))


def test_a_signed_unperformed_contract_is_revoked_by_a_reevaluation(db, client, clock):
    w = published(db, client, clock)
    pid, first, second = w.project_id, w.ranked[0], w.ranked[1]
    old_letters = issue_letters(db, client, w)
    contract = signed_contract(db, client, w)
    cid = contract["id"]
    with db.unit_of_work() as s:
        filing = s.query(TrackedDeadline).filter_by(subject=f"contract:{cid}").one()
        assert filing.is_open

    made = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[second]), 201)
    body = {"answer": "经复核，分值汇总计算错误，质疑成立。", "founded": True, "remedy": "reevaluate"}
    body["ground"] = "sum_error"
    ok(client.post(f"{CASES}/{made['id']}/answer", json=body, headers=w.h["agency"]))
    assert state_of(db, pid) == "evaluation"

    # both parties see it revoked with the reason; it cannot be signed again; the filing deadline is closed
    for headers in (w.h["tenderer"], w.bidder_headers[first]):
        seen = ok(client.get(f"/api/v1/contracts/{cid}", headers=headers))
        assert seen["state_label"].startswith("已撤销") and "合同撤销" in seen["state_label"]
        assert "重新评审" in seen["state_label"]
    again = client.post(f"/api/v1/contracts/{cid}/sign", headers=w.h["tenderer"], json={"sha256": contract["sha256"]})
    assert again.status_code == 409 and "已撤销" in again.json()["detail"]
    with browser(client.app, w.agency.username) as page:
        shown = page_text(page.get(f"/contracts/{cid}").text)
    assert "已撤销" in shown and "本方签署合同" not in shown
    with db.unit_of_work() as s:
        assert not s.query(TrackedDeadline).filter_by(subject=f"contract:{cid}").one().is_open

    # the committee evaluates again; the new winner's letters are numbered apart, the new contract beside the old
    rescore(client, w, second)
    view = results(client, w, w.h["tenderer"])
    target = f"{RESULTS}/projects/{pid}/sections/{w.section_id}/winner"
    ok(client.post(target, data={"eval_bid_id": str(candidate_id(view, w.names[second]))}, headers=w.h["tenderer"]))
    ok(client.post(f"{RESULTS}/projects/{pid}/notice", headers=w.h["tenderer"]))
    new_letters = issue_letters(db, client, w)
    old_numbers = {x["number"] for x in old_letters}
    assert new_letters and all(x["number"].endswith("-2") for x in new_letters)
    assert all(x["number"][:-2] in old_numbers for x in new_letters)
    body = {**TERMS, "section_id": w.section_id}
    fresh = ok(client.post(f"/api/v1/projects/{pid}/contracts", headers=w.h["agency"], json=body), 201)
    assert fresh["number"] == f"{contract['number']}-2" and fresh["winner"] == w.names[second]
    listed = ok(client.get(f"/api/v1/projects/{pid}/contracts", headers=w.h["agency"]))
    assert {c["id"]: c["state_label"][:3] for c in listed} == {cid: "已撤销", fresh["id"]: "待双方"}
