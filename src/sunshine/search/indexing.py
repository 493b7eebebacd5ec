"""Keeping the index in the same transaction as the records it mirrors.

``install()`` listens to every ORM session: after each flush it notes the records of registered sources
that were added, changed or deleted; just before the commit it asks each source what the public may now
see of them (``Source.document``) and puts or removes their entries through the backend — in the same
transaction, so a published notice is found the moment its publication commits and a withdrawn text is
gone the moment its withdrawal commits, and a rolled-back step leaves the index as it was. No domain
calls the search: publishing, withdrawing and correcting are all writes to the domains' own tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sunshine.search import backends, sources
from sunshine.search.models import SearchDoc
from sunshine.search.segment import tokens

_PENDING = "search_pending"
_installed = False


def key_of(kind: str, record_id: int) -> str:
    return f"{kind}:{record_id}"


def _note(session: Session, records: Iterable[Any]) -> None:
    for record in records:
        source = sources.of_model(type(record))
        if source is not None and getattr(record, "id", None) is not None:
            session.info.setdefault(_PENDING, {})[(source.kind, record.id)] = record


def _after_flush(session: Session, _context: Any) -> None:
    if not sources.all_sources():
        return
    _note(session, session.new)
    _note(session, session.dirty)
    _note(session, session.deleted)


def _before_commit(session: Session) -> None:
    if not session.info.get(_PENDING):
        return
    session.flush()  # the last changes are noted too
    pending: dict[tuple[str, int], Any] = session.info.pop(_PENDING, {})
    done: set[tuple[str, int]] = set()
    queue = list(pending)
    while queue:
        kind, record_id = queue.pop()
        if (kind, record_id) in done:
            continue
        done.add((kind, record_id))
        source = sources.get(kind)
        if source is None:
            continue
        record = session.get(source.model, record_id)
        refresh(session, kind, record_id, record)
        if record is not None and source.related is not None:
            queue.extend(source.related(session, record))
    session.info.pop(_PENDING, None)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Listen to every session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _forget)
    _installed = True


def refresh(session: Session, kind: str, record_id: int, record: Any | None = None) -> bool:
    """Put the record's entry as its source documents it, or take it out when the public may not see it
    (or it is gone). True when the record is in the index afterwards."""
    source = sources.get(kind)
    backend = backends.for_session(session)
    key = key_of(kind, record_id)
    if source is None:
        backend.remove(session, key)
        return False
    if record is None:
        record = session.get(source.model, record_id)
    doc = source.document(session, record) if record is not None else None
    if doc is None:
        backend.remove(session, key)
        return False
    backend.put(
        session,
        key,
        kind,
        doc,
        " ".join(tokens(doc.title)),
        " ".join(tokens(doc.body[: sources.BODY_CHARS])),
    )
    return True


def reindex(session: Session, kind: str | None = None, *, progress: Any = None) -> dict[str, int]:
    """Rebuild the index of every source (or one) from the domains' records: how many entries each has."""
    backend = backends.for_session(session)
    counts: dict[str, int] = {}
    chosen = [s for s in sources.all_sources() if kind is None or s.kind == kind]
    backend.clear(session, kind)
    for source in chosen:
        n = 0
        for record in source.rows(session):
            if refresh(session, source.kind, record.id, record):
                n += 1
                if progress is not None and n % 1000 == 0:
                    progress(source.kind, n)
        counts[source.kind] = n
    return counts


def indexed_count(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    return dict(session.execute(select(SearchDoc.kind, func.count()).group_by(SearchDoc.kind)).all())
