"""Local catalogs (本地公开事项目录): derived from the higher-level standard catalog (the disclosure package's
公开事项目录) — each item kept, adapted with a reason, or marked not applicable with a reason, and local items
added with a reason; submitted to and re-checked by the higher office (政务办: 复核通过 or 退回修改 with a note);
once approved each department claims (领取) the items it is responsible for, and the office flags the items no
department has claimed (one shared alert each, handled when claimed)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.disclosure import catalog_service
from sunshine.governance import common
from sunshine.governance.models import GovCatalog, GovCatalogEntry
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

ALERT_SUBJECT = "governance-catalog-entry"
ALERT_KIND = "catalog_unclaimed"
REGION = re.compile(r"^\d{6}$")
LOCAL_CODE = re.compile(r"^[A-Z]{2}(\.[A-Z0-9]{2,4}){1,3}$")


def get(session: Session, catalog_id: int) -> GovCatalog:
    found = session.get(GovCatalog, catalog_id)
    if found is None:
        raise NotFound("本地目录不存在")
    return found


def get_public(session: Session, catalog_id: int) -> GovCatalog:
    found = get(session, catalog_id)
    if found.status != "approved":
        raise NotFound("本地目录不存在")
    return found


def entries_of(session: Session, catalog_id: int) -> list[GovCatalogEntry]:
    stmt = select(GovCatalogEntry).where(GovCatalogEntry.catalog_id == catalog_id).order_by(GovCatalogEntry.code)
    return list(session.scalars(stmt))


def entry(session: Session, entry_id: int) -> GovCatalogEntry:
    found = session.get(GovCatalogEntry, entry_id)
    if found is None:
        raise NotFound("目录事项不存在")
    return found


def derive(session: Session, actor: Principal, *, name: str, region_code: str, scope: str) -> GovCatalog:
    """编制: every standard item of ``scope`` (an area code such as ``ZX``, or ``ALL``) copied as kept."""
    if not REGION.match(region_code or ""):
        raise InvalidInput("行政区划代码应为6位数字", field="region_code")
    scope = (scope or "").strip().upper()
    items = [i for i in catalog_service.all_items(session) if scope == "ALL" or i.code.split(".")[0] == scope]
    if not items:
        raise InvalidInput("标准目录中没有该范围的事项（请先加载标准目录，或选择其他范围）", field="scope")
    catalog = GovCatalog(
        name=common.line(name, "name", "目录名称", low=4),
        region_code=region_code,
        scope=scope,
        status="draft",
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(catalog)
    session.flush()
    for item in items:
        session.add(
            GovCatalogEntry(
                catalog_id=catalog.id,
                code=item.code,
                base_code=item.code,
                disposition="kept",
                name=item.name,
                content=item.content,
                legal_basis=item.legal_basis,
            )
        )
    session.flush()
    return catalog


def _editable(catalog: GovCatalog) -> None:
    if catalog.status not in ("draft", "returned"):
        raise Conflict("目录已报送或已复核通过，不能修改")


def adapt(
    session: Session,
    actor: Principal,
    entry_id: int,
    *,
    disposition: str,
    reason: str,
    name: str | None = None,
    content: str | None = None,
) -> GovCatalogEntry:
    """调整 (new name or content) or 不适用 (removed) an item derived from the standard, always with a reason."""
    row = entry(session, entry_id)
    _editable(get(session, row.catalog_id))
    if row.base_code is None:
        raise Conflict("本地新增的事项请直接修改或删除")
    if disposition not in ("adapted", "removed", "kept"):
        raise InvalidInput("处理方式应为：保留、调整、不适用", field="disposition")
    if disposition == "kept":
        base = catalog_service.get_item(session, row.base_code)
        row.name, row.content, row.reason, row.disposition = base.name, base.content, None, "kept"
    else:
        row.reason = common.text(reason, "reason", "调整理由", low=4, high=2000)
        if disposition == "adapted":
            row.name = common.line(name or row.name, "name", "事项名称")
            row.content = common.text(content or row.content, "content", "公开内容", high=5000)
        row.disposition = disposition
    session.flush()
    return row


def add(
    session: Session,
    actor: Principal,
    catalog_id: int,
    *,
    code: str,
    name: str,
    content: str,
    legal_basis: str,
    reason: str,
) -> GovCatalogEntry:
    """新增 a local item the standard does not have, with its basis and the reason."""
    catalog = get(session, catalog_id)
    _editable(catalog)
    code = (code or "").strip().upper()
    if not LOCAL_CODE.match(code):
        raise InvalidInput("事项编码格式如 ZX.JD.11 或 ZX.BD.01", field="code")
    if session.scalar(
        select(GovCatalogEntry.id).where(GovCatalogEntry.catalog_id == catalog.id, GovCatalogEntry.code == code)
    ):
        raise Conflict("目录中已有该编码的事项", field="code")
    row = GovCatalogEntry(
        catalog_id=catalog.id,
        code=code,
        base_code=None,
        disposition="added",
        name=common.line(name, "name", "事项名称"),
        content=common.text(content, "content", "公开内容", high=5000),
        legal_basis=common.text(legal_basis, "legal_basis", "公开依据", high=2000),
        reason=common.text(reason, "reason", "新增理由", low=4, high=2000),
    )
    session.add(row)
    session.flush()
    return row


def submit(session: Session, actor: Principal, catalog_id: int) -> GovCatalog:
    """报送复核."""
    catalog = get(session, catalog_id)
    _editable(catalog)
    catalog.status, catalog.submitted_at = "submitted", clock.now()
    session.flush()
    return catalog


def review(session: Session, actor: Principal, catalog_id: int, *, approve: bool, note: str) -> GovCatalog:
    """复核 by the higher office: approved (published, ledger with the entries' dispositions) or returned."""
    catalog = get(session, catalog_id)
    if catalog.status != "submitted":
        raise Conflict("只有已报送的目录可以复核")
    catalog.review_note = common.text(note, "note", "复核意见", high=5000)
    catalog.reviewed_by, catalog.reviewed_at = actor.user_id, clock.now()
    if not approve:
        catalog.status = "returned"
        session.flush()
        return catalog
    catalog.status = "approved"
    rows = entries_of(session, catalog.id)
    counts = {d: sum(r.disposition == d for r in rows) for d in common.DISPOSITIONS}
    entry_ = ledger.append(
        session,
        "governance:catalog:approved",
        f"gov-catalog:{catalog.id}",
        {"name": catalog.name, "region": catalog.region_code, "entries": counts, "by": actor.user_id},
    )
    catalog.approved_seq = entry_.seq
    session.flush()
    return catalog


def claim(session: Session, actor: Principal, entry_id: int) -> GovCatalogEntry:
    """领取: the actor's department takes responsibility for the item (once the catalog is approved)."""
    row = entry(session, entry_id)
    catalog = get(session, row.catalog_id)
    if catalog.status != "approved":
        raise Conflict("目录复核通过后方可领取事项")
    if row.disposition == "removed":
        raise Conflict("不适用的事项无须领取")
    if actor.organisation_id is None:
        raise Forbidden("请以所属部门的账号领取事项")
    if row.claimed_by_org_id is not None:
        raise Conflict(
            "该事项已由其他部门领取" if row.claimed_by_org_id != actor.organisation_id else "本部门已领取该事项"
        )
    row.claimed_by_org_id, row.claimed_by, row.claimed_at = actor.organisation_id, actor.user_id, clock.now()
    alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=row.id)
    session.flush()
    return row


