"""The opening record (开标记录) as a sealable document, issued by the trading centre: once the opening ends its
record is kept as canonical JSON (``opening_record.record_step``) and never rewritten; that JSON is the body
of its canonical rendering. Anyone may read a published record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.bidding.models import OpeningSession
from sunshine.core.auth import Principal
from sunshine.core.errors import NotFound
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.ledger import format as fmt
from sunshine.seals import registry
from sunshine.trading.models import Project


def centre(session: Session) -> Organisation:
    org = session.scalar(
        select(Organisation).where(Organisation.kind == OrganisationKind.CENTRE.value).order_by(Organisation.id)
    )
    if org is None:
        raise NotFound("平台尚未登记交易中心")
    return org


def render_record(session: Session, opening_id: int) -> registry.Rendered:
    opening = session.get(OpeningSession, opening_id)
    if opening is None or opening.record_json is None or opening.published_at is None:
        raise NotFound("开标记录不存在或尚未公布")
    project = session.get(Project, opening.project_id)
    issuer = centre(session)
    return registry.Rendered(
        kind="opening_record",
        document_id=opening.id,
        title=f"{project.name}开标记录",
        number=f"{project.code}-开标记录",
        issuer_id=issuer.id,
        issuer_name=issuer.name,
        issuer_credit_code=issuer.credit_code,
        issued_at=fmt.iso_utc(opening.published_at),
        body=opening.record_json,
        media_type="application/json",
        extra=(("project", f"{project.code} {project.name}"),),
    )


def may_read_record(session: Session, principal: Principal, opening_id: int) -> bool:
    opening = session.get(OpeningSession, opening_id)
    return opening is not None and opening.record_json is not None


def install() -> None:
    from sunshine.bidding import archive
    from sunshine.trading import records

    records.record_source("bidding", "投标文件与开标记录", archive.contribution)  # the project record (archives)
    registry.register(
        registry.DocumentKind(
            "opening_record",
            "开标记录",
            render_record,
            may_read_record,
            page=lambda session, opening_id: _page(session, opening_id),
        )
    )


def _page(session: Session, opening_id: int) -> str | None:
    opening = session.get(OpeningSession, opening_id)
    return f"/projects/{opening.project_id}/opening" if opening is not None else None
