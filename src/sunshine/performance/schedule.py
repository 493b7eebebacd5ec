"""The contract's payment schedule (付款计划): milestones with planned dates and amounts that sum to the contract
amount (422 otherwise), set by the tenderer's side once the contract is signed — the first schedule starts the
performance (``start_performance``: 合同已签订 → 履约中); each milestone reported done by the winner with its
evidence; the tenderer's payments recorded against a milestone (never above what is still due); a payment due
within the pack's ``performance_payment_within`` of the milestone's completion (a tracked deadline; 平台默认值 30
days where the pack has none, see ``PAY_DEFAULT_REASON``), flagged by the tick when overdue. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import alerts, calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.formatting import amount_text, yuan
from sunshine.core.models import TrackedDeadline
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.performance import visibility as parties
from sunshine.performance.models import ContractChange, Milestone, MilestonePayment
from sunshine.rules import service as rules
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

PAY_RULE = "performance_payment_within"
PAY_DEFAULT_DAYS = 30
PAY_DEFAULT_REASON = (
    "平台默认值：合同约定的付款期限优先；相关法律未就每期付款规定统一期限，平台取里程碑完成后30日用于逾期预警（可配置）"
)
PAY_PURPOSE = "performance:payment"
START_STEP = "start_performance"
MAX_MILESTONES = 24
MESSAGE_KIND = "performance"


class ScheduleSumMismatch(InvalidInput):
    code = "schedule_sum_mismatch"
    title = "付款计划各期金额之和与合同金额不符"


class PaymentExceedsDue(InvalidInput):
    code = "payment_exceeds_due"
    title = "支付金额超过该期应付未付金额"


@dataclass(frozen=True)
class PlannedMilestone:
    title: str
    planned_on: date
    amount: str | Decimal


def _amount(value: str | Decimal, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput("金额应为数字（元）", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("金额应大于零、最多两位小数（元）", field=field)
    return amount


def milestones(session: Session, contract_id: int) -> list[Milestone]:
    return list(session.scalars(select(Milestone).where(Milestone.contract_id == contract_id).order_by(Milestone.seq)))


def paid_of(session: Session, milestone_id: int) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(MilestonePayment.amount), 0)).where(MilestonePayment.milestone_id == milestone_id)
    )
    return Decimal(total).quantize(Decimal("0.01"))


def payments_of(session: Session, contract_id: int) -> list[MilestonePayment]:
    return list(
        session.scalars(
            select(MilestonePayment)
            .where(MilestonePayment.contract_id == contract_id)
            .order_by(MilestonePayment.paid_on, MilestonePayment.id)
        )
    )


def additional_agreed(session: Session, contract_id: int) -> Decimal:
    """The agreed additional purchases (补充合同), which add to what the schedule must sum to."""
    total = session.scalar(
        select(func.coalesce(func.sum(ContractChange.amount), 0)).where(
            ContractChange.contract_id == contract_id,
            ContractChange.kind == "additional_purchase",
            ContractChange.status == "agreed",
        )
    )
    return Decimal(total).quantize(Decimal("0.01"))


def set_schedule(
    session: Session, actor: Principal, contract_id: int, planned: list[PlannedMilestone]
) -> list[Milestone]:
    """登记付款计划: replaces the schedule while no milestone is done or paid; the amounts must sum to the contract
    amount (with any agreed additional purchase). The first schedule of a project starts its performance."""
    contract, project = parties.contract(session, actor, contract_id)
    parties.tenderer_side(actor, contract, project, "登记付款计划")
    parties.performing(contract, project, "登记付款计划")
    if not planned or len(planned) > MAX_MILESTONES:
        raise InvalidInput(f"付款计划应有1至{MAX_MILESTONES}期", field="milestones")
    rows = []
    for i, item in enumerate(planned, start=1):
        title = (item.title or "").strip()
        if not title or len(title) > 200:
            raise InvalidInput(f"第{i}期：请填写里程碑名称（200字以内）", field="milestones")
        rows.append((title, item.planned_on, _amount(item.amount, "milestones")))
    dates = [d for _, d, _ in rows]
    if dates != sorted(dates):
        raise InvalidInput("各期计划日期应按先后排列", field="milestones")
    total = sum((a for _, _, a in rows), Decimal("0.00"))
    owed = contract.amount + additional_agreed(session, contract.id)
    if total != owed:
        raise ScheduleSumMismatch(
            f"各期金额之和为人民币{yuan(total)}元，应等于合同金额人民币{yuan(owed)}元", field="milestones"
        )
    existing = milestones(session, contract.id)
    if any(m.done_at is not None for m in existing) or payments_of(session, contract.id):
        raise Conflict("已有里程碑完成或已付款，付款计划不能再整体修改；请以合同变更办理")
    for m in existing:
        session.delete(m)
    session.flush()
    made = [
        Milestone(contract_id=contract.id, seq=i, title=t, planned_on=d, amount=a)
        for i, (t, d, a) in enumerate(rows, start=1)
    ]
    session.add_all(made)
    session.flush()
    ledger.append(
        session,
        "performance:schedule:set",
        f"contract:{contract.number}",
        {
            "contract": contract.id,
            "milestones": [
                {"seq": m.seq, "planned_on": m.planned_on.isoformat(), "amount": str(m.amount)} for m in made
            ],
            "by": actor.user_id,
        },
    )
    if project.state == "contracted":
        lifecycle.apply(session, project, START_STEP, actor, document_ref=f"contract:{contract.number}")
    return made


def _milestone(session: Session, actor: Principal, milestone_id: int) -> tuple[Milestone, AwardContract, Project]:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound("里程碑不存在")
    contract, project = parties.contract(session, actor, milestone.contract_id)
    return milestone, contract, project


def pay_rule(project: Project) -> tuple[int, str, str]:
    """(days, unit, basis) of the payment time limit: the pack's rule, or the platform default with its reason."""
    snapshot = rules.rules_of(project)
    if snapshot.has(PAY_RULE):
        rule = snapshot.rule(PAY_RULE)
        return int(rule.value), rules.DAY_UNITS[rule.unit], rule.basis_text
    return PAY_DEFAULT_DAYS, "calendar", PAY_DEFAULT_REASON


