"""Bid deposits (投标保证金): the amount a section requires, capped by the rule pack (2 % of the
estimate, 《招标投标法实施条例》第二十六条); each bidder's deposit paid by transfer into a virtual
sub-account or by electronic guarantee (电子保函), with the payment channel's evidence; refund
obligations whose due date the rule pack gives (5 days, procurement 5 working days) as tracked
deadlines; the refunds themselves; and the overdue list for the centre.

Who confirms a transfer: centre staff, by asking the payment channel whether the money arrived
(``confirm_transfer``). A real bank's arrival notice (callback) calls the same function with the
system principal, so the checks are the same either way. A guarantee is verified with its issuer
through the channel when the bidder submits it. A guarantee is not money: its "refund" is its
release (退还保函).

Public ledger entries are filed under ``deposit:{id}`` and carry amounts as strings, never the
bidder's name or account (those stay in the evidence, in the database).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from sunshine.core.formatting import amount_text
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.pack_format import DAY_UNITS
from sunshine.trading import participation, payments, visibility
from sunshine.trading.deposit_interest import bank_interest, late_interest
from sunshine.trading.models import Deposit, Project, Registration, Section

CENT = Decimal("0.01")
METHODS = {"transfer": "银行转账", "guarantee": "电子保函"}
STATUSES = {"awaiting": "待缴纳", "paid": "已缴纳", "refund_due": "待退还", "refunded": "已退还"}
GUARANTEE_STATUSES = {"awaiting": "待提交", "paid": "已提交", "refund_due": "待退还（解除）", "refunded": "已退还"}
EDITABLE_STATES = frozenset({"registered", "returned", "accepted"})  # before the notice is published
MAX_RULE = "deposit_max_percent"
REFUND_RULE = "deposit_refund_within"
# 逾期退还的利息（年利率，%）: 87号令 第三十八条 — 中国人民银行同期贷款基准利率上浮20%; the rate is the pack's
LATE_INTEREST_RULE = "deposit_late_interest_percent"
# a local pack's stricter time for the others' refunds, in calendar days of the award letter (seed 003)
LOCAL_OTHERS_RULE = "deposit_refund_others_calendar_days"
AUCTIONED = frozenset({"listing", "auction"})  # a buyer's 竞买保证金 is settled by its contract, not refunded here


def status_label(deposit: Deposit) -> str:
    return (GUARANTEE_STATUSES if deposit.method == "guarantee" else STATUSES).get(deposit.status, deposit.status)


def refund_purpose(deposit: Deposit) -> str:
    return "退还投标保函" if deposit.method == "guarantee" else "退还投标保证金"


def _evidence(deposit: Deposit) -> dict:
    return json.loads(deposit.evidence) if deposit.evidence else {}


def _evidence_digest(evidence: dict) -> str:
    return hashlib.sha256(json.dumps(evidence, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------- the section's deposit


def required_amount(project: Project, section: Section) -> Decimal | None:
    """The deposit a bidder must lodge for ``section``, or None when none is required."""
    return section.deposit_amount


def maximum_amount(project: Project, section: Section) -> tuple[Decimal, rules.ResolvedRule] | None:
    """The largest admissible deposit (rounded down to the fen, so it never exceeds the percentage)."""
    from sunshine.rules.service import rules_of

    pack = rules_of(project)
    if not pack.has(MAX_RULE):
        return None
    rule = pack.rule(MAX_RULE)
    return (Decimal(section.estimate) * rule.value / 100).quantize(CENT, rounding=ROUND_DOWN), rule


def set_section_deposit(
    session: Session, actor: Principal, project_id: int, section_id: int, amount: Decimal | None
) -> Section:
    """The tenderer or agency sets (or clears) a section's deposit before the notice is published."""

    project = visibility.get_visible(session, actor, project_id)
    if not visibility.is_party(actor, project):
        raise Forbidden("只有本项目的招标人/采购人或其代理机构可以设定投标保证金")
    section = next((s for s in project.sections if s.id == section_id), None)
    if section is None:
        raise NotFound("标段不存在")
    if project.state not in EDITABLE_STATES:
        raise Conflict("公告发布后不能再修改投标保证金金额")
    if amount is not None:
        amount = Decimal(amount)
        if not amount.is_finite() or amount <= 0:
            raise InvalidInput("保证金金额应大于 0", field="amount")
        if amount != amount.quantize(CENT):
            raise InvalidInput("金额以元为单位，最多保留两位小数", field="amount")
        cap = maximum_amount(project, section)
        if cap is not None and amount > cap[0]:
            limit, rule = cap
            raise RuleViolation(
                f"投标保证金不得超过标段估算价的 {rules.plain(rule.value)}%（依据：{rule.basis_text}），"
                f"第 {section.number} 标段估算价 {amount_text(section.estimate)} 元，最高 {amount_text(limit)} 元，"
                f"所填 {amount_text(amount)} 元超过上限",
                field="amount",
                rule=rule.id,
                basis=rule.basis_text,
                maximum=amount_text(limit),
            )
        amount = amount.quantize(CENT)
    section.deposit_amount = amount
    project.updated_at = clock.now()
    session.flush()
    cap = maximum_amount(project, section)
    ledger.append(
        session,
        "trading:section:deposit-set",
        f"project:{project.code}",
        {
            "section": section.number,
            "amount": amount_text(amount) if amount is not None else None,
            "maximum": amount_text(cap[0]) if cap else None,
            "by": actor.user_id,
        },
    )
    return section


