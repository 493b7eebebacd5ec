"""The venues' hooks on the trading kernel: a published notice books the opening room at its opening time (a
notice moving the opening time moves the booking), and a project that ends, fails or is terminated releases
every room it held. A hook that raises refuses the step: a notice whose opening finds no free room is not
published (《招标投标法》第三十四条: the opening place is fixed in advance). Loaded by ``sunshine.domains``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.trading.lifecycle import FINAL_STATES, StepEvent, after_step
from sunshine.trading.models import Notice
from sunshine.venues import service

END_REASONS = {"terminated": "项目终止", "failed": "项目流标（失败）", "closed": "项目完成"}


def _book_opening(session: Session, event: StepEvent) -> None:
    ref = event.transition.document_ref or ""
    if not ref.startswith("notice:"):
        return
    notice = session.get(Notice, int(ref.split(":", 1)[1]))
    if notice is None or notice.new_opening_at is None:
        return
    service.book_opening(session, event.project, notice.new_opening_at)


def _release_at_end(session: Session, event: StepEvent) -> None:
    if event.after in FINAL_STATES and event.before not in FINAL_STATES:
        service.release_project(session, event.project, END_REASONS.get(event.after, "项目结束"))


def install() -> None:
    after_step(["publish_notice", "amend_notice"], _book_opening)
    after_step(None, _release_at_end)
