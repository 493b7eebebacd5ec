"""The venues' hooks on the trading kernel: a published notice books the opening room at its opening time (a
notice moving the opening time moves the booking), and a project that ends, fails or is terminated releases
every room it held; an accepted registration re-checks that the opening hall still seats the registered
bidders (``venues.opening_seats``: the booking moves to a bigger free hall, or the centre is alerted). A hook
that raises refuses the step: a notice whose opening finds no free room is not published
(《招标投标法》第三十四条: the opening place is fixed in advance). Loaded by ``sunshine.domains``."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from sunshine.core.errors import SunshineError
from sunshine.ledger import service as ledger
from sunshine.trading.lifecycle import FINAL_STATES, StepEvent, after_step
from sunshine.trading.models import Notice
from sunshine.trading.registrations import after_registration
from sunshine.venues import opening_seats, service

END_REASONS = {"terminated": "项目终止", "failed": "项目流标（失败）", "closed": "项目完成"}


def _book_opening(session: Session, event: StepEvent) -> None:
    ref = event.transition.document_ref or ""
    if not ref.startswith("notice:"):
        return
    notice = session.get(Notice, int(ref.split(":", 1)[1]))
    if notice is None or notice.new_opening_at is None:
        return
    service.book_opening(session, event.project, notice.new_opening_at)


def _follow_resumption(session: Session, event: StepEvent) -> None:
    """A resumption that moved the opening by the suspended days (recorded in the step's ledger entry) moves its
    booking; where no hall is free at the new time the old booking is released with the reason, and the centre
    arranges a room on its page — a resumption is never refused for a room."""
    payload = json.loads(ledger.get_entry(session, event.transition.ledger_seq).payload)
    moved = (payload.get("payload") or payload).get("moved", {}).get("opening_at")
    if not moved:
        return
    opening_at = datetime.fromisoformat(moved[1].replace("Z", "+00:00"))
    try:
        with session.begin_nested():
            service.book_opening(session, event.project, opening_at)
    except SunshineError:
        service.release_subject(session, service.opening_subject(event.project), "恢复后开标时间顺延，须另行安排场室")


def _release_at_end(session: Session, event: StepEvent) -> None:
    if event.after in FINAL_STATES and event.before not in FINAL_STATES:
        service.release_project(session, event.project, END_REASONS.get(event.after, "项目结束"))


def install() -> None:
    after_step(["publish_notice", "amend_notice"], _book_opening)
    after_step(["resume"], _follow_resumption)
    after_step(None, _release_at_end)
    after_registration(opening_seats.follow_registration)
