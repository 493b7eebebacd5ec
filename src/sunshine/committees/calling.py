"""Calling the drawn experts (专家通知、确认、递补与签到).

When the draws engine has fixed the order and called a seat, the platform itself tells that expert — a platform
message, an SMS and a voice call through ``messaging`` (sent only once the step commits) — and nobody else
learns who was called. The expert confirms or declines (with a reason) on the workbench or through the API
within ``expert_confirm_within`` minutes (centre.service); a decline, a recusal or no answer in time (the tick)
is recorded through ``draws.service.record_outcome`` and the engine calls the next candidate in the same draw
order, whom this module tells in turn. When the order runs out, the request is short (补抽) and the centre gets
an alert. Avoidance is checked again at the confirmation and at the sign-in (``avoidance.avoidance_for``).

The sign-in (签到) at the evaluation time is the moment names stop being secret to those running the session:
from it on, the centre's staff and the committee's signed-in members see the signed-in experts' names
(``sign_in_list``); everybody else who may read the request sees positions, leaf hashes and states until the
results are public. The ledger carries leaves, positions and generic outcome labels only. Never commits.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import avoidance, drawing, service, visibility
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.composition import PURPOSES
from sunshine.committees.models import CommitteeSeat, DrawRequest
from sunshine.core import alerts, clock, formatting
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.draws import service as draws
from sunshine.experts import service as experts
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.ledger.format import iso_utc
from sunshine.messaging import service as messaging
from sunshine.rules import service as rules
from sunshine.trading import lifecycle
from sunshine.trading.models import Project, Section

MESSAGE_KIND = "committees_call"
PENDING, CONFIRMED, DECLINED, TIMED_OUT, RECUSED = "pending", "confirmed", "declined", "timed_out", "recused"
NO_SHOW = "no_show"
RELEASED = "released"
STATES = {
    PENDING: "待确认",
    CONFIRMED: "已确认参加",
    DECLINED: "已拒绝",
    TIMED_OUT: "逾期未答复",
    RECUSED: "回避",
    NO_SHOW: "未到场",
    RELEASED: "项目已结束，无需参加",
}
DECLINE_REASONS = {
    "schedule": "时间冲突",
    "health": "身体原因",
    "away": "在外地，无法按时到场",
    "conflict": "本人与本项目当事人存在利害关系，申请回避",
    "other": "其他原因",
}
#: what the ledger (through the engine's outcome entry) says: generic, never the expert's own words
LEDGER_REASONS = {
    DECLINED: "专家拒绝参加",
    TIMED_OUT: "专家逾期未答复",
    RECUSED: "专家应当回避",
    NO_SHOW: "专家未到场",
}
CONFIRM_RULE, SIGN_IN_RULE = "expert_confirm_within", "expert_sign_in_opens_before"
CONFIRM_DEFAULT, SIGN_IN_DEFAULT = 30, 60  # minutes, when no centre.service pack says otherwise


class CallStateConflict(Conflict):
    code = "expert_call_state"
    title = "该评标邀请当前状态不允许此操作"


class CallExpired(Conflict):
    code = "expert_call_expired"
    title = "已超过确认时限"


class SignInNotOpen(Conflict):
    code = "expert_sign_in_not_open"
    title = "尚未到签到时间"


class DeclineReasonInvalid(InvalidInput):
    code = "expert_decline_reason"
    title = "请选择不参加的原因"


def install() -> None:
    messaging.register_kind(MESSAGE_KIND, "评标专家抽取通知", confidential=True)
    service.on_appointed(call_appointed)


def _minutes(session: Session, rule_id: str, fallback: int) -> timedelta:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    value = int(pack.rule(rule_id).value) if pack is not None and pack.has(rule_id) else fallback
    return timedelta(minutes=value)


def confirm_within(session: Session) -> timedelta:
    return _minutes(session, CONFIRM_RULE, CONFIRM_DEFAULT)


def sign_in_opens_before(session: Session) -> timedelta:
    return _minutes(session, SIGN_IN_RULE, SIGN_IN_DEFAULT)


def calls_of(session: Session, request_id: int) -> list[ExpertCall]:
    stmt = select(ExpertCall).where(ExpertCall.request_id == request_id)
    return list(session.scalars(stmt.order_by(ExpertCall.position, ExpertCall.id)))


def place_text(request: DrawRequest) -> str:
    return f"异地评标（主场：{request.place}）" if request.place_kind == "remote" else request.place


def _title(session: Session, request: DrawRequest, project: Project) -> str:
    section = session.get(Section, request.section_id)
    return f"{project.name} 第{section.number}标段（包）" if section is not None else project.name


# --------------------------------------------------------------------------- calling


def _notify(session: Session, request: DrawRequest, project: Project, call: ExpertCall) -> None:
    name, mobile = experts.contact(session, call.expert_id)
    expert = experts.get_expert(session, call.expert_id)
    title = _title(session, request, project)
    body = (
        f"{name}专家：您被{'直接确定' if request.kind == 'appointment' else '随机抽取'}参加“{title}”的"
        f"{PURPOSES[request.purpose]}。"
        f"时间：{formatting.local_time(request.meeting_at)}；地点：{place_text(request)}。"
        f"请于{formatting.local_time(call.due_at)}前登录专家工作台确认是否参加，逾期未答复视为不参加。"
        "评标委员会成员名单在中标结果确定前保密，请勿向他人透露。"
    )
    messaging.send(
        session,
        user_id=expert.user_id,
        subject="评标专家抽取通知",
        body=body,
        link="/expert",
        sms_to=mobile or None,
        voice_to=mobile or None,
        kind=MESSAGE_KIND,
    )


def call_new(session: Session, request: DrawRequest) -> list[ExpertCall]:
    """Tell every expert the draw has called to a seat and the platform has not told yet; alert the centre when
    the order has run out (the request is short). Runs after the engine's ``on_drawn`` and ``on_outcome``."""
    project = session.get(Project, request.project_id)
    known = {c.seat_id for c in calls_of(session, request.id)}
    now = clock.now()
    due = now + confirm_within(session)
    new = []
    for seat in service.committee_of(session, request.id):
        if seat.reserve or seat.state != "called" or seat.id in known or seat.leaf is None:
            continue
        call = ExpertCall(
            request_id=request.id,
            seat_id=seat.id,
            expert_id=seat.expert_id,
            leaf=seat.leaf,
            specialty=seat.specialty,
            position=seat.position,
            state=PENDING,
            called_at=now,
            due_at=due,
        )
        session.add(call)
        session.flush()
        _notify(session, request, project, call)
        new.append(call)
    if new:
        ledger.append(
            session,
            "committees:call:notified",
            f"project:{project.code}",
            {
                "request": request.id,
                "draw": request.draw_code,
                "calls": [{"position": c.position, "group": c.specialty, "leaf": c.leaf} for c in new],
                "due_at": iso_utc(due),
            },
        )
    _check_short(session, request, project)
    return new


