"""JSON routes of policy disclosure: policy documents with their interpretations, and public concerns
(questions from anyone, answered and published by the disclosure office). Thin: the rules are in
``policy.service``; the public shapes of a concern carry no personal data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT, PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.policy import service
from sunshine.policy.models import Interpretation, PolicyDocument, PublicConcern
from sunshine.policy.schemas import (
    AnswerIn,
    ConcernIn,
    ConcernList,
    ConcernOut,
    ConcernReceipt,
    ConcernStaffOut,
    InterpretationIn,
    InterpretationOut,
    InterpretationSummary,
    PolicyDetail,
    PolicyIn,
    PolicyList,
    PolicyOut,
)

router = APIRouter(prefix="/api/v1/policies", tags=["政策文件与解读"])
concerns_router = APIRouter(prefix="/api/v1/concerns", tags=["回应关切"])
PUBLIC = Depends(Access.public())
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))


def _summary(i: Interpretation) -> InterpretationSummary:
    return InterpretationSummary(
        id=i.id,
        title=i.title,
        form_label=service.form_label(i.form),
        interpreter=i.interpreter,
        published_at=i.published_at,
        url=f"/interpretations/{i.id}",
    )


def policy_out(policy: PolicyDocument, interpretations: list[Interpretation], *, detail: bool = False):
    fields = dict(
        id=policy.id,
        title=policy.title,
        issuing_body=policy.issuing_body,
        doc_number=policy.doc_number,
        level=policy.level,
        level_label=service.level_label(policy.level),
        issued_on=policy.issued_on,
        effective_on=policy.effective_on,
        region_code=policy.region_code,
        source_url=policy.source_url,
        attachment_name=policy.attachment_name,
        attachment_sha256=policy.attachment_sha256,
        published_at=policy.published_at,
        ledger_seq=policy.ledger_seq,
        url=f"/policies/{policy.id}",
        interpretations=[_summary(i) for i in interpretations],
    )
    if detail:
        return PolicyDetail(**fields, body_html=service.sanitise(policy.body_html))
    return PolicyOut(**fields)


def interpretation_out(row: Interpretation) -> InterpretationOut:
    return InterpretationOut(
        id=row.id,
        policy_id=row.policy_id,
        title=row.title,
        form=row.form,
        form_label=service.form_label(row.form),
        interpreter=row.interpreter,
        body_html=service.sanitise(row.body_html),
        published_at=row.published_at,
        ledger_seq=row.ledger_seq,
        url=f"/interpretations/{row.id}",
        policy_url=f"/policies/{row.policy_id}",
    )


@router.get("", response_model=PolicyList, summary="政策文件列表")
def list_policies(
    q: str | None = Query(None, max_length=100, description="名称、文号或制定机关中的词"),
    level: str | None = Query(None, max_length=20),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> PolicyList:
    level = level if level in service.LEVELS else None
    result = service.list_policies(session, q=q, level=level, cursor=cursor, limit=limit)
    linked = service.interpretations_of(session, [p.id for p in result.items])
    return PolicyList(
        items=[policy_out(p, linked[p.id]) for p in result.items],
        next_cursor=result.next_cursor,
        total=result.total or 0,
        total_exact=result.total_exact,
    )


@router.post("", response_model=PolicyDetail, status_code=201, summary="发布政策文件")
def create_policy(data: PolicyIn, session: Session = SessionDep, principal: Principal = OFFICE) -> PolicyDetail:
    policy = service.create_policy(session, principal, data)
    return policy_out(policy, [], detail=True)


@router.get("/{policy_id}", response_model=PolicyDetail, summary="政策文件全文及其解读")
def get_policy(policy_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> PolicyDetail:
    policy = service.get_policy(session, policy_id)
    return policy_out(policy, service.interpretations_of(session, [policy.id])[policy.id], detail=True)


@router.post("/{policy_id}/interpretations", response_model=InterpretationOut, status_code=201, summary="发布政策解读")
def add_interpretation(
    policy_id: Id, data: InterpretationIn, session: Session = SessionDep, principal: Principal = OFFICE
) -> InterpretationOut:
    return interpretation_out(service.add_interpretation(session, principal, policy_id, data))


@router.get("/{policy_id}/interpretations/{interpretation_id}", response_model=InterpretationOut, summary="政策解读")
def get_interpretation(
    policy_id: Id, interpretation_id: Id, session: Session = SessionDep, _: Principal = PUBLIC
) -> InterpretationOut:
    row, policy = service.get_interpretation(session, interpretation_id)
    if policy.id != policy_id:
        raise NotFound("政策解读不存在")
    return interpretation_out(row)


# --------------------------------------------------------------------------- concerns


def concern_out(concern: PublicConcern) -> ConcernOut:
    return ConcernOut(
        id=concern.id,
        reference=service.reference(concern),
        topic=concern.topic,
        topic_label=service.topic_label(concern.topic),
        question=concern.public_question or "",
        answer_html=service.sanitise(concern.answer_html or ""),
        submitted_at=concern.submitted_at,
        answered_at=concern.answered_at,
        published_at=concern.published_at,
        policy_id=concern.policy_id,
        ledger_seq=concern.ledger_seq,
        url=f"/concerns/{concern.id}",
    )


def concern_staff_out(session: Session, concern: PublicConcern) -> ConcernStaffOut:
    return ConcernStaffOut(
        id=concern.id,
        reference=service.reference(concern),
        topic=concern.topic,
        status=concern.status,
        question=concern.question,
        asker_name=concern.asker_name,
        contact=concern.contact,
        submitted_at=concern.submitted_at,
        reply_due=service.reply_due(session, concern),
        answered_at=concern.answered_at,
        published_at=concern.published_at,
    )


@concerns_router.get("", response_model=ConcernList, summary="已公开的公众关切及答复")
def list_concerns(
    topic: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=100),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> ConcernList:
    topic = topic if topic in service.TOPICS else None
    result = service.published_concerns(session, topic=topic, q=q, cursor=cursor, limit=limit)
    return ConcernList(
        items=[concern_out(c) for c in result.items],
        next_cursor=result.next_cursor,
        total=result.total or 0,
        total_exact=result.total_exact,
    )


@concerns_router.post("", response_model=ConcernReceipt, status_code=201, summary="提交问题（可匿名）")
def submit(data: ConcernIn, session: Session = SessionDep, _: Principal = PUBLIC) -> ConcernReceipt:
    concern = service.submit_concern(session, data)
    due = service.reply_due(session, concern)
    return ConcernReceipt(
        id=concern.id,
        reference=service.reference(concern),
        status=concern.status,
        reply_due=due,
        message=f"已收到，编号 {service.reference(concern)}" + (f"，将于 {due.isoformat()} 前答复" if due else ""),
    )


@concerns_router.get("/queue", response_model=list[ConcernStaffOut], summary="待答复与待公开的问题（政务公开办）")
def queue(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = OFFICE) -> list[ConcernStaffOut]:
    page = service.staff_queue(session, cursor=paging.cursor, limit=paging.limit)
    return [concern_staff_out(session, c) for c in paging.answer(page)]


@concerns_router.get("/{concern_id}", response_model=ConcernOut, summary="已公开的问题及答复")
def get_concern(concern_id: Id, session: Session = SessionDep, _: Principal = PUBLIC) -> ConcernOut:
    return concern_out(service.get_published_concern(session, concern_id))


@concerns_router.post("/{concern_id}/answer", response_model=ConcernStaffOut, summary="答复（可同时公开）")
def answer(
    concern_id: Id, data: AnswerIn, session: Session = SessionDep, principal: Principal = OFFICE
) -> ConcernStaffOut:
    return concern_staff_out(session, service.answer_concern(session, principal, concern_id, data))


@concerns_router.post("/{concern_id}/publish", response_model=ConcernStaffOut, summary="公开已答复的问题")
def publish(concern_id: Id, session: Session = SessionDep, principal: Principal = OFFICE) -> ConcernStaffOut:
    return concern_staff_out(session, service.publish_concern(session, principal, concern_id))
