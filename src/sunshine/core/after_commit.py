"""Work that may happen only once a unit of work has committed: sending a mail, an SMS, a voice call.

A service calls ``defer(session, channel, item)`` inside its unit of work; the items are kept on the
session and, once that session commits, handed to the handler registered for ``channel``
(``register(channel, handler)``) with the session's engine. A rolled-back unit of work hands nothing
over. A handler that fails is logged and the commit stands: each sender keeps its own outbox table, so
its tick step retries what was not sent.

Within a web request (``web.middleware.AfterResponseMiddleware`` holds them: ``hold``/``release``/``run_held``) the
handlers run once the response has been sent, not at the commit: the caller does not wait for a gateway (the draw
room's reveal used to wait for the SMS and voice calls of every called expert). Outside a request — the tick, the
command line — they run at the commit, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("sunshine.after_commit")

_PENDING_KEY = "sunshine.after_commit"

#: channel -> handler(bind, items), called once per commit with the items deferred in that unit of work
_HANDLERS: dict[str, Callable[[Any, list[Any]], object]] = {}
Held = list[tuple[Any, dict[str, list[Any]]]]  # each commit's work: (bind, {channel: items})
#: while set (a web request), each commit's work is added here, to run after the response
_HELD: ContextVar[Held | None] = ContextVar("sunshine.after_commit.held", default=None)


def register(channel: str, handler: Callable[[Any, list[Any]], object]) -> None:
    """``handler(bind, items)`` runs after each commit that deferred items for ``channel``."""
    _HANDLERS[channel] = handler


def defer(session: Session, channel: str, item: Any) -> None:
    """Hand ``item`` to ``channel``'s handler once this session's unit of work commits."""
    session.info.setdefault(_PENDING_KEY, {}).setdefault(channel, []).append(item)


def pending(session: Session, channel: str) -> list[Any]:
    """What this unit of work has deferred for ``channel`` so far (tests and diagnostics)."""
    return list(session.info.get(_PENDING_KEY, {}).get(channel, []))


def hold(queue: Held) -> Token:
    """From now on in this context, commits add their work to ``queue`` instead of running it (``run_held``)."""
    return _HELD.set(queue)


def release(token: Token) -> None:
    _HELD.reset(token)


def run_held(queue: Held) -> None:
    """Run the work ``queue`` collected while held, commit by commit, in order."""
    for bind, waiting in queue:
        _run(bind, waiting)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    waiting = session.info.pop(_PENDING_KEY, None)
    if not waiting:
        return
    queue = _HELD.get()
    if queue is not None:
        queue.append((session.get_bind(), waiting))
        return
    _run(session.get_bind(), waiting)


def _run(bind: Any, waiting: dict[str, list[Any]]) -> None:
    for channel, items in waiting.items():
        handler = _HANDLERS.get(channel)
        if handler is None:
            log.error("no after-commit handler for %s; %d item(s) left for the tick", channel, len(items))
            continue
        try:
            handler(bind, items)
        except Exception:  # the commit stands; the channel's tick step retries what was not sent
            log.exception("sending %s after commit failed", channel)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