def report_done(
    session: Session, actor: Principal, milestone_id: int, *, evidence: str, upload: Upload | None = None
) -> Milestone:
    """The winner reports a milestone done, with what it delivered (and a file, optionally); the payment becomes
    due within the pack's time and the tenderer's side is told."""
    milestone, contract, project = _milestone(session, actor, milestone_id)
    parties.winner_side(actor, contract, project, "报告里程碑完成")
    parties.performing(contract, project, "报告里程碑完成")
    if milestone.done_at is not None:
        raise Conflict("该里程碑已报告完成")
    text = (evidence or "").strip()
    if len(text) < 4 or len(text) > 2000:
        raise InvalidInput("请说明完成情况和交付成果（4至2000字）", field="evidence")
    if upload is not None and upload.data:
        name, _type, data = checked_upload(upload, 20 * 1024 * 1024)
        milestone.evidence_sha256, milestone.evidence_name = file_store().put(data), name[:200]
    today = clock.today_local()
    milestone.evidence, milestone.done_at, milestone.done_on, milestone.done_by = (
        text,
        clock.now(),
        today,
        actor.user_id,
    )
    days, unit, _basis = pay_rule(project)
    tracked = calendar.track(
        session,
        subject=f"milestone:{milestone.id}",
        purpose=PAY_PURPOSE,
        start=today,
        days=days,
        unit=unit,
        rule_ref=f"{project.pack_key}/{PAY_RULE}",
    )
    milestone.pay_deadline_id = tracked.id
    if paid_of(session, milestone.id) >= milestone.amount:
        calendar.close(session, tracked.id)
    session.flush()
    ledger.append(
        session,
        "performance:milestone:done",
        f"contract:{contract.number}",
        {"milestone": milestone.id, "seq": milestone.seq, "evidence_sha256": milestone.evidence_sha256},
    )
    for user_id in parties.users_of(session, project.tenderer_id) + parties.users_of(session, project.agency_id):
        messaging.send(
            session,
            user_id=user_id,
            subject=f"里程碑已报告完成：{milestone.title}",
            body=f"{contract.title}（{contract.number}）第{milestone.seq}期“{milestone.title}”已由乙方报告完成，"
            f"请核实并于{tracked.due.isoformat()}前支付人民币{yuan(milestone.amount)}元。",
            link=f"/contracts/{contract.id}/performance",
            kind=MESSAGE_KIND,
        )
    return milestone


