"""E-mail subscriptions (邮件订阅): subscribe with a filter (categories, regions, keywords), confirm by a
signed link (double opt-in), manage and unsubscribe by signed links, and the digest the tick sends.

Anyone may subscribe; nothing is mailed to an address until its owner confirms. Every mail carries a
one-click unsubscribe link. Each published item is mailed at most once per subscription (a unique
``mail_delivery`` row per subscription and item). Addresses never enter the ledger. Never commits.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sunshine.channels import items as published
from sunshine.channels import mail, tokens
from sunshine.channels.items import ItemFilter, PublishedItem
from sunshine.channels.models import Delivery, OutboxMail, Subscription
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import Conflict, InvalidInput, SunshineError

MAX_CATEGORIES = 60
MAX_REGIONS = 20
MAX_KEYWORDS = 10
MAX_KEYWORD_CHARS = 30
MAX_ITEMS_PER_MAIL = 50
LOOKBACK = timedelta(days=30)  # the digest never reaches further back than this
PENDING_PER_ADDRESS = 3  # unconfirmed subscriptions per address per day: nobody can flood a stranger's inbox
REGION_CODE = re.compile(r"^[0-9]{6}$")


class TooManyRequests(SunshineError):
    status = 429
    code = "too_many_requests"
    title = "请求过于频繁"


# --------------------------------------------------------------------------- reading a subscription


@dataclass(frozen=True)
class FilterIn:
    categories: list[str]
    region_codes: list[str]
    keywords: list[str]


def _loads(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def filter_of(subscription: Subscription) -> ItemFilter:
    return ItemFilter(
        categories=tuple(_loads(subscription.categories)),
        region_codes=tuple(_loads(subscription.region_codes)),
        keywords=tuple(_loads(subscription.keywords)),
    )


def describe(session: Session, subscription: Subscription) -> str:
    """The filter in words, for mails and pages."""
    f = filter_of(subscription)
    labels = {c.code: c.label for c in published.all_categories(session)}
    parts = [
        "类别：" + ("、".join(labels.get(c, c) for c in f.categories) if f.categories else "全部"),
        "地区：" + ("、".join(f.region_codes) if f.region_codes else "全部"),
    ]
    if f.keywords:
        parts.append("关键词：" + "、".join(f.keywords))
    return "；".join(parts)


def mask(email: str) -> str:
    """``zhang.san@example.com`` → ``z***n@example.com`` (shown on pages, never the whole address)."""
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    shown = local[0] + "***" + (local[-1] if len(local) > 1 else "")
    return f"{shown}@{domain}"


# --------------------------------------------------------------------------- checking input


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def checked_filter(session: Session, categories, region_codes, keywords) -> FilterIn:
    categories = _unique((c or "").strip() for c in categories or [])
    known = {c.code for c in published.all_categories(session)}
    unknown = [c for c in categories if c not in known]
    if unknown:
        raise InvalidInput(f"未知的订阅类别：{'、'.join(unknown[:5])}", field="categories")
    if len(categories) > MAX_CATEGORIES:
        raise InvalidInput(f"最多选择 {MAX_CATEGORIES} 个类别", field="categories")
    regions = _unique((r or "").strip() for r in region_codes or [])
    bad = [r for r in regions if not REGION_CODE.match(r)]
    if bad:
        raise InvalidInput(f"行政区划代码应为 6 位数字（如 350100）：{'、'.join(bad[:5])}", field="region_codes")
    if len(regions) > MAX_REGIONS:
        raise InvalidInput(f"最多填写 {MAX_REGIONS} 个地区", field="region_codes")
    words = _unique(" ".join(re.sub(r"[\x00-\x1f\x7f]", " ", k or "").split()) for k in keywords or [])
    if len(words) > MAX_KEYWORDS:
        raise InvalidInput(f"最多填写 {MAX_KEYWORDS} 个关键词", field="keywords")
    long = [k for k in words if len(k) > MAX_KEYWORD_CHARS]
    if long:
        raise InvalidInput(f"每个关键词最多 {MAX_KEYWORD_CHARS} 个字", field="keywords")
    return FilterIn(categories, regions, words)


def split_words(text: str) -> list[str]:
    """Form input "道路，学校 改造" → ["道路", "学校", "改造"] (commas of either width, spaces, 顿号)."""
    return [w for w in re.split(r"[\s,，、;；]+", text or "") if w]


def _email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput("请填写邮箱地址", field="email")
    if len(value) > 254:
        raise InvalidInput("邮箱地址过长", field="email")
    try:
        return mail.address(value)
    except ValueError:
        raise InvalidInput("邮箱地址格式不正确，例如 zhangsan@example.com", field="email") from None


# --------------------------------------------------------------------------- links and mails


def _url(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def link(purpose: tokens.Purpose, subscription: Subscription) -> str:
    paths = {
        "confirm": "/subscriptions/confirm",
        "manage": "/subscriptions/manage",
        "unsubscribe": "/subscriptions/unsubscribe",
    }
    return _url(f"{paths[purpose]}?token={tokens.make(purpose, subscription.id, subscription.nonce)}")


def _list_headers(subscription: Subscription) -> dict[str, str]:
    # RFC 2369 / RFC 8058: mail clients offer their own one-click unsubscribe button.
    return {
        "List-Unsubscribe": f"<{link('unsubscribe', subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{get_settings().site_name} <subscriptions.sunshine.invalid>",
    }


def _footer(subscription: Subscription) -> str:
    settings = get_settings()
    return (
        "\n——\n"
        f"管理订阅（修改类别、地区、关键词）：{link('manage', subscription)}\n"
        f"一键退订（无需登录）：{link('unsubscribe', subscription)}\n\n"
        f"本邮件由{settings.site_name}系统自动发送，请勿直接回复。\n{settings.centre_name}\n"
    )


def _queue_confirmation(session: Session, subscription: Subscription) -> OutboxMail:
    settings = get_settings()
    body = (
        "您好：\n\n"
        f"有人（希望是您本人）用本邮箱地址在{settings.site_name}（{settings.centre_name}）订阅了交易与政务公开信息"
        f"（{describe(session, subscription)}）。\n\n"
        f"请在 7 天内打开以下链接确认订阅：\n{link('confirm', subscription)}\n\n"
        "确认之前我们不会向您发送任何信息。如果不是您本人操作，请忽略本邮件，或点击下面的链接取消：\n"
        f"{link('unsubscribe', subscription)}\n"
        f"\n本邮件由{settings.site_name}系统自动发送，请勿直接回复。\n{settings.centre_name}\n"
    )
    return mail.queue(
        session,
        kind="confirm",
        recipient=subscription.email,
        subject=f"【{settings.site_name}】请确认您的订阅",
        body=body,
        headers=_list_headers(subscription),
        subscription_id=subscription.id,
    )


# --------------------------------------------------------------------------- steps


def subscribe(session: Session, *, email: str, categories, region_codes, keywords) -> Subscription:
    """订阅: a pending subscription and its confirmation mail (sent after the commit)."""
    address = _email(email)
    wanted = checked_filter(session, categories, region_codes, keywords)
    now = clock.now()
    recent = session.scalar(
        select(func.count())
        .select_from(Subscription)
        .where(
            Subscription.email == address,
            Subscription.status == "pending",
            Subscription.created_at > now - timedelta(days=1),
        )
    )
    if (recent or 0) >= PENDING_PER_ADDRESS:
        raise TooManyRequests("该邮箱已有多条待确认的订阅，请先查收确认邮件，或明天再试", field="email")
    subscription = Subscription(
        email=address,
        categories=json.dumps(wanted.categories, ensure_ascii=False),
        region_codes=json.dumps(wanted.region_codes),
        keywords=json.dumps(wanted.keywords, ensure_ascii=False),
        status="pending",
        nonce=secrets.token_hex(16),
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    _queue_confirmation(session, subscription)
    return subscription


def _by_token(session: Session, purpose: tokens.Purpose, token: str) -> Subscription:
    subscription_id, nonce = tokens.read(purpose, token)
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or not secrets.compare_digest(subscription.nonce, nonce):
        raise tokens.InvalidLink("链接已失效：该订阅已被删除或链接已被更换")
    return subscription


def confirm(session: Session, token: str) -> Subscription:
    """确认订阅 (idempotent: confirming twice changes nothing)."""
    subscription = _by_token(session, "confirm", token)
    if subscription.status == "unsubscribed":
        raise Conflict("该订阅已退订；如需继续接收，请重新订阅")
    if subscription.status == "pending":
        subscription.status = "active"
        subscription.confirmed_at = clock.now()
        session.flush()
    return subscription


def for_confirmation(session: Session, token: str) -> Subscription:
    """The subscription a confirm link names, without confirming it (the page with the button)."""
    return _by_token(session, "confirm", token)


def for_management(session: Session, token: str) -> Subscription:
    subscription = _by_token(session, "manage", token)
    if subscription.status == "unsubscribed":
        raise tokens.InvalidLink("该订阅已退订；如需继续接收，请重新订阅")
    return subscription


def update_filter(session: Session, token: str, *, categories, region_codes, keywords) -> Subscription:
    subscription = for_management(session, token)
    wanted = checked_filter(session, categories, region_codes, keywords)
    subscription.categories = json.dumps(wanted.categories, ensure_ascii=False)
    subscription.region_codes = json.dumps(wanted.region_codes)
    subscription.keywords = json.dumps(wanted.keywords, ensure_ascii=False)
    session.flush()
    return subscription


def for_unsubscribe(session: Session, token: str) -> Subscription:
    return _by_token(session, "unsubscribe", token)


def unsubscribe(session: Session, token: str) -> Subscription:
    """退订 (idempotent). The address is erased from the subscription and its mails: it is no longer needed."""
    subscription = _by_token(session, "unsubscribe", token)
    if subscription.status == "unsubscribed":
        return subscription
    now = clock.now()
    subscription.status = "unsubscribed"
    subscription.unsubscribed_at = now
    subscription.email = ""
    session.execute(
        update(OutboxMail)
        .where(OutboxMail.subscription_id == subscription.id, OutboxMail.sent_at.is_(None))
        .values(cancelled_at=now)
    )
    session.execute(update(OutboxMail).where(OutboxMail.subscription_id == subscription.id).values(recipient=""))
    session.flush()
    return subscription


# --------------------------------------------------------------------------- the digest (run by the tick)


def _digest_body(session: Session, subscription: Subscription, items: list[PublishedItem]) -> str:
    settings = get_settings()
    lines = [
        "您好：\n",
        f"您在{settings.site_name}订阅的信息有 {len(items)} 条更新（{describe(session, subscription)}）：\n",
    ]
    for n, item in enumerate(items, start=1):
        when = item.published_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{n}. 【{item.category_label}】{item.title}")
        lines.append(f"   发布时间：{when}" + (f"　项目编号：{item.project_code}" if item.project_code else ""))
        if item.summary:
            lines.append(f"   {item.summary}")
        lines.append(f"   {_url(item.link)}\n")
    return "\n".join(lines) + _footer(subscription)


def run_digest(session: Session) -> list[int]:
    """Queue one mail per active subscription with the matching items published since it was confirmed
    and not yet mailed to it; record each item's delivery. Returns the outbox ids queued.

    Running it twice mails nothing twice: the deliveries of the first run exclude those items, and two
    concurrent runs collide on the unique delivery row, so one of them rolls back whole.
    """
    settings = get_settings()
    now = clock.now()
    interval = timedelta(minutes=max(0, settings.digest_interval_minutes))
    subscriptions = [
        s
        for s in session.scalars(select(Subscription).where(Subscription.status == "active").order_by(Subscription.id))
        if s.confirmed_at is not None and (s.last_digest_at is None or s.last_digest_at + interval <= now)
    ]
    if not subscriptions:
        return []
    since = max(min(s.confirmed_at for s in subscriptions), now - LOOKBACK)
    candidates = [
        i
        for i in published.published_items(session, since=since, channel=published.FEED, limit=2000)
        if i.published_at <= now
    ]
    if not candidates:
        return []
    keys = [i.key for i in candidates]
    ids = [s.id for s in subscriptions]
    done = set(
        session.execute(
            select(Delivery.subscription_id, Delivery.item_key).where(
                Delivery.subscription_id.in_(ids), Delivery.item_key.in_(keys)
            )
        ).all()
    )
    queued: list[int] = []
    for subscription in subscriptions:
        wanted = filter_of(subscription)
        matched = [
            i
            for i in candidates
            if i.published_at > subscription.confirmed_at and (subscription.id, i.key) not in done and wanted.matches(i)
        ]
        if not matched:
            continue
        matched = sorted(matched, key=lambda i: (i.published_at, i.key))[:MAX_ITEMS_PER_MAIL]  # oldest first
        row = mail.queue(
            session,
            kind="digest",
            recipient=subscription.email,
            subject=f"【{settings.site_name}】订阅更新：{len(matched)} 条新信息",
            body=_digest_body(session, subscription, matched),
            headers=_list_headers(subscription),
            subscription_id=subscription.id,
        )
        session.add_all(
            Delivery(subscription_id=subscription.id, item_key=i.key, outbox_id=row.id, created_at=now) for i in matched
        )
        subscription.last_digest_at = now
        queued.append(row.id)
    session.flush()
    return queued


def delivered_keys(session: Session, subscription_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Delivery.item_key).where(Delivery.subscription_id == subscription_id).order_by(Delivery.id)
        )
    )
