"""Bans (禁止参与): the supervisory department bars an organisation from a scope of trading, or an expert from
evaluations, for a period, under a decision (number, department, basis), and may lift it with a reason; each in
the ledger in the caller's transaction. ``check_not_banned`` is the one check registration, bidding and the
agency's entrustment call; ``banned_experts`` the one the expert pool's draw reads. An expert's 暂停评标/禁止评标
decided by the pool's office is recorded here too (``record_expert_exclusion``, kind ``suspension`` or ``ban``):
this table is the one record of an expert's exclusion, whoever decided it. The refusal names the
decision: its number, the department, the period and the basis. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound, SunshineError
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.core.labels import label
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.credit import hooks
from sunshine.credit.common import organisation, writer
from sunshine.credit.models import CreditBan, CreditRecord
from sunshine.credit.schemas import BanIn
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger


class Banned(SunshineError):
    """The organisation (or expert) is barred from taking part; ``extra`` carries the ban and its decision."""

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


KIND_LABELS = {"ban": "禁止评标", "suspension": "暂停评标"}


def scope_label(ban: CreditBan) -> str:
    if ban.expert_id is not None:
        return "评标活动"
    where = f"行政区划{ban.region_code}范围内" if ban.region_code else "所有地区"
    what = f"{label(TRANSACTION_TYPES, ban.transaction_type)}交易" if ban.transaction_type else "各类交易"
    return f"{where}的{what}"


def period_label(ban: CreditBan) -> str:
    until = f"{ban.ends_on.isoformat()}" if ban.ends_on else "解除之日"
    return f"{ban.starts_on.isoformat()}至{until}"


def decision_label(ban: CreditBan) -> str:
    """The decision as a refusal names it: number, department, period."""
    by = f"{ban.department}" if ban.department else "行政监督部门"
    period = "暂停期" if ban.kind == "suspension" else "禁止期"
    return f"{by}{ban.decision_no}，{period}{period_label(ban)}"


# --------------------------------------------------------------------------- writing


def create_ban(session: Session, actor: Principal, body: BanIn) -> CreditBan:
    writer(actor)
    if (body.organisation_id is None) == (body.expert_id is None):
        raise InvalidInput("请选择被禁止参与的单位或评标专家（二者选一）", field="organisation_id")
    if body.organisation_id is not None:
        organisation(session, body.organisation_id)
    elif hooks.label_of_expert(session, body.expert_id) is None:
        raise InvalidInput("评标专家不存在", field="expert_id")
    if body.ends_on is not None and body.ends_on < body.starts_on:
        raise InvalidInput("禁止参与的最后一日不能早于起始日", field="ends_on")
    if body.transaction_type is not None and body.transaction_type not in TRANSACTION_TYPES:
        raise InvalidInput("交易类型不正确", field="transaction_type")
    record = None
    if body.record_id is not None:
        record = session.get(CreditRecord, body.record_id)
        same = record is not None and (
            record.organisation_id == body.organisation_id
            if body.organisation_id is not None
            else record.expert_id == body.expert_id
        )
        if record is None or record.polarity != "bad" or record.revoked_at is not None or not same:
            raise InvalidInput("所依据的记录应为被禁止者的不良行为记录", field="record_id")
    row = _add(session, actor, CreditBan(**body.model_dump(), kind="ban"))
    if record is not None and record.publish_until is not None and row.ends_on and row.ends_on > record.publish_until:
        record.publish_until = row.ends_on  # a longer ban keeps its record published as long (记录公告暂行办法 第九条)
    return row


def _add(session: Session, actor: Principal, row: CreditBan) -> CreditBan:
    if row.expert_id is not None and row.decision_no:
        same = session.scalar(
            select(CreditBan.id).where(
                CreditBan.expert_id == row.expert_id,
                CreditBan.decision_no == row.decision_no,
                CreditBan.lifted_at.is_(None),
            )
        )
        if same is not None:  # recorded once, whether by the department or the pool's office
            raise Conflict(f"处理决定{row.decision_no}已对该评标专家登记，不再重复登记")
    row.created_by, row.created_at, row.ledger_seq = actor.user_id, clock.now(), 0
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "credit:ban:created",
        f"credit-ban:{row.id}",
        {
            "organisation": row.organisation_id,
            "expert": row.expert_id,
            "kind": row.kind,
            "region_code": row.region_code,
            "transaction_type": row.transaction_type,
            "starts_on": row.starts_on.isoformat(),
            "ends_on": row.ends_on.isoformat() if row.ends_on else None,
            "decision_no": row.decision_no,
            "department": row.department,
            "basis": row.basis,
        },
    )
    row.ledger_seq = entry.seq
    if row.expert_id is not None:
        hooks.expert_exclusion_changed(session, row.expert_id)
    return row


def record_expert_exclusion(
    session: Session,
    actor: Principal,
    expert_id: int,
    *,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    basis: str,
    decision_no: str = "",
    department: str | None = None,
) -> CreditBan:
    """An expert's 暂停评标 or 禁止评标 as the pool's office decides it (the caller checks who may): the same record
    a supervisory department's ban is, so the draw excludes the expert once, whichever way it was recorded."""
    if kind not in KIND_LABELS:
        raise InvalidInput("请选择处理方式：暂停评标或禁止评标", field="kind")
    row = CreditBan(
        expert_id=expert_id,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=basis,
        decision_no=decision_no,
        department=department,
    )
    return _add(session, actor, row)


