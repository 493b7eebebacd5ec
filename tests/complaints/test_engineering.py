"""Engineering (招标投标) through the API: an objection to the tender documents suspends the tender until the
tenderer answers (条例 第二十二条); a complaint after it is accepted, suspends the tender past its deadline and
opening time — the tick neither closes nor opens it — and is dismissed, the tender resuming with the suspended days
added; the decision is published through the disclosure review (personal data held back) on time on the
dashboard; inadmissible complaints (no prior objection, not a party, too late) are refused with their grounds;
the case file is the parties' and the department's only."""

from __future__ import annotations

from datetime import timedelta

from sunshine import tasks
from sunshine.core import clock as clock_module
from tests.complaints.builders import CASES, letter, ok, project_row, state_of, tender
from tests.disclosure.builders import ID_NUMBER, load_catalog

PDF = ("现场照片.pdf", b"%PDF-1.4\n% photos of the site\n", "application/pdf")


def test_objection_then_complaint_suspends_the_tender_past_its_opening_and_is_dismissed(db, client, clock):
    load_catalog(db)
    w = tender(db, client)
    pid = w.project_id
    deadline = project_row(db, pid).bid_deadline

    # the letter's statutory contents: the refusal names each one missing
    bare = client.post(CASES, json=letter(pid, contact="", signed=False), headers=w.hb[0])
    assert bare.status_code == 422 and bare.json()["code"] == "contents_missing"
    assert "联系人及联系方式" in bare.json()["detail"] and "签字（盖章）及日期" in bare.json()["detail"]
    outsider = client.post(CASES, json=letter(pid), headers=w.ho)
    assert outsider.status_code == 403 and outsider.json()["code"] == "not_a_party"
    wrong = client.post(CASES, json=letter(pid, kind="challenge"), headers=w.hb[0])
    assert wrong.status_code == 422 and "不适用质疑" in wrong.json()["detail"]

    # 异议: filed Monday 23rd; the tenderer answers within 3 days (Thursday 26th); the tender is suspended meanwhile
    objection = ok(client.post(CASES, json=letter(pid), headers=w.hb[0]), 201)
    assert objection["code"].startswith("YY2026") and objection["state_label"] == "已提出，待答复（受理）"
    answer_clock = objection["clocks"][0]
    assert (answer_clock["due"], answer_clock["who"], answer_clock["limit"]) == ("2026-11-26", "招标人", "3日")
    assert "第二十二条" in answer_clock["basis"]
    assert state_of(db, pid) == "suspended" and objection["suspended_project"]
    assert client.get(f"{CASES}/{objection['id']}", headers=w.hb[1]).status_code == 404  # another bidder
    assert client.get(f"{CASES}/{objection['id']}", headers=w.h["centre"]).status_code == 403  # not the department
    clock.set(clock.now() + timedelta(days=1))
    answered = ok(
        client.post(
            f"{CASES}/{objection['id']}/answer",
            json={"answer": "本市业绩要求系评分因素而非资格条件，不构成排斥。", "founded": False},
            headers=w.h["agency"],
        )
    )
    assert answered["state"] == "answered" and answered["clocks"][0]["met_on"] == "2026-11-24"
    assert state_of(db, pid) == "notice_published"
    inbox = ok(client.get("/api/v1/me/messages", headers=w.hb[0]))["items"]
    assert any(objection["code"] in m["subject"] and "已答复" in m["subject"] for m in inbox)

    # 投诉 after the objection: accepted, the tender suspended by the department
    complaint = ok(
        client.post(
            CASES,
            json=letter(pid, kind="eng_complaint", prior_case_id=objection["id"], knew_on="2026-11-24"),
            headers=w.hb[0],
        ),
        201,
    )
    assert complaint["findings"] == [] and complaint["clocks"][0]["due"] == "2026-11-27"  # 3 working days
    ok(client.post(f"{CASES}/{complaint['id']}/evidence", files={"file": PDF}, headers=w.hb[0]), 201)
    accepted = ok(client.post(f"{CASES}/{complaint['id']}/accept", json={"note": ""}, headers=w.h["supervisor"]))
    decide = next(c for c in accepted["clocks"] if c["key"] == "decide")
    assert decide["due"] == "2027-01-06" and decide["provisional"] and "第六十一条" in decide["basis"]
    suspended = ok(client.post(f"{CASES}/{complaint['id']}/suspend", json={}, headers=w.h["supervisor"]))
    assert suspended["suspended_project"] and state_of(db, pid) == "suspended"
    evidence_id = suspended["evidence"][0]["id"]
    assert client.get(f"/api/v1/complaints/evidence/{evidence_id}", headers=w.h["supervisor"]).content == PDF[1]
    assert client.get(f"/api/v1/complaints/evidence/{evidence_id}", headers=w.hb[1]).status_code == 404

    # past the deadline and the opening time: the tick neither closes nor opens the suspended tender
    clock.set(deadline + timedelta(days=2))
    report = tasks.tick(db)
    assert w.code not in report.closed + report.opened and state_of(db, pid) == "suspended"
    department = ok(client.get("/api/v1/complaints/department", headers=w.h["supervisor"]))
    assert [c["code"] for c in department] == [complaint["code"]] and department[0]["next_due"] == "2027-01-06"

    # dismissed: the tender resumes, its deadline moved by the suspended days
    decided = ok(
        client.post(
            f"{CASES}/{complaint['id']}/decide",
            json={"outcome": "dismissed", "decision": "经查，本市业绩仅为评分因素，投诉缺乏事实依据，驳回投诉。"},
            headers=w.h["supervisor"],
        )
    )
    assert decided["state_label"] == "已作出处理决定" and decided["outcome_label"] == "驳回投诉"
    resumed = project_row(db, pid)
    assert resumed.state == "notice_published" and resumed.bid_deadline > clock_module.now()
    assert (resumed.bid_deadline - deadline).days == 1 + 31  # the objection's day, then 24 November to 25 December

    # published through the review: personal data held back, then on time on the dashboard
    url = f"{CASES}/{complaint['id']}/publish"
    held = client.post(
        url,
        json={"title": "投诉处理决定", "body": f"投诉人代表身份证号{ID_NUMBER}，驳回投诉。"},
        headers=w.h["supervisor"],
    )
    assert held.status_code == 422 and held.json()["code"] == "held_for_review"
    body = "投诉人：示范建设集团有限公司\n处理决定：驳回投诉（《中华人民共和国招标投标法实施条例》第六十一条）。"
    published = ok(
        client.post(url, json={"title": "滨江路道路改造工程投诉处理决定", "body": body}, headers=w.h["supervisor"])
    )
    assert published["state"] == "published"
    obligations = ok(client.get("/api/v1/disclosure/obligations", params={"project_id": pid}, headers=w.h["centre"]))
    decision = next(o for o in obligations if o["item_code"] == "GC.JD.01")
    assert decision["status"] == "met" and decision["late"] is False
    public = str(ok(client.get("/api/v1/disclosure/publications", params={"item_code": "GC.JD.01"})))
    assert "驳回投诉" in public and ID_NUMBER not in public


