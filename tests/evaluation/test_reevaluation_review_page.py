"""The evaluation room's review form in a re-evaluation round (重新评审): the chair changes a bid's qualification
verdict from the page — a bid rejected in this round is offered again with its verdicts, and passing it back is
recorded."""

from __future__ import annotations

import re

from sunshine.evaluation.models import EvaluationMember
from sunshine.identity.models import User
from tests.complaints.builders import CASES, state_of
from tests.evaluation.test_reevaluation import challenge, published
from tests.evaluation.walk import ok
from tests.pages import browser, csrf_token, page_text
from tests.results.builders import BASE


def offered(html: str) -> set[str]:
    form = html[html.index('name="bid_id"') :]
    return set(re.findall(r'<option value="(\d+)"', form[: form.index("</select>")]))


def test_the_chair_changes_a_verdict_from_the_page_in_a_reevaluation(db, client, clock):
    w = published(db, client, clock)
    pid, sid = w.project_id, w.sid
    made = ok(client.post(CASES, json=challenge(pid), headers=w.bidder_headers[w.ranked[1]]), 201)
    body = {"answer": "经复核，质疑成立。", "founded": True, "remedy": "reevaluate", "ground": "extreme_score"}
    ok(client.post(f"{CASES}/{made['id']}/answer", json=body, headers=w.h["agency"]))
    assert state_of(db, pid) == "evaluation"
    with db.unit_of_work(read_only=True) as s:
        chair = s.get(User, s.get(EvaluationMember, w.chair).user_id).username
    room = ok(client.get(f"{BASE}/sessions/{sid}", headers=w.h["centre"]))
    bid = next(b for b in room["bids"] if b["bidder"] == w.names[w.ranked[2]])
    url = f"/evaluation/sessions/{sid}"

    with browser(client.app, chair) as page:
        shown = page.get(url).text
        assert "重新评审（第2轮）" in page_text(shown) and str(bid["id"]) in offered(shown)
        form = {"csrf_token": csrf_token(shown), "bid_id": str(bid["id"]), "stage": "qualification"}
        no = {**form, "outcome": "rejected", "reason": "not_qualified", "facts": "资格证明文件已过有效期"}
        after = page.post(f"{url}/review", data=no, follow_redirects=True)
        assert after.status_code == 200 and "审查结论已记录" in page_text(after.text)
        # the rejected bid is still offered, with its verdicts, so the committee can change it back
        assert str(bid["id"]) in offered(after.text)
        assert "资格审查：不通过" in page_text(after.text)
        yes = {**form, "csrf_token": csrf_token(after.text), "outcome": "passed"}
        back = page.post(f"{url}/review", data=yes, follow_redirects=True)
        assert back.status_code == 200 and "审查结论已记录" in page_text(back.text)
    seen = ok(client.get(f"{BASE}/sessions/{sid}", headers=w.h["centre"]))
    changed = next(b for b in seen["bids"] if b["id"] == bid["id"])
    assert changed["qualification"] == "passed" and changed["rejected_reason"] is None