def lift_ban(session: Session, actor: Principal, ban_id: int, reason: str) -> CreditBan:
    """撤销/解除: the decision revoked (reconsideration, court) or lifted early; the reason is public with it."""
    writer(actor)
    return lift(session, actor, ban_id, reason)


def lift(session: Session, actor: Principal, ban_id: int, reason: str) -> CreditBan:
    """The lifting itself (the caller checks who may): the supervisory department here, the pool's office for an
    expert's exclusion it recorded."""
    ban = session.get(CreditBan, ban_id, with_for_update=True)
    if ban is None:
        raise NotFound("禁止参与决定不存在")
    if ban.lifted_at is not None:
        raise Conflict("该禁止参与决定已解除")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请说明解除理由", field="reason")
    ban.lifted_at, ban.lifted_by, ban.lift_reason = clock.now(), actor.user_id, reason
    ledger.append(session, "credit:ban:lifted", f"credit-ban:{ban.id}", {"by": actor.user_id, "reason": reason})
    session.flush()
    if ban.expert_id is not None:
        hooks.expert_exclusion_changed(session, ban.expert_id)
    return ban


# --------------------------------------------------------------------------- the checks other domains call


def in_force(on: date):
    return (
        CreditBan.lifted_at.is_(None)
        & (CreditBan.starts_on <= on)
        & or_(CreditBan.ends_on.is_(None), CreditBan.ends_on >= on)
    )


def bans_against(session: Session, organisation_id: int, *, scope: Scope, on: date) -> list[CreditBan]:
    """The bans in force on ``on`` that cover ``scope`` for the organisation."""
    rows = session.scalars(
        select(CreditBan)
        .where(CreditBan.organisation_id == organisation_id, in_force(on))
        .order_by(CreditBan.starts_on, CreditBan.id)
    )
    return [
        ban
        for ban in rows
        if (ban.transaction_type is None or ban.transaction_type == scope.transaction_type)
        and (ban.region_code is None or scope.region_code.startswith(region_prefix(ban.region_code)))
    ]


def check_not_banned(session: Session, organisation_id: int, *, scope: Scope, on: date, doing: str = "") -> None:
    """Raise ``Banned`` (naming the decision) if the organisation may not take part in ``scope`` on ``on``;
    ``doing`` says what was refused (投标, 受托代理…) in the message."""
    bans = bans_against(session, organisation_id, scope=scope, on=on)
    if not bans:
        return
    ban = bans[0]
    org = session.get(Organisation, organisation_id)
    name = org.name if org is not None else "该单位"
    refused = f"，不能{doing}" if doing else ""
    raise Banned(
        f"{name}被禁止参与{scope_label(ban)}（{decision_label(ban)}）{refused}；依据：{ban.basis}",
        ban=ban.id,
        basis=ban.basis,
        decision_no=ban.decision_no,
        department=ban.department,
        starts_on=ban.starts_on.isoformat(),
        ends_on=ban.ends_on.isoformat() if ban.ends_on else None,
    )


