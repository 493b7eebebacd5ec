"""Reading open data: stored releases page by page (keyset cursors, oldest first so a harvester resumes where it
stopped), one release, the records (every release of an ocid with the compiled release merged by the official
merge rules, ``ocdsmerge``), and the packages they are answered in. Everything stored is public: releases enter
open data only once their stage is published (``opendata.service``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core.errors import NotFound
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.opendata import ocds, schema
from sunshine.opendata.models import OpenRecord, OpenRelease

RELEASE_ORDER = Keyset.of("opendata_releases", Key(OpenRelease.id, descending=False))
RECORD_ORDER = Keyset.of("opendata_records", Key(OpenRelease.ocid, descending=False))
TAGS = ("tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "award", "contract", "implementation")


def list_releases(
    session: Session,
    *,
    ocid: str | None = None,
    tag: str | None = None,
    since: datetime | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[OpenRelease]:
    where = []
    if ocid:
        where.append(OpenRelease.ocid == ocid)
    if tag:
        where.append(OpenRelease.tag == tag)
    if since is not None:
        where.append(OpenRelease.created_at >= since)
    return paginate(session, select(OpenRelease).where(*where), RELEASE_ORDER, cursor=cursor, limit=limit)


def get_release(session: Session, release_id: str) -> OpenRelease:
    row = session.scalar(select(OpenRelease).where(OpenRelease.release_id == release_id))
    if row is None:
        raise NotFound("发布记录不存在")
    return row


def list_ocids(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[str]:
    stmt = select(OpenRelease.ocid).group_by(OpenRelease.ocid)
    return paginate(session, stmt, RECORD_ORDER, cursor=cursor, limit=limit)


def releases_of(session: Session, ocids: Sequence[str]) -> dict[str, list[OpenRelease]]:
    out: dict[str, list[OpenRelease]] = {o: [] for o in ocids}
    rows = session.scalars(
        select(OpenRelease).where(OpenRelease.ocid.in_(list(ocids))).order_by(OpenRelease.date, OpenRelease.id)
    )
    for row in rows:
        out[row.ocid].append(row)
    return out


def record(ocid: str, rows: Sequence[OpenRelease], compiled: str | None = None) -> dict[str, Any]:
    """The record of ``ocid``: its releases (oldest first) and the compiled release (the stored one; merged here only
    for data stored before compiled releases were)."""
    releases = [json.loads(r.data) for r in rows]
    merged = json.loads(compiled) if compiled is not None else compile_releases(releases)
    return {"ocid": ocid, "releases": releases, "compiledRelease": merged}


def compiled_of(session: Session, ocids: Sequence[str]) -> dict[str, str]:
    """The stored compiled release (JSON text) of each of ``ocids`` that has one."""
    rows = session.execute(select(OpenRecord.ocid, OpenRecord.compiled).where(OpenRecord.ocid.in_(list(ocids))))
    return {ocid: compiled for ocid, compiled in rows}


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    return schema.merger().create_compiled_release(releases)


def get_record(session: Session, ocid: str) -> tuple[dict[str, Any], list[OpenRelease]]:
    rows = releases_of(session, [ocid])[ocid]
    if not rows:
        raise NotFound("记录不存在")
    return record(ocid, rows, compiled_of(session, [ocid]).get(ocid)), rows


def last_modified(session: Session) -> datetime | None:
    return session.scalar(select(func.max(OpenRelease.created_at)))


def release_package(uri: str, releases: list[dict[str, Any]], published: datetime) -> dict[str, Any]:
    return {**ocds.package_meta(uri, published), "releases": releases}


def record_package(uri: str, records: list[dict[str, Any]], published: datetime) -> dict[str, Any]:
    return {**ocds.package_meta(uri, published), "records": records}


def iter_records(session: Session, *, ocids: Sequence[str] | None = None, batch: int = 200) -> Iterator[dict[str, Any]]:
    """Every record (or those of ``ocids``) as a dict, read as ``iter_record_texts`` reads them (memory flat)."""
    for text in iter_record_texts(session, ocids=ocids, batch=batch):
        yield json.loads(text)


def _record_texts(session: Session, ocids: list[str]) -> Iterator[str]:
    """The records of ``ocids`` as canonical JSON text (see ``_assemble``); an ocid without a stored compiled release
    is merged here."""
    rows = session.execute(
        select(OpenRelease.ocid, OpenRelease.data)
        .where(OpenRelease.ocid.in_(ocids))
        .order_by(OpenRelease.ocid, OpenRelease.date, OpenRelease.id)
    )
    grouped = _grouped(ocids, rows)
    compiled = compiled_of(session, ocids)
    for ocid in ocids:
        yield _assemble(ocid, grouped[ocid], compiled.get(ocid))


def _grouped(ocids: Sequence[str], rows: Iterable[Any]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {o: [] for o in ocids}
    for ocid, data in rows:
        texts = grouped.get(ocid)
        if texts is not None:
            texts.append(data)
    return grouped


def _assemble(ocid: str, texts: list[str], merged: str | None) -> str:
    """The record as text from the stored JSON of its releases and compiled release, without parsing them (both are
    stored in the canonical form ``ocds.dumps`` writes: sorted keys, no spaces, so the text is byte for byte
    ``ocds.dumps`` of the record)."""
    if merged is None:
        merged = ocds.dumps(compile_releases([json.loads(t) for t in texts]))
    name = json.dumps(ocid, ensure_ascii=False)
    return f'{{"compiledRelease":{merged},"ocid":{name},"releases":[{",".join(texts)}]}}'


def iter_record_texts(session: Session, *, ocids: Sequence[str] | None = None, batch: int = 200) -> Iterator[str]:
    """Every record (or those of ``ocids``) as canonical JSON text, a batch of ocids at a time (memory flat).

    The whole set reads each batch with two range scans on ``ocid`` (the next compiled releases after the last ocid,
    then the releases between the batch's first and last ocid) rather than a list of ocids: a long ``IN`` list is
    estimated from the table's statistics, and without them (right after a bulk load) PostgreSQL reads the whole
    release table once per batch, whereas a range on an indexed column is read through the index either way."""
    if ocids is not None:
        for start in range(0, len(ocids), batch):
            yield from _record_texts(session, list(ocids[start : start + batch]))
        return
    after: str | None = None
    while True:
        stmt = select(OpenRecord.ocid, OpenRecord.compiled).order_by(OpenRecord.ocid).limit(batch)
        if after is not None:
            stmt = stmt.where(OpenRecord.ocid > after)
        chunk = session.execute(stmt).all()
        if not chunk:
            return
        first, after = chunk[0][0], chunk[-1][0]
        rows = session.execute(
            select(OpenRelease.ocid, OpenRelease.data)
            .where(OpenRelease.ocid >= first, OpenRelease.ocid <= after)
            .order_by(OpenRelease.ocid, OpenRelease.date, OpenRelease.id)
        )
        grouped = _grouped([ocid for ocid, _ in chunk], rows)
        for ocid, merged in chunk:
            yield _assemble(ocid, grouped[ocid], merged)
