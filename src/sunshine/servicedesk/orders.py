"""Work orders (工单), 12345-style: 登记 → 转办 (a department, the kind's limit from ``centre.service``) → 催办 →
督办 (escalation when overdue) → 回复 → 回访 (callback with satisfaction) → 办结, reopened when the callback is
unsatisfied. The clock is ``core.caseclock`` over the order's history (routing starts it, a reopening restarts
it) in working days of the centre's calendar, holidays included. Every step is one event and one ledger entry
(no personal data, no text: the content's hash). A 举报 goes to the supervisory department at once. A complaint
about a trading procedure is handed to ``complaints`` (see ``referral``), never handled here. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import alerts, calendar, caseclock, clock
from sunshine.core.auth import Principal
from sunshine.core.caseclock import CaseEvent
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.serials import next_serial
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.servicedesk import desk, surveys
from sunshine.servicedesk.labels import CHANNELS, CLOCK_STATES, KINDS, STATES, STEPS
from sunshine.servicedesk.models import WorkOrder, WorkOrderEvent
from sunshine.servicedesk.schemas import OrderIn
from sunshine.trading.models import Project

DOMAIN = "servicedesk"
SUBJECT = "desk_order"
MESSAGE_KIND = "servicedesk"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DESK = frozenset({Role.CENTRE_STAFF})
SYSTEM = Principal(display_name="平台")
#: step: (states it may start from, target state or None for the same)
FLOW: dict[str, tuple[frozenset[str], str | None]] = {
    "route": (frozenset({"registered", "routed", "supervised"}), "routed"),
    "remind": (CLOCK_STATES, None),
    "escalate": (CLOCK_STATES, "supervised"),
    "reply": (frozenset({"registered", "routed", "supervised"}), "replied"),
    "callback": (frozenset({"replied"}), None),
    "reopen": (frozenset({"replied"}), "routed"),
    "close": (frozenset({"replied"}), "closed"),
}


class IllegalOrderStep(Conflict):
    code = "order_illegal_step"
    title = "工单当前状态不允许此操作"


_LISTENERS: list = []


def on_step(fn):  # noqa: ANN001, ANN201
    """Run ``fn(session, order, step)`` after each step of an order (the 12345 interface queues its replies)."""
    if fn not in _LISTENERS:
        _LISTENERS.append(fn)
    return fn


def lookup_hash(code: str, lookup: str) -> str:
    return hashlib.sha256(f"desk|{code}|{lookup.strip().upper()}".encode()).hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    session: Session,
    order: WorkOrder,
    step: str,
    actor: Principal,
    *,
    to_state: str | None = None,
    note: str | None = None,
    day: date | None = None,
    payload: dict | None = None,
) -> WorkOrderEvent:
    """One step of the order: its event, its state and one ledger entry (no personal data, no text)."""
    before = order.state
    after = to_state or before
    now = clock.now()
    entry = ledger.append(
        session,
        f"servicedesk:order:{step}",
        f"desk-order:{order.code}",
        {"code": order.code, "kind": order.kind, "step": step, "from": before, "to": after, **(payload or {})},
    )
    event = WorkOrderEvent(
        order_id=order.id,
        step=step,
        from_state=before if step != "register" else None,
        to_state=after,
        day=day or clock.today_local(),
        department_id=order.department_id,
        note=note,
        actor_id=actor.user_id,
        ledger_seq=entry.seq,
        at=now,
    )
    order.state, order.updated_at = after, now
    session.add(event)
    session.flush()
    for fn in _LISTENERS:
        fn(session, order, step)
    return event


def _check(order: WorkOrder, step: str) -> None:
    sources, _ = FLOW[step]
    if order.state not in sources:
        raise IllegalOrderStep(f"工单{STATES[order.state]}，不能{STEPS[step]}")


def events(session: Session, order_id: int) -> list[WorkOrderEvent]:
    stmt = select(WorkOrderEvent).where(WorkOrderEvent.order_id == order_id).order_by(WorkOrderEvent.id)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- the clock


def clock_events(history: list[WorkOrderEvent]) -> tuple[date | None, list[CaseEvent]]:
    """(start, caseclock events) of an order: the first routing starts it, each reopening restarts it."""
    start: date | None = None
    out: list[CaseEvent] = []
    for e in history:
        if e.step == "route" and start is None:
            start = e.day
        elif e.step == "reopen" and start is not None:
            out.append(CaseEvent("restart", e.day))
    return start, out


def recompute_due(session: Session, order: WorkOrder) -> date | None:
    start, evs = clock_events(events(session, order.id))
    if start is None or order.limit_days is None:
        order.due_on = None
        return None
    c = caseclock.due_date(calendar.load(session), start, order.limit_days, evs, order.limit_unit or "working")
    order.start_on, order.due_on = c.base, c.due
    return c.due


def days_left(session: Session, order: WorkOrder, on: date | None = None) -> int | None:
    """Working days left until the due date (negative once overdue), for the lists."""
    if order.due_on is None or order.state not in CLOCK_STATES:
        return None
    start, evs = clock_events(events(session, order.id))
    if start is None:
        return None
    p = caseclock.progress(
        calendar.load(session),
        start,
        order.limit_days or 0,
        evs,
        on or clock.today_local(),
        order.limit_unit or "working",
    )
    return p.remaining


# --------------------------------------------------------------------------- 登记


def _new_code(session: Session) -> str:
    year = clock.today_local().year
    return f"GD{year}{next_serial(session, f'desk:order:{year}'):06d}"


def register(session: Session, actor: Principal, data: OrderIn, *, channel: str) -> tuple[WorkOrder, str]:
    """登记: a new order from the web form, the kiosk, a call (staff) or the 12345 hotline; (order, lookup
    code the requester keeps to follow it). A 举报 is routed to the supervisory department at once."""
    if data.kind not in KINDS:
        raise InvalidInput("诉求类别应为：" + "、".join(KINDS.values()), field="kind")
    if channel not in CHANNELS:
        raise InvalidInput("受理渠道不正确", field="channel")
    if channel == "phone" and not (actor.roles & DESK):
        raise Forbidden("来电登记由服务台坐席办理")
    title, content = data.title.strip(), data.content.strip()
    if not 4 <= len(title) <= 200:
        raise InvalidInput("标题应为 4 至 200 个字", field="title")
    if not 10 <= len(content) <= 5000:
        raise InvalidInput("内容应为 10 至 5000 个字", field="content")
    name = (data.requester_name or "").strip() or (actor.display_name if actor.user_id else None)
    phone = (data.requester_phone or "").strip() or None
    if data.kind == "report" and not phone and actor.user_id is None:
        raise InvalidInput(
            "举报请留下联系电话，监督部门核实情况时与您联系；您的身份只有监督部门可见", field="requester_phone"
        )
    project_id = None
    if data.project_code:
        project = session.scalar(select(Project).where(Project.code == data.project_code.strip()))
        if project is None or project.public_since is None:
            raise InvalidInput("项目编号不存在或项目尚未公开", field="project_code")
        project_id = project.id
    lookup = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    now = clock.now()
    code = _new_code(session)
    order = WorkOrder(
        code=code,
        kind=data.kind,
        channel=channel,
        state="registered",
        title=title,
        content=content,
        requester_name=name,
        requester_phone=phone,
        requester_user_id=actor.user_id if channel in ("web", "kiosk") else None,
        lookup_hash=lookup_hash(code, lookup),
        project_id=project_id,
        reopen_count=0,
        escalated=False,
        hotline_ref=data.hotline_ref,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    record(
        session,
        order,
        "register",
        actor,
        to_state="registered",
        payload={"channel": channel, "content_sha256": _sha(content)},
    )
    if data.kind == "report":
        route(
            session,
            SYSTEM,
            order,
            desk.supervisory_department(session).id,
            note="举报依规定转监督部门办理",
            system=True,
        )
    return order, lookup


def lookup(session: Session, code: str, lookup_code: str) -> WorkOrder:
    order = session.scalar(select(WorkOrder).where(WorkOrder.code == code.strip().upper()))
    supplied = lookup_hash(order.code if order else "", lookup_code or "")
    if order is None or not secrets.compare_digest(supplied, order.lookup_hash):
        raise NotFound("工单编号或查询码不正确")
    return order


# --------------------------------------------------------------------------- the steps


def _notify_department(session: Session, order: WorkOrder, subject: str, body: str) -> None:
    for user_id in desk.member_ids(session, order.department_id):
        messaging.send(
            session, user_id=user_id, subject=subject, body=body, link=f"/desk/orders/{order.id}", kind=MESSAGE_KIND
        )


def _desk_only(actor: Principal, what: str, system: bool = False) -> None:
    if not system and not (actor.roles & DESK):
        raise Forbidden(f"{what}由服务台办理")


def route(
    session: Session,
    actor: Principal,
    order: WorkOrder,
    department_id: int,
    *,
    note: str | None = None,
    system: bool = False,
) -> WorkOrder:
    """转办: to a department, with the kind's limit from the rule pack; the first routing starts the clock."""
    _desk_only(actor, "转办", system)
    _check(order, "route")
    dept = desk.get_department(session, department_id)
    if not dept.active:
        raise InvalidInput("该部门已停用", field="department_id")
    if order.kind == "report" and dept.kind != "supervisory":
        raise InvalidInput("举报只能转监督部门办理", field="department_id")
    if order.department_id == dept.id and order.state != "registered":
        raise Conflict("工单已在该部门办理")
    limit = desk.limit_for(session, order.kind)
    first = order.department_id is None
    order.department_id = dept.id
    if first:
        order.limit_days, order.limit_unit, order.limit_basis = limit.days, limit.unit, limit.basis
    record(
        session,
        order,
        "route",
        actor,
        to_state="supervised" if order.escalated else "routed",
        note=note,
        payload={"department": dept.name},
    )
    due = recompute_due(session, order)
    _notify_department(
        session,
        order,
        f"新工单 {order.code}（{KINDS[order.kind]}）",
        f"请于 {due.isoformat() if due else '期限内'} 前办理并回复：{order.title}",
    )
    return order


