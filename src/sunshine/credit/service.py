"""Credit records (信用记录): the supervisory department records administrative penalties (行政处罚), handling
decisions, bad and good conduct and commendations (表彰) about organisations, experts and persons, each with the
deciding department, the decision number and its legal basis, in the ledger in the caller's transaction. A
penalty about an organisation is published at once through whatever publisher the layers above registered
(the disclosure pipeline: within 7 working days of the decision), for the period ``method.yaml`` gives, and taken
down by the tick at its end; a record can be revoked, corrected or repaired (信用修复) with its reason, which takes
its publication down at once. Bans live in ``bans.py`` and are re-exported here for the callers that check them.
Never commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.credit import hooks
from sunshine.credit import method as methods
from sunshine.credit.bans import (  # noqa: F401  (the check other domains call)
    Banned,
    Scope,
    all_ban_page,
    ban_page,
    banned_experts,
    bans_against,
    bans_in_force,
    check_expert_not_banned,
    check_not_banned,
    create_ban,
    lift_ban,
    region_prefix,
    scope_label,
)
from sunshine.credit.common import KINDS, POLARITY, REVOCATIONS, WRITERS, add_months, organisation, writer
from sunshine.credit.models import CreditRecord
from sunshine.credit.schemas import BanIn, RecordIn, RevokeIn  # noqa: F401  (BanIn: the callers build bans)
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger

__all__ = ["KINDS", "POLARITY", "REVOCATIONS", "WRITERS"]

#: The transaction types whose penalties the 公开事项目录 has an item for (监督管理: 行政处罚决定).
PUBLISHED_TYPES = ("engineering", "gov_procurement", "land", "mining")


def publication_period(row: CreditRecord, ban_ends_on: date | None = None) -> date:
    """The last day a record stays published: 6 months from the decision for a bad record (longer when the ban
    behind it lasts longer — 违法行为记录公告暂行办法 第九条), the platform's period for a good one."""
    pub = methods.document().publication
    months = pub.record_months if row.polarity == "bad" else pub.good_months
    until = add_months(row.decided_on, months)
    if ban_ends_on is not None and ban_ends_on > until:
        until = ban_ends_on
    return until


def _polarity(body: RecordIn) -> str:
    fixed = KINDS[body.kind][1]
    if fixed is not None:
        if body.polarity is not None and body.polarity != fixed:
            raise InvalidInput(f"“{KINDS[body.kind][0]}”只能是{POLARITY[fixed]}", field="polarity")
        return fixed
    if body.polarity is None:
        raise InvalidInput("请选择良好或不良行为记录", field="polarity")
    return body.polarity


def _subject(session: Session, body: RecordIn) -> None:
    if body.subject_type == "organisation":
        organisation(session, body.organisation_id)
        if body.person_name or body.person_id_number or body.expert_id:
            raise InvalidInput("关于单位的记录不填写个人信息", field="person_name")
    elif body.subject_type == "expert":
        if body.expert_id is None or hooks.label_of_expert(session, body.expert_id) is None:
            raise InvalidInput("评标专家不存在", field="expert_id")
        if body.published:
            raise InvalidInput("关于评标专家的记录不向社会公示其个人信息", field="published")
    else:
        if not (body.person_name or "").strip():
            raise InvalidInput("关于个人的记录须填写姓名", field="person_name")
        if body.published:
            raise InvalidInput("关于个人的记录不公示（个人信息不公开）", field="published")
        if body.organisation_id is not None:
            organisation(session, body.organisation_id)


def create_record(session: Session, actor: Principal, body: RecordIn) -> CreditRecord:
    writer(actor)
    polarity = _polarity(body)
    _subject(session, body)
    if body.effective_until is not None and body.effective_until < body.effective_from:
        raise InvalidInput("有效期截止日不能早于起始日", field="effective_until")
    if body.decided_on > clock.today_local():
        raise InvalidInput("认定日期不能晚于今天", field="decided_on")
    if body.transaction_type is not None and body.transaction_type not in TRANSACTION_TYPES:
        raise InvalidInput("交易类型不正确", field="transaction_type")
    published = body.published
    if body.kind in ("penalty", "handling"):
        for name, text in (("department", "作出决定的机关"), ("decision_no", "决定文号")):
            if not (getattr(body, name) or "").strip():
                raise InvalidInput(f"{KINDS[body.kind][0]}须填写{text}", field=name)
    if body.kind == "penalty" and body.subject_type == "organisation":
        if body.transaction_type not in PUBLISHED_TYPES:
            names = "、".join(TRANSACTION_TYPES[t] for t in PUBLISHED_TYPES)
            raise InvalidInput(
                f"行政处罚须选择所涉交易类型（{names}），以便按公开事项目录公开", field="transaction_type"
            )
        published = True  # 行政处罚 are published (政府信息公开; seed 001: within 7 working days)
    data = body.model_dump(exclude={"polarity", "published"})
    row = CreditRecord(
        **data, polarity=polarity, published=published, created_by=actor.user_id, created_at=clock.now(), ledger_seq=0
    )
    if published:
        row.publish_until = publication_period(row)
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "credit:record:created",
        f"credit-record:{row.id}",
        {  # a record about a person or an expert enters the public log without the person's data
            "polarity": row.polarity,
            "kind": row.kind,
            "organisation": row.organisation_id if row.subject_type == "organisation" else None,
            "subject_type": row.subject_type,
            "source": row.source if row.published else None,
            "decision_no": row.decision_no if row.published else None,
            "decided_on": row.decided_on.isoformat(),
            "effective_from": row.effective_from.isoformat(),
            "effective_until": row.effective_until.isoformat() if row.effective_until else None,
            "published": row.published,
            "publish_until": row.publish_until.isoformat() if row.publish_until else None,
        },
    )
    row.ledger_seq = entry.seq
    if row.published:
        row.publication_ref = hooks.publish(session, row, actor)
    return row


