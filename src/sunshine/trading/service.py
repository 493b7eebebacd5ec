"""Project operations (进场登记 to bid deadline): registration, acceptance or return, termination,
suspension, the bid deadline, and who may see a project. Never commits."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, Select, cast, select
from sqlalchemy.orm import Session, defer, selectinload

from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, count_upto, paginate
from sunshine.credit import service as credit
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.rules.registry import registry
from sunshine.trading import classification, codes, lifecycle, visibility
from sunshine.trading.labels import TRANSACTION_TYPES
from sunshine.trading.models import Project, Section, Transition
from sunshine.trading.schemas import ProjectIn, SectionIn
from sunshine.trading.visibility import get_visible

SYSTEM = Principal(display_name="系统", roles=frozenset({Role.CENTRE_STAFF}))


def _org(session: Session, organisation_id: int, kinds: set[str], field: str, what: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind not in kinds:
        raise InvalidInput(f"{what}不存在或类别不符", field=field)
    return org


def _check_actor_for(actor: Principal, tenderer_id: int, agency_id: int | None) -> None:
    """The registrant must be the tenderer itself or the agency it appointed."""
    if visibility.is_party_to(actor, tenderer_id, agency_id):
        return
    raise Forbidden("只有招标人/采购人本单位或其委托的代理机构可以登记、修改该项目")


def _validate(session: Session, data: ProjectIn, actor: Principal):
    if data.transaction_type not in TRANSACTION_TYPES:
        raise InvalidInput(f"不支持的交易类型：{data.transaction_type}", field="transaction_type")
    pack = registry().for_type_method(
        data.transaction_type, data.method, clock.today_local(), region_code=data.region_code
    )  # a local pack where the project's region has one (rules.local)
    _org(
        session,
        data.tenderer_id,
        {OrganisationKind.PURCHASER.value, OrganisationKind.ENTERPRISE.value, OrganisationKind.DEPARTMENT.value},
        "tenderer_id",
        "招标人/采购人",
    )
    if data.agency_id is not None:
        _org(session, data.agency_id, {OrganisationKind.AGENCY.value}, "agency_id", "代理机构")
        # 失信惩戒: an agency barred from agency business (政府采购法 第七十八条) may not be entrusted
        credit.check_not_banned(
            session,
            data.agency_id,
            scope=credit.Scope(data.region_code, data.transaction_type),
            on=clock.today_local(),
            doing="受托代理",
        )
    _check_actor_for(actor, data.tenderer_id, data.agency_id)
    for i, s in enumerate(data.sections, start=1):
        s.item_classification = classification.check(s.item_classification, section=i)
    total = sum((s.estimate for s in data.sections), Decimal(0))
    if total > data.budget:
        raise InvalidInput(f"各标段估算合计 {total} 元超过项目预算 {data.budget} 元", field="sections")
    if data.green_channel and not (data.green_reason and data.green_reason.strip()):
        raise InvalidInput("申请绿色通道须说明理由（如脱贫攻坚、民生项目）", field="green_reason")
    resolved = rules.resolve(session, pack.key, clock.today_local())
    if pack.lifecycle == "draw":
        threshold = resolved.rule("draw_threshold")
        if data.budget >= Decimal(str(threshold.value)):
            raise InvalidInput(
                f"小额工程固定价抽取仅适用于估算价低于 {threshold.value} 元的项目（{threshold.basis_text}）",
                field="budget",
                rule="draw_threshold",
            )
    return pack, resolved


# Checks a higher domain adds to project registration (the catalogue of what must be traded on the platform):
# each is called with the new project (flushed, no step taken yet) and the approved method change it comes
# from, if any; it may set fields on the project, or raise the error that refuses the registration.
RegistrationHook = Callable[[Session, Principal, Project, "str | None"], None]
_registration_hooks: list[RegistrationHook] = []
# Who approves a change of method after failed tenders: the domain that keeps the applications returns the
# approval's reference for (failed project, new method), or raises why there is none.
MethodChangeApproval = Callable[[Session, Principal, Project, str], str]
_method_change_approval: list[MethodChangeApproval] = []


def on_register(hook: RegistrationHook) -> RegistrationHook:
    if hook not in _registration_hooks:
        _registration_hooks.append(hook)
    return hook


def approves_method_change(check: MethodChangeApproval) -> MethodChangeApproval:
    _method_change_approval[:] = [check]
    return check


HANDLING_PURPOSE = "受理或退回进场登记"


def _start_handling_clock(session: Session, project: Project) -> None:
    """The centre's own limit for accepting or returning a registration; shorter on the green channel."""
    pack = rules.resolve(session, "centre.service", clock.today_local())
    rule = pack.rule("green_acceptance_within" if project.green_channel else "acceptance_within")
    calendar.track(
        session,
        subject=f"project:{project.code}",
        purpose=HANDLING_PURPOSE,
        start=clock.today_local(),
        days=int(rule.value),
        unit=rules.DAY_UNITS[rule.unit],
        rule_ref=f"centre.service/{rule.id}",
    )