def appointment_ref(request: DrawRequest, seat_id: int) -> str:
    """A directly appointed seat has no leaf of a draw: its calls and ledger entries name it by this reference,
    derived from the request and the seat alone (it says nothing about who sits)."""
    return hashlib.sha256(f"sunshine-appointment:{request.id}:{seat_id}".encode()).hexdigest()


def call_appointed(session: Session, request: DrawRequest) -> list[ExpertCall]:
    """A direct appointment took effect: the platform tells each appointed expert as it tells a drawn one, and
    they confirm or decline within the same limit and sign in the same way."""
    project = session.get(Project, request.project_id)
    known = {c.seat_id for c in calls_of(session, request.id)}
    now = clock.now()
    due = now + confirm_within(session)
    new = []
    for seat in service.committee_of(session, request.id):
        if seat.state != "appointed" or seat.id in known:
            continue
        call = ExpertCall(
            request_id=request.id,
            seat_id=seat.id,
            expert_id=seat.expert_id,
            leaf=appointment_ref(request, seat.id),
            specialty=seat.specialty,
            position=seat.position,
            state=PENDING,
            called_at=now,
            due_at=due,
        )
        session.add(call)
        session.flush()
        _notify(session, request, project, call)
        new.append(call)
    if new:
        ledger.append(
            session,
            "committees:call:notified",
            f"project:{project.code}",
            {
                "request": request.id,
                "appointment": True,
                "calls": [{"position": c.position, "group": c.specialty, "leaf": c.leaf} for c in new],
                "due_at": iso_utc(due),
            },
        )
    return new


