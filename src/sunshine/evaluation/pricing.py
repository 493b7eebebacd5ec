"""The prices the method reads: the committee's arithmetic corrections of quoted prices (87号令 第五十九条) and the
quantified adjustments of 经评审的最低投标价法 (量化折算).

Corrections (government procurement; LAW-NEXT B2, certain): where the bid's figures disagree, the chair records the
correction under one of the article's rules — (一) the 开标一览表 prevails over the body of the bid; (二) the amount
in words prevails over the figures; (三) a unit price with an obvious decimal-point or percentage slip is corrected
from the 开标一览表's total; (四) a total that differs from the sum of the unit prices gives way to the unit prices
— with the original and corrected price, the facts and a deadline. The bidder confirms or declines it on its own
page (``/evaluation/my-queries``); a confirmed correction becomes the bid's price (what the method and the contract
use; the original stays on record), a declined one — or one left unconfirmed past its deadline when the review
ends — makes the bid invalid (投标人不确认的，其投标无效). Engineering tenders (LAW-NEXT B1 confirms no article on
arithmetic errors): the usual rules the tender documents declare — words over figures; the unit prices over a
differing total, unless a unit price has an obvious decimal slip — are the platform's default (待确认, pack rule
``arithmetic_correction``: 1 on, 0 off where the centre's pack says so), cited as the tender documents' rule and
never with an article number; the bidder confirms them the same way.

Adjustments: where the declared method evaluates adjusted prices (``adjustments`` on the method: 经评审的最低投标价法),
the chair records each quantified item (amount in yuan, + or −, with its facts); the computation adds their sum to
the bid's price for its evaluated price only (``adjustment_totals``), never to the contract price.

Every record is one ledger entry with numbers and digests only (the deliberation is confidential). Never commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.evaluation import codes, declaration, visibility
from sunshine.evaluation.models import EvaluationAdjustment, EvaluationBid, EvaluationCorrection, EvaluationSession
from sunshine.evaluation.service import bid_of, bid_row, log, require_chair, require_state, require_unsealed
from sunshine.messaging import service as messaging
from sunshine.trading.models import Project

ART59 = "《政府采购货物和服务招标投标管理办法》第五十九条"
CORRECTION_RULES = {
    "summary_prevails": "开标一览表（报价表）内容与投标文件中相应内容不一致的，以开标一览表（报价表）为准",
    "words_prevail": "大写金额和小写金额不一致的，以大写金额为准",
    "decimal_slip": "单价金额小数点或者百分比有明显错位的，以开标一览表的总价为准，并修改单价",
    "unit_prices_prevail": "总价金额与按单价汇总金额不一致的，以单价金额计算结果为准",
}
#: engineering (工程招标): the tender documents' usual rules, 平台默认值 pending the 12号令 text (no article cited)
WORKS_BASIS = "招标文件载明的算术错误修正规则（平台默认值，待确认）"
WORKS_CORRECTION_RULES = {
    "works_words_prevail": "投标文件中的大写金额与小写金额不一致的，以大写金额为准",
    "works_unit_prices_prevail": (
        "总价金额与依据单价计算出的结果不一致的，以单价金额为准修正总价，但单价金额小数点有明显错误的除外"
    ),
}
RULE_LABELS = {**CORRECTION_RULES, **WORKS_CORRECTION_RULES}
ANSWERS = {"confirmed": "投标人已确认", "declined": "投标人不确认（投标无效）", "lapsed": "逾期未确认（投标无效）"}
MESSAGE_KIND = "evaluation_query"


def basis_of(rule: str) -> str:
    return WORKS_BASIS if rule in WORKS_CORRECTION_RULES else ART59


def rules_for(session: Session, project: Project) -> dict[str, str]:
    """The correction rules that apply to the project: 第五十九条's four in government procurement; the tender
    documents' usual rules in an engineering tender whose pack turns corrections on; none otherwise."""
    if codes.is_procurement(project.transaction_type):
        return CORRECTION_RULES
    on = declaration.rule_values(session, project).get("arithmetic_correction", Decimal(0)) >= 1
    if project.transaction_type == "engineering" and on:
        return WORKS_CORRECTION_RULES
    return {}


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _amount(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("请填写金额（元，最多两位小数）", field=field) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e16"):
        raise InvalidInput("金额超出范围", field=field)
    return amount


def _facts(text: str) -> str:
    text = (text or "").strip()
    if not 4 <= len(text) <= 2000:
        raise InvalidInput("请写明事实（4至2000字）", field="facts")
    return text


def corrections_of(session: Session, row: EvaluationSession) -> list[EvaluationCorrection]:
    stmt = select(EvaluationCorrection).where(EvaluationCorrection.session_id == row.id)
    return list(session.scalars(stmt.order_by(EvaluationCorrection.id)))


def adjustments_of(session: Session, row: EvaluationSession) -> list[EvaluationAdjustment]:
    stmt = select(EvaluationAdjustment).where(EvaluationAdjustment.session_id == row.id)
    return list(session.scalars(stmt.order_by(EvaluationAdjustment.id)))


def correct(
    session: Session,
    actor: Principal,
    session_id: int,
    eval_bid_id: int,
    *,
    rule: str,
    corrected: object,
    facts: str,
    due_at: datetime,
) -> EvaluationCorrection:
    """报价修正: the chair records the committee's correction; the bidder is asked to confirm it by ``due_at``."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review")
    allowed = rules_for(session, project)
    if not allowed:
        raise Conflict(
            "本项目适用的规则未设报价算术修正：政府采购项目按《政府采购货物和服务招标投标管理办法》第五十九条办理，"
            "工程招标按招标文件载明的修正规则办理（交易中心规则包已关闭的除外）"
        )
    bid = bid_of(session, row, eval_bid_id)
    if bid.rejected_reason is not None:
        raise Conflict("该投标已被否决，无需修正报价")
    if rule not in allowed:
        what = "第五十九条规定的修正情形" if allowed is CORRECTION_RULES else "招标文件载明的修正情形"
        raise InvalidInput(f"请选择{what}", field="rule")
    amount = _amount(corrected, "corrected")
    if amount <= 0 or amount == Decimal(bid.price):
        raise InvalidInput("修正后的报价应为正数且与原报价不同", field="corrected")
    if any(c.eval_bid_id == bid.id and c.answer is None for c in corrections_of(session, row)):
        raise Conflict("该投标尚有待投标人确认的修正")
    if due_at.tzinfo is None:  # a time written without its zone is Beijing time
        due_at = due_at.replace(tzinfo=get_settings().tz)
    if due_at <= clock.now():
        raise InvalidInput("确认截止时间应晚于现在", field="due_at")
    correction = EvaluationCorrection(
        session_id=row.id,
        eval_bid_id=bid.id,
        rule=rule,
        original=Decimal(bid.price),
        corrected=amount,
        facts=_facts(facts),
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
        due_at=due_at,
    )
    session.add(correction)
    session.flush()
    messaging.send(
        session,
        user_id=bid_row(session, bid).user_id,
        subject="评标委员会修正了贵单位的投标报价，请确认",
        body=(
            f"“{project.name}”的评标委员会依据{basis_of(rule)}（{RULE_LABELS[rule]}）修正了贵单位的投标报价，"
            f"请于{formatting.local_time(due_at)}前在平台确认；不确认的，投标无效。"
        ),
        link="/evaluation/my-queries",
        kind=MESSAGE_KIND,
    )
    log(
        session,
        row,
        "price:corrected",
        {"correction": correction.id, "bid": bid.id, "rule": rule, "digest": _digest(amount, correction.facts)},
    )
    return correction


def my_corrections(session: Session, actor: Principal) -> list[tuple[EvaluationCorrection, Project]]:
    """The corrections of the actor's own organisation's bids, newest first."""
    if actor.organisation_id is None:
        return []
    stmt = (
        select(EvaluationCorrection, Project)
        .join(EvaluationBid, EvaluationBid.id == EvaluationCorrection.eval_bid_id)
        .join(EvaluationSession, EvaluationSession.id == EvaluationCorrection.session_id)
        .join(Project, Project.id == EvaluationSession.project_id)
        .where(EvaluationBid.organisation_id == actor.organisation_id)
        .order_by(EvaluationCorrection.id.desc())
    )
    return [(c, p) for c, p in session.execute(stmt)]


def _invalidate(bid: EvaluationBid, facts: str) -> None:
    stage = "compliance" if bid.qualification == "passed" else "qualification"
    setattr(bid, stage, "rejected")
    bid.rejected_reason, bid.rejected_facts, bid.rejected_at = "correction_unconfirmed", facts, clock.now()


def answer(session: Session, actor: Principal, correction_id: int, *, confirm: bool) -> EvaluationCorrection:
    """The bidder confirms the corrected price (it binds: the bid's price becomes it) or declines (投标无效)."""
    correction = session.get(EvaluationCorrection, correction_id)
    bid = session.get(EvaluationBid, correction.eval_bid_id) if correction is not None else None
    if bid is None or actor.organisation_id is None or bid.organisation_id != actor.organisation_id:
        raise NotFound("没有这项报价修正")
    row = session.get(EvaluationSession, correction.session_id)
    require_unsealed(row)
    if correction.answer is not None:
        raise Conflict("该报价修正已答复")
    if clock.now() > correction.due_at:
        raise Conflict(f"确认截止时间（{formatting.local_time(correction.due_at)}）已过")
    if bid.rejected_reason is not None:
        raise Conflict("该投标已被否决")
    correction.answer = "confirmed" if confirm else "declined"
    correction.answered_by, correction.answered_at = actor.user_id, clock.now()
    if confirm:
        bid.price = correction.corrected
    else:
        _invalidate(bid, f"投标人不确认修正后的报价（{formatting.yuan(correction.corrected)}元）")
    session.flush()
    log(session, row, "price:answered", {"correction": correction.id, "confirmed": confirm})
    return correction


def settle_at_review_end(session: Session, row: EvaluationSession) -> None:
    """At 审查结束: a correction still within its deadline holds the review; one past it unconfirmed voids the bid."""
    for correction in corrections_of(session, row):
        if correction.answer is not None:
            continue
        if clock.now() <= correction.due_at:
            raise Conflict("尚有待投标人确认的报价修正（未到确认期限）")
        correction.answer, correction.answered_at = "lapsed", clock.now()
        bid = session.get(EvaluationBid, correction.eval_bid_id)
        if bid.rejected_reason is None:
            _invalidate(bid, "投标人逾期未确认修正后的报价")
        log(session, row, "price:answered", {"correction": correction.id, "confirmed": False, "lapsed": True})


def adjust(
    session: Session, actor: Principal, session_id: int, eval_bid_id: int, *, item: str, amount: object, facts: str
) -> EvaluationAdjustment:
    """量化折算: the chair records one quantified adjustment of a bid's evaluated price."""
    row, _ = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review", "scoring")
    method = declaration.method(declaration.required(session, row.section_id).method)
    if not getattr(method, "adjustments", False):
        raise Conflict(f"“{method.title}”不作价格折算")
    bid = bid_of(session, row, eval_bid_id)
    if bid.rejected_reason is not None:
        raise Conflict("该投标已被否决")
    item = (item or "").strip()
    if not 2 <= len(item) <= 200:
        raise InvalidInput("请写明折算的偏差项（2至200字）", field="item")
    value = _amount(amount, "amount")
    if value == 0:
        raise InvalidInput("折算金额不能为零", field="amount")
    adjustment = EvaluationAdjustment(
        session_id=row.id,
        eval_bid_id=bid.id,
        item=item,
        amount=value,
        facts=_facts(facts),
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(adjustment)
    session.flush()
    log(session, row, "price:adjusted", {"adjustment": adjustment.id, "bid": bid.id, "digest": _digest(item, value)})
    return adjustment


def adjustment_totals(session: Session, row: EvaluationSession) -> dict[int, Decimal]:
    stmt = (
        select(EvaluationAdjustment.eval_bid_id, func.sum(EvaluationAdjustment.amount))
        .where(EvaluationAdjustment.session_id == row.id)
        .group_by(EvaluationAdjustment.eval_bid_id)
    )
    return {bid_id: Decimal(total) for bid_id, total in session.execute(stmt)}


def for_report(session: Session, row: EvaluationSession) -> dict[str, list[dict]]:
    names = {b.id: b.bidder for b in session.scalars(select(EvaluationBid).where(EvaluationBid.session_id == row.id))}
    return {
        "corrections": [
            {
                "bidder": names.get(c.eval_bid_id, ""),
                "rule": RULE_LABELS[c.rule],
                "basis": basis_of(c.rule),
                "original": f"{c.original:.2f}",
                "corrected": f"{c.corrected:.2f}",
                "facts": c.facts,
                "answer": ANSWERS.get(c.answer or "", "待投标人确认"),
            }
            for c in corrections_of(session, row)
        ],
        "adjustments": [
            {"bidder": names.get(a.eval_bid_id, ""), "item": a.item, "amount": f"{a.amount:.2f}", "facts": a.facts}
            for a in adjustments_of(session, row)
        ],
    }
