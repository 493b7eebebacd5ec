"""Purposes of draws (抽取用途): each owner registers its code with a Chinese label and the callbacks through
which it reacts: ``on_drawn(session, draw)`` once the order is fixed, ``on_outcome(session, draw, seat, new)``
after an outcome is recorded, and ``names(session, draw) -> {ref: display name}`` for the public record after
disclosure. The engine imports no owner; owners import this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sunshine.core.errors import InvalidInput


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    on_drawn: Callable[..., Any] | None = None
    on_outcome: Callable[..., Any] | None = None
    names: Callable[..., dict[str, str]] | None = None
    may_manage: Callable[..., bool] | None = None  # (session, principal, draw) -> bool: may record outcomes


_PURPOSES: dict[str, Purpose] = {}


def register(
    code: str,
    label_zh: str,
    on_drawn: Callable[..., Any] | None = None,
    on_outcome: Callable[..., Any] | None = None,
    *,
    names: Callable[..., dict[str, str]] | None = None,
    may_manage: Callable[..., bool] | None = None,
) -> Purpose:
    purpose = Purpose(code, label_zh, on_drawn, on_outcome, names, may_manage)
    _PURPOSES[code] = purpose
    return purpose


def get(code: str) -> Purpose:
    try:
        return _PURPOSES[code]
    except KeyError:
        raise InvalidInput(f"未登记的抽取用途：{code}") from None


def find(code: str) -> Purpose | None:
    return _PURPOSES.get(code)


def label(code: str) -> str:
    purpose = _PURPOSES.get(code)
    return purpose.label if purpose else "抽取"


def unregister(code: str) -> None:
    """For tests that register their own purpose."""
    _PURPOSES.pop(code, None)
