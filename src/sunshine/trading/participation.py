"""Facts about a bidder's participation that registration, deposits and sealed bids all check: whether the
notice's windows are open by the server clock, whether an applicant failed prequalification, and the checks
domains add to who may still take part once registered (``participation_check``: obtaining the documents and
submitting a bid, e.g. only the suppliers invited after a prequalification)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.errors import Conflict
from sunshine.core.formatting import local_time
from sunshine.trading.models import Project, QualificationResult, Registration


class RegistrationClosed(Conflict):
    code = "registration_closed"
    title = "当前不在报名和获取招标文件的期间内"


def check_window(project: Project, *, documents: bool = True) -> None:
    """Registration and obtaining documents are open while the notice runs, strictly before the bid
    deadline (and, when set, before the end of the documents sale) by the server clock."""
    if project.state != "notice_published":
        raise RegistrationClosed("项目不在公告期内，不能报名、获取招标文件或缴纳保证金")
    now = clock.now()
    if project.bid_deadline is not None and now >= project.bid_deadline:
        raise RegistrationClosed(f"投标截止时间（{local_time(project.bid_deadline)}）已到")
    if documents and project.docs_sale_end is not None and now >= project.docs_sale_end:
        raise RegistrationClosed(f"招标文件获取期已于 {local_time(project.docs_sale_end)} 结束")


def failed_prequalification(session: Session, registration: Registration) -> bool:
    result = session.scalar(
        select(QualificationResult).where(
            QualificationResult.registration_id == registration.id, QualificationResult.stage == "pre"
        )
    )
    return result is not None and not result.passed


# Checks a domain above the kernel adds to taking part with a registration (obtaining the tender documents,
# submitting a bid): each is called with the project and the registration and refuses by raising one of the
# error family. Registered by ``domains.install()``.
ParticipationCheck = Callable[[Session, Project, Registration], None]
_participation_checks: list[ParticipationCheck] = []


def participation_check(check: ParticipationCheck) -> ParticipationCheck:
    """Add a check every bid and every obtaining of the documents passes (idempotent)."""
    if check not in _participation_checks:
        _participation_checks.append(check)
    return check


def check_participation(session: Session, project: Project, registration: Registration) -> None:
    for check in _participation_checks:
        check(session, project, registration)
