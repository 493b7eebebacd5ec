"""The public open-data API (``/api/v1/opendata``): OCDS release and record packages page by page (keyset
cursors, ``links.next``), one release, one record, the bulk downloads with their hashes and ledger entries, and our
extension's files. Anyone may read, from any site (CORS for GET); every answer carries an ``ETag`` (the SHA-256 of
its body) and ``Last-Modified``, and a request with a matching ``If-None-Match`` is answered 304 without a body.
Thin: reading is in ``opendata.reading`` and ``opendata.exports``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.filestore import LocalFileStore, file_store
from sunshine.core.inputs import IsoDateTime
from sunshine.core.pagination import CURSOR, LIMIT
from sunshine.opendata import exports, reading
from sunshine.opendata.openapi import public_document
from sunshine.opendata.schema import FOLDER
from sunshine.opendata.schemas import DumpOut

router = APIRouter(prefix="/api/v1/opendata", tags=["数据开放"])
PUBLIC = Depends(Access.public())
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Length",
}
OCDS_JSON = "application/json"
Tag = Literal["tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "award", "contract", "implementation"]
Ocid = Annotated[str, Path(min_length=6, max_length=80, pattern=r"^ocds-[a-z0-9]{6}-[A-Za-z0-9\-]+$")]
ReleaseId = Annotated[str, Path(min_length=6, max_length=120, pattern=r"^ocds-[a-z0-9]{6}-[A-Za-z0-9\-]+$")]
Filename = Annotated[str, Path(max_length=120, pattern=r"^[a-z]+-(full|\d{4}-\d{2}-\d{2})\.(jsonl\.gz|csv|xlsx)$")]


def _http_date(value: datetime | None) -> str:
    return format_datetime((value or clock.now()).astimezone(clock.now().tzinfo), usegmt=True)


def conditional(request: Request, body: bytes, modified: datetime | None, media_type: str = OCDS_JSON) -> Response:
    """``body`` with its ETag and Last-Modified, or 304 when the client already has it."""
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    headers = {**CORS, "ETag": etag, "Last-Modified": _http_date(modified), "Cache-Control": "public, max-age=60"}
    wanted = request.headers.get("if-none-match")
    if wanted and (wanted.strip() == "*" or etag in [t.strip().removeprefix("W/") for t in wanted.split(",")]):
        return Response(status_code=304, headers=headers)
    since = request.headers.get("if-modified-since")
    if not wanted and since and modified is not None:
        try:
            if modified.replace(microsecond=0) <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=headers)
        except (TypeError, ValueError):
            pass
    return Response(body, media_type=media_type, headers=headers)


def _json(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _next(request: Request, cursor: str | None) -> dict[str, Any]:
    return {"links": {"next": str(request.url.include_query_params(cursor=cursor))}} if cursor else {}


@router.get("/releases", summary="OCDS 发布包：全部发布（按进入开放数据的顺序，游标翻页）")
def releases(
    request: Request,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
    ocid: Annotated[str | None, Query(max_length=80, description="只看该 ocid 的发布")] = None,
    tag: Annotated[Tag | None, Query(description="发布标签（releaseTag 代码表）")] = None,
    since: Annotated[IsoDateTime | None, Query(description="只看此时刻以后进入开放数据的发布（ISO 8601）")] = None,
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
) -> Response:
    page = reading.list_releases(session, ocid=ocid, tag=tag, since=since, cursor=cursor, limit=limit)
    docs = [json.loads(r.data) for r in page.items]
    modified = max((r.created_at for r in page.items), default=reading.last_modified(session))
    package = reading.release_package(str(request.url), docs, modified or clock.now())
    return conditional(request, _json({**package, **_next(request, page.next_cursor)}), modified)


@router.get("/releases/{release_id}", summary="OCDS 发布包：一个发布")
def release(request: Request, release_id: ReleaseId, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    row = reading.get_release(session, release_id)
    package = reading.release_package(str(request.url), [json.loads(row.data)], row.created_at)
    return conditional(request, _json(package), row.created_at)


@router.get("/records", summary="OCDS 记录包：每个 ocid 的全部发布与汇编发布（compiledRelease，游标翻页）")
def records(
    request: Request,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
) -> Response:
    page = reading.list_ocids(session, cursor=cursor, limit=limit)
    grouped = reading.releases_of(session, page.items)
    compiled = reading.compiled_of(session, page.items)
    out = [reading.record(ocid, grouped[ocid], compiled.get(ocid)) for ocid in page.items]
    modified = max((r.created_at for rows in grouped.values() for r in rows), default=None)
    package = reading.record_package(str(request.url), out, modified or clock.now())
    return conditional(request, _json({**package, **_next(request, page.next_cursor)}), modified)


@router.get("/records/{ocid}", summary="OCDS 记录包：一个 ocid 的记录")
def record(request: Request, ocid: Ocid, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    doc, rows = reading.get_record(session, ocid)
    modified = max(r.created_at for r in rows)
    return conditional(request, _json(reading.record_package(str(request.url), [doc], modified)), modified)


@router.get("/downloads", response_model=list[DumpOut], summary="批量下载文件（含 SHA-256 与留痕记录）")
def downloads(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    latest = exports.latest(session)
    rows = [DumpOut.of(d).model_dump(mode="json") for d in latest]
    modified = max((d.created_at for d in latest), default=None)
    return conditional(request, _json(rows), modified)


@router.get("/downloads/{filename}", summary="下载批量文件（JSON Lines gzip、CSV、xlsx）", response_class=FileResponse)
def download(request: Request, filename: Filename, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    dump = exports.get_dump(session, filename)
    etag = f'"{dump.sha256}"'
    headers = {
        **CORS,
        "ETag": etag,
        "Last-Modified": _http_date(dump.created_at),
        "Digest": f"sha-256={dump.sha256}",
        "X-Ledger-Seq": str(dump.ledger_seq),
    }
    if request.headers.get("if-none-match", "").strip() == etag:
        return Response(status_code=304, headers=headers)
    store = file_store()
    media = {"jsonl.gz": "application/gzip", "csv": "text/csv; charset=utf-8"}.get(
        dump.fmt, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    if isinstance(store, LocalFileStore):
        return FileResponse(store.path_for(dump.sha256), media_type=media, filename=dump.filename, headers=headers)
    headers["Content-Length"] = str(store.size(dump.sha256))
    headers["Content-Disposition"] = f'attachment; filename="{dump.filename}"'
    return StreamingResponse(_chunks(store.reader(dump.sha256)), media_type=media, headers=headers)


def _chunks(source) -> Iterator[bytes]:  # noqa: ANN001 - a binary stream of the file store
    """An object-store download passed on in 64 KiB pieces (a dump can be hundreds of MB)."""
    with closing(source):
        while chunk := source.read(1 << 16):
            yield chunk


@router.get("/extension/{name}", summary="本平台的 OCDS 扩展（extension.json、release-schema.json）")
def extension(
    request: Request, name: Annotated[str, Path(pattern=r"^(extension|release-schema)\.json$")], _: Principal = PUBLIC
) -> Response:
    body = (FOLDER / "sunshine" / name).read_bytes()
    return conditional(request, body, None)


@router.get("/openapi.json", summary="公开接口的 OpenAPI 文档（不含需登录的接口）")
def public_openapi(request: Request, _: Principal = PUBLIC) -> Response:
    """Built once per application (like ``app.openapi()`` it derives from, whose routes do not change while it
    runs): selecting the public operations walks every route, and the document is copied and serialised."""
    app = request.app
    full = app.openapi()
    cached = getattr(app.state, "public_openapi", None)
    if cached is None or cached[0] is not full:  # built again if the full document ever is
        cached = app.state.public_openapi = (full, _json(public_document(app)))
    return conditional(request, cached[1], None)
