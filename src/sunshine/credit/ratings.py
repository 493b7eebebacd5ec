"""Credit evaluation (信用评价) per period: each bidder (enterprise), agency and expert rated by the method in
``method.yaml`` from the figures of the period — penalties, bans, bad and good records, reviews by the bodies
that worked with it (``reviews.py``), and whatever sources other domains registered (``hooks.source``: expert
conduct at evaluations, complaints lost, contract performance). ``rate_period`` stores one result per subject
(recomputed until published), ``publish_period`` publishes a period's results of bidders and agencies
(信用评价结果向社会公开; experts' results stay with the supervisory department and the centre: the pool's own
assessment is what names experts publicly). Each in the ledger. Never commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.errors import Conflict, InvalidInput
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.credit import hooks
from sunshine.credit import method as methods
from sunshine.credit.models import CreditBan, CreditRating, CreditRecord, CreditReview
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.ledger import service as ledger

KINDS_RATED = {"bidder": OrganisationKind.ENTERPRISE.value, "agency": OrganisationKind.AGENCY.value}
PUBLIC_SUBJECTS = ("bidder", "agency")


@dataclass(frozen=True)
class Period:
    code: str
    first: date
    last: date


def period(code: str) -> Period:
    """A rating period: a calendar year (``2026``)."""
    code = (code or "").strip()
    if not (len(code) == 4 and code.isdigit() and 2000 <= int(code) <= 2100):
        raise InvalidInput("评价期应为四位年份，如 2026", field="period")
    year = int(code)
    return Period(code, date(year, 1, 1), date(year, 12, 31))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=get_settings().tz)


def subject_ids(session: Session, subject: str) -> list[int]:
    if subject == "expert":
        return hooks.all_experts(session)
    return list(
        session.scalars(
            select(Organisation.id).where(Organisation.kind == KINDS_RATED[subject]).order_by(Organisation.id)
        )
    )


def _column(subject: str):
    return CreditRecord.expert_id if subject == "expert" else CreditRecord.organisation_id


def figures(
    session: Session, subject: str, ids: list[int], p: Period
) -> tuple[dict[int, dict[str, Decimal | None]], set[int]]:
    """Each subject's values per item of the method, and the subjects banned at some time in the period."""
    values: dict[int, dict[str, Decimal | None]] = {i: defaultdict(Decimal) for i in ids}
    if not ids:
        return {}, set()
    col = _column(subject)
    records = session.execute(
        select(col, CreditRecord.kind, CreditRecord.polarity, func.count())
        .where(
            col.in_(ids),
            CreditRecord.subject_type == ("expert" if subject == "expert" else "organisation"),
            CreditRecord.revoked_at.is_(None),
            CreditRecord.decided_on.between(p.first, p.last),
        )
        .group_by(col, CreditRecord.kind, CreditRecord.polarity)
    )
    for sid, kind, polarity, n in records:
        item = "penalty" if kind in ("penalty", "handling") else ("bad_record" if polarity == "bad" else "good_record")
        values[sid][item] += Decimal(n)
    ban_col = CreditBan.expert_id if subject == "expert" else CreditBan.organisation_id
    banned: set[int] = set()
    for sid, starts_on in session.execute(
        select(ban_col, CreditBan.starts_on).where(
            ban_col.in_(ids),
            CreditBan.lifted_at.is_(None),
            CreditBan.starts_on <= p.last,
            or_(CreditBan.ends_on.is_(None), CreditBan.ends_on >= p.first),
        )
    ):
        banned.add(sid)
        if p.first <= starts_on <= p.last:
            values[sid]["ban"] += 1  # a decision counts in the period it was made; it bans as long as it runs
    for sid, avg in session.execute(
        select(CreditReview.subject_id, func.avg(CreditReview.score))
        .where(
            CreditReview.subject_type == subject,
            CreditReview.subject_id.in_(ids),
            CreditReview.created_at >= _midnight(p.first),
            CreditReview.created_at < _midnight(p.last + timedelta(days=1)),
        )
        .group_by(CreditReview.subject_id)
    ):
        values[sid]["review"] = Decimal(str(avg)).quantize(methods.TWO)
    for fn in hooks.sources().values():
        for sid, items in fn(session, subject, ids, p.first, p.last).items():
            if sid in values:
                for code, v in items.items():
                    values[sid][code] += Decimal(v)
    out = {}
    for sid, v in values.items():
        d: dict[str, Decimal | None] = dict(v)
        d.setdefault("review", None)
        out[sid] = d
    return out, banned


