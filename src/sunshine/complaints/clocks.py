"""The clocks of a case, each computed from the case's history alone through the one case clock
(``sunshine.core.caseclock``): the limits are rules of the project's pack with their legal basis, the days are the
calendar's (working days with 调休, provisional in a year without an official schedule), and the pauses the law
excludes (检验、检测、鉴定、专家评审; the correction period of a procurement complaint) are events of the history.

* objection (异议, 条例 第二十二条): the tenderer answers within ``objection_answer`` days of receipt;
* challenge (质疑, 采购法 第五十三条): answered within ``challenge_answer`` working days of receipt;
* engineering complaint (条例 第六十一条): acceptance decided within ``complaint_accept`` working days of receipt;
  the decision within ``complaint_decide`` working days counted from the acceptance, inspections excluded;
* objection to the evaluation result (条例 第五十四条): answered within ``publicity_objection_answer`` days (3 days,
  the statute's value where the pack lacks it); an objection at the opening (条例 第四十四条) has no clock;
* procurement complaint (94号令 第二十一、二十二、二十六条): reviewed within ``complaint_accept`` working days of
  receipt (a correction notice stops it, the corrected letter restarts it); the copy sent to the respondents within
  ``respondent_copy_within`` working days of receipt (94号令 第二十一条: 受理 is the receipt; correction not
  counted); the respondents answer within
  ``respondent_answer_within`` working days of receiving the copy; the decision within ``complaint_decide`` working
  days counted from receipt, the correction period and inspections excluded.

The filing windows are computed the same way: an engineering complaint within ``complaint_within`` days of
knowing, the objection's answer period not counted (条例 第六十条第二款); a challenge within ``challenge_within``
working days of knowing; a procurement complaint within ``complaint_within`` working days after the challenge's
answer period ends (采购法 第五十五条)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sunshine.core import caseclock, clock
from sunshine.core.caseclock import CaseClock, CaseEvent
from sunshine.core.formatting import cn_day
from sunshine.core.workdays import WorkCalendar
from sunshine.rules import service as rules
from sunshine.rules.registry import registry
from sunshine.trading.models import Project

#: the pack the statute's rules are read from when a project's own pack predates them (same regime, same law)
REFERENCE_PACKS = {"engineering": "engineering.open_tender", "gov_procurement": "gov_procurement.open_tender"}


@dataclass(frozen=True)
class Limit:
    rule_id: str
    title: str
    days: int
    unit: str  # working | calendar
    basis: str

    @property
    def text(self) -> str:
        return f"{self.days}{'个工作日' if self.unit == 'working' else '日'}"


def limit(project: Project, rule_id: str) -> Limit:
    """A day rule of the project's snapshot, else of its pack in force today, else of the regime's reference pack."""
    snapshot = rules.rules_of(project)
    if snapshot.has(rule_id):
        rule = snapshot.rule(rule_id)
    else:
        rule = None
        for key in (project.pack_key, REFERENCE_PACKS.get(project.transaction_type)):
            if key is None:
                continue
            try:
                pack = rules.resolve_pack(registry().in_force(key, clock.today_local()), {}, clock.today_local())
            except Exception:  # noqa: BLE001 — a key without a version in force: try the next
                continue
            if pack.has(rule_id):
                rule = pack.rule(rule_id)
                break
        if rule is None:
            if rule_id in STATUTE:
                return STATUTE[rule_id]
            raise LookupError(f"规则包中没有 {rule_id}")
    unit = "working" if rule.unit == "working_days" else "calendar"
    return Limit(rule.id, rule.title, int(rule.value), unit, rule.basis_text)


#: limits the statute fixes for every pack of its regime, used when a project's pack does not carry them
STATUTE = {
    "publicity_objection_answer": Limit(
        "publicity_objection_answer",
        "招标人答复对评标结果的异议",
        3,
        "calendar",
        "《中华人民共和国招标投标法实施条例》第五十四条：招标人应当自收到异议之日起3日内作出答复；"
        "作出答复前，应当暂停招标投标活动",
    )
}


@dataclass(frozen=True)
class Step:
    """One step of a case's history as the clocks read it."""

    step: str
    day: date
    days: int = 0


