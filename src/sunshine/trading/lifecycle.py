"""The lifecycle kernel: the states of every transaction method and the registry of steps between them.

Each domain declares its own steps here (``declare``) with the roles that may take them, its guard as a
callable, and what the step owes to disclose; other domains attach side effects to a step with
``after_step`` (owing a disclosure, scheduling refunds, notifying), so trading never imports a later
domain. ``apply`` is the only way a project changes state: it checks the step once, runs the guard,
changes the state, records the transition, appends one ledger entry and runs the hooks — all in the
caller's transaction. ``sunshine.domains.install`` loads every domain's declarations; docs/architecture.md
says how to add one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session

from sunshine.core import clock, labels
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading.models import Project, Transition

LIFECYCLES = ("tender", "negotiation", "single_source", "listing", "auction", "draw")
# The lifecycles whose bids are sealed until a public opening at the deadline (电子投标与开标).
SEALED_LIFECYCLES = frozenset({"tender", "negotiation"})

# Every state a project can be in, with its Chinese label; some labels differ by lifecycle.
STATES: dict[str, str] = {
    "registered": "已登记，待受理",
    "returned": "已退回",
    "accepted": "已受理",
    "notice_published": "公告中",
    "bid_closed": "投标截止",
    "opening": "开标中",
    "evaluation": "评审中",
    "evaluated": "评审结束",
    "candidates_publicised": "中标候选人公示中",
    "result_published": "结果已公告",
    "awarded": "已发出中标通知书",
    "contracted": "合同已签订",
    "performing": "履约中",
    "performance_accepted": "履约验收合格",
    "closed": "已完成",
    "failed": "流标",
    "terminated": "已终止",
    "suspended": "已暂停",
}

STATE_LABELS_BY_LIFECYCLE: dict[str, dict[str, str]] = {
    "tender": {"notice_published": "招标公告已发布，投标中", "bid_closed": "投标截止"},
    "negotiation": {"notice_published": "采购公告已发布，响应中", "bid_closed": "响应截止"},
    "single_source": {"notice_published": "单一来源公示中", "bid_closed": "公示期满"},
    "listing": {"notice_published": "挂牌公告期", "bid_closed": "挂牌截止", "opening": "竞价中"},
    "auction": {"notice_published": "拍卖公告期", "bid_closed": "竞买报名截止", "opening": "拍卖中"},
    "draw": {
        "notice_published": "报名中",
        "bid_closed": "报名截止",
        "opening": "抽取中",
        "candidates_publicised": "抽取结果公示中",
        "result_published": "抽取结果已确定",
    },
}

FINAL_STATES = frozenset({"closed", "failed", "terminated"})
ACTIVE_STATES = frozenset(STATES) - FINAL_STATES - {"suspended"}

ANY_ACTIVE = "*active*"
PREVIOUS = "*previous*"
SAME = "*same*"

AGENCY_SIDE = frozenset({Role.AGENCY, Role.TENDERER})
CENTRE = frozenset({Role.CENTRE_STAFF})


class Guard(Protocol):
    """Raises the domain error that says why the step may not be taken now; keyword arguments are the
    step's own facts (the dates of a notice, say) passed through ``apply``."""

    def __call__(self, session: Session, project: Project, *, actor: Principal, **facts: Any) -> None: ...


@dataclass(frozen=True)
class Step:
    name: str
    title: str  # Chinese, shown on the timeline
    sources: frozenset[str] | str  # states it may start from, or ANY_ACTIVE
    target: str  # a state, SAME or PREVIOUS (resume after suspension)
    roles: frozenset[Role]
    lifecycles: frozenset[str] = frozenset(LIFECYCLES)
    guard: Guard | None = None
    reason_required: bool = False
    discloses: str | None = None  # the disclosure-catalog item this step owes (DESIGN §1 公开事项目录)
    rule: str = ""  # the rule that allows the step, quoted when it is refused
    ledger_kind: str | None = None  # the kind of the step's one ledger entry; "trading:project:<step>" if unset

    def allowed_from(self, state: str) -> bool:
        if self.sources == ANY_ACTIVE:
            return state in ACTIVE_STATES
        return state in self.sources

    @property
    def entry_kind(self) -> str:
        return self.ledger_kind or f"trading:project:{self.name.replace('_', '-')}"


@dataclass(frozen=True)
class Publication:
    """A document a step makes public (a notice, a result): the disclosure domain publishes it through its
    review against the obligation the step owes. ``hold`` says what happens when the review holds it:
    ``refuse`` — the step is refused with the reason; ``queue`` — the step stands and the document waits
    in the disclosure office's queue."""

    title: str
    body_html: str
    source_ref: str
    author_id: int | None
    hold: str = "refuse"
    # the day the publication's time limit counts from, when it is not the step's day (the candidates'
    # publicity counts from the report's receipt, 条例 第五十四条; a result notice from the winner's decision)
    since: date | None = None


@dataclass
class StepEvent:
    """What an after-step hook is told: the step taken, by whom, and what it made public."""

    project: Project
    step: Step
    actor: Principal
    before: str
    after: str
    transition: Transition
    reason: str | None = None
    publications: list[Publication] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)  # what the step's ledger entry recorded


