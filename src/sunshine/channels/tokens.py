"""Signed links of a subscription (itsdangerous, keyed with the app secret): confirm (valid 7 days),
manage and unsubscribe. Each names the subscription and its nonce, so a new nonce revokes old links;
the purposes are salted apart, so a manage link cannot be replayed as a confirm link."""

from __future__ import annotations

from typing import Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from sunshine.config import get_settings
from sunshine.core.errors import SunshineError

Purpose = Literal["confirm", "manage", "unsubscribe"]
CONFIRM_MAX_AGE = 7 * 24 * 3600


class InvalidLink(SunshineError):
    status = 404
    code = "invalid_link"
    title = "链接无效或已失效"


class ExpiredLink(InvalidLink):
    code = "expired_link"
    title = "链接已过期"


def _serializer(purpose: Purpose):
    secret = get_settings().resolved_secret_key()
    salt = f"sunshine.subscription.{purpose}"
    return URLSafeTimedSerializer(secret, salt=salt) if purpose == "confirm" else URLSafeSerializer(secret, salt=salt)


def make(purpose: Purpose, subscription_id: int, nonce: str) -> str:
    return _serializer(purpose).dumps({"s": subscription_id, "n": nonce})


def read(purpose: Purpose, token: str) -> tuple[int, str]:
    """(subscription id, nonce) of a genuine token; InvalidLink / ExpiredLink otherwise."""
    serializer = _serializer(purpose)
    try:
        if purpose == "confirm":
            data = serializer.loads(token or "", max_age=CONFIRM_MAX_AGE)
        else:
            data = serializer.loads(token or "")
    except SignatureExpired:
        raise ExpiredLink("确认链接已超过 7 天有效期，请重新订阅") from None
    except BadSignature:
        raise InvalidLink("链接无效：可能不完整或已被改动，请从邮件中完整复制链接") from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        raise InvalidLink("链接无效")
    return data["s"], data["n"]