def _stop_handling_clock(session: Session, project: Project) -> None:
    for deadline in handling_deadlines(session, [project]).values():
        calendar.close(session, deadline.id)


def handling_deadlines(session: Session, projects: list[Project]) -> dict[str, TrackedDeadline]:
    """The open acceptance deadline of each project, by project code."""
    subjects = [f"project:{p.code}" for p in projects]
    if not subjects:
        return {}
    rows = session.scalars(
        select(TrackedDeadline).where(
            TrackedDeadline.subject.in_(subjects),
            TrackedDeadline.purpose == HANDLING_PURPOSE,
            TrackedDeadline.is_open.is_(True),
        )
    )
    return {row.subject.removeprefix("project:"): row for row in rows}


def register(session: Session, actor: Principal, data: ProjectIn, *, method_change: str | None = None) -> Project:
    """进场登记: the project is governed from now on by the rule pack in force today. ``method_change`` is the
    approval a retender under another method carries; the registration hooks see it."""
    pack, resolved = _validate(session, data, actor)
    now = clock.now()
    project = Project(
        code=codes.next_code(
            session, region_code=data.region_code, transaction_type=data.transaction_type, year=clock.today_local().year
        ),
        name=data.name.strip(),
        transaction_type=data.transaction_type,
        method=data.method,
        pack_key=pack.key,
        pack_version=str(pack.version),
        lifecycle=pack.lifecycle,
        rules_snapshot=json.dumps(resolved.snapshot(), ensure_ascii=False),
        tenderer_id=data.tenderer_id,
        agency_id=data.agency_id,
        budget=data.budget,
        region_code=data.region_code,
        funding_source=data.funding_source,
        evaluation_method=data.evaluation_method,
        description=data.description,
        green_channel=data.green_channel,
        green_reason=data.green_reason if data.green_channel else None,
        state="new",
        registered_by=actor.user_id,
        registered_at=now,
        updated_at=now,
        sections=[
            Section(
                number=i,
                name=s.name,
                estimate=s.estimate,
                qualification=s.qualification,
                item_classification=s.item_classification,
            )
            for i, s in enumerate(data.sections, start=1)
        ],
    )
    session.add(project)
    session.flush()
    for hook in _registration_hooks:
        hook(session, actor, project, method_change)
    lifecycle.apply(
        session,
        project,
        "register",
        actor,
        payload={
            "catalogue_code": project.catalogue_code,
            "code": project.code,
            "name": project.name,
            "type": project.transaction_type,
            "method": project.method,
            "budget": str(project.budget),
            "pack": f"{pack.key}@{pack.version}",
            "green_channel": project.green_channel,
            "sections": [
                {
                    "number": s.number,
                    "name": s.name,
                    "estimate": str(s.estimate),
                    **({"item": s.item_classification} if s.item_classification else {}),
                }
                for s in project.sections
            ],
        },
    )
    _start_handling_clock(session, project)
    return project


