"""Open days (开放日, seed 000): designated-project open days (invited deputies, CPPCC members, media, with a
public poll 社会关注度调查 to choose the project), regular open days (supervisors choose), on-application open days
(the public applies online or at the counter, the government affairs office 政务办 screens the applications, and
when those it passed exceed the capacity the verifiable draw picks 5–8 of them, its record published for replay),
and the centre's government open day (篇二: about 30 invitees, citizen representatives at least one third, a report
to the government affairs office within 2 days). Check-in at the door, the attendees' feedback, the published
report. Applicants' names and phones stay here; the public sees application numbers only. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import alerts, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.draws import service as draws
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.supervision import labels, registry, settings
from sunshine.supervision.models import OpenDay, Participant, PollOption
from sunshine.venues import service as venues

OFFICE = frozenset({Role.GOVERNMENT_AFFAIRS})
PURPOSE = "open_day_selection"
PURPOSE_LABEL = "开放日参加人员抽取"
GROUP = "attendees"
MESSAGE_KIND = "supervision_open_day"
INVITED_KINDS = ("designated", "government")
POLL_BEFORE = timedelta(days=3)  # 平台默认值: the poll closes three days before the day unless the notice says when


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def subject(day: OpenDay) -> str:
    return f"open-day:{day.id}"


def _text(value: str, field: str, what: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{what}", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{what}不超过{limit}字", field=field)
    return value


def get(session: Session, open_day_id: int) -> OpenDay:
    day = session.get(OpenDay, open_day_id)
    if day is None:
        raise NotFound("开放日不存在")
    return day


def announced_regular(session: Session) -> list[OpenDay]:
    """The regular open days announced and not yet held (a supervisor may apply to them): a handful at a time."""
    stmt = select(OpenDay).where(OpenDay.kind == "regular", OpenDay.state == "announced")
    return list(session.scalars(stmt.order_by(OpenDay.starts_at.desc(), OpenDay.id.desc())))


LIST_ORDER = Keyset.of("open-days", OpenDay.starts_at, OpenDay.id)


def page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[OpenDay]:
    """The open days, latest first, one page at a time."""
    return paginate(session, select(OpenDay), LIST_ORDER, cursor=cursor, limit=limit)


def announce(
    session: Session,
    actor: Principal,
    *,
    kind: str,
    title: str,
    description: str,
    instructions: str,
    place: str,
    starts_at: datetime,
    capacity: int,
    apply_until: datetime | None = None,
    booking_id: int | None = None,
    poll: list[str] | None = None,
    poll_until: datetime | None = None,
) -> OpenDay:
    """发布开放日通告 with its 活动须知; an on-application day's capacity lies within the pack's 5–8."""
    registry.require_manager(actor)
    starts_at = venues.aware(starts_at)
    apply_until = venues.aware(apply_until) if apply_until is not None else None
    if kind not in labels.OPEN_DAY_KINDS:
        raise InvalidInput("请选择开放日类型", field="kind")
    now = clock.now()
    if starts_at <= now:
        raise InvalidInput("开放日时间须在今后", field="starts_at")
    s = settings.read(session)
    if kind == "application":
        if not s.application_min <= capacity <= s.application_max:
            raise InvalidInput(
                f"社会申请式开放日参加人数为{s.application_min}至{s.application_max}人（种子文件：筛选5-8人）",
                field="capacity",
            )
        if apply_until is None or not now < apply_until < starts_at:
            raise InvalidInput("请填写报名截止时间（在开放日之前）", field="apply_until")
    elif not 1 <= capacity <= 500:
        raise InvalidInput("人数应为1至500人", field="capacity")
    options = [o.strip() for o in (poll or []) if o and o.strip()]
    if options and kind != "designated":
        raise InvalidInput("社会关注度调查只用于指定项目集中开放日", field="poll")
    if options and len(options) < 2:
        raise InvalidInput("社会关注度调查至少列出两个候选项目", field="poll")
    if options:
        poll_until = venues.aware(poll_until) if poll_until is not None else starts_at - POLL_BEFORE
        if not now < poll_until < starts_at:
            raise InvalidInput("调查截止时间须在今后，并在开放日之前", field="poll_until")
    day = OpenDay(
        kind=kind,
        title=_text(title, "title", "标题", 200),
        description=_text(description, "description", "活动内容", 5000),
        instructions=_text(instructions, "instructions", "活动须知", 5000),
        place=_text(place, "place", "地点", 200),
        starts_at=starts_at,
        booking_id=booking_id,
        capacity=capacity,
        apply_until=apply_until if kind == "application" else None,
        poll_until=poll_until if options else None,
        state="announced",
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(day)
    session.flush()
    for label in options[:20]:
        session.add(PollOption(open_day_id=day.id, label=label[:200], votes=0))
    session.flush()
    ledger.append(session, "supervision:open_day:announced", subject(day), {"kind": kind, "capacity": capacity})
    return day


def agenda(day: OpenDay) -> list[str]:
    return labels.GOVERNMENT_AGENDA if day.kind == "government" else labels.AGENDA


# --------------------------------------------------------------------------- people


def _new(
    session, day: OpenDay, *, role, category, name, phone, purpose, channel, user_id, state
) -> tuple[Participant, str]:
    if category not in labels.CATEGORIES:
        raise InvalidInput("请选择人员类别", field="category")
    phone = (phone or "").strip()
    if not phone or len(phone) > 20 or sum(c.isdigit() for c in phone) < 7:
        raise InvalidInput("请填写正确的联系电话", field="phone")
    n = int(session.scalar(select(func.count(Participant.id)).where(Participant.open_day_id == day.id)) or 0)
    lookup = secrets.token_urlsafe(6)
    row = Participant(
        open_day_id=day.id,
        role=role,
        category=category,
        name=_text(name, "name", "姓名", 60),
        phone=phone,
        purpose=_text(purpose, "purpose", "参加目的", 1000, required=role == "applicant"),
        channel=channel,
        user_id=user_id,
        ref=f"KF{day.id:03d}-{n + 1:03d}",
        lookup_hash=_hash(lookup),
        state=state,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row, lookup


def invite(
    session: Session, actor: Principal, open_day_id: int, *, category: str, name: str, phone: str, username: str = ""
) -> Participant:
    """邀请: designated and government open days invite deputies, members, media, citizens and staff."""
    registry.require_manager(actor)
    day = get(session, open_day_id)
    if day.kind not in INVITED_KINDS:
        raise Conflict("只有指定项目集中开放日和政府开放日邀请参加人员")
    if day.state not in ("announced", "selected"):
        raise Conflict(f"开放日{labels.OPEN_DAY_STATES[day.state]}，不能再邀请")
    user_id = None
    if username.strip():
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            raise InvalidInput("没有该用户名的账号（可不填）", field="username")
        user_id = user.id
    row, _ = _new(
        session,
        day,
        role="invitee",
        category=category,
        name=name,
        phone=phone,
        purpose="",
        channel="invited",
        user_id=user_id,
        state="invited",
    )
    tell(
        session,
        day,
        row,
        f"邀请函：{day.title}",
        f"诚邀您参加{day.title}，{local_time(day.starts_at)}，地点：{day.place}，邀请编号 {row.ref}。",
    )
    return row


def tell(session: Session, day: OpenDay, row: Participant, subject_text: str, body: str) -> None:
    """A participant hears of their invitation or outcome: in their inbox and by SMS where they have an account,
    by SMS alone where the staff entered them without one (through the gateway once the step commits). The number
    stays in the delivery row; the ledger and the public pages never see it."""
    if row.user_id is not None:
        messaging.send(
            session,
            user_id=row.user_id,
            subject=subject_text,
            body=body,
            link=f"/supervision/open-days/{day.id}",
            sms_to=row.phone,
            kind=MESSAGE_KIND,
        )
    else:
        messaging.send_sms(session, phone=row.phone, subject=subject_text, body=body, kind=MESSAGE_KIND)
    row.notified_at = clock.now()


def composition(session: Session, day: OpenDay) -> dict:
    """Invitees by category, the citizen share and whether the government open day's rules are met."""
    rows = people(session, day, states=("invited",))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.category] = counts.get(r.category, 0) + 1
    total = len(rows)
    citizens = counts.get("citizen", 0)
    s = settings.read(session)
    share_ok = total > 0 and Decimal(citizens) * 100 >= s.citizen_percent * total
    return {
        "total": total,
        "citizens": citizens,
        "counts": {labels.CATEGORIES[k]: v for k, v in sorted(counts.items())},
        "share_ok": share_ok,
        "target": s.government_invitees,
        "percent": s.citizen_percent,
    }


