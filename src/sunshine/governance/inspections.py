"""Inspections of what is published (抽样检查、抽点检查、定点检查) by the disclosure office, the government
affairs office or the third-party evaluator: the items inspected (a reproducible random sample of the period's
publications from a recorded seed, chosen publications, or every publication of one catalog item), findings on
accuracy, completeness or timeliness with a correction deadline (rule ``inspection_correction_within``), each
tracked to closure by the responsible department — a correction after the deadline counted late — and the
inspection with its findings and corrections published once closed."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.disclosure.models import CatalogItem, Obligation, Publication
from sunshine.governance import common
from sunshine.governance.models import GovFinding, GovInspectedItem, GovInspection
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

CORRECTION_RULE = "inspection_correction_within"
ALERT_SUBJECT = "governance-finding"
ALERT_KIND = "correction_overdue"
MAX_SAMPLE = 200


def get(session: Session, inspection_id: int) -> GovInspection:
    found = session.get(GovInspection, inspection_id)
    if found is None:
        raise NotFound("检查不存在")
    return found


def get_public(session: Session, inspection_id: int) -> GovInspection:
    found = get(session, inspection_id)
    if not found.published:
        raise NotFound("检查不存在")
    return found


def inspector_role(actor: Principal) -> str:
    for role in (Role.EVALUATOR, Role.GOVERNMENT_AFFAIRS, Role.DISCLOSURE_OFFICE):
        if actor.has(role):
            return role.value
    raise Forbidden("检查须由政务公开办、政务办或第三方评估机构开展")


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = get_settings().tz
    return datetime.combine(first, time(0), tzinfo=tz), datetime.combine(last, time(23, 59, 59), tzinfo=tz)


def _population(
    session: Session, first: date, last: date, item_code: str | None = None
) -> list[tuple[int, int | None]]:
    """(publication id, responsible department) of every publication published in the period."""
    start, end = _bounds(first, last)
    stmt = (
        select(Publication.id, Obligation.responsible_org_id)
        .outerjoin(Obligation, Publication.obligation_id == Obligation.id)
        .where(Publication.status == "published", Publication.published_at >= start, Publication.published_at <= end)
        .order_by(Publication.id)
    )
    if item_code is not None:
        stmt = stmt.join(CatalogItem, Publication.item_id == CatalogItem.id).where(CatalogItem.code == item_code)
    return [(pid, org) for pid, org in session.execute(stmt)]


def start(
    session: Session,
    actor: Principal,
    *,
    method: str,
    title: str,
    scope: str,
    period_from: date,
    period_to: date,
    sample_size: int | None = None,
    publication_ids: list[int] | None = None,
    item_code: str | None = None,
) -> GovInspection:
    """开展检查: 抽样 draws ``sample_size`` of the period's publications from a recorded seed; 抽点 takes the chosen
    publications; 定点 takes every publication of one catalog item in the period."""
    common.choice(method, common.METHODS, "method", "检查方式")
    today = clock.today_local()
    if period_from > period_to or period_to > today:
        raise InvalidInput("检查期间应为今天以前的一段日期，起日不晚于止日", field="period_from")
    population = _population(session, period_from, period_to, item_code if method == "fixed" else None)
    seed = None
    if method == "sampling":
        if sample_size is None or not 1 <= sample_size <= MAX_SAMPLE:
            raise InvalidInput(f"抽样数量应为 1 至 {MAX_SAMPLE}", field="sample_size")
        seed = hashlib.sha256(f"{clock.now().isoformat()}:{len(population)}".encode()).hexdigest()
        chosen = sample(population, sample_size, seed)
    elif method == "spot":
        wanted = set(publication_ids or [])
        if not wanted:
            raise InvalidInput("抽点检查请选择要检查的公开信息", field="publication_ids")
        chosen = [p for p in population if p[0] in wanted]
        if len(chosen) != len(wanted):
            raise InvalidInput("所选公开信息不在检查期间内发布，或不存在", field="publication_ids")
    else:
        if not item_code:
            raise InvalidInput("定点检查请选择公开事项", field="item_code")
        chosen = population
    if not chosen:
        raise InvalidInput("检查期间没有可检查的公开信息", field="period_from")
    row = GovInspection(
        code=common.code(session, "JC", today),
        method=method,
        inspector_role=inspector_role(actor),
        inspector_org_id=actor.organisation_id,
        title=common.line(title, "title", "检查名称", low=4),
        scope=common.text(scope, "scope", "检查范围和方法", high=5000),
        sample_seed=seed,
        sample_size=len(chosen),
        period_from=period_from,
        period_to=period_to,
        inspected_on=today,
        status="open",
        published=False,
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    for pid, org in chosen:
        session.add(GovInspectedItem(inspection_id=row.id, publication_id=pid, department_org_id=org, checked=False))
    session.flush()
    return row


def sample(population: list[tuple[int, int | None]], size: int, seed: str) -> list[tuple[int, int | None]]:
    """The sample a seed draws from a population in id order: anyone with the seed draws the same."""
    if size >= len(population):
        return list(population)
    return sorted(random.Random(seed).sample(population, size))


def items_of(session: Session, inspection_id: int) -> list[GovInspectedItem]:
    stmt = select(GovInspectedItem).where(GovInspectedItem.inspection_id == inspection_id).order_by(GovInspectedItem.id)
    return list(session.scalars(stmt))


def findings_of(session: Session, inspection_id: int) -> list[GovFinding]:
    return list(
        session.scalars(select(GovFinding).where(GovFinding.inspection_id == inspection_id).order_by(GovFinding.id))
    )


def _own(row: GovInspection, actor: Principal) -> None:
    if row.status != "open":
        raise Conflict("检查已完成")
    if row.inspector_role != inspector_role(actor):
        raise Forbidden("只有开展该检查的机构可以登记检查结果")


def check(session: Session, actor: Principal, item_id: int) -> GovInspectedItem:
    """An inspected item found in order on every aspect (or after its findings were recorded)."""
    item = session.get(GovInspectedItem, item_id)
    if item is None:
        raise NotFound("检查样本不存在")
    _own(get(session, item.inspection_id), actor)
    item.checked = True
    session.flush()
    return item


def find(session: Session, actor: Principal, item_id: int, *, aspect: str, description: str) -> GovFinding:
    """检查发现: a problem on one aspect of an inspected item, to be corrected within the rule's limit."""
    item = session.get(GovInspectedItem, item_id)
    if item is None:
        raise NotFound("检查样本不存在")
    inspection = get(session, item.inspection_id)
    _own(inspection, actor)
    common.choice(aspect, common.ASPECTS, "aspect", "检查内容")
    today = clock.today_local()
    lim = common.limit(session, CORRECTION_RULE, today)
    finding = GovFinding(
        inspection_id=inspection.id,
        inspected_item_id=item.id,
        publication_id=item.publication_id,
        department_org_id=item.department_org_id,
        aspect=aspect,
        description=common.text(description, "description", "问题描述", low=4, high=5000),
        found_on=today,
        limit_days=lim.days,
        rule_ref=lim.ref,
        due=common.due(session, today, lim),
        status="open",
    )
    item.checked = True
    session.add(finding)
    session.flush()
    return finding


