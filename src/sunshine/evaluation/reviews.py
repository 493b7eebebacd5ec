"""The reviews before scoring: qualification review (资格审查, post-qualification) and compliance review (符合性审查),
each rejection choosing a statutory reason from the coded list (条例 第五十一条; 87号令 第六十三条) with the facts in
the committee's words; written clarifications (澄清, 条例 第五十二条; 87号令 第五十一条) asked through the platform
with a deadline and answered by the bidder on its own page; abnormally low prices (87号令 第六十条; 12号令): the
bidder is asked to justify, and an unanswered or unconvincing answer rejects the bid with that reason. The chair
records the committee's decisions. The ledger carries digests of the decisions, never their content, until the
report. Then ``finish`` moves on to scoring, or fails the section (政府采购法 第三十六条; 招标投标法 第四十二条).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, bounded_limit, paginate
from sunshine.evaluation import closing, codes, pricing, visibility
from sunshine.evaluation.models import EvaluationBid, EvaluationQuery, EvaluationSession
from sunshine.evaluation.service import (
    bid_of,
    bid_row,
    bids_of,
    log,
    require_chair,
    require_state,
    require_unsealed,
)
from sunshine.messaging import service as messaging
from sunshine.trading.models import Project

STAGES = {"qualification": "资格审查", "compliance": "符合性审查"}
MESSAGE_KIND = "evaluation_query"
FAIL_36 = "《中华人民共和国政府采购法》第三十六条第一款第（一）项"
FAIL_42 = "《中华人民共和国招标投标法》第四十二条"
KEPT_REJECTIONS = codes.LOW_PRICE_REASONS | {"correction_unconfirmed"}


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _facts(text: str, field: str = "facts") -> str:
    text = (text or "").strip()
    if not 4 <= len(text) <= 2000:
        raise InvalidInput("请写明事实和依据（4至2000字）", field=field)
    return text


def queries_of(session: Session, row: EvaluationSession) -> list[EvaluationQuery]:
    stmt = select(EvaluationQuery).where(EvaluationQuery.session_id == row.id)
    return list(session.scalars(stmt.order_by(EvaluationQuery.id)))


def _reject(bid: EvaluationBid, stage: str, reason: str, facts: str) -> None:
    setattr(bid, stage, "rejected")
    bid.rejected_reason, bid.rejected_facts, bid.rejected_at = reason, facts, clock.now()


def review(
    session: Session,
    actor: Principal,
    session_id: int,
    eval_bid_id: int,
    *,
    stage: str,
    passed: bool,
    reason: str | None = None,
    facts: str = "",
    sme: bool | None = None,
) -> EvaluationBid:
    """资格审查 / 符合性审查 of one bid, recorded by the chair for the committee."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review")
    if stage not in STAGES:
        raise InvalidInput("审查类别应为资格审查或符合性审查", field="stage")
    bid = bid_of(session, row, eval_bid_id)
    # 重新评审: the round's reviews are reopened — the committee may change a pass/fail of this stage (a rejection
    # found on a low-price explanation or an unconfirmed correction stands: it rests on the bidder's own answer)
    revising = row.round > 1 and getattr(bid, stage) is not None and bid.rejected_reason not in KEPT_REJECTIONS
    if bid.rejected_reason is not None and not (revising and getattr(bid, stage) == "rejected"):
        raise Conflict("该投标已被否决")
    if getattr(bid, stage) is not None and not revising:
        raise Conflict(f"该投标的{STAGES[stage]}已有结论")
    if passed:
        if getattr(bid, stage) == "rejected":
            bid.rejected_reason = bid.rejected_facts = bid.rejected_at = None
        setattr(bid, stage, "passed")
        if sme is not None and stage == "compliance":
            bid.sme = sme  # 中小企业声明函 checked in the compliance review
        decision = {"bid": bid.id, "stage": stage, "passed": True, "sme": bid.sme}
    else:
        reasons = codes.rejections_for(project.transaction_type)
        if reason not in reasons:
            raise InvalidInput("请从法定情形中选择否决（无效）投标的理由", field="reason")
        if reason in codes.LOW_PRICE_REASONS:
            raise Conflict("异常低价须先要求投标人说明，由委员会作出认定（“异常低价说明”）")
        _reject(bid, stage, reason, _facts(facts))
        decision = {"bid": bid.id, "stage": stage, "passed": False, "reason": reason, "facts": bid.rejected_facts}
    session.flush()
    entry = {"bid": bid.id, "stage": stage, "digest": _digest(decision)}
    log(session, row, "bid:reviewed", entry | ({"revised": True, "round": row.round} if revising else {}))
    return bid