def remind(
    session: Session, actor: Principal, order: WorkOrder, *, note: str | None = None, system: bool = False
) -> WorkOrder:
    """催办: the desk (or the tick, one working day before the due date) reminds the department."""
    _desk_only(actor, "催办", system)
    _check(order, "remind")
    record(session, order, "remind", actor, note=note or "请按期办理")
    _notify_department(session, order, f"催办：工单 {order.code}", f"请于 {order.due_on} 前回复：{order.title}")
    return order


def escalate(
    session: Session, actor: Principal, order: WorkOrder, *, note: str | None = None, system: bool = False
) -> WorkOrder:
    """督办: an overdue order (or one the desk escalates) is supervised; an alert to the centre and the department."""
    _desk_only(actor, "督办", system)
    _check(order, "escalate")
    if order.escalated and order.state == "supervised":
        raise Conflict("工单已在督办中")
    order.escalated = True
    record(session, order, "escalate", actor, to_state="supervised", note=note or "逾期未回复，督办")
    dept = desk.get_department(session, order.department_id)
    alerts.raise_once(
        session,
        key=f"servicedesk:overdue:{order.id}:{order.reopen_count}",
        domain=DOMAIN,
        kind="desk_overdue",
        subject_kind=SUBJECT,
        subject_id=order.id,
        message=f"工单 {order.code}（{KINDS[order.kind]}）已逾期未回复，承办部门：{dept.name}，已督办",
        audience=[Role.CENTRE_STAFF] if order.kind != "report" else [],
        user_id=desk.head_user_id(session),
        due=order.due_on,
    )
    _notify_department(session, order, f"督办：工单 {order.code} 已逾期", f"期限 {order.due_on}，请立即办理并回复")
    return order


