"""The rule values a method receives, read from the shipped packs as the session will hand them over."""

from __future__ import annotations

from decimal import Decimal

from sunshine.rules.registry import registry


def rules_of(key: str) -> dict[str, Decimal]:
    """``{rule id: value}`` of the latest version of pack ``key``."""
    pack = registry().versions(key)[-1]
    return {r.id: r.value for r in pack.rules}