def shortfall(session: Session, request: DrawRequest) -> dict[str, int]:
    """Specialty → seats the draw order could not fill (补抽 needed), or appointed experts who will not sit (to be
    appointed again); empty when the committee is whole."""
    if request.kind == "appointment":
        short: dict[str, int] = {}
        for c in calls_of(session, request.id):
            if c.state in (DECLINED, TIMED_OUT, RECUSED, NO_SHOW):
                short[c.specialty] = short.get(c.specialty, 0) + 1
        return short
    if request.draw_code is None:
        return {}
    draw = draws.get(session, request.draw_code)
    if draw.call_order is None:
        return {}
    return {group: n for group, n in draws.assignment(session, draw).vacant.items() if n > 0}


def _check_short(session: Session, request: DrawRequest, project: Project) -> None:
    short = shortfall(session, request)
    if not short:
        return
    labels = avoidance.specialty_labels(session, list(short))
    text = "、".join(f"{labels.get(g, g)}尚缺{n}名" for g, n in short.items())
    key = f"committees:short:{request.id}:" + ",".join(f"{g}={n}" for g, n in sorted(short.items()))
    raised = alerts.raise_once(
        session,
        key=key,
        domain="committees",
        kind="alert",
        subject_kind="committee_request",
        subject_id=request.id,
        message=(
            f"“{_title(session, request, project)}”直接确定的专家不能参加：{text}，需另行确定专家"
            if request.kind == "appointment"
            else f"“{_title(session, request, project)}”的专家抽取顺序已用尽：{text}，需补抽专家"
        ),
        audience=[Role.CENTRE_STAFF.value],
    )
    if raised is not None:
        ledger.append(
            session,
            "committees:call:short",
            f"project:{project.code}",
            {"request": request.id, "draw": request.draw_code, "vacant": dict(sorted(short.items()))},
        )


def after_drawn(session: Session, draw) -> None:
    """The purpose's ``on_drawn``: the committee's seats (``drawing.on_drawn``), then the calls."""
    drawing.on_drawn(session, draw)
    request = drawing.request_of_owner(session, draw.owner)
    if request is not None:
        call_new(session, request)


ENGINE_STATES = {"confirmed": CONFIRMED, "declined": DECLINED, "no_show": NO_SHOW}


def after_outcome(session: Session, draw, changed, new) -> None:
    """The purpose's ``on_outcome``: the seats follow the engine, the call of the leaf follows the outcome (when the
    centre recorded it in the draw room rather than the expert on the workbench), then the replacements are called."""
    drawing.on_outcome(session, draw, changed, new)
    request = drawing.request_of_owner(session, draw.owner)
    if request is None:
        return
    state = ENGINE_STATES.get(changed.state)
    for call in calls_of(session, request.id):
        if call.leaf == changed.leaf and call.state in (PENDING, CONFIRMED) and state and call.state != state:
            call.state, call.answered_at = state, call.answered_at or clock.now()
    call_new(session, request)


# --------------------------------------------------------------------------- the expert's answers


