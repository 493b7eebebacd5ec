"""变更采购方式: after the rule pack's number of failed open tenders the purchaser (or its agency) applies to the
finance department (行政监督部门) with what seed 003 lists — the written opinion of two experts drawn from the
pool (a committees draw request of purpose ``method_opinion``, drawn), the agency's statement that the notices'
times and procedure were lawful, the purchaser's own request, the notices and the list of submissions (taken
from the platform's records) — and the department approves or refuses. The trading kernel's retender asks
``approval_for`` (installed through ``trading.service.approves_method_change``): without an approved
application the project cannot be registered again under another method. Never commits."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from sunshine.bidding.models import Bid
from sunshine.committees import service as committees
from sunshine.committees.composition import METHOD_OPINION
from sunshine.committees.models import DrawRequest
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.procedure import notify
from sunshine.procedure.models import MethodChange
from sunshine.rules import service as rules
from sunshine.rules.registry import registry
from sunshine.trading import visibility as trading_visibility
from sunshine.trading.labels import METHODS, method_label
from sunshine.trading.models import Notice, Project, Section

STATES = {"submitted": "待财政部门审批", "approved": "已批准", "refused": "不予批准", "used": "已按批准方式重新登记"}
RULE = "failed_attempts_before_method_change"
EXPERTS_NEEDED = 2  # seed 003 七（一）：两名以上专家


class MethodChangeNotApproved(RuleViolation):
    code = "method_change_not_approved"


def may_read(actor: Principal, project: Project) -> bool:
    return trading_visibility.is_party(actor, project) or bool(actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF})


def _chain(session: Session, project: Project) -> list[Project]:
    """The failed project and the earlier tenders it was registered again from, oldest first."""
    chain = [project]
    while chain[-1].retender_of_id is not None and len(chain) < 20:
        earlier = session.get(Project, chain[-1].retender_of_id)
        if earlier is None:
            break
        chain.append(earlier)
    return list(reversed(chain))


def materials(session: Session, project: Project) -> list[dict[str, Any]]:
    """下载的招标公告、投标文件递交表: each failed tender's notices and how many submissions each section had."""
    out = []
    for each in _chain(session, project):
        notices = session.scalars(
            select(Notice).where(Notice.project_id == each.id).order_by(Notice.published_at, Notice.id)
        ).all()
        counts = dict(
            session.execute(
                select(Section.number, func.count(Bid.id))
                .join(Bid, Bid.section_id == Section.id, isouter=True)
                .where(Section.project_id == each.id)
                .group_by(Section.number)
            ).all()
        )
        out.append(
            {
                "project_id": each.id,
                "code": each.code,
                "method": each.method,
                "state": each.state,
                "notices": [
                    {"id": n.id, "title": n.title, "published_at": n.published_at.isoformat()} for n in notices
                ],
                "submissions": [{"section": number, "bids": count} for number, count in sorted(counts.items())],
            }
        )
    return out


def _failed_project(session: Session, actor: Principal, project_id: int) -> Project:
    project = trading_visibility.get_visible(session, actor, project_id)
    if not may_read(actor, project):
        raise NotFound("项目不存在")
    return project


def _rule(project: Project) -> rules.ResolvedRule | None:
    pack = rules.rules_of(project)
    return pack.rule(RULE) if pack.has(RULE) else None


def _expert_draw(session: Session, project: Project, draw_request_id: int | None) -> DrawRequest | None:
    """A procurement's application carries the opinion of two or more experts drawn from the pool: the project's
    drawn request of purpose ``method_opinion`` (seed 003 七（一）). Engineering has no such draw."""
    if project.transaction_type != "gov_procurement":
        return None
    request = session.get(DrawRequest, draw_request_id) if draw_request_id else None
    if request is None or request.project_id != project.id or request.purpose != METHOD_OPINION:
        raise InvalidInput("须选择本项目“变更采购方式专家意见”的专家抽取申请", field="draw_request_id")
    seats = [s for s in committees.committee_of(session, request.id) if not s.reserve]
    if request.state != "drawn" or len(seats) < EXPERTS_NEEDED:
        raise RuleViolation(
            f"须先从专家库随机抽取{EXPERTS_NEEDED}名以上专家出具意见（该抽取申请尚未完成抽取）",
            field="draw_request_id",
        )
    return request


