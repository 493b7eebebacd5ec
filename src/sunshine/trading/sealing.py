"""Notices as sealable documents (seals registry): a published notice is sealed by a signer of the agency the
tenderer appointed, or of the tenderer itself where there is none (《福建省省级政府采购货物和服务招标项目实施指引》:
招标的书面文件、通知等应以采购代理机构名义并加盖公章发出). Its canonical rendering is the notice as published —
title, project, version, publication time, the sanitised body and each attachment's SHA-256 — all from rows that
are never rewritten (a correction is a new notice)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.models import Organisation
from sunshine.ledger import format as fmt
from sunshine.seals import registry
from sunshine.trading import notice_kinds, notice_reading
from sunshine.trading.models import Notice, NoticeAttachment, Project


def issuer_of(project: Project) -> int:
    return project.agency_id if project.agency_id is not None else project.tenderer_id


def render_notice(session: Session, notice_id: int) -> registry.Rendered:
    notice = session.get(Notice, notice_id)
    project = session.get(Project, notice.project_id) if notice is not None else None
    if notice is None or project is None:
        raise NotFound("公告不存在")
    issuer = session.get(Organisation, issuer_of(project))
    files = session.scalars(
        select(NoticeAttachment).where(NoticeAttachment.notice_id == notice.id).order_by(NoticeAttachment.id)
    )
    return registry.Rendered(
        kind="notice",
        document_id=notice.id,
        title=notice.title,
        number=f"{project.code}-{notice.series_id or notice.id}-{notice.version}",
        issuer_id=issuer.id,
        issuer_name=issuer.name,
        issuer_credit_code=issuer.credit_code,
        issued_at=fmt.iso_utc(notice.published_at),
        body=notice.body_html,
        extra=(
            ("project", f"{project.code} {project.name}"),
            ("notice_kind", notice_kinds.kind_label(notice.kind)),
            ("version", str(notice.version)),
            *(("attachment", f"{a.sha256} {a.size} {a.filename}") for a in files),
        ),
    )


def may_read_notice(session: Session, principal: Principal, notice_id: int) -> bool:
    try:
        notice_reading.get_visible(session, principal, notice_id)
    except NotFound:
        return False
    return True


def install() -> None:
    registry.register(
        registry.DocumentKind(
            "notice",
            "交易公告",
            render_notice,
            may_read_notice,
            page=lambda session, notice_id: f"/notices/{notice_id}",
        )
    )