def resubmit(session: Session, actor: Principal, project_id: int, data: ProjectIn) -> Project:
    """Correct a returned project and submit it again (the code and the history stay)."""
    project = get_visible(session, actor, project_id)
    _check_actor_for(actor, project.tenderer_id, project.agency_id)
    lifecycle.check(project, "resubmit", actor)
    if (data.transaction_type, data.method) != (project.transaction_type, project.method):
        raise InvalidInput("重新提交时不能改变交易类型或方式；请另行登记", field="method")
    _validate(session, data, actor)
    for field in (
        "name",
        "tenderer_id",
        "agency_id",
        "budget",
        "region_code",
        "funding_source",
        "evaluation_method",
        "description",
        "green_channel",
    ):
        setattr(project, field, getattr(data, field))
    project.green_reason = data.green_reason if data.green_channel else None
    project.sections.clear()
    session.flush()
    project.sections.extend(
        Section(
            number=i,
            name=s.name,
            estimate=s.estimate,
            qualification=s.qualification,
            item_classification=s.item_classification,
        )
        for i, s in enumerate(data.sections, start=1)
    )
    session.flush()
    for hook in _registration_hooks:  # classified again: the corrected budget or funding may change it
        hook(session, actor, project, None)
    lifecycle.apply(session, project, "resubmit", actor, payload={"budget": str(project.budget)})
    _start_handling_clock(session, project)
    return project


def accept(session: Session, actor: Principal, project_id: int) -> Project:
    project = get_visible(session, actor, project_id)
    lifecycle.apply(session, project, "accept", actor)
    _stop_handling_clock(session, project)
    return project


def return_project(session: Session, actor: Principal, project_id: int, reason: str) -> Project:
    project = get_visible(session, actor, project_id)
    lifecycle.apply(session, project, "return", actor, reason=reason)
    _stop_handling_clock(session, project)
    return project


def _participant_or_oversight(actor: Principal, project: Project) -> None:
    if actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR}:
        return
    _check_actor_for(actor, project.tenderer_id, project.agency_id)


def terminate(session: Session, actor: Principal, project_id: int, reason: str) -> Project:
    project = get_visible(session, actor, project_id)
    _participant_or_oversight(actor, project)
    # The termination notice (条例第三十一条) and the refunds of paid deposits follow as the step's hooks.
    lifecycle.apply(session, project, "terminate", actor, reason=reason)
    return project


def suspend(session: Session, actor: Principal, project_id: int, reason: str) -> Project:
    project = get_visible(session, actor, project_id)
    lifecycle.apply(session, project, "suspend", actor, reason=reason)
    return project


SUSPENSION_RULE = "suspension_extends_schedule"
SCHEDULE_FIELDS = {"docs_sale_end": "招标文件获取截止", "bid_deadline": "投标截止", "opening_at": "开标"}


def _suspension_rule(session: Session, project: Project) -> rules.ResolvedRule | None:
    """Whether the time a project stood suspended is added to its announced dates: the project's own rule pack
    decides where it has the rule, otherwise the centre's service pack (平台默认值, configurable)."""
    own = rules.rules_of(project)
    if own.has(SUSPENSION_RULE):
        return own.rule(SUSPENSION_RULE)
    centre = rules.resolve(session, "centre.service", clock.today_local())
    return centre.rule(SUSPENSION_RULE) if centre.has(SUSPENSION_RULE) else None


def suspended_days(suspended_at: datetime, resumed_at: datetime) -> int:
    """Whole days a project stood suspended; a part of a day counts as a whole day (不足一日按一日计)."""
    seconds = max(0.0, (resumed_at - suspended_at).total_seconds())
    return math.ceil(seconds / 86400)


def restarted_end(ends_at: datetime, since: datetime, now: datetime, minimum: timedelta) -> datetime | None:
    """A running clock (a decryption window, a timed round) stopped at ``since`` restarts at ``now`` with the time it
    had left then, and at least ``minimum``. None when it had run out by ``since`` or the restart would not move
    its end later (a clock is never shortened)."""
    if ends_at <= since:
        return None
    after = now + max(ends_at - since, minimum)
    return after if after > ends_at else None


def schedule_after_suspension(
    session: Session, project: Project, now: datetime, *, since: datetime | None = None
) -> tuple[int, dict[str, tuple[datetime, datetime]]]:
    """The days to add and the announced dates that move: each date still ahead when the project was suspended
    moves by the suspended days, so bidders keep the whole time the notice promised them. ``since`` is when
    the project really stopped, where that was before its suspension was recorded (a platform incident is
    declared after the failure began): the days and the dates that move then count from it."""
    rule = _suspension_rule(session, project)
    suspended = session.scalar(
        select(Transition)
        .where(Transition.project_id == project.id, Transition.step == "suspend")
        .order_by(Transition.id.desc())
        .limit(1)
    )
    if rule is None or int(rule.value) == 0 or suspended is None:
        return 0, {}
    stopped = min(since, suspended.at) if since is not None else suspended.at
    days = suspended_days(stopped, now)
    moved = {}
    for name in SCHEDULE_FIELDS:
        value = getattr(project, name)
        if days and value is not None and value > stopped:
            moved[name] = (value, value + timedelta(days=days))
    return days, moved


