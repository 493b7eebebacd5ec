"""What a re-evaluation does beyond the scores, through the API and the pages: ordered after the award letters, the
letters are withdrawn (ledgered, shown to the winner) and the published result is withdrawn by a correction notice;
after a performed contract it is refused (94号令 第三十二条); the round's qualification and compliance reviews are
reopened and the superseded round keeps its own; the purchaser organises the original committee itself (87号令
第六十四条: its own project only, with a ground), and a changed result owes the written report to the finance
department, which the supervisory department lists; the seal page checks every round's report."""

from __future__ import annotations

from sunshine.disclosure.models import Publication
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.complaints.builders import CASES, state_of
from tests.evaluation.test_reevaluation import challenge, published
from tests.evaluation.walk import ok
from tests.pages import browser, csrf_token, page_text
from tests.results.builders import BASE, RESULTS, candidate_id, results
from tests.seals.builders import seal_body
from tests.signing.builders import make_key
from tests.trading.builders import actor

REASON = "not_qualified"
REEVAL = "/api/v1/evaluation/projects/{}/reevaluation"


def issue_letters(db, client, w) -> list[dict]:
    pid = w.project_id
    drafted = ok(client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=w.h["agency"]))["letters"]
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    key = make_key(db, signer)
    headers = api_token(client, signer.username)
    for letter in drafted:
        body = seal_body(db, "award_letter", letter["id"], key)
        assert client.post(f"/api/v1/seals/award_letter/{letter['id']}", headers=headers, json=body).status_code in (
            200,
            201,
        )
    return ok(client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=w.h["agency"]))["letters"]


def test_reevaluation_after_the_letters_withdraws_them_and_the_result(db, client, clock):
    w = published(db, client, clock)
    pid, first, second = w.project_id, w.ranked[0], w.ranked[1]
    issued = issue_letters(db, client, w)
    assert state_of(db, pid) == "awarded"
    made = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[second]), 201)
    body = {"answer": "经复核，技术部分评分畸高畸低，质疑成立。", "founded": True, "remedy": "reevaluate"}
    ok(client.post(f"{CASES}/{made['id']}/answer", json={**body, "ground": "extreme_score"}, headers=w.h["agency"]))
    assert state_of(db, pid) == "evaluation"

    # every letter is withdrawn with the reason; the winner sees its own letter withdrawn
    letters = ok(client.get(f"/api/v1/projects/{pid}/award-letters", headers=w.h["agency"]))["letters"]
    assert {x["id"] for x in letters} == {x["id"] for x in issued}
    assert all(x["state_label"] == "已撤回" and "重新评审" in x["withdrawn_reason"] for x in letters)
    mine = ok(client.get("/api/v1/award-letters/mine", headers=w.bidder_headers[first]))
    own = mine if isinstance(mine, list) else mine.get("items", mine.get("letters"))
    assert own and own[0]["state_label"] == "已撤回" and "第三十二条" in own[0]["withdrawn_reason"]
    with db.unit_of_work() as s:
        entry = s.query(LedgerEntry).filter_by(kind="awards:letters:withdrawn").one()
        assert letters[0]["withdrawn_ledger_seq"] == entry.seq and made["code"] in entry.payload
        # the published result is withdrawn through the disclosure pipeline, not deleted
        notice = s.query(Publication).filter(Publication.source_ref.like("reevaluation:%:result-withdrawn")).one()
        assert "更正公告" in notice.title and "撤销" in notice.body
    with browser(client.app, w.agency.username) as agency:
        page = agency.get(f"/projects/{pid}/award-letters")
    assert "已撤回" in page_text(page.text)

    # the reviews are reopened: the chair may change a pass/fail; the superseded round keeps its own
    room = ok(client.get(f"{BASE}/sessions/{w.sid}", headers=w.h["centre"]))
    assert room["state"] == "review"
    bid = next(b for b in room["bids"] if b["bidder"] == w.names[w.ranked[2]])
    chair = w.member_headers[w.chair]
    url = f"{BASE}/sessions/{w.sid}/bids/{bid['id']}/review"
    no = {"stage": "qualification", "passed": False, "reason": REASON, "facts": "资格证明文件已过有效期"}
    changed = ok(client.post(url, json=no, headers=chair))
    assert next(b for b in changed["bids"] if b["id"] == bid["id"])["qualification"] == "rejected"
    back = ok(client.post(url, json={"stage": "qualification", "passed": True}, headers=chair))
    assert next(b for b in back["bids"] if b["id"] == bid["id"])["qualification"] == "passed"
    rounds = ok(client.get(f"{BASE}/sessions/{w.sid}/rounds", headers=w.h["centre"]))
    kept = {r["bidder"]: r for r in rounds["rounds"][0]["reviews"]}
    assert kept[w.names[w.ranked[2]]]["qualification"] == "passed"


