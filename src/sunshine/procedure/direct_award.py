"""依法不招标（直接发包）: an engineering project the law allows to award without tender is applied for with its
statutory case (招标投标法 第六十六条, 条例 第九条, ``REASONS``), classified by the catalogue like any project
(it must fall under an entry: the direct award is not a way around the catalogue), approved or refused by the
supervisory department (行政监督部门), and on approval disclosed through the disclosure pipeline (公开事项目录
GC.XM.02, trigger ``engineering.direct_award``). Never commits."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine import disclosure
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import yuan
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.procedure import notify
from sunshine.procedure.catalogue import NotInCatalogue, catalogue
from sunshine.procedure.models import DirectAward
from sunshine.trading import visibility as trading_visibility

TRIGGER = "engineering.direct_award"
STATES = {"submitted": "待行政监督部门审批", "approved": "已批准并公开", "refused": "不予批准"}

# The statutory cases in which an engineering project need not be tendered, with their basis.
REASONS: dict[str, tuple[str, str]] = {
    "state_security": ("涉及国家安全、国家秘密", "《中华人民共和国招标投标法》第六十六条"),
    "emergency": ("抢险救灾", "《中华人民共和国招标投标法》第六十六条"),
    "poverty_relief": (
        "利用扶贫资金实行以工代赈、需要使用农民工等特殊情况",
        "《中华人民共和国招标投标法》第六十六条",
    ),
    "patent": ("需要采用不可替代的专利或者专有技术", "《中华人民共和国招标投标法实施条例》第九条第一款第（一）项"),
    "self_supply": (
        "采购人依法能够自行建设、生产或者提供",
        "《中华人民共和国招标投标法实施条例》第九条第一款第（二）项",
    ),
    "concession": (
        "已通过招标方式选定的特许经营项目投资人依法能够自行建设、生产或者提供",
        "《中华人民共和国招标投标法实施条例》第九条第一款第（三）项",
    ),
    "original_contractor": (
        "需要向原中标人采购工程、货物或者服务，否则将影响施工或者功能配套要求",
        "《中华人民共和国招标投标法实施条例》第九条第一款第（四）项",
    ),
}


def reason_label(code: str) -> str:
    return REASONS[code][0] if code in REASONS else code


def may_read(actor: Principal, row: DirectAward) -> bool:
    """The applicant, the department and the centre; the public reads the approved award's publication."""
    if actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF}:
        return True
    return trading_visibility.is_party_to(actor, row.tenderer_id, None)


def apply_for(
    session: Session,
    actor: Principal,
    *,
    name: str,
    tenderer_id: int,
    budget: Decimal,
    funding_source: str,
    region_code: str,
    reason: str,
    explanation: str,
    contractor: str,
) -> DirectAward:
    tenderer = session.get(Organisation, tenderer_id)
    kinds = {OrganisationKind.PURCHASER.value, OrganisationKind.ENTERPRISE.value, OrganisationKind.DEPARTMENT.value}
    if tenderer is None or tenderer.kind not in kinds:
        raise InvalidInput("招标人不存在或类别不符", field="tenderer_id")
    if not trading_visibility.is_party_to(actor, tenderer_id, None):
        raise Forbidden("只有招标人本单位可以申请依法不招标")
    if reason not in REASONS:
        raise InvalidInput("请从法定情形中选择不招标的理由", field="reason")
    entry = catalogue().classify("engineering", funding_source, budget)
    if entry is None:
        raise NotInCatalogue("该工程不在公共资源交易目录内，无须申请依法不招标", field="budget")
    row = DirectAward(
        name=name.strip(),
        tenderer_id=tenderer_id,
        budget=budget,
        funding_source=funding_source.strip(),
        region_code=region_code,
        catalogue_code=entry.code,
        reason=reason,
        explanation=explanation.strip(),
        contractor=contractor.strip(),
        state="submitted",
        applied_by=actor.user_id,
        applied_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "procedure:direct-award:submitted",
        f"direct-award:{row.id}",
        {"name": row.name, "catalogue_code": row.catalogue_code, "budget": str(row.budget), "reason": reason},
    )
    return row


def get_readable(session: Session, actor: Principal, award_id: int) -> DirectAward:
    row = session.get(DirectAward, award_id)
    if row is None or not may_read(actor, row):
        raise NotFound("不招标申请不存在")
    return row


def _body(row: DirectAward, tenderer: str) -> str:
    label, basis = REASONS[row.reason]
    lines = [
        ("项目名称", row.name),
        ("交易目录编码", row.catalogue_code),
        ("招标人", tenderer),
        ("估算价", yuan(row.budget)),
        ("资金来源", row.funding_source),
        ("不招标的法定情形", f"{label}（{basis}）"),
        ("情况说明", row.explanation),
        ("承包人", row.contractor),
        ("批准意见", row.decision or ""),
    ]
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in lines) + "</dl>"


def decide(session: Session, actor: Principal, award_id: int, *, approve: bool, decision: str) -> DirectAward:
    """The supervisory department approves (the award is disclosed at once) or refuses with its reason."""
    if not actor.has(Role.SUPERVISOR):
        raise Forbidden("依法不招标由行政监督部门审批")
    row = get_readable(session, actor, award_id)
    if row.state != "submitted":
        raise Conflict(f"该申请{STATES[row.state]}，不能再次审批")
    row.state = "approved" if approve else "refused"
    row.decided_by = actor.user_id
    row.decided_at = clock.now()
    row.decision = decision.strip()
    subject = f"direct-award:{row.id}"
    ledger.append(
        session, f"procedure:direct-award:{row.state}", subject, {"decision": row.decision, "reason": row.reason}
    )
    if approve:
        tenderer = session.get(Organisation, row.tenderer_id)
        title = f"{row.name}依法不招标（直接发包）批准信息"
        disclosure.owe(
            session,
            trigger=TRIGGER,
            subject=subject,
            title=title,
            responsible_org_id=tenderer.id if tenderer else None,
            event_date=clock.today_local(),
        )
        disclosure.publish_from_step(
            session,
            trigger=TRIGGER,
            subject=subject,
            title=title,
            body_html=_body(row, tenderer.name if tenderer else ""),
            source_ref=subject,
            author_id=actor.user_id,
        )
    verdict = "批准" if approve else "不予批准"
    notify.decision(
        session,
        organisation_id=row.tenderer_id,
        user_id=row.applied_by,
        subject=f"依法不招标申请{verdict}：{row.name}",
        body=(
            f"你单位提出的“{row.name}”依法不招标（直接发包给{row.contractor}）申请（第{row.id}号），"
            f"行政监督部门决定：{verdict}。\n"
            + (f"批准意见：{row.decision}\n批准信息已依法公开。" if approve else f"不予批准的理由：{row.decision}")
        ),
        link=f"/procedure/direct-awards/{row.id}",
    )
    return row


LIST_ORDER = Keyset.of("direct-awards", DirectAward.id)


def listing(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[DirectAward]:
    """The applications ``actor`` may read, newest first, one page at a time."""
    stmt = select(DirectAward)
    if not actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF}:
        if actor.organisation_id is None:
            return Page([], None, bounded_limit(limit))
        stmt = stmt.where(DirectAward.tenderer_id == actor.organisation_id)
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)
