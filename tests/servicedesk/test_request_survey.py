"""The satisfaction survey after an information request is answered, as the applicant meets it: no account, a
private link on the request's status page (after the lookup with the code) and on the printed reply letter,
answered without signing in and only once, closed after the period of ``survey_request_link_within``; the
answers join the month's figures as their own service (依申请公开答复), published with the others."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select

from sunshine.ledger.models import LedgerEntry
from sunshine.servicedesk import stats
from sunshine.servicedesk.models import SurveyInvitation, SurveyResponse
from sunshine.servicedesk.request_surveys import token_for
from sunshine.tasks import tick
from tests.inforequests.builders import at, office, receive, step
from tests.pages import browser, csrf_token, page_text

D = date
LINK = re.compile(r'href="(https?://[^"]+/surveys/[A-Za-z0-9_=-]+)"')


def _status_page(visitor, tracking: str, code: str):
    form = visitor.get("/requests/lookup")
    return visitor.post(
        "/requests/lookup", data={"csrf_token": csrf_token(form.text), "tracking": tracking, "code": code}
    )


def test_the_applicant_answers_the_survey_of_an_answer_once_without_an_account(app, db, clock):
    staff = office(db)
    rid, code = receive(db, clock, staff, D(2026, 11, 23), applicant_name="李四")
    with browser(app) as visitor:  # before the answer: no survey
        assert "满意度测评" not in page_text(_status_page(visitor, "依申〔2026〕第0001号", code).text)

    step(db, clock, staff, rid, "answer", D(2026, 11, 25), form="disclosed")
    with db.unit_of_work(read_only=True) as s:
        inv = s.scalar(select(SurveyInvitation).where(SurveyInvitation.subject_kind == "info_request"))
        assert (inv.service, inv.subject_id, inv.user_id) == ("request_answered", rid, None)
        assert inv.expires_on == D(2027, 1, 24)  # 60 calendar days (平台默认值)
        assert "李四" not in inv.subject_label

    with browser(app) as visitor:
        status = _status_page(visitor, "依申〔2026〕第0001号", code)
        text = page_text(status.text)
        assert "欢迎对本次答复进行满意度测评" in text and "2027年1月24日前有效" in text and "限提交一次" in text
        url = LINK.search(status.text).group(1)
        path = urlsplit(url).path
        assert path == f"/surveys/{token_for(rid)}" and len(path) > 40
        letter_link = re.search(r'href="(/requests/\d+/letter\?kind=answer&amp;key=[0-9a-f]+)"', status.text).group(1)
        letter = visitor.get(letter_link.replace("&amp;", "&"))
        assert letter.status_code == 200 and url in page_text(letter.text)

    with browser(app) as stranger:  # a guessed token is nothing
        assert stranger.get("/surveys/" + "A" * 32).status_code == 404
        assert stranger.get(f"/surveys/{token_for(rid + 1)}").status_code == 404

    with browser(app) as applicant:  # no account: the link alone
        form = applicant.get(path)
        assert form.status_code == 200
        page = page_text(form.text)
        assert "依申请公开答复" in page and "工作人员服务态度热情、规范" in page
        items = re.findall(r'name="a_([a-z0-9_]+)"', form.text)
        answers = {f"a_{i}": "4" for i in set(items)}
        incomplete = applicant.post(path, data={"csrf_token": csrf_token(form.text), "a_attitude": "5"})
        assert incomplete.status_code == 422  # the form again, the reason on it and the rating kept
        assert "请为每一题评分" in page_text(incomplete.text)
        assert re.search(r'name="a_attitude" value="5" required checked', incomplete.text)
        done = applicant.post(
            path, data={"csrf_token": csrf_token(form.text), **answers, "comment": "答复及时"}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == path
        assert "感谢您的评价" in page_text(applicant.get(path).text)
        again = applicant.post(path, data={"csrf_token": csrf_token(form.text), **answers})
        assert again.status_code == 409 and "本次测评已提交" in page_text(again.text)
        assert applicant.post(f"/api/v1/desk/surveys/{token_for(rid)}", json={"answers": {}}).status_code == 409

    with db.unit_of_work(read_only=True) as s:
        rows = s.scalars(select(SurveyResponse).where(SurveyResponse.service == "request_answered")).all()
        assert [(r.score, r.respondent, r.comment) for r in rows] == [(80, "party", "答复及时")]
        figures = stats.satisfaction(s, "2026-11")
        assert {"label": "依申请公开答复", "count": 1} in [
            {"label": r["label"], "count": r["count"]} for r in figures["by_service"]
        ]
        payloads = " ".join(s.scalars(select(LedgerEntry.payload)).all())
    assert token_for(rid) not in payloads and "李四" not in payloads

    with browser(app) as visitor:  # the status page says it was answered, and shows no link any more
        status = _status_page(visitor, "依申〔2026〕第0001号", code)
        assert "您已对本次答复进行了满意度测评" in page_text(status.text) and not LINK.search(status.text)

    clock.set(at(D(2026, 12, 2)))  # the month is over: the tick publishes it, the service as its own row
    assert "satisfaction:2026-11" in tick(db).servicedesk
    with browser(app) as visitor:
        assert "依申请公开答复" in page_text(visitor.get("/satisfaction").text)


def test_the_link_closes_after_its_period(app, db, clock):
    staff = office(db)
    rid, code = receive(db, clock, staff, D(2026, 11, 23))
    step(db, clock, staff, rid, "answer", D(2026, 11, 23), form="disclosed")
    clock.set(at(D(2027, 1, 23)))  # the 61st day
    with browser(app) as applicant:
        token = token_for(rid)
        assert applicant.get(f"/surveys/{token}").status_code == 200
        refused = applicant.post(f"/api/v1/desk/surveys/{token}", json={"answers": {"attitude": 5}})
        assert refused.status_code == 409 and refused.json()["code"] == "survey_closed"
        assert "已提交或已过期" in refused.json()["detail"]
        status = _status_page(applicant, "依申〔2026〕第0001号", code)
        assert "本次答复的满意度测评已于2027年1月22日截止" in page_text(status.text)
        assert not LINK.search(status.text)