@dataclass(frozen=True)
class Spec:
    key: str
    label: str  # what must be done by the due date
    who: str  # who must do it
    rule_id: str
    start_step: str  # the history step the period counts from
    end_steps: tuple[str, ...]  # the steps that meet it
    events: dict[str, str]  # history step → case-clock event


_INSPECTION = {"pause": "pause", "resume": "resume"}
SPECS: dict[str, tuple[Spec, ...]] = {
    "objection": (Spec("answer", "答复异议", "招标人", "objection_answer", "filed", ("answered", "withdrawn"), {}),),
    # 条例 第四十四条: answered on the spot at the opening and recorded — no clock
    "opening_objection": (),
    "result_objection": (
        Spec(
            "answer",
            "答复对评标结果的异议",
            "招标人",
            "publicity_objection_answer",
            "filed",
            ("answered", "withdrawn"),
            {},
        ),
    ),
    "challenge": (
        Spec("answer", "答复质疑", "采购人或采购代理机构", "challenge_answer", "filed", ("answered", "withdrawn"), {}),
    ),
    "eng_complaint": (
        Spec(
            "accept",
            "决定是否受理投诉",
            "行政监督部门",
            "complaint_accept",
            "filed",
            ("accepted", "rejected", "withdrawn"),
            {},
        ),
        Spec(
            "decide",
            "作出书面处理决定",
            "行政监督部门",
            "complaint_decide",
            "accepted",
            ("decided", "withdrawn"),
            _INSPECTION,
        ),
    ),
    "gp_complaint": (
        Spec(
            "review",
            "审查投诉书（受理、补正通知或不予受理）",
            "财政部门",
            "complaint_accept",
            "filed",
            ("accepted", "rejected", "withdrawn"),
            {"correction_requested": "stop", "corrected": "restart"},
        ),
        Spec(
            "copy",
            "向被投诉人发出投诉答复通知书及投诉书副本",
            "财政部门",
            "respondent_copy_within",
            "filed",
            ("copy_sent", "decided", "rejected", "withdrawn"),
            {"correction_requested": "pause", "corrected": "resume"},
        ),
        Spec(
            "respondent",
            "作出书面说明并提交证据",
            "被投诉人",
            "respondent_answer_within",
            "copy_sent",
            ("respondent_answered", "decided", "withdrawn"),
            {},
        ),
        Spec(
            "decide",
            "作出处理决定",
            "财政部门",
            "complaint_decide",
            "filed",
            ("decided", "rejected", "withdrawn"),
            {"correction_requested": "pause", "corrected": "resume", **_INSPECTION},
        ),
    ),
}


@dataclass(frozen=True)
class Running:
    """A clock as each party sees it: what is due, by whom, when, and why that day."""

    key: str
    label: str
    who: str
    limit: Limit
    start: date
    clock: CaseClock
    met_on: date | None  # the day the step that meets it was taken
    explanation: str

    @property
    def due(self) -> date | None:
        return self.clock.due

    @property
    def is_open(self) -> bool:
        return self.met_on is None

    def overdue(self, today: date) -> bool:
        return self.is_open and self.clock.due is not None and today > self.clock.due

    @property
    def late(self) -> bool:
        return self.met_on is not None and self.clock.due is not None and self.met_on > self.clock.due


def due_from_history(
    cal: WorkCalendar, start: date, lim: Limit, history: Sequence[Step], events: dict[str, str]
) -> CaseClock:
    """The one computation: the limit counted from ``start`` over the case-clock events of ``history``."""
    mapped = [CaseEvent(events[h.step], h.day, h.days) for h in history if h.step in events and h.day >= start]
    return caseclock.due_date(cal, start, lim.days, mapped, lim.unit)  # type: ignore[arg-type]