def apply(
    session: Session, actor: Principal, open_day_id: int, *, name: str, phone: str, purpose: str, offline: bool = False
) -> tuple[Participant, str]:
    """申请参加 (on-application open days): online by anyone, or entered by staff from a paper application."""
    day = get(session, open_day_id)
    if offline:
        registry.require_manager(actor)
    if day.kind != "application":
        raise Conflict("该开放日不接受社会申请")
    if day.state != "announced" or day.apply_until is None or clock.now() >= day.apply_until:
        raise Conflict("报名已截止")
    return _new(
        session,
        day,
        role="applicant",
        category="public",
        name=name,
        phone=phone,
        purpose=purpose,
        channel="offline" if offline else "online",
        user_id=None if offline else actor.user_id,
        state="applied",
    )


def join_regular(session: Session, actor: Principal, open_day_id: int) -> Participant:
    """常态化开放日: a supervisor in office takes a place while any is left."""
    sup = registry.of_user(session, actor.user_id)
    if sup is None:
        raise registry.NotInOffice("常态化开放日由在聘的社会监督员自行选择参加")
    day = get(session, open_day_id)
    if day.kind != "regular" or day.state != "announced":
        raise Conflict("该开放日不能选择参加")
    if any(p.user_id == actor.user_id for p in people(session, day)):
        raise Conflict("您已选择参加")
    if len(people(session, day)) >= day.capacity:
        raise Conflict("名额已满")
    row, _ = _new(
        session,
        day,
        role="supervisor",
        category="supervisor",
        name=sup.name,
        phone=sup.phone,
        purpose="",
        channel="online",
        user_id=actor.user_id,
        state="selected",
    )
    return row