def pay_deadline(session: Session, milestone: Milestone) -> TrackedDeadline | None:
    return session.get(TrackedDeadline, milestone.pay_deadline_id) if milestone.pay_deadline_id else None


def record_payment(
    session: Session, actor: Principal, milestone_id: int, *, amount: str | Decimal, paid_on: date, reference: str
) -> MilestonePayment:
    """The tenderer's side records a payment against a milestone: never above what is still due on it."""
    milestone, contract, project = _milestone(session, actor, milestone_id)
    parties.tenderer_side(actor, contract, project, "登记付款")
    if not parties.is_signed(contract):
        raise Conflict("合同签订后方可登记付款")
    value = _amount(amount, "amount")
    due = milestone.amount - paid_of(session, milestone.id)
    if value > due:
        raise PaymentExceedsDue(
            f"第{milestone.seq}期应付未付人民币{yuan(due)}元，不能支付人民币{yuan(value)}元",
            field="amount",
        )
    if paid_on > clock.today_local():
        raise InvalidInput("付款日期不能晚于今天", field="paid_on")
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise InvalidInput("请填写银行付款流水号（100字以内）", field="reference")
    row = MilestonePayment(
        milestone_id=milestone.id,
        contract_id=contract.id,
        amount=value,
        paid_on=paid_on,
        reference=reference,
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(row)
    session.flush()
    deadline = pay_deadline(session, milestone)
    settled = paid_of(session, milestone.id) >= milestone.amount
    if settled and deadline is not None and deadline.is_open:
        calendar.close(session, deadline.id)
    if settled:
        alerts.resolve(session, subject_kind="milestone", subject_id=milestone.id)
    ledger.append(
        session,
        "performance:payment:recorded",
        f"contract:{contract.number}",
        {
            "milestone": milestone.id,
            "amount": amount_text(value),
            "paid_on": paid_on.isoformat(),
            "late": bool(deadline is not None and paid_on > deadline.due),
            "by": actor.user_id,
        },
    )
    return row


def raise_overdue(session: Session) -> list[int]:
    """The tick's part: a milestone done but not fully paid past its payment deadline raises one alert (the tenderer,
    the centre, the supervisors)."""
    today = clock.today_local()
    rows = session.scalars(
        select(TrackedDeadline).where(TrackedDeadline.purpose == PAY_PURPOSE, TrackedDeadline.is_open.is_(True))
    ).all()
    raised = []
    for deadline in rows:
        if today <= deadline.due:
            continue
        milestone = session.get(Milestone, int(deadline.subject.removeprefix("milestone:")))  # noqa: B005
        if milestone is None:
            continue
        contract = session.get(AwardContract, milestone.contract_id)
        project = session.get(Project, contract.project_id)
        owed = milestone.amount - paid_of(session, milestone.id)
        alert = alerts.raise_once(
            session,
            key=f"performance:payment-overdue:{milestone.id}:{deadline.id}",
            domain="performance",
            kind="performance_payment_overdue",
            subject_kind="milestone",
            subject_id=milestone.id,
            message=f"{project.name}：{contract.title}（{contract.number}）第{milestone.seq}期“{milestone.title}”"
            f"应于{deadline.due.isoformat()}前支付，尚欠人民币{yuan(owed)}元，已逾期",
            audience=(Role.CENTRE_STAFF, Role.SUPERVISOR),
            organisation_id=project.tenderer_id,
            due=deadline.due,
            deadline_id=deadline.id,
        )
        if alert is not None:
            raised.append(milestone.id)
    return raised