# --------------------------------------------------------------------------- paying


def _own_deposit(session: Session, actor: Principal, deposit_id: int) -> Deposit:
    deposit = session.get(Deposit, deposit_id)
    if (
        deposit is None
        or actor.organisation_id is None
        or deposit.organisation_id != actor.organisation_id
        or Role.BIDDER not in actor.roles
    ):
        raise NotFound("保证金记录不存在")
    return deposit


def _registration_of(session: Session, deposit: Deposit) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.section_id == deposit.section_id, Registration.organisation_id == deposit.organisation_id
        )
    )


def open_deposit(session: Session, actor: Principal, registration_id: int, method: str) -> Deposit:
    """Choose how to lodge the deposit; a transfer gets its own virtual sub-account (虚拟子账号).
    While nothing has been paid the bidder may change its mind (the method is switched)."""
    if method not in METHODS:
        raise InvalidInput("缴纳方式应为 transfer（银行转账）或 guarantee（电子保函）", field="method")
    reg = visibility.own_registration(session, actor, registration_id)
    if reg.withdrawn_at is not None:
        raise Conflict("报名已撤回")
    project = session.get(Project, reg.project_id)
    section = session.get(Section, reg.section_id)
    participation.check_window(project, documents=False)
    amount = required_amount(project, section)
    if amount is None:
        raise Conflict("本标段无需缴纳投标保证金")
    if participation.failed_prequalification(session, reg):
        raise Conflict("未通过资格预审的申请人不能参加投标")
    deposit = session.scalar(
        select(Deposit).where(Deposit.section_id == section.id, Deposit.organisation_id == reg.organisation_id)
    )
    if deposit is not None and deposit.status != "awaiting":
        raise AlreadyExists("本标段的投标保证金已缴纳")
    if deposit is not None and deposit.method == method:
        return deposit
    channel = payments.channel_for(session)
    reference = ""
    if method == "transfer":
        org = session.get(Organisation, reg.organisation_id)
        account = channel.open_account(project.code, section.number, org)
        channel_name, reference = account.channel, account.reference
    else:
        channel_name = channel.name
    if deposit is None:
        deposit = Deposit(
            project_id=project.id,
            section_id=section.id,
            organisation_id=reg.organisation_id,
            status="awaiting",
            created_at=clock.now(),
        )
        session.add(deposit)
    deposit.amount, deposit.method, deposit.channel, deposit.channel_ref = amount, method, channel_name, reference
    session.flush()
    ledger.append(
        session,
        "trading:deposit:opened",
        f"deposit:{deposit.id}",
        {"deposit": deposit.id, "method": method, "amount": amount_text(amount)},
    )
    return deposit


