"""JSON routes of disclosure governance: consultations (public reading and commenting, the office's handling),
opinion items, document attributes, local catalogs, inspections and department scores. Thin: each route
checks who may call it and hands over to the service of its use case."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, Year
from sunshine.core.pagination import PAGING, Paging
from sunshine.governance import catalogs, consultations, documents, inspections, opinions, present, scores
from sunshine.governance import schemas as s
from sunshine.governance import visibility as v

router = APIRouter(prefix="/api/v1/governance", tags=["政务公开监督管理"])
PUBLIC = Depends(Access.public())
READERS = Depends(Access(*v.READERS))
OFFICE = Depends(Access(*v.OFFICE))
ADOPTERS = Depends(Access(*v.CONSULTATION_ADOPTERS))
DISCUSSANTS = Depends(Access(*v.OPINION_DISCUSSANTS))
DRAFTERS = Depends(Access(*v.DOCUMENT_DRAFTERS))
DOC_READERS = Depends(Access(*v.DOCUMENT_READERS))
REVIEWERS = Depends(Access(*v.DOCUMENT_REVIEWERS))
CATALOG_REVIEWERS = Depends(Access(*v.CATALOG_REVIEWERS))
CLAIMANTS = Depends(Access(*v.CATALOG_CLAIMANTS))
CATALOG_READERS = Depends(Access(*v.CATALOG_READERS))
INSPECTORS = Depends(Access(*v.INSPECTORS))
CORRECTORS = Depends(Access(*v.CORRECTORS))
FINDING_READERS = Depends(Access(*v.FINDING_READERS))
SCORERS = Depends(Access(*v.SCORERS))


# --------------------------------------------------------------------------- consultations


@router.get(
    "/consultations", response_model=list[s.StaffConsultationOut | s.ConsultationOut], summary="征求意见（公开）"
)
def list_consultations(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = v.is_reader(principal)
    rows = paging.answer(consultations.listing(session, public=not staff, cursor=paging.cursor, limit=paging.limit))
    return [present.consultation(session, c, staff=staff) for c in rows]


@router.get(
    "/consultations/{consultation_id}",
    response_model=s.StaffConsultationOut | s.ConsultationOut,
    summary="征求意见事项（公开）",
)
def get_consultation(consultation_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = v.is_reader(principal)
    row = consultations.get(session, consultation_id) if staff else consultations.get_public(session, consultation_id)
    return present.consultation(session, row, staff=staff)


@router.post("/consultations", response_model=s.StaffConsultationOut, status_code=201, summary="起草征求意见稿")
def create_consultation(body: s.ConsultationIn, session: Session = SessionDep, principal: Principal = OFFICE):
    row = consultations.create(session, principal, **body.model_dump())
    return present.consultation(session, row, staff=True)


@router.post("/consultations/{consultation_id}/open", response_model=s.StaffConsultationOut, summary="公开征求意见")
def open_consultation(
    consultation_id: Id, body: s.OpenIn, session: Session = SessionDep, principal: Principal = OFFICE
):
    row = consultations.open_for_comment(session, principal, consultation_id, **body.model_dump())
    return present.consultation(session, row, staff=True)


@router.post("/consultations/{consultation_id}/comments", status_code=201, summary="提交意见（公众）")
def submit_comment(
    consultation_id: Id, body: s.CommentIn, session: Session = SessionDep, principal: Principal = PUBLIC
):
    item = consultations.comment(session, consultation_id, **body.model_dump())
    return {"id": item.id, "received_at": item.received_at, "message": "意见已收到，处理情况将随审定文本一并公布"}


@router.post("/comments/{comment_id}/answer", response_model=s.StaffCommentOut, summary="答复意见")
def answer_comment(
    comment_id: Id, body: s.AnswerCommentIn, session: Session = SessionDep, principal: Principal = OFFICE
):
    c = consultations.answer(session, principal, comment_id, handling=body.handling, answer_text=body.answer)
    row = present.consultation(session, consultations.get(session, c.consultation_id), staff=True)
    return next(x for x in row.comments if x.id == c.id)


@router.post(
    "/consultations/{consultation_id}/proceedings",
    response_model=s.ProceedingOut,
    status_code=201,
    summary="登记听证会或专家论证",
)
def add_proceeding(
    consultation_id: Id, body: s.ProceedingIn, session: Session = SessionDep, principal: Principal = ADOPTERS
):
    p = consultations.record_proceeding(session, principal, consultation_id, **body.model_dump())
    return present.consultation(session, consultations.get(session, p.consultation_id), staff=True).proceedings[-1]


@router.post("/consultations/{consultation_id}/adopt", response_model=s.StaffConsultationOut, summary="审定公布")
def adopt_consultation(
    consultation_id: Id, body: s.AdoptIn, session: Session = SessionDep, principal: Principal = ADOPTERS
):
    row = consultations.adopt(session, principal, consultation_id, **body.model_dump())
    return present.consultation(session, row, staff=True)


# --------------------------------------------------------------------------- public opinion


@router.get(
    "/opinions", response_model=list[s.StaffOpinionOut | s.OpinionOut], summary="舆情回应（公开的回应；工作人员见全部）"
)
def list_opinions(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = v.is_reader(principal)
    rows = paging.answer(opinions.listing(session, public=not staff, cursor=paging.cursor, limit=paging.limit))
    return [present.opinion(session, o, staff=staff) for o in rows]


@router.get("/opinions/{opinion_id}", response_model=s.StaffOpinionOut | s.OpinionOut, summary="舆情及回应")
def get_opinion(opinion_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = v.is_reader(principal)
    row = opinions.get(session, opinion_id) if staff else opinions.get_public(session, opinion_id)
    return present.opinion(session, row, staff=staff)


@router.post("/opinions", response_model=s.StaffOpinionOut, status_code=201, summary="登记舆情")
def register(body: s.OpinionIn, session: Session = SessionDep, principal: Principal = OFFICE):
    row = opinions.register_opinion(session, actor=principal, **body.model_dump())
    return present.opinion(session, row, staff=True)


@router.post("/opinions/{opinion_id}/assess", response_model=s.StaffOpinionOut, summary="研判风险、确定回应时限")
def assess(opinion_id: Id, body: s.AssessIn, session: Session = SessionDep, principal: Principal = OFFICE):
    return present.opinion(session, opinions.assess(session, principal, opinion_id, **body.model_dump()), staff=True)


@router.post(
    "/opinions/{opinion_id}/discussions", response_model=s.StaffOpinionOut, status_code=201, summary="登记会商"
)
def discuss(opinion_id: Id, body: s.DiscussIn, session: Session = SessionDep, principal: Principal = DISCUSSANTS):
    opinions.discuss(session, principal, opinion_id, **body.model_dump())
    return present.opinion(session, opinions.get(session, opinion_id), staff=True)


@router.post("/opinions/{opinion_id}/answer", response_model=s.StaffOpinionOut, summary="回应")
def answer_opinion(
    opinion_id: Id, body: s.OpinionAnswerIn, session: Session = SessionDep, principal: Principal = OFFICE
):
    return present.opinion(session, opinions.answer(session, principal, opinion_id, **body.model_dump()), staff=True)


@router.post("/opinions/{opinion_id}/evaluate", response_model=s.StaffOpinionOut, summary="回应效果评估")
def evaluate(opinion_id: Id, body: s.EvaluateIn, session: Session = SessionDep, principal: Principal = OFFICE):
    return present.opinion(session, opinions.evaluate(session, principal, opinion_id, **body.model_dump()), staff=True)


# --------------------------------------------------------------------------- documents


@router.get("/documents", response_model=list[s.DocumentOut], summary="公文及其公开属性")
def list_documents(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = DOC_READERS):
    return [
        present.document(d) for d in paging.answer(documents.listing(session, cursor=paging.cursor, limit=paging.limit))
    ]


@router.post("/documents", response_model=s.DocumentOut, status_code=201, summary="拟稿（确定公开属性）")
def draft_document(body: s.DocumentIn, session: Session = SessionDep, principal: Principal = DRAFTERS):
    return present.document(documents.draft(session, principal, **body.model_dump()))


@router.post("/documents/{document_id}/issue", response_model=s.DocumentOut, summary="审核公开属性并印发")
def issue_document(document_id: Id, body: s.IssueIn, session: Session = SessionDep, principal: Principal = REVIEWERS):
    return present.document(documents.issue(session, principal, document_id, **body.model_dump()))


# --------------------------------------------------------------------------- catalogs


@router.get("/catalogs", response_model=list[s.CatalogOut], summary="本地公开事项目录（公开：复核通过的）")
def list_catalogs(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = principal.has(*v.CATALOG_READERS)
    rows = paging.answer(catalogs.listing(session, public=not staff, cursor=paging.cursor, limit=paging.limit))
    return [present.catalog(session, c) for c in rows]


@router.get("/catalogs/{catalog_id}", response_model=s.CatalogOut, summary="本地公开事项目录")
def get_catalog(catalog_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = principal.has(*v.CATALOG_READERS)
    row = catalogs.get(session, catalog_id) if staff else catalogs.get_public(session, catalog_id)
    return present.catalog(session, row)


@router.post("/catalogs", response_model=s.CatalogOut, status_code=201, summary="依据标准目录编制本地目录")
def derive_catalog(body: s.CatalogIn, session: Session = SessionDep, principal: Principal = OFFICE):
    return present.catalog(session, catalogs.derive(session, principal, **body.model_dump()))


@router.post("/catalog-entries/{entry_id}", response_model=s.CatalogOut, summary="保留、调整或不适用（写明理由）")
def adapt_entry(entry_id: Id, body: s.EntryAdaptIn, session: Session = SessionDep, principal: Principal = OFFICE):
    row = catalogs.adapt(session, principal, entry_id, **body.model_dump())
    return present.catalog(session, catalogs.get(session, row.catalog_id))


@router.post("/catalogs/{catalog_id}/entries", response_model=s.CatalogOut, status_code=201, summary="新增本地事项")
def add_entry(catalog_id: Id, body: s.EntryAddIn, session: Session = SessionDep, principal: Principal = OFFICE):
    catalogs.add(session, principal, catalog_id, **body.model_dump())
    return present.catalog(session, catalogs.get(session, catalog_id))


@router.post("/catalogs/{catalog_id}/submit", response_model=s.CatalogOut, summary="报送复核")
def submit_catalog(catalog_id: Id, session: Session = SessionDep, principal: Principal = OFFICE):
    return present.catalog(session, catalogs.submit(session, principal, catalog_id))


@router.post("/catalogs/{catalog_id}/review", response_model=s.CatalogOut, summary="复核（政务办）")
def review_catalog(
    catalog_id: Id, body: s.ReviewIn, session: Session = SessionDep, principal: Principal = CATALOG_REVIEWERS
):
    return present.catalog(session, catalogs.review(session, principal, catalog_id, **body.model_dump()))


@router.post("/catalog-entries/{entry_id}/claim", response_model=s.CatalogOut, summary="领取公开事项（部门）")
def claim_entry(entry_id: Id, session: Session = SessionDep, principal: Principal = CLAIMANTS):
    row = catalogs.claim(session, principal, entry_id)
    return present.catalog(session, catalogs.get(session, row.catalog_id))


@router.post("/catalogs/{catalog_id}/flag-unclaimed", response_model=s.CatalogOut, summary="清点未领取事项并预警")
def flag_unclaimed(catalog_id: Id, session: Session = SessionDep, principal: Principal = OFFICE):
    catalogs.flag_unclaimed(session, principal, catalog_id)
    return present.catalog(session, catalogs.get(session, catalog_id))


# --------------------------------------------------------------------------- inspections


@router.get("/inspections", response_model=list[s.InspectionOut], summary="政务公开检查（公开：已公布的）")
def list_inspections(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = principal.has(*v.FINDING_READERS)
    rows = paging.answer(inspections.listing(session, public=not staff, cursor=paging.cursor, limit=paging.limit))
    return [present.inspection(session, i) for i in rows]


@router.get("/inspections/{inspection_id}", response_model=s.InspectionOut, summary="检查及整改情况")
def get_inspection(inspection_id: Id, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = principal.has(*v.FINDING_READERS)
    row = inspections.get(session, inspection_id) if staff else inspections.get_public(session, inspection_id)
    return present.inspection(session, row)


@router.post("/inspections", response_model=s.InspectionOut, status_code=201, summary="开展检查")
def start_inspection(body: s.InspectionIn, session: Session = SessionDep, principal: Principal = INSPECTORS):
    return present.inspection(session, inspections.start(session, principal, **body.model_dump()))


@router.post("/inspected-items/{item_id}/check", response_model=s.InspectionOut, summary="样本检查无问题")
def check_item(item_id: Id, session: Session = SessionDep, principal: Principal = INSPECTORS):
    item = inspections.check(session, principal, item_id)
    return present.inspection(session, inspections.get(session, item.inspection_id))


@router.post(
    "/inspected-items/{item_id}/findings", response_model=s.InspectionOut, status_code=201, summary="登记检查发现"
)
def add_finding(item_id: Id, body: s.FindIn, session: Session = SessionDep, principal: Principal = INSPECTORS):
    f = inspections.find(session, principal, item_id, **body.model_dump())
    return present.inspection(session, inspections.get(session, f.inspection_id))


@router.post("/inspections/{inspection_id}/close", response_model=s.InspectionOut, summary="检查完成（可同时公布）")
def close_inspection(
    inspection_id: Id, body: s.CloseIn, session: Session = SessionDep, principal: Principal = INSPECTORS
):
    return present.inspection(session, inspections.close(session, principal, inspection_id, publish=body.publish))


@router.get("/findings", response_model=list[s.FindingOut], summary="检查发现（部门见本部门的）")
def list_findings(paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = FINDING_READERS):
    org = None if v.is_reader(principal) else principal.organisation_id
    if org is None and not v.is_reader(principal):
        return []  # a department's findings; an account of no department has none
    rows = paging.answer(
        inspections.findings_for(session, department_org_id=org, cursor=paging.cursor, limit=paging.limit)
    )
    return [present.finding(f, scores.names(session, {f.department_org_id for f in rows})) for f in rows]


@router.post("/findings/{finding_id}/correct", response_model=s.FindingOut, summary="报告整改情况（责任部门）")
def correct_finding(
    finding_id: Id, body: s.CorrectIn, session: Session = SessionDep, principal: Principal = CORRECTORS
):
    f = inspections.correct(session, principal, finding_id, correction=body.correction)
    return present.finding(f, scores.names(session, {f.department_org_id}))


# --------------------------------------------------------------------------- scores


@router.get("/scores/{year}", response_model=list[s.ScoreOut], summary="部门考核结果（公开：已公布的）")
def get_scores(year: Year, session: Session = SessionDep, principal: Principal = PUBLIC):
    staff = v.is_reader(principal)
    return present.scores(session, scores.of_year(session, year, published_only=not staff))


@router.post("/scores/{year}/compute", response_model=list[s.ScoreOut], summary="计算考核结果（政务办）")
def compute_scores(year: Year, session: Session = SessionDep, principal: Principal = SCORERS):
    return present.scores(session, scores.compute(session, principal, year))


@router.post("/scores/{year}/publish", response_model=list[s.ScoreOut], summary="公布考核结果（政务办）")
def publish_scores(year: Year, session: Session = SessionDep, principal: Principal = SCORERS):
    return present.scores(session, scores.publish(session, principal, year))
