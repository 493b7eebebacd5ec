"""Building every route's request handling at start-up.

FastAPI (0.16x) builds the handling of an included router's routes (their parameters and dependencies) the first
time a request is matched against that router, and a page whose router comes late in the list makes the first
visitor wait for nearly all of them: about a thousand routes, seconds on an idle machine and over ten on a busy one.
``warm_routes`` does that work once when a server starts, before it admits a request. Where the framework builds
its routes when they are included (no lazily built routers), there is nothing to do.
"""

from __future__ import annotations

from typing import Any


def warm_routes(router: Any) -> int:
    """Build the handling of every route under ``router``, included routers within included routers too; the
    number of included routers built."""
    return sum(_build(route) for route in getattr(router, "routes", []) if hasattr(route, "effective_candidates"))


def _build(included: Any) -> int:
    built = 1
    for candidate in included.effective_candidates():
        if hasattr(candidate, "effective_candidates"):
            built += _build(candidate)
    low = getattr(included, "effective_low_priority_routes", None)
    if low is not None:
        low()
    return built