def _check_payable(session: Session, deposit: Deposit, method: str) -> Project:
    if deposit.status != "awaiting":
        raise Conflict(f"保证金当前为“{status_label(deposit)}”，不能再次缴纳")
    if deposit.method != method:
        raise Conflict(f"该保证金选择的缴纳方式是{METHODS[deposit.method]}")
    reg = _registration_of(session, deposit)
    if reg is None or reg.withdrawn_at is not None:
        raise Conflict("报名已撤回，不能缴纳保证金")
    return session.get(Project, deposit.project_id)


def _paid(session: Session, deposit: Deposit, evidence: dict, paid_at: datetime) -> None:
    deposit.evidence = json.dumps({"paid": evidence}, ensure_ascii=False)
    deposit.paid_at, deposit.status = paid_at, "paid"
    session.flush()
    ledger.append(
        session,
        "trading:deposit:paid",
        f"deposit:{deposit.id}",
        {
            "deposit": deposit.id,
            "method": deposit.method,
            "amount": amount_text(deposit.amount),
            "channel": deposit.channel,
            "evidence_sha256": _evidence_digest(evidence),
        },
    )


def confirm_transfer(session: Session, actor: Principal, deposit_id: int, amount: Decimal) -> Deposit:
    """到账确认: the channel's record of the transfer becomes the deposit's evidence. The amount must be
    the required amount, it must have arrived before the bid deadline, and from the bidder's own
    account (《招标投标法实施条例》第二十六条: 从其基本账户转出)."""
    if Role.CENTRE_STAFF not in actor.roles:
        raise Forbidden("到账确认由交易中心办理")
    deposit = session.get(Deposit, deposit_id)
    if deposit is None:
        raise NotFound("保证金记录不存在")
    project = _check_payable(session, deposit, "transfer")
    amount = Decimal(amount)
    if amount != deposit.amount:
        wanted = amount_text(deposit.amount)
        raise InvalidInput(f"到账金额 {amount_text(amount)} 元与应缴金额 {wanted} 元不符", field="amount")
    evidence = payments.channel_for(session, deposit.channel).confirm(deposit.channel_ref, amount)
    if Decimal(evidence["amount"]) != deposit.amount:
        raise Conflict(f"银行到账金额 {evidence['amount']} 元与应缴金额 {amount_text(deposit.amount)} 元不符")
    paid_at = datetime.fromisoformat(evidence["paid_at"].replace("Z", "+00:00"))
    if project.bid_deadline is not None and paid_at >= project.bid_deadline:
        raise Conflict("投标保证金须在投标截止时间前到账；逾期到账的款项应原路退回")
    org = session.get(Organisation, deposit.organisation_id)
    if evidence.get("payer_account_name") != org.name:
        raise Conflict(
            "付款账户名与投标人名称不一致：投标保证金应从投标人的基本账户转出（《招标投标法实施条例》第二十六条）"
        )
    _paid(session, deposit, evidence, paid_at)
    if project.state in ("terminated", "failed"):  # arrived in time, but the project has ended since
        schedule_refund(session, deposit, clock.today_local(), "项目已终止或流标")
    return deposit


def submit_guarantee(
    session: Session, actor: Principal, deposit_id: int, guarantee_number: str, issuer: str
) -> Deposit:
    """提交电子保函: verified with the issuer through the channel; one guarantee backs one deposit."""
    deposit = _own_deposit(session, actor, deposit_id)
    project = _check_payable(session, deposit, "guarantee")
    participation.check_window(project, documents=False)
    guarantee_number, issuer = (guarantee_number or "").strip(), (issuer or "").strip()
    if len(issuer) > 200:
        raise InvalidInput("出具机构名称最多 200 个字符", field="issuer")
    used = session.scalar(
        select(Deposit.id).where(
            Deposit.method == "guarantee",
            Deposit.channel_ref == guarantee_number,
            Deposit.id != deposit.id,
            Deposit.status != "awaiting",
        )
    )
    if guarantee_number and used is not None:
        raise AlreadyExists("该保函已用于其他投标", field="guarantee_number")
    evidence = payments.channel_for(session, deposit.channel).verify_guarantee(guarantee_number, issuer, deposit.amount)
    if Decimal(evidence["amount"]) < deposit.amount:
        raise Conflict(f"保函担保金额 {evidence['amount']} 元低于应缴金额 {amount_text(deposit.amount)} 元")
    deposit.channel_ref = guarantee_number
    _paid(session, deposit, evidence, clock.now())
    return deposit