def rate_period(session: Session, code: str, subjects: tuple[str, ...] = ("bidder", "agency", "expert")) -> int:
    """Compute (or recompute) every subject's rating for the period; a published period is final."""
    p = period(code)
    if session.scalar(
        select(CreditRating.id).where(CreditRating.period == p.code, CreditRating.published_at.is_not(None)).limit(1)
    ):
        raise Conflict(f"{p.code}年度信用评价结果已公布，不再重新计算")
    now = clock.now()
    count = 0
    for subject in subjects:
        m = methods.method(subject)
        ids = subject_ids(session, subject)
        values, banned = figures(session, subject, ids, p)
        existing = {
            r.subject_id: r
            for r in session.scalars(
                select(CreditRating).where(CreditRating.period == p.code, CreditRating.subject_type == subject)
            )
        }
        for sid in ids:
            result = methods.rate(m, values.get(sid, {}), banned=sid in banned)
            details = [
                {"item": line.item, "name": line.name, "value": str(line.value), "points": str(line.points)}
                for line in result.lines
            ]
            row = existing.get(sid)
            if row is None:
                row = CreditRating(period=p.code, subject_type=subject, subject_id=sid, ledger_seq=0)
                session.add(row)
            row.method, row.score, row.grade = methods.version(subject), str(result.score), result.grade
            row.details, row.computed_at = details, now
            count += 1
    session.flush()
    entry = ledger.append(
        session, "credit:ratings:computed", f"credit-ratings:{p.code}", {"period": p.code, "subjects": count}
    )
    for row in session.scalars(select(CreditRating).where(CreditRating.period == p.code)):
        row.ledger_seq = entry.seq
    return count


def publish_period(session: Session, code: str) -> int:
    """信用评价结果向社会公开: the period's bidder and agency results become public; final from then on."""
    p = period(code)
    rows = list(
        session.scalars(
            select(CreditRating).where(
                CreditRating.period == p.code,
                CreditRating.subject_type.in_(PUBLIC_SUBJECTS),
                CreditRating.published_at.is_(None),
            )
        )
    )
    if not rows:
        return 0
    now = clock.now()
    for row in rows:
        row.published_at = now
    grades: dict[str, int] = defaultdict(int)
    for row in rows:
        grades[f"{row.subject_type}:{row.grade}"] += 1
    ledger.append(
        session,
        "credit:ratings:published",
        f"credit-ratings:{p.code}",
        {"period": p.code, "published": len(rows), "grades": dict(sorted(grades.items()))},
    )
    return len(rows)


def _has_facts(session: Session, p: Period) -> bool:
    checks = (
        select(CreditRecord.id).where(CreditRecord.decided_on.between(p.first, p.last)),
        select(CreditBan.id).where(
            CreditBan.starts_on <= p.last, or_(CreditBan.ends_on.is_(None), CreditBan.ends_on >= p.first)
        ),
        select(CreditReview.id).where(
            CreditReview.created_at >= _midnight(p.first),
            CreditReview.created_at < _midnight(p.last + timedelta(days=1)),
        ),
    )
    return any(session.scalar(stmt.limit(1)) is not None for stmt in checks)


def tick(session: Session, today: date | None = None) -> list[str]:
    """The tick's part: once a year has ended, its ratings are computed and published (once) — for a year in which
    the platform holds credit facts (records, bans or reviews); a platform without any has nothing to rate."""
    today = today or clock.today_local()
    p = period(str(today.year - 1))
    done = session.scalar(
        select(CreditRating.id).where(CreditRating.period == p.code, CreditRating.published_at.is_not(None)).limit(1)
    )
    if done is not None or not _has_facts(session, p):
        return []
    rate_period(session, p.code)
    publish_period(session, p.code)
    return [p.code]


def ratings_of(session: Session, subject: str, subject_id: int, *, published_only: bool) -> list[CreditRating]:
    stmt = select(CreditRating).where(CreditRating.subject_type == subject, CreditRating.subject_id == subject_id)
    if published_only:
        stmt = stmt.where(CreditRating.published_at.is_not(None))
    return list(session.scalars(stmt.order_by(CreditRating.period.desc())))


RATING_ORDER = Keyset.of(
    "credit-ratings",
    Key(CreditRating.subject_type, False),
    Key(CreditRating.grade, False),
    Key(CreditRating.subject_id, False),
    Key(CreditRating.id, False),
)


def rating_page(
    session: Session,
    code: str,
    subjects: list[str],
    *,
    published_only: bool,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[CreditRating]:
    """A period's ratings of ``subjects`` one page at a time, by subject, grade and subject."""
    stmt = select(CreditRating).where(CreditRating.period == code, CreditRating.subject_type.in_(subjects))
    if published_only:
        stmt = stmt.where(CreditRating.published_at.is_not(None))
    return paginate(session, stmt, RATING_ORDER, cursor=cursor, limit=limit)


def periods(session: Session, *, published_only: bool) -> list[str]:
    stmt = select(CreditRating.period).distinct()
    if published_only:
        stmt = stmt.where(CreditRating.published_at.is_not(None))
    return sorted(session.scalars(stmt), reverse=True)