def people(session: Session, day: OpenDay, states: tuple[str, ...] | None = None) -> list[Participant]:
    stmt = select(Participant).where(Participant.open_day_id == day.id)
    if states:
        stmt = stmt.where(Participant.state.in_(states))
    return list(session.scalars(stmt.order_by(Participant.id)))


def screen(session: Session, actor: Principal, participant_id: int, *, passed: bool, note: str = "") -> Participant:
    """政务办筛选 (seed 000: 市政务办根据社会申请情况，筛选): each application passed or not, with a reason."""
    if not actor.has(*OFFICE):
        raise Forbidden("开放日申请由政务办筛选")
    row = session.get(Participant, participant_id)
    if row is None or row.role != "applicant":
        raise NotFound("申请不存在")
    day = get(session, row.open_day_id)
    if day.state not in ("announced", "screening") or (day.apply_until and clock.now() < day.apply_until):
        raise Conflict("报名截止后方可筛选")
    if row.state not in ("applied", "passed", "screened_out"):
        raise Conflict("人员已确定，不能再筛选")
    note = (note or "").strip()
    if not passed and not note:
        raise InvalidInput("请填写不予通过的理由", field="note")
    row.state, row.screening_note = ("passed" if passed else "screened_out"), note[:300] or None
    day.state = "screening"
    session.flush()
    return row


