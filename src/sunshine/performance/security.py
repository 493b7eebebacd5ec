"""Securities a contract names (工程担保): the winner's performance security (履约担保, ≤ 10 % of the contract
amount, 《中华人民共和国招标投标法实施条例》第五十八条; 《中华人民共和国政府采购法实施条例》第四十八条 — checked
when the contract was drafted) and a payment guarantee (支付担保) the tenderer gives where the contract names one.
Each is given either as money through the payment channel of deposits (a virtual sub-account, the bank's evidence)
or as a guarantee (保函) uploaded as a file (file store; its SHA-256 in the ledger) whose issuer, number, amount (
≥ the amount required) and validity (covering the term: the last milestone of the payment schedule) are checked;
the holder confirms receipt. Released only after the acceptance passed: money refunded through the channel, a 保函
returned as a document (the return recorded with its date and how the original went back). A local pack's rule
(seed 003) makes the winner's bid deposit wait for its performance security: ``hold_winner_refund`` and
``_release_winner_deposit``. Never commits."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, checked_upload
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.formatting import amount_text, yuan
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.performance import visibility as parties
from sunshine.performance.models import Acceptance, Milestone, PerformanceSecurity
from sunshine.rules import service as rules
from sunshine.trading import deposits, payments
from sunshine.trading.models import Deposit, Project, Section

KINDS = {"performance": "履约担保", "payment": "支付担保"}
FORMS = {"money": "保证金（转账）", "guarantee": "保函"}
STATUSES = {
    "awaiting": "待提交",
    "submitted": "已提交，待确认收到",
    "received": "已收到",
    "released": "已退还",
}
MAX_FILE = 20 * 1024 * 1024
# seed 003 (Fujian local pack): the winner's bid deposit is refunded within these days of its performance security
WINNER_REFUND_RULE = "deposit_refund_winner_after_security_calendar_days"
MESSAGE_KIND = "performance"
BASIS = "《中华人民共和国招标投标法实施条例》第五十八条；《中华人民共和国政府采购法实施条例》第四十八条"


def _money(value: str | Decimal | None, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label}应为金额（元）", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"{label}应为大于零、最多两位小数的金额（元）", field=field)
    return amount


def of_contract(session: Session, contract_id: int) -> list[PerformanceSecurity]:
    return list(
        session.scalars(
            select(PerformanceSecurity)
            .where(PerformanceSecurity.contract_id == contract_id)
            .order_by(PerformanceSecurity.id)
        )
    )


def open_for(session: Session, contract: AwardContract) -> PerformanceSecurity | None:
    """The performance security the signed contract names, awaiting the winner (once; none if not named)."""
    if not contract.performance_security:
        return None
    found = session.scalar(
        select(PerformanceSecurity).where(
            PerformanceSecurity.contract_id == contract.id, PerformanceSecurity.kind == "performance"
        )
    )
    if found is not None:
        return found
    row = PerformanceSecurity(
        contract_id=contract.id,
        kind="performance",
        form="guarantee",
        provider_id=contract.winner_id,
        holder_id=contract.tenderer_id,
        required=contract.performance_security,
        status="awaiting",
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def after_contract(session: Session, event) -> None:  # noqa: ANN001
    """After ``sign_contract``: each contract's performance security awaits the winner, who is told."""
    in_force = select(AwardContract).where(
        AwardContract.project_id == event.project.id, AwardContract.revoked_at.is_(None)
    )  # a contract revoked by a re-evaluation (94号令 第三十二条) is not performed
    for contract in session.scalars(in_force):
        if open_for(session, contract) is None:
            continue
        for user_id in parties.users_of(session, contract.winner_id):
            messaging.send(
                session,
                user_id=user_id,
                subject=f"请提交履约担保：{contract.title}（{contract.number}）",
                body=f"合同约定履约担保人民币{yuan(contract.performance_security)}元，"
                "请以保证金（转账）或保函方式提交。",
                link=f"/contracts/{contract.id}/performance",
                kind=MESSAGE_KIND,
            )


