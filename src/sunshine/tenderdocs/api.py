"""JSON routes of tender documents: the centre's template library, a project's documents (drafted by the agency,
confirmed by the purchaser, reviewed by each drawn expert on their own (``/expert/tender-reviews``),
filed, ordered changed by the finance department, the change published as
an amendment), the agency's view of the holders' receipts, and each holder's own receipts under ``/me``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.committees.calling_models import ExpertCall
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id
from sunshine.core.pagination import PAGING, Paging
from sunshine.identity.roles import Role
from sunshine.tenderdocs import acks, opinions, service
from sunshine.tenderdocs.schemas import (
    ChangeIn,
    ChangeNoticeOut,
    ChangeStatusOut,
    ClauseOut,
    DocumentOut,
    DraftIn,
    MyChangeOut,
    OpinionIn,
    OpinionOut,
    OrderIn,
    OrderOut,
    ReceiptOut,
    ReviewClauseOut,
    ReviewDocumentOut,
    TemplateIn,
    TemplateOut,
)
from sunshine.trading.labels import type_label
from sunshine.trading.notice_kinds import kind_label

router = APIRouter(prefix="/api/v1", tags=["招标文件"])
READERS = Depends(Access(Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR))
DRAFTERS = Depends(Access(Role.AGENCY, Role.TENDERER))
TENDERER = Depends(Access(Role.TENDERER))
CENTRE = Depends(Access(Role.CENTRE_STAFF))
DEPARTMENT = Depends(Access(Role.SUPERVISOR))
HOLDER = Depends(Access(Role.BIDDER))
EXPERT = Depends(Access(Role.EXPERT))


def template_out(row) -> TemplateOut:
    return TemplateOut(
        id=row.id,
        transaction_type=row.transaction_type,
        transaction_type_label=type_label(row.transaction_type),
        name=row.name,
        clauses=[ClauseOut(key=c.key, title=c.title, mandatory=c.mandatory) for c in service.clauses_of(row)],
    )


def document_out(session: Session, project) -> DocumentOut:
    doc = service.document_of(session, project)
    base = DocumentOut(
        project_id=project.id,
        required=service.required(session, project),
        review_required=service.review_required(session, project),
        reviewers_seated=len(service.reviewers(session, project)),
        missing=service.missing(session, project),
    )
    if doc is None:
        return base
    return base.model_copy(
        update={
            "id": doc.id,
            "template_id": doc.template_id,
            "version": doc.version,
            "status": doc.status,
            "status_label": service.STATUS_LABELS[doc.status],
            "sha256": doc.sha256,
            "clauses": json.loads(doc.clauses),
            "confirmed_at": doc.confirmed_at,
            "reviewed_version": doc.review_version,
            "filed_at": doc.filed_at,
            "orders": [
                OrderOut(
                    id=o.id,
                    reason=o.reason,
                    after_publication=o.after_publication,
                    ordered_at=o.ordered_at,
                    answered_at=o.answered_at,
                    answered_version=o.answered_version,
                    notice_id=o.notice_id,
                )
                for o in service.orders_of(session, doc)
            ],
        }
    )


def notice_out(notice) -> ChangeNoticeOut:
    return ChangeNoticeOut(
        id=notice.id,
        kind=notice.kind,
        kind_label=kind_label(notice.kind),
        title=notice.title,
        published_at=notice.published_at,
    )


@router.get("/tender-templates", response_model=list[TemplateOut], summary="招标文件范本库")
def list_templates(session: Session = SessionDep, _: Principal = READERS) -> list[TemplateOut]:
    return [template_out(t) for t in service.templates(session)]


@router.post("/tender-templates", response_model=TemplateOut, status_code=201, summary="交易中心新增招标文件范本")
def create_template(body: TemplateIn, session: Session = SessionDep, principal: Principal = CENTRE) -> TemplateOut:
    row = service.create_template(
        session,
        principal,
        transaction_type=body.transaction_type,
        name=body.name,
        clauses=[service.Clause(c.key, c.title, c.mandatory) for c in body.clauses],
    )
    return template_out(row)


@router.get("/projects/{project_id}/tender-documents", response_model=DocumentOut, summary="项目的招标文件")
def get_documents(project_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> DocumentOut:
    return document_out(session, service.readable_project(session, principal, project_id))


@router.post("/projects/{project_id}/tender-documents", response_model=DocumentOut, summary="依范本编制招标文件")
def draft(project_id: Id, body: DraftIn, session: Session = SessionDep, principal: Principal = DRAFTERS) -> DocumentOut:
    doc = service.draft(session, principal, project_id, template_id=body.template_id, clauses=body.clauses)
    return document_out(session, service.readable_project(session, principal, doc.project_id))


@router.post(
    "/projects/{project_id}/tender-documents/confirm", response_model=DocumentOut, summary="采购人审核确认招标文件"
)
def confirm(project_id: Id, session: Session = SessionDep, principal: Principal = TENDERER) -> DocumentOut:
    service.confirm(session, principal, project_id)
    return document_out(session, service.readable_project(session, principal, project_id))


@router.post("/projects/{project_id}/tender-documents/file", response_model=DocumentOut, summary="送财政部门备案")
def file(project_id: Id, session: Session = SessionDep, principal: Principal = DRAFTERS) -> DocumentOut:
    service.file(session, principal, project_id)
    return document_out(session, service.readable_project(session, principal, project_id))


@router.post(
    "/projects/{project_id}/tender-documents/orders",
    response_model=DocumentOut,
    status_code=201,
    summary="财政部门责令修改招标文件",
)
def order(
    project_id: Id, body: OrderIn, session: Session = SessionDep, principal: Principal = DEPARTMENT
) -> DocumentOut:
    service.order_change(session, principal, project_id, reason=body.reason)
    return document_out(session, service.readable_project(session, principal, project_id))


@router.post(
    "/projects/{project_id}/tender-documents/amendment",
    response_model=ChangeNoticeOut,
    status_code=201,
    summary="以更正公告发出责令修改后的招标文件",
)
def publish_change(
    project_id: Id, body: ChangeIn, session: Session = SessionDep, principal: Principal = DRAFTERS
) -> ChangeNoticeOut:
    notice = service.publish_change(
        session,
        principal,
        project_id,
        title=body.title,
        body_html=body.body_html,
        new_bid_deadline=body.new_bid_deadline,
    )
    return notice_out(notice)


@router.get(
    "/projects/{project_id}/acknowledgements", response_model=list[ChangeStatusOut], summary="澄清/变更的签收情况"
)
def acknowledgements(
    project_id: Id, session: Session = SessionDep, principal: Principal = READERS
) -> list[ChangeStatusOut]:
    project = service.readable_project(session, principal, project_id)
    return [
        ChangeStatusOut(
            notice=notice_out(row.notice),
            acknowledged=[
                ReceiptOut(organisation_id=o.id, organisation_name=o.name, acknowledged_at=a.acknowledged_at)
                for o, a in row.acknowledged
            ],
            pending=[
                ReceiptOut(organisation_id=o.id, organisation_name=o.name, acknowledged_at=None) for o in row.pending
            ],
        )
        for row in acks.status(session, project)
    ]


@router.get("/me/acknowledgements", response_model=list[MyChangeOut], summary="本单位须签收的澄清/变更")
def my_changes(
    paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = HOLDER
) -> list[MyChangeOut]:
    return [
        MyChangeOut(
            notice=notice_out(c.notice),
            project_id=c.project.id,
            project_name=c.project.name,
            acknowledged_at=c.acknowledgement.acknowledged_at if c.acknowledgement else None,
        )
        for c in paging.answer(acks.mine_page(session, principal, cursor=paging.cursor, limit=paging.limit))
    ]


@router.post(
    "/me/acknowledgements/{notice_id}", response_model=MyChangeOut, status_code=201, summary="签收澄清/变更（签收回执）"
)
def acknowledge(notice_id: Id, session: Session = SessionDep, principal: Principal = HOLDER) -> MyChangeOut:
    row = acks.acknowledge(session, principal, notice_id)
    change = next(c for c in acks.mine(session, principal) if c.notice.id == row.notice_id)
    return MyChangeOut(
        notice=notice_out(change.notice),
        project_id=change.project.id,
        project_name=change.project.name,
        acknowledged_at=row.acknowledged_at,
    )


@router.get("/tender-documents/filings", response_model=list[DocumentOut], summary="财政部门：已备案的招标文件")
def filings(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = DEPARTMENT) -> list[DocumentOut]:
    page = service.filings(session, cursor=paging.cursor, limit=paging.limit)
    return [document_out(session, project) for _doc, project in paging.answer(page)]


def opinion_out(line: opinions.OpinionLine) -> OpinionOut:
    return OpinionOut(**vars(line))


def own_opinion_out(session: Session, row) -> OpinionOut:
    call = session.get(ExpertCall, row.call_id)
    return OpinionOut(
        version=row.version,
        position=call.position,
        leaf=call.leaf,
        name=None,
        conclusion=row.conclusion,
        conclusion_label=opinions.CONCLUSIONS[row.conclusion],
        changes=json.loads(row.changes),
        remarks=row.remarks,
        submitted_at=row.submitted_at,
        sha256=row.sha256,
    )


@router.get(
    "/projects/{project_id}/tender-documents/opinions",
    response_model=list[OpinionOut],
    summary="抽取专家对招标文件的评审意见",
)
def project_opinions(project_id: Id, session: Session = SessionDep, principal: Principal = READERS) -> list[OpinionOut]:
    project = service.readable_project(session, principal, project_id)
    lines = opinions.lines(session, principal, project, service.document_of(session, project))
    return [opinion_out(line) for line in lines]


@router.get(
    "/expert/tender-reviews/{project_id}", response_model=ReviewDocumentOut, summary="评审专家阅读招标文件（只读）"
)
def review_document(project_id: Id, session: Session = SessionDep, principal: Principal = EXPERT) -> ReviewDocumentOut:
    view = opinions.review_view(session, principal, project_id)
    doc = view.document
    return ReviewDocumentOut(
        project_id=view.project.id,
        project_name=view.project.name,
        version=doc.version if doc else None,
        status_label=service.STATUS_LABELS[doc.status] if doc else None,
        sha256=doc.sha256 if doc else None,
        clauses=[ReviewClauseOut(key=k, title=t, text=x) for k, t, x in view.clauses],
        may_submit=view.may_submit,
        mine=own_opinion_out(session, view.mine) if view.mine else None,
    )


@router.post(
    "/expert/tender-reviews/{project_id}",
    response_model=OpinionOut,
    status_code=201,
    summary="评审专家提交本人对招标文件的评审意见",
)
def submit_opinion(
    project_id: Id, body: OpinionIn, session: Session = SessionDep, principal: Principal = EXPERT
) -> OpinionOut:
    row = opinions.submit(
        session,
        principal,
        project_id,
        conclusion=body.conclusion,
        changes=[opinions.Change(c.clause, c.text) for c in body.changes],
        remarks=body.remarks,
    )
    return own_opinion_out(session, row)