def resume(
    session: Session,
    actor: Principal,
    project_id: int,
    reason: str | None = None,
    *,
    since: datetime | None = None,
) -> Project:
    """恢复: the project returns to the state it was suspended in; where the rule says so, the announced dates
    still ahead at the suspension (or at ``since``, see ``schedule_after_suspension``) move by the suspended days
    (recorded in the step's ledger entry). A sealed-bid project whose deadline fell after ``since`` and was
    closed by the clock before the suspension was recorded returns to bidding until its moved deadline: its
    bidders could not reach the platform at the deadline."""
    project = get_visible(session, actor, project_id)
    checked = lifecycle.check(project, "resume", actor)
    days, moved = schedule_after_suspension(session, project, clock.now(), since=since)
    reopened = (
        since is not None
        and project.lifecycle in lifecycle.SEALED_LIFECYCLES
        and project.state_before_suspension == "bid_closed"
        and "bid_deadline" in moved
    )
    if reopened:
        project.state_before_suspension = "notice_published"
    payload: dict[str, Any] | None = None
    if moved:
        payload = {"days_added": days, "moved": {name: [_iso(a), _iso(b)] for name, (a, b) in moved.items()}}
        if reopened:
            payload["bidding_reopened"] = True
    lifecycle.apply(session, project, checked, actor, reason=reason, payload=payload)
    for name, (_, after) in moved.items():
        setattr(project, name, after)
    session.flush()
    return project


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def retender(
    session: Session, actor: Principal, project_id: int, *, method: str | None = None, reason: str | None = None
) -> Project:
    """重新招标: a failed project (流标) is registered again, carrying its count of failures. The method may
    change only after as many failures as the rule pack's ``failed_attempts_before_method_change`` and with the
    department's approval of the change, which the domain keeping the applications gives through
    ``approves_method_change`` (its reference becomes the step's reason)."""

    old = get_visible(session, actor, project_id)
    _check_actor_for(actor, old.tenderer_id, old.agency_id)
    if old.state != "failed":
        raise Conflict(f"只有流标的项目可以重新招标；该项目当前为“{lifecycle.state_label(old, old.state)}”")
    if session.scalar(select(Project.id).where(Project.retender_of_id == old.id)) is not None:
        raise Conflict("该项目已经重新招标")
    method = method or old.method
    approval: str | None = None
    if method != old.method:
        pack = rules.rules_of(old)
        rule = (
            pack.rule("failed_attempts_before_method_change")
            if pack.has("failed_attempts_before_method_change")
            else None
        )
        if rule is None or old.failed_attempts < int(rule.value):
            needed = f"流标{int(rule.value)}次" if rule else "依本交易方式的规则不能"
            raise RuleViolation(
                f"已流标{old.failed_attempts}次，{needed}后方可经批准变更交易方式"
                + (f"（{rule.basis_text}）" if rule else ""),
                field="method",
                rule=rule.id if rule else None,
            )
        if not _method_change_approval:
            raise RuleViolation("变更交易方式须经财政部门（行政监督部门）批准，平台未提供变更申请", field="method")
        approval = _method_change_approval[0](session, actor, old, method)
        reason = approval
    data = ProjectIn(
        name=old.name,
        transaction_type=old.transaction_type,
        method=method,
        tenderer_id=old.tenderer_id,
        agency_id=old.agency_id,
        budget=old.budget,
        region_code=old.region_code,
        funding_source=old.funding_source,
        evaluation_method=old.evaluation_method,
        description=old.description,
        sections=[
            SectionIn(
                name=s.name,
                estimate=s.estimate,
                qualification=s.qualification,
                item_classification=s.item_classification,
            )
            for s in old.sections
        ],
    )
    new = register(session, actor, data, method_change=approval)
    new.failed_attempts = old.failed_attempts
    new.retender_of_id = old.id
    ledger.append(
        session,
        "trading:project:retender",
        f"project:{old.code}",
        {"new_code": new.code, "method": method, "failed_attempts": old.failed_attempts, "reason": reason},
    )
    return new


