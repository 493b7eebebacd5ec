"""Loads every domain's lifecycle steps and after-step hooks into the trading kernel, once per process.

The web application, the command line and the tick call ``install`` before any step is taken. Order matters
only for hooks of the same step: a domain that adds documents to a step (trading's termination notice) is
loaded before disclosure, which publishes them.
"""

from __future__ import annotations

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from sunshine.auctions import steps as auction_steps  # noqa: F401
    from sunshine.bidding import steps as bidding_steps  # noqa: F401
    from sunshine.disclosure import hooks as disclosure_hooks
    from sunshine.market import service as market
    from sunshine.qualifications import steps as qualifications_steps
    from sunshine.trading import steps as trading_steps

    trading_steps.install()
    market.install()  # registration refuses a participant the centre has not approved (checked first)
    qualifications_steps.install()
    disclosure_hooks.install()
    _installed = True
