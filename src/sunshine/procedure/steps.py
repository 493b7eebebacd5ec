"""What the procedure domain plugs into the trading kernel: the catalogue check every project registration
passes (交易目录编码, ``trading.service.on_register``) and the finance department's approval a retender under
another method needs (``trading.service.approves_method_change``). Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sunshine.procedure import catalogue, method_change
from sunshine.trading import service as trading


def install() -> None:
    trading.on_register(catalogue.check_registration)
    trading.approves_method_change(method_change.approval_for)
