"""The governance records as the API and the pages read them: codes turned into their Chinese labels, the
public reading without commenters' names or contacts, department names looked up once per answer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.governance import catalogs, common, consultations, inspections, opinions
from sunshine.governance import schemas as s
from sunshine.governance.models import GovCatalog, GovConsultation, GovDocument, GovInspection, GovOpinion, GovScore
from sunshine.governance.scores import findings_summary, names


def consultation(session: Session, row: GovConsultation, *, staff: bool) -> s.ConsultationOut:
    out = s.StaffConsultationOut if staff else s.ConsultationOut
    shape = s.StaffCommentOut if staff else s.CommentOut
    comments = []
    for c in consultations.comments_of(session, row.id):
        base = dict(
            id=c.id,
            received_at=c.received_at,
            channel_label=common.COMMENT_CHANNELS[c.channel],
            text=c.public_body,
            handling=c.handling,
            handling_label=common.HANDLINGS.get(c.handling) if c.handling else None,
            answer=c.answer,
        )
        if staff:
            base.update(name=c.commenter_name, contact=c.commenter_contact, original=c.body)
        comments.append(shape(**base))
    return out(
        id=row.id,
        code=row.code,
        title=row.title,
        kind=row.kind,
        kind_label=common.CONSULTATION_KINDS[row.kind],
        status=row.status,
        status_label=common.CONSULTATION_STATUSES[row.status],
        draft_text=row.draft_text,
        explanation=row.explanation,
        opens_on=row.opens_on,
        closes_on=row.closes_on,
        period_days=row.period_days,
        minimum_days=row.minimum_days,
        shortened_reason=row.shortened_reason,
        adopted_text=row.adopted_text,
        adopted_on=row.adopted_on,
        summary=row.summary,
        tally=consultations.tally(session, row.id),
        comments=comments,
        proceedings=[
            s.ProceedingOut(
                kind_label=common.PROCEEDING_KINDS[p.kind],
                held_on=p.held_on,
                place=p.place,
                participants=p.participants,
                conclusion=p.conclusion,
            )
            for p in consultations.proceedings_of(session, row.id)
        ],
    )


def opinion(session: Session, row: GovOpinion, *, staff: bool) -> s.OpinionOut:
    base = dict(
        id=row.id,
        code=row.code,
        title=row.title,
        source_label=common.OPINION_SOURCES[row.source],
        received_on=row.received_on,
        status=row.status,
        status_label=common.OPINION_STATUSES[row.status],
        risk_label=common.RISKS.get(row.risk) if row.risk else None,
        limit=(f"{row.limit_days}{'个工作日' if row.limit_unit == 'working' else '日'}" if row.limit_days else None),
        due=row.due,
        answered_on=row.answered_on,
        answer=row.answer if (staff or row.answer_public) else None,
        late=row.late,
        delay_days=row.delay_days,
        effect_label=common.EFFECTS.get(row.effect) if row.effect else None,
    )
    if not staff:
        return s.OpinionOut(**base)
    return s.StaffOpinionOut(
        **base,
        source=row.source,
        source_ref=row.source_ref,
        content=row.content,
        outlet=row.outlet,
        risk_note=row.risk_note,
        rule_ref=row.rule_ref,
        evaluation=row.evaluation,
        discussions=[
            {"held_on": d.held_on.isoformat(), "bodies": d.bodies, "conclusion": d.conclusion}
            for d in opinions.discussions_of(session, row.id)
        ],
    )


def document(row: GovDocument) -> s.DocumentOut:
    return s.DocumentOut(
        id=row.id,
        title=row.title,
        doc_number=row.doc_number,
        status_label=common.DOCUMENT_STATUSES[row.status],
        attribute_label=common.ATTRIBUTES[row.attribute],
        attribute_reason=row.attribute_reason,
        final_attribute_label=common.ATTRIBUTES.get(row.final_attribute) if row.final_attribute else None,
        review_note=row.review_note,
        issued_on=row.issued_on,
        item_code=row.item_code,
        publication_id=row.publication_id,
        obligation_id=row.obligation_id,
    )


def catalog(session: Session, row: GovCatalog) -> s.CatalogOut:
    entries = catalogs.entries_of(session, row.id)
    orgs = names(session, {e.claimed_by_org_id for e in entries})
    flagged = catalogs.flagged_ids(session, row.id)
    return s.CatalogOut(
        id=row.id,
        name=row.name,
        region_code=row.region_code,
        scope=row.scope,
        status=row.status,
        status_label=common.CATALOG_STATUSES[row.status],
        review_note=row.review_note,
        entries=[
            s.EntryOut(
                id=e.id,
                code=e.code,
                base_code=e.base_code,
                disposition_label=common.DISPOSITIONS[e.disposition],
                name=e.name,
                content=e.content,
                reason=e.reason,
                claimed_by=orgs.get(e.claimed_by_org_id) if e.claimed_by_org_id else None,
                flagged=e.id in flagged,
            )
            for e in entries
        ],
    )


def inspection(session: Session, row: GovInspection) -> s.InspectionOut:
    items = inspections.items_of(session, row.id)
    found = inspections.findings_of(session, row.id)
    orgs = names(session, {i.department_org_id for i in items} | {f.department_org_id for f in found})
    return s.InspectionOut(
        id=row.id,
        code=row.code,
        method_label=common.METHODS[row.method],
        inspector_label=common.INSPECTOR_ROLES[row.inspector_role],
        title=row.title,
        scope=row.scope,
        sample_seed=row.sample_seed,
        period_from=row.period_from,
        period_to=row.period_to,
        inspected_on=row.inspected_on,
        status_label=common.INSPECTION_STATUSES[row.status],
        published=row.published,
        items=[
            {
                "id": i.id,
                "publication_id": i.publication_id,
                "department": orgs.get(i.department_org_id),
                "checked": i.checked,
            }
            for i in items
        ],
        findings=[finding(f, orgs) for f in found],
    )


def finding(f, orgs: dict[int, str]) -> s.FindingOut:
    return s.FindingOut(
        id=f.id,
        publication_id=f.publication_id,
        department=orgs.get(f.department_org_id),
        aspect_label=common.ASPECTS[f.aspect],
        description=f.description,
        found_on=f.found_on,
        due=f.due,
        status_label=common.FINDING_STATUSES[f.status],
        correction=f.correction,
        corrected_on=f.corrected_on,
        late=f.late,
        delay_days=f.delay_days,
    )


def scores(session: Session, rows: list[GovScore]) -> list[s.ScoreOut]:
    orgs = names(session, {r.department_org_id for r in rows})
    return [
        s.ScoreOut(
            department_org_id=r.department_org_id,
            department=orgs.get(r.department_org_id, "—"),
            year=r.year,
            method_version=r.method_version,
            timeliness_rate=r.timeliness_rate,
            counted=r.counted,
            findings=findings_summary(r),
            score=r.score,
            published_at=r.published_at,
        )
        for r in rows
    ]
