"""Credit operations: the supervisory department records good and bad behaviour and bans an organisation from
taking part in a scope of trading for a period, each in the ledger in the caller's transaction; other domains
call ``check_not_banned`` before letting an organisation take part. Bans in force and published records about
organisations are public (信用信息公示); personal data of records about persons is not.

How records weigh in an evaluation and which penalties follow which behaviour are not decided here (the
complaints issue brings them); nothing here scores. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound, SunshineError
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.core.labels import label
from sunshine.credit.models import CreditBan, CreditRecord
from sunshine.credit.schemas import BanIn, RecordIn
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

#: Who enters records and bans: the supervisory department (行政监督部门).
WRITERS = frozenset({Role.SUPERVISOR})
POLARITY = {"good": "良好行为记录", "bad": "不良行为记录"}


class Banned(SunshineError):
    """The organisation is barred from taking part; ``extra`` carries the ban and its basis."""

    status = 403
    code = "credit_banned"
    title = "该单位被禁止参与交易活动"


@dataclass(frozen=True)
class Scope:
    """Where an organisation wants to take part: a project's region and transaction type."""

    region_code: str
    transaction_type: str


def region_prefix(code: str) -> str:
    """A region code without its trailing zero pairs: 350000 (the province) → 35, 350100 → 3501."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def scope_label(ban: CreditBan) -> str:
    where = f"行政区划{ban.region_code}范围内" if ban.region_code else "所有地区"
    what = f"{label(TRANSACTION_TYPES, ban.transaction_type)}交易" if ban.transaction_type else "各类交易"
    return f"{where}的{what}"


def _period(ban: CreditBan) -> str:
    until = f"{ban.ends_on.isoformat()}" if ban.ends_on else "解除之日"
    return f"{ban.starts_on.isoformat()}至{until}"


def _writer(actor: Principal) -> None:
    if not actor.has(*WRITERS):
        raise Forbidden("信用记录和禁止参与由行政监督部门录入")


def _organisation(session: Session, organisation_id: int | None) -> Organisation:
    org = session.get(Organisation, organisation_id) if organisation_id is not None else None
    if org is None:
        raise InvalidInput("机构不存在", field="organisation_id")
    return org


# --------------------------------------------------------------------------- writing


def create_record(session: Session, actor: Principal, body: RecordIn) -> CreditRecord:
    _writer(actor)
    if body.subject_type == "organisation":
        _organisation(session, body.organisation_id)
        if body.person_name or body.person_id_number:
            raise InvalidInput("关于单位的记录不填写个人信息", field="person_name")
    else:
        if not (body.person_name or "").strip():
            raise InvalidInput("关于个人的记录须填写姓名", field="person_name")
        if body.published:
            raise InvalidInput("关于个人的记录不公示（个人信息不公开）", field="published")
        if body.organisation_id is not None:
            _organisation(session, body.organisation_id)
    if body.effective_until is not None and body.effective_until < body.effective_from:
        raise InvalidInput("有效期截止日不能早于起始日", field="effective_until")
    if body.decided_on > clock.today_local():
        raise InvalidInput("认定日期不能晚于今天", field="decided_on")
    row = CreditRecord(**body.model_dump(), created_by=actor.user_id, created_at=clock.now(), ledger_seq=0)
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "credit:record:created",
        f"credit-record:{row.id}",
        {  # a record about a person enters the public log without the person's data
            "polarity": row.polarity,
            "organisation": row.organisation_id if row.subject_type == "organisation" else None,
            "subject_type": row.subject_type,
            "source": row.source if row.published else None,
            "decided_on": row.decided_on.isoformat(),
            "effective_from": row.effective_from.isoformat(),
            "effective_until": row.effective_until.isoformat() if row.effective_until else None,
            "published": row.published,
        },
    )
    row.ledger_seq = entry.seq
    return row


def create_ban(session: Session, actor: Principal, body: BanIn) -> CreditBan:
    _writer(actor)
    _organisation(session, body.organisation_id)
    if body.ends_on is not None and body.ends_on < body.starts_on:
        raise InvalidInput("禁止参与的最后一日不能早于起始日", field="ends_on")
    if body.transaction_type is not None and body.transaction_type not in TRANSACTION_TYPES:
        raise InvalidInput("交易类型不正确", field="transaction_type")
    if body.record_id is not None:
        record = session.get(CreditRecord, body.record_id)
        if record is None or record.polarity != "bad" or record.organisation_id != body.organisation_id:
            raise InvalidInput("所依据的记录应为该单位的不良行为记录", field="record_id")
    row = CreditBan(**body.model_dump(), created_by=actor.user_id, created_at=clock.now(), ledger_seq=0)
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "credit:ban:created",
        f"credit-ban:{row.id}",
        {
            "organisation": row.organisation_id,
            "region_code": row.region_code,
            "transaction_type": row.transaction_type,
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
            "decision_no": row.decision_no,
            "basis": row.basis,
        },
    )
    row.ledger_seq = entry.seq
    return row


# --------------------------------------------------------------------------- the check other domains call


def _in_force(on: date):
    return (CreditBan.starts_on <= on) & or_(CreditBan.ends_on.is_(None), CreditBan.ends_on >= on)


def bans_against(session: Session, organisation_id: int, *, scope: Scope, on: date) -> list[CreditBan]:
    """The bans in force on ``on`` that cover ``scope`` for the organisation."""
    rows = session.scalars(
        select(CreditBan)
        .where(CreditBan.organisation_id == organisation_id, _in_force(on))
        .order_by(CreditBan.starts_on, CreditBan.id)
    )
    return [
        ban
        for ban in rows
        if (ban.transaction_type is None or ban.transaction_type == scope.transaction_type)
        and (ban.region_code is None or scope.region_code.startswith(region_prefix(ban.region_code)))
    ]


def check_not_banned(session: Session, organisation_id: int, *, scope: Scope, on: date) -> None:
    """Raise ``Banned`` (with the ban's basis) if the organisation may not take part in ``scope`` on ``on``."""
    bans = bans_against(session, organisation_id, scope=scope, on=on)
    if not bans:
        return
    ban = bans[0]
    org = session.get(Organisation, organisation_id)
    name = org.name if org is not None else "该单位"
    raise Banned(
        f"{name}被禁止参与{scope_label(ban)}（{_period(ban)}，{ban.decision_no}），依据：{ban.basis}",
        ban=ban.id,
        basis=ban.basis,
        decision_no=ban.decision_no,
    )


# --------------------------------------------------------------------------- reading


def bans_in_force(session: Session, on: date | None = None) -> list[tuple[CreditBan, Organisation]]:
    """The public list (信用信息公示): every ban in force on ``on`` (today by default), with its organisation."""
    on = on or clock.today_local()
    stmt = (
        select(CreditBan, Organisation)
        .join(Organisation, Organisation.id == CreditBan.organisation_id)
        .where(_in_force(on))
        .order_by(CreditBan.starts_on.desc(), CreditBan.id.desc())
    )
    return [(b, o) for b, o in session.execute(stmt).all()]


def published_records(session: Session, limit: int = 200) -> list[tuple[CreditRecord, Organisation]]:
    """Records about organisations that the supervisory department chose to publish, still in effect."""
    today = clock.today_local()
    stmt = (
        select(CreditRecord, Organisation)
        .join(Organisation, Organisation.id == CreditRecord.organisation_id)
        .where(
            CreditRecord.published.is_(True),
            CreditRecord.subject_type == "organisation",
            CreditRecord.effective_from <= today,
            or_(CreditRecord.effective_until.is_(None), CreditRecord.effective_until >= today),
        )
        .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
        .limit(limit)
    )
    return [(r, o) for r, o in session.execute(stmt).all()]


def list_records(session: Session, actor: Principal, limit: int = 500) -> list[tuple[CreditRecord, str | None]]:
    """Every record with its personal data: the supervisory department only."""
    _writer(actor)
    stmt = (
        select(CreditRecord, Organisation.name)
        .outerjoin(Organisation, Organisation.id == CreditRecord.organisation_id)
        .order_by(CreditRecord.id.desc())
        .limit(limit)
    )
    return [(r, n) for r, n in session.execute(stmt).all()]


def get_record(session: Session, actor: Principal, record_id: int) -> tuple[CreditRecord, str | None]:
    _writer(actor)
    row = session.get(CreditRecord, record_id)
    if row is None:
        raise NotFound("信用记录不存在")
    org = session.get(Organisation, row.organisation_id) if row.organisation_id else None
    return row, org.name if org else None


def organisation_records(session: Session, organisation_id: int) -> list[CreditRecord]:
    """An organisation's records as the officials of a project it takes part in may read them (the tenderer's
    re-check of its candidates before the award): records about the organisation, in effect today or ended, good
    and bad, newest first, without the personal data of records about people."""
    stmt = (
        select(CreditRecord)
        .where(CreditRecord.organisation_id == organisation_id, CreditRecord.subject_type == "organisation")
        .order_by(CreditRecord.decided_on.desc(), CreditRecord.id.desc())
        .limit(100)
    )
    return list(session.scalars(stmt))