def ask(
    session: Session,
    actor: Principal,
    session_id: int,
    eval_bid_id: int,
    *,
    kind: str,
    question: str,
    due_at: datetime,
) -> EvaluationQuery:
    """澄清 or 异常低价说明: the committee asks the bidder in writing through the platform, with a deadline."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review")
    if kind not in codes.QUERY_KINDS:
        raise InvalidInput("问询类别应为澄清或异常低价说明", field="kind")
    bid = bid_of(session, row, eval_bid_id)
    if bid.rejected_reason is not None:
        raise Conflict("该投标已被否决")
    question = (question or "").strip()
    if not 4 <= len(question) <= 2000:
        raise InvalidInput("请写明问询的内容（4至2000字）", field="question")
    if due_at.tzinfo is None:  # a time written without its zone is Beijing time, as people write it
        due_at = due_at.replace(tzinfo=get_settings().tz)
    if due_at <= clock.now():
        raise InvalidInput("答复截止时间应晚于现在", field="due_at")
    query = EvaluationQuery(
        session_id=row.id,
        eval_bid_id=bid.id,
        kind=kind,
        question=question,
        asked_by=actor.user_id,
        asked_at=clock.now(),
        due_at=due_at,
    )
    session.add(query)
    session.flush()
    bidder_user = bid_row(session, bid).user_id
    messaging.send(
        session,
        user_id=bidder_user,
        subject=f"评标委员会{codes.QUERY_KINDS[kind]}要求",
        body=(
            f"“{project.name}”的评标委员会要求贵单位书面{codes.QUERY_KINDS[kind]}，"
            f"请于{formatting.local_time(due_at)}前在平台答复。澄清不得超出投标文件的范围或者改变投标文件的实质性内容。"
        ),
        link="/evaluation/my-queries",
        kind=MESSAGE_KIND,
    )
    log(session, row, "query:asked", {"query": query.id, "kind": kind, "due_at": due_at.isoformat()})
    return query


def my_queries(session: Session, actor: Principal) -> list[tuple[EvaluationQuery, Project]]:
    """The questions put to the actor's own organisation, newest first."""
    if actor.organisation_id is None:
        return []
    stmt = (
        select(EvaluationQuery, EvaluationSession.project_id)
        .join(EvaluationBid, EvaluationBid.id == EvaluationQuery.eval_bid_id)
        .join(EvaluationSession, EvaluationSession.id == EvaluationQuery.session_id)
        .where(EvaluationBid.organisation_id == actor.organisation_id)
        .order_by(EvaluationQuery.id.desc())
    )
    return [(q, session.get(Project, pid)) for q, pid in session.execute(stmt)]


MY_QUERY_ORDER = Keyset.of("evaluation-queries-mine", EvaluationQuery.id)


def my_query_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[EvaluationQuery, Project]]:
    """``my_queries`` one page at a time."""
    if actor.organisation_id is None:
        return Page([], None, bounded_limit(limit))
    stmt = (
        select(EvaluationQuery, EvaluationSession.project_id)
        .join(EvaluationBid, EvaluationBid.id == EvaluationQuery.eval_bid_id)
        .join(EvaluationSession, EvaluationSession.id == EvaluationQuery.session_id)
        .where(EvaluationBid.organisation_id == actor.organisation_id)
    )
    page = paginate(session, stmt, MY_QUERY_ORDER, cursor=cursor, limit=limit)
    rows = [(q, session.get(Project, pid)) for q, pid in page.items]
    return Page(rows, page.next_cursor, page.limit, page.number)


