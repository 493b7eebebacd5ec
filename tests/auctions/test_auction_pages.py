"""Auction pages as people use them: the room renders for anyone (readable without JavaScript) and its live
part, polled by htmx, follows the bids; a qualified bidder bids through the form prefilled with the lowest
admissible amount; the agency sets an auction up through its form; the reserve price is shown to nobody —
whatever their role — before the end, and the result with the revealed reserve is public afterwards."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.core.auth import SESSION_COOKIE
from sunshine.disclosure.models import Publication
from sunshine.identity import service as identity
from sunshine.identity.models import TokenKind, User
from sunshine.identity.roles import Role
from sunshine.tasks import tick
from tests.auctions.builders import (
    INCREMENT,
    RESERVE_TEXTS,
    START_PRICE,
    auction_world,
    bid,
    listing_project,
    ready_listing,
    register,
)
from tests.builders import make_org, make_user
from tests.pages import browser, csrf_token, page_text


@pytest.fixture
def w(db):
    return auction_world(db)


def _live_attrs(html: str, auction_id: int) -> bool:
    return f'hx-get="/auctions/{auction_id}/live"' in html and 'hx-trigger="every 2s"' in html


def test_the_room_renders_for_anyone_and_its_live_part_follows_the_bids(db, w, app, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    with browser(app) as visitor:
        room = visitor.get(f"/auctions/{auction_id}")
        assert room.status_code == 200
        text = page_text(room.text)
        assert "起始价（尚无报价） 10,000,000.00" in text and "挂牌期（接受报价）" in text
        assert "距挂牌截止 12 天 00:00:00" in text
        assert _live_attrs(room.text, auction_id)
        assert "竞买人请 登录 后报价" in text
        bid(db, w.bidders[0], auction_id, START_PRICE)
        bid(db, w.bidders[1], auction_id, START_PRICE + INCREMENT)
        clock.advance(timedelta(seconds=5))
        live = visitor.get(f"/auctions/{auction_id}/live", headers={"HX-Request": "true"})
        assert live.status_code == 200 and "<html" not in live.text
        assert 'id="auction-live"' in live.text and _live_attrs(live.text, auction_id)
        text = page_text(live.text)
        assert "当前最高报价 10,100,000.00" in text and "共 2 次有效报价" in text
        assert "11 天 23:59:55" in text
        for name in ("示范建设集团", "闽江路桥", "海峡市政"):  # paddle numbers only while bidding
            assert name not in live.text and name not in visitor.get(f"/auctions/{auction_id}").text


def test_a_bidder_bids_through_the_form(db, w, app, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    with browser(app, w.bidders[0].username) as bidder:
        room = bidder.get(f"/auctions/{auction_id}")
        assert 'value="10000000.00"' in room.text and 'id="bid-form"' in room.text
        claimed = bidder.post(
            f"/auctions/{auction_id}/paddle", data={"csrf_token": csrf_token(room.text)}, follow_redirects=False
        )
        assert claimed.status_code == 303
        room = bidder.get(f"/auctions/{auction_id}")
        paddle = re.search(r'id="my-paddle">(\d+)<', room.text).group(1)
        assert f"竞买号为 {paddle}" in page_text(room.text)
        low = bidder.post(
            f"/auctions/{auction_id}/bids",
            data={"amount": "9,999,999.99", "csrf_token": csrf_token(room.text)},
            follow_redirects=False,
        )
        assert low.status_code == 400
        assert re.search(r'id="f-amount-error"[^>]*>.*起始价', low.text, re.S)
        assert 'value="9,999,999.99"' in low.text  # what was typed is kept
        done = bidder.post(
            f"/auctions/{auction_id}/bids",
            data={"amount": "10,000,000", "csrf_token": csrf_token(room.text)},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == f"/auctions/{auction_id}"
        room = bidder.get(f"/auctions/{auction_id}")
        text = page_text(room.text)
        assert "报价成功：第 1 次报价，10,000,000.00 元" in text
        assert "您是当前最高报价人" in text and 'id="bid-form"' not in room.text
        assert f"领先竞买号 {paddle}" in text
    with browser(app, w.bidders[1].username) as other:
        assert 'value="10100000.00"' in other.get(f"/auctions/{auction_id}").text  # prefilled: current + increment
    with browser(app, w.outsider.username) as outsider:
        text = page_text(outsider.get(f"/auctions/{auction_id}").text)
        assert "未报名参加该标段" in text


def test_the_agency_sets_an_auction_up_through_the_form(db, w, app):
    project = listing_project(db, w)
    with browser(app) as visitor:
        assert 'id="setup-form"' not in visitor.get(f"/projects/{project.id}/auctions").text
        detail = visitor.get(f"/projects/{project.id}")
        assert f'href="/projects/{project.id}/auctions"' in detail.text
    with browser(app, w.agency.username) as agency:
        page = agency.get(f"/projects/{project.id}/auctions")
        assert 'id="setup-form"' in page.text and "尚未设置网上竞价" in page_text(page.text)
        form = {
            "section_id": str(project.section),
            "start_price": "10,000,000",
            "increment": "0",
            "reserve_price": "10234567.89",
            "csrf_token": csrf_token(page.text),
        }
        bad = agency.post(f"/projects/{project.id}/auctions", data=form, follow_redirects=False)
        assert bad.status_code == 400
        assert re.search(r'id="f-increment-error"[^>]*>.*增价幅度', bad.text, re.S)
        assert all(text not in bad.text for text in RESERVE_TEXTS), "a typed reserve is never sent back"
        done = agency.post(
            f"/projects/{project.id}/auctions", data={**form, "increment": "100,000"}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"].startswith("/auctions/")
        room = agency.get(done.headers["location"])
        assert "设有保留价，竞价结束后公布" in page_text(room.text)
        assert all(text not in room.text for text in RESERVE_TEXTS)


def _everyone(db) -> dict[str, str | None]:
    """One user per role (and the anonymous visitor)."""
    org = make_org(db, name="旁观单位")
    return {"anonymous": None} | {
        r.value: make_user(db, r, username=f"seer-{r.value}", organisation_id=org) for r in Role
    }


def test_the_reserve_is_shown_to_nobody_before_the_end_and_to_everybody_after(db, w, app, client, clock):
    project, auction_id = ready_listing(db, w)
    clock.set(project.starts)
    bid(db, w.bidders[0], auction_id, START_PRICE)
    bid(db, w.bidders[1], auction_id, START_PRICE + 3 * INCREMENT)  # 10,300,000: above the reserve
    clock.set(project.deadline + timedelta(seconds=299))  # the timed round is still running
    people = _everyone(db) | {"agency": w.agency.username, "bureau": w.bureau_staff.username}
    pages = [
        f"/auctions/{auction_id}",
        f"/auctions/{auction_id}/live",
        f"/projects/{project.id}/auctions",
        f"/projects/{project.id}",
    ]
    apis = [
        f"/api/v1/auctions/{auction_id}",
        f"/api/v1/auctions/{auction_id}/bids",
        f"/api/v1/projects/{project.id}/auctions",
    ]

    def credentials(username: str, kind: TokenKind) -> str:
        with db.unit_of_work() as s:
            user = s.scalar(select(User).where(User.username == username))
            return identity.issue_token(s, user, kind)[0]

    for who, username in people.items():
        client.cookies.clear()
        api_headers = {"authorization": f"Bearer {credentials(username, TokenKind.API)}"} if username else {}
        if username:
            client.cookies.set(SESSION_COOKIE, credentials(username, TokenKind.SESSION))
        for path in pages + apis:
            response = client.get(path, headers=api_headers if path.startswith("/api/") else {})
            assert response.status_code == 200, (who, path, response.text)
            assert all(text not in response.text for text in RESERVE_TEXTS), (who, path)
        if who in ("bidder",):
            paddle = client.get(f"/api/v1/auctions/{auction_id}/paddle", headers=api_headers)
            assert all(text not in paddle.text for text in RESERVE_TEXTS)
    client.cookies.clear()
    clock.set(project.deadline + timedelta(seconds=300))
    tick(db)
    room = client.get(f"/auctions/{auction_id}")
    text = page_text(room.text).replace(" ", "")
    assert "成交竞得人：闽江路桥工程有限公司（竞买号" in text and "成交价10,300,000.00元" in text
    assert "保留价10,234,567.89元" in text and "一致" in text and "竞价已结束，不再接受报价" in text
    assert not _live_attrs(room.text, auction_id), "an ended auction is no longer polled"
    assert "10234567.89" in client.get(f"/api/v1/auctions/{auction_id}").text
    with db.unit_of_work(read_only=True) as s:
        pub_id = s.scalar(select(Publication.id).where(Publication.source_ref == f"auction:{auction_id}"))
    publication = client.get(f"/disclosure/publications/{pub_id}")
    assert publication.status_code == 200
    assert "网上竞价结果公告" in publication.text and "闽江路桥工程有限公司" in publication.text
    detail = page_text(client.get(f"/projects/{project.id}").text)
    assert "成交结果已公告" in detail and "网上竞价结束，公布成交结果" in detail
    assert f'href="/auctions/{auction_id}"' in client.get(f"/projects/{project.id}").text  # the timeline links the room


def test_a_failed_auction_is_shown_as_such(db, w, app, clock):
    project = listing_project(db, w)
    register(db, project, w.bidders[0])
    with db.unit_of_work() as s:
        from sunshine.auctions import conditions

        auction_id = conditions.setup(
            s, w.agency, project.id, project.section, start_price="100.00", increment="10.00"
        ).id
    clock.set(project.deadline)
    with browser(app) as visitor:
        text = page_text(visitor.get(f"/auctions/{auction_id}").text)
        assert "流拍 无人报价，本次竞价流拍" in text and "未设保留价" in text
        assert "流拍" in page_text(visitor.get(f"/projects/{project.id}").text)
