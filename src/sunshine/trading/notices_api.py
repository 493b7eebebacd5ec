"""JSON routes of notices (公告): publishing a first notice and its clarifications, amendments and
opening-time changes (multipart forms, so attachments travel with them), the public list and detail
with the whole series, and attachment downloads. Thin: every rule is in ``trading.notices``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.config import get_settings
from sunshine.core import content
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, IsoDateTime
from sunshine.core.pagination import CURSOR, LIMIT, MAX_LIMIT
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle, notice_kinds, notice_reading, notices
from sunshine.trading.labels import TRANSACTION_TYPES, type_label
from sunshine.trading.models import Notice, NoticeAttachment, Project

router = APIRouter(prefix="/api/v1", tags=["公告"])
PUBLIC = Depends(Access.public())
PUBLISHERS = Depends(Access(Role.AGENCY, Role.TENDERER))

DATETIME_HELP = "ISO 8601；不带时区的时间按北京时间（Asia/Shanghai）理解"


class AttachmentOut(BaseModel):
    filename: str
    content_type: str
    size: int
    sha256: str
    download_url: str


class NoticeSummary(BaseModel):
    id: int
    kind: str
    kind_label: str
    title: str
    version: int
    series_id: int | None
    project_id: int
    project_code: str
    project_name: str
    transaction_type: str
    transaction_type_label: str
    published_at: datetime
    affects_bids: bool
    docs_price: Decimal | None = None  # 招标文件售价（元）
    new_bid_deadline: datetime | None
    new_opening_at: datetime | None
    ledger_seq: int
    proof_url: str
    url: str


class ProjectDates(BaseModel):
    id: int
    code: str
    name: str
    state: str
    state_label: str
    docs_issued_at: datetime | None
    docs_sale_end: datetime | None
    bid_deadline: datetime | None
    opening_at: datetime | None


class NoticeDetail(NoticeSummary):
    body_html: str
    attachments: list[AttachmentOut]
    project: ProjectDates
    series: list[NoticeSummary]


class NoticeList(BaseModel):
    items: list[NoticeSummary]
    next_cursor: str | None = Field(description="下一页的翻页参数（cursor），最后一页为空")
    total: int = Field(description="条数；超过 1000 条时为 1000，且 total_exact 为 false")
    total_exact: bool
    page: int
    page_size: int
    pages: int | None


def attachment_out(a: NoticeAttachment) -> AttachmentOut:
    return AttachmentOut(
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        download_url=f"/api/v1/files/{a.sha256}",
    )


def summary(n: Notice, p: Project) -> NoticeSummary:
    return NoticeSummary(
        id=n.id,
        kind=n.kind,
        kind_label=notice_kinds.kind_label(n.kind),
        title=n.title,
        version=n.version,
        series_id=n.series_id,
        project_id=p.id,
        project_code=p.code,
        project_name=p.name,
        transaction_type=p.transaction_type,
        transaction_type_label=type_label(p.transaction_type),
        docs_price=n.docs_price,
        published_at=n.published_at,
        affects_bids=n.affects_bids,
        new_bid_deadline=n.new_bid_deadline,
        new_opening_at=n.new_opening_at,
        ledger_seq=n.ledger_seq,
        proof_url=f"/api/v1/ledger/entries/{n.ledger_seq}/proof",
        url=f"/api/v1/notices/{n.id}",
    )


def detail(session: Session, n: Notice, p: Project) -> NoticeDetail:
    versions = notice_reading.series(session, n)
    return NoticeDetail(
        **summary(n, p).model_dump(),
        body_html=n.body_html,
        attachments=[attachment_out(a) for a in n.attachments],
        project=ProjectDates(
            id=p.id,
            code=p.code,
            name=p.name,
            state=p.state,
            state_label=lifecycle.state_label(p, p.state),
            docs_issued_at=p.docs_issued_at,
            docs_sale_end=p.docs_sale_end,
            bid_deadline=p.bid_deadline,
            opening_at=p.opening_at,
        ),
        series=[summary(v, p) for v in versions],
    )


async def uploads(files: list[UploadFile]) -> list[content.Upload]:
    """Read each file, stopping one byte past the limit (the service says what is too large)."""
    limit = get_settings().max_attachment_bytes
    out = []
    for f in files:
        if not f.filename and not f.size:
            continue  # an empty file input of a form
        out.append(content.Upload(filename=f.filename or "", data=await f.read(limit + 1), content_type=f.content_type))
    return out


@router.post(
    "/projects/{project_id}/notices",
    response_model=NoticeDetail,
    status_code=201,
    summary="发布首次公告（multipart/form-data：字段 + 附件 attachments，可多个；时间为 ISO 8601，不带时区按北京时间）",
)
async def publish(
    project_id: Id,
    bid_deadline: Annotated[IsoDateTime, Form(description="截止时间；" + DATETIME_HELP)],
    kind: str = Form(
        ...,
        max_length=40,
        description="tender | prequalification | procurement | single_source | "
        "listing | auction | draw（按项目交易方式）",
    ),
    title: str = Form(..., max_length=300),
    body_html: str = Form(..., max_length=content.MAX_BODY_CHARS, description="正文（富文本，发布时净化）"),
    docs_issued_at: IsoDateTime | None = Form(
        None, description="文件发出（发售开始）时间，缺省为发布时；" + DATETIME_HELP
    ),
    docs_sale_end: IsoDateTime | None = Form(None, description="文件发售截止时间；" + DATETIME_HELP),
    opening_at: IsoDateTime | None = Form(None, description="开标时间；招标项目缺省且须等于截止时间"),
    docs_price: Annotated[
        Decimal | None, Form(ge=0, lt=1000000, decimal_places=2, description="招标文件售价（元）")
    ] = None,
    attachments: list[UploadFile] = File(
        default_factory=list, description="附件：PDF、Word、Excel、ZIP、JPG、PNG、TXT"
    ),
    session: Session = SessionDep,
    actor: Principal = PUBLISHERS,
) -> NoticeDetail:
    files = await uploads(attachments)  # on the event loop; the database in a worker thread

    def publish_it() -> NoticeDetail:
        notice = notices.publish_first_notice(
            session,
            actor,
            project_id,
            kind=kind,
            title=title,
            body_html=body_html,
            bid_deadline=bid_deadline,
            docs_issued_at=docs_issued_at,
            docs_sale_end=docs_sale_end,
            opening_at=opening_at,
            attachments=files,
            docs_price=docs_price,
        )
        return detail(session, *notice_reading.get_visible(session, actor, notice.id))

    return await run_in_threadpool(publish_it)


@router.post(
    "/projects/{project_id}/notices/{notice_id}/amendments",
    response_model=NoticeDetail,
    status_code=201,
    summary="发布澄清/更正公告或开标时间变更公告（multipart/form-data；成为该公告系列的新版本，原版本保留）",
)
async def amend(
    project_id: Id,
    notice_id: Id,
    kind: str = Form(..., max_length=40, description="clarification | amendment | opening_change"),
    title: str = Form(..., max_length=300),
    body_html: str = Form(..., max_length=content.MAX_BODY_CHARS),
    affects_bids: bool = Form(False, description="是否影响投标文件编制"),
    new_bid_deadline: IsoDateTime | None = Form(None, description="顺延后的截止时间；" + DATETIME_HELP),
    new_opening_at: IsoDateTime | None = Form(None, description="新的开标时间；" + DATETIME_HELP),
    attachments: list[UploadFile] = File(default_factory=list),
    session: Session = SessionDep,
    actor: Principal = PUBLISHERS,
) -> NoticeDetail:
    files = await uploads(attachments)  # on the event loop; the database in a worker thread

    def amend_it() -> NoticeDetail:
        notice = notices.publish_amendment(
            session,
            actor,
            project_id,
            notice_id,
            kind=kind,
            title=title,
            body_html=body_html,
            affects_bids=affects_bids,
            new_bid_deadline=new_bid_deadline,
            new_opening_at=new_opening_at,
            attachments=files,
        )
        return detail(session, *notice_reading.get_visible(session, actor, notice.id))

    return await run_in_threadpool(amend_it)


@router.get("/notices", response_model=NoticeList, summary="公告列表（已发布，最新在前）")
def list_notices(
    kind: str | None = Query(None, max_length=40, description="公告类型，如 tender、amendment"),
    transaction_type: str | None = Query(None, max_length=30, description="交易类型：" + "、".join(TRANSACTION_TYPES)),
    q: str | None = Query(None, max_length=100, description="标题包含"),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    page_size: int | None = Query(None, ge=1, le=MAX_LIMIT, deprecated=True, description="同 limit（旧名）"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> NoticeList:
    result = notice_reading.list_public(
        session, kind=kind, transaction_type=transaction_type, q=q, cursor=cursor, limit=limit or page_size
    )
    return NoticeList(
        items=[summary(n, p) for n, p in result.items],
        next_cursor=result.next_cursor,
        total=result.total or 0,
        total_exact=result.total_exact,
        page=result.number,
        page_size=result.limit,
        pages=result.pages,
    )


@router.get(
    "/notices/{notice_id}",
    response_model=NoticeDetail,
    summary="公告详情（含同一系列的全部版本，最新在前，及留痕证明）",
)
def get_notice(notice_id: Id, session: Session = SessionDep, actor: Principal = PUBLIC) -> NoticeDetail:
    return detail(session, *notice_reading.get_visible(session, actor, notice_id))


@router.get(
    "/files/{sha256}",
    summary="下载公告附件（按 SHA-256）",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download(sha256: str, session: Session = SessionDep, actor: Principal = PUBLIC) -> Response:
    attachment = notice_reading.attachment_for_download(session, actor, sha256)
    data = notice_reading.read_file(attachment.sha256)
    return Response(
        content=data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(attachment.filename)}",
            "X-Content-SHA256": attachment.sha256,
            "Cache-Control": "public, max-age=31536000, immutable",
        },
    )