# --------------------------------------------------------------------------- refunds


def schedule_refund(
    session: Session, deposit: Deposit, trigger_date: date, reason: str, rule_id: str = REFUND_RULE
) -> Deposit | None:
    """The deposit becomes refundable: the due date is ``deposit_refund_within`` of the project's rule
    pack counted from ``trigger_date`` (e.g. the contract, the withdrawal, the termination), tracked
    so that a change of the holiday calendar moves it. Nothing to do for a deposit that was never
    paid or is already scheduled. A pack without that rule (e.g. a land auction's 竞买保证金, refunded
    as its announcement says) gives an obligation without a computed due date."""
    from sunshine.rules.service import rules_of

    if deposit.status != "paid":
        return None
    project = session.get(Project, deposit.project_id)
    pack = rules_of(project)
    rule = pack.rule(rule_id) if pack.has(rule_id) else None
    result = rules.deadline(session, rule, trigger_date) if rule is not None else None
    deposit.status, deposit.refund_reason = "refund_due", reason[:300]
    if rule is not None and result is not None:
        tracked = calendar.track(
            session,
            subject=f"deposit:{deposit.id}",
            purpose=refund_purpose(deposit),
            start=trigger_date,
            days=int(rule.value),
            unit=DAY_UNITS[rule.unit],
            rule_ref=f"{project.pack_key}@{project.pack_version}#{rule.id}",
        )
        deposit.refund_due, deposit.refund_deadline_id = result.due, tracked.id
    session.flush()
    ledger.append(
        session,
        "trading:deposit:refund-due",
        f"deposit:{deposit.id}",
        {
            "deposit": deposit.id,
            "method": deposit.method,
            "amount": amount_text(deposit.amount),
            "reason": reason,
            "from": trigger_date.isoformat(),
            "due": result.due.isoformat() if result else None,
            "provisional": result.provisional if result else None,
            "rule": rule.id if rule else None,
            "limit": rule.display if rule else None,
            "basis": rule.basis_text if rule else None,
        },
    )
    return deposit


def schedule_refunds_for_project(
    session: Session, project: Project, reason: str, trigger_date: date | None = None
) -> list[Deposit]:
    """Every paid deposit of the project becomes refundable (e.g. on termination)."""
    trigger = trigger_date or clock.today_local()
    paid = session.scalars(
        select(Deposit).where(Deposit.project_id == project.id, Deposit.status == "paid").order_by(Deposit.id)
    )
    return [d for d in (schedule_refund(session, d, trigger, reason) for d in list(paid)) if d is not None]


def after_award_letters(session: Session, event) -> None:  # noqa: ANN001
    """After-step hook of ``issue_award_letters``: in procurement the unsuccessful bidders' deposits are due
    within the pack's time of the award letter (87号令 第三十八条: 5 working days); the winners' wait for the
    contract. Other methods refund at the contract (条例 第五十七条), or did at their own result (draws)."""
    from sunshine.trading import outcomes

    project = event.project
    if project.transaction_type != "gov_procurement":
        return
    winners = {(w.section_id, w.organisation_id) for w in outcomes.winners(session, project)}
    rule_id = LOCAL_OTHERS_RULE if rules.rules_of(project).has(LOCAL_OTHERS_RULE) else REFUND_RULE
    paid = session.scalars(
        select(Deposit).where(Deposit.project_id == project.id, Deposit.status == "paid").order_by(Deposit.id)
    ).all()
    for deposit in paid:
        if (deposit.section_id, deposit.organisation_id) not in winners:
            reason = "中标（成交）通知书已发出，未中标（成交）人的保证金应予退还"
            schedule_refund(session, deposit, clock.today_local(), reason, rule_id)


