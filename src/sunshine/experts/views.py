"""Pages of the expert pool for the public and the staff: pool statistics and the published admission,
evaluation and removal texts (public); the pool list with filters and each expert's record with the actions of
the committee office, the industry supervisory department and the centre; the review and approval queues; the
specialty tree with the centre's additions."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, whole_number
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.credit.models import CreditBan
from sunshine.experts import admission, codes, publish, queries, records, specialties, visibility
from sunshine.experts.models import STATUS_LABELS, ExpertApplication
from sunshine.identity.models import Organisation
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
POOL_READERS = Depends(Access(*codes.POOL_READERS))
QUEUE_READERS = Depends(Access(*codes.REVIEWERS, *codes.APPROVERS))
REVIEWER = Depends(Access(*codes.REVIEWERS))
APPROVER = Depends(Access(*codes.APPROVERS))
SANCTIONERS = Depends(Access(*codes.SANCTIONERS))
MANAGERS = Depends(Access(*codes.MANAGERS))
RECORDERS = Depends(Access(*codes.RECORDERS))
TREE_EDITORS = Depends(Access(*codes.TREE_EDITORS))
Filter = Annotated[str, Query(max_length=50)]
POOL = "/staff/experts"


def form_date(value: str, field: str, label: str, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"请填写{label}", field=field)
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{label}格式不正确", field=field) from None


def form_int(value: str, field: str, label: str) -> int:
    number = whole_number(value, -99999, 999999)  # at most six characters, as the forms allow
    if number is None:
        raise InvalidInput(f"请正确填写{label}", field=field)
    return number


def labels() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "title_levels": codes.TITLE_LEVELS,
        "application_states": codes.APPLICATION_STATES,
        "channels": codes.CHANNELS,
        "sanction_kinds": codes.SANCTION_KINDS,
        "relations": codes.CONFLICT_RELATIONS,
        "grades": codes.GRADES,
        "education": codes.EDUCATION,
        "unpadded": admission.unpadded,
        "masked_mobile": visibility.masked_mobile,
        "masked_id": visibility.masked_id,
    }


# --------------------------------------------------------------------------- public


@router.get("/experts", response_class=HTMLResponse)
def statistics_page(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    rows, by_status = queries.statistics(session)
    return render(
        request,
        "experts_public.html",
        page_title="评标专家库统计",
        rows=rows,
        by_status=by_status,
        published=publish.published(session, limit=10).items,
        tree_version=specialties.shipped().version,
        **labels(),
    )


@router.get("/experts/published", response_class=HTMLResponse)
def published_page(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    result = publish.published(session, cursor=cursor)
    return render(
        request,
        "experts_published.html",
        page_title="评标专家入库、考核与清退公告",
        published=result.items,
        result=result,
        page_url=page_urls("/experts/published", {}),
    )


# --------------------------------------------------------------------------- the pool (staff)


@router.get(POOL, response_class=HTMLResponse)
def pool_page(
    request: Request,
    specialty: Filter = "",
    status: Filter = "",
    region: Filter = "",
    q: Filter = "",
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    actor: Principal = POOL_READERS,
) -> Response:
    flt = queries.PoolFilter(specialty, status, region, q)
    page = queries.pool_page(session, flt, cursor=cursor, limit=50)
    return render(
        request,
        "experts_pool.html",
        page_title="评标专家库",
        page=page,
        held=queries.specialties_of(session, [e.id for e, _ in page.items]),
        names=specialties.labels(session),
        tree=specialties.flat(session),
        filters={"specialty": specialty, "status": status, "region": region, "q": q},
        page_link=page_urls(POOL, {"specialty": specialty, "status": status, "region": region, "q": q}),
        manages=actor.has(*codes.MANAGERS),
        today=clock.today_local(),
        **labels(),
    )


@router.get(POOL + "/{expert_id}", response_class=HTMLResponse)
def expert_page(
    request: Request, expert_id: Id, session: Session = SessionDep, actor: Principal = POOL_READERS
) -> Response:
    expert = visibility.visible_expert(session, actor, expert_id)
    return render(
        request,
        "experts_detail.html",
        page_title=f"评标专家 {expert.name}",
        expert=expert,
        employer=session.get(Organisation, expert.employer_organisation_id),
        held=queries.specialties_of(session, [expert.id])[expert.id],
        all_nodes=specialties.nodes(session),
        path_label=specialties.path_label,
        leaves=records.leaves_of(session, expert.id),
        conflicts=records.conflicts_of(session, expert.id),
        sanctions=records.sanctions_of(session, expert.id),
        trainings=records.trainings_of(session, expert.id),
        evaluations=records.evaluations_of(session, expert.id),
        conducts=records.conducts_of(session, expert.id),
        conduct_kinds=codes.CONDUCT_KINDS,
        personal=visibility.sees_personal(actor, expert),
        can_sanction=actor.has(*codes.SANCTIONERS),
        can_manage=actor.has(*codes.MANAGERS),
        can_record=actor.has(*codes.RECORDERS),
        today=clock.today_local(),
        **labels(),
    )


def _back(expert_id: int) -> str:
    return f"{POOL}/{expert_id}"


@router.post(POOL + "/{expert_id}/sanctions", response_class=HTMLResponse)
def sanction(
    request: Request,
    expert_id: Id,
    kind: str = Form("", max_length=20),
    starts_on: str = Form("", max_length=10),
    ends_on: str = Form("", max_length=10),
    reason: str = Form("", max_length=500),
    decision_no: str = Form("", max_length=100),
    session: Session = SessionDep,
    actor: Principal = SANCTIONERS,
) -> Response:
    def call():
        return records.sanction(
            session,
            actor,
            expert_id,
            kind=kind,
            starts_on=form_date(starts_on, "starts_on", "开始日期"),
            ends_on=form_date(ends_on, "ends_on", "结束日期", required=False),
            reason=reason,
            decision_no=decision_no,
        )

    return act(request, _back(expert_id), call, lambda s: f"已登记{codes.SANCTION_KINDS[s.kind]}")


@router.post(POOL + "/sanctions/{sanction_id}/lift", response_class=HTMLResponse)
def lift(
    request: Request,
    sanction_id: Id,
    reason: str = Form("", max_length=500),
    session: Session = SessionDep,
    actor: Principal = SANCTIONERS,
) -> Response:
    row = session.get(CreditBan, sanction_id)
    back = _back(row.expert_id) if row and row.expert_id else POOL
    return act(request, back, lambda: records.lift(session, actor, sanction_id, reason=reason), "已解除")


@router.post(POOL + "/{expert_id}/removal", response_class=HTMLResponse)
def remove(
    request: Request,
    expert_id: Id,
    reason: str = Form("", max_length=500),
    session: Session = SessionDep,
    actor: Principal = MANAGERS,
) -> Response:
    return act(
        request,
        _back(expert_id),
        lambda: records.remove(session, actor, expert_id, reason=reason),
        "已清退并发布清退公告",
    )


@router.post(POOL + "/{expert_id}/evaluations", response_class=HTMLResponse)
def evaluate(
    request: Request,
    expert_id: Id,
    period: str = Form("", max_length=4),
    score: str = Form("", max_length=6),
    grade: str = Form("", max_length=10),
    notes: str = Form("", max_length=1000),
    session: Session = SessionDep,
    actor: Principal = MANAGERS,
) -> Response:
    def call():
        return records.evaluate(
            session,
            actor,
            expert_id,
            period=period,
            score=form_int(score, "score", "考核得分"),
            grade=grade,
            notes=notes,
        )

    return act(request, _back(expert_id), call, "已录入考核评价；在专家库页面“公布考核结果”后向社会公开")


@router.post(POOL + "/{expert_id}/reappointment", response_class=HTMLResponse)
def reappoint(
    request: Request,
    expert_id: Id,
    note: str = Form("", max_length=1000),
    session: Session = SessionDep,
    actor: Principal = MANAGERS,
) -> Response:
    return act(
        request,
        _back(expert_id),
        lambda: admission.reappoint(session, actor, expert_id, note=note),
        lambda e: f"已续聘，新聘期至 {e.term_ends_on}",
    )


@router.post(POOL + "/{expert_id}/leaves", response_class=HTMLResponse)
def add_leave(
    request: Request,
    expert_id: Id,
    starts_on: str = Form("", max_length=10),
    ends_on: str = Form("", max_length=10),
    reason: str = Form("", max_length=300),
    session: Session = SessionDep,
    actor: Principal = RECORDERS,
) -> Response:
    def call():
        return records.add_leave(
            session,
            actor,
            expert_id,
            starts_on=form_date(starts_on, "starts_on", "开始日期"),
            ends_on=form_date(ends_on, "ends_on", "结束日期"),
            reason=reason,
        )

    return act(request, _back(expert_id), call, "已登记请假，请假期间不参加抽取")


@router.post(POOL + "/{expert_id}/trainings", response_class=HTMLResponse)
def add_training(
    request: Request,
    expert_id: Id,
    title: str = Form("", max_length=200),
    organiser: str = Form("", max_length=200),
    held_on: str = Form("", max_length=10),
    hours: str = Form("", max_length=6),
    passed: str = Form("", max_length=5),
    certificate_no: str = Form("", max_length=60),
    session: Session = SessionDep,
    actor: Principal = RECORDERS,
) -> Response:
    def call():
        return records.add_training(
            session,
            actor,
            expert_id,
            title=title,
            organiser=organiser,
            held_on=form_date(held_on, "held_on", "培训日期"),
            hours=form_int(hours, "hours", "学时"),
            passed=bool(passed),
            certificate_no=certificate_no,
        )

    return act(request, _back(expert_id), call, "已登记培训记录")


@router.post(POOL + "/evaluations/publish", response_class=HTMLResponse)
def publish_evaluations(
    request: Request, period: str = Form("", max_length=4), session: Session = SessionDep, actor: Principal = MANAGERS
) -> Response:
    def call():
        _, rows = publish.evaluations(session, actor, period.strip())
        if not rows:
            raise InvalidInput(f"{period} 年度没有尚未公布的考核结果", field="period")
        return rows

    return act(request, POOL, call, lambda n: f"已公布 {n} 名专家的考核评价结果")


# --------------------------------------------------------------------------- review and approval


@router.get(POOL + "-applications", response_class=HTMLResponse)
def queue_page(
    request: Request,
    state: Annotated[str, Query(max_length=20)] = "",
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    actor: Principal = QUEUE_READERS,
) -> Response:
    state = state or ("reviewed" if actor.has(*codes.APPROVERS) and not actor.has(*codes.REVIEWERS) else "submitted")
    page = queries.queue(session, state, cursor=cursor, limit=50)
    return render(
        request,
        "experts_queue.html",
        page_title="评标专家入库申请",
        page=page,
        state=state,
        names=specialties.labels(session),
        page_link=page_urls(POOL + "-applications", {"state": state}),
        **labels(),
    )


@router.get(POOL + "-applications/{application_id}", response_class=HTMLResponse)
def application_page(
    request: Request, application_id: Id, session: Session = SessionDep, actor: Principal = QUEUE_READERS
) -> Response:
    app = visibility.visible_application(session, actor, application_id)
    return render(
        request,
        "experts_application.html",
        page_title=f"入库申请 {app.code}",
        app=app,
        employer=session.get(Organisation, app.employer_organisation_id),
        checks=admission.checks(session, app) if app.state == "submitted" else None,
        recorded_checks=json.loads(app.checks or "[]"),
        all_nodes=specialties.nodes(session),
        path_label=specialties.path_label,
        can_review=actor.has(*codes.REVIEWERS) and app.state == "submitted",
        can_decide=actor.has(*codes.APPROVERS) and app.state == "reviewed",
        **labels(),
    )


def _application_back(app_id: int) -> str:
    return f"{POOL}-applications/{app_id}"


@router.post(POOL + "-applications/{application_id}/review", response_class=HTMLResponse)
def review(
    request: Request,
    application_id: Id,
    decision: str = Form("", max_length=10),
    note: str = Form("", max_length=1000),
    equivalence: str = Form("", max_length=1000),
    session: Session = SessionDep,
    actor: Principal = REVIEWER,
) -> Response:
    def call() -> ExpertApplication:
        return admission.review(session, actor, application_id, decision=decision, note=note, equivalence=equivalence)

    return act(
        request,
        _application_back(application_id),
        call,
        lambda a: "审核通过，已报交易管理委员会办公室审批" if a.state == "reviewed" else "已作出不予通过的审核意见",
    )


@router.post(POOL + "-applications/{application_id}/decision", response_class=HTMLResponse)
def decide(
    request: Request,
    application_id: Id,
    decision: str = Form("", max_length=10),
    note: str = Form("", max_length=1000),
    session: Session = SessionDep,
    actor: Principal = APPROVER,
) -> Response:
    def call() -> ExpertApplication:
        return admission.decide(session, actor, application_id, decision=decision, note=note)

    return act(
        request,
        _application_back(application_id),
        call,
        lambda a: "已批准入库并发布入库公告" if a.state == "approved" else "已作出不予通过的审批意见",
    )


# --------------------------------------------------------------------------- the specialty tree


@router.get(POOL + "-specialties", response_class=HTMLResponse)
def tree_page(request: Request, session: Session = SessionDep, actor: Principal = TREE_EDITORS) -> Response:
    return render(
        request,
        "experts_specialties.html",
        page_title="评标专业分类",
        roots=specialties.roots(session),
        tree=specialties.flat(session),
        tree_version=specialties.shipped().version,
    )


@router.post(POOL + "-specialties", response_class=HTMLResponse)
def add_specialty(
    request: Request,
    parent_code: str = Form("", max_length=20),
    name: str = Form("", max_length=50),
    note: str = Form("", max_length=500),
    session: Session = SessionDep,
    actor: Principal = TREE_EDITORS,
) -> Response:
    return act(
        request,
        POOL + "-specialties",
        lambda: specialties.add_child(session, actor, parent_code=parent_code, name=name, note=note),
        lambda row: f"已增加专业“{row.name}”，编码 {row.code}",
    )