def banned_experts(session: Session, expert_ids: list[int] | None, on: date) -> set[int]:
    """The experts (of ``expert_ids``, or all) barred or suspended from evaluations on ``on``."""
    stmt = select(CreditBan.expert_id).where(CreditBan.expert_id.is_not(None), in_force(on))
    if expert_ids is not None:
        stmt = stmt.where(CreditBan.expert_id.in_(expert_ids))
    return set(session.scalars(stmt))


def expert_rows(session: Session) -> list[tuple[int, str, date, date | None, datetime | None]]:
    """Every expert exclusion as (expert, kind, first day, last day, lifted at): what the pool's index keeps."""
    stmt = select(CreditBan.expert_id, CreditBan.kind, CreditBan.starts_on, CreditBan.ends_on, CreditBan.lifted_at)
    return [tuple(r) for r in session.execute(stmt.where(CreditBan.expert_id.is_not(None)))]  # type: ignore[misc]


def expert_bans(session: Session, expert_id: int, on: date | None = None) -> list[CreditBan]:
    """An expert's exclusions, newest first; only those in force on ``on`` when given."""
    stmt = select(CreditBan).where(CreditBan.expert_id == expert_id)
    if on is not None:
        stmt = stmt.where(in_force(on))
    return list(session.scalars(stmt.order_by(CreditBan.starts_on.desc(), CreditBan.id.desc())))


def check_expert_not_banned(session: Session, expert_id: int, on: date) -> None:
    ban = session.scalar(
        select(CreditBan).where(CreditBan.expert_id == expert_id, in_force(on)).order_by(CreditBan.id).limit(1)
    )
    if ban is not None:
        raise Banned(
            f"该评标专家被{KIND_LABELS.get(ban.kind, '禁止评标')}（{decision_label(ban)}）；依据：{ban.basis}",
            ban=ban.id,
            decision_no=ban.decision_no,
        )


# --------------------------------------------------------------------------- reading


def bans_in_force(
    session: Session, on: date | None = None, *, organisation_id: int | None = None
) -> list[tuple[CreditBan, Organisation]]:
    """The bans on an organisation in force on ``on`` (today by default): one organisation's (the credit lookup's
    profile); the public list pages them with ``ban_page``."""
    on = on or clock.today_local()
    stmt = (
        select(CreditBan, Organisation)
        .join(Organisation, Organisation.id == CreditBan.organisation_id)
        .where(in_force(on))
        .order_by(CreditBan.starts_on.desc(), CreditBan.id.desc())
    )
    if organisation_id is not None:
        stmt = stmt.where(CreditBan.organisation_id == organisation_id)
    return [(b, o) for b, o in session.execute(stmt).all()]


BAN_ORDER = Keyset.of("credit-bans", CreditBan.starts_on, CreditBan.id)


def ban_page(
    session: Session, on: date | None = None, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[CreditBan, Organisation]]:
    """``bans_in_force`` one page at a time."""
    on = on or clock.today_local()
    stmt = (
        select(CreditBan, Organisation)
        .join(Organisation, Organisation.id == CreditBan.organisation_id)
        .where(in_force(on))
    )
    return paginate(session, stmt, BAN_ORDER, cursor=cursor, limit=limit)


ALL_BAN_ORDER = Keyset.of("credit-bans-all", CreditBan.id)


def all_ban_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[CreditBan]:
    """Every ban, lifted and ended ones too, experts' included, newest first, one page at a time: the supervisory
    department's file."""
    writer(actor)
    return paginate(session, select(CreditBan), ALL_BAN_ORDER, cursor=cursor, limit=limit)