def revoke_record(session: Session, actor: Principal, record_id: int, body: RevokeIn) -> CreditRecord:
    """撤销 / 更正 / 信用修复: the record stays in the file with the reason; it no longer counts or shows, and its
    publication is taken down at once with the reason on the tombstone."""
    writer(actor)
    row = session.get(CreditRecord, record_id, with_for_update=True)
    if row is None:
        raise NotFound("信用记录不存在")
    if row.revoked_at is not None:
        raise Conflict("该记录已撤销或修复")
    if body.kind == "repaired":
        repair = methods.document().repair
        if row.polarity != "bad":
            raise InvalidInput("信用修复只适用于不良行为记录", field="kind")
        earliest = add_months(row.decided_on, repair.minimum_months)
        if clock.today_local() < earliest:
            raise Conflict(
                f"不良记录公示满{repair.minimum_months}个月（{earliest.isoformat()}起）方可修复；{repair.basis}"
            )
    row.revoked_at, row.revoked_by = clock.now(), actor.user_id
    row.revocation_kind, row.revocation_reason = body.kind, body.reason.strip()
    ledger.append(
        session,
        "credit:record:revoked",
        f"credit-record:{row.id}",
        {"kind": body.kind, "by": actor.user_id, "created_seq": row.ledger_seq},
    )
    if row.publication_ref and row.taken_down_at is None:
        hooks.take_down(session, row, f"{REVOCATIONS[body.kind]}：{row.revocation_reason}")
        row.taken_down_at = clock.now()
    session.flush()
    return row


def take_down_due(session: Session, on: date | None = None) -> list[int]:
    """The tick's part: published records whose period ended before ``on`` leave the channels (a tombstone keeps
    the title, the dates and the reason); the record stays and remains in the supervisory department's file."""
    on = on or clock.today_local()
    rows = session.scalars(
        select(CreditRecord)
        .where(
            CreditRecord.publication_ref.is_not(None),
            CreditRecord.taken_down_at.is_(None),
            CreditRecord.publish_until < on,
        )
        .order_by(CreditRecord.id)
        .with_for_update()
    ).all()
    pub = methods.document().publication
    for row in rows:
        hooks.take_down(
            session, row, f"公示期满（{row.publish_until.isoformat()}），依{pub.record_months_basis.split('：')[0]}撤下"
        )
        row.taken_down_at = clock.now()
        ledger.append(session, "credit:record:taken-down", f"credit-record:{row.id}", {"until": str(row.publish_until)})
    return [r.id for r in rows]


# --------------------------------------------------------------------------- reading


def _active(on: date):
    return (
        CreditRecord.revoked_at.is_(None)
        & (CreditRecord.effective_from <= on)
        & or_(CreditRecord.effective_until.is_(None), CreditRecord.effective_until >= on)
    )


def _published(today: date):
    return (
        select(CreditRecord, Organisation)
        .join(Organisation, Organisation.id == CreditRecord.organisation_id)
        .where(
            CreditRecord.published.is_(True),
            CreditRecord.subject_type == "organisation",
            CreditRecord.revoked_at.is_(None),
            CreditRecord.taken_down_at.is_(None),
            CreditRecord.decided_on <= today,
            or_(CreditRecord.publish_until.is_(None), CreditRecord.publish_until >= today),
        )
    )


def published_records(session: Session, organisation_id: int) -> list[tuple[CreditRecord, Organisation]]:
    """One organisation's records published and still within their publication period, not revoked, newest
    first (the credit lookup's profile)."""
    stmt = _published(clock.today_local()).where(CreditRecord.organisation_id == organisation_id)
    stmt = stmt.order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
    return [(r, o) for r, o in session.execute(stmt).all()]


PUBLISHED_ORDER = Keyset.of("credit-published", CreditRecord.decided_on, CreditRecord.id)


def published_page(
    session: Session, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[CreditRecord, Organisation]]:
    """The public list of records about organisations within their publication period, newest decision first,
    one page at a time."""
    return paginate(session, _published(clock.today_local()), PUBLISHED_ORDER, cursor=cursor, limit=limit)


RECORD_ORDER = Keyset.of("credit-records", CreditRecord.id)


def record_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[CreditRecord, str | None]]:
    """Every record with its personal data, newest first, one page at a time: the supervisory department only."""
    writer(actor)
    stmt = select(CreditRecord, Organisation.name).outerjoin(
        Organisation, Organisation.id == CreditRecord.organisation_id
    )
    return paginate(session, stmt, RECORD_ORDER, cursor=cursor, limit=limit)


def get_record(session: Session, actor: Principal, record_id: int) -> tuple[CreditRecord, str | None]:
    writer(actor)
    row = session.get(CreditRecord, record_id)
    if row is None:
        raise NotFound("信用记录不存在")
    org = session.get(Organisation, row.organisation_id) if row.organisation_id else None
    return row, org.name if org else None


def organisation_records(session: Session, organisation_id: int) -> list[CreditRecord]:
    """An organisation's records as the officials of a project it takes part in may read them (the tenderer's
    re-check of its candidates before the award): records about the organisation, in effect today or ended, good
    and bad, newest first, not revoked, without the personal data of records about people."""
    stmt = (
        select(CreditRecord)
        .where(
            CreditRecord.organisation_id == organisation_id,
            CreditRecord.subject_type == "organisation",
            CreditRecord.revoked_at.is_(None),
        )
        .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
        .limit(100)
    )
    return list(session.scalars(stmt))
