"""What the service desk adds to the others' steps, loaded by ``sunshine.domains.install``: the survey after
a project is accepted (to whoever registered it), after its opening (to each registered bidder's user) and after
an information request is answered (the applicant's private link, ``request_surveys``, through inforequests'
hooks); the 12345 interface told of every order step; the inbox message kind. ``tick`` (the time-driven part, run
by ``sunshine.tasks``): 催办 and 督办 of orders, surveys after deposits refunded, the 12345 messages delivered,
and last month's satisfaction published."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.channels import items
from sunshine.core import clock
from sunshine.inforequests import hooks as inforequest_hooks
from sunshine.messaging import service as messaging
from sunshine.servicedesk import hotline, orders, request_surveys, search_sources, stats, surveys
from sunshine.servicedesk.provider import SatisfactionItems
from sunshine.trading.lifecycle import StepEvent, after_step
from sunshine.trading.models import Deposit, Project, Registration

SWEEP_DAYS = 7  # services finished within this many days are surveyed by the tick


def _accepted(session: Session, event: StepEvent) -> None:
    p = event.project
    surveys.invite(
        session,
        service="project_accepted",
        subject_kind="project",
        subject_id=p.id,
        subject_label=f"{p.code} {p.name} 进场受理",
        user_id=p.registered_by,
    )


def _opened(session: Session, event: StepEvent) -> None:
    p = event.project
    users = session.scalars(select(Registration.user_id).where(Registration.project_id == p.id).distinct())
    for user_id in users:
        surveys.invite(
            session,
            service="opening_held",
            subject_kind="project",
            subject_id=p.id,
            subject_label=f"{p.code} {p.name} 开标",
            user_id=user_id,
        )


def install() -> None:
    messaging.register_kind("servicedesk", "服务台")
    orders.on_step(hotline.queue_outbound)
    after_step(["accept"], _accepted)
    after_step(["open_bids"], _opened)
    items.register_provider(SatisfactionItems())  # feeds, subscriptions and the kiosk carry the monthly results
    search_sources.install()  # the site search carries the knowledge base's published articles
    inforequest_hooks.on_answered(request_surveys.invite_applicant)  # the applicant's private survey link
    inforequest_hooks.add_reply_lines(request_surveys.reply_lines)  # shown on the status page and the letter


def _sweep(session: Session) -> list[int]:
    """Surveys after services that are not lifecycle steps: deposits refunded (to the user who registered
    the bidder), each once. (Information requests are surveyed at their answer, through inforequests.hooks.)"""
    since = clock.now() - timedelta(days=SWEEP_DAYS)
    made = []
    rows = session.execute(
        select(Deposit, Registration.user_id, Project.code)
        .join(
            Registration,
            (Registration.section_id == Deposit.section_id) & (Registration.organisation_id == Deposit.organisation_id),
        )
        .join(Project, Project.id == Registration.project_id)
        .where(Deposit.status == "refunded", Deposit.refunded_at >= since)
    ).all()
    for deposit, user_id, code in rows:
        if surveys.invite(
            session,
            service="deposit_refunded",
            subject_kind="deposit",
            subject_id=deposit.id,
            subject_label=f"{code} 保证金退还",
            user_id=user_id,
        ):
            made.append(deposit.id)
    return made


def tick(session: Session) -> list[str]:
    done = orders.tick(session)
    done += [f"survey:deposit:{i}" for i in _sweep(session)]
    done += [f"hotline:{i}" for i in hotline.deliver_pending(session)]
    done += [f"satisfaction:{m}" for m in stats.publish_due(session)]
    return done
