"""E-mail subscriptions as a subscriber lives them, against a real SMTP server on 127.0.0.1: subscribe on
the page, confirm by the link in the mail (double opt-in), receive a digest of matching items only,
never the same item twice however often the tick runs, unsubscribe in one click; mails go out only
after the commit, failed sends are retried by the tick, and no address ever enters the ledger."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from sunshine.channels import mail
from sunshine.channels import service as channels
from sunshine.channels.models import Delivery, OutboxMail, Subscription
from sunshine.config import get_settings
from sunshine.ledger.models import LedgerEntry
from sunshine.tasks import tick
from tests.pages import csrf_token, page_text
from tests.trading.builders import accepted_project, cheap_password_hashing, publish_notice, tender_world

ADDRESS = "li.ming@example.com"


@pytest.fixture
def world(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    return tender_world(db)


def _link(message, path: str) -> str:
    """The site-relative URL (path and query) of the link to ``path`` in a mail."""
    url = re.search(rf"https://testserver{re.escape(path)}\?token=[\w.\-]+", message.get_content()).group(0)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _subscribe(client, **fields):
    page = client.get("/feeds")
    data = {"email": ADDRESS, "csrf_token": csrf_token(page.text), **fields}
    return client.post("/subscriptions", data=data, follow_redirects=False)


def _confirm(client, mail_sink) -> str:
    """Follow the confirmation link of the latest mail and press the button; returns the manage URL."""
    link = _link(mail_sink.messages[-1], "/subscriptions/confirm")
    page = client.get(link)
    assert page.status_code == 200 and "确认订阅" in page.text
    token = link.partition("token=")[2]
    done = client.post(
        "/subscriptions/confirm", data={"token": token, "csrf_token": csrf_token(page.text)}, follow_redirects=False
    )
    assert done.status_code == 303
    return done.headers["location"]


def _project(db, world, name: str, **kwargs) -> int:
    project_id = accepted_project(db, world, name=name, **kwargs)
    publish_notice(db, world["agency"], project_id)
    return project_id


def test_double_opt_in_digest_idempotent_tick_and_unsubscribe(client, db, world, mail_sink, clock):
    response = _subscribe(client, categories=["type.engineering"], region_codes="350100", keywords="道路，桥梁")
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "确认邮件已发送至 l***g@example.com" in page_text(page.text)

    # The confirmation mail, sent once the request committed.
    assert len(mail_sink.messages) == 1 and mail_sink.envelopes[0] == [ADDRESS]
    confirmation = mail_sink.messages[0]
    assert confirmation["To"] == ADDRESS
    assert confirmation["Subject"] == "【阳光交易】请确认您的订阅"
    assert "工程建设" in confirmation.get_content() and "关键词：道路、桥梁" in confirmation.get_content()

    # Nothing is pushed before the owner confirms.
    clock.advance(timedelta(minutes=5))
    _project(db, world, "示范市滨江路道路改造工程")
    tick(db)
    assert len(mail_sink.messages) == 1

    manage = _confirm(client, mail_sink)
    assert manage.startswith("/subscriptions/manage?token=")
    assert "推送中" in client.get(manage).text

    clock.advance(timedelta(minutes=5))
    road = _project(db, world, "示范市江滨大道道路提升工程")
    _project(db, world, "示范市第二中学教学楼装修工程")  # engineering, but no keyword matches
    _project(db, world, "示范市道路照明设备采购", transaction_type="gov_procurement")  # keyword, other category
    report = tick(db)
    assert len(report.mails_queued) == 1
    assert len(mail_sink.messages) == 2
    digest = mail_sink.messages[-1]
    assert digest["To"] == ADDRESS
    assert digest["Subject"] == "【阳光交易】订阅更新：1 条新信息"
    body = digest.get_content()
    assert "示范市江滨大道道路提升工程招标公告" in body
    assert "教学楼装修" not in body and "照明设备采购" not in body
    assert "滨江路道路改造" not in body  # published before the confirmation
    with db.unit_of_work() as s:
        from sunshine.trading.models import Notice

        notice_id = s.scalar(select(Notice.id).where(Notice.project_id == road))
    assert f"https://testserver/notices/{notice_id}" in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["List-Unsubscribe"].startswith("<https://testserver/subscriptions/unsubscribe?token=")

    # The tick again, at once and an hour later: the item is never mailed twice.
    tick(db)
    clock.advance(timedelta(hours=2))
    tick(db)
    assert len(mail_sink.messages) == 2
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Delivery)) == 1

    # A new matching item, within the digest interval: it waits for the next digest.
    _project(db, world, "示范市跨江桥梁维修加固工程")
    clock.advance(timedelta(minutes=10))
    tick(db)
    assert len(mail_sink.messages) == 3
    clock.advance(timedelta(minutes=10))
    _project(db, world, "示范市人民路道路拓宽工程")
    tick(db)
    assert len(mail_sink.messages) == 3  # the last digest went out 10 minutes ago
    clock.advance(timedelta(hours=1))
    tick(db)
    assert len(mail_sink.messages) == 4
    assert "人民路道路拓宽" in mail_sink.messages[-1].get_content()
    assert "跨江桥梁" not in mail_sink.messages[-1].get_content()

    # Unsubscribe by the link in the last mail: a page with one button, no login.
    link = _link(mail_sink.messages[-1], "/subscriptions/unsubscribe")
    page = client.get(link)
    assert page.status_code == 200 and "确认退订" in page.text
    client.cookies.clear()
    done = client.post("/subscriptions/unsubscribe", data={"token": link.partition("token=")[2]})
    assert done.status_code == 200 and "已退订" in done.text
    clock.advance(timedelta(hours=2))
    _project(db, world, "示范市北环路道路大修工程")
    tick(db)
    assert len(mail_sink.messages) == 4
    with db.unit_of_work() as s:
        subscription = s.scalar(select(Subscription))
        assert subscription.status == "unsubscribed" and subscription.email == ""
        assert not s.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.recipient == ADDRESS))
    assert "已退订" in client.get(link).text  # the link still answers, idempotently
    assert client.get(manage).status_code == 404


def test_one_click_unsubscribe_from_the_mail_client(client, db, world, mail_sink):
    """RFC 8058: the mail client POSTs to the List-Unsubscribe URL, with no cookie and no CSRF token."""
    _subscribe(client)
    url = mail_sink.messages[-1]["List-Unsubscribe"].strip("<>")
    parts = urlsplit(url)
    client.cookies.clear()
    response = client.post(
        f"{parts.path}?{parts.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    with db.unit_of_work() as s:
        assert s.scalar(select(Subscription.status)) == "unsubscribed"


def test_links_are_signed(client, db, world, mail_sink):
    _subscribe(client)
    link = _link(mail_sink.messages[-1], "/subscriptions/confirm")
    token = link.partition("token=")[2]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/subscriptions/confirm?token={tampered}").status_code == 404
    assert client.get("/subscriptions/manage").status_code == 404
    # A confirm token is not a manage token, nor an unsubscribe token.
    assert client.get(f"/subscriptions/manage?token={token}").status_code == 404
    assert client.get(f"/subscriptions/unsubscribe?token={token}").status_code == 404
    api = client.post("/api/v1/subscriptions/unsubscribe", json={"token": tampered})
    assert api.status_code == 404 and api.json()["code"] == "invalid_link"


def test_the_form_says_what_is_wrong(client, db, world, mail_sink):
    for fields, message in (
        ({"email": "not-an-address"}, "邮箱地址格式不正确"),
        ({"email": "a@example.com\r\nBcc: x@evil.example"}, "邮箱地址格式不正确"),
        ({"categories": ["type.nothing"]}, "未知的订阅类别"),
        ({"region_codes": "3501"}, "6 位数字"),
    ):
        response = _subscribe(client, **fields)
        assert response.status_code == 400, fields
        assert message in page_text(response.text), fields
    assert mail_sink.messages == []
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Subscription)) == 0


def test_the_subscription_api(client, db, world, mail_sink, clock):
    bad = client.post("/api/v1/subscriptions", json={"email": "x", "categories": []})
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    ok = client.post(
        "/api/v1/subscriptions", json={"email": ADDRESS, "categories": ["kind.tender"], "keywords": ["学校"]}
    )
    assert ok.status_code == 202 and ok.json()["status"] == "pending"
    token = _link(mail_sink.messages[-1], "/subscriptions/confirm").partition("token=")[2]
    confirmed = client.post("/api/v1/subscriptions/confirm", json={"token": token})
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "active" and confirmed.json()["email"] == "l***g@example.com"
    with db.unit_of_work() as s:
        subscription = s.scalar(select(Subscription))
        manage = channels.tokens.make("manage", subscription.id, subscription.nonce)
    changed = client.put(
        "/api/v1/subscriptions/manage",
        json={"token": manage, "categories": ["type.land"], "region_codes": ["350000"], "keywords": []},
    )
    assert changed.status_code == 200 and changed.json()["categories"] == ["type.land"]
    read = client.get("/api/v1/subscriptions/manage", params={"token": manage}).json()
    assert read["region_codes"] == ["350000"] and "土地使用权" in read["description"]
    # Three unconfirmed subscriptions a day per address at most: nobody floods a stranger's inbox.
    for _ in range(3):
        client.post("/api/v1/subscriptions", json={"email": "stranger@example.com"})
    refused = client.post("/api/v1/subscriptions", json={"email": "stranger@example.com"})
    assert refused.status_code == 429


def test_a_rolled_back_step_sends_nothing(db, world, mail_sink):
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        channels.subscribe(s, email=ADDRESS, categories=[], region_codes=[], keywords=[])
        raise RuntimeError("the step fails after the mail was queued")
    assert mail_sink.messages == []
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_a_failed_send_stays_in_the_outbox_and_the_tick_retries(client, db, world, mail_sink, monkeypatch):
    monkeypatch.setenv("SUNSHINE_SMTP_PORT", "1")  # nothing listens there
    get_settings.cache_clear()
    assert _subscribe(client).status_code == 303  # the subscription is kept although the mail failed
    assert mail_sink.messages == []
    with db.unit_of_work() as s:
        row = s.scalar(select(OutboxMail))
        assert row.sent_at is None and row.attempts == 1 and row.last_error
    monkeypatch.setenv("SUNSHINE_SMTP_PORT", str(mail_sink.port))
    get_settings.cache_clear()
    report = tick(db)
    assert len(report.mails_sent) == 1 and len(mail_sink.messages) == 1
    tick(db)
    assert len(mail_sink.messages) == 1


def test_the_log_backend_writes_an_mbox_in_the_data_folder(db, world, environment):
    import mailbox

    assert get_settings().mail_backend == "log"
    with db.unit_of_work() as s:
        channels.subscribe(s, email=ADDRESS, categories=[], region_codes=[], keywords=[])
    box = mailbox.mbox(str(environment / "mail.mbox"))
    messages = list(box)
    assert len(messages) == 1 and messages[0]["To"] == ADDRESS


def test_addresses_never_enter_the_ledger_or_public_pages(client, db, world, mail_sink, clock):
    _subscribe(client, categories=["type.engineering"])
    _confirm(client, mail_sink)
    clock.advance(timedelta(minutes=5))
    _project(db, world, "示范市滨江路道路改造工程")
    tick(db)
    assert len(mail_sink.messages) == 2
    with db.unit_of_work() as s:
        payloads = " ".join(s.scalars(select(LedgerEntry.payload)))
    assert ADDRESS not in payloads and "li.ming" not in payloads
    for path in ("/feeds", "/feeds/notices.atom", "/kiosk", "/api/v1/subscriptions/categories"):
        assert ADDRESS not in client.get(path).text


def test_mail_address_checks():
    assert mail.address("Li.Ming@Example.COM") == "Li.Ming@example.com"
    for bad in ("a@b", "a b@example.com", "a@example..com", "<a@example.com>", "a@example.com,b@example.com"):
        with pytest.raises(ValueError):
            mail.address(bad)
