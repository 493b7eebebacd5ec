"""The day-to-day records of an expert: leave (请假), declared standing conflicts (常设回避单位), suspensions and
bans, removal (清退), training (培训记录), assessment results (考核评价), the expert's own contact details, and
the status kept in step with them (在库 / 暂停 / 聘期届满 / 清退).

Who may write what: the expert their own leave, conflicts, training and contact; the centre and the committee
office leave, conflicts and training on the expert's behalf; the committee office (and, for suspensions and bans,
the industry supervisory department) the rest. Ledger payloads carry ids, kinds, dates and hashes of reasons;
never a name, a phone number or an ID number. Never commits."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.credit import bans as credit_bans
from sunshine.credit.models import CreditBan
from sunshine.experts import codes, publish
from sunshine.experts.admission import EMAIL, MOBILE
from sunshine.experts.models import (
    ACTIVE,
    EXPIRED,
    REMOVED,
    SUSPENDED,
    Expert,
    ExpertConduct,
    ExpertConflict,
    ExpertEvaluation,
    ExpertLeave,
    ExpertTraining,
)
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

MAX_LEAVE_DAYS = 366


class ExpertRemoved(Conflict):
    code = "expert_removed"
    title = "该专家已清退"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value: str, field: str, label: str, high: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > high:
        raise InvalidInput(f"{label}最多{high}个字", field=field)
    return value


def locked(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id, with_for_update=True)
    if expert is None:
        raise NotFound("未找到该专家")
    return expert


def _own_or(actor: Principal, expert: Expert, roles: tuple, message: str) -> None:
    if actor.user_id == expert.user_id or actor.has(*roles):
        return
    raise Forbidden(message)


def _not_removed(expert: Expert) -> None:
    if expert.status == REMOVED:
        raise ExpertRemoved("该专家已清退，不能再办理")


def _log(session: Session, event: str, expert: Expert, actor: Principal, **payload: object) -> None:
    ledger.append(
        session, f"experts:{event}", f"expert:{expert.id}", {"expert": expert.code, **payload, "by": actor.user_id}
    )


# --------------------------------------------------------------------------- status


def status_on(session: Session, expert: Expert, day: date) -> str:
    if expert.status == REMOVED:
        return REMOVED
    sanctioned = session.scalar(
        select(CreditBan.id).where(CreditBan.expert_id == expert.id, credit_bans.in_force(day)).limit(1)
    )
    if sanctioned is not None:
        return SUSPENDED
    return EXPIRED if day > expert.term_ends_on else ACTIVE


def refresh(session: Session, expert: Expert) -> str:
    new = status_on(session, expert, clock.today_local())
    if new != expert.status:
        expert.status = new
        expert.updated_at = clock.now()
    return new


def refresh_all(session: Session) -> list[int]:
    """The tick's part: statuses brought in step with today's sanctions and terms; ids whose status changed."""
    today = clock.today_local()
    sanctioned = (
        select(CreditBan.expert_id)
        .where(CreditBan.expert_id.is_not(None), credit_bans.in_force(today))
        .scalar_subquery()
    )
    changed: list[int] = []
    targets = [
        (SUSPENDED, Expert.id.in_(sanctioned)),
        (EXPIRED, Expert.id.not_in(sanctioned) & (Expert.term_ends_on < today)),
        (ACTIVE, Expert.id.not_in(sanctioned) & (Expert.term_ends_on >= today)),
    ]
    now = clock.now()
    for status, condition in targets:
        ids = list(
            session.scalars(select(Expert.id).where(Expert.status != REMOVED, Expert.status != status, condition))
        )
        if ids:
            session.execute(update(Expert).where(Expert.id.in_(ids)).values(status=status, updated_at=now))
            for expert_id in ids:
                ledger.append(session, "experts:status", f"expert:{expert_id}", {"status": status})
            changed.extend(ids)
    return changed


# --------------------------------------------------------------------------- leave


def add_leave(
    session: Session, actor: Principal, expert_id: int, *, starts_on: date, ends_on: date, reason: str
) -> ExpertLeave:
    expert = locked(session, expert_id)
    _own_or(actor, expert, codes.RECORDERS, "只能为本人请假，或由交易中心、交易管理委员会办公室登记")
    _not_removed(expert)
    today = clock.today_local()
    if ends_on < starts_on:
        raise InvalidInput("请假结束日期不能早于开始日期", field="ends_on")
    if ends_on < today:
        raise InvalidInput("不能登记已经过去的请假", field="ends_on")
    if (ends_on - starts_on).days + 1 > MAX_LEAVE_DAYS:
        raise InvalidInput(f"一次请假最多 {MAX_LEAVE_DAYS} 日", field="ends_on")
    reason = _text(reason, "reason", "请假事由", 300)
    leave = ExpertLeave(
        expert_id=expert.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(leave)
    session.flush()
    _log(
        session,
        "leave:set",
        expert,
        actor,
        leave=leave.id,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    return leave


def cancel_leave(session: Session, actor: Principal, leave_id: int) -> ExpertLeave:
    leave = session.get(ExpertLeave, leave_id, with_for_update=True)
    if leave is None:
        raise NotFound("请假记录不存在")
    expert = locked(session, leave.expert_id)
    _own_or(actor, expert, codes.RECORDERS, "只能撤销本人的请假")
    if leave.cancelled_at is not None:
        raise Conflict("该请假已撤销")
    if leave.ends_on < clock.today_local():
        raise Conflict("已经结束的请假不能撤销")
    leave.cancelled_at = clock.now()
    _log(session, "leave:cancelled", expert, actor, leave=leave.id)
    return leave


def leaves_of(session: Session, expert_id: int) -> list[ExpertLeave]:
    return list(
        session.scalars(
            select(ExpertLeave)
            .where(ExpertLeave.expert_id == expert_id)
            .order_by(ExpertLeave.starts_on.desc(), ExpertLeave.id.desc())
        )
    )


# --------------------------------------------------------------------------- standing conflicts


def declare_conflict(
    session: Session, actor: Principal, expert_id: int, *, credit_code: str, relation: str, note: str = ""
) -> ExpertConflict:
    expert = locked(session, expert_id)
    _own_or(actor, expert, codes.RECORDERS, "只能申报本人的回避单位")
    _not_removed(expert)
    org = session.scalar(select(Organisation).where(Organisation.credit_code == (credit_code or "").strip().upper()))
    if org is None:
        raise InvalidInput("未找到该统一社会信用代码的单位", field="credit_code")
    if relation not in codes.CONFLICT_RELATIONS:
        raise InvalidInput("请选择与该单位的关系", field="relation")
    note = _text(note, "note", "说明", 300, required=relation == "other")
    if org.id == expert.employer_organisation_id:
        raise InvalidInput("所在单位已自动回避，无需申报", field="credit_code")
    existing = session.scalar(
        select(ExpertConflict.id).where(
            ExpertConflict.expert_id == expert.id,
            ExpertConflict.organisation_id == org.id,
            ExpertConflict.withdrawn_at.is_(None),
        )
    )
    if existing is not None:
        raise Conflict(f"已申报对“{org.name}”回避")
    row = ExpertConflict(
        expert_id=expert.id,
        organisation_id=org.id,
        relation=relation,
        note=note,
        declared_by=actor.user_id,
        declared_at=clock.now(),
    )
    session.add(row)
    session.flush()
    _log(session, "conflict:declared", expert, actor, conflict=row.id)
    return row


def withdraw_conflict(session: Session, actor: Principal, conflict_id: int) -> ExpertConflict:
    row = session.get(ExpertConflict, conflict_id, with_for_update=True)
    if row is None:
        raise NotFound("回避申报不存在")
    expert = locked(session, row.expert_id)
    _own_or(actor, expert, codes.RECORDERS, "只能撤回本人的回避申报")
    if row.withdrawn_at is not None:
        raise Conflict("该回避申报已撤回")
    row.withdrawn_at = clock.now()
    _log(session, "conflict:withdrawn", expert, actor, conflict=row.id)
    return row


def conflicts_of(session: Session, expert_id: int) -> list[tuple[ExpertConflict, Organisation]]:
    stmt = (
        select(ExpertConflict, Organisation)
        .join(Organisation, Organisation.id == ExpertConflict.organisation_id)
        .where(ExpertConflict.expert_id == expert_id)
        .order_by(ExpertConflict.declared_at.desc())
    )
    return [(c, o) for c, o in session.execute(stmt).all()]


# --------------------------------------------------------------------------- suspension, ban, removal


def sanction(
    session: Session,
    actor: Principal,
    expert_id: int,
    *,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    decision_no: str = "",
) -> CreditBan:
    if not actor.has(*codes.SANCTIONERS):
        raise Forbidden("暂停或禁止评标由交易管理委员会办公室或行业监督部门决定")
    if kind not in codes.SANCTION_KINDS:
        raise InvalidInput("请选择处理方式：暂停评标或禁止评标", field="kind")
    expert = locked(session, expert_id)
    _not_removed(expert)
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期", field="ends_on")
    if kind == "suspension" and ends_on is None:
        raise InvalidInput("暂停评标须写明暂停期限", field="ends_on")
    if starts_on < clock.today_local() - timedelta(days=30):
        raise InvalidInput("开始日期不能早于30日前", field="starts_on")
    reason = _text(reason, "reason", "理由", 500)
    decision_no = _text(decision_no, "decision_no", "处理决定文号", 100, required=kind == "ban")
    # recorded as credit's ban on the expert: the one record the draw, the pool and the workbench read
    row = credit_bans.record_expert_exclusion(
        session,
        actor,
        expert.id,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        basis=reason,
        decision_no=decision_no,
        department=_department(actor),
    )
    refresh(session, expert)
    _log(
        session,
        "sanction:imposed",
        expert,
        actor,
        sanction=row.id,
        kind=kind,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat() if ends_on else None,
        reason_sha256=_sha(reason),
    )
    return row


def _department(actor: Principal) -> str:
    return "公共资源交易管理委员会办公室" if actor.has(Role.COMMITTEE_OFFICE) else "行业监督部门"


def lift(session: Session, actor: Principal, sanction_id: int, *, reason: str) -> CreditBan:
    if not actor.has(*codes.SANCTIONERS):
        raise Forbidden("解除暂停或禁止评标由交易管理委员会办公室或行业监督部门决定")
    row = session.get(CreditBan, sanction_id)
    if row is None or row.expert_id is None:
        raise NotFound("处理记录不存在")
    expert = locked(session, row.expert_id)
    if row.lifted_at is not None:
        raise Conflict("该处理已解除")
    reason = _text(reason, "reason", "解除理由", 500)
    row = credit_bans.lift(session, actor, row.id, reason)
    refresh(session, expert)
    _log(session, "sanction:lifted", expert, actor, sanction=row.id, reason_sha256=_sha(reason))
    return row


def sanctions_of(session: Session, expert_id: int) -> list[CreditBan]:
    """The expert's 暂停评标 and 禁止评标, from the pool's office and the supervisory departments alike."""
    return credit_bans.expert_bans(session, expert_id)


def remove(session: Session, actor: Principal, expert_id: int, *, reason: str) -> Expert:
    """清退: out of the pool for good, published with the reason."""
    if not actor.has(*codes.MANAGERS):
        raise Forbidden("清退由公共资源交易管理委员会办公室决定")
    expert = locked(session, expert_id)
    _not_removed(expert)
    expert.removed_reason = _text(reason, "reason", "清退原因", 500)
    expert.status, expert.removed_on, expert.updated_at = REMOVED, clock.today_local(), clock.now()
    session.flush()
    _log(
        session,
        "removed",
        expert,
        actor,
        removed_on=expert.removed_on.isoformat(),
        reason_sha256=_sha(expert.removed_reason),
    )
    publish.removal(session, actor, expert)
    return expert


# --------------------------------------------------------------------------- training and assessment


def add_training(
    session: Session,
    actor: Principal,
    expert_id: int,
    *,
    title: str,
    organiser: str,
    held_on: date,
    hours: int,
    passed: bool = True,
    certificate_no: str = "",
) -> ExpertTraining:
    expert = locked(session, expert_id)
    _own_or(actor, expert, codes.RECORDERS, "只能登记本人的培训记录")
    if held_on > clock.today_local():
        raise InvalidInput("培训日期不能晚于今天", field="held_on")
    if not 1 <= hours <= 500:
        raise InvalidInput("学时应为1至500", field="hours")
    row = ExpertTraining(
        expert_id=expert.id,
        title=_text(title, "title", "培训名称", 200),
        organiser=_text(organiser, "organiser", "举办单位", 200),
        held_on=held_on,
        hours=hours,
        passed=passed,
        certificate_no=_text(certificate_no, "certificate_no", "证书编号", 60, required=False),
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    _log(session, "training:recorded", expert, actor, training=row.id, hours=hours, passed=passed)
    return row


def trainings_of(session: Session, expert_id: int) -> list[ExpertTraining]:
    return list(
        session.scalars(
            select(ExpertTraining)
            .where(ExpertTraining.expert_id == expert_id)
            .order_by(ExpertTraining.held_on.desc(), ExpertTraining.id.desc())
        )
    )


def evaluate(
    session: Session, actor: Principal, expert_id: int, *, period: str, score: int, grade: str, notes: str = ""
) -> ExpertEvaluation:
    """考核评价: one result per expert and period (a year), published with the period's results."""
    if not actor.has(*codes.MANAGERS):
        raise Forbidden("考核评价由公共资源交易管理委员会办公室录入")
    expert = locked(session, expert_id)
    period = (period or "").strip()
    if not (
        period.isascii() and period.isdigit() and len(period) == 4 and 2000 <= int(period) <= clock.today_local().year
    ):
        raise InvalidInput("考核年度应为四位年份，且不晚于今年", field="period")
    if not 0 <= score <= 100:
        raise InvalidInput("考核得分应为0至100", field="score")
    if grade not in codes.GRADES:
        raise InvalidInput("请选择评价等级", field="grade")
    if session.scalar(
        select(ExpertEvaluation.id).where(ExpertEvaluation.expert_id == expert.id, ExpertEvaluation.period == period)
    ):
        raise Conflict(f"该专家 {period} 年度的考核结果已录入")
    row = ExpertEvaluation(
        expert_id=expert.id,
        period=period,
        score=score,
        grade=grade,
        notes=_text(notes, "notes", "考核意见", 1000, required=grade == "poor"),
        assessed_by=actor.user_id,
        assessed_at=clock.now(),
    )
    session.add(row)
    session.flush()
    _log(session, "evaluation:recorded", expert, actor, evaluation=row.id, period=period, grade=grade, score=score)
    return row