def reply(session: Session, actor: Principal, order: WorkOrder, text: str) -> WorkOrder:
    """回复: the department (or the desk, for an enquiry answered at once) answers the requester."""
    text = text.strip()
    if not 4 <= len(text) <= 5000:
        raise InvalidInput("答复应为 4 至 5000 个字", field="reply")
    _check(order, "reply")
    member = order.department_id is not None and order.department_id in desk.departments_of(session, actor.user_id)
    if not member and not (order.state == "registered" and actor.roles & DESK and order.kind != "report"):
        raise Forbidden("工单由承办部门回复")
    today = clock.today_local()
    order.reply, order.replied_on = text, today
    order.on_time = order.due_on is None or today <= order.due_on
    record(
        session,
        order,
        "reply",
        actor,
        to_state="replied",
        payload={"reply_sha256": _sha(text), "on_time": order.on_time},
    )
    alerts.resolve(session, subject_kind=SUBJECT, subject_id=order.id)
    if order.requester_user_id:
        messaging.send(
            session,
            user_id=order.requester_user_id,
            subject=f"您的{KINDS[order.kind]}已答复（{order.code}）",
            body=text[:200],
            link=f"/desk/track?code={order.code}",
            kind=MESSAGE_KIND,
        )
    return order


def callback(
    session: Session, actor: Principal, order: WorkOrder, satisfaction: int, note: str | None = None
) -> WorkOrder:
    """回访: the desk calls back (a 举报: its department); satisfied (3 or more of 5) closes the order,
    unsatisfied reopens it."""
    if order.kind == "report":
        if order.department_id not in desk.departments_of(session, actor.user_id):
            raise Forbidden("举报由监督部门回访")
    else:
        _desk_only(actor, "回访")
    _check(order, "callback")
    if satisfaction not in range(1, 6):
        raise InvalidInput("满意程度应为 1 至 5", field="satisfaction")
    order.satisfaction = satisfaction
    record(session, order, "callback", actor, note=note, payload={"satisfaction": satisfaction})
    alerts.resolve(session, subject_kind=SUBJECT, subject_id=order.id, kind="desk_callback_due")
    if satisfaction >= 3:
        return close(session, actor, order)
    return reopen(session, actor, order, note=note or "回访不满意")


