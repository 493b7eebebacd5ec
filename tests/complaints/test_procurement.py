"""Government procurement through the API: a challenge (质疑) to the result, upheld by the purchaser's agency, gives
the contract to the next candidate (94号令 第十六条) as a lifecycle step with its ledger entry; another supplier's
challenge is answered as unfounded and its complaint goes through the finance department — one correction notice,
acceptance, the copy to the respondents and their statement, a suspension of at most 30 days that the tick ends —
and is dismissed."""

from __future__ import annotations

from datetime import timedelta

from sunshine import tasks
from sunshine.core.models import TrackedDeadline
from sunshine.credit import hooks as credit_hooks
from sunshine.disclosure.models import Publication
from sunshine.trading import outcomes
from sunshine.trading.models import Project, Transition
from tests.complaints.builders import CASES, letter, ok, state_of
from tests.disclosure.builders import load_catalog
from tests.results.builders import RESULTS, candidate_id, evaluated, results

PRICES = ("4800000.00", "4700000.00", "4900000.00")


def challenge(project_id: int, **overrides) -> dict:
    body = {
        "kind": "challenge",
        "matter": "result",
        "facts": "中标供应商投标文件所附检测报告系伪造，不满足采购文件第五章的实质性要求。",
        "request": "认定中标无效，依法另行确定成交供应商。",
        "legal_basis": "《政府采购质疑和投诉办法》第十六条",
    }
    return letter(project_id, **{**body, **overrides})


