"""The kinds of session that take observers, each registered by the domain that owns it at ``domains.install()``
(evaluation its sessions, bidding its opening room, supervision the scheduled sessions of the rooms): a Chinese
label, where a seated person watches it, and — for a session held at a booked room — the booking's purpose and how
the owner finds its sessions from the booking (``sessions_of``), so a domain that seats people at a booked session
(social supervision) also seats them at the owner's electronic session without knowing the owner. An owner that
opens a session after its booking tells the listeners (``on_opened``) through ``service.opened``.
This package knows no domain: it calls what was registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sunshine.core.errors import NotFound

#: (session, project id, booking subject) → the ids of the owner's sessions held at that booking
SessionsOf = Callable[[Session, int, str], list[int]]
#: (session, kind, session id, project id) → None: a session of a registered kind has just opened
OpenedListener = Callable[[Session, "Kind", int, int], None]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # 评标会议, 抽取室, 开标会 …
    watch_link: Callable[[int], str]  # the page where a seated person watches the session with this id
    booked_as: str | None = None  # the room booking's purpose this session is held at (venues: opening, evaluation)
    sessions_of: SessionsOf | None = None


_KINDS: dict[str, Kind] = {}
_OPENED: list[OpenedListener] = []


def register(
    code: str,
    label: str,
    watch_link: Callable[[int], str],
    *,
    booked_as: str | None = None,
    sessions_of: SessionsOf | None = None,
) -> Kind:
    kind = Kind(code, label, watch_link, booked_as, sessions_of)
    _KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    kind = _KINDS.get(code)
    if kind is None:
        raise NotFound("没有这种可观察的会议")
    return kind


def known(code: str) -> bool:
    return code in _KINDS


def held_at(purpose: str) -> list[Kind]:
    """The kinds whose sessions are held at a room booked for ``purpose``, in the order registered."""
    return [k for k in _KINDS.values() if k.booked_as == purpose and k.sessions_of is not None]


def on_opened(listener: OpenedListener) -> None:
    if listener not in _OPENED:
        _OPENED.append(listener)


def opened_listeners() -> list[OpenedListener]:
    return list(_OPENED)