def test_inadmissible_complaints_show_their_grounds_and_are_refused(db, client, clock):
    w = tender(db, client)
    pid = w.project_id
    no_objection = ok(client.post(CASES, json=letter(pid, kind="eng_complaint"), headers=w.hb[1]), 201)
    assert [f["code"] for f in no_objection["findings"]] == ["no_objection"]
    refused = client.post(f"{CASES}/{no_objection['id']}/accept", json={}, headers=w.h["supervisor"])
    assert refused.status_code == 409 and "应当先提出异议" in refused.json()["detail"]
    rejected = ok(
        client.post(
            f"{CASES}/{no_objection['id']}/reject", json={"grounds": ["no_objection"]}, headers=w.h["supervisor"]
        )
    )
    assert rejected["state_label"] == "不予受理" and "第六十条" in rejected["decision"]

    late = ok(
        client.post(
            CASES, json=letter(pid, kind="eng_complaint", matter="process", knew_on="2026-11-02"), headers=w.ho
        ),
        201,
    )
    grounds = {f["code"]: f["text"] for f in late["findings"]}
    assert set(grounds) == {"no_interest", "late"} and "2026年11月2日" in grounds["late"]
    assert client.post(f"{CASES}/{late['id']}/accept", json={}, headers=w.hb[0]).status_code == 403
    mine = ok(client.get(CASES, headers=w.ho))
    assert [c["code"] for c in mine] == [late["code"]]
    assert ok(client.get(CASES, headers=w.h["tenderer"])) and len(ok(client.get(CASES, headers=w.h["tenderer"]))) == 2
