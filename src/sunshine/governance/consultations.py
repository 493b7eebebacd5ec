"""Public consultation (征求意见): a draft decision, rule or service standard is opened for comment with a period
no shorter than the rule ``consultation_period_min`` (shorter only with a stated reason); comments are received
(their senders' name and contact kept for the answer only, the text masked before anything is shown), each is
answered with how it was handled; hearings and expert reviews are recorded; the adopted text is published with
the summary of how comments were handled. Opening and adoption are ledger entries (hashes, no comments)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.governance import common
from sunshine.governance.models import GovComment, GovConsultation, GovProceeding
from sunshine.identity.models import Organisation
from sunshine.ledger import service as ledger

PERIOD_RULE = "consultation_period_min"
MAX_PERIOD = 180


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def get(session: Session, consultation_id: int) -> GovConsultation:
    found = session.get(GovConsultation, consultation_id)
    if found is None:
        raise NotFound("征求意见事项不存在")
    return found


def get_public(session: Session, consultation_id: int) -> GovConsultation:
    found = get(session, consultation_id)
    if found.status == "draft":
        raise NotFound("征求意见事项不存在")
    return found


def create(
    session: Session,
    actor: Principal,
    *,
    title: str,
    kind: str,
    draft_text: str,
    explanation: str,
    department_org_id: int | None = None,
) -> GovConsultation:
    """起草: the draft and its explanation (起草说明), not yet public."""
    common.choice(kind, common.CONSULTATION_KINDS, "kind", "征求意见事项类别")
    org = department_org_id if department_org_id is not None else actor.organisation_id
    if org is not None and session.get(Organisation, org) is None:
        raise InvalidInput("起草部门不存在", field="department_org_id")
    row = GovConsultation(
        code=common.code(session, "ZQ", clock.today_local()),
        title=common.line(title, "title", "标题", low=4),
        kind=kind,
        department_org_id=org,
        draft_text=common.text(draft_text, "draft_text", "征求意见稿正文", low=20, high=100_000),
        explanation=common.text(explanation, "explanation", "起草说明", low=10),
        status="draft",
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def open_for_comment(
    session: Session, actor: Principal, consultation_id: int, *, days: int, shortened_reason: str | None = None
) -> GovConsultation:
    """公开征求意见: published from today for ``days`` calendar days; fewer than the rule's minimum only with
    the reason stated publicly (紧急情况)."""
    row = get(session, consultation_id)
    if row.status != "draft":
        raise Conflict("只有草稿可以公开征求意见")
    today = clock.today_local()
    rule = common.limit(session, PERIOD_RULE, today)
    if not 1 <= days <= MAX_PERIOD:
        raise InvalidInput(f"征求意见期限应为 1 至 {MAX_PERIOD} 日", field="days")
    reason = (shortened_reason or "").strip() or None
    if days < rule.days:
        if reason is None or len(reason) < 4:
            raise InvalidInput(
                f"征求意见期限一般不少于{rule.days}日；缩短期限的，请说明理由（将一并公布）", field="shortened_reason"
            )
    else:
        reason = None
    row.status, row.opens_on, row.period_days, row.minimum_days = "open", today, days, rule.days
    row.closes_on = today + timedelta(days=days)
    row.shortened_reason = reason
    entry = ledger.append(
        session,
        "governance:consultation:opened",
        f"consultation:{row.code}",
        {
            "title": row.title,
            "kind": row.kind,
            "draft_sha256": _sha(row.draft_text),
            "opens_on": today.isoformat(),
            "closes_on": row.closes_on.isoformat(),
            "rule": rule.ref,
            "shortened": reason is not None,
        },
    )
    row.opened_seq = entry.seq
    session.flush()
    return row


def close_due(session: Session, today: date | None = None) -> list[str]:
    """The tick: consultations whose period is over stop taking comments."""
    today = today or clock.today_local()
    rows = session.scalars(
        select(GovConsultation).where(GovConsultation.status == "open", GovConsultation.closes_on < today)
    )
    closed = []
    for row in rows:
        row.status = "closed"
        closed.append(row.code)
    session.flush()
    return closed


def _still_open(row: GovConsultation) -> None:
    if row.status != "open" or row.closes_on is None or clock.today_local() > row.closes_on:
        raise Conflict("该事项不在征求意见期内，不再接收意见")


def comment(
    session: Session,
    consultation_id: int,
    *,
    body: str,
    channel: str = "online",
    name: str | None = None,
    contact: str | None = None,
) -> GovComment:
    """提交意见: anyone, within the period. Name and contact are optional and never published."""
    row = get_public(session, consultation_id)
    _still_open(row)
    common.choice(channel, common.COMMENT_CHANNELS, "channel", "意见来源")
    text = common.text(body, "body", "意见", low=5, high=5000)
    item = GovComment(
        consultation_id=row.id,
        received_at=clock.now(),
        channel=channel,
        commenter_name=(name or "").strip()[:100] or None,
        commenter_contact=(contact or "").strip()[:100] or None,
        body=text,
        public_body=common.masked(session, text),
    )
    session.add(item)
    session.flush()
    return item


def comments_of(session: Session, consultation_id: int) -> list[GovComment]:
    return list(
        session.scalars(select(GovComment).where(GovComment.consultation_id == consultation_id).order_by(GovComment.id))
    )


def answer(session: Session, actor: Principal, comment_id: int, *, handling: str, answer_text: str) -> GovComment:
    """答复意见: how the comment was handled (采纳/部分采纳/未采纳/已作说明) and why."""
    item = session.get(GovComment, comment_id)
    if item is None:
        raise NotFound("意见不存在")
    row = get(session, item.consultation_id)
    if row.status == "adopted":
        raise Conflict("该事项已审定公布，意见处理情况不能再改")
    common.choice(handling, common.HANDLINGS, "handling", "处理情况")
    item.handling = handling
    item.answer = common.masked(session, common.text(answer_text, "answer", "答复", low=2, high=5000))
    item.answered_by, item.answered_at = actor.user_id, clock.now()
    session.flush()
    return item


def record_proceeding(
    session: Session,
    actor: Principal,
    consultation_id: int,
    *,
    kind: str,
    held_on: date,
    place: str,
    participants: str,
    conclusion: str,
) -> GovProceeding:
    """听证会或专家论证 held on the draft: when, where, who took part (by capacity) and the conclusion."""
    row = get(session, consultation_id)
    if row.status == "draft":
        raise Conflict("事项公开征求意见后方可登记听证或专家论证")
    common.choice(kind, common.PROCEEDING_KINDS, "kind", "形式")
    if held_on > clock.today_local():
        raise InvalidInput("举行日期不能晚于今天", field="held_on")
    item = GovProceeding(
        consultation_id=row.id,
        kind=kind,
        held_on=held_on,
        place=common.line(place, "place", "地点"),
        participants=common.masked(session, common.text(participants, "participants", "参加人员", high=2000)),
        conclusion=common.masked(session, common.text(conclusion, "conclusion", "论证或听证意见", high=5000)),
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(item)
    session.flush()
    return item


def proceedings_of(session: Session, consultation_id: int) -> list[GovProceeding]:
    stmt = select(GovProceeding).where(GovProceeding.consultation_id == consultation_id).order_by(GovProceeding.held_on)
    return list(session.scalars(stmt))


def tally(session: Session, consultation_id: int) -> dict[str, int]:
    """Comments by handling (and ``pending`` not yet answered, ``total``)."""
    out = dict.fromkeys([*common.HANDLINGS, "pending"], 0)
    for handling, n in session.execute(
        select(GovComment.handling, func.count())
        .where(GovComment.consultation_id == consultation_id)
        .group_by(GovComment.handling)
    ):
        out[handling or "pending"] += n
    out["total"] = sum(out.values())
    return out


def adopt(
    session: Session, actor: Principal, consultation_id: int, *, adopted_text: str, summary: str
) -> GovConsultation:
    """审定公布: after the period, with every comment answered, the adopted text is published with the summary
    of how comments were handled (意见采纳情况说明)."""
    row = get(session, consultation_id)
    today = clock.today_local()
    if row.status == "open" and row.closes_on is not None and today > row.closes_on:
        row.status = "closed"
    if row.status != "closed":
        raise Conflict("征求意见期结束后方可审定公布" if row.status == "open" else "该事项不能审定公布")
    counts = tally(session, row.id)
    if counts["pending"]:
        raise Conflict(f"尚有 {counts['pending']} 条意见未答复，请逐条答复后再审定公布")
    row.adopted_text = common.text(adopted_text, "adopted_text", "审定文本", low=20, high=100_000)
    row.summary = common.masked(session, common.text(summary, "summary", "意见采纳情况说明", low=10))
    row.status, row.adopted_on = "adopted", today
    entry = ledger.append(
        session,
        "governance:consultation:adopted",
        f"consultation:{row.code}",
        {
            "adopted_sha256": _sha(row.adopted_text),
            "summary_sha256": _sha(row.summary),
            "comments": {k: v for k, v in counts.items() if k != "pending"},
            "proceedings": len(proceedings_of(session, row.id)),
            "by": actor.user_id,
        },
    )
    row.adopted_seq = entry.seq
    session.flush()
    return row


LIST_ORDER = Keyset.of("gov-consultations", GovConsultation.created_at, GovConsultation.id)


def listing(
    session: Session, *, public: bool, cursor: str | None = None, limit: int | None = None
) -> Page[GovConsultation]:
    stmt = select(GovConsultation)
    if public:
        stmt = stmt.where(GovConsultation.status != "draft")
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)


def adopted_in(session: Session, year: int, kinds: tuple[str, ...]) -> int:
    """How many consultations of ``kinds`` were adopted in ``year`` (the annual report's 本年制发件数)."""
    stmt = select(func.count()).where(
        GovConsultation.status == "adopted",
        GovConsultation.kind.in_(kinds),
        GovConsultation.adopted_on >= date(year, 1, 1),
        GovConsultation.adopted_on <= date(year, 12, 31),
    )
    return session.scalar(stmt) or 0
