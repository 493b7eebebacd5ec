"""What the disclosure domain does after a lifecycle step: a step that owes a disclosure (its ``discloses``
item of the 公开事项目录) creates the obligations, due by the catalog's time limits; a document the step made
public (a notice, a result) goes through the confidentiality review and meets them. Loaded by
``sunshine.domains`` after the domains whose hooks add documents to a step."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.disclosure.obligations import owe
from sunshine.disclosure.publications import HeldForReview, publish_from_step
from sunshine.trading.lifecycle import StepEvent, after_step

log = logging.getLogger(__name__)


def disclose_step(session: Session, event: StepEvent) -> None:
    step, project = event.step, event.project
    if not step.discloses:
        return
    subject = f"project:{project.code}"
    since = [d.since for d in event.publications if d.since is not None]
    owe(
        session,
        trigger=step.discloses,
        subject=subject,
        title=f"{project.name}（{step.title}）",
        responsible_org_id=project.agency_id or project.tenderer_id,
        event_date=min(since) if since else clock.today_local(),
        project=project,
    )
    for document in event.publications:
        try:
            publish_from_step(
                session,
                trigger=step.discloses,
                subject=subject,
                title=document.title,
                body_html=document.body_html,
                source_ref=document.source_ref,
                author_id=document.author_id,
            )
        except HeldForReview:
            if document.hold != "queue":
                raise
            # The step stands; its document waits in the disclosure office's queue, and the open obligation
            # shows as due (then overdue) on the compliance dashboard until someone publishes it.
            log.warning("%s of %s held for review", document.source_ref, project.code)


def install() -> None:
    after_step(None, disclose_step)
    from sunshine.disclosure import archive
    from sunshine.trading import records

    records.record_source("disclosure", "公开信息", archive.contribution)  # the project record (archives)
