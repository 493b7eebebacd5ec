"""Keeping open data in step with what is published: each stage of a public project becomes a release the first
time the synchronisation sees it public, stored as it was then (a release is never rewritten; what changes later is
a later release). Run by the tick, by ``sunshine opendata sync`` and at demo load; idempotent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.opendata import facts, ocds, stages
from sunshine.opendata.models import OpenRelease, OpenSync
from sunshine.trading.models import Project

BATCH = 500
# A step committed a little after the moment it recorded is still read: every run looks back this far
# (releases already stored are skipped, so reading a project twice costs nothing but the read).
OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class SyncReport:
    projects: int
    release_ids: list[str]

    @property
    def added(self) -> int:
        return len(self.release_ids)


def _state(session: Session) -> OpenSync:
    row = session.get(OpenSync, 1, with_for_update=True)
    if row is None:
        row = OpenSync(id=1, read_until=datetime(1970, 1, 1, tzinfo=clock.now().tzinfo))
        session.add(row)
        session.flush()
    return row


def store(session: Session, project_ids: Iterable[int]) -> list[str]:
    """Add the releases of ``project_ids`` that exist and are not stored yet; the ids of those added."""
    ids = list(project_ids)
    added: list[str] = []
    now = clock.now()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        known = set(session.scalars(select(OpenRelease.release_id).where(OpenRelease.project_id.in_(batch))))
        for f in facts.load(session, batch):
            for r in stages.releases_of(f):
                if r.release_id in known:
                    continue
                text = ocds.dumps(r.data)
                session.add(
                    OpenRelease(
                        release_id=r.release_id,
                        ocid=r.data["ocid"],
                        project_id=f.project.id,
                        stage=r.stage,
                        tag=r.tag,
                        date=r.date,
                        ledger_seq=r.ledger_seq,
                        data=text,
                        sha256=ocds.sha256(text),
                        created_at=now,
                    )
                )
                known.add(r.release_id)
                added.append(r.release_id)
        session.flush()
    return added


def sync(session: Session, *, everything: bool = False) -> SyncReport:
    """Read what was published or stepped since the last run (``everything``: every public project) and add the
    releases that now exist."""
    state = _state(session)
    started = clock.now()
    if everything:
        ids = list(session.scalars(select(Project.id).where(facts.public_projects()).order_by(Project.id)))
    else:
        ids = facts.changed_since(session, state.read_until - OVERLAP)
    added = store(session, ids)
    state.read_until = started
    return SyncReport(len(ids), added)
