"""The kinds of session that take observers, each registered by the domain that owns it at ``domains.install()``
(evaluation its sessions; draw rooms and openings later): a Chinese label and where a seated person watches it.
This package knows no domain: it calls what was registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sunshine.core.errors import NotFound


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # 评标会议, 抽取室, 开标会 …
    watch_link: Callable[[int], str]  # the page where a seated person watches the session with this id


_KINDS: dict[str, Kind] = {}


def register(code: str, label: str, watch_link: Callable[[int], str]) -> Kind:
    kind = Kind(code, label, watch_link)
    _KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    kind = _KINDS.get(code)
    if kind is None:
        raise NotFound("没有这种可观察的会议")
    return kind


def known(code: str) -> bool:
    return code in _KINDS
