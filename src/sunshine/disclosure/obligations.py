"""Disclosure obligations (公开义务): every lifecycle event that must be disclosed declares what it owes with
``owe``; each catalog item bound to the event becomes an obligation due by the item's time limit, counted by
the rule pack and the working-day calendar (tracked, so a calendar change moves it). Publishing meets it; the
tick marks what is overdue and raises an alert for the responsible body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.disclosure.models import CatalogCategory, CatalogItem, Obligation
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.pack_format import DAY_UNITS
from sunshine.rules.registry import registry

if TYPE_CHECKING:
    from sunshine.trading.models import Project

OVERDUE_ALERT = "disclosure_overdue"
ALERT_SUBJECT = "disclosure-obligation"
#: Who watches overdue disclosure: the staff who may open the disclosure workbench.
ALERT_AUDIENCE = ("admin", "centre_staff", "disclosure_office", "supervisor")


@dataclass(frozen=True)
class AppliedLimit:
    rule: rules.ResolvedRule
    ref: str  # pack@version/rule


def time_limit(session: Session, item: CatalogItem, event_date: date, project: Project | None = None) -> AppliedLimit:
    """The rule that fixes the item's due date. For a trading project the project's own rule snapshot wins when
    the referenced pack is the project's pack, or a pack of the same transaction type whose rule the snapshot
    also has (a competitive-negotiation project follows its own ``result_notice_within``); otherwise the
    referenced pack in force on the event date."""
    pack_key, _, rule_id = item.time_limit_ref.partition("/")
    if project is not None:
        from sunshine.rules.service import rules_of

        snapshot = rules_of(project)
        same_type = registry().versions(pack_key)[0].transaction_type == project.transaction_type
        if (snapshot.key == pack_key or same_type) and snapshot.has(rule_id):
            return AppliedLimit(snapshot.rule(rule_id), f"{snapshot.key}@{snapshot.version}/{rule_id}")
    pack = rules.resolve(session, pack_key, event_date)
    return AppliedLimit(pack.rule(rule_id), f"{pack.key}@{pack.version}/{rule_id}")


def items_for(session: Session, trigger: str, project: Project | None = None) -> list[CatalogItem]:
    """The catalog items bound to ``trigger`` that apply to ``project`` (its transaction type and method, and
    the item's condition); without a project, every item bound to the trigger."""
    rows = session.execute(
        select(CatalogItem, CatalogCategory)
        .join(CatalogCategory, CatalogItem.category_id == CatalogCategory.id)
        .where(CatalogItem.trigger == trigger)
        .order_by(CatalogItem.sort_order)
    ).all()
    if project is None:
        return [item for item, _ in rows]
    tops = {c.id: c for c in session.scalars(select(CatalogCategory).where(CatalogCategory.level == 1))}
    out = []
    for item, scope in rows:
        top = tops.get(scope.parent_id) if scope.parent_id else scope
        if top is not None and top.transaction_type not in (None, project.transaction_type):
            continue
        if item.methods and project.method not in item.methods:
            continue
        if item.condition == "public_project" and project.public_since is None:
            continue
        out.append(item)
    return out


def owe(
    session: Session,
    *,
    trigger: str,
    subject: str,
    title: str,
    responsible_org_id: int | None,
    event_date: date,
    project: Project | None = None,
) -> list[Obligation]:
    """Declare what an event owes: one obligation per catalog item bound to ``trigger``, each due by its time
    limit counted from ``event_date`` (provisional where the calendar is). Inside the caller's transaction."""
    created = []
    for item in items_for(session, trigger, project):
        created.append(_create(session, item, trigger, subject, title, responsible_org_id, event_date, project))
    return created


def _create(
    session: Session,
    item: CatalogItem,
    trigger: str,
    subject: str,
    title: str,
    responsible_org_id: int | None,
    event_date: date,
    project: Project | None,
) -> Obligation:
    applied = time_limit(session, item, event_date, project)
    deadline = calendar.track(
        session,
        subject=subject[:200],
        purpose=f"公开：{item.name}"[:200],
        start=event_date,
        days=int(applied.rule.value),
        unit=DAY_UNITS[applied.rule.unit],  # type: ignore[arg-type]
        rule_ref=applied.ref,
    )
    now = clock.now()
    obligation = Obligation(
        item_id=item.id,
        trigger=trigger,
        subject=subject[:200],
        title=title[:300],
        project_id=project.id if project is not None else None,
        responsible_org_id=responsible_org_id,
        event_date=event_date,
        rule_ref=applied.ref,
        deadline_id=deadline.id,
        status="open",
        created_at=now,
        ledger_seq=-1,
    )
    session.add(obligation)
    session.flush()
    entry = ledger.append(
        session,
        "disclosure:obligation:created",
        f"disclosure-obligation:{obligation.id}",
        {
            "item": item.code,
            "trigger": trigger,
            "subject": obligation.subject,
            "title": obligation.title,
            "event_date": event_date.isoformat(),
            "due": deadline.due.isoformat(),
            "provisional": deadline.provisional,
            "rule": applied.ref,
            "responsible": responsible_org_id,
        },
    )
    obligation.ledger_seq = entry.seq
    session.flush()
    return obligation


def declare(
    session: Session,
    actor: Principal,
    *,
    item_code: str,
    title: str,
    event_date: date,
    responsible_org_id: int | None = None,
    subject: str | None = None,
) -> Obligation:
    """Staff declare an obligation outside the trading lifecycle (the centre's own affairs, a policy, a penalty):
    the information was formed or changed on ``event_date``."""
    from sunshine.disclosure.catalog_service import get_item

    item = get_item(session, item_code)
    title = " ".join((title or "").split())
    if not 2 <= len(title) <= 300:
        raise InvalidInput("标题应为 2 至 300 个字符", field="title")
    if event_date > clock.today_local():
        raise InvalidInput("信息形成或变更日期不能晚于今天", field="event_date")
    if responsible_org_id is not None and session.get(Organisation, responsible_org_id) is None:
        raise InvalidInput("公开主体机构不存在", field="responsible_org_id")
    return _create(
        session,
        item,
        item.trigger or f"item.{item.code}",
        subject or f"disclosure-item:{item.code}",
        title,
        responsible_org_id if responsible_org_id is not None else actor.organisation_id,
        event_date,
        None,
    )


# --------------------------------------------------------------------------- meeting and overdue


def meet(session: Session, obligation: Obligation, *, publication_id: int) -> Obligation:
    """A publication met the obligation now; on time if published (local date) on or before the due date."""
    if obligation.status == "met":
        raise Conflict("该公开义务已履行")
    today = clock.today_local()
    due = obligation.due
    obligation.status = "met"
    obligation.met_at = clock.now()
    obligation.met_on = today
    obligation.late = today > due
    obligation.delay_days = calendar.load(session).working_days_between(due, today) if obligation.late else 0
    calendar.close(session, obligation.deadline_id)
    alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=obligation.id)
    session.flush()
    ledger.append(
        session,
        "disclosure:obligation:met",
        f"disclosure-obligation:{obligation.id}",
        {
            "publication": publication_id,
            "met_on": today.isoformat(),
            "due": due.isoformat(),
            "late": obligation.late,
            "delay_working_days": obligation.delay_days,
        },
    )
    return obligation