def after_contract(session: Session, event) -> None:  # noqa: ANN001
    """After-step hook of ``sign_contract``: every deposit still held becomes refundable from the contract
    (procurement: the winner, 87号令 第三十八条; engineering: everyone, 条例 第五十七条). A land or property
    buyer's 竞买保证金 is settled under its transfer contract and is not refunded here."""
    project = event.project
    if project.lifecycle in AUCTIONED:
        return
    today = clock.today_local()
    paid = session.scalars(
        select(Deposit).where(Deposit.project_id == project.id, Deposit.status == "paid").order_by(Deposit.id)
    ).all()
    for deposit in paid:
        if not any(hold(session, deposit) for hold in _REFUND_HOLDS):  # a later domain may hold it (seed 003)
            schedule_refund(session, deposit, today, "合同已签订，保证金应予退还")


# (session, deposit) -> the reason a refund due at the contract waits (a local pack: the winner's deposit only
# once its performance security is paid), or None; registered at ``domains.install()`` by the domain that knows
_REFUND_HOLDS: list = []


def refund_hold(hold) -> None:  # noqa: ANN001
    if hold not in _REFUND_HOLDS:
        _REFUND_HOLDS.append(hold)


def raise_overdue_alerts(session: Session) -> list[int]:
    """The tick's part: a refund past its due date raises one alert (centre staff, supervisors), once."""
    from sunshine.core import alerts

    raised = []
    for view in overdue_refunds(session):
        alert = alerts.raise_once(
            session,
            key=f"trading:deposit-refund-overdue:{view.deposit.id}",
            domain="trading",
            kind="deposit_refund_overdue",
            subject_kind="deposit",
            subject_id=view.deposit.id,
            message=f"{view.project.name}：{view.organisation_name}的{refund_purpose(view.deposit)}"
            f"应于{view.due.isoformat()}前办理，已逾期",
            audience=(Role.CENTRE_STAFF, Role.SUPERVISOR),
            due=view.due,
            deadline_id=view.deposit.refund_deadline_id,
        )
        if alert is not None:
            raised.append(view.deposit.id)
    return raised


def current_due(session: Session, deposit: Deposit) -> date | None:
    """The due date as it stands now (the tracked deadline follows calendar changes)."""
    if deposit.refund_deadline_id is not None:
        tracked = session.get(TrackedDeadline, deposit.refund_deadline_id)
        if tracked is not None:
            return tracked.due
    return deposit.refund_due


def refund(session: Session, actor: Principal, deposit_id: int) -> Deposit:
    """退还: the channel pays the money back to where it came from (原路退还), or releases the guarantee."""
    if Role.CENTRE_STAFF not in actor.roles:
        raise Forbidden("保证金退还由交易中心办理")
    deposit = session.get(Deposit, deposit_id)
    if deposit is None:
        raise NotFound("保证金记录不存在")
    if deposit.status != "refund_due":
        raise Conflict(f"保证金当前为“{status_label(deposit)}”，尚无退还义务或已退还")
    channel = payments.channel_for(session, deposit.channel)
    evidence = _evidence(deposit)
    due = current_due(session, deposit)
    interest, days_late = late_interest(session, deposit, due, clock.today_local())
    bank = bank_interest(session, deposit, clock.today_local())  # engineering: 条例 第五十七条
    if deposit.method == "transfer":
        step = channel.refund(deposit.channel_ref, deposit.amount + interest + (bank.amount if bank else 0))
    else:
        step = channel.release_guarantee(deposit.channel_ref, evidence.get("paid", {}).get("issuer", ""))
    if interest:
        step = {**step, "interest": str(interest), "days_late": days_late}
    if bank is not None:
        step = {**step, **bank.evidence()}
    evidence["refunded"] = step
    deposit.evidence = json.dumps(evidence, ensure_ascii=False)
    deposit.status, deposit.refunded_at = "refunded", clock.now()
    if deposit.refund_deadline_id is not None:
        calendar.close(session, deposit.refund_deadline_id)
    session.flush()
    ledger.append(
        session,
        "trading:deposit:refunded",
        f"deposit:{deposit.id}",
        {
            "deposit": deposit.id,
            "method": deposit.method,
            "amount": amount_text(deposit.amount),
            "due": due.isoformat() if due else None,
            "late": bool(due and clock.today_local() > due),
            "interest": amount_text(interest) if interest else None,
            "bank_interest": amount_text(bank.amount) if bank else None,
            "evidence_sha256": _evidence_digest(step),
            "by": actor.user_id,
        },
    )
    return deposit