def select_attendees(session: Session, actor: Principal, open_day_id: int) -> OpenDay:
    """确定参加人员: if those passed fit the capacity all are selected; otherwise a verifiable draw among them is
    prepared, the government affairs office (the actor) being its independent party; the draw room fixes the order."""
    if not actor.has(*OFFICE):
        raise Forbidden("开放日参加人员由政务办确定")
    day = get(session, open_day_id)
    if day.kind != "application" or day.state != "screening":
        raise Conflict("请先完成申请的筛选")
    if people(session, day, ("applied",)):
        raise Conflict("还有申请未筛选")
    if day.draw_code:
        raise Conflict("已发起抽取")
    passed = people(session, day, ("passed",))
    if not passed:
        raise Conflict("没有通过筛选的申请")
    ledger.append(
        session,
        "supervision:open_day:screened",
        subject(day),
        {"applications": len(people(session, day)), "passed": len(passed)},
    )
    for p in people(session, day, ("screened_out",)):
        tell(
            session,
            day,
            p,
            f"{day.title}：申请未通过筛选",
            f"申请编号 {p.ref} 未通过政务办筛选（{p.screening_note or '不符合本次开放日要求'}）。感谢关注。",
        )
    if len(passed) <= day.capacity:
        for p in passed:
            p.state = "selected"
        _selected(session, day)
        return day
    draw = draws.prepare(
        session,
        actor,
        purpose=PURPOSE,
        title=f"{day.title} 参加人员抽取",
        owner=subject(day),
        groups=[draws.Group(GROUP, "参加人员", day.capacity, reserve=0)],
        candidates=[draws.Candidate(p.ref, [GROUP], "eligible") for p in passed],
        parties=[draws.PartySpec(f"office:{actor.user_id}", "政务办", actor.user_id)],
        witnesses=[draws.WitnessSpec(Role.CENTRE_STAFF.value, "交易中心")],
        scheduled_at=clock.now(),
    )
    day.draw_code = draw.code
    session.flush()
    return day


def on_drawn(session: Session, draw) -> None:  # noqa: ANN001
    """The draw fixed the order: the seats are selected, the others not; the draw is disclosed for replay."""
    day = session.scalar(select(OpenDay).where(OpenDay.draw_code == draw.code))
    if day is None:
        return
    chosen = {s.ref for s in draws.seats(session, draw) if s.kind == "seat"}
    for p in people(session, day, ("passed",)):
        p.state = "selected" if p.ref in chosen else "not_selected"
    draws.disclose(session, draw.code)
    _selected(session, day)


def _selected(session: Session, day: OpenDay) -> None:
    day.state = "selected"
    for p in people(session, day, ("selected", "not_selected")):
        if p.notified_at is not None or p.role != "applicant":
            continue
        won = p.state == "selected"
        tell(
            session,
            day,
            p,
            f"{day.title}：{'您已入选' if won else '未入选'}",
            f"申请编号 {p.ref} 入选，请于 {local_time(day.starts_at)} 前到 {day.place} 签到，并阅读活动须知。"
            if won
            else f"申请编号 {p.ref} 未入选，感谢关注。抽取记录可在平台核验"
            + (f"（{day.draw_code}）。" if day.draw_code else "。"),
        )
    session.flush()
    ledger.append(
        session,
        "supervision:open_day:selected",
        subject(day),
        {"selected": len(people(session, day, ("selected",))), "draw": day.draw_code or ""},
    )


def mark_notified(session: Session, actor: Principal, participant_id: int) -> Participant:
    """Staff record that they told an applicant without an account by phone."""
    registry.require_manager(actor)
    row = session.get(Participant, participant_id)
    if row is None:
        raise NotFound("人员不存在")
    row.notified_at = row.notified_at or clock.now()
    session.flush()
    return row


def check_in(session: Session, actor: Principal, open_day_id: int, ref: str) -> Participant:
    """现场签到 by the staff at the door, by the application or invitation number."""
    registry.require_manager(actor)
    day = get(session, open_day_id)
    row = session.scalar(select(Participant).where(Participant.open_day_id == day.id, Participant.ref == ref.strip()))
    if row is None:
        raise NotFound("没有该编号的参加人员")
    if row.state not in ("selected", "invited"):
        raise Conflict(f"{row.ref} {labels.PARTICIPANT_STATES.get(row.state, '')}，不能签到")
    if clock.now() < day.starts_at - timedelta(hours=2):
        raise Conflict("开放日当天方可签到")
    row.checked_in_at = row.checked_in_at or clock.now()
    session.flush()
    return row


