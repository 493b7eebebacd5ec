"""Open-data pages: 数据开放 (the datasets for people — what, how often, licence, sizes, examples — and how to
reach them), the API documentation (the public OpenAPI document rendered by the vendored Redoc), and the Atom
feed of releases (built by ``channels.feeds`` like every other feed). Thin: reading is in ``opendata.reading`` and
``opendata.exports``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.channels import feeds
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.published import Category, PublishedItem
from sunshine.opendata import exports, ocds, stages
from sunshine.opendata.models import OpenRelease
from sunshine.trading.models import Project
from sunshine.web.templating import render, templates

router = APIRouter(include_in_schema=False)
PUBLIC = Depends(Access.public())

TAG_LABELS = {
    "tender": "招标（采购）公告",
    "tenderAmendment": "更正",
    "tenderUpdate": "澄清、开标记录",
    "tenderCancellation": "流标、终止",
    "award": "中标（成交）结果",
    "contract": "合同",
    "implementation": "履约",
}
STAGE_TITLES = {s.name: s.title for s in stages.STAGES}
# The CSP of the API documentation page: Redoc (vendored, served from /static) writes its styles into <style>
# elements and runs its search in a worker it makes from a blob; nothing is loaded from elsewhere.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@router.get("/opendata", response_class=HTMLResponse)
def opendata(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    latest = exports.latest(session)
    example = session.scalar(select(OpenRelease).order_by(OpenRelease.id.desc()).limit(1))
    counts = dict(session.execute(select(OpenRelease.stage, func.count()).group_by(OpenRelease.stage)).all())
    return render(
        request,
        "opendata.html",
        page_title="数据开放",
        dumps=latest,
        labels=exports.DATASET_LABELS,
        size=_size,
        stages=stages.STAGES,
        tag_labels=TAG_LABELS,
        prefix=ocds.prefix(),
        default_prefix=ocds.prefix() == "ocds-sunshn",
        licence=request.app.state.settings.opendata_licence,
        example=example,
        counts=counts,
    )


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request, _: Principal = PUBLIC) -> Response:
    response = templates.TemplateResponse(request, "opendata_api_docs.html", {"request": request})
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


def release_items(session: Session, limit: int = feeds.FEED_SIZE) -> list[PublishedItem]:
    rows = session.execute(
        select(OpenRelease, Project.name, Project.region_code)
        .join(Project, OpenRelease.project_id == Project.id)
        .order_by(OpenRelease.id.desc())
        .limit(limit)
    ).all()
    out = []
    for row, name, region in rows:
        label = TAG_LABELS.get(row.tag, row.tag)
        out.append(
            PublishedItem(
                key=f"ocds:{row.release_id}",
                title=f"{name}：{STAGE_TITLES.get(row.stage, label)}",
                link=f"/api/v1/opendata/releases/{row.release_id}",
                published_at=row.created_at,
                categories=(Category(f"ocds.{row.tag}", label, "OCDS 发布标签"),),
                region_code=region,
                project_code=row.ocid.removeprefix(f"{ocds.prefix()}-"),
                summary=f"OCDS 发布 {row.release_id}（{row.tag}），ocid {row.ocid}，SHA-256 {row.sha256}",
                source="opendata",
            )
        )
    return out


@router.get("/opendata/releases.atom")
def releases_atom(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    spec = feeds.FeedSpec(
        f"{request.app.state.settings.site_name} · 开放数据（OCDS 发布）",
        "每个已公开的交易阶段的 OCDS 发布，最新在前",
        "/opendata/releases",
        "/opendata",
    )
    body = feeds.render_feed(
        spec,
        release_items(session),
        fmt="atom",
        base_url=str(request.base_url),
        author=request.app.state.settings.centre_name,
    )
    return Response(
        body,
        media_type=feeds.MEDIA_TYPES["atom"],
        headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
    )
