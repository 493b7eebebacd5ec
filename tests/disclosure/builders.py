"""Builders for disclosure tests: the catalog loaded through the service, disclosure-office and centre staff,
drafts written and submitted through the pipeline, and obligations declared as staff would. Keyword defaults;
each builder runs in its own unit of work, as a request would."""

from __future__ import annotations

from datetime import date, datetime

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.disclosure import catalog_service, obligations, publications
from sunshine.identity.roles import Role
from tests.trading.builders import SHANGHAI, actor

ID_BODY = "11010519491231002"  # + check character "X": a valid resident identity number (GB 11643)
ID_NUMBER = ID_BODY + "X"


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A wall-clock time in Beijing."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def load_catalog(db: Database) -> catalog_service.LoadReport:
    with db.unit_of_work() as s:
        return catalog_service.load_catalog(s)


def office(db: Database, username: str | None = None, organisation_id: int | None = None) -> Principal:
    return actor(db, Role.DISCLOSURE_OFFICE, username=username, organisation_id=organisation_id)


def centre_staff(db: Database, username: str | None = None, organisation_id: int | None = None) -> Principal:
    return actor(db, Role.CENTRE_STAFF, username=username, organisation_id=organisation_id)


def declare(
    db: Database,
    who: Principal,
    *,
    item_code: str = "ZX.FW.01",
    title: str = "交易中心办事指南（2026年修订）",
    event_date: date | None = None,
    organisation_id: int | None = None,
) -> int:
    with db.unit_of_work() as s:
        return obligations.declare(
            s,
            who,
            item_code=item_code,
            title=title,
            event_date=event_date or clock.today_local(),
            responsible_org_id=organisation_id,
        ).id


def draft(
    db: Database,
    author: Principal,
    *,
    item_code: str | None = "ZX.FW.01",
    obligation_id: int | None = None,
    title: str = "交易中心办事指南",
    body: str = "一、服务事项：进场登记。\n\n二、办理时限：2个工作日。",
    submit: bool = True,
) -> int:
    with db.unit_of_work() as s:
        return publications.create_draft(
            s,
            author,
            title=title,
            body=body,
            item_code=None if obligation_id is not None else item_code,
            obligation_id=obligation_id,
            submit=submit,
        ).id


def approve(db: Database, reviewer: Principal, publication_id: int) -> None:
    with db.unit_of_work() as s:
        publications.approve(s, reviewer, publication_id)


def publish(db: Database, author: Principal, reviewer: Principal, **kwargs) -> int:
    """A text drafted by ``author`` and approved by ``reviewer``: published."""
    publication_id = draft(db, author, **kwargs)
    approve(db, reviewer, publication_id)
    return publication_id
