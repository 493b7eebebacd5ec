"""The staff pages as the centre, the supervisory department and 政务办 use them: the registry's forms (a
nomination entered, appointed, the card printed), the room's QR poster, an open day's page for 政务办, the opinion
queue answered through its form; labels in Chinese, never the internal codes."""

from __future__ import annotations

from tests.pages import browser, csrf_token, page_text
from tests.supervision.builders import people


def test_staff_pages(db, app, client):
    w = people(db, client, candidates=1)
    with browser(app, w["centre"]) as centre:
        page = centre.get("/staff/supervision")
        assert page.status_code == 200 and "录入推荐" in page_text(page.text)
        done = centre.post(
            "/staff/supervision/nominations",
            data={
                "kind": "special",
                "source": "government",
                "username": w["c0"],
                "name": "何平",
                "phone": "13500001234",
                "statement": "县政府政务公开特约监督员",
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "推荐已录入" in text and "特约监督员" in text and "政务公开特约监督员（政府聘请）" in text
        assert "government" not in text and "applied" not in text
        action = next(p.split('"')[0] for p in done.text.split('action="')[1:] if p.split('"')[0].endswith("/appoint"))
        appointed = centre.post(action, data={"csrf_token": csrf_token(done.text)}, follow_redirects=True)
        assert "已聘任并发放工作证" in page_text(appointed.text)
        pdf = next(p.split('"')[0] for p in appointed.text.split('href="')[1:] if p.split('"')[0].endswith("card.pdf"))
        assert centre.get(pdf).content.startswith(b"%PDF")
        bad = centre.post(
            "/staff/supervision/open-days",
            data={"kind": "application", "title": "开放日", "starts_at": "明天", "csrf_token": csrf_token(page.text)},
            follow_redirects=True,
        )
        assert "请按“年-月-日 时:分”填写开放日时间" in page_text(bad.text)
        made = centre.post(
            "/staff/supervision/open-days",
            data={
                "kind": "designated",
                "title": "重点工程集中开放日",
                "starts_at": "2026-12-20T09:00",
                "place": "交易中心",
                "capacity": "20",
                "description": "观摩开评标",
                "instructions": "按时到场",
                "poll": "甲工程\n乙工程",
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        assert "开放日通告已发布" in page_text(made.text)
        poster = centre.get(f"/supervision/rooms/{w['rooms']['第一开标室']}/poster")
        assert "<svg" in poster.text and "/supervision/rooms/" in poster.text
    with browser(app) as visitor:
        day = visitor.get("/supervision/open-days/1")
        text = page_text(day.text)
        assert "社会关注度调查" in text and "甲工程" in text and "召开座谈会" in text
        voted = visitor.post(
            "/supervision/open-days/1/poll",
            data={"option_id": "1", "csrf_token": csrf_token(day.text)},
            follow_redirects=True,
        )
        assert "感谢参与" in page_text(voted.text) and "（1 票）" in page_text(voted.text)
        again = visitor.post(
            "/supervision/open-days/1/poll",
            data={"option_id": "2", "csrf_token": csrf_token(day.text)},
            follow_redirects=True,
        )
        assert "您已参加本次调查" in page_text(again.text)
        hub = visitor.get("/supervision")
        left = visitor.post(
            "/supervision/opinions",
            data={"topic": "discipline", "body": "开标现场有人员随意走动。", "csrf_token": csrf_token(hub.text)},
            follow_redirects=True,
        )
        assert "意见已收到" in page_text(left.text) and "由行政监督部门" in page_text(left.text)
    with browser(app, w["office"]) as office:
        assert "重点工程集中开放日" in page_text(office.get("/staff/supervision/open-days/1").text)
        assert office.get("/staff/supervision").status_code == 403
    with browser(app, w["supervisor"]) as dept:
        queue = dept.get("/staff/supervision/opinions")
        assert "开标现场有人员随意走动" in page_text(queue.text) and "工作纪律" in page_text(queue.text)
        action = next(p.split('"')[0] for p in queue.text.split('action="')[1:] if p.split('"')[0].endswith("/answer"))
        answered = dept.post(
            action,
            data={"text": "已约谈交易中心，加强现场秩序管理。", "csrf_token": csrf_token(queue.text)},
            follow_redirects=True,
        )
        assert "已答复" in page_text(answered.text)