Hook = Callable[[Session, StepEvent], None]

STEPS: dict[str, Step] = {}
_HOOKS: list[tuple[frozenset[str] | None, Hook]] = []


def declare(step: Step) -> Step:
    if step.name in STEPS:
        raise ValueError(f"step {step.name} declared twice")
    STEPS[step.name] = step
    labels.register_events({step.entry_kind: step.title})  # the ledger entry's name on every page
    return step


def label_states(lifecycle: str, labels: dict[str, str]) -> None:
    """A domain's own names for states in one lifecycle (e.g. 流拍 for a failed auction)."""
    for state, label in labels.items():
        STATE_LABELS_BY_LIFECYCLE[lifecycle].setdefault(state, label)


def after_step(steps: Iterable[str] | None, hook: Hook) -> Hook:
    """Run ``hook`` after each of ``steps`` (every step when None), in the order hooks were added."""
    _HOOKS.append((frozenset(steps) if steps is not None else None, hook))
    return hook


class IllegalStep(Conflict):
    code = "illegal_step"
    title = "当前环节不允许此操作"


def state_label(project_or_lifecycle: Project | str, state: str) -> str:
    lifecycle = project_or_lifecycle if isinstance(project_or_lifecycle, str) else project_or_lifecycle.lifecycle
    return STATE_LABELS_BY_LIFECYCLE.get(lifecycle, {}).get(state) or STATES.get(state, state)


def available_steps(project: Project) -> list[Step]:
    return [s for s in STEPS.values() if project.lifecycle in s.lifecycles and s.allowed_from(project.state)]


@dataclass(frozen=True)
class Checked:
    """A step ``check`` allowed for this project in this state; ``apply`` takes it without checking again."""

    step: Step
    project_id: int | None
    state: str
    actor: Principal


def check(project: Project, step_name: str, actor: Principal) -> Checked:
    """Whether ``actor`` may take ``step_name`` now; raises the error that says why not."""
    step = STEPS.get(step_name)
    if step is None or project.lifecycle not in step.lifecycles:
        raise IllegalStep(
            f"“{STATES.get(project.state, project.state)}”的项目没有“{step_name}”这一环节",
            step=step_name,
            state=project.state,
        )
    if not step.allowed_from(project.state):
        raise IllegalStep(
            f"项目当前为“{state_label(project, project.state)}”，不能“{step.title}”。依据：{step.rule}",
            step=step.name,
            state=project.state,
            rule=step.rule,
        )
    if not (actor.roles & step.roles):
        raise Forbidden(f"“{step.title}”须由{'、'.join(r.label for r in sorted(step.roles))}办理")
    return Checked(step, getattr(project, "id", None), project.state, actor)


def _checked(project: Project, step: str | Checked, actor: Principal) -> Step:
    if isinstance(step, Checked):
        if (step.project_id, step.state, step.actor) == (project.id, project.state, actor):
            return step.step
        step = step.step.name  # the project moved on since the check: check again
    return check(project, step, actor).step


def apply(
    session: Session,
    project: Project,
    step_name: str | Checked,
    actor: Principal,
    *,
    reason: str | None = None,
    document_ref: str | None = None,
    payload: dict[str, Any] | None = None,
    publication: Publication | None = None,
    **guard_args: Any,
) -> Transition:
    """Take one lifecycle step: guard, state change, transition record, one ledger entry, then the hooks."""
    step = _checked(project, step_name, actor)
    if step.reason_required and not (reason and reason.strip()):
        raise InvalidInput(f"“{step.title}”须说明理由", field="reason")
    if step.guard is not None:
        step.guard(session, project, actor=actor, **guard_args)
    before = project.state
    if step.target == SAME:
        after = before
    elif step.target == PREVIOUS:
        after = project.state_before_suspension or "accepted"
        project.state_before_suspension = None
    else:
        after = step.target
    if after == "suspended":
        project.state_before_suspension = before
    now = clock.now()
    project.state = after
    project.updated_at = now
    entry = ledger.append(
        session,
        step.entry_kind,
        f"project:{project.code}",
        {
            "step": step.name,
            "from": before if before != "new" else None,
            "to": after,
            "by": actor.user_id,
            "reason": reason,
            "document": document_ref,
            **(payload or {}),
        },
    )
    row = Transition(
        project_id=project.id,
        step=step.name,
        from_state=None if before == "new" else before,
        to_state=after,
        actor_id=actor.user_id,
        reason=reason,
        document_ref=document_ref,
        ledger_seq=entry.seq,
        at=now,
    )
    session.add(row)
    session.flush()
    event = StepEvent(
        project, step, actor, before, after, row, reason, [publication] if publication is not None else []
    )
    event.payload = dict(payload or {})
    for names, hook in list(_HOOKS):
        if names is None or step.name in names:
            hook(session, event)
    return row


@dataclass
class Declaration:
    """The declaration as a reader sees it (the /rules pages and the API show it)."""

    states: dict[str, str] = field(default_factory=lambda: dict(STATES))
    steps: dict[str, Step] = field(default_factory=lambda: dict(STEPS))
