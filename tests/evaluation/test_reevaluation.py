"""Re-evaluation by the original committee (重新评审, 《政府采购货物和服务招标投标管理办法》第六十四条) through the API:
a challenge to a published procurement result, found founded by the agency, orders re-evaluation — refused
without one of the grounds the article lists; with one, the signed report is reopened for the same members, the old
report stays (its hash in the rounds, its ledger entries intact), the members score again, sign a new report that
names the one it supersedes, and the results flow publishes the new winner again with its clock. A member who
cannot take part is recorded and the next expert in the draw's order is called."""

from __future__ import annotations

import hashlib

from sunshine.evaluation import archive
from sunshine.evaluation.models import EvaluationRound, EvaluationSession
from sunshine.ledger.models import LedgerEntry
from sunshine.results.models import ProjectResult
from sunshine.trading import outcomes
from sunshine.trading.models import Project
from tests.complaints.builders import CASES, letter, state_of
from tests.disclosure.builders import load_catalog
from tests.evaluation.walk import ok
from tests.pages import browser, csrf_token, page_text
from tests.results.builders import BASE, RESULTS, candidate_id, evaluated, results

PRICES = ("4800000.00", "4700000.00", "4900000.00")


def challenge(project_id: int) -> dict:
    return letter(
        project_id,
        kind="challenge",
        matter="result",
        facts="评标委员会对技术部分的评分畸高畸低，第二名供应商的技术方案得分明显偏低，与客观评审因素不符。",
        request="组织原评标委员会重新评审。",
        legal_basis="《政府采购货物和服务招标投标管理办法》第六十四条",
    )


def published(db, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=True, prices=PRICES)
    view = results(client, w, w.h["tenderer"])
    target = f"{RESULTS}/projects/{w.project_id}/sections/{w.section_id}/winner"
    ok(
        client.post(
            target, data={"eval_bid_id": str(candidate_id(view, w.names[w.ranked[0]]))}, headers=w.h["tenderer"]
        )
    )
    ok(client.post(f"{RESULTS}/projects/{w.project_id}/notice", headers=w.h["tenderer"]))
    assert state_of(db, w.project_id) == "result_published"
    return w


def test_an_upheld_challenge_reopens_the_report_for_the_same_committee(db, client, clock):
    w = published(db, client, clock)
    pid, sid = w.project_id, w.sid
    first, second, third = w.ranked
    old = ok(client.get(f"{BASE}/sessions/{sid}/report", headers=w.h["centre"]))
    made = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[second]), 201)
    answer = f"{CASES}/{made['id']}/answer"
    body = {"answer": "经复核，技术部分评分畸高畸低，质疑成立。", "founded": True, "remedy": "reevaluate"}

    # 87号令 第六十四条: a procurement's re-evaluation names one of the listed errors
    refused = client.post(answer, json=body, headers=w.h["agency"])
    assert refused.status_code == 422 and refused.json()["code"] == "reevaluation_ground_required"
    assert "分值汇总计算错误" in refused.json()["detail"] and "第六十四条" in refused.json()["detail"]
    assert state_of(db, pid) == "result_published"  # nothing half written
    with db.unit_of_work() as s:
        assert s.get(EvaluationSession, sid).round == 1

    upheld = ok(client.post(answer, json={**body, "ground": "extreme_score"}, headers=w.h["agency"]))
    assert upheld["remedy_label"] == "重新评审" or "重新评审" in upheld["remedy_label"]
    assert state_of(db, pid) == "evaluation"
    room = ok(client.get(f"{BASE}/sessions/{sid}", headers=w.h["centre"]))
    assert room["round"] == 2 and room["state"] == "review"  # the reviews are reopened too
    assert {m["name"] for m in room["members"] if m["state"] == "active"} == set(w.member_names)  # the same people
    rounds = ok(client.get(f"{BASE}/sessions/{sid}/rounds", headers=w.h["centre"]))
    assert [r["round"] for r in rounds["rounds"]] == [1]
    kept = rounds["rounds"][0]
    assert kept["report_sha256"] == old["report_sha256"] and kept["ground_label"] == "经评标委员会认定评分畸高、畸低"
    assert (
        kept["source"] == f"complaint:{made['code']}" and [c["bidder"] for c in kept["candidates"]][0] == w.names[first]
    )
    assert "原评标委员会" in rounds["committee_rule"] and rounds["replacement"]["status"].startswith("待确认")
    with db.unit_of_work() as s:
        assert s.query(ProjectResult).filter_by(project_id=pid).count() == 0  # the old result's clocks retired
        assert s.query(LedgerEntry).filter_by(seq=old["report_ledger_seq"]).one()  # the old report's entry stays
        reopened = s.query(LedgerEntry).filter_by(kind="evaluation:session:reopened").one()
        assert old["report_sha256"] in reopened.payload and "extreme_score" in reopened.payload
        assert s.query(EvaluationRound).filter_by(session_id=sid).one().scores_json.count("tech") == 3 * len(
            w.member_headers
        )

    # the committee confirms the reviews (it could change a pass/fail), then the same members score again: the second
    # supplier's technical proposal now scores highest
    ok(client.post(f"{BASE}/sessions/{sid}/review/finish", headers=w.member_headers[w.chair]))
    bids = {b["bidder"]: b["id"] for b in room["bids"]}
    sheet = {
        "scores": {
            str(bids[w.names[o]]): {"tech": "50" if o == second else "38", "service": "18"}
            for o in (first, second, third)
        }
    }
    for h in w.member_headers.values():
        ok(client.post(f"{BASE}/sessions/{sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{sid}/compute", headers=w.member_headers[w.chair]))
    for h in w.member_headers.values():
        last = ok(client.post(f"{BASE}/sessions/{sid}/report/sign", json={"agree": True}, headers=h))
    assert last["state"] == "finished"
    new = last["content"]
    assert new["round"] == 2 and new["supersedes"][0]["report_sha256"] == old["report_sha256"]
    assert new["candidates"][0]["bidder"] == w.names[second] and last["report_sha256"] != old["report_sha256"]
    assert state_of(db, pid) == "evaluated"

    # the results flow again from the new report: delivered, the new first candidate determined, the result published
    ok(client.post(f"{BASE}/sessions/{sid}/report/deliver", headers=w.h["agency"]))
    view = results(client, w, w.h["tenderer"])
    assert view["sections"][0]["candidates"][0]["bidder"] == w.names[second]
    target = f"{RESULTS}/projects/{pid}/sections/{w.section_id}/winner"
    ok(client.post(target, data={"eval_bid_id": str(candidate_id(view, w.names[second]))}, headers=w.h["tenderer"]))
    ok(client.post(f"{RESULTS}/projects/{pid}/notice", headers=w.h["tenderer"]))
    assert state_of(db, pid) == "result_published"
    with db.unit_of_work() as s:
        assert [x.organisation_id for x in outcomes.winners(s, s.get(Project, pid))] == [second]
        assert s.query(ProjectResult).filter_by(project_id=pid).one().notice_published_at is not None
    rounds = ok(client.get(f"{BASE}/sessions/{sid}/rounds", headers=w.h["agency"]))
    assert rounds["round"] == 2 and len(rounds["rounds"]) == 1 and rounds["members"] == []  # not a member

    with db.unit_of_work() as s:  # the superseded report stays in the project's record, its hash as signed
        records = archive.contribution(s, s.get(Project, pid)).records
        kept_record = next(r for r in records if r.kind == "evaluation_report_superseded")
        assert hashlib.sha256(kept_record.data).hexdigest() == old["report_sha256"] == kept_record.recorded_sha256

    # the page lists the superseded report for the staff
    with browser(client.app, w.centre.username) as staff:
        page = staff.get(f"/evaluation/sessions/{sid}/rounds")
    assert page.status_code == 200
    assert old["report_sha256"] in page.text and "经评标委员会认定评分畸高、畸低" in page_text(page.text)