def guard_deadline_passed(session: Session, project: Project, *, actor: Principal, **_: object) -> None:
    if project.bid_deadline is None or clock.now() < project.bid_deadline:
        raise lifecycle.IllegalStep(
            "截止时间尚未到达，不能提前截止（《招标投标法》第三十四条：开标应当在投标截止时间的同一时间公开进行）"
        )


def close_due(session: Session) -> list[str]:
    """The tick's part: every project whose deadline has passed is closed, by the server clock."""
    due = session.scalars(
        select(Project)
        .where(Project.state == "notice_published", Project.bid_deadline <= clock.now())
        .order_by(Project.bid_deadline)
    ).all()
    for project in due:
        lifecycle.apply(session, project, "close_bidding", SYSTEM)
    return [p.code for p in due]


PROJECT_ORDER = Keyset.of("projects", Project.registered_at, Project.id)
# Lists show none of a project's large columns: its rule snapshot and description load only when read.
LIST_DEFERRED = (defer(Project.rules_snapshot), defer(Project.description))


def _visible(
    actor: Principal,
    *,
    state: str | None = None,
    transaction_type: str | None = None,
    green_only: bool = False,
    mine: bool = False,
) -> Select:
    stmt = select(Project)
    if state:
        stmt = stmt.where(Project.state == state)
    if transaction_type:
        stmt = stmt.where(Project.transaction_type == transaction_type)
    if green_only:
        stmt = stmt.where(Project.green_channel.is_(True))
    return stmt.where(visibility.readable(actor, mine=mine))


def page_visible(
    session: Session,
    actor: Principal,
    *,
    cursor: str | None = None,
    limit: int | None = None,
    count: bool = False,
    **filters: Any,
) -> Page[Project]:
    """The projects ``actor`` may see (``filters`` as for ``list_visible``), newest first, one page after
    ``cursor``."""
    stmt = _visible(actor, **filters)
    options = (selectinload(Project.sections), *LIST_DEFERRED)
    return paginate(session, stmt, PROJECT_ORDER, cursor=cursor, limit=limit, count=count, options=options)


def list_visible(
    session: Session,
    actor: Principal,
    *,
    state: str | None = None,
    transaction_type: str | None = None,
    green_only: bool = False,
    mine: bool = False,
    limit: int | None = None,
) -> list[Project]:
    """The projects ``actor`` may see, newest first (the first ``limit`` of them). Lists a person pages
    through use ``page_visible``."""
    stmt = _visible(actor, state=state, transaction_type=transaction_type, green_only=green_only, mine=mine)
    stmt = stmt.options(selectinload(Project.sections), *LIST_DEFERRED).order_by(*PROJECT_ORDER.order_by())
    return list(session.scalars(stmt if limit is None else stmt.limit(limit)))


def count_visible(session: Session, actor: Principal, **filters: Any) -> tuple[int, bool]:
    """How many projects ``actor`` may see with ``filters``: (count, exact), counted up to the kit's cap."""
    return count_upto(session, _visible(actor, **filters))


def acceptance_queue(session: Session) -> list[Project]:
    """Projects waiting for the centre, green-channel projects first (优先受理)."""
    stmt = (
        select(Project)
        .where(Project.state == "registered")
        .options(selectinload(Project.sections))
        .order_by(Project.green_channel.desc(), Project.registered_at)
    )
    return list(session.scalars(stmt))


QUEUE_ORDER = Keyset.of(
    "acceptance-queue",
    Key(cast(Project.green_channel, Integer), True),
    Key(Project.registered_at, False),
    Key(Project.id, False),
)


def acceptance_page(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[Project]:
    """``acceptance_queue`` one page at a time."""
    stmt = select(Project).where(Project.state == "registered")
    return paginate(session, stmt, QUEUE_ORDER, cursor=cursor, limit=limit, options=(selectinload(Project.sections),))


def timeline(session: Session, project: Project) -> list[Transition]:
    return list(session.scalars(select(Transition).where(Transition.project_id == project.id).order_by(Transition.id)))