def apply_for(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    method: str,
    draw_request_id: int | None,
    expert_opinion: str,
    agency_statement: str,
    request_text: str,
) -> MethodChange:
    project = _failed_project(session, actor, project_id)
    if not trading_visibility.is_party(actor, project):
        raise Forbidden("只有采购人或其委托的代理机构可以申请变更采购方式")
    if project.state != "failed":
        raise Conflict("只有招标失败（流标）的项目可以申请变更采购方式")
    rule = _rule(project)
    if rule is None:
        raise RuleViolation("本交易方式的规则不允许变更方式", field="method")
    if project.failed_attempts < int(rule.value):
        raise RuleViolation(
            f"已流标{project.failed_attempts}次，流标{int(rule.value)}次后方可申请变更采购方式（{rule.basis_text}）",
            field="method",
            rule=rule.id,
        )
    if method == project.method or method not in METHODS:
        raise InvalidInput("请选择与原方式不同的交易方式", field="method")
    registry().for_type_method(project.transaction_type, method, clock.today_local())  # refuses an unknown pair
    request = _expert_draw(session, project, draw_request_id)
    pending = session.scalar(
        select(MethodChange.id).where(
            MethodChange.project_id == project.id, MethodChange.state.in_(("submitted", "approved", "used"))
        )
    )
    if pending is not None:
        raise Conflict("本项目已有变更采购方式申请")
    row = MethodChange(
        project_id=project.id,
        method=method,
        state="submitted",
        draw_request_id=request.id if request else None,
        expert_opinion=expert_opinion.strip(),
        agency_statement=agency_statement.strip(),
        request_text=request_text.strip(),
        materials=json.dumps(materials(session, project), ensure_ascii=False),
        applied_by=actor.user_id,
        applied_at=clock.now(),
    )
    session.add(row)
    session.flush()
    ledger.append(
        session,
        "procedure:method-change:submitted",
        f"project:{project.code}",
        {
            "application": row.id,
            "from": project.method,
            "to": method,
            "failed_attempts": project.failed_attempts,
            "draw_request": request.id if request else None,
            "draw_code": request.draw_code if request else None,
        },
    )
    return row


def get_readable(session: Session, actor: Principal, application_id: int) -> tuple[MethodChange, Project]:
    row = session.get(MethodChange, application_id)
    project = session.get(Project, row.project_id) if row is not None else None
    if row is None or project is None or not may_read(actor, project):
        raise NotFound("变更采购方式申请不存在")
    return row, project


def decide(session: Session, actor: Principal, application_id: int, *, approve: bool, decision: str) -> MethodChange:
    """The finance department's decision: approved (with its document number) or refused (with the reason)."""
    if not actor.has(Role.SUPERVISOR):
        raise Forbidden("变更采购方式由财政部门（行政监督部门）审批")
    row, project = get_readable(session, actor, application_id)
    if row.state != "submitted":
        raise Conflict(f"该申请{STATES[row.state]}，不能再次审批")
    row.state = "approved" if approve else "refused"
    row.decided_by = actor.user_id
    row.decided_at = clock.now()
    row.decision = decision.strip()
    ledger.append(
        session,
        f"procedure:method-change:{row.state}",
        f"project:{project.code}",
        {"application": row.id, "to": row.method, "decision": row.decision},
    )
    applicant = session.get(User, row.applied_by)
    verdict = "批准" if approve else "不予批准"
    notify.decision(
        session,
        organisation_id=applicant.organisation_id if applicant else None,
        user_id=row.applied_by,
        subject=f"变更采购方式申请{verdict}：{project.name}",
        body=(
            f"你单位就“{project.name}”（项目编号 {project.code}）提出的变更为{method_label(row.method)}的申请"
            f"（第{row.id}号），财政部门决定：{verdict}。\n"
            + (f"批准文号及意见：{row.decision}" if approve else f"不予批准的理由：{row.decision}")
            + ("\n可按批准的采购方式重新登记项目。" if approve else "")
        ),
        link=f"/projects/{project.id}/method-changes",
    )
    return row


def approval_for(session: Session, actor: Principal, project: Project, method: str) -> str:
    """The kernel's question at retender: the approved application for this failed project and method, used
    once; otherwise the refusal that says what is missing."""
    row = session.scalar(
        select(MethodChange)
        .where(MethodChange.project_id == project.id, MethodChange.method == method)
        .order_by(MethodChange.id.desc())
        .limit(1)
    )
    if row is None or row.state in ("submitted", "refused"):
        state = "尚未申请" if row is None else STATES[row.state]
        raise MethodChangeNotApproved(
            f"变更为{method_label(method)}须经财政部门批准（变更采购方式申请{state}）；"
            "请附两名抽取专家的意见、代理机构意见、采购人申请及公告和投标文件递交表提出申请",
            field="method",
        )
    if row.state == "used":
        raise Conflict("该变更采购方式的批准已使用")
    row.state = "used"
    return f"财政部门批准变更采购方式（第{row.id}号申请）：{row.decision}"


def for_project(session: Session, actor: Principal, project_id: int) -> tuple[Project, list[MethodChange]]:
    project = _failed_project(session, actor, project_id)
    rows = session.scalars(
        select(MethodChange).where(MethodChange.project_id == project.id).order_by(MethodChange.id)
    ).all()
    return project, list(rows)


QUEUE_ORDER = Keyset.of(
    "method-changes",
    Key(cast(MethodChange.state != "submitted", Integer), False),
    Key(MethodChange.applied_at, False),
    Key(MethodChange.id, False),
)


def queue(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[MethodChange, Project]]:
    """The finance department's queue: applications waiting for a decision first, oldest first, a page at a time."""
    if not actor.roles & {Role.SUPERVISOR, Role.CENTRE_STAFF}:
        raise Forbidden("只有财政部门（行政监督部门）和交易中心可以查看变更申请")
    stmt = select(MethodChange, Project).join(Project, Project.id == MethodChange.project_id)
    return paginate(session, stmt, QUEUE_ORDER, cursor=cursor, limit=limit)
