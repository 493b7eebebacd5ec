"""The SMS and voice gateway behind ``messaging``: an interface chosen by ``SUNSHINE_MESSAGE_GATEWAY``, like
the payment channel (``trading/payments.py``).

``simulated`` (default) records each text and call in ``message_gateway_record`` so that tests and the demo
can "receive" them (the centre reads them, masked, at ``/staff/messages/gateway``); a real operator's
adapter is registered with ``register_gateway`` or named as ``package.module:Factory``. A factory takes a
session (the one the delivery's outcome is written in), so a simulated gateway's record and the delivery's
"sent" mark commit together.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import SunshineError
from sunshine.messaging.models import GatewayRecord


class GatewayNotConfigured(SunshineError):
    status = 503
    code = "message_gateway_not_configured"
    title = "短信/语音网关配置有误"


class MessageGateway(Protocol):
    name: str

    def send_sms(self, delivery_id: int, phone: str, text: str) -> str:
        """Send one text message; returns the gateway's reference. Raises on failure (the tick retries)."""

    def call_voice(self, delivery_id: int, phone: str, text: str) -> str:
        """Place one voice call reading ``text``; returns the gateway's reference. Raises on failure."""


class SimulatedGateway:
    """A gateway that exists only inside the platform: every text and call is a row the centre can read."""

    name = "simulated"

    def __init__(self, session: Session) -> None:
        self.session = session

    def _record(self, delivery_id: int, channel: str, phone: str, text: str) -> str:
        reference = f"SIM{clock.now().strftime('%Y%m%d%H%M%S')}{secrets.token_hex(4).upper()}"
        self.session.add(
            GatewayRecord(
                delivery_id=delivery_id,
                channel=channel,
                phone=phone,
                text=text,
                reference=reference,
                received_at=clock.now(),
            )
        )
        return reference

    def send_sms(self, delivery_id: int, phone: str, text: str) -> str:
        return self._record(delivery_id, "sms", phone, text)

    def call_voice(self, delivery_id: int, phone: str, text: str) -> str:
        return self._record(delivery_id, "voice", phone, text)


GatewayFactory = Callable[[Session], MessageGateway]
_FACTORIES: dict[str, GatewayFactory] = {"simulated": SimulatedGateway}


def register_gateway(name: str, factory: GatewayFactory) -> None:
    """Make a gateway selectable by ``SUNSHINE_MESSAGE_GATEWAY=<name>``."""
    _FACTORIES[name] = factory


def gateway_for(session: Session) -> MessageGateway:
    """The configured gateway, bound to ``session``."""
    from sunshine.config import get_settings

    name = get_settings().message_gateway.strip()
    factory = _FACTORIES.get(name)
    if factory is None and ":" in name:
        module, _, attr = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            factory = None
    if factory is None:
        raise GatewayNotConfigured(f"未知的短信/语音网关：{name}（SUNSHINE_MESSAGE_GATEWAY）")
    return factory(session)
