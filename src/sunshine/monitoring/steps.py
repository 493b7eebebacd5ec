"""What monitoring adds to the trading kernel at ``domains.install()``: an after-step hook on every step (the
project's own rules at once) and a hook at the end of an opening's decryption (the opened documents' marks, then
the rules). The tick (``tick``) evaluates every rule over the platform's recent data and writes the page views
counted in memory."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from sunshine.bidding import hooks as bidding_hooks
from sunshine.monitoring import service, usage
from sunshine.trading import lifecycle

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    lifecycle.after_step(None, service.after_step)
    bidding_hooks.on_decryption_closed(service.after_decryption)
    _installed = True


@dataclass
class TickResult:
    raised: list[str] = field(default_factory=list)
    page_views: int = 0


def tick(session: Session) -> TickResult:
    result = TickResult()
    result.page_views = usage.flush(session)
    result.raised = service.run(session).raised
    return result