def feedback(session: Session, open_day_id: int, ref: str, lookup: str, *, text: str, score: int) -> Participant:
    """参加人员的意见反馈, by application number and lookup code, after check-in."""
    day = get(session, open_day_id)
    row = session.scalar(select(Participant).where(Participant.open_day_id == day.id, Participant.ref == ref.strip()))
    if row is None or not secrets.compare_digest(row.lookup_hash, _hash((lookup or "").strip())):
        raise NotFound("编号或查询码不正确")
    if row.checked_in_at is None:
        raise Conflict("签到参加后方可反馈")
    if not 1 <= score <= 5:
        raise InvalidInput("评价为1至5分", field="score")
    row.feedback, row.feedback_score = _text(text, "text", "反馈意见", 2000), score
    session.flush()
    return row


def lookup_code_for(session: Session, actor: Principal, participant_id: int) -> str:
    """A fresh lookup code for an invitee or an offline applicant (the staff hand it over)."""
    registry.require_manager(actor)
    row = session.get(Participant, participant_id)
    if row is None:
        raise NotFound("人员不存在")
    code = secrets.token_urlsafe(6)
    row.lookup_hash = _hash(code)
    session.flush()
    return code


def hold(session: Session, actor: Principal, open_day_id: int) -> OpenDay:
    """举办: the day took place; a government open day's invitees must meet the citizen share."""
    registry.require_manager(actor)
    day = get(session, open_day_id)
    if day.state not in ("announced", "selected"):
        raise Conflict(f"开放日{labels.OPEN_DAY_STATES[day.state]}")
    if day.kind == "application" and day.state != "selected":
        raise Conflict("参加人员尚未确定")
    if clock.now() < day.starts_at:
        raise Conflict("开放日尚未开始")
    if day.kind == "government":
        c = composition(session, day)
        if not c["share_ok"]:
            raise Conflict(f"市民代表 {c['citizens']} 人，不足邀请人数 {c['total']} 人的三分之一")
    day.state, day.held_at = "held", clock.now()
    if day.kind == "government":
        day.report_due_on = clock.today_local() + timedelta(days=settings.read(session).report_days)
    session.flush()
    attended = sum(1 for p in people(session, day) if p.checked_in_at)
    ledger.append(session, "supervision:open_day:held", subject(day), {"attended": attended})
    return day


def publish_report(session: Session, actor: Principal, open_day_id: int, report: str) -> OpenDay:
    """活动报告: published; a government open day's report also goes to the government affairs office."""
    registry.require_manager(actor)
    day = get(session, open_day_id)
    if day.state != "held":
        raise Conflict("开放日举办后方可发布报告")
    day.report = _text(report, "report", "活动报告", 10000)
    day.state, day.report_published_at = "reported", clock.now()
    ledger.append(session, "supervision:open_day:reported", subject(day), {"kind": day.kind})
    if day.kind == "government":
        day.reported_to_office_at = clock.now()
        office = session.scalars(
            select(UserRole.user_id).where(UserRole.role == Role.GOVERNMENT_AFFAIRS.value).distinct()
        )
        for user_id in office:
            messaging.send(
                session,
                user_id=user_id,
                subject=f"{day.title}活动开展情况",
                body=day.report[:200],
                link=f"/supervision/open-days/{day.id}",
                kind=MESSAGE_KIND,
            )
        ledger.append(
            session,
            "supervision:open_day:reported_to_office",
            subject(day),
            {"on_time": clock.today_local() <= day.report_due_on},
        )
        alerts.resolve(session, subject_kind="supervision_open_day", subject_id=day.id)
    session.flush()
    return day


def raise_overdue_reports(session: Session) -> list[str]:
    """Tick: a government open day whose report to the office is past its 2 days raises one alert."""
    today = clock.today_local()
    stmt = select(OpenDay).where(OpenDay.kind == "government", OpenDay.state == "held", OpenDay.report_due_on < today)
    out = []
    for day in session.scalars(stmt):
        key = f"supervision:open-day:{day.id}:report-overdue"
        if alerts.raise_once(
            session,
            key=key,
            domain="supervision",
            kind="open_day_report_overdue",
            subject_kind="supervision_open_day",
            subject_id=day.id,
            message=f"{day.title}应于 {day.report_due_on} 前向政务公开服务中心上报活动情况，已逾期",
            audience=[Role.CENTRE_STAFF.value],
            due=day.report_due_on,
        ):
            out.append(key)
    return out
