"""The incident pages as people use them: the centre declares and ends an incident through its form, the
supervisory department confirms it through its own, the public page shows the record in Chinese without
internal codes or staff names, and the pages refuse whoever may not act."""

from __future__ import annotations

from datetime import timedelta

from sunshine.core import clock as clock_module
from sunshine.core.formatting import local_time
from tests.bidding.builders import tender_with_bidders
from tests.disclosure.builders import load_catalog
from tests.pages import browser, csrf_token, page_text


def _form_time(moment) -> str:
    return local_time(moment, "%Y-%m-%dT%H:%M")


def test_declare_confirm_and_end_through_the_pages(db, app, clock):
    load_catalog(db)
    w = tender_with_bidders(db, bidders=1)
    started = clock_module.now() - timedelta(minutes=20)
    with browser(app, w.centre.username) as centre:
        form = centre.get("/staff/incidents")
        assert form.status_code == 200 and "登记平台故障" in page_text(form.text)
        assert w.code in form.text  # offered among the projects an incident could stop
        bad = centre.post(
            "/staff/incidents",
            data={
                "kind": "system",
                "description": "数据库故障",
                "started_at": "昨天",
                "csrf_token": csrf_token(form.text),
            },
            follow_redirects=True,
        )
        assert "请按“年-月-日 时:分”填写故障开始时间" in page_text(bad.text)
        done = centre.post(
            "/staff/incidents",
            data={
                "kind": "system",
                "description": "数据库服务器故障，交易系统无法访问",
                "started_at": _form_time(started),
                "scope": "platform",
                "csrf_token": csrf_token(form.text),
            },
            follow_redirects=True,
        )
        text = page_text(done.text)
        assert "已登记应急事件" in text and "处置中（待监督部门确认）" in text and "暂停中" in text
        assert "待行政监督部门核实确认后" in text
    with browser(app, w.supervisor.username) as supervisor:
        page = supervisor.get("/staff/incidents")
        action = next(
            part.split('"')[0] for part in page.text.split('action="')[1:] if part.split('"')[0].endswith("/confirm")
        )
        confirmed = supervisor.post(
            action, data={"note": "经核实，故障属实", "csrf_token": csrf_token(page.text)}, follow_redirects=True
        )
        assert "已核实确认应急事件" in page_text(confirmed.text)
    clock.advance(timedelta(hours=1))
    with browser(app, w.centre.username) as centre:
        page = centre.get("/staff/incidents")
        action = next(
            part.split('"')[0] for part in page.text.split('action="')[1:] if part.split('"')[0].endswith("/end")
        )
        ended = centre.post(
            action,
            data={
                "ended_at": _form_time(clock_module.now()),
                "note": "更换故障硬盘后恢复",
                "csrf_token": csrf_token(page.text),
            },
            follow_redirects=True,
        )
        assert "受影响项目已恢复并顺延" in page_text(ended.text)
    with browser(app) as visitor:
        public = visitor.get("/incidents")
        text = page_text(public.text)
        assert "系统故障" in text and "已结束" in text and "已恢复" in text and "投标截止" in text
        assert "全平台" in text and "更换故障硬盘后恢复" in text and "恢复交易的公告" in text
        for code in ("system", "resumed", "notice_published", "confirmed", "platform"):
            assert f">{code}<" not in public.text and f" {code} " not in text
        assert w.centre.display_name not in text and w.supervisor.display_name not in text
        detail_link = public.text.split('href="/incidents/')[1].split('"')[0]
        assert "事件记录" in page_text(visitor.get(f"/incidents/{detail_link}").text)
        assert visitor.get("/incidents/987654").status_code == 404
        assert "平台运行公告" in page_text(visitor.get("/").text)


def test_the_staff_page_refuses_others(db, app):
    w = tender_with_bidders(db, bidders=1)
    with browser(app) as anonymous:
        assert anonymous.get("/staff/incidents", follow_redirects=False).status_code == 303
    with browser(app, w.bidders[0].username) as bidder:
        assert bidder.get("/staff/incidents").status_code == 403
    with browser(app, w.supervisor.username) as supervisor:
        page = supervisor.get("/staff/incidents")
        assert page.status_code == 200 and "登记并暂停受影响项目" not in page_text(page.text)
        refused = supervisor.post(
            "/staff/incidents",
            data={
                "kind": "system",
                "description": "故障",
                "started_at": "2026-11-23T08:00",
                "csrf_token": csrf_token(page.text),
            },
        )
        assert refused.status_code == 403