def open_for(session: Session, *, subject: str, trigger: str) -> list[Obligation]:
    stmt = (
        select(Obligation)
        .where(Obligation.subject == subject, Obligation.trigger == trigger, Obligation.status != "met")
        .order_by(Obligation.id)
    )
    return list(session.scalars(stmt))


def mark_overdue(session: Session) -> list[int]:
    """The tick's part (idempotent): unmet obligations whose due date has passed by the server clock become
    overdue, each with one alert for its responsible body; a calendar change that moved the due date back into
    the future reopens them. Returns the ids newly marked overdue."""
    today = clock.today_local()
    newly = []
    rows = session.scalars(
        select(Obligation)
        .join(TrackedDeadline, Obligation.deadline_id == TrackedDeadline.id)
        .where(Obligation.status.in_(("open", "overdue")))
        .options(selectinload(Obligation.item))
    ).all()
    alerted = alerts.raised_subjects(session, kind=OVERDUE_ALERT, subject_kind=ALERT_SUBJECT)
    for obligation in rows:
        past = today > obligation.due
        if obligation.status == "overdue" and not past:
            obligation.status = "open"
            continue
        if obligation.status == "open" and past:
            obligation.status = "overdue"
            newly.append(obligation.id)
            ledger.append(
                session,
                "disclosure:obligation:overdue",
                f"disclosure-obligation:{obligation.id}",
                {"due": obligation.due.isoformat(), "marked_on": today.isoformat()},
            )
        if past and obligation.id not in alerted:
            alerts.raise_once(
                session,
                key=f"{OVERDUE_ALERT}:{ALERT_SUBJECT}:{obligation.id}",
                domain="disclosure",
                kind=OVERDUE_ALERT,
                subject_kind=ALERT_SUBJECT,
                subject_id=obligation.id,
                organisation_id=obligation.responsible_org_id,
                audience=ALERT_AUDIENCE,
                deadline_id=obligation.deadline_id,
                message=(
                    f"“{obligation.title}”应于 {obligation.due.isoformat()} 前按“{obligation.item.name}”"
                    f"（{obligation.item.code}）公开，已逾期"
                ),
            )
    session.flush()
    return newly


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ObligationFilter:
    item_code: str | None = None
    organisation_id: int | None = None
    month: str | None = None  # YYYY-MM of the due date
    status: str | None = None  # open | overdue | met | late | on_time
    project_id: int | None = None


