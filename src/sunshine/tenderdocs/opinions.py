"""Each drawn reviewer's own opinion on the tender documents (seed 003 二（四）: 两名以上专家对招标文件作出评审意见).

The reviewers are the experts the project's ``doc_review`` draws called who confirmed the call (committees'
calling). Each reads the current version (read-only) and submits once per version: 无修改意见, or 需修改 with the
clauses and how. Only they may read the documents there or submit (anyone else is told the project does not
exist). The documents count as reviewed for a version when at least the pack's ``doc_review_experts_min`` reviewers
have submitted on it and none asks for changes; an opinion asking for changes holds the filing until the agency
redrafts (a new version, confirmed again) and the reviewers review that version. The parties and officials read
the opinions; the reviewers' names follow committees' rule (``signin.sign_in_list``: only once the results are
public). The ledger carries the call's leaf and position, never the expert. Never commits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.committees import packrules, signin
from sunshine.committees.calling import CONFIRMED
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.composition import DOC_REVIEW
from sunshine.committees.models import DrawRequest
from sunshine.committees.workbench_tasks import Task
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.experts import service as experts
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.tenderdocs.models import ReviewOpinion, TenderDocument, TenderTemplate
from sunshine.trading.models import Project

CONCLUSIONS = {"no_changes": "无修改意见", "changes": "需修改"}
REVIEWABLE = frozenset({"drafted", "confirmed"})
MAX_TEXT = 4000
MAX_CHANGES = 60


class OpinionExists(Conflict):
    code = "already_exists"
    title = "您已对本版本招标文件提交评审意见"


class NotReviewable(Conflict):
    code = "tender_document_state"
    title = "招标文件当前状态不能评审"


@dataclass(frozen=True)
class Change:
    clause: str
    text: str


# --------------------------------------------------------------------------- who reviews


def reviewer_calls(session: Session, project: Project) -> list[ExpertCall]:
    """The confirmed calls of the project's ``doc_review`` draws: its reviewers."""
    stmt = (
        select(ExpertCall)
        .join(DrawRequest, DrawRequest.id == ExpertCall.request_id)
        .where(DrawRequest.project_id == project.id, DrawRequest.purpose == DOC_REVIEW, ExpertCall.state == CONFIRMED)
        .order_by(ExpertCall.request_id, ExpertCall.position)
    )
    return list(session.scalars(stmt))


def needed(session: Session, project: Project) -> int:
    return packrules.limits(session, project, DOC_REVIEW).experts_min


def _own_call(session: Session, actor: Principal, project_id: int) -> tuple[Project, ExpertCall]:
    """The actor's confirmed reviewer call on the project; anyone else: the project does not exist (404)."""
    project = session.get(Project, project_id)
    expert = experts.expert_of_user(session, actor.user_id) if actor.user_id and actor.has(Role.EXPERT) else None
    call = None
    if project is not None and expert is not None:
        call = next((c for c in reviewer_calls(session, project) if c.expert_id == expert.id), None)
    if project is None or call is None:
        raise NotFound("项目不存在")
    return project, call


def _document(session: Session, project: Project) -> TenderDocument:
    document = session.scalars(select(TenderDocument).where(TenderDocument.project_id == project.id)).first()
    if document is None:
        raise NotReviewable("本项目尚未编制招标文件")
    return document


def opinions_on(session: Session, document: TenderDocument, version: int | None = None) -> list[ReviewOpinion]:
    stmt = select(ReviewOpinion).where(ReviewOpinion.document_id == document.id)
    if version is not None:
        stmt = stmt.where(ReviewOpinion.version == version)
    return list(session.scalars(stmt.order_by(ReviewOpinion.version, ReviewOpinion.id)))


# --------------------------------------------------------------------------- where the review stands


def standing(session: Session, project: Project, document: TenderDocument) -> list[str]:
    """What still stands between this version and a completed review, in words (empty: reviewed)."""
    current = opinions_on(session, document, document.version)
    want = needed(session, project)
    out = []
    if any(o.conclusion == "changes" for o in current):
        out.append("评审专家对本版招标文件提出修改意见，须修改后经采购人确认，并由专家重新评审")
    if len(current) < want:
        out.append(f"随机抽取的专家尚未全部提交本版评审意见（须不少于{want}名，已提交{len(current)}名）")
    return out


def reviewed(session: Session, project: Project, document: TenderDocument) -> bool:
    return not standing(session, project, document)


# --------------------------------------------------------------------------- the reviewer


@dataclass(frozen=True)
class ReviewView:
    project: Project
    document: TenderDocument | None
    clauses: list[tuple[str, str, str]]  # (key, title, text) in the template's order
    mine: ReviewOpinion | None  # the reviewer's opinion on the current version
    history: list[ReviewOpinion]  # the reviewer's opinions on earlier versions
    may_submit: bool