def own_call(session: Session, actor: Principal, call_id: int) -> ExpertCall:
    """One of the actor's own calls; anyone else's — or none — answers 404."""
    expert = experts.expert_of_user(session, actor.user_id) if actor.user_id else None
    call = session.get(ExpertCall, call_id)
    if call is None or expert is None or call.expert_id != expert.id:
        raise NotFound("没有这项评标邀请")
    return call


def _close(session: Session, call: ExpertCall, state: str, reason_code: str | None, note: str | None) -> None:
    """The call ends without the expert sitting: recorded against the leaf; the engine calls the next in order."""
    call.state, call.answered_at, call.reason_code, call.note = state, clock.now(), reason_code, note
    session.flush()
    request = session.get(DrawRequest, call.request_id)
    outcome = "no_show" if state == NO_SHOW else "declined"
    if request.kind != "appointment":
        draws.record_outcome(session, None, request.draw_code, call.leaf, outcome, LEDGER_REASONS[state])
        return
    seat = session.get(CommitteeSeat, call.seat_id)  # nobody is next in an order: the centre is told
    seat.state, seat.updated_at = outcome, clock.now()
    project = session.get(Project, request.project_id)
    ledger.append(
        session,
        "committees:appointment:outcome",
        f"project:{project.code}",
        {"request": request.id, "position": call.position, "leaf": call.leaf, "outcome": LEDGER_REASONS[state]},
    )
    _check_short(session, request, project)


def _open_call(call: ExpertCall) -> None:
    if call.state != PENDING:
        raise CallStateConflict(f"该评标邀请当前为“{STATES[call.state]}”")
    if clock.now() > call.due_at:
        raise CallExpired(f"确认时限已于{formatting.local_time(call.due_at)}届满，视为不参加")


def confirm(session: Session, actor: Principal, call_id: int) -> ExpertCall:
    """确认参加. Avoidance is checked again first: an expert now conflicted is recused (the call ends as 回避)."""
    call = own_call(session, actor, call_id)
    _open_call(call)
    request = session.get(DrawRequest, call.request_id)
    conflict = avoidance.avoidance_for(session, request, call.expert_id)
    if conflict is not None:
        _close(session, call, RECUSED, conflict, None)
        return call
    if request.kind != "appointment":
        draws.record_outcome(session, None, request.draw_code, call.leaf, "confirmed", "")
    call.state, call.answered_at = CONFIRMED, clock.now()
    return call


def decline(session: Session, actor: Principal, call_id: int, reason_code: str, note: str = "") -> ExpertCall:
    """不参加, with a reason; the next expert in the draw order is called."""
    call = own_call(session, actor, call_id)
    _open_call(call)
    if reason_code not in DECLINE_REASONS:
        raise DeclineReasonInvalid("请选择不参加的原因", field="reason")
    note = (note or "").strip()
    if reason_code == "other" and not note:
        raise InvalidInput("选择“其他原因”时请说明", field="note")
    if len(note) > 300:
        raise InvalidInput("说明不超过300字", field="note")
    _close(session, call, RECUSED if reason_code == "conflict" else DECLINED, reason_code, note or None)
    return call


def due_calls(session: Session) -> list[int]:
    """Ids of the calls whose time limit has run out unanswered (the tick's work)."""
    stmt = select(ExpertCall.id).where(ExpertCall.state == PENDING, ExpertCall.due_at < clock.now())
    return list(session.scalars(stmt.order_by(ExpertCall.id).limit(200)))


def expire(session: Session, call_id: int) -> bool:
    """No answer in time: recorded as not taking part; the next in order is called. False if answered meanwhile."""
    call = session.get(ExpertCall, call_id)
    if call is None or call.state != PENDING or call.due_at >= clock.now():
        return False
    _close(session, call, TIMED_OUT, None, None)
    return True


def sign_in_opens_at(session: Session, request: DrawRequest) -> datetime:
    return request.meeting_at - sign_in_opens_before(session)


def may_sign_in(session: Session, call: ExpertCall, request: DrawRequest) -> bool:
    return (
        call.state == CONFIRMED
        and call.signed_in_at is None
        and request.disclosed_at is None
        and clock.now() >= sign_in_opens_at(session, request)
    )