def _month_range(month: str) -> tuple[date, date]:
    try:
        year, mon = (int(p) for p in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise InvalidInput("月份应写作 YYYY-MM", field="month") from None
    end = date(year + (mon == 12), mon % 12 + 1, 1)
    return start, end


OBLIGATION_ORDER = Keyset.of("obligations", Key(TrackedDeadline.due), Key(Obligation.id))


def list_obligations(
    session: Session,
    flt: ObligationFilter = ObligationFilter(),
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Obligation]:
    """The obligations ``flt`` selects, the latest due first, one page at a time."""
    stmt = select(Obligation).join(TrackedDeadline, Obligation.deadline_id == TrackedDeadline.id)
    if flt.item_code:
        stmt = stmt.join(CatalogItem, Obligation.item_id == CatalogItem.id).where(CatalogItem.code == flt.item_code)
    if flt.organisation_id is not None:
        stmt = stmt.where(Obligation.responsible_org_id == flt.organisation_id)
    if flt.project_id is not None:
        stmt = stmt.where(Obligation.project_id == flt.project_id)
    if flt.month:
        start, end = _month_range(flt.month)
        stmt = stmt.where(TrackedDeadline.due >= start, TrackedDeadline.due < end)
    if flt.status in ("open", "overdue", "met"):
        stmt = stmt.where(Obligation.status == flt.status)
    elif flt.status == "late":
        stmt = stmt.where(Obligation.status == "met", Obligation.late.is_(True))
    elif flt.status == "on_time":
        stmt = stmt.where(Obligation.status == "met", Obligation.late.is_(False))
    elif flt.status:
        raise InvalidInput("状态应为 open、overdue、met、late 或 on_time", field="status")
    return paginate(
        session, stmt, OBLIGATION_ORDER, cursor=cursor, limit=limit, options=(selectinload(Obligation.item),)
    )


def get_obligation(session: Session, obligation_id: int) -> Obligation:
    row = session.scalar(
        select(Obligation).where(Obligation.id == obligation_id).options(selectinload(Obligation.item))
    )
    if row is None:
        raise NotFound("公开义务不存在")
    return row


def open_alerts(session: Session, limit: int = 200) -> list[alerts.Alert]:
    return alerts.open_in(session, "disclosure", limit=limit)


def alert_page(
    session: Session, *, cursor: str | None = None, limit: int | None = None, count: bool = False
) -> Page[alerts.Alert]:
    """``open_alerts`` one page at a time (``count``: with how many there are, up to the pagination's cap)."""
    return alerts.open_page(session, "disclosure", cursor=cursor, limit=limit, count=count)


def organisation_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))).all())