def _desk_or_member(session: Session, actor: Principal, order: WorkOrder) -> None:
    if not (actor.roles & DESK) and order.department_id not in desk.departments_of(session, actor.user_id):
        raise Forbidden("由服务台办理")


def reopen(session: Session, actor: Principal, order: WorkOrder, *, note: str | None = None) -> WorkOrder:
    """重新办理: the callback was unsatisfied; the same department again, the clock restarted."""
    _desk_or_member(session, actor, order)
    _check(order, "reopen")
    order.reopen_count += 1
    order.escalated = False
    order.reply, order.replied_on, order.on_time = None, None, None
    record(session, order, "reopen", actor, to_state="routed", note=note)
    recompute_due(session, order)
    _notify_department(session, order, f"工单 {order.code} 回访不满意，重新办理", f"请于 {order.due_on} 前再次回复")
    return order


def close(session: Session, actor: Principal, order: WorkOrder) -> WorkOrder:
    """办结: after a satisfied callback; the requester is asked to rate the desk's service."""
    _desk_or_member(session, actor, order)
    _check(order, "close")
    order.closed_on = clock.today_local()
    record(session, order, "close", actor, to_state="closed")
    alerts.resolve(session, subject_kind=SUBJECT, subject_id=order.id)
    surveys.invite(
        session,
        service="order_closed",
        subject_kind=SUBJECT,
        subject_id=order.id,
        subject_label=f"工单 {order.code}：{order.title}" if order.kind != "report" else f"工单 {order.code}",
        user_id=order.requester_user_id,
        department_id=order.department_id,
        anonymous_ok=True,
    )
    return order


# --------------------------------------------------------------------------- the tick


def tick(session: Session, today: date | None = None) -> list[str]:
    """催办 one working day before the due date, 督办 once overdue, a callback overdue after the reply
    (``desk_callback_within``): each once per order and round."""
    today = today or clock.today_local()
    cal = calendar.load(session)
    before, _ = desk.rule_value(session, "desk_remind_before", 1)
    done: list[str] = []
    rows = session.scalars(
        select(WorkOrder).where(WorkOrder.state.in_(list(CLOCK_STATES)), WorkOrder.due_on.is_not(None))
    )
    for order in list(rows):
        if order.due_on < today and not order.escalated:
            escalate(session, SYSTEM, order, system=True)
            done.append(f"escalate:{order.code}")
        elif order.due_on >= today and cal.working_days_between(today, order.due_on) <= before:
            key = f"servicedesk:remind:{order.id}:{order.reopen_count}"
            if alerts.raise_once(
                session,
                key=key,
                domain=DOMAIN,
                kind="desk_remind",
                subject_kind=SUBJECT,
                subject_id=order.id,
                message=f"工单 {order.code} 将于 {order.due_on} 到期",
                audience=[],
                user_id=None,
                due=order.due_on,
            ):
                remind(session, SYSTEM, order, note="到期前自动催办", system=True)
                done.append(f"remind:{order.code}")
    callback_days, _ = desk.rule_value(session, "desk_callback_within", 3)
    waiting = session.scalars(select(WorkOrder).where(WorkOrder.state == "replied", WorkOrder.replied_on.is_not(None)))
    for order in list(waiting):
        due = cal.deadline(order.replied_on, callback_days, "working").due
        if due < today and alerts.raise_once(
            session,
            key=f"servicedesk:callback:{order.id}:{order.reopen_count}",
            domain=DOMAIN,
            kind="desk_callback_due",
            subject_kind=SUBJECT,
            subject_id=order.id,
            message=f"工单 {order.code} 已于 {order.replied_on} 答复，回访已逾期（{callback_days} 个工作日内回访）",
            audience=[Role.CENTRE_STAFF] if order.kind != "report" else [],
            user_id=None,
            due=due,
        ):
            done.append(f"callback:{order.code}")
    return done
