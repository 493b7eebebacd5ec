"""The pages as people use them: the agency asks on the project's page (a refusal shows the form again with the
reason), the supervisor approves from the queue, the centre opens the draw room; Chinese labels, no internal
codes; who may open what."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.committees.builders import CIVIL, COST, procurement
from tests.pages import browser, csrf_token, page_text

BEIJING = ZoneInfo("Asia/Shanghai")


def _form(w, **overrides):
    data = {
        "section_id": str(w.section_id),
        "purpose": "evaluation",
        "kind": "draw",
        "spec_code": [CIVIL, COST, "", ""],
        "spec_count": ["2", "2", "", ""],
        "reserve": "1",
        "representatives": "1",
        "meeting_at": (w.deadline + timedelta(hours=2)).astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M"),
        "place_kind": "room",
        "place": "第三评标室",
        "reason": "",
        "appointees": "",
    }
    data.update(overrides)
    return data


def test_agency_asks_supervisor_approves_centre_opens_the_room(db, app, clock):
    w = procurement(db)
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{w.project_id}/expert-draws")
        assert page.status_code == 200
        text = page_text(page.text)
        assert "申请抽取专家" in text and "5人以上单数" in text and "三分之二" in text
        assert "招标文件须由随机抽取的专家审查" in text  # procurement of 5,000,000 yuan: above the 3,000,000 line
        bad = agency.post(
            f"/projects/{w.project_id}/expert-draws",
            data={**_form(w, representatives="0"), "csrf_token": csrf_token(page.text)},
        )
        assert bad.status_code == 422 and "单数" in page_text(bad.text) and "第三评标室" in bad.text
        done = agency.post(
            f"/projects/{w.project_id}/expert-draws",
            data={**_form(w), "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303, page_text(done.text)
        detail_url = done.headers["location"]
        detail = page_text(agency.get(detail_url).text)
        assert "待行政监督部门核准" in detail and "第三评标室" in detail and "evaluation" not in detail
    with browser(app, w.supervisor.username) as supervisor:
        queue = supervisor.get("/expert-draws")
        assert detail_url in queue.text
        page = supervisor.get(detail_url)
        ok = supervisor.post(f"{detail_url}/approve", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
        assert "已核准，待抽取" in page_text(ok.text)
    clock.set(w.deadline + timedelta(minutes=1))
    with browser(app, w.centre.username) as centre:
        page = centre.get(detail_url)
        assert "锁定候选名单" in page_text(page.text)
        opened = centre.post(f"{detail_url}/draw", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
        text = page_text(opened.text)
        assert "抽取中" in text and "进入抽取室" in text


def test_other_parties_do_not_see_the_requests(db, app):
    w = procurement(db)
    with browser(app, w.other_agency.username) as other:
        assert other.get(f"/projects/{w.project_id}/expert-draws").status_code == 404
    with browser(app, w.bidders[0].username) as bidder:
        assert bidder.get(f"/projects/{w.project_id}/expert-draws").status_code == 403