def record_conduct(
    session: Session, expert_id: int, *, kind: str, note: str, source: str, project_name: str, recorded_by: int
) -> ExpertConduct:
    """评标行为记录: the caller (the evaluation, after its session) has checked who records; the note is required."""
    expert = locked(session, expert_id)
    if kind not in codes.CONDUCT_KINDS:
        raise InvalidInput("请选择行为类别（迟到、缺席、评标行为不当）", field="kind")
    row = ExpertConduct(
        expert_id=expert.id,
        kind=kind,
        note=_text(note, "note", "情况说明", 1000),
        source=source,
        project_name=project_name[:300],
        recorded_by=recorded_by,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def conducts_of(session: Session, expert_id: int) -> list[ExpertConduct]:
    stmt = select(ExpertConduct).where(ExpertConduct.expert_id == expert_id)
    return list(session.scalars(stmt.order_by(ExpertConduct.recorded_at.desc(), ExpertConduct.id.desc())))


def evaluations_of(session: Session, expert_id: int) -> list[ExpertEvaluation]:
    return list(
        session.scalars(
            select(ExpertEvaluation)
            .where(ExpertEvaluation.expert_id == expert_id)
            .order_by(ExpertEvaluation.period.desc())
        )
    )


# --------------------------------------------------------------------------- the expert's contact


def update_contact(session: Session, actor: Principal, expert_id: int, *, mobile: str, email: str) -> Expert:
    expert = locked(session, expert_id)
    _own_or(actor, expert, (Role.COMMITTEE_OFFICE,), "只能修改本人的联系方式")
    mobile = (mobile or "").strip()
    if not MOBILE.match(mobile):
        raise InvalidInput("请填写11位手机号码", field="mobile")
    email = (email or "").strip()
    if email and (len(email) > 100 or not EMAIL.match(email)):
        raise InvalidInput("电子邮箱格式不正确", field="email")
    expert.mobile, expert.email, expert.updated_at = mobile, email, clock.now()
    _log(session, "contact:updated", expert, actor)
    return expert
