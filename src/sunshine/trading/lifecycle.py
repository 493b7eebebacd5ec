"""The lifecycle of every transaction method, declared as data: its states and the steps between
them, each step with the roles that may take it, its guard, and what it owes to disclose.

``apply`` is the only way a project changes state: it checks the step is declared for the project's
lifecycle and allowed from its current state, runs the guard, changes the state, records the
transition and appends it to the ledger — all in the caller's transaction. Later domains (bids,
evaluation, awards, complaints) add their steps to ``STEPS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading.models import Project, Transition

LIFECYCLES = ("tender", "negotiation", "single_source", "listing", "auction", "draw")

# Every state a project can be in, with its Chinese label; some labels differ by lifecycle.
STATES: dict[str, str] = {
    "registered": "已登记，待受理",
    "returned": "已退回",
    "accepted": "已受理",
    "notice_published": "公告中",
    "bid_closed": "投标截止",
    "opening": "开标中",
    "evaluation": "评审中",
    "candidates_publicised": "中标候选人公示中",
    "result_published": "结果已公告",
    "awarded": "已发出中标通知书",
    "contracted": "合同已签订",
    "performing": "履约中",
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
    "draw": {"notice_published": "报名中", "bid_closed": "报名截止", "opening": "抽取中"},
}

FINAL_STATES = frozenset({"closed", "failed", "terminated"})
ACTIVE_STATES = frozenset(STATES) - FINAL_STATES - {"suspended"}

ANY_ACTIVE = "*active*"
PREVIOUS = "*previous*"
SAME = "*same*"


@dataclass(frozen=True)
class Step:
    name: str
    title: str  # Chinese, shown on the timeline
    sources: frozenset[str] | str  # states it may start from, or ANY_ACTIVE
    target: str  # a state, SAME or PREVIOUS (resume after suspension)
    roles: frozenset[Role]
    lifecycles: frozenset[str] = frozenset(LIFECYCLES)
    guard: str | None = None  # "module:function" called as guard(session, project, actor=..., **args)
    reason_required: bool = False
    discloses: str | None = None  # the disclosure-catalog item this step owes (DESIGN §1 公开事项目录)
    rule: str = ""  # the rule that allows the step, quoted when it is refused

    def allowed_from(self, state: str) -> bool:
        if self.sources == ANY_ACTIVE:
            return state in ACTIVE_STATES
        return state in self.sources


AGENCY_SIDE = frozenset({Role.AGENCY, Role.TENDERER})
CENTRE = frozenset({Role.CENTRE_STAFF})

STEPS: dict[str, Step] = {}


def declare(step: Step) -> Step:
    if step.name in STEPS:
        raise ValueError(f"step {step.name} declared twice")
    STEPS[step.name] = step
    return step


declare(
    Step(
        "register",
        "进场登记",
        frozenset({"new"}),
        "registered",
        AGENCY_SIDE,
        rule="项目须由招标人/采购人或其委托的代理机构登记",
    )
)
declare(
    Step(
        "resubmit",
        "修改后重新提交",
        frozenset({"returned"}),
        "registered",
        AGENCY_SIDE,
        rule="仅被退回的项目可以重新提交",
    )
)
declare(Step("accept", "交易中心受理", frozenset({"registered"}), "accepted", CENTRE, rule="仅待受理的项目可以受理"))
declare(
    Step(
        "return",
        "交易中心退回",
        frozenset({"registered"}),
        "returned",
        CENTRE,
        reason_required=True,
        rule="仅待受理的项目可以退回，且须说明理由",
    )
)
declare(
    Step(
        "publish_notice",
        "发布公告",
        frozenset({"accepted"}),
        "notice_published",
        AGENCY_SIDE,
        guard="sunshine.trading.notice_schedule:guard_first_notice",
        discloses="trading.notice",
        rule="项目受理后方可发布公告，且时限须符合规则包",
    )
)
declare(
    Step(
        "amend_notice",
        "发布澄清/更正公告",
        frozenset({"notice_published"}),
        SAME,
        AGENCY_SIDE,
        guard="sunshine.trading.notice_schedule:guard_amendment",
        discloses="trading.amendment",
        rule="公告发布后、截止前方可澄清或更正",
    )
)
declare(
    Step(
        "close_bidding",
        "截止",
        frozenset({"notice_published"}),
        "bid_closed",
        frozenset({Role.CENTRE_STAFF}),
        guard="sunshine.trading.service:guard_deadline_passed",
        rule="截止时间到达后由系统或交易中心截止；截止前不得提前截止",
    )
)
declare(
    Step(
        "terminate",
        "终止",
        ANY_ACTIVE,
        "terminated",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}),
        reason_required=True,
        discloses="trading.termination",
        rule="《招标投标法实施条例》第三十一条：终止招标应当及时发布公告",
    )
)
declare(
    Step(
        "suspend",
        "暂停",
        ANY_ACTIVE,
        "suspended",
        frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
        reason_required=True,
        discloses="trading.suspension",
        rule="进行中的项目可因投诉、监督等暂停",
    )
)
declare(
    Step(
        "resume",
        "恢复",
        frozenset({"suspended"}),
        PREVIOUS,
        frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
        rule="仅已暂停的项目可以恢复",
    )
)


# --------------------------------------------------------------------------- online auctions (网上竞价)
# Steps of listing (挂牌) and auction (拍卖) projects, taken by the system principal when the server clock
# reaches the listing deadline or the auction start, and when every auction of the project has ended
# (sunshine.auctions.rounds: its tick part and the lazy settling before a read or a bid).
AUCTIONED = frozenset({"listing", "auction"})
for _auctioned in AUCTIONED:
    STATE_LABELS_BY_LIFECYCLE[_auctioned].setdefault("result_published", "成交结果已公告")
    STATE_LABELS_BY_LIFECYCLE[_auctioned].setdefault("failed", "流拍")
declare(
    Step(
        "start_auction",
        "开始网上限时竞价",
        frozenset({"notice_published", "bid_closed"}),
        "opening",
        CENTRE,
        lifecycles=AUCTIONED,
        guard="sunshine.auctions.rounds:guard_auction_started",
        rule="挂牌截止时有两个以上竞买人报价的进入限时竞价；拍卖于公告的拍卖开始时间开始（以服务器时钟为准）",
    )
)
declare(
    Step(
        "conclude_auction",
        "网上竞价结束，公布成交结果",
        frozenset({"bid_closed", "opening"}),
        "result_published",
        CENTRE,
        lifecycles=AUCTIONED,
        guard="sunshine.auctions.results:guard_auction_sold",
        discloses="trading.result",
        rule="全部标段竞价结束且有标段成交的，公布竞价结果",
    )
)
declare(
    Step(
        "auction_failed",
        "流拍",
        frozenset({"bid_closed", "opening"}),
        "failed",
        CENTRE,
        lifecycles=AUCTIONED,
        guard="sunshine.auctions.results:guard_auction_unsold",
        discloses="trading.result",
        rule="无人报价或最高报价未达到保留价的，流拍，并公布结果",
    )
)


# --------------------------------------------------------------------------- sealed bids: opening and failure
SEALED = frozenset({"tender", "negotiation"})
declare(
    Step(
        "open_bids",
        "开标",
        frozenset({"bid_closed"}),
        "opening",
        CENTRE,
        lifecycles=SEALED,
        guard="sunshine.trading.service:guard_deadline_passed",
        rule="《招标投标法》第三十四条：开标应当在投标截止时间的同一时间公开进行",
    )
)
declare(
    Step(
        "finish_opening",
        "开标记录确认公布",
        frozenset({"opening"}),
        "evaluation",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF}),
        lifecycles=SEALED,
        rule="开标记录经招标人（代理机构）和交易中心确认并公布后，进入评标（评审）",
    )
)
declare(
    Step(
        "fail",
        "流标",
        frozenset({"bid_closed", "opening"}),
        "failed",
        frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF}),
        lifecycles=SEALED,
        reason_required=True,
        rule="《招标投标法实施条例》第四十四条：投标人少于3个的，不得开标；招标人应当重新招标",
    )
)


class IllegalStep(Conflict):
    code = "illegal_step"
    title = "当前环节不允许此操作"


def state_label(project_or_lifecycle: Project | str, state: str) -> str:
    lifecycle = project_or_lifecycle if isinstance(project_or_lifecycle, str) else project_or_lifecycle.lifecycle
    return STATE_LABELS_BY_LIFECYCLE.get(lifecycle, {}).get(state) or STATES.get(state, state)


def available_steps(project: Project) -> list[Step]:
    return [s for s in STEPS.values() if project.lifecycle in s.lifecycles and s.allowed_from(project.state)]


def check(project: Project, step_name: str, actor: Principal) -> Step:
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
    return step


def apply(
    session: Session,
    project: Project,
    step_name: str,
    actor: Principal,
    *,
    reason: str | None = None,
    document_ref: str | None = None,
    payload: dict[str, Any] | None = None,
    **guard_args: Any,
) -> Transition:
    """Take one lifecycle step: guard, state change, transition record and ledger entry."""
    step = check(project, step_name, actor)
    if step.reason_required and not (reason and reason.strip()):
        raise InvalidInput(f"“{step.title}”须说明理由", field="reason")
    if step.guard is not None:
        module, _, function = step.guard.partition(":")
        getattr(importlib.import_module(module), function)(session, project, actor=actor, **guard_args)
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
        f"trading:project:{step.name.replace('_', '-')}",
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
    if step.discloses:  # 公开事项目录: what this step must disclose, due by the rule pack and the calendar
        from sunshine import disclosure

        disclosure.owe(
            session,
            trigger=step.discloses,
            subject=f"project:{project.code}",
            title=f"{project.name}（{step.title}）",
            responsible_org_id=project.agency_id or project.tenderer_id,
            event_date=clock.today_local(),
            project=project,
        )
    return row


@dataclass
class Declaration:
    """The declaration as a reader sees it (the /rules pages and the API show it)."""

    states: dict[str, str] = field(default_factory=lambda: dict(STATES))
    steps: dict[str, Step] = field(default_factory=lambda: dict(STEPS))