def correct(session: Session, actor: Principal, finding_id: int, *, correction: str) -> GovFinding:
    """整改: the responsible department (or the disclosure office for a body with no account) reports the
    correction; late when after the deadline."""
    finding = session.get(GovFinding, finding_id)
    if finding is None:
        raise NotFound("检查发现不存在")
    if finding.status != "open":
        raise Conflict("该问题已整改")
    own = finding.department_org_id is not None and finding.department_org_id == actor.organisation_id
    if not (own or actor.has(Role.DISCLOSURE_OFFICE)):
        raise Forbidden("只有责任部门可以报告整改情况")
    today = clock.today_local()
    finding.correction = common.text(correction, "correction", "整改情况", low=4, high=5000)
    finding.corrected_on, finding.corrected_by, finding.status = today, actor.user_id, "corrected"
    finding.late, finding.delay_days = common.lateness(session, finding.due, today)
    alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=finding.id)
    session.flush()
    return finding


def close(session: Session, actor: Principal, inspection_id: int, *, publish: bool) -> GovInspection:
    """检查完成: every item checked; published (with its findings and their corrections) when chosen."""
    row = get(session, inspection_id)
    _own(row, actor)
    pending = [i for i in items_of(session, row.id) if not i.checked]
    if pending:
        raise Conflict(f"尚有 {len(pending)} 条样本未检查")
    findings = findings_of(session, row.id)
    row.status, row.published = "closed", bool(publish)
    entry = ledger.append(
        session,
        "governance:inspection:closed",
        f"inspection:{row.code}",
        {
            "method": row.method,
            "inspector": row.inspector_role,
            "seed": row.sample_seed,
            "items": [i.publication_id for i in items_of(session, row.id)],
            "findings": {a: sum(f.aspect == a for f in findings) for a in common.ASPECTS},
            "published": row.published,
        },
    )
    row.ledger_seq = entry.seq
    session.flush()
    return row


def publish(session: Session, actor: Principal, inspection_id: int) -> GovInspection:
    row = get(session, inspection_id)
    if row.status != "closed":
        raise Conflict("检查完成后方可公布")
    row.published = True
    session.flush()
    return row


def mark_overdue(session: Session, today: date | None = None) -> list[int]:
    """The tick: one alert for each open finding past its correction deadline."""
    today = today or clock.today_local()
    raised = []
    for f in session.scalars(select(GovFinding).where(GovFinding.status == "open", GovFinding.due < today)):
        if alerts.raise_once(
            session,
            key=f"{ALERT_KIND}:{f.id}",
            domain="governance",
            kind=ALERT_KIND,
            subject_kind=ALERT_SUBJECT,
            subject_id=f.id,
            message=f"政务公开检查发现的问题（{common.ASPECTS[f.aspect]}）已超过整改期限 {f.due.isoformat()}，尚未整改",
            audience=[Role.DISCLOSURE_OFFICE, Role.GOVERNMENT_AFFAIRS],
            organisation_id=f.department_org_id,
            due=f.due,
        ):
            raised.append(f.id)
    return raised


LIST_ORDER = Keyset.of("gov-inspections", GovInspection.inspected_on, GovInspection.id)
FINDING_ORDER = Keyset.of("gov-findings", Key(GovFinding.due, False), Key(GovFinding.id, False))


def listing(
    session: Session, *, public: bool, cursor: str | None = None, limit: int | None = None
) -> Page[GovInspection]:
    stmt = select(GovInspection)
    if public:
        stmt = stmt.where(GovInspection.published.is_(True))
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)


def findings_for(
    session: Session,
    *,
    department_org_id: int | None = None,
    open_only: bool = False,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[GovFinding]:
    """Findings, the nearest correction deadline first, one page at a time."""
    stmt = select(GovFinding)
    if department_org_id is not None:
        stmt = stmt.where(GovFinding.department_org_id == department_org_id)
    if open_only:
        stmt = stmt.where(GovFinding.status == "open")
    return paginate(session, stmt, FINDING_ORDER, cursor=cursor, limit=limit)
