"""The demo data of policies, public concerns and the subscription: realistic, public where it should
be, and loaded once however often ``load`` runs."""

from __future__ import annotations

from sqlalchemy import func, select

from sunshine.channels.models import OutboxMail, Subscription
from sunshine.demo import channels as demo_channels
from sunshine.identity.roles import Role
from sunshine.policy.models import Interpretation, PolicyDocument, PublicConcern
from tests.builders import make_user
from tests.pages import page_text
from tests.trading.builders import cheap_password_hashing


def test_demo_policies_concerns_and_subscription(db, client, monkeypatch):
    cheap_password_hashing(monkeypatch)
    make_user(db, Role.DISCLOSURE_OFFICE, username="disclosure")
    assert demo_channels.load(db) > 0
    assert demo_channels.load(db) == 0
    with db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(PolicyDocument)) == 3
        assert s.scalar(select(func.count()).select_from(Interpretation)) == 3
        statuses = sorted(s.scalars(select(PublicConcern.status)))
        assert statuses == ["published", "published", "published", "received"]
        subscription = s.scalar(select(Subscription))
        assert subscription.status == "active" and subscription.email == demo_channels.DEMO_SUBSCRIBER
        assert s.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.sent_at.is_not(None))) == 0

    policies = page_text(client.get("/policies").text)
    for title in (
        "中华人民共和国招标投标法实施条例",
        "政府采购货物和服务招标投标管理办法",
        "示范市公共资源交易管理办法",
    ):
        assert title in policies
    assert "财政部令第87号" in policies and "《招标投标法实施条例》中的几个关键时限" in policies
    concerns = client.get("/concerns").text
    assert "参加工程项目投标未中标的，投标保证金什么时候退还？" in page_text(concerns)
    assert "13800000000" not in concerns and "张经理" not in concerns
