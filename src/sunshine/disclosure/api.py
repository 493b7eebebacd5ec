"""JSON routes of disclosure: the catalog and its revisions, obligations and alerts (staff), publications
(public texts and tombstones; the review actions for the disclosure office and centre staff), the negative list
(disclosure office) and the compliance figures (public). Thin: every rule is in the services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import Id, IsoDate
from sunshine.core.pagination import CURSOR, LIMIT, PAGING, Paging
from sunshine.disclosure import catalog_service, compliance, negative_list, obligations, publications, visibility, vocab
from sunshine.disclosure.detectors import DETECTOR_LABELS
from sunshine.disclosure.models import CatalogCategory, CatalogItem, Obligation, Publication
from sunshine.disclosure.schemas import (
    AlertOut,
    ApproveIn,
    CategoryOut,
    DismissIn,
    FindingOut,
    ItemOut,
    ItemRevisionIn,
    NegativeTermIn,
    NegativeTermOut,
    ObligationIn,
    ObligationOut,
    PublicationEditIn,
    PublicationIn,
    PublicationListOut,
    PublicationOut,
    ReasonIn,
    RedactIn,
    RevisionOut,
    ScopeOut,
)
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/disclosure", tags=["政务公开"])
PUBLIC = Depends(Access.public())
STAFF = Depends(Access(Role.ADMIN, Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR))
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))
REVIEWERS = Depends(Access(*visibility.REVIEWERS))


# --------------------------------------------------------------------------- presenters


def item_out(
    session: Session,
    item: CatalogItem,
    limits: catalog_service.Limits,
    categories: dict[int, CatalogCategory],
    *,
    with_revisions: bool = False,
) -> ItemOut:
    scope = categories[item.category_id]
    top = categories.get(scope.parent_id, scope) if scope.parent_id else scope
    limit = limits.of(item.time_limit_ref)
    revisions = None
    if with_revisions:
        revisions = [
            RevisionOut(
                effective_from=r.effective_from,
                reason=r.reason,
                before=r.before,
                after=r.after,
                created_at=r.created_at,
                applied_at=r.applied_at,
                ledger_seq=r.ledger_seq,
            )
            for r in catalog_service.revisions_of(session, item)
        ]
    return ItemOut(
        code=item.code,
        name=item.name,
        level1=top.name,
        level2=scope.name,
        content=item.content,
        legal_basis=item.legal_basis,
        time_limit_ref=item.time_limit_ref,
        time_limit=limit.text,
        time_limit_basis=limit.basis_text,
        responsible_body=item.responsible_body,
        channels=item.channels,
        audience=item.audience,
        mode=item.mode,
        five_category=item.five_category,
        levels=item.levels,
        trigger=item.trigger,
        methods=item.methods,
        condition=item.condition,
        version=item.version,
        effective_from=item.effective_from,
        url=f"/disclosure/catalog/items/{item.code}",
        revisions=revisions,
    )


def _categories(session: Session) -> dict[int, CatalogCategory]:
    return {c.id: c for c in session.scalars(select(CatalogCategory))}


def obligation_out(o: Obligation, names: dict[int, str]) -> ObligationOut:
    return ObligationOut(
        id=o.id,
        item_code=o.item.code,
        item_name=o.item.name,
        trigger=o.trigger,
        subject=o.subject,
        title=o.title,
        project_id=o.project_id,
        responsible_org_id=o.responsible_org_id,
        responsible=names.get(o.responsible_org_id, o.item.responsible_body)
        if o.responsible_org_id
        else o.item.responsible_body,
        event_date=o.event_date,
        due=o.due,
        provisional=o.provisional,
        rule_ref=o.rule_ref,
        status=o.status,
        status_label=vocab.OBLIGATION_STATUS[o.status],
        met_on=o.met_on,
        late=o.late,
        delay_working_days=o.delay_days,
        ledger_seq=o.ledger_seq,
    )


def publication_out(pub: Publication, viewer: Principal) -> PublicationOut:
    reviewer = visibility.can_review(viewer)
    return PublicationOut(
        id=pub.id,
        item_code=pub.item.code,
        item_name=pub.item.name,
        subject=pub.subject,
        title=pub.title,
        status=pub.status,
        status_label=vocab.PUBLICATION_STATUS[pub.status],
        body=None if pub.status == "withdrawn" and not reviewer else pub.body,
        body_format=pub.body_format,
        obligation_id=pub.obligation_id,
        source_ref=pub.source_ref,
        review_mode=pub.review_mode,
        published_at=pub.published_at,
        channels=pub.channels,
        body_sha256=pub.body_sha256,
        ledger_seq=pub.ledger_seq,
        proof_url=f"/api/v1/ledger/entries/{pub.ledger_seq}/proof" if pub.ledger_seq is not None else None,
        withdrawn_at=pub.withdrawn_at,
        withdrawal_reason=pub.withdrawal_reason,
        held=publications.is_held(pub),
        findings=[
            FindingOut(
                id=f.id,
                detector=f.detector,
                label=DETECTOR_LABELS[f.detector],
                part=f.part,
                masked=f.masked,
                status=f.status,
                note=f.note,
            )
            for f in pub.findings
        ]
        if reviewer
        else None,
    )


# --------------------------------------------------------------------------- catalog


@router.get("/catalog", response_model=list[CategoryOut], summary="公开事项目录（三级）")
def catalog(session: Session = SessionDep, _: Principal = PUBLIC) -> list[CategoryOut]:
    limits, categories = catalog_service.Limits(session), _categories(session)
    return [
        CategoryOut(
            code=branch.category.code,
            name=branch.category.name,
            transaction_type=branch.category.transaction_type,
            scopes=[
                ScopeOut(
                    code=scope.category.code,
                    name=scope.category.name,
                    items=[item_out(session, i, limits, categories) for i in scope.items],
                )
                for scope in branch.children
            ],
        )
        for branch in catalog_service.tree(session)
    ]


@router.get("/catalog/items/{item_code}", response_model=ItemOut, summary="公开事项详情（含修订记录）")
def catalog_item(item_code: str, session: Session = SessionDep, _: Principal = PUBLIC) -> ItemOut:
    item = catalog_service.get_item(session, item_code)
    return item_out(session, item, catalog_service.Limits(session), _categories(session), with_revisions=True)


@router.put("/catalog/items/{item_code}", response_model=ItemOut, summary="修订公开事项（政务公开办）")
def revise_item(
    item_code: str, body: ItemRevisionIn, session: Session = SessionDep, actor: Principal = OFFICE
) -> ItemOut:
    catalog_service.revise_item(
        session, actor, item_code, body.changes(), effective_from=body.effective_from, reason=body.reason
    )
    item = catalog_service.get_item(session, item_code)
    return item_out(session, item, catalog_service.Limits(session), _categories(session), with_revisions=True)


# --------------------------------------------------------------------------- obligations and alerts


@router.get("/obligations", response_model=list[ObligationOut], summary="公开义务（工作人员）")
def list_obligations(
    item_code: str | None = Query(None, max_length=20),
    organisation_id: Id | None = Query(None),
    month: str | None = Query(None, pattern=r"^\d{4}-\d{2}$"),
    status: str | None = Query(None, max_length=20),
    project_id: Id | None = Query(None),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = STAFF,
) -> list[ObligationOut]:
    page = obligations.list_obligations(
        session,
        obligations.ObligationFilter(item_code, organisation_id, month, status, project_id),
        cursor=paging.cursor,
        limit=paging.limit,
    )
    rows = paging.answer(page)
    names = obligations.organisation_names(session, {o.responsible_org_id for o in rows})
    return [obligation_out(o, names) for o in rows]


@router.post("/obligations", response_model=ObligationOut, status_code=201, summary="登记公开义务（中心自身事务等）")
def declare_obligation(
    body: ObligationIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> ObligationOut:
    row = obligations.declare(
        session,
        actor,
        item_code=body.item_code,
        title=body.title,
        event_date=body.event_date,
        responsible_org_id=body.responsible_org_id,
    )
    row = obligations.get_obligation(session, row.id)
    return obligation_out(row, obligations.organisation_names(session, {row.responsible_org_id}))


@router.get("/alerts", response_model=list[AlertOut], summary="逾期未公开预警（工作人员）")
def alerts(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = STAFF) -> list[AlertOut]:
    return [
        AlertOut(
            id=a.id,
            kind=a.kind,
            obligation_id=a.subject_id,
            organisation_id=a.organisation_id,
            message=a.message,
            created_at=a.created_at,
        )
        for a in paging.answer(obligations.alert_page(session, cursor=paging.cursor, limit=paging.limit))
    ]


# --------------------------------------------------------------------------- publications


@router.get("/publications", response_model=PublicationListOut, summary="已公开信息及撤回记录")
def list_publications(
    item_code: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=100),
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    viewer: Principal = PUBLIC,
) -> PublicationListOut:
    result = publications.list_public(session, item_code=item_code, q=q, cursor=cursor, limit=limit)
    return PublicationListOut(
        items=[publication_out(p, viewer) for p in result.items],
        next_cursor=result.next_cursor,
        total=result.total or 0,
        total_exact=result.total_exact,
        page=result.number,
        pages=result.pages,
    )


@router.get("/review-queue", response_model=list[PublicationOut], summary="保密审查队列")
def review_queue(
    paging: Paging = PAGING, session: Session = SessionDep, viewer: Principal = REVIEWERS
) -> list[PublicationOut]:
    page = publications.review_page(session, cursor=paging.cursor, limit=paging.limit)
    return [publication_out(p, viewer) for p in paging.answer(page)]


@router.get("/publications/{publication_id}", response_model=PublicationOut, summary="公开信息详情或撤回记录")
def get_publication(publication_id: Id, session: Session = SessionDep, viewer: Principal = PUBLIC) -> PublicationOut:
    return publication_out(publications.get_visible(session, viewer, publication_id), viewer)


@router.post("/publications", response_model=PublicationOut, status_code=201, summary="起草公开信息")
def create_publication(
    body: PublicationIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    pub = publications.create_draft(
        session,
        actor,
        title=body.title,
        body=body.body,
        item_code=body.item_code,
        obligation_id=body.obligation_id,
        submit=body.submit,
    )
    return publication_out(pub, actor)


@router.put("/publications/{publication_id}", response_model=PublicationOut, summary="修改草稿")
def edit_publication(
    publication_id: Id, body: PublicationEditIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    return publication_out(
        publications.edit_draft(session, actor, publication_id, title=body.title, body=body.body), actor
    )


@router.post("/publications/{publication_id}/submit", response_model=PublicationOut, summary="送保密审查")
def submit_publication(
    publication_id: Id, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    return publication_out(publications.submit_for_review(session, actor, publication_id), actor)


@router.post("/publications/{publication_id}/redact", response_model=PublicationOut, summary="遮蔽审查发现")
def redact_publication(
    publication_id: Id, body: RedactIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    return publication_out(publications.redact(session, actor, publication_id, body.finding_ids), actor)


@router.post(
    "/publications/{publication_id}/findings/{finding_id}/dismiss",
    response_model=PublicationOut,
    summary="确认审查发现无需遮蔽",
)
def dismiss_finding(
    publication_id: Id, finding_id: Id, body: DismissIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    return publication_out(publications.dismiss(session, actor, publication_id, finding_id, note=body.note), actor)


@router.post("/publications/{publication_id}/approve", response_model=PublicationOut, summary="审查通过并发布")
def approve_publication(
    publication_id: Id, body: ApproveIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    pub = publications.approve(session, actor, publication_id, optional_channels=body.optional_channels)
    return publication_out(pub, actor)


@router.post("/publications/{publication_id}/withdraw", response_model=PublicationOut, summary="撤回（保留撤回记录）")
def withdraw_publication(
    publication_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = REVIEWERS
) -> PublicationOut:
    publications.withdraw(session, actor, publication_id, reason=body.reason)
    return publication_out(publications.get_visible(session, actor, publication_id), actor)


# --------------------------------------------------------------------------- negative list


@router.get("/negative-list", response_model=list[NegativeTermOut], summary="负面清单（政务公开办）")
def negative_terms(session: Session = SessionDep, _: Principal = OFFICE) -> list[NegativeTermOut]:
    return [
        NegativeTermOut(id=t.id, term=t.term, reason=t.reason, added_at=t.added_at)
        for t in negative_list.active(session)
    ]


@router.post("/negative-list", response_model=NegativeTermOut, status_code=201, summary="列入负面清单")
def add_negative_term(
    body: NegativeTermIn, session: Session = SessionDep, actor: Principal = OFFICE
) -> NegativeTermOut:
    t = negative_list.add(session, actor, term=body.term, reason=body.reason)
    return NegativeTermOut(id=t.id, term=t.term, reason=t.reason, added_at=t.added_at)


@router.delete("/negative-list/{term_id}", status_code=204, summary="移出负面清单")
def remove_negative_term(
    term_id: Id,
    reason: str = Query(..., min_length=2, max_length=500),
    session: Session = SessionDep,
    actor: Principal = OFFICE,
) -> None:
    negative_list.remove(session, actor, term_id, reason=reason)


# --------------------------------------------------------------------------- compliance


@router.get("/compliance", summary="公开时效：按时公开率、逾期清单、延迟中位数")
def compliance_figures(
    since: IsoDate | None = Query(None, description="到期日起（含）"),
    until: IsoDate | None = Query(None, description="到期日止（含）"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> dict[str, Any]:
    return compliance.dashboard(session, since=since, until=until).as_dict()
