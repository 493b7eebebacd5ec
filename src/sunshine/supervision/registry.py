"""The registry of supervisors (社会监督员名录库, seed 000; 特约监督员, seed 004): the recruitment notice, a
person's application or a nomination by a people's congress, CPPCC, media or the government, the centre's
review, appointment with a term and a work card, renewal (a new card version), dismissal (the card revoked).
``status_of`` is the small reading other domains call (a supervisor's kind and whether they are in office).
One ledger entry per step, naming the row's number and kind only. Never commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.supervision import labels, settings
from sunshine.supervision.models import Recruitment, Supervisor

MANAGERS = frozenset({Role.CENTRE_STAFF})


class NotInOffice(Conflict):
    """The person holds the supervisor's role but no card in office (term run out, dismissed, not yet appointed)."""

    code = "supervisor_not_in_office"


PHONE_CHARS = set("0123456789-+ ")


def require_manager(actor: Principal) -> None:
    if not actor.has(*MANAGERS):
        raise Forbidden("社会监督员由交易中心管理")


def subject(row: Supervisor) -> str:
    return f"supervisor:{row.id}"


def _text(value: str, field: str, what: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{what}", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{what}不超过{limit}字", field=field)
    return value


def _phone(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 20 or not set(value) <= PHONE_CHARS or sum(c.isdigit() for c in value) < 7:
        raise InvalidInput("请填写正确的联系电话", field="phone")
    return value


def publish_recruitment(
    session: Session, actor: Principal, *, title: str, body: str, kind: str, quota: int, opens_on: date, closes_on: date
) -> Recruitment:
    """发布招募公告 (seed 000: 通过媒体向社会发布…通告，广泛征集和推荐社会监督员)."""
    require_manager(actor)
    if kind not in labels.KINDS:
        raise InvalidInput("请选择监督员类别", field="kind")
    if not 1 <= quota <= 500:
        raise InvalidInput("招募人数应为1至500人", field="quota")
    if closes_on < opens_on:
        raise InvalidInput("报名截止日不得早于开始日", field="closes_on")
    row = Recruitment(
        title=_text(title, "title", "公告标题", 200),
        body=_text(body, "body", "公告内容", 5000),
        kind=kind,
        quota=quota,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor.user_id,
        published_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(session, "supervision:recruitment:published", f"recruitment:{row.id}", {"kind": kind, "quota": quota})
    return row


def get_recruitment(session: Session, recruitment_id: int) -> Recruitment:
    row = session.get(Recruitment, recruitment_id)
    if row is None:
        raise NotFound("招募公告不存在")
    return row


RECRUITMENT_ORDER = Keyset.of("recruitments", Recruitment.published_at, Recruitment.id)


def recruitment_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[Recruitment]:
    return paginate(session, select(Recruitment), RECRUITMENT_ORDER, cursor=cursor, limit=limit)


def open_recruitment(session: Session, recruitment_id: int) -> Recruitment:
    row = get_recruitment(session, recruitment_id)
    today = clock.today_local()
    if not row.opens_on <= today <= row.closes_on:
        raise Conflict(f"本次招募的报名时间为 {row.opens_on} 至 {row.closes_on}")
    return row


def apply(
    session: Session, actor: Principal, recruitment_id: int, *, name: str, phone: str, employer: str, statement: str
) -> Supervisor:
    """个人申请: a signed-in person applies under an open recruitment (the account receives the schedule)."""
    if not actor.is_authenticated:
        raise Forbidden("请先注册并登录后申请")
    rec = open_recruitment(session, recruitment_id)
    pending = session.scalar(
        select(Supervisor.id).where(Supervisor.user_id == actor.user_id, Supervisor.state.in_(("applied", "appointed")))
    )
    if pending is not None:
        raise Conflict("您已提交申请或已在聘，不能重复申请")
    return _new(session, rec.kind, "application", actor.user_id, name, phone, employer, statement, rec.id, None)


def nominate(
    session: Session,
    actor: Principal,
    *,
    kind: str,
    source: str,
    username: str,
    name: str,
    phone: str,
    employer: str,
    statement: str,
) -> Supervisor:
    """推荐: the centre enters a nomination by a people's congress, CPPCC, media or the government (特约监督员)."""
    require_manager(actor)
    if kind not in labels.KINDS:
        raise InvalidInput("请选择监督员类别", field="kind")
    if source not in labels.SOURCES or source == "application":
        raise InvalidInput("请选择推荐单位类别：人大、政协、媒体或政府", field="source")
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not user.is_active:
        raise InvalidInput("被推荐人须先有平台账号，请填写其用户名", field="username")
    return _new(session, kind, source, user.id, name, phone, employer, statement, None, actor.user_id)


def _new(session, kind, source, user_id, name, phone, employer, statement, recruitment_id, entered_by) -> Supervisor:
    row = Supervisor(
        kind=kind,
        source=source,
        recruitment_id=recruitment_id,
        user_id=user_id,
        name=_text(name, "name", "姓名", 60),
        phone=_phone(phone),
        employer=_text(employer, "employer", "工作单位或职业", 200, required=False),
        statement=_text(statement, "statement", "申请理由或推荐意见", 2000),
        state="applied",
        applied_at=clock.now(),
        entered_by=entered_by,
        card_version=0,
    )
    session.add(row)
    session.flush()
    ledger.append(session, "supervision:supervisor:applied", subject(row), {"kind": kind, "source": source})
    return row


def get(session: Session, supervisor_id: int) -> Supervisor:
    row = session.get(Supervisor, supervisor_id)
    if row is None:
        raise NotFound("监督员不存在")
    return row


SUPERVISOR_ORDER = Keyset.of("supervisors", Supervisor.id)


def listing(
    session: Session, actor: Principal, state: str | None = None, *, cursor: str | None = None, limit: int | None = None
) -> Page[Supervisor]:
    require_manager(actor)
    stmt = select(Supervisor)
    if state:
        stmt = stmt.where(Supervisor.state == state)
    return paginate(session, stmt, SUPERVISOR_ORDER, cursor=cursor, limit=limit)


def _grant_role(session: Session, user_id: int | None) -> None:
    if user_id is None:
        return
    held = set(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))
    if Role.SOCIAL_SUPERVISOR.value not in held:
        session.add(UserRole(user_id=user_id, role=Role.SOCIAL_SUPERVISOR.value))
        session.flush()


def _term(session: Session, start: date) -> date:
    years = settings.read(session).term_years
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def reject(session: Session, actor: Principal, supervisor_id: int, note: str) -> Supervisor:
    require_manager(actor)
    row = get(session, supervisor_id)
    if row.state != "applied":
        raise Conflict(f"该申请{labels.STATES[row.state]}，不能再审核")
    row.state, row.reviewed_by, row.reviewed_at = "rejected", actor.user_id, clock.now()
    row.review_note = _text(note, "note", "不予聘任的理由", 500)
    session.flush()
    ledger.append(session, "supervision:supervisor:reviewed", subject(row), {"decision": "rejected"})
    return row


def appoint(session: Session, actor: Principal, supervisor_id: int, note: str = "") -> Supervisor:
    """审核通过并聘任: the term starts today for the pack's years; the work card is issued (version 1)."""
    require_manager(actor)
    row = get(session, supervisor_id)
    if row.state != "applied":
        raise Conflict(f"该申请{labels.STATES[row.state]}，不能聘任")
    today = clock.today_local()
    row.state, row.reviewed_by, row.reviewed_at = "appointed", actor.user_id, clock.now()
    row.review_note = (note or "").strip()[:500] or None
    row.term_start, row.term_end = today, _term(session, today)
    row.card_serial = _serial(session)
    row.card_version = 1
    _grant_role(session, row.user_id)
    session.flush()
    ledger.append(
        session,
        "supervision:supervisor:appointed",
        subject(row),
        {"kind": row.kind, "card": row.card_serial, "version": 1, "term_end": row.term_end.isoformat()},
    )
    return row


def _serial(session: Session) -> str:
    while True:
        serial = "JD" + clock.today_local().strftime("%Y") + secrets.token_hex(4).upper()
        if session.scalar(select(Supervisor.id).where(Supervisor.card_serial == serial)) is None:
            return serial


def renew(session: Session, actor: Principal, supervisor_id: int) -> Supervisor:
    """续聘: a new term following the running one (or from today if it has run out); a new card version."""
    require_manager(actor)
    row = get(session, supervisor_id)
    if row.state != "appointed":
        raise Conflict("只有在聘或聘期届满的监督员可以续聘")
    today = clock.today_local()
    if in_office(row, today):  # renewed before the end: the new term follows on; the card stays valid meanwhile
        row.term_end = _term(session, row.term_end + timedelta(days=1))
    else:
        row.term_start, row.term_end = today, _term(session, today)
    row.card_version += 1
    session.flush()
    ledger.append(
        session,
        "supervision:supervisor:renewed",
        subject(row),
        {"card": row.card_serial, "version": row.card_version, "term_end": row.term_end.isoformat()},
    )
    return row


def dismiss(session: Session, actor: Principal, supervisor_id: int, reason: str) -> Supervisor:
    """解聘: the card is revoked at once; the role is withdrawn."""
    require_manager(actor)
    row = get(session, supervisor_id)
    if row.state != "appointed":
        raise Conflict("该监督员不在聘，不能解聘")
    row.state, row.dismissed_at = "dismissed", clock.now()
    row.dismissal_reason = _text(reason, "reason", "解聘理由", 500)
    if row.user_id is not None:
        others = session.scalar(
            select(Supervisor.id).where(
                Supervisor.user_id == row.user_id, Supervisor.state == "appointed", Supervisor.id != row.id
            )
        )
        if others is None:
            for role in session.scalars(
                select(UserRole).where(UserRole.user_id == row.user_id, UserRole.role == Role.SOCIAL_SUPERVISOR.value)
            ):
                session.delete(role)
    session.flush()
    ledger.append(session, "supervision:supervisor:dismissed", subject(row), {"card": row.card_serial})
    return row


def in_office(row: Supervisor, on: date | None = None) -> bool:
    on = on or clock.today_local()
    return row.state == "appointed" and row.term_end is not None and row.term_start <= on <= row.term_end


def active(session: Session, *, kind: str | None = None) -> list[Supervisor]:
    """The supervisors in office today (the schedule's recipients, the draw's pool)."""
    stmt = select(Supervisor).where(Supervisor.state == "appointed")
    if kind:
        stmt = stmt.where(Supervisor.kind == kind)
    return [r for r in session.scalars(stmt.order_by(Supervisor.id)) if in_office(r)]


def of_user(session: Session, user_id: int | None) -> Supervisor | None:
    """The person's supervisor record in office, if any."""
    if user_id is None:
        return None
    rows = session.scalars(select(Supervisor).where(Supervisor.user_id == user_id, Supervisor.state == "appointed"))
    return next((r for r in rows if in_office(r)), None)


@dataclass(frozen=True)
class Status:
    """What another domain may know of a person's supervision (servicedesk: a 特约监督员's rating)."""

    supervisor_id: int
    kind: str  # social | special
    kind_label: str
    valid: bool
    term_end: date | None


def status_of(session: Session, user_id: int | None) -> Status | None:
    """The reading function other domains call: the person's supervisor kind and whether in office, or None."""
    if user_id is None:
        return None
    rows = list(session.scalars(select(Supervisor).where(Supervisor.user_id == user_id).order_by(Supervisor.id)))
    rows = [r for r in rows if r.state in ("appointed", "dismissed")]
    if not rows:
        return None
    current = next((r for r in rows if in_office(r)), rows[-1])
    return Status(current.id, current.kind, labels.KINDS[current.kind], in_office(current), current.term_end)
