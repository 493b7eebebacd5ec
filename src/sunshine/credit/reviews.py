"""Reviews (评价) by the bodies that worked with a market participant on a project, which feed its credit rating
(seed 001 6.5): the tenderer rates its agency after the project (招标代理机构信用评价), the tenderer or its agency
rates the winning bidder (投标、履约行为), and the tenderer, its agency, the centre or the supervisory department
rates an expert who sat on the project's committee (评标专家信用评价). One review per project, subject and
reviewing body, once the result is published; each in the ledger. Part of credit's upper half: it reads the
trading kernel (projects, winners) and the committees' seats. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees.models import CommitteeSeat, DrawRequest
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.credit.models import CreditReview
from sunshine.credit.schemas import ReviewIn
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.trading import outcomes
from sunshine.trading.models import Project

#: What each kind of subject is rated on (each 0–100); the review's score is their mean, rounded.
CRITERIA: dict[str, dict[str, str]] = {
    "agency": {"service": "服务质量", "competence": "专业能力", "compliance": "依法合规", "timeliness": "工作效率"},
    "bidder": {"performance": "履约质量", "cooperation": "配合程度", "integrity": "诚信守约"},
    "expert": {"competence": "专业水平", "impartiality": "公正客观", "discipline": "遵守纪律"},
}
SUBJECT_LABELS = {"agency": "招标代理机构", "bidder": "中标人/成交供应商", "expert": "评标专家"}
#: The project has a published result (and whatever follows it).
AFTER_RESULT = frozenset({"result_published", "awarded", "contracted", "performing", "performance_accepted", "closed"})


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("项目不存在")
    return project


def reviewer_kinds(actor: Principal, project: Project) -> set[str]:
    """What ``actor`` may rate on ``project``: by the role it acts in."""
    kinds: set[str] = set()
    own = actor.organisation_id
    if own is not None and own == project.tenderer_id and actor.has(Role.TENDERER):
        kinds |= {"agency", "bidder", "expert"}
    if own is not None and own == project.agency_id and actor.has(Role.AGENCY):
        kinds |= {"bidder", "expert"}
    if actor.has(Role.CENTRE_STAFF, Role.SUPERVISOR):
        kinds |= {"expert"}
    return kinds


def subjects(session: Session, project: Project, kind: str) -> list[int]:
    """Who can be rated on the project: its agency, its winners, the experts seated on its committees."""
    if kind == "agency":
        return [project.agency_id] if project.agency_id else []
    if kind == "bidder":
        return sorted({w.organisation_id for w in outcomes.winners(session, project)})
    stmt = (
        select(CommitteeSeat.expert_id)
        .join(DrawRequest, DrawRequest.id == CommitteeSeat.request_id)
        .where(DrawRequest.project_id == project.id, CommitteeSeat.state.in_(("confirmed", "appointed")))
    )
    return sorted(set(session.scalars(stmt)))


def create(session: Session, actor: Principal, body: ReviewIn) -> CreditReview:
    project = _project(session, body.project_id)
    if body.subject_type not in reviewer_kinds(actor, project):
        raise Forbidden(f"只有与本项目相关的单位可以评价{SUBJECT_LABELS[body.subject_type]}")
    if project.state not in AFTER_RESULT:
        raise Conflict("项目结果公告后方可评价")
    if body.subject_id not in subjects(session, project, body.subject_type):
        raise InvalidInput(f"该{SUBJECT_LABELS[body.subject_type]}不是本项目的评价对象", field="subject_id")
    criteria = CRITERIA[body.subject_type]
    if set(body.scores) != set(criteria):
        missing = "、".join(v for k, v in criteria.items() if k not in body.scores)
        raise InvalidInput(f"请为每一评价项打分：{missing or '评价项不正确'}", field="scores")
    if any(not 0 <= v <= 100 for v in body.scores.values()):
        raise InvalidInput("每项得分应在0至100之间", field="scores")
    reviewer_org = actor.organisation_id
    exists = session.scalar(
        select(CreditReview.id).where(
            CreditReview.project_id == project.id,
            CreditReview.subject_type == body.subject_type,
            CreditReview.subject_id == body.subject_id,
            CreditReview.reviewer_organisation_id == reviewer_org,
        )
    )
    if exists is not None:
        raise Conflict("本单位已评价过该对象")
    score = round(sum(body.scores.values()) / len(body.scores))
    row = CreditReview(
        project_id=project.id,
        subject_type=body.subject_type,
        subject_id=body.subject_id,
        reviewer_organisation_id=reviewer_org,
        reviewer_user_id=actor.user_id,
        scores=dict(body.scores),
        score=score,
        comment=(body.comment or "").strip(),
        created_at=clock.now(),
        ledger_seq=0,
    )
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "credit:review:created",
        f"project:{project.code}",
        {  # an expert is a number in the log, never a name
            "review": row.id,
            "subject_type": row.subject_type,
            "subject": row.subject_id,
            "reviewer": reviewer_org,
            "score": score,
        },
    )
    row.ledger_seq = entry.seq
    return row


def pending(session: Session, actor: Principal, project_id: int) -> list[tuple[str, int, bool]]:
    """What the actor may rate on the project: (kind, subject id, already rated)."""
    project = _project(session, project_id)
    if project.state not in AFTER_RESULT:
        return []
    done = {
        (k, s)
        for k, s in session.execute(
            select(CreditReview.subject_type, CreditReview.subject_id).where(
                CreditReview.project_id == project.id,
                CreditReview.reviewer_organisation_id == actor.organisation_id,
            )
        )
    }
    kinds = reviewer_kinds(actor, project)
    return [
        (k, s, (k, s) in done)
        for k in ("agency", "bidder", "expert")
        if k in kinds
        for s in subjects(session, project, k)
    ]


def projects_to_review(session: Session, actor: Principal, limit: int = 50) -> list[Project]:
    """The actor's own projects with a published result (the tenderer's or agency's list to rate from)."""
    if actor.organisation_id is None:
        return []
    stmt = (
        select(Project)
        .where(
            Project.state.in_(AFTER_RESULT),
            (Project.tenderer_id == actor.organisation_id) | (Project.agency_id == actor.organisation_id),
        )
        .order_by(Project.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
