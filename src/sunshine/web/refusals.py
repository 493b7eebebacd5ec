"""Page refusals, handled once (post/redirect/get with flash messages).

A page step runs its service call inside ``refusals_back_to(url)`` or ``refusals_shown_on(page)``. When the
service refuses (a ``SunshineError``), the error leaves the route as a ``PageRefused``, so the request's unit
of work (``core.auth.get_session``) rolls back everything the step did — rows, serial numbers, ledger
entries — and then the one handler below answers the visitor:

- ``back``: the Chinese reason is flashed and the visitor is sent back (303, or ``HX-Redirect`` for htmx);
- ``page``: a form is shown again with the reason beside its field; the page is read afresh in a read-only
  unit of work, so it shows the state without the refused step. That unit of work begins after the
  request's own has ended, so the request still holds one connection at a time; the handler is a plain
  function, which Starlette runs in a worker thread, never on the event loop.

A 404 passes through as it is (the object is not there, or not for this visitor), and so do the statuses a
step names in ``passing``. Views never roll back by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from sunshine.core.auth import request_unit_of_work
from sunshine.core.errors import SunshineError
from sunshine.web.problems import problem_response
from sunshine.web.templating import flash, redirect

# A form page drawn again after a refusal: (a fresh read-only session, the refusal) → the page, status 4xx.
FormPage = Callable[[Session, SunshineError], Response]


class PageRefused(Exception):
    """A domain error raised by a page step, with how the visitor is answered: sent ``back`` with the reason
    flashed, or shown the form ``page`` again (exactly one of the two)."""

    def __init__(self, error: SunshineError, *, back: str | None = None, page: FormPage | None = None) -> None:
        if (back is None) == (page is None):
            raise ValueError("a refusal goes either back to a URL or to a form page")
        self.error = error
        self.back = back
        self.page = page
        super().__init__(error.detail)


@contextmanager
def refusals_back_to(back: str, *, passing: Collection[int] = (404,)) -> Iterator[None]:
    """A refusal of the step inside the block sends the visitor to ``back`` with the reason flashed."""
    try:
        yield
    except SunshineError as exc:
        if exc.status in passing:
            raise
        raise PageRefused(exc, back=back) from exc


@contextmanager
def refusals_shown_on(page: FormPage, *, passing: Collection[int] = (404,)) -> Iterator[None]:
    """A refusal of the step inside the block shows ``page`` again (a form with the reason beside its field).
    ``page`` must read what it shows from the session it is given, not reuse objects of the refused request."""
    try:
        yield
    except SunshineError as exc:
        if exc.status in passing:
            raise
        raise PageRefused(exc, page=page) from exc


def act(request: Request, back: str, call: Callable[[], Any], done: Callable[[Any], str] | str) -> Response:
    """A one-button page step: done → its message flashed and back; refused → the reason flashed and back."""
    with refusals_back_to(back):
        result = call()
    flash(request, "success", done(result) if callable(done) else done)
    return redirect(request, back)


def answer(request: Request, exc: PageRefused) -> Response:
    """The one handler of page refusals; runs after the request's unit of work has rolled back."""
    if exc.page is None:
        flash(request, "error", exc.error.detail)
        return redirect(request, exc.back or "/")
    try:  # the request's own unit of work has ended (rolled back) before this handler runs: still one at a time
        with request_unit_of_work(request, read_only=True) as session:
            return exc.page(session, exc.error)
    except SunshineError as again:  # the form's page itself is gone meanwhile: answer that instead
        return problem_response(request, again.status, again.code, again.title, again.detail, **again.extra)


def install(app: FastAPI) -> None:
    # A plain function: Starlette runs it in the thread pool, as the form page reads the database.
    app.add_exception_handler(PageRefused, answer)  # type: ignore[arg-type]


__all__ = ["FormPage", "PageRefused", "act", "install", "refusals_back_to", "refusals_shown_on"]
