"""Work that may happen only once a unit of work has committed: sending a mail, an SMS, a voice call.

A service calls ``defer(session, channel, item)`` inside its unit of work; the items are kept on the
session and, once that session commits, handed to the handler registered for ``channel``
(``register(channel, handler)``) with the session's engine. A rolled-back unit of work hands nothing
over. A handler that fails is logged and the commit stands: each sender keeps its own outbox table, so
its tick step retries what was not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("sunshine.after_commit")

_PENDING_KEY = "sunshine.after_commit"

#: channel -> handler(bind, items), called once per commit with the items deferred in that unit of work
_HANDLERS: dict[str, Callable[[Any, list[Any]], object]] = {}


def register(channel: str, handler: Callable[[Any, list[Any]], object]) -> None:
    """``handler(bind, items)`` runs after each commit that deferred items for ``channel``."""
    _HANDLERS[channel] = handler


def defer(session: Session, channel: str, item: Any) -> None:
    """Hand ``item`` to ``channel``'s handler once this session's unit of work commits."""
    session.info.setdefault(_PENDING_KEY, {}).setdefault(channel, []).append(item)


def pending(session: Session, channel: str) -> list[Any]:
    """What this unit of work has deferred for ``channel`` so far (tests and diagnostics)."""
    return list(session.info.get(_PENDING_KEY, {}).get(channel, []))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    waiting = session.info.pop(_PENDING_KEY, None)
    if not waiting:
        return
    for channel, items in waiting.items():
        handler = _HANDLERS.get(channel)
        if handler is None:
            log.error("no after-commit handler for %s; %d item(s) left for the tick", channel, len(items))
            continue
        try:
            handler(session.get_bind(), items)
        except Exception:  # the commit stands; the channel's tick step retries what was not sent
            log.exception("sending %s after commit failed", channel)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
