"""The message gateway: a person's inbox, SMS and voice calls handed to the gateway only after the commit, a
failed send retried by the tick, the simulated gateway's records and the centre's masked view of them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sunshine import tasks
from sunshine.config import get_settings
from sunshine.core.errors import InvalidInput
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.messaging import gateway, service
from sunshine.messaging.models import Delivery, GatewayRecord, InboxMessage
from tests.builders import api_token, make_user
from tests.pages import browser, page_text

PHONE = "13812345678"


def _user_id(db, username: str) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(User.id).where(User.username == username))


def _count(db, model) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def person(db):
    username = make_user(db, Role.EXPERT, username="zhang-expert")
    return username, _user_id(db, username)


def test_a_message_reaches_the_inbox_and_the_gateway_after_the_commit(db, client, person):
    username, user_id = person
    with db.unit_of_work() as s:
        service.send(
            s,
            user_id=user_id,
            subject="评标邀请",
            body="请于 30 分钟内确认是否参加评标",
            link="/me/messages",
            sms_to=PHONE,
            voice_to=PHONE,
            kind="notice",
        )
        s.flush()
        assert _count(db, GatewayRecord) == 0  # nothing leaves before the commit
    with db.unit_of_work(read_only=True) as s:
        texts = [(r.channel, r.text) for r in service.received(s, PHONE)]
    assert texts == [
        ("sms", "【阳光交易】评标邀请：请于 30 分钟内确认是否参加评标"),
        ("voice", "评标邀请。请于 30 分钟内确认是否参加评标"),
    ]
    headers = api_token(client, username)
    inbox = client.get("/api/v1/me/messages", headers=headers).json()
    assert inbox["unread"] == 1
    assert [(m["subject"], m["kind_label"], m["read_at"]) for m in inbox["items"]] == [("评标邀请", "平台通知", None)]
    message_id = inbox["items"][0]["id"]
    read = client.post(f"/api/v1/me/messages/{message_id}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.get("/api/v1/me/messages", headers=headers).json()["unread"] == 0


def test_a_rolled_back_step_sends_nothing(db, person):
    _, user_id = person
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="评标邀请", body="正文", sms_to=PHONE, voice_to=PHONE, kind="notice")
        s.flush()
        raise RuntimeError("the step fails after sending")
    with db.unit_of_work() as s:  # a later, unrelated commit does not send what the failed one queued
        s.add(s.get(User, user_id))
    assert _count(db, InboxMessage) == 0
    assert _count(db, Delivery) == 0
    assert _count(db, GatewayRecord) == 0


class Flaky:
    """A gateway that refuses while ``down`` is set, then records like the simulated one."""

    down = True
    name = "flaky"

    def __init__(self, session) -> None:
        self.inner = gateway.SimulatedGateway(session)

    def send_sms(self, delivery_id, phone, text):
        if Flaky.down:
            raise ConnectionError("短信网关连接超时")
        return self.inner.send_sms(delivery_id, phone, text)

    def call_voice(self, delivery_id, phone, text):
        if Flaky.down:
            raise ConnectionError("语音网关连接超时")
        return self.inner.call_voice(delivery_id, phone, text)


def test_a_failed_send_stays_queued_and_the_tick_retries_it(db, person, monkeypatch):
    _, user_id = person
    gateway.register_gateway("flaky", Flaky)
    monkeypatch.setenv("SUNSHINE_MESSAGE_GATEWAY", "flaky")
    get_settings.cache_clear()
    Flaky.down = True
    with db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="评标邀请", body="正文", sms_to=PHONE, kind="notice")
    with db.unit_of_work(read_only=True) as s:
        row = s.scalars(select(Delivery)).one()
        assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "短信网关连接超时")
    assert _count(db, GatewayRecord) == 0
    assert tasks.tick(db).messages_sent == []  # still down: still queued
    Flaky.down = False
    report = tasks.tick(db)
    assert report.messages_sent == [row.id]
    assert "messages_sent=1" in report.summary()
    with db.unit_of_work(read_only=True) as s:
        row = s.scalars(select(Delivery)).one()
        assert (row.attempts, row.gateway, row.last_error) == (3, "flaky", None)
        assert [r.text for r in service.received(s, PHONE)] == ["【阳光交易】评标邀请：正文"]
    assert tasks.tick(db).messages_sent == []  # sent once, never again


def test_an_unknown_gateway_keeps_the_delivery_queued(db, person, monkeypatch):
    _, user_id = person
    monkeypatch.setenv("SUNSHINE_MESSAGE_GATEWAY", "no-such-operator")
    get_settings.cache_clear()
    with db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="通知", body="正文", voice_to=PHONE, kind="notice")
    with db.unit_of_work(read_only=True) as s:
        row = s.scalars(select(Delivery)).one()
        assert row.sent_at is None and "SUNSHINE_MESSAGE_GATEWAY" in row.last_error
    monkeypatch.setenv("SUNSHINE_MESSAGE_GATEWAY", "simulated")
    get_settings.cache_clear()
    assert tasks.tick(db).messages_sent == [row.id]


def test_a_gateway_can_be_named_as_module_and_factory(db, person, monkeypatch):
    _, user_id = person
    monkeypatch.setenv("SUNSHINE_MESSAGE_GATEWAY", "sunshine.messaging.gateway:SimulatedGateway")
    get_settings.cache_clear()
    with db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="通知", body="正文", sms_to=PHONE, kind="notice")
    with db.unit_of_work(read_only=True) as s:
        assert s.scalars(select(Delivery)).one().gateway == "simulated"


def test_a_malformed_phone_number_is_refused(db, person):
    _, user_id = person
    with pytest.raises(InvalidInput) as refused, db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="通知", body="正文", sms_to="call me", kind="notice")
    assert refused.value.detail == "电话号码格式不正确"
    assert _count(db, InboxMessage) == 0


def test_nobody_reads_another_persons_messages(db, client, person):
    _, user_id = person
    other = make_user(db, Role.CENTRE_STAFF, username="staff-reader")
    with db.unit_of_work() as s:
        message = service.send(s, user_id=user_id, subject="评标邀请", body="正文", kind="notice")
        s.flush()
        message_id = message.id
    headers = api_token(client, other)
    assert client.get("/api/v1/me/messages", headers=headers).json() == {"items": [], "unread": 0, "next_cursor": None}
    assert client.get(f"/api/v1/me/messages/{message_id}", headers=headers).status_code == 404
    refused = client.post(f"/api/v1/me/messages/{message_id}/read", headers=headers)
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def test_the_inbox_page_and_the_centres_masked_gateway_page(db, app, person):
    username, user_id = person
    service.register_kind("test_confidential", "保密测试通知", confidential=True)
    with db.unit_of_work() as s:
        service.send(s, user_id=user_id, subject="公开的通知", body="正文一", sms_to=PHONE, kind="notice")
        service.send(
            s, user_id=user_id, subject="保密的通知", body="正文二", sms_to="13900001111", kind="test_confidential"
        )
    with browser(app, username) as page:
        me = page_text(page.get("/me").text)
        assert "我的消息（2 条未读）" in me
        inbox = page_text(page.get("/me/messages").text)
        assert "公开的通知" in inbox and "保密的通知" in inbox and "未读 2 条" in inbox
        assert page.get("/staff/messages/gateway").status_code == 403
    staff = make_user(db, Role.CENTRE_STAFF, username="centre-gateway")
    with browser(app, staff) as page:
        text = page_text(page.get("/staff/messages/gateway").text)
    assert "模拟短信/语音网关" in text
    assert "138****5678" in text and PHONE not in text
    assert "公开的通知" in text
    assert "保密的通知" not in text and "13900001111" not in text and "139****1111" not in text
    assert "（保密事项，不显示内容）" in text
