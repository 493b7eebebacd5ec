"""The kiosk of the on-site query terminals: large type (body class kiosk), touch-sized tabs, auto-refresh
by htmx polling and, without JavaScript, a meta refresh; panels of the latest notices, today's openings,
this week's deadlines, the coming holidays, and the ledger head. Public and read-only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from sunshine.ledger import service as ledger
from tests.pages import page_text
from tests.trading.builders import accepted_project, beijing, cheap_password_hashing, publish_notice, tender_world


@pytest.fixture
def board(db, monkeypatch, clock):
    """A project whose bid deadline and opening are on 2026-12-23 09:30, seen that morning at 08:00."""
    cheap_password_hashing(monkeypatch)
    w = tender_world(db)
    opening = accepted_project(db, w, name="示范市滨江路道路改造工程")
    publish_notice(db, w["agency"], opening, bid_deadline=beijing(2026, 12, 23, 9, 30))
    later = accepted_project(db, w, name="示范市第一中学运动场改造工程")
    publish_notice(db, w["agency"], later, bid_deadline=beijing(2027, 1, 20, 9, 30))
    with db.unit_of_work() as s:
        ledger.sign_head(s)
    clock.set(beijing(2026, 12, 23, 8, 0))  # a Wednesday
    return {"opening": opening, "later": later}


def test_the_kiosk_page_is_large_touchable_and_refreshes_itself(client, board):
    response = client.get("/kiosk")
    assert response.status_code == 200
    html = response.text
    assert re.search(r'<body class="kiosk"[^>]* data-kiosk-idle="0"', html)
    assert 'hx-trigger="every 60s"' in html and 'hx-get="/kiosk/panel?panel=openings"' in html
    assert '<noscript><meta http-equiv="refresh" content="60;url=/kiosk?panel=openings"></noscript>' in html
    assert "css/channels.css" in html
    tabs = re.findall(r'<a class="btn[^"]*" href="/kiosk\?panel=(\w+)&amp;hold=1"', html)
    assert tabs == ["notices", "openings", "deadlines", "holidays"]
    text = page_text(html)
    assert "最新发布" in text and "示范市滨江路道路改造工程招标公告" in text
    assert "全程留痕：已记录" in text and "最新签名树头" in text


def test_todays_openings_and_this_weeks_deadlines(client, board):
    openings = page_text(client.get("/kiosk?panel=openings").text)
    assert "今日开标（2026-12-23）" in openings
    assert "09:30 示范市滨江路道路改造工程" in openings
    assert "运动场改造" not in openings
    deadlines = page_text(client.get("/kiosk/panel?panel=deadlines").text)
    assert "12-23 09:30 示范市滨江路道路改造工程" in deadlines and "运动场改造" not in deadlines


def test_no_openings_today_says_so(client, board, clock):
    clock.advance(timedelta(days=1))
    assert "今日没有开标的项目" in page_text(client.get("/kiosk?panel=openings").text)
    assert "本周没有截止的项目" in page_text(client.get("/kiosk?panel=deadlines").text)


def test_the_holiday_panel_names_the_coming_holidays(client, board):
    text = page_text(client.get("/kiosk?panel=holidays").text)
    assert "节假日安排提示" in text and "元旦" in text and "休息" in text


def test_panels_rotate_and_a_touch_holds_the_chosen_one(client, board):
    fragment = client.get("/kiosk/panel?panel=holidays").text
    assert "<html" not in fragment
    assert 'hx-get="/kiosk/panel?panel=notices"' in fragment and 'hx-trigger="every 60s"' in fragment
    held = client.get("/kiosk/panel?panel=openings&hold=1").text
    assert 'hx-trigger="every 180s"' in held and 'aria-current="page">今日开标' in held
    assert client.get("/kiosk?panel=nonsense").status_code == 200  # an unknown panel shows the first one
