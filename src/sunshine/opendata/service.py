"""Keeping open data in step with what is published: each stage of a public project becomes a release the first
time the synchronisation sees it public, stored as it was then (a release is never rewritten; what changes later is
a later release). Each ocid's compiled release is merged again in the same transaction whenever a release of it is
added (``opendata_record``), so records are read, never compiled, when they are asked for or exported. Run by the
tick, by ``sunshine opendata sync`` and at demo load; idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.opendata import facts, ocds, schema, stages
from sunshine.opendata.models import OpenRecord, OpenRelease, OpenSync
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
        changed: set[int] = set()
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
                changed.add(f.project.id)
        session.flush()
        compile_records(session, sorted(changed))
    return added


def compile_records(session: Session, project_ids: list[int]) -> int:
    """Merge again the compiled release of every ocid of ``project_ids`` from all its stored releases (oldest first,
    the official merge rules) and store it; the number of records written."""
    if not project_ids:
        return 0
    grouped: dict[str, tuple[int, list[dict]]] = {}
    rows = session.execute(
        select(OpenRelease.ocid, OpenRelease.project_id, OpenRelease.data)
        .where(OpenRelease.project_id.in_(project_ids))
        .order_by(OpenRelease.ocid, OpenRelease.date, OpenRelease.id)
    )
    for ocid, project_id, data in rows:
        grouped.setdefault(ocid, (project_id, []))[1].append(json.loads(data))
    existing = {r.ocid: r for r in session.scalars(select(OpenRecord).where(OpenRecord.ocid.in_(list(grouped))))}
    now = clock.now()
    merger = schema.merger()
    for ocid, (project_id, releases) in grouped.items():
        text = ocds.dumps(merger.create_compiled_release(releases))
        row = existing.get(ocid)
        if row is None:
            session.add(
                OpenRecord(
                    ocid=ocid,
                    project_id=project_id,
                    compiled=text,
                    sha256=ocds.sha256(text),
                    releases=len(releases),
                    updated_at=now,
                )
            )
        else:
            row.compiled, row.sha256, row.releases, row.updated_at = text, ocds.sha256(text), len(releases), now
    session.flush()
    return len(grouped)


def compile_missing(session: Session) -> int:
    """Compile the records of projects with releases but no stored compiled release (data from before it was
    stored); run by ``sunshine opendata sync --all``."""
    missing = select(OpenRecord.id).where(OpenRecord.ocid == OpenRelease.ocid).exists()
    ids = sorted(set(session.scalars(select(OpenRelease.project_id).where(~missing))))
    return sum(compile_records(session, ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))


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
    if everything:
        compile_missing(session)
    state.read_until = started
    return SyncReport(len(ids), added)