def review_view(session: Session, actor: Principal, project_id: int) -> ReviewView:
    """The current version as the reviewer reads it (read-only), with their own opinions."""
    project, call = _own_call(session, actor, project_id)
    document = session.scalars(select(TenderDocument).where(TenderDocument.project_id == project.id)).first()
    if document is None:
        return ReviewView(project, None, [], None, [], False)
    template = session.get(TenderTemplate, document.template_id)
    filled = json.loads(document.clauses)
    clauses = [(c["key"], c["title"], filled.get(c["key"], "")) for c in json.loads(template.clauses)]
    own = [o for o in opinions_on(session, document) if o.expert_id == call.expert_id]
    mine = next((o for o in own if o.version == document.version), None)
    return ReviewView(
        project=project,
        document=document,
        clauses=clauses,
        mine=mine,
        history=[o for o in own if o.version != document.version],
        may_submit=mine is None and document.status in REVIEWABLE,
    )


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def submit(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    conclusion: str,
    changes: list[Change],
    remarks: str = "",
) -> ReviewOpinion:
    """A reviewer submits their own opinion on the current version, once (again: 409)."""
    project, call = _own_call(session, actor, project_id)
    document = _document(session, project)
    if document.status not in REVIEWABLE:
        raise NotReviewable("招标文件已备案或正待修改，当前没有待评审的版本")
    if conclusion not in CONCLUSIONS:
        raise InvalidInput("请选择评审结论：无修改意见或需修改", field="conclusion")
    template = session.get(TenderTemplate, document.template_id)
    known = {c["key"]: c["title"] for c in json.loads(template.clauses)}
    cleaned = [Change(c.clause.strip(), (c.text or "").strip()) for c in changes if (c.text or "").strip()]
    remarks = (remarks or "").strip()
    if len(remarks) > MAX_TEXT or any(len(c.text) > MAX_TEXT for c in cleaned) or len(cleaned) > MAX_CHANGES:
        raise InvalidInput(f"每条意见最多 {MAX_TEXT} 字", field="changes")
    unknown = sorted({c.clause for c in cleaned} - set(known))
    if unknown:
        raise InvalidInput(f"招标文件没有这些条款：{'、'.join(unknown)}", field="changes")
    if conclusion == "changes" and not cleaned:
        raise InvalidInput("结论为“需修改”的，请写明须修改的条款和修改意见", field="changes")
    if conclusion == "no_changes" and cleaned:
        raise InvalidInput("结论为“无修改意见”的，不应填写条款修改意见；有修改意见请选择“需修改”", field="conclusion")
    exists = session.scalars(
        select(ReviewOpinion.id).where(
            ReviewOpinion.document_id == document.id,
            ReviewOpinion.version == document.version,
            ReviewOpinion.expert_id == call.expert_id,
        )
    ).first()
    if exists is not None:
        raise OpinionExists(f"您已对第{document.version}版招标文件提交评审意见；修改后的新版本可再次评审")
    body = [{"clause": c.clause, "text": c.text} for c in cleaned]
    digest = _digest({"conclusion": conclusion, "changes": body, "remarks": remarks, "document": document.sha256})
    entry = ledger.append(
        session,
        "tenderdocs:document:opinion",
        f"project:{project.code}",
        {
            "document": f"tender-document:{document.id}:v{document.version}",
            "document_sha256": document.sha256,
            "leaf": call.leaf,
            "position": call.position,
            "conclusion": conclusion,
            "clauses": [c.clause for c in cleaned],
            "opinion_sha256": digest,
        },
    )
    row = ReviewOpinion(
        document_id=document.id,
        version=document.version,
        call_id=call.id,
        expert_id=call.expert_id,
        conclusion=conclusion,
        changes=json.dumps(body, ensure_ascii=False),
        remarks=remarks or None,
        sha256=digest,
        submitted_at=clock.now(),
        ledger_seq=entry.seq,
    )
    session.add(row)
    session.flush()
    if reviewed(session, project, document):
        document.review_version, document.reviewed_at = document.version, row.submitted_at
    return row


# --------------------------------------------------------------------------- the readers


@dataclass(frozen=True)
class OpinionLine:
    version: int
    position: int
    leaf: str
    name: str | None  # only as committees' sign-in list shows it
    conclusion: str
    conclusion_label: str
    changes: list[dict]
    remarks: str | None
    submitted_at: datetime
    sha256: str


def lines(session: Session, actor: Principal, project: Project, document: TenderDocument | None) -> list[OpinionLine]:
    """The submitted opinions, every version, as a reader of the project's draws sees them. The caller has
    already checked the actor reads the project's documents."""
    if document is None:
        return []
    rows = opinions_on(session, document)
    calls = {
        c.id: c for c in session.scalars(select(ExpertCall).where(ExpertCall.id.in_(sorted({o.call_id for o in rows}))))
    }
    names: dict[int, str | None] = {}
    for request_id in sorted({c.request_id for c in calls.values()}):
        try:
            names.update({line.id: line.name for line in signin.sign_in_list(session, actor, request_id).lines})
        except NotFound:
            continue
    return [
        OpinionLine(
            version=o.version,
            position=calls[o.call_id].position,
            leaf=calls[o.call_id].leaf,
            name=names.get(o.call_id),
            conclusion=o.conclusion,
            conclusion_label=CONCLUSIONS[o.conclusion],
            changes=json.loads(o.changes),
            remarks=o.remarks,
            submitted_at=o.submitted_at,
            sha256=o.sha256,
        )
        for o in rows
    ]


# --------------------------------------------------------------------------- the workbench


def awaiting(session: Session, actor: Principal) -> list[Task]:
    """The expert's workbench: the documents of their review projects whose current version awaits their opinion."""
    expert = experts.expert_of_user(session, actor.user_id) if actor.user_id else None
    if expert is None:
        return []
    stmt = (
        select(ExpertCall, DrawRequest)
        .join(DrawRequest, DrawRequest.id == ExpertCall.request_id)
        .where(ExpertCall.expert_id == expert.id, ExpertCall.state == CONFIRMED, DrawRequest.purpose == DOC_REVIEW)
    )
    out = []
    for _call, request in session.execute(stmt):
        project = session.get(Project, request.project_id)
        document = session.scalars(select(TenderDocument).where(TenderDocument.project_id == project.id)).first()
        if document is None or document.status not in REVIEWABLE:
            continue
        done = any(o.expert_id == expert.id for o in opinions_on(session, document, document.version))
        if not done:
            out.append(
                Task(
                    kind="招标文件评审",
                    title=project.name,
                    href=f"/expert/tender-reviews/{project.id}",
                    detail=f"第{document.version}版待您提交评审意见",
                )
            )
    return out
