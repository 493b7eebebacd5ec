"""JSON routes of the expert pool under ``/api/v1/experts``: the specialty tree, public statistics and published
texts; applications (self-service, by the employer), their review and approval; the pool list and each record;
leave, conflicts, training, contact (the expert or staff); sanctions, removal, evaluation, re-appointment."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import NotFound
from sunshine.core.inputs import Id
from sunshine.core.pagination import CURSOR, LIMIT, PAGING, Paging
from sunshine.experts import admission, codes, publish, queries, records, service, specialties, visibility
from sunshine.experts.models import STATUS_LABELS, Expert, ExpertApplication, ExpertConflict, ExpertLeave
from sunshine.experts.schemas import (
    ApplicationOut,
    CheckOut,
    ConflictIn,
    ConflictOut,
    ContactIn,
    DecisionIn,
    EmployerApplicationIn,
    EvaluationIn,
    EvaluationOut,
    ExpertBrief,
    ExpertOut,
    ExpertPage,
    LeaveIn,
    LeaveOut,
    PublishedOut,
    PublishEvaluationsIn,
    ReappointIn,
    ReasonIn,
    ReviewIn,
    SanctionIn,
    SanctionOut,
    SelfApplicationIn,
    SpecialtyCountOut,
    SpecialtyIn,
    SpecialtyOut,
    StatisticsOut,
    TrainingIn,
    TrainingOut,
    TreeNodeOut,
)
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/experts", tags=["评标专家库"])
PUBLIC = Depends(Access.public())
SIGNED_IN = Depends(Access.signed_in())
EMPLOYER = Depends(Access(Role.ENTERPRISE_ADMIN))
QUEUE_READERS = Depends(Access(*codes.REVIEWERS, *codes.APPROVERS))
REVIEWER = Depends(Access(*codes.REVIEWERS))
APPROVER = Depends(Access(*codes.APPROVERS))
POOL_READERS = Depends(Access(*codes.POOL_READERS))
SANCTIONERS = Depends(Access(*codes.SANCTIONERS))
MANAGERS = Depends(Access(*codes.MANAGERS))
TREE_EDITORS = Depends(Access(*codes.TREE_EDITORS))
Text = Annotated[str, Query(max_length=50)]


# --------------------------------------------------------------------------- shaping


def application_out(session: Session, actor: Principal, app: ExpertApplication) -> ApplicationOut:
    names = specialties.labels(session)
    codes_ = admission.unpadded(app.specialties)
    personal = visibility.sees_personal(actor, app)
    found = json.loads(app.checks or "[]")
    if app.state == "submitted" and actor.has(*codes.REVIEWERS):
        found = [c.__dict__ for c in admission.checks(session, app)]
    return ApplicationOut(
        id=app.id,
        code=app.code,
        state=app.state,
        state_label=codes.APPLICATION_STATES[app.state],
        channel_label=codes.CHANNELS[app.channel],
        name=app.name,
        employer=session.get(Organisation, app.employer_organisation_id).name,
        title=app.title,
        title_level_label=codes.TITLE_LEVELS[app.title_level],
        practice_since=app.practice_since,
        specialties=codes_,
        specialty_labels=[names.get(c, c) for c in codes_],
        regions=admission.unpadded(app.regions),
        submitted_at=app.submitted_at,
        review_note=app.review_note,
        decision_note=app.decision_note,
        checks=[CheckOut(**{k: c.get(k, "") for k in CheckOut.model_fields}) for c in found],
        date_of_birth=app.date_of_birth if personal else None,
        mobile=app.mobile if personal else None,
        id_number=app.id_number if personal else None,
        email=app.email if personal else None,
    )


def _brief_values(expert: Expert, employer: str, held: list, names: dict[str, str]) -> dict:
    return {
        "id": expert.id,
        "code": expert.code,
        "name": expert.name,
        "employer": employer,
        "title": expert.title,
        "title_level_label": codes.TITLE_LEVELS[expert.title_level],
        "status": expert.status,
        "status_label": STATUS_LABELS[expert.status],
        "term_ends_on": expert.term_ends_on,
        "specialties": [
            SpecialtyOut(code=s.specialty_code, name=names.get(s.specialty_code, s.specialty_code), is_main=s.is_main)
            for s in held
        ],
        "is_demo": expert.is_demo,
    }


def expert_out(session: Session, actor: Principal, expert: Expert) -> ExpertOut:
    names = specialties.labels(session)
    held = queries.specialties_of(session, [expert.id])[expert.id]
    employer = session.get(Organisation, expert.employer_organisation_id)
    personal = visibility.sees_personal(actor, expert)
    return ExpertOut(
        **_brief_values(expert, employer.name, held, names),
        employer_organisation_id=expert.employer_organisation_id,
        practice_since=expert.practice_since,
        education_label=codes.EDUCATION.get(expert.education, ""),
        regions=admission.unpadded(expert.regions),
        admitted_on=expert.admitted_on,
        term_starts_on=expert.term_starts_on,
        removed_on=expert.removed_on,
        removed_reason=expert.removed_reason,
        leaves=[
            LeaveOut(
                id=x.id, starts_on=x.starts_on, ends_on=x.ends_on, reason=x.reason, cancelled=x.cancelled_at is not None
            )
            for x in records.leaves_of(session, expert.id)
        ],
        conflicts=[
            ConflictOut(
                id=c.id,
                organisation_id=o.id,
                organisation=o.name,
                relation_label=codes.CONFLICT_RELATIONS[c.relation],
                note=c.note,
                withdrawn=c.withdrawn_at is not None,
            )
            for c, o in records.conflicts_of(session, expert.id)
        ],
        sanctions=[
            SanctionOut(
                id=s.id,
                kind=s.kind,
                kind_label=codes.SANCTION_KINDS[s.kind],
                starts_on=s.starts_on,
                ends_on=s.ends_on,
                reason=s.basis,
                decision_no=s.decision_no,
                lifted=s.lifted_at is not None,
            )
            for s in records.sanctions_of(session, expert.id)
        ],
        trainings=[
            TrainingOut(
                id=t.id,
                title=t.title,
                organiser=t.organiser,
                held_on=t.held_on,
                hours=t.hours,
                passed=t.passed,
                certificate_no=t.certificate_no,
                self_reported=t.recorded_by == expert.user_id,
            )
            for t in records.trainings_of(session, expert.id)
        ],
        evaluations=[
            EvaluationOut(
                id=e.id,
                period=e.period,
                score=e.score,
                grade=e.grade,
                grade_label=codes.GRADES[e.grade],
                notes=e.notes,
                published=e.published_at is not None,
            )
            for e in records.evaluations_of(session, expert.id)
        ],
        date_of_birth=expert.date_of_birth if personal else None,
        mobile=expert.mobile if personal else None,
        id_number=expert.id_number if personal else None,
        email=expert.email if personal else None,
    )


def _tree_out(node: specialties.Node) -> TreeNodeOut:
    return TreeNodeOut(
        code=node.code,
        name=node.name,
        parent=node.parent,
        source=node.source_label,
        children=[_tree_out(c) for c in node.children],
    )


# --------------------------------------------------------------------------- public


@router.get("/specialties", response_model=list[TreeNodeOut], summary="评标专业分类（树）")
def specialty_tree(session: Session = SessionDep, _: Principal = PUBLIC) -> list[TreeNodeOut]:
    return [_tree_out(n) for n in specialties.roots(session)]


@router.post("/specialties", response_model=TreeNodeOut, status_code=201, summary="增加下级评标专业")
def add_specialty(body: SpecialtyIn, session: Session = SessionDep, actor: Principal = TREE_EDITORS) -> TreeNodeOut:
    row = specialties.add_child(session, actor, parent_code=body.parent_code, name=body.name, note=body.note)
    return TreeNodeOut(code=row.code, name=row.name, parent=row.parent_code, source="本中心增加")


@router.get("/statistics", response_model=StatisticsOut, summary="专家库统计（按专业、按状态，不含姓名）")
def statistics(session: Session = SessionDep, _: Principal = PUBLIC) -> StatisticsOut:
    rows, by_status = queries.statistics(session)
    return StatisticsOut(
        by_specialty=[SpecialtyCountOut(**r.__dict__) for r in rows],
        by_status=by_status,
        tree_version=specialties.shipped().version,
    )


@router.get("/published", response_model=list[PublishedOut], summary="已公开的入库、考核评价、清退公告")
def published(paging: Paging = PAGING, session: Session = SessionDep, _: Principal = PUBLIC) -> list[PublishedOut]:
    return [
        PublishedOut(
            publication_id=p.id,
            kind=kind,
            title=p.title,
            published_at=p.published_at,
            withdrawn=p.status == "withdrawn",
        )
        for p, kind in paging.answer(publish.published(session, cursor=paging.cursor, limit=paging.limit))
    ]


# --------------------------------------------------------------------------- applications


@router.post("/applications", response_model=ApplicationOut, status_code=201, summary="申请入库（本人）")
def apply_self(body: SelfApplicationIn, session: Session = SessionDep, actor: Principal = PUBLIC) -> ApplicationOut:
    app = admission.apply_self(
        session,
        actor,
        facts=body.facts(),
        employer_credit_code=body.employer_credit_code,
        username=body.username,
        password=body.password,
    )
    return application_out(session, actor if actor.is_authenticated else Principal(user_id=app.user_id), app)


@router.post(
    "/employer-applications", response_model=ApplicationOut, status_code=201, summary="推荐本单位人员入库（单位管理员）"
)
def apply_by_employer(
    body: EmployerApplicationIn, session: Session = SessionDep, actor: Principal = EMPLOYER
) -> ApplicationOut:
    app = admission.apply_by_employer(
        session, actor, facts=body.facts(), username=body.username, password=body.password
    )
    return application_out(session, actor, app)


@router.get("/employer-applications", response_model=list[ApplicationOut], summary="本单位推荐的入库申请")
def employer_applications(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = EMPLOYER
) -> list[ApplicationOut]:
    if actor.organisation_id is None:
        return []
    page = queries.applications_by_employer(session, actor.organisation_id, cursor=paging.cursor, limit=paging.limit)
    return [application_out(session, actor, a) for a in paging.answer(page)]


@router.get("/applications/mine", response_model=list[ApplicationOut], summary="本人的入库申请")
def my_applications(
    paging: Paging = PAGING, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> list[ApplicationOut]:
    page = queries.applications_of_user(session, actor.user_id, cursor=paging.cursor, limit=paging.limit)
    return [application_out(session, actor, a) for a in paging.answer(page)]


@router.get("/applications", response_model=list[ApplicationOut], summary="待办的入库申请（审核、审批）")
def application_queue(
    state: Annotated[
        str, Query(max_length=20, description="submitted 待审核 / reviewed 待审批 / approved / refused")
    ] = "submitted",
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    actor: Principal = QUEUE_READERS,
) -> list[ApplicationOut]:
    page = queries.queue(session, state, cursor=cursor, limit=limit)
    return [application_out(session, actor, app) for app, _ in page.items]


@router.get("/applications/{application_id}", response_model=ApplicationOut, summary="入库申请")
def get_application(application_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ApplicationOut:
    return application_out(session, actor, visibility.visible_application(session, actor, application_id))


@router.post("/applications/{application_id}/review", response_model=ApplicationOut, summary="审核（行业监督部门）")
def review(
    application_id: Id, body: ReviewIn, session: Session = SessionDep, actor: Principal = REVIEWER
) -> ApplicationOut:
    app = admission.review(
        session, actor, application_id, decision=body.decision, note=body.note, equivalence=body.equivalence
    )
    return application_out(session, actor, app)


@router.post(
    "/applications/{application_id}/decision",
    response_model=ApplicationOut,
    summary="审批（公共资源交易管理委员会办公室）",
)
def decide(
    application_id: Id, body: DecisionIn, session: Session = SessionDep, actor: Principal = APPROVER
) -> ApplicationOut:
    return application_out(
        session, actor, admission.decide(session, actor, application_id, decision=body.decision, note=body.note)
    )


# --------------------------------------------------------------------------- the pool


@router.get("", response_model=ExpertPage, summary="专家库（工作人员）")
def pool(
    specialty: Text = "",
    status: Text = "",
    region: Text = "",
    q: Text = "",
    cursor: str | None = CURSOR,
    limit: int | None = LIMIT,
    session: Session = SessionDep,
    _: Principal = POOL_READERS,
) -> ExpertPage:
    page = queries.pool_page(session, queries.PoolFilter(specialty, status, region, q), cursor=cursor, limit=limit)
    held = queries.specialties_of(session, [e.id for e, _ in page.items])
    names = specialties.labels(session)
    return ExpertPage(
        items=[ExpertBrief(**_brief_values(e, employer, held[e.id], names)) for e, employer in page.items],
        next_cursor=page.next_cursor,
        total=page.total,
        total_exact=page.total_exact,
    )


@router.get(
    "/me",
    response_model=ExpertOut,
    summary="本人的专家档案",
    responses={404: {"description": "本人不是在库评标专家"}},
)
def me(session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ExpertOut:
    expert = service.expert_of_user(session, actor.user_id)
    if expert is None:
        raise NotFound("您还不是在库评标专家")
    return expert_out(session, actor, expert)


@router.post("/evaluations/publish", summary="公布某年度的考核评价结果")
def publish_evaluations(body: PublishEvaluationsIn, session: Session = SessionDep, actor: Principal = MANAGERS) -> dict:
    pubs, rows = publish.evaluations(session, actor, body.period.strip())
    return {"published_rows": rows, "publication_ids": [p.id for p in pubs]}


@router.post("/leaves/{leave_id}/cancel", response_model=LeaveOut, summary="撤销请假")
def cancel_leave(leave_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> LeaveOut:
    _visible_leave_owner(session, actor, leave_id)
    x = records.cancel_leave(session, actor, leave_id)
    return LeaveOut(id=x.id, starts_on=x.starts_on, ends_on=x.ends_on, reason=x.reason, cancelled=True)


def _visible_leave_owner(session: Session, actor: Principal, leave_id: int) -> None:
    leave = session.get(ExpertLeave, leave_id)
    if leave is None:
        raise NotFound("请假记录不存在")
    visibility.visible_expert(session, actor, leave.expert_id)


@router.post("/conflicts/{conflict_id}/withdraw", response_model=ConflictOut, summary="撤回回避申报")
def withdraw_conflict(conflict_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ConflictOut:
    row = session.get(ExpertConflict, conflict_id)
    if row is None:
        raise NotFound("回避申报不存在")
    visibility.visible_expert(session, actor, row.expert_id)
    row = records.withdraw_conflict(session, actor, conflict_id)
    org = session.get(Organisation, row.organisation_id)
    return ConflictOut(
        id=row.id,
        organisation_id=org.id,
        organisation=org.name,
        relation_label=codes.CONFLICT_RELATIONS[row.relation],
        note=row.note,
        withdrawn=True,
    )


@router.post("/sanctions/{sanction_id}/lift", response_model=SanctionOut, summary="解除暂停或禁止评标")
def lift(sanction_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = SANCTIONERS) -> SanctionOut:
    s = records.lift(session, actor, sanction_id, reason=body.reason)
    return SanctionOut(
        id=s.id,
        kind=s.kind,
        kind_label=codes.SANCTION_KINDS[s.kind],
        starts_on=s.starts_on,
        ends_on=s.ends_on,
        reason=s.basis,
        decision_no=s.decision_no,
        lifted=True,
    )


@router.get("/{expert_id}", response_model=ExpertOut, summary="专家档案（工作人员或本人）")
def get_expert(expert_id: Id, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ExpertOut:
    return expert_out(session, actor, visibility.visible_expert(session, actor, expert_id))


def _expert_step(session: Session, actor: Principal, expert_id: int) -> None:
    visibility.visible_expert(session, actor, expert_id)


@router.put("/{expert_id}/contact", response_model=ExpertOut, summary="修改联系方式（本人）")
def contact(expert_id: Id, body: ContactIn, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> ExpertOut:
    _expert_step(session, actor, expert_id)
    expert = records.update_contact(session, actor, expert_id, mobile=body.mobile, email=body.email)
    return expert_out(session, actor, expert)


@router.post("/{expert_id}/leaves", response_model=LeaveOut, status_code=201, summary="请假（本人或工作人员）")
def add_leave(expert_id: Id, body: LeaveIn, session: Session = SessionDep, actor: Principal = SIGNED_IN) -> LeaveOut:
    _expert_step(session, actor, expert_id)
    x = records.add_leave(session, actor, expert_id, starts_on=body.starts_on, ends_on=body.ends_on, reason=body.reason)
    return LeaveOut(id=x.id, starts_on=x.starts_on, ends_on=x.ends_on, reason=x.reason, cancelled=False)


@router.post("/{expert_id}/conflicts", response_model=ConflictOut, status_code=201, summary="申报常设回避单位")
def declare_conflict(
    expert_id: Id, body: ConflictIn, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> ConflictOut:
    _expert_step(session, actor, expert_id)
    row = records.declare_conflict(
        session, actor, expert_id, credit_code=body.credit_code, relation=body.relation, note=body.note
    )
    org = session.get(Organisation, row.organisation_id)
    return ConflictOut(
        id=row.id,
        organisation_id=org.id,
        organisation=org.name,
        relation_label=codes.CONFLICT_RELATIONS[row.relation],
        note=row.note,
        withdrawn=False,
    )


@router.post("/{expert_id}/trainings", response_model=TrainingOut, status_code=201, summary="登记培训记录")
def add_training(
    expert_id: Id, body: TrainingIn, session: Session = SessionDep, actor: Principal = SIGNED_IN
) -> TrainingOut:
    _expert_step(session, actor, expert_id)
    t = records.add_training(
        session,
        actor,
        expert_id,
        title=body.title,
        organiser=body.organiser,
        held_on=body.held_on,
        hours=body.hours,
        passed=body.passed,
        certificate_no=body.certificate_no,
    )
    return TrainingOut(
        id=t.id,
        title=t.title,
        organiser=t.organiser,
        held_on=t.held_on,
        hours=t.hours,
        passed=t.passed,
        certificate_no=t.certificate_no,
        self_reported=session.get(Expert, expert_id).user_id == actor.user_id,
    )


@router.post("/{expert_id}/sanctions", response_model=SanctionOut, status_code=201, summary="暂停或禁止评标")
def sanction(
    expert_id: Id, body: SanctionIn, session: Session = SessionDep, actor: Principal = SANCTIONERS
) -> SanctionOut:
    s = records.sanction(
        session,
        actor,
        expert_id,
        kind=body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        reason=body.reason,
        decision_no=body.decision_no,
    )
    return SanctionOut(
        id=s.id,
        kind=s.kind,
        kind_label=codes.SANCTION_KINDS[s.kind],
        starts_on=s.starts_on,
        ends_on=s.ends_on,
        reason=s.basis,
        decision_no=s.decision_no,
        lifted=False,
    )


@router.post("/{expert_id}/removal", response_model=ExpertOut, summary="清退")
def remove(expert_id: Id, body: ReasonIn, session: Session = SessionDep, actor: Principal = MANAGERS) -> ExpertOut:
    return expert_out(session, actor, records.remove(session, actor, expert_id, reason=body.reason))


@router.post("/{expert_id}/evaluations", response_model=EvaluationOut, status_code=201, summary="录入考核评价")
def evaluate(
    expert_id: Id, body: EvaluationIn, session: Session = SessionDep, actor: Principal = MANAGERS
) -> EvaluationOut:
    e = records.evaluate(
        session, actor, expert_id, period=body.period, score=body.score, grade=body.grade, notes=body.notes
    )
    return EvaluationOut(
        id=e.id,
        period=e.period,
        score=e.score,
        grade=e.grade,
        grade_label=codes.GRADES[e.grade],
        notes=e.notes,
        published=False,
    )


@router.post("/{expert_id}/reappointment", response_model=ExpertOut, summary="续聘")
def reappoint(
    expert_id: Id, body: ReappointIn, session: Session = SessionDep, actor: Principal = MANAGERS
) -> ExpertOut:
    return expert_out(session, actor, admission.reappoint(session, actor, expert_id, note=body.note))