def answer(session: Session, actor: Principal, query_id: int, text: str) -> EvaluationQuery:
    """The bidder answers on its own page before the deadline; the answer may not change the price or substance."""
    query = session.get(EvaluationQuery, query_id)
    bid = session.get(EvaluationBid, query.eval_bid_id) if query is not None else None
    if bid is None or actor.organisation_id is None or bid.organisation_id != actor.organisation_id:
        raise NotFound("没有这项问询")
    if query.answered_at is not None:
        raise Conflict("该问询已经答复")
    require_unsealed(session.get(EvaluationSession, query.session_id))
    if clock.now() > query.due_at:
        raise Conflict(f"答复截止时间（{formatting.local_time(query.due_at)}）已过")
    text = (text or "").strip()
    if not 2 <= len(text) <= 5000:
        raise InvalidInput("请填写答复内容（2至5000字）", field="answer")
    query.answer, query.answered_by, query.answered_at = text, actor.user_id, clock.now()
    row = session.get(EvaluationSession, query.session_id)
    log(session, row, "query:answered", {"query": query.id, "digest": _digest({"answer": text})})
    return query


def judge_low_price(
    session: Session, actor: Principal, session_id: int, query_id: int, *, accepted: bool, facts: str
) -> EvaluationQuery:
    """The committee's finding on a low-price explanation: accepted, or — unanswered by the deadline or not
    convincing — the bid is rejected with the statutory reason (87号令 第六十条; 条例 第五十一条第（五）项)."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review")
    query = session.get(EvaluationQuery, query_id)
    if query is None or query.session_id != row.id or query.kind != "low_price":
        raise NotFound("没有这项异常低价说明")
    if query.verdict is not None:
        raise Conflict("委员会已作出认定")
    if query.answered_at is None and clock.now() <= query.due_at:
        raise Conflict("投标人答复期限未届满")
    if accepted and query.answered_at is None:
        raise InvalidInput("投标人未作说明，不能认定其报价合理", field="accepted")
    facts = _facts(facts)
    query.verdict = "accepted" if accepted else "rejected"
    if not accepted:
        bid = session.get(EvaluationBid, query.eval_bid_id)
        reason = "low_price_unproven" if codes.is_procurement(project.transaction_type) else "below_cost"
        _reject(bid, "compliance", reason, facts)
    session.flush()
    log(session, row, "query:judged", {"query": query.id, "digest": _digest({"v": query.verdict, "f": facts})})
    return query


def valid_bids(session: Session, row: EvaluationSession) -> list[EvaluationBid]:
    return [b for b in bids_of(session, row) if b.rejected_reason is None]


def finish(session: Session, actor: Principal, session_id: int) -> EvaluationSession:
    """评审结论: every bid reviewed and every question settled; the section goes on to scoring, or fails."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review")
    pricing.settle_at_review_end(session, row)  # 87号令 第五十九条: unconfirmed corrections void their bids
    for bid in bids_of(session, row):
        if bid.rejected_reason is None and (bid.qualification is None or bid.compliance is None):
            raise Conflict(f"“{bid.bidder}”的资格审查或符合性审查尚无结论")
    for query in queries_of(session, row):
        if query.answered_at is None and clock.now() <= query.due_at:
            raise Conflict("尚有未到答复期限的问询")
        if query.kind == "low_price" and query.verdict is None:
            raise Conflict("尚有异常低价说明未作认定")
    valid = valid_bids(session, row)
    log(session, row, "review:finished", {"valid": len(valid), "rejected": len(bids_of(session, row)) - len(valid)})
    if codes.is_procurement(project.transaction_type) and len(valid) < 3:
        closing.fail(session, actor, row, f"符合要求的供应商不足三家（{len(valid)}家），予以废标", FAIL_36)
        return row
    if not valid:
        closing.fail(session, actor, row, "所有投标均被否决", FAIL_42)
        return row
    row.state = "scoring"
    return row


def reject_all(session: Session, actor: Principal, session_id: int, reason: str) -> EvaluationSession:
    """否决所有投标 (招标投标法 第四十二条): the committee finds that no bid meets the tender's requirements."""
    row, project = visibility.get_readable(session, actor, session_id)
    require_chair(session, actor, row)
    require_state(row, "review", "scoring")
    if codes.is_procurement(project.transaction_type):
        raise Forbidden("政府采购项目按《政府采购法》第三十六条废标，不适用否决所有投标")
    closing.fail(session, actor, row, f"评标委员会否决所有投标：{_facts(reason, 'reason')}", FAIL_42)
    return row