def test_a_member_who_cannot_take_part_is_replaced_from_the_draws_order(db, client, clock):
    """On the pages: the agency answers the challenge with the ground chosen on the form; the staff record on the
    rounds page that an expert cannot take part."""
    w = published(db, client, clock)
    made = ok(client.post(CASES, json=challenge(w.project_id), headers=w.bidder_headers[w.ranked[1]]), 201)
    with browser(client.app, w.agency.username) as agency:
        case = agency.get(f"/complaints/{made['id']}")
        assert "重新评审的法定情形" in page_text(case.text) and "分值汇总计算错误" in case.text
        form = {"answer": "质疑成立。", "founded": "1", "remedy": "reevaluate", "csrf_token": csrf_token(case.text)}
        missing = agency.post(f"/complaints/{made['id']}/answer", data=form, follow_redirects=True)
        assert "第六十四条" in page_text(missing.text) and state_of(db, w.project_id) == "result_published"
        done = agency.post(
            f"/complaints/{made['id']}/answer", data={**form, "ground": "sum_error"}, follow_redirects=True
        )
        assert "已答复" in page_text(done.text) and state_of(db, w.project_id) == "evaluation"
    room = ok(client.get(f"{BASE}/sessions/{w.sid}", headers=w.h["centre"]))
    assert room["round"] == 2
    expert = next(m for m in room["members"] if m["kind"] == "expert" and m["id"] != w.chair)
    url = f"{BASE}/sessions/{w.sid}/members/{expert['id']}/unavailable"
    assert client.post(url, json={"reason": "住院"}, headers=w.h["tenderer"]).status_code == 403
    with browser(client.app, w.centre.username) as staff:
        page = staff.get(f"/evaluation/sessions/{w.sid}/rounds")
        assert "登记不能参加" in page.text and "待确认" in page_text(page.text)
        marked = staff.post(
            f"/evaluation/sessions/{w.sid}/members/{expert['id']}/unavailable",
            data={"reason": "因病住院，不能参加重新评审", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        assert "递补专家" in page_text(marked.text) and "重新评审时不能参加：因病住院" in page_text(marked.text)
    done = ok(client.get(f"{BASE}/sessions/{w.sid}/rounds", headers=w.h["centre"]))
    gone = next(m for m in done["members"] if m["id"] == expert["id"])
    assert gone["state"] == "recused" and "不能参加" in gone["note"]
    # the committee is short until the replacement signs in: the sum cannot be computed
    others = [h for mid, h in w.member_headers.items() if mid != expert["id"]]
    ok(client.post(f"{BASE}/sessions/{w.sid}/review/finish", headers=w.member_headers[w.chair]))
    view = ok(client.get(f"{BASE}/sessions/{w.sid}", headers=w.h["centre"]))
    sheet = {"scores": {str(b["id"]): {"tech": "45", "service": "18"} for b in view["bids"]}}
    for h in others:
        ok(client.post(f"{BASE}/sessions/{w.sid}/scores", json=sheet, headers=h))
    short = client.post(f"{BASE}/sessions/{w.sid}/compute", headers=w.member_headers[w.chair])
    assert short.status_code == 409 and short.json()["code"] == "evaluation_committee_incomplete"
    nobody = client.post(f"{BASE}/sessions/{w.sid}/replacements", headers=w.h["centre"])
    assert nobody.status_code == 409 and "递补专家" in nobody.json()["detail"]
    with db.unit_of_work() as s:
        assert s.query(LedgerEntry).filter_by(kind="evaluation:member:unavailable").count() == 1