def explain(spec_label: str, lim: Limit, start_text: str, c: CaseClock) -> str:
    parts = [f"自{start_text}（{cn_day(c.base)}）的次日起算{lim.text}（开始当日不计入）"]
    closed = [(a, b) for a, b in c.pauses if b is not None]
    if closed:
        parts.append("不计入期限的期间：" + "、".join(f"{cn_day(a)}至{cn_day(b)}" for a, b in closed))
    if c.status == "paused":
        parts.append(f"目前暂停计时（已用{c.counted}{'个工作日' if lim.unit == 'working' else '日'}）")
    elif c.status == "stopped":
        parts.append("已通知补正，收到补正材料后重新计算")
    elif c.due is not None:
        parts.append(f"{spec_label}的期限届满日为{cn_day(c.due)}")
        if c.provisional:
            parts.append("其中部分年份国务院放假安排尚未公布，按周末及法定节日推算，为暂定日期")
    return "；".join(parts) + f"。依据：{lim.basis}"


START_TEXTS = {"filed": "收到之日", "accepted": "受理之日", "copy_sent": "收到投诉书副本之日"}


def case_clocks(cal: WorkCalendar, kind: str, project: Project, history: Sequence[Step]) -> list[Running]:
    """Every clock of the case that has started, in the order of its kind."""
    out = []
    for spec in SPECS[kind]:
        started = next((h for h in history if h.step == spec.start_step), None)
        if started is None:
            continue
        lim = limit(project, spec.rule_id)
        c = due_from_history(cal, started.day, lim, history, spec.events)
        met = next((h.day for h in history if h.step in spec.end_steps and h.day >= started.day), None)
        text = explain(spec.label, lim, START_TEXTS.get(spec.start_step, "起算之日"), c)
        out.append(Running(spec.key, spec.label, spec.who, lim, started.day, c, met, text))
    return out


# --------------------------------------------------------------------------- filing windows


@dataclass(frozen=True)
class Window:
    last_day: date | None
    provisional: bool
    explanation: str


def objection_window(project: Project, matter: str, deadline_day: date | None) -> Window:
    """条例 第二十二条: an objection to the (prequalification) documents N days before the (application) deadline."""
    rule_id = "prequal_objection_before_deadline" if matter == "prequal_docs" else "objection_before_deadline"
    lim = limit(project, rule_id)
    if deadline_day is None:
        return Window(None, False, f"项目尚未公布截止时间。依据：{lim.basis}")
    last = deadline_day - timedelta(days=lim.days)
    what = "提交资格预审申请文件截止" if matter == "prequal_docs" else "投标截止"
    return Window(last, False, f"应当在{what}时间（{cn_day(deadline_day)}）{lim.days}日前提出。依据：{lim.basis}")


def complaint_window(
    cal: WorkCalendar, project: Project, knew_on: date, prior: tuple[date, date | None] | None
) -> Window:
    """条例 第六十条: within N days of knowing; the prior objection's answer period (receipt to answer) not counted."""
    lim = limit(project, "complaint_within")
    events = []
    if prior is not None and prior[0] >= knew_on:
        events = [CaseEvent("pause", prior[0]), *([CaseEvent("resume", prior[1])] if prior[1] else [])]
    c = caseclock.due_date(cal, knew_on, lim.days, events, lim.unit)  # type: ignore[arg-type]
    note = "；异议答复期间不计算在内" if events else ""
    return Window(
        c.due,
        c.provisional,
        f"自知道或者应当知道之日（{cn_day(knew_on)}）起{lim.text}内投诉{note}。依据：{lim.basis}",
    )


def challenge_window(cal: WorkCalendar, project: Project, knew_on: date) -> Window:
    lim = limit(project, "challenge_within")
    c = caseclock.due_date(cal, knew_on, lim.days, (), lim.unit)  # type: ignore[arg-type]
    return Window(
        c.due, c.provisional, f"自知道或者应知其权益受到损害之日（{cn_day(knew_on)}）起{lim.text}内。依据：{lim.basis}"
    )


def gp_complaint_window(cal: WorkCalendar, project: Project, answer_period_end: date) -> Window:
    lim = limit(project, "complaint_within")
    c = caseclock.due_date(cal, answer_period_end, lim.days, (), lim.unit)  # type: ignore[arg-type]
    return Window(
        c.due,
        c.provisional,
        f"质疑答复期满（{cn_day(answer_period_end)}）后{lim.text}内投诉。依据：{lim.basis}",
    )
