"""The steps of an information request, each a guarded transition of the state machine declared in
``states.STEPS``: ``apply`` checks the step is allowed from the current state and for the actor,
changes the state, records the event (whose day drives the answer clock) and appends the step to the
ledger (request id, step and states only — never the applicant's data), all in the caller's unit of
work. Each public function below is one step with its own guard (条例第三十条至第三十七条).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from sunshine.core.formatting import cn_day
from sunshine.identity.models import User
from sunshine.inforequests import deadlines, fees, hooks, repository, states
from sunshine.inforequests.models import InfoRequest, RequestEvent, RequestReview
from sunshine.inforequests.schemas import (
    AnswerIn,
    CloseIn,
    ConsultationEndIn,
    ConsultationIn,
    CorrectedIn,
    CorrectionIn,
    DelayIn,
    ExtendIn,
    OpinionIn,
    ReviewIn,
    RouteIn,
)
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules

#: The server clock acting on its own (the tick): lapsed corrections and consultations.
SYSTEM = Principal(display_name="系统（按期自动办理）")


_cn = cn_day


def available(req: InfoRequest, actor: Principal) -> list[str]:
    """The steps ``actor`` may take on ``req`` now (for buttons and the API's next_steps)."""
    return [
        s.name
        for s in states.STEPS.values()
        if s.roles and s.allowed_from(req.state) and actor.roles & s.roles and s.name != "receive"
    ]


def apply(
    session: Session,
    req: InfoRequest,
    step_name: str,
    actor: Principal,
    *,
    day: date,
    days: int = 0,
    data: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    system_ok: bool = False,
) -> RequestEvent:
    """Take one step: the state-machine guard, the state change, the event and the ledger entry."""
    step = states.STEPS[step_name]
    if not step.allowed_from(req.state):
        raise Conflict(f"不能“{step.title}”：{step.rule}（当前状态：{states.STATES.get(req.state, req.state)}）")
    if step.roles:
        if not (actor.roles & step.roles) and not system_ok:
            raise Forbidden(f"当前角色不能“{step.title}”")
    elif actor is not SYSTEM:
        raise Forbidden(f"“{step.title}”由系统按期限自动办理")
    before = req.state
    after = before if step.target == states.SAME else step.target
    now = clock.now()
    req.state, req.updated_at = after, now
    entry = ledger.append(
        session,
        f"inforequest:{step.name.replace('_', '-')}",
        repository.subject_of(req),
        {
            "request": req.id,
            "step": step.name,
            "from": None if before == "new" else before,
            "to": after,
            "day": day.isoformat(),
            "days": days,
            "by": actor.user_id,
            **(payload or {}),
        },
    )
    event = RequestEvent(
        request_id=req.id,
        step=step.name,
        from_state=None if before == "new" else before,
        to_state=after,
        day=day,
        days=days,
        data=json.dumps(data, ensure_ascii=False) if data else None,
        actor_id=actor.user_id,
        ledger_seq=entry.seq,
        at=now,
    )
    session.add(event)
    session.flush()
    return event


def _day(req: InfoRequest, history: list[RequestEvent], day: date | None, field: str = "day") -> date:
    """The day a step takes effect: today unless given; never in the future, never before the
    request's last event (the history stays in order, so the clock can be replayed)."""
    today = clock.today_local()
    day = day or today
    if day > today:
        raise InvalidInput("日期不能晚于今天", field=field)
    previous = history[-1].day if history else req.received_on
    if day < previous:
        raise InvalidInput(f"日期不能早于上一个办理环节的日期（{_cn(previous)}）", field=field)
    return day


def _after(session: Session, req: InfoRequest, history: list[RequestEvent]) -> None:
    history.extend(repository.events(session, req)[len(history) :])
    deadlines.refresh_deadlines(session, req, calendar.load(session), history)


def _start(session: Session, req: InfoRequest) -> list[RequestEvent]:
    return repository.events(session, req)


# ------------------------------------------------------------ correction (第三十条)


def correction_due(session: Session, req: InfoRequest, history: list[RequestEvent]) -> date | None:
    notice = repository.last(history, "request_correction")
    if notice is None:
        return None
    return calendar.compute(session, notice.day, notice.days, "working").due


def request_correction(session: Session, actor: Principal, req: InfoRequest, body: CorrectionIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    pack = repository.pack_of(req)
    if repository.last(history, "request_correction") is not None:
        raise Conflict("补正只能一次性告知（条例第三十条），本申请已告知过补正")
    if pack.has("correction_notice_within"):
        rules.check_within(session, pack.rule("correction_notice_within"), req.received_on, day)
    minimum = repository.rule_days(pack, "correction_period_default") or 1
    period = body.period_days or minimum
    if period < minimum:
        rule = pack.rule("correction_period_default")
        raise RuleViolation(
            f"补正期限应给予申请人合理的时间，不少于{minimum}个工作日（依据：{rule.basis_text}）",
            field="period_days",
            rule=rule.id,
        )
    event = apply(session, req, "request_correction", actor, day=day, days=period, data={"items": body.items})
    _after(session, req, history)
    return event


def record_correction(session: Session, actor: Principal, req: InfoRequest, body: CorrectedIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    due = correction_due(session, req, history)
    if due is not None and day > due:
        raise Conflict(
            f"补正期限已于{_cn(due)}届满，申请人逾期未补正的视为放弃申请（条例第三十条），不能再登记补正",
            field="day",
        )
    event = apply(session, req, "record_correction", actor, day=day, data={"note": body.note} if body.note else None)
    _after(session, req, history)
    return event


def lapse_correction(session: Session, req: InfoRequest, due: date) -> RequestEvent:
    """The tick: the correction period ran out, so the request is treated as withdrawn (视为放弃申请)."""
    history = _start(session, req)
    day = due + timedelta(days=1)
    event = apply(session, req, "lapse_correction", SYSTEM, day=day, data={"correction_due": due.isoformat()})
    req.category, req.concluded_on = "other_uncorrected", day
    _after(session, req, history)
    return event


# ------------------------------------------------------------ routing and the department


def route(session: Session, actor: Principal, req: InfoRequest, body: RouteIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    user = session.get(User, body.department_user_id)
    if user is None or not user.is_active:
        raise NotFound("承办部门的用户不存在", field="department_user_id")
    if body.department_user_id not in {uid for uid, _ in repository.department_users(session)}:
        raise InvalidInput("只能转交给行政监督部门或交易中心的用户（承办部门）", field="department_user_id")
    req.department_user_id = user.id
    event = apply(
        session,
        req,
        "route",
        actor,
        day=day,
        data={"department": user.display_name, "note": body.note},
        payload={"department_user": user.id},
    )
    _after(session, req, history)
    return event


def department_opinion(session: Session, actor: Principal, req: InfoRequest, body: OpinionIn) -> RequestEvent:
    if req.department_user_id != actor.user_id:
        raise NotFound("申请不存在")
    history = _start(session, req)
    day = _day(req, history, body.day)
    event = apply(
        session,
        req,
        "department_opinion",
        actor,
        day=day,
        data={"opinion": body.opinion, "suggested_form": body.suggested_form},
    )
    _after(session, req, history)
    return event


# ------------------------------------------------------------ consultation (第三十二条、第三十三条第二款)


def opinion_due(session: Session, req: InfoRequest, history: list[RequestEvent]) -> date | None:
    started = repository.last(history, "start_consultation")
    days = repository.rule_days(repository.pack_of(req), "third_party_opinion_within")
    if started is None or days is None or repository.data_of(started).get("party") != "third_party":
        return None
    return calendar.compute(session, started.day, days, "working").due


def start_consultation(session: Session, actor: Principal, req: InfoRequest, body: ConsultationIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    event = apply(
        session,
        req,
        "start_consultation",
        actor,
        day=day,
        data={"party": body.party, "party_name": body.party_name, "matter": body.matter},
        payload={"party": body.party},
    )
    _after(session, req, history)
    return event


def end_consultation(session: Session, actor: Principal, req: InfoRequest, body: ConsultationEndIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    event = apply(session, req, "end_consultation", actor, day=day, data={"outcome": body.outcome, "note": body.note})
    _after(session, req, history)
    return event


def lapse_consultation(session: Session, req: InfoRequest, due: date) -> RequestEvent:
    """The tick: the third party let its 15 working days pass without an opinion (第三十二条)."""
    history = _start(session, req)
    event = apply(session, req, "lapse_consultation", SYSTEM, day=due, data={"outcome": "no_opinion"})
    _after(session, req, history)
    return event


# ------------------------------------------------------------ extension (第三十三条) and delay (第三十五条)


def _running_due(session: Session, req: InfoRequest, history: list[RequestEvent], day: date, what: str) -> None:
    answer = deadlines.clock_of(req, history, calendar.load(session))
    if not answer.running:
        raise Conflict(f"申请正在等待补正或征求意见，暂停计时，不能{what}")
    if answer.due is not None and day > answer.due:
        raise RuleViolation(
            f"答复期限已于{_cn(answer.due)}届满，不能再{what}（延长须在答复期限内决定）",
            field="day",
            rule="answer_within",
        )


def extend(session: Session, actor: Principal, req: InfoRequest, body: ExtendIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    _running_due(session, req, history, day, "延长答复期限")
    pack = repository.pack_of(req)
    rule = pack.rule("extension_max")
    used = sum(e.days for e in history if e.step == "extend")
    if used + body.days > int(rule.value):
        raise RuleViolation(
            f"延长的期限最长不得超过{rule.display}（依据：{rule.basis_text}），已延长{used}个工作日",
            field="days",
            rule=rule.id,
            basis=rule.basis_text,
        )
    event = apply(
        session,
        req,
        "extend",
        actor,
        day=day,
        days=body.days,
        data={"approver": body.approver, "reason": body.reason},
    )
    _after(session, req, history)
    return event


def volume_delay(session: Session, actor: Principal, req: InfoRequest, body: DelayIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    pack = repository.pack_of(req)
    if not pack.has("volume_delay_max"):
        raise Conflict("本申请适用的规则没有“确定延迟答复期限”的规定（条例第三十五条为2019年修订新增）")
    if not req.volume_flag:
        raise Conflict("只有申请数量、频次明显超过合理范围的申请才能确定延迟答复期限（条例第三十五条）")
    _running_due(session, req, history, day, "确定延迟答复期限")
    rule = pack.rule("volume_delay_max")
    used = sum(e.days for e in history if e.step == "volume_delay")
    if used + body.days > int(rule.value):
        raise RuleViolation(
            f"延迟答复的期限不超过{rule.display}（依据：{rule.basis_text}），已延迟{used}个工作日",
            field="days",
            rule=rule.id,
        )
    event = apply(session, req, "volume_delay", actor, day=day, days=body.days, data={"reason": body.reason})
    _after(session, req, history)
    return event


# ------------------------------------------------------------ answer (第三十六条、第三十七条) and close


_FIELD_LABELS = {
    "location": "获取方式和途径",
    "reason": "不予公开的理由",
    "holder": "负责公开的机关及联系方式",
    "detail": "说明",
}


def answer(session: Session, actor: Principal, req: InfoRequest, body: AnswerIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    form = states.ANSWER_FORMS[body.form]
    for need in form.needs:
        if not getattr(body, need):
            raise InvalidInput(f"“{form.label}”须填写{_FIELD_LABELS[need]}", field=need)
    if body.reason and "reason" not in form.needs:
        raise InvalidInput(f"“{form.label}”不适用不予公开的理由", field="reason")
    if body.fee_method != "none" and not form.fee:
        raise InvalidInput(f"“{form.label}”不提供信息，不收取信息处理费", field="fee_method")
    if body.fee_method == "count" and body.pages is not None:
        raise InvalidInput("同一申请只能按件或按量一种方式计收信息处理费，不能同时适用", field="fee_method")
    pack = fees.pack_for(session, req.received_on)
    rank = repository.month_rank(session, req) if body.fee_method == "count" else None
    fee = fees.compute(pack, body.fee_method, rank=rank, pages=body.pages if body.fee_method == "pages" else None)
    detail = {
        "reason": body.reason,
        "location": body.location,
        "holder": body.holder,
        "detail": body.detail,
        "fee_explanation": fee.explanation,
        "fee_basis": fee.basis,
        "pages": body.pages,
    }
    req.answer_form = form.key
    req.category = states.category_of(form.key, body.reason)
    req.answer_detail = json.dumps({k: v for k, v in detail.items() if v is not None}, ensure_ascii=False)
    req.answered_on = req.concluded_on = day
    req.fee_method, req.fee_units, req.fee_amount = fee.method, fee.units, fee.amount
    answer_clock = deadlines.clock_of(req, history, calendar.load(session))
    on_time = answer_clock.due is None or day <= answer_clock.due
    event = apply(
        session,
        req,
        "answer",
        actor,
        day=day,
        data={"form": form.key, "on_time": on_time},
        payload={"form": form.key, "category": req.category, "on_time": on_time},
    )
    _after(session, req, history)
    hooks.answered(session, req)  # what domains above add to an answer (e.g. the desk's survey invitation)
    return event


def close(session: Session, actor: Principal, req: InfoRequest, body: CloseIn) -> RequestEvent:
    history = _start(session, req)
    day = _day(req, history, body.day)
    event = apply(session, req, "close", actor, day=day, data={"note": body.note} if body.note else None)
    _after(session, req, history)
    return event


# ------------------------------------------------------------ reviews and lawsuits


def add_review(session: Session, actor: Principal, req: InfoRequest, body: ReviewIn) -> RequestReview:
    """Record an administrative review or a lawsuit against the answer (annual report table 四)."""
    if req.answered_on is None:
        raise Conflict("只有已答复的申请才会有针对答复的行政复议或行政诉讼")
    today = clock.today_local()
    if body.filed_on > today or body.filed_on < req.answered_on:
        raise InvalidInput("申请复议或起诉的日期应在答复之后、今天之前", field="filed_on")
    if (body.result == "pending") != (body.decided_on is None):
        raise InvalidInput("已审结的请填写审结日期；尚未审结的不填", field="decided_on")
    if body.decided_on is not None and not body.filed_on <= body.decided_on <= today:
        raise InvalidInput("审结日期应在申请复议或起诉之后、今天之前", field="decided_on")
    row = RequestReview(
        request_id=req.id,
        kind=body.kind,
        filed_on=body.filed_on,
        result=body.result,
        decided_on=body.decided_on,
        note=body.note,
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "inforequest:review:recorded",
        repository.subject_of(req),
        {"request": req.id, "review": row.id, "kind": row.kind, "result": row.result, "by": actor.user_id},
    )
    return row


def decide_review(
    session: Session, actor: Principal, req: InfoRequest, review_id: int, result: str, decided_on: date
) -> RequestReview:
    row = session.get(RequestReview, review_id)
    if row is None or row.request_id != req.id:
        raise NotFound("复议或诉讼记录不存在")
    if result not in ("upheld", "corrected", "other"):
        raise InvalidInput("审结结果应为维持、纠正或其他", field="result")
    if not row.filed_on <= decided_on <= clock.today_local():
        raise InvalidInput("审结日期应在申请复议或起诉之后、今天之前", field="decided_on")
    row.result, row.decided_on = result, decided_on
    session.flush()
    ledger.append(
        session,
        "inforequest:review:decided",
        repository.subject_of(req),
        {"request": req.id, "review": row.id, "result": result, "by": actor.user_id},
    )
    return row


ACTIONS = {
    "correction": (request_correction, CorrectionIn, "已告知申请人补正"),
    "corrected": (record_correction, CorrectedIn, "已登记补正后的申请，答复期限重新计算"),
    "route": (route, RouteIn, "已转交承办部门"),
    "opinion": (department_opinion, OpinionIn, "已提交答复意见"),
    "consultation": (start_consultation, ConsultationIn, "已开始征求意见，暂停计时"),
    "consultation-end": (end_consultation, ConsultationEndIn, "征求意见结束，恢复计时"),
    "extend": (extend, ExtendIn, "已延长答复期限"),
    "delay": (volume_delay, DelayIn, "已确定延迟答复期限"),
    "answer": (answer, AnswerIn, "已作出答复"),
    "close": (close, CloseIn, "已办结"),
}
