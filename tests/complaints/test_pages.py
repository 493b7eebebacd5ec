"""The pages: a bidder files an objection through the form (refused with the statutory contents missing named
beside their fields, then accepted), sees the answer clock with its legal basis, the agency answers through the
case page, the project page links to the cases beside the opening's objections, and the department's list shows
the complaint with its due date; the workbench links to the list."""

from __future__ import annotations

from tests.complaints.builders import CASES, letter, ok, tender
from tests.pages import browser, csrf_token, page_text


def test_file_follow_and_answer_through_the_pages(db, app, client, clock):
    w = tender(db, client)
    pid = w.project_id
    with browser(app, w.bidders[0].username) as bidder:
        form_url = f"/projects/{pid}/complaints/new"
        form = bidder.get(form_url)
        assert form.status_code == 200 and "须写明" in page_text(form.text)
        data = {"kind": "objection", "matter": "tender_docs", "facts": "太短", "csrf_token": csrf_token(form.text)}
        refused = bidder.post(form_url, data=data)
        text = page_text(refused.text)
        assert refused.status_code == 422 and "缺少法定内容" in text and "缺少：明确的请求" in text, text[
            text.find("填写") :
        ][:1500]
        full = letter(pid)
        data.update({k: full[k] for k in ("facts", "request", "contact")}, signed="1")
        filed = bidder.post(form_url, data=data, follow_redirects=False)
        assert filed.status_code == 303
        case_url = filed.headers["location"]
        text = page_text(bidder.get(case_url).text)
        assert "答复异议" in text and "2026年11月26日" in text and "第二十二条" in text and "项目已暂停" in text
        assert "我的异议、质疑与投诉" in page_text(bidder.get("/me").text)
    with browser(app, w.agency.username) as agency:
        page = agency.get(case_url)
        answered = agency.post(
            f"{case_url}/answer",
            data={"answer": "资格条件未要求本市业绩，异议不成立。", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert answered.status_code == 303
        text = page_text(agency.get(case_url).text)
        assert "已答复" in text and "不成立" in text
        listed = page_text(agency.get(f"/projects/{pid}/complaints").text)
        assert "异议" in listed and "第四十四条" in listed and "第五十四条" in listed
        assert "异议、质疑与投诉" in page_text(agency.get(f"/projects/{pid}").text)
    objection_id = int(case_url.rsplit("/", 1)[1])
    complaint = ok(
        client.post(CASES, json=letter(pid, kind="eng_complaint", prior_case_id=objection_id), headers=w.hb[0]),
        201,
    )
    with browser(app, w.supervisor.username) as department:
        text = page_text(department.get("/complaints").text)
        assert complaint["code"] in text and "行政监督部门决定是否受理投诉：2026-11-26" in text
        page = department.get(f"/complaints/{complaint['id']}")
        accepted = department.post(
            f"/complaints/{complaint['id']}/handle",
            data={"action": "accept", "note": "", "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
        assert accepted.status_code == 303
        text = page_text(department.get(f"/complaints/{complaint['id']}").text)
        assert "已受理，处理中" in text and "2027-01-05" in text and "暂定" in text