def unclaimed(session: Session, catalog_id: int) -> list[GovCatalogEntry]:
    return [r for r in entries_of(session, catalog_id) if r.claimed_by_org_id is None and r.disposition != "removed"]


def flag_unclaimed(session: Session, actor: Principal | None, catalog_id: int) -> list[GovCatalogEntry]:
    """清点: one alert for each item of an approved catalog no department has claimed."""
    catalog = get(session, catalog_id)
    if catalog.status != "approved":
        raise Conflict("目录复核通过后方可清点未领取事项")
    flagged = []
    for row in unclaimed(session, catalog.id):
        alerts.raise_once(
            session,
            key=f"{ALERT_KIND}:{row.id}",
            domain="governance",
            kind=ALERT_KIND,
            subject_kind=ALERT_SUBJECT,
            subject_id=row.id,
            message=f"《{catalog.name}》事项 {row.code} {row.name} 尚无部门领取",
            audience=[Role.DISCLOSURE_OFFICE, Role.GOVERNMENT_AFFAIRS],
        )
        flagged.append(row)
    return flagged


def flagged_ids(session: Session, catalog_id: int) -> set[int]:
    ids = [r.id for r in entries_of(session, catalog_id)]
    found = alerts.for_subjects(session, ALERT_SUBJECT, ids)
    return {i for i, items in found.items() if any(a.resolved_at is None for a in items)}


LIST_ORDER = Keyset.of("gov-catalogs", GovCatalog.created_at, GovCatalog.id)


def listing(session: Session, *, public: bool, cursor: str | None = None, limit: int | None = None) -> Page[GovCatalog]:
    stmt = select(GovCatalog)
    if public:
        stmt = stmt.where(GovCatalog.status == "approved")
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)
