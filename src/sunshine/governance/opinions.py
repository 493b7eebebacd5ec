"""Public opinion (舆情收集、会商、研判、回应和评估): an item is registered from the service desk, the opinion box
(both call ``register_opinion``) or media monitoring entered by staff; its risk is assessed, which fixes its
answer limit from the ``centre.service`` rules (``opinion_answer_within_<risk>``, due date by the case clock);
the responsible bodies discuss it; it is answered (published where appropriate, masked) — late when answered
after the due date, with the working days of delay; and evaluated afterwards. Open items past their due date
raise one shared alert each (tick)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.governance import common
from sunshine.governance.models import GovDiscussion, GovOpinion
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger

ALERT_SUBJECT = "governance-opinion"
ALERT_KIND = "opinion_overdue"


def get(session: Session, opinion_id: int) -> GovOpinion:
    found = session.get(GovOpinion, opinion_id)
    if found is None:
        raise NotFound("舆情不存在")
    return found


def register_opinion(
    session: Session,
    *,
    source: str,
    ref: str | None = None,
    title: str,
    content: str,
    received_on: date | None = None,
    outlet: str | None = None,
    actor: Principal | None = None,
) -> GovOpinion:
    """登记舆情. Other domains call this with their own ``source`` (``desk``: a work order, ``opinion_box``: a box
    item) and ``ref`` (their record's code); staff register media monitoring (``media``) and others. The text is
    kept as received, staff only; nothing of it is published until the answer."""
    common.choice(source, common.OPINION_SOURCES, "source", "舆情来源")
    today = clock.today_local()
    received = received_on or today
    if received > today:
        raise InvalidInput("发现日期不能晚于今天", field="received_on")
    if ref is not None and session.scalar(
        select(GovOpinion.id).where(GovOpinion.source == source, GovOpinion.source_ref == ref)
    ):
        raise Conflict("该来源记录已登记为舆情", field="ref")
    row = GovOpinion(
        code=common.code(session, "YQ", received),
        source=source,
        source_ref=(ref or "").strip()[:100] or None,
        title=common.line(title, "title", "舆情标题", low=4),
        content=common.text(content, "content", "舆情内容", low=5),
        outlet=(outlet or "").strip()[:200] or None,
        received_on=received,
        status="registered",
        created_by=actor.user_id if actor else None,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def assess(
    session: Session,
    actor: Principal,
    opinion_id: int,
    *,
    risk: str,
    note: str,
    responsible_org_id: int | None = None,
) -> GovOpinion:
    """研判: the risk level (低/中/高) fixes the answer limit; counted from the day the item was found."""
    row = get(session, opinion_id)
    if row.status not in ("registered", "assessed"):
        raise Conflict("已回应的舆情不能再研判")
    common.choice(risk, common.RISKS, "risk", "风险等级")
    if responsible_org_id is not None and session.get(Organisation, responsible_org_id) is None:
        raise InvalidInput("责任单位不存在", field="responsible_org_id")
    lim = common.limit(session, f"opinion_answer_within_{risk}", row.received_on)
    row.risk, row.risk_note = risk, common.text(note, "note", "研判意见", high=5000)
    row.responsible_org_id = responsible_org_id if responsible_org_id is not None else actor.organisation_id
    row.limit_days, row.limit_unit, row.rule_ref = lim.days, lim.unit, lim.ref
    row.due = common.due(session, row.received_on, lim)
    row.status = "assessed"
    session.flush()
    return row


def discuss(
    session: Session, actor: Principal, opinion_id: int, *, held_on: date, bodies: str, conclusion: str
) -> GovDiscussion:
    """会商: the responsible bodies' discussion and its conclusion."""
    row = get(session, opinion_id)
    if row.status == "evaluated":
        raise Conflict("已评估的舆情不再会商")
    if held_on > clock.today_local() or held_on < row.received_on:
        raise InvalidInput("会商日期应在发现日期和今天之间", field="held_on")
    item = GovDiscussion(
        opinion_id=row.id,
        held_on=held_on,
        bodies=common.text(bodies, "bodies", "参加会商的单位", high=1000),
        conclusion=common.text(conclusion, "conclusion", "会商结论", high=5000),
        recorded_by=actor.user_id,
        recorded_at=clock.now(),
    )
    session.add(item)
    session.flush()
    return item


def discussions_of(session: Session, opinion_id: int) -> list[GovDiscussion]:
    return list(
        session.scalars(select(GovDiscussion).where(GovDiscussion.opinion_id == opinion_id).order_by(GovDiscussion.id))
    )


def answer(session: Session, actor: Principal, opinion_id: int, *, text: str, public: bool) -> GovOpinion:
    """回应: today; late when after the due date (working days of delay). A public answer is masked."""
    row = get(session, opinion_id)
    if row.status != "assessed" or row.due is None:
        raise Conflict("舆情须先研判风险等级、确定回应时限后再回应" if row.status == "registered" else "该舆情已回应")
    today = clock.today_local()
    row.answer = common.masked(session, common.text(text, "text", "回应内容", high=10000))
    row.answer_public, row.answered_on = bool(public), today
    row.late, row.delay_days = common.lateness(session, row.due, today)
    row.status = "answered"
    entry = ledger.append(
        session,
        "governance:opinion:answered",
        f"opinion:{row.code}",
        {
            "source": row.source,
            "risk": row.risk,
            "due": row.due.isoformat(),
            "answered_on": today.isoformat(),
            "late": row.late,
            "delay_working_days": row.delay_days,
            "rule": row.rule_ref,
            "public": row.answer_public,
        },
    )
    row.answered_seq = entry.seq
    alerts.resolve(session, subject_kind=ALERT_SUBJECT, subject_id=row.id)
    session.flush()
    return row


def evaluate(session: Session, actor: Principal, opinion_id: int, *, effect: str, note: str) -> GovOpinion:
    """评估: how the answer worked (已平息/趋于缓和/仍在发酵) and what was learnt."""
    row = get(session, opinion_id)
    if row.status != "answered":
        raise Conflict("回应后方可评估" if row.status != "evaluated" else "该舆情已评估")
    row.effect = common.choice(effect, common.EFFECTS, "effect", "回应效果")
    row.evaluation = common.text(note, "note", "评估意见", high=5000)
    row.status = "evaluated"
    session.flush()
    return row


def mark_overdue(session: Session, today: date | None = None) -> list[int]:
    """The tick: one alert for each assessed item still unanswered after its due date."""
    today = today or clock.today_local()
    raised = []
    for row in session.scalars(select(GovOpinion).where(GovOpinion.status == "assessed", GovOpinion.due < today)):
        alert = alerts.raise_once(
            session,
            key=f"{ALERT_KIND}:{row.id}",
            domain="governance",
            kind=ALERT_KIND,
            subject_kind=ALERT_SUBJECT,
            subject_id=row.id,
            message=f"舆情 {row.code}《{row.title}》已超过回应时限（{row.due.isoformat()}），尚未回应",
            audience=[Role.DISCLOSURE_OFFICE, Role.GOVERNMENT_AFFAIRS],
            organisation_id=row.responsible_org_id,
            due=row.due,
        )
        if alert is not None:
            raised.append(row.id)
    return raised


LIST_ORDER = Keyset.of("gov-opinions", GovOpinion.received_on, GovOpinion.id)


def listing(session: Session, *, public: bool, cursor: str | None = None, limit: int | None = None) -> Page[GovOpinion]:
    stmt = select(GovOpinion)
    if public:
        stmt = stmt.where(GovOpinion.answer_public.is_(True), GovOpinion.status.in_(("answered", "evaluated")))
    return paginate(session, stmt, LIST_ORDER, cursor=cursor, limit=limit)


def get_public(session: Session, opinion_id: int) -> GovOpinion:
    row = get(session, opinion_id)
    if not (row.answer_public and row.status in ("answered", "evaluated")):
        raise NotFound("舆情不存在")
    return row


def summary(session: Session, year: int) -> dict[str, int]:
    """Items found in ``year``: total, answered, answered late, open past due."""
    today = clock.today_local()
    rows = session.execute(
        select(GovOpinion.status, GovOpinion.late, GovOpinion.due).where(
            GovOpinion.received_on >= date(year, 1, 1), GovOpinion.received_on <= date(year, 12, 31)
        )
    ).all()
    return {
        "total": len(rows),
        "answered": sum(s in ("answered", "evaluated") for s, _, _ in rows),
        "late": sum(bool(late) for _, late, _ in rows),
        "overdue": sum(s in ("registered", "assessed") and d is not None and d < today for s, _, d in rows),
    }