def require_payment_guarantee(
    session: Session, actor: Principal, contract_id: int, *, amount: str | Decimal
) -> PerformanceSecurity:
    """The contract names a payment guarantee (支付担保) the tenderer gives the winner: recorded by the tenderer's
    side, then given and confirmed the same way as the performance security."""
    contract, project = parties.contract(session, actor, contract_id)
    parties.tenderer_side(actor, contract, project, "登记支付担保")
    parties.performing(contract, project, "登记支付担保")
    value = _money(amount, "amount", "支付担保金额")
    if value > contract.amount:
        raise InvalidInput("支付担保金额不能超过合同金额", field="amount")
    exists = session.scalar(
        select(PerformanceSecurity.id).where(
            PerformanceSecurity.contract_id == contract.id, PerformanceSecurity.kind == "payment"
        )
    )
    if exists is not None:
        raise Conflict("该合同的支付担保已登记")
    row = PerformanceSecurity(
        contract_id=contract.id,
        kind="payment",
        form="guarantee",
        provider_id=contract.tenderer_id,
        holder_id=contract.winner_id,
        required=value,
        status="awaiting",
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def _own(session: Session, actor: Principal, security_id: int, *, provider: bool) -> tuple:
    security = session.get(PerformanceSecurity, security_id)
    if security is None:
        raise NotFound("担保记录不存在")
    contract, project = parties.contract(session, actor, security.contract_id)
    side = parties.side_of(actor, contract, project)
    provider_side = "winner" if security.provider_id == contract.winner_id else "tenderer"
    wanted = provider_side if provider else ("tenderer" if provider_side == "winner" else "winner")
    if side != wanted:
        who = "提供担保的一方" if provider else "收取担保的一方"
        raise Forbidden(f"该操作由{who}（{parties.SIDES[wanted]}）办理")
    return security, contract, project


def _term_end(session: Session, contract_id: int) -> date | None:
    return session.scalar(select(func.max(Milestone.planned_on)).where(Milestone.contract_id == contract_id))


def pay_as_money(session: Session, actor: Principal, security_id: int) -> PerformanceSecurity:
    """The provider chooses to pay money: a virtual sub-account of the deposits' payment channel to pay into."""
    security, contract, project = _own(session, actor, security_id, provider=True)
    parties.performing(contract, project, "提交担保")
    if security.status != "awaiting":
        raise Conflict(f"该担保当前为“{STATUSES[security.status]}”")
    channel = payments.channel_for(session)
    section = session.get(Section, contract.section_id)
    account = channel.open_account(
        f"{project.code}-LY", section.number, session.get(Organisation, security.provider_id)
    )
    security.form, security.channel, security.channel_ref = "money", account.channel, account.reference
    security.issuer = security.number = security.valid_until = security.file_sha256 = security.file_name = None
    session.flush()
    return security


def submit_guarantee(
    session: Session,
    actor: Principal,
    security_id: int,
    *,
    issuer: str,
    number: str,
    amount: str | Decimal,
    valid_until: date,
    upload: Upload,
) -> PerformanceSecurity:
    """The provider uploads its 保函: issuer, number, amount ≥ required, valid at least to the end of the term."""
    security, contract, project = _own(session, actor, security_id, provider=True)
    parties.performing(contract, project, "提交担保")
    if security.status not in ("awaiting", "submitted"):
        raise Conflict(f"该担保当前为“{STATUSES[security.status]}”")
    issuer, number = (issuer or "").strip(), (number or "").strip()
    if not issuer or len(issuer) > 200:
        raise InvalidInput("请填写出具保函的银行、保险或担保机构（200字以内）", field="issuer")
    if not payments.GUARANTEE_NUMBER.match(number):
        raise InvalidInput("保函编号应为 6–64 位字母、数字或连字符", field="number")
    value = _money(amount, "amount", "保函金额")
    if value < security.required:
        raise InvalidInput(
            f"保函金额人民币{yuan(value)}元低于合同约定的{KINDS[security.kind]}人民币{yuan(security.required)}元",
            field="amount",
        )
    end = _term_end(session, contract.id)
    if end is None:
        raise Conflict("请先登记合同的付款计划（里程碑），以核对保函有效期是否覆盖合同履行期限")
    if valid_until < end:
        raise InvalidInput(
            f"保函有效期至{valid_until.isoformat()}，未覆盖合同履行期限（最后一期计划于{end.isoformat()}）",
            field="valid_until",
        )
    name, _type, data = checked_upload(upload, MAX_FILE)
    sha = file_store().put(data)
    security.form, security.channel, security.channel_ref = "guarantee", None, None
    security.issuer, security.number, security.amount, security.valid_until = issuer, number, value, valid_until
    security.file_sha256, security.file_name = sha, name[:200]
    security.status, security.submitted_at = "submitted", clock.now()
    session.flush()
    ledger.append(
        session,
        "performance:security:submitted",
        f"contract:{contract.number}",
        {
            "security": security.id,
            "kind": security.kind,
            "form": "guarantee",
            "amount": amount_text(value),
            "valid_until": valid_until.isoformat(),
            "file_sha256": sha,
        },
    )
    _tell(session, security.holder_id, contract, f"{KINDS[security.kind]}保函已提交，请核对并确认收到")
    return security


def confirm_receipt(session: Session, actor: Principal, security_id: int) -> PerformanceSecurity:
    """The holder confirms: a 保函 received (its original checked against the upload), or the money arrived —
    asked of the payment channel, which must report the required amount from the provider's own account."""
    security, contract, project = _own(session, actor, security_id, provider=False)
    if security.status == "awaiting" and security.form == "money" and security.channel_ref:
        channel = payments.channel_for(session, security.channel)
        evidence = channel.confirm(security.channel_ref, security.required)
        if Decimal(evidence["amount"]) != security.required:
            raise Conflict(f"银行到账金额 {evidence['amount']} 元与约定金额 {amount_text(security.required)} 元不符")
        if evidence.get("payer_account_name") != session.get(Organisation, security.provider_id).name:
            raise Conflict("付款账户名与提供担保的单位名称不一致")
        security.amount, security.evidence = security.required, json.dumps({"paid": evidence}, ensure_ascii=False)
    elif security.status != "submitted":
        raise Conflict(f"该担保当前为“{STATUSES[security.status]}”，没有可确认的担保")
    security.status, security.received_by, security.received_at = "received", actor.user_id, clock.now()
    session.flush()
    ledger.append(
        session,
        "performance:security:received",
        f"contract:{contract.number}",
        {
            "security": security.id,
            "kind": security.kind,
            "form": security.form,
            "amount": amount_text(security.amount),
            "file_sha256": security.file_sha256,
            "by": actor.user_id,
        },
    )
    _tell(session, security.provider_id, contract, f"{KINDS[security.kind]}已确认收到")
    if security.kind == "performance":
        _release_winner_deposit(session, project, contract)
    return security


def release(session: Session, actor: Principal, security_id: int, *, note: str = "") -> PerformanceSecurity:
    """After the acceptance passed: money refunded through the channel to where it came from; a 保函 returned as a
    document — the holder records the return (date, how the original went back: 快递单号 or who signed for it)."""
    security, contract, project = _own(session, actor, security_id, provider=False)
    if security.status != "received":
        raise Conflict(f"该担保当前为“{STATUSES[security.status]}”，不能退还")
    passed = session.scalar(
        select(Acceptance.id).where(Acceptance.contract_id == contract.id, Acceptance.status == "passed")
    )
    if passed is None:
        raise Conflict("履约验收合格后方可退还担保")
    evidence = json.loads(security.evidence) if security.evidence else {}
    note = (note or "").strip()
    if security.form == "money":
        evidence["refunded"] = payments.channel_for(session, security.channel).refund(
            security.channel_ref, security.amount
        )
    else:
        if not note or len(note) > 300:
            raise InvalidInput("请填写保函原件的退还方式（如快递单号、签收人），300字以内", field="note")
        security.returned_on, security.return_note = clock.today_local(), note
    security.evidence = json.dumps(evidence, ensure_ascii=False) if evidence else None
    security.status, security.released_by, security.released_at = "released", actor.user_id, clock.now()
    session.flush()
    ledger.append(
        session,
        "performance:security:released",
        f"contract:{contract.number}",
        {
            "security": security.id,
            "kind": security.kind,
            "form": security.form,
            "amount": amount_text(security.amount),
            "returned_on": security.returned_on.isoformat() if security.returned_on else None,
            "by": actor.user_id,
        },
    )
    what = "保证金已原路退还" if security.form == "money" else f"保函原件已退还（{note}）"
    _tell(session, security.provider_id, contract, f"{KINDS[security.kind]}{what}")
    return security


def _tell(session: Session, organisation_id: int, contract: AwardContract, subject: str) -> None:
    for user_id in parties.users_of(session, organisation_id):
        messaging.send(
            session,
            user_id=user_id,
            subject=f"{subject}：{contract.number}",
            body=f"{contract.title}（{contract.number}）：{subject}。",
            link=f"/contracts/{contract.id}/performance",
            kind=MESSAGE_KIND,
        )


# --------------------------------------------------------------------------- seed 003: winner's refund waits


def _winner_contract(session: Session, deposit: Deposit) -> AwardContract | None:
    return session.scalar(
        select(AwardContract).where(
            AwardContract.section_id == deposit.section_id,
            AwardContract.winner_id == deposit.organisation_id,
            AwardContract.revoked_at.is_(None),
        )
    )


def hold_winner_refund(session: Session, deposit: Deposit) -> str | None:
    """Refund hold of ``trading.deposits`` at the contract: where the project's pack has the local rule (seed 003),
    the winner's deposit waits while the performance security its contract names is not yet received."""
    project = session.get(Project, deposit.project_id)
    if not rules.rules_of(project).has(WINNER_REFUND_RULE):
        return None
    contract = _winner_contract(session, deposit)
    if contract is None or not contract.performance_security:
        return None
    received = session.scalar(
        select(PerformanceSecurity.id).where(
            PerformanceSecurity.contract_id == contract.id,
            PerformanceSecurity.kind == "performance",
            PerformanceSecurity.status.in_(("received", "released")),
        )
    )
    return None if received is not None else "中标人交纳履约保证金后退还其投标保证金"


def _release_winner_deposit(session: Session, project: Project, contract: AwardContract) -> None:
    if not rules.rules_of(project).has(WINNER_REFUND_RULE):
        return
    held = session.scalar(
        select(Deposit).where(
            Deposit.section_id == contract.section_id,
            Deposit.organisation_id == contract.winner_id,
            Deposit.status == "paid",
        )
    )
    if held is not None and project.state in parties.PERFORMING:
        reason = "中标人已交纳履约保证金，投标保证金应予退还"
        deposits.schedule_refund(session, held, clock.today_local(), reason, WINNER_REFUND_RULE)


def file_of(session: Session, actor: Principal, security_id: int) -> tuple[str, bytes, str]:
    """The uploaded 保函 (both parties, the centre, the supervisors): its name, bytes and SHA-256."""
    security = session.get(PerformanceSecurity, security_id)
    if security is None or security.file_sha256 is None:
        raise NotFound("保函文件不存在")
    parties.contract(session, actor, security.contract_id)
    data = file_store().open(security.file_sha256)
    if hashlib.sha256(data).hexdigest() != security.file_sha256:
        raise Conflict("保函文件校验失败")
    return security.file_name or "guarantee.pdf", data, security.file_sha256