def sign_in(session: Session, actor: Principal, call_id: int) -> ExpertCall:
    """签到 at the evaluation: avoidance is checked again (the bidders are known by now); a conflicted expert is
    recused and the next in order called. From this moment the expert's name is on the sign-in list."""
    call = own_call(session, actor, call_id)
    request = session.get(DrawRequest, call.request_id)
    if call.state != CONFIRMED:
        raise CallStateConflict(f"该评标邀请当前为“{STATES[call.state]}”，不能签到")
    if call.signed_in_at is not None:
        raise CallStateConflict(f"您已于{formatting.local_time(call.signed_in_at)}签到")
    if request.disclosed_at is not None:
        raise CallStateConflict("本项目评审已结束")
    opens = sign_in_opens_at(session, request)
    if clock.now() < opens:
        minutes = int(sign_in_opens_before(session).total_seconds() // 60)
        raise SignInNotOpen(f"签到将于{formatting.local_time(opens)}开放（评审开始前{minutes}分钟）")
    conflict = avoidance.avoidance_for(session, request, call.expert_id)
    if conflict is not None:
        _close(session, call, RECUSED, conflict, None)
        return call
    call.signed_in_at = clock.now()
    project = session.get(Project, request.project_id)
    ledger.append(
        session,
        "committees:call:signed_in",
        f"project:{project.code}",
        {"request": request.id, "draw": request.draw_code, "position": call.position, "leaf": call.leaf},
    )
    return call


def mark_no_show(session: Session, actor: Principal, request_id: int, call_id: int) -> ExpertCall:
    """未到场: the centre's staff running the session record that a confirmed expert has not signed in by the
    evaluation's start; the next expert in the draw order is called."""
    request = session.get(DrawRequest, request_id)
    call = session.get(ExpertCall, call_id)
    project = session.get(Project, request.project_id) if request is not None else None
    if project is None or call is None or call.request_id != request.id or not visibility.may_read(actor, project):
        raise NotFound("没有这项专家通知")
    if not visibility.may_run(actor):
        raise Forbidden("专家未到场由组织评审的交易中心工作人员登记")
    if call.state != CONFIRMED or call.signed_in_at is not None:
        raise CallStateConflict("只有已确认参加但尚未签到的专家可以登记为未到场")
    if clock.now() < request.meeting_at:
        raise SignInNotOpen(f"评审开始（{formatting.local_time(request.meeting_at)}）后方可登记未到场")
    _close(session, call, NO_SHOW, None, None)
    return call


def release_at_end(session: Session, event: lifecycle.StepEvent) -> None:
    """After every step: when a project ends (terminated, failed) before its evaluation, the experts called and not
    yet signed in are told they need not come; their calls end as 项目已结束 (the ledger names positions only)."""
    if event.after == event.before or event.after not in drawing.ENDED_STATES:
        return
    requests = select(DrawRequest).where(DrawRequest.project_id == event.project.id)
    ended = lifecycle.state_label(event.project, event.after)
    for request in session.scalars(requests):
        released = [c for c in calls_of(session, request.id) if c.state in (PENDING, CONFIRMED) and not c.signed_in_at]
        for call in released:
            call.state, call.answered_at = RELEASED, clock.now()
            messaging.send(
                session,
                user_id=experts.get_expert(session, call.expert_id).user_id,
                subject="评标（评审）取消通知",
                body=f"“{_title(session, request, event.project)}”{ended}，原定于"
                f"{formatting.local_time(request.meeting_at)}的{PURPOSES[request.purpose]}取消，您无需参加。",
                link="/expert",
                kind=MESSAGE_KIND,
            )
        if released:
            ledger.append(
                session,
                "committees:call:released",
                f"project:{event.project.code}",
                {"request": request.id, "positions": [c.position for c in released], "reason": "project_ended"},
            )