def test_reevaluation_is_refused_after_a_performed_contract(db, client, clock):
    w = published(db, client, clock)
    with db.unit_of_work() as s:
        s.get(Project, w.project_id).state = "performing"
    made = ok(client.post(CASES, json=challenge(w.project_id), headers=w.bidder_headers[w.ranked[1]]), 201)
    body = {"answer": "质疑成立。", "founded": True, "remedy": "reevaluate", "ground": "sum_error"}
    refused = client.post(f"{CASES}/{made['id']}/answer", json=body, headers=w.h["agency"])
    assert refused.status_code == 409 and "第三十二条" in refused.json()["detail"], refused.text
    assert state_of(db, w.project_id) == "performing"
    # the purchaser cannot start one either, after the contract
    own = client.post(
        REEVAL.format(w.project_id), json={"ground": "sum_error", "reason": "分值汇总计算错误"}, headers=w.h["agency"]
    )
    assert own.status_code == 409 and own.json()["code"] == "reevaluation_after_contract"


def test_the_purchaser_reevaluates_and_reports_a_changed_result(db, client, clock):
    w = published(db, client, clock)
    pid, sid, first, second, third = w.project_id, w.sid, *w.ranked
    url = REEVAL.format(pid)
    body = {"reason": "复核发现技术部分分值汇总计算错误"}
    # only the project's purchaser or agency; a ground of 87号令 第六十四条
    assert client.post(url, json={**body, "ground": "sum_error"}, headers=w.h["centre"]).status_code == 403
    assert client.post(url, json={**body, "ground": "sum_error"}, headers=w.bidder_headers[first]).status_code == 403
    missing = client.post(url, json=body, headers=w.h["agency"])
    assert missing.status_code == 422 and missing.json()["code"] == "reevaluation_ground_required"
    assert state_of(db, pid) == "result_published"

    # on the rounds page: the agency's button
    with browser(client.app, w.agency.username) as agency:
        page = agency.get(f"/evaluation/sessions/{sid}/rounds")
        assert "组织原评标委员会重新评审" in page.text
        done = agency.post(
            f"/projects/{pid}/evaluation/reevaluation",
            data={
                "session_id": str(sid),
                "ground": "sum_error",
                "reason": body["reason"],
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        assert done.status_code == 200
    assert state_of(db, pid) == "evaluation"
    rounds = ok(client.get(f"{BASE}/sessions/{sid}/rounds", headers=w.h["centre"]))
    assert (
        rounds["rounds"][0]["source"].startswith("purchaser:") and "第六十四条" in rounds["rounds"][0]["source_label"]
    )

    # the committee ends the review and scores again: the second supplier now first — the result changed
    chair = w.member_headers[w.chair]
    ok(client.post(f"{BASE}/sessions/{sid}/review/finish", headers=chair))
    room = ok(client.get(f"{BASE}/sessions/{sid}", headers=w.h["centre"]))
    bids = {b["bidder"]: b["id"] for b in room["bids"]}
    sheet = {
        "scores": {
            str(bids[w.names[o]]): {"tech": "50" if o == second else "38", "service": "18"}
            for o in (first, second, third)
        }
    }
    for h in w.member_headers.values():
        ok(client.post(f"{BASE}/sessions/{sid}/scores", json=sheet, headers=h))
    ok(client.post(f"{BASE}/sessions/{sid}/compute", headers=chair))
    for h in w.member_headers.values():
        ok(client.post(f"{BASE}/sessions/{sid}/report/sign", json={"agree": True}, headers=h))
    assert state_of(db, pid) == "evaluated"

    # the written report to the finance department is owed; the supervisory department sees it
    supervisor = actor(db, Role.SUPERVISOR)
    sup = api_token(client, supervisor.username)
    listed = ok(client.get("/api/v1/evaluation/finance-reports", headers=sup))
    assert [x["project_id"] for x in listed] == [pid] and listed[0]["reported_at"] is None
    assert "应书面报告" in listed[0]["state"]
    assert client.get("/api/v1/evaluation/finance-reports", headers=w.bidder_headers[first]).status_code == 403
    report_url = f"{BASE}/sessions/{sid}/rounds/1/finance-report"
    text = {"text": "重新评审改变了评标结果，第一名由原第一名变更为原第二名，特此书面报告。"}
    assert client.post(report_url, json=text, headers=w.h["centre"]).status_code == 403
    made = ok(client.post(report_url, json=text, headers=w.h["agency"]))
    assert made["state"] == "已书面报告" and made["ledger_seq"]
    assert client.post(report_url, json=text, headers=w.h["agency"]).status_code == 409
    with browser(client.app, supervisor.username) as page:
        seen = page.get("/evaluation/finance-reports")
    assert seen.status_code == 200 and "已书面报告" in page_text(seen.text)

    # the seal page checks every round's report: the superseded one marked
    seal = ok(client.get(f"{BASE}/sessions/{sid}/seal", headers=w.h["centre"]))
    assert [(r["round"], r["superseded"], r["ok"]) for r in seal["rounds"]] == [(1, True, True), (2, False, True)]
    with browser(client.app, w.centre.username) as staff:
        shown = staff.get(f"/evaluation/sessions/{sid}/seal")
    assert "已被取代" in page_text(shown.text) and seal["rounds"][0]["report_sha256"] in shown.text

    # the results flow again; the new winner
    ok(client.post(f"{BASE}/sessions/{sid}/report/deliver", headers=w.h["agency"]))
    view = results(client, w, w.h["tenderer"])
    assert view["sections"][0]["candidates"][0]["bidder"] == w.names[second]
    target = f"{RESULTS}/projects/{pid}/sections/{w.section_id}/winner"
    ok(client.post(target, data={"eval_bid_id": str(candidate_id(view, w.names[second]))}, headers=w.h["tenderer"]))