def test_upheld_challenge_changes_the_winner_and_a_complaint_is_handled(db, client, clock):
    load_catalog(db)
    w = evaluated(db, client, clock, procurement=True, prices=PRICES)
    pid = w.project_id
    first, second, third = w.ranked
    view = results(client, w, w.h["tenderer"])
    target = f"{RESULTS}/projects/{pid}/sections/{w.section_id}/winner"
    ok(client.post(target, data={"eval_bid_id": str(candidate_id(view, w.names[first]))}, headers=w.h["tenderer"]))
    ok(client.post(f"{RESULTS}/projects/{pid}/notice", headers=w.h["tenderer"]))
    assert state_of(db, pid) == "result_published"

    # the second supplier challenges the result; the agency finds it founded: the next candidate wins
    made = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[second]), 201)
    answer = next(c for c in made["clocks"] if c["key"] == "answer")
    assert answer["limit"] == "7个工作日" and "第五十三条" in answer["basis"]
    upheld = ok(
        client.post(
            f"{CASES}/{made['id']}/answer",
            json={"answer": "经核实检测报告系伪造，质疑成立。", "founded": True, "remedy": "next_candidate"},
            headers=w.h["agency"],
        )
    )
    assert upheld["remedy_label"] == "依法另行确定中标（成交）供应商"
    assert [h["step"] for h in upheld["history"]] == ["filed", "answered", "remedy"]
    with db.unit_of_work() as s:
        project = s.get(Project, pid)
        assert [x.organisation_id for x in outcomes.winners(s, project)] == [second]
        step = s.query(Transition).filter_by(project_id=pid, step="complaint_next_candidate").one()
        assert made["code"] in step.reason
    assert results(client, w)["sections"][0]["winner"]["bidder"] == w.names[second]
    # the result notice was public: its correction (更正公告) is published through the disclosure review
    with db.unit_of_work() as s:
        notice = s.query(Publication).filter_by(source_ref=f"complaint:{made['code']}:correction").one()
        assert notice.status == "published" and "更正公告" in notice.title
        assert w.names[second] in notice.body and "更正为" in notice.body

    # the third supplier's challenge is unfounded; its complaint goes to the finance department
    other = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[third]), 201)
    ok(
        client.post(
            f"{CASES}/{other['id']}/answer",
            json={"answer": "评审过程符合采购文件规定，质疑不成立。", "founded": False},
            headers=w.h["agency"],
        )
    )
    body = challenge(pid, kind="gp_complaint", prior_case_id=other["id"], respondent="示范市第一中学")
    wrong = client.post(CASES, json={**body, "department": "housing"}, headers=w.bidder_headers[third])
    assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_department"
    assert "应向财政部门提出" in wrong.json()["detail"] and "第六条" in wrong.json()["detail"]
    complaint = ok(client.post(CASES, json=body, headers=w.bidder_headers[third]), 201)
    assert complaint["department_label"] == "财政部门"
    assert complaint["code"].startswith("CT") and complaint["findings"] == []
    url = f"{CASES}/{complaint['id']}"
    sup = w.h["supervisor"]
    ok(client.post(f"{url}/correction", json={"note": "请补充检测报告的具体编号及证明材料"}, headers=sup))
    again = client.post(f"{url}/correction", json={"note": "再次补正"}, headers=sup)
    assert again.status_code == 409
    clock.set(clock.now() + timedelta(days=2))
    corrected = ok(
        client.post(
            f"{url}/correct",
            json={"facts": "检测报告编号JC-2026-118与出具机构记录不符。", "request": "认定成交结果无效。"},
            headers=w.bidder_headers[third],
        )
    )
    assert corrected["state"] == "filed"
    accepted = ok(client.post(f"{url}/accept", json={}, headers=sup))
    copy = next(c for c in accepted["clocks"] if c["key"] == "copy")
    assert copy["limit"] == "8个工作日" and not copy["met_on"] and "第二十一条" in copy["basis"]
    ok(client.post(f"{url}/copy", headers=sup))
    with db.unit_of_work() as s:  # the respondents' 5 working days: a tracked deadline of the calendar
        tracked = s.query(TrackedDeadline).filter_by(subject=f"complaint:{complaint['code']}").one()
        assert tracked.is_open and tracked.days == 5 and tracked.unit == "working"
    stated = ok(client.post(f"{url}/statement", json={"note": "采购人已提交评审记录。"}, headers=w.h["tenderer"]))
    with db.unit_of_work() as s:
        assert not s.query(TrackedDeadline).filter_by(subject=f"complaint:{complaint['code']}").one().is_open
    clocks = {c["key"]: c for c in stated["clocks"]}
    assert clocks["copy"]["met_on"]
    assert clocks["respondent"]["met_on"] and not clocks["respondent"]["overdue"]
    assert clocks["decide"]["status"] == "计时中" and "不计入期限的期间" in clocks["decide"]["explanation"]
    too_long = client.post(f"{url}/suspend", json={"days": 31}, headers=sup)
    assert too_long.status_code == 422
    suspended = ok(client.post(f"{url}/suspend", json={"days": 30}, headers=sup))
    assert suspended["suspended_until"] and state_of(db, pid) == "suspended"
    clock.set(clock.now() + timedelta(days=31))
    report = tasks.tick(db)
    assert f"resumed:{complaint['code']}" in report.complaints and state_of(db, pid) == "result_published"
    decided = ok(
        client.post(
            f"{url}/decide",
            json={"outcome": "dismissed", "decision": "经查，检测报告真实有效，投诉事项缺乏事实依据，驳回投诉。"},
            headers=sup,
        )
    )
    assert decided["state"] == "decided" and decided["outcome_label"] == "驳回投诉"
    records = ok(client.get("/api/v1/credit/records", headers=sup))
    assert not any(r["organisation_id"] == third for r in records)  # one dismissal: no record yet

    # 94号令 第三十七条: the third dismissed complaint within 12 months puts the supplier on the bad-conduct list
    for n in (2, 3):
        again = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[third]), 201)
        answered = {"answer": "质疑事项缺乏事实依据，质疑不成立。", "founded": False}
        ok(client.post(f"{CASES}/{again['id']}/answer", json=answered, headers=w.h["agency"]))
        body = challenge(pid, kind="gp_complaint", prior_case_id=again["id"], respondent="示范市第一中学")
        case = ok(client.post(CASES, json=body, headers=w.bidder_headers[third]), 201)
        ok(client.post(f"{CASES}/{case['id']}/accept", json={}, headers=sup))
        dismissed = {"outcome": "dismissed", "decision": f"第{n}次投诉：经查投诉事项缺乏事实依据，驳回投诉。"}
        last = ok(client.post(f"{CASES}/{case['id']}/decide", json=dismissed, headers=sup))
    assert last["history"][-1]["label"].startswith("列入不良行为记录名单")
    listed = [r for r in ok(client.get("/api/v1/credit/records", headers=sup)) if r["organisation_id"] == third]
    assert len(listed) == 1 and listed[0]["polarity"] == "bad" and "第三十七条" in listed[0]["basis"]
    assert "3次投诉查无实据" in listed[0]["behaviour"]
    with db.unit_of_work() as s:  # the credit rating's figures: complaints lost by the supplier
        today = clock.now().date()
        figures = credit_hooks.sources()["complaints"](s, "bidder", [third], today.replace(month=1, day=1), today)
        assert figures[third]["complaint_lost"] == 3
        assert (
            credit_hooks.sources()["complaints"](
                s, "agency", [w.agency.organisation_id], today.replace(month=1, day=1), today
            )
            == {}
        )
