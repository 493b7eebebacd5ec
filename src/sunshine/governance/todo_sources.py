"""The to-dos disclosure governance gives on the workbench (``/me``, registry in ``core/todos.py``): the
government affairs office (政务办) re-checks each catalog submitted to it; a department claims the items of an
approved catalog nobody has claimed yet."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import todos
from sunshine.core.auth import Principal
from sunshine.governance import visibility
from sunshine.governance.models import GovCatalog, GovCatalogEntry

LIMIT = 20


def rechecks(session: Session, actor: Principal) -> list[todos.Todo]:
    stmt = (
        select(GovCatalog.id, GovCatalog.name)
        .where(GovCatalog.status == "submitted")
        .order_by(GovCatalog.submitted_at, GovCatalog.id)
        .limit(LIMIT)
    )
    return [
        todos.Todo(f"复核公开事项目录：{name}", f"/staff/governance/catalogs/{cat_id}", "目录复核")
        for cat_id, name in session.execute(stmt)
    ]


def unclaimed(session: Session, actor: Principal) -> list[todos.Todo]:
    stmt = (
        select(GovCatalog.id, GovCatalog.name, GovCatalogEntry.name)
        .join(GovCatalog, GovCatalog.id == GovCatalogEntry.catalog_id)
        .where(
            GovCatalog.status == "approved",
            GovCatalogEntry.claimed_by_org_id.is_(None),
            GovCatalogEntry.disposition != "removed",
        )
        .order_by(GovCatalogEntry.id)
        .limit(LIMIT)
    )
    return [
        todos.Todo(f"认领公开事项“{item}”：{name}", f"/staff/governance/catalogs/{cat_id}", "目录认领")
        for cat_id, name, item in session.execute(stmt)
    ]


def install() -> None:
    for role in visibility.CATALOG_REVIEWERS:
        todos.register(role, rechecks)
    for role in visibility.CATALOG_CLAIMANTS:
        todos.register(role, unclaimed)