# --------------------------------------------------------------------------- reading


@dataclass
class DepositView:
    deposit: Deposit
    project: Project
    section: Section
    organisation_name: str
    due: date | None

    @property
    def overdue(self) -> bool:
        return self.deposit.status == "refund_due" and self.due is not None and clock.today_local() > self.due

    @property
    def status_label(self) -> str:
        return status_label(self.deposit)

    @property
    def method_label(self) -> str:
        return METHODS.get(self.deposit.method, self.deposit.method)


def _views(session: Session, deposits: list[Deposit]) -> list[DepositView]:
    if not deposits:
        return []
    project_ids = {d.project_id for d in deposits}
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_(project_ids)))}
    sections = {s.id: s for s in session.scalars(select(Section).where(Section.project_id.in_(project_ids)))}
    orgs = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_({d.organisation_id for d in deposits}))
        ).all()
    )
    deadline_ids = [d.refund_deadline_id for d in deposits if d.refund_deadline_id]
    dues = (
        dict(
            session.execute(
                select(TrackedDeadline.id, TrackedDeadline.due).where(TrackedDeadline.id.in_(deadline_ids))
            ).all()
        )
        if deadline_ids
        else {}
    )
    return [
        DepositView(
            d,
            projects[d.project_id],
            sections[d.section_id],
            orgs.get(d.organisation_id, ""),
            dues.get(d.refund_deadline_id, d.refund_due),
        )
        for d in deposits
    ]


def view_of(session: Session, deposit: Deposit) -> DepositView:
    return _views(session, [deposit])[0]


def awaiting_confirmation(session: Session) -> list[DepositView]:
    """Transfers the bidders said they would make, waiting for the centre to confirm arrival."""
    rows = session.scalars(
        select(Deposit)
        .where(Deposit.status == "awaiting", Deposit.method == "transfer")
        .order_by(Deposit.created_at, Deposit.id)
        .limit(500)
    )
    return _views(session, list(rows))


def refunds_due(session: Session) -> list[DepositView]:
    """Every refund obligation still open, soonest first."""
    rows = session.scalars(
        select(Deposit)
        .outerjoin(TrackedDeadline, TrackedDeadline.id == Deposit.refund_deadline_id)
        .where(Deposit.status == "refund_due")
        .order_by(TrackedDeadline.due, Deposit.id)
        .limit(500)
    )
    return _views(session, list(rows))


OVERDUE_ORDER = Keyset.of("overdue-refunds", Key(TrackedDeadline.due, False), Key(Deposit.id, False))


def overdue_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[DepositView]:
    """``overdue_refunds`` one page at a time."""
    stmt = (
        select(Deposit)
        .join(TrackedDeadline, TrackedDeadline.id == Deposit.refund_deadline_id)
        .where(Deposit.status == "refund_due", TrackedDeadline.due < clock.today_local())
    )
    page = paginate(session, stmt, OVERDUE_ORDER, cursor=cursor, limit=limit)
    return Page(_views(session, page.items), page.next_cursor, page.limit, page.number)


def overdue_refunds(session: Session) -> list[DepositView]:
    """Refunds whose last day has passed by the server clock (the due date follows the calendar)."""
    today = clock.today_local()
    rows = session.scalars(
        select(Deposit)
        .join(TrackedDeadline, TrackedDeadline.id == Deposit.refund_deadline_id)
        .where(Deposit.status == "refund_due", TrackedDeadline.due < today)
        .order_by(TrackedDeadline.due, Deposit.id)
    )
    return _views(session, list(rows))
