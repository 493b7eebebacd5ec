"""Pages of credit: the public lookup and list (信用信息公示: bans in force, published records and ratings, the
search by unified social credit code or name), the supervisory department's page to enter and revoke records,
decide and lift bans and compute and publish the ratings, the ratings page for the department and the centre,
and the tenderer's and agency's page to review those they worked with after a project."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Id
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.core.pagination import CURSOR, DEFAULT_LIMIT, Page, cursor_query, page_urls
from sunshine.credit import hooks, lookup, ratings, reviews, service
from sunshine.credit import method as methods
from sunshine.credit.common import KINDS, REVOCATIONS, SUBJECTS, kind_label
from sunshine.credit.reading import rating_out, subject_names
from sunshine.credit.schemas import BanIn, RecordIn, ReviewIn, RevokeIn
from sunshine.identity import service as identity
from sunshine.identity.roles import Role
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["信用"], include_in_schema=False)  # pages, not the JSON API
SUPERVISOR = Depends(Access(*service.WRITERS))
RATING_READERS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
REVIEWERS = Depends(Access(Role.TENDERER, Role.AGENCY))

FIELD_LABELS = {
    "polarity": "记录类别",
    "kind": "记录种类",
    "subject_type": "记录对象",
    "organisation_id": "单位",
    "expert_id": "评标专家编号",
    "person_name": "姓名",
    "behaviour": "行为事实",
    "basis": "认定依据",
    "source": "信息来源",
    "department": "作出决定的机关",
    "decision_no": "决定文号",
    "decided_on": "认定日期",
    "effective_from": "有效期起始日",
    "effective_until": "有效期截止日",
    "region_code": "地区（行政区划代码）",
    "transaction_type": "交易类型",
    "starts_on": "禁止参与起始日",
    "ends_on": "禁止参与最后一日",
    "reason": "理由",
    "scores": "评分",
    "comment": "评价意见",
}


def _parse(model, data: dict):
    """Form fields into the API's shape; a field that does not fit is a 422 naming the field in Chinese."""
    try:
        return model.model_validate({k: (v if v != "" else None) for k, v in data.items()})
    except ValidationError as exc:
        name = str(exc.errors()[0]["loc"][0])
        raise InvalidInput(f"请正确填写“{FIELD_LABELS.get(name, name)}”", field=name) from None


def _expert(session: Session, code: str) -> int | None:
    code = (code or "").strip()
    if not code:
        return None
    found = hooks.expert_of_code(session, code)
    if found is None:
        raise InvalidInput("未找到该编号的评标专家", field="expert_id")
    return found


def _rating_period(session: Session, period: str | None, *, published_only: bool) -> tuple[str | None, list[str]]:
    """The period shown (the one asked for if rated, else the latest) and every period rated."""
    periods = ratings.periods(session, published_only=published_only)
    return (period if period in periods else (periods[0] if periods else None)), periods


def _rating_page(session: Session, code: str | None, subjects, *, published_only: bool, cursor: str | None):
    if code is None:
        return Page([], None, DEFAULT_LIMIT)
    return ratings.rating_page(session, code, list(subjects), published_only=published_only, cursor=cursor)


@router.get("/credit", response_class=HTMLResponse)
def public_list(
    request: Request,
    code: str | None = Query(None, max_length=18),
    name: str | None = Query(None, max_length=100),
    period: str | None = Query(None, pattern=r"^\d{4}$"),
    bans_cursor: str | None = cursor_query(),
    records_cursor: str | None = cursor_query(),
    ratings_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    _: Principal = Depends(Access.public()),
) -> Response:
    found, error = None, None
    if code or name:
        try:
            found = [(org, *lookup.profile(session, org)) for org in lookup.find(session, code=code, name=name)]
        except SunshineError as exc:
            error = exc.detail
    shown_period, periods = _rating_period(session, period, published_only=True)
    bans = service.ban_page(session, cursor=bans_cursor)
    records = service.published_page(session, cursor=records_cursor)
    rated = _rating_page(session, shown_period, ratings.PUBLIC_SUBJECTS, published_only=True, cursor=ratings_cursor)
    names = subject_names(session, rated.items)
    cursors = {"bans_cursor": bans_cursor, "records_cursor": records_cursor, "ratings_cursor": ratings_cursor}
    filters = {"code": code, "name": name, "period": period, **cursors}
    return render(
        request,
        "credit_public.html",
        page_title="信用信息公示与查询",
        code=code or "",
        query_name=name or "",
        found=found,
        error=error,
        bans=bans,
        bans_url=page_urls("/credit", filters, param="bans_cursor", anchor="bans"),
        records=records,
        records_url=page_urls("/credit", filters, param="records_cursor", anchor="records"),
        scope_label=service.scope_label,
        polarity=service.POLARITY,
        kind_label=kind_label,
        org_kind=lookup.kind_label,
        period=shown_period,
        periods=periods,
        ratings=[rating_out(r, names) for r in rated.items],
        ratings_page=rated,
        ratings_url=page_urls("/credit", filters, param="ratings_cursor", anchor="ratings"),
        grades=methods.document().grades,
        grade_label=methods.grade_label,
    )


@router.get("/staff/credit", response_class=HTMLResponse)
def staff_page(
    request: Request,
    cursor: str | None = CURSOR,
    bans_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    result = service.record_page(session, principal, cursor=cursor)
    bans = service.all_ban_page(session, principal, cursor=bans_cursor)
    organisations = identity.list_organisations(session)
    shown = {b.organisation_id for b in bans.items} | {r.organisation_id for r, _ in result.items}
    return render(
        request,
        "credit_staff.html",
        page_title="信用记录与禁止参与",
        records=result.items,
        result=result,
        page_url=page_urls("/staff/credit", {"bans_cursor": bans_cursor}, anchor="records"),
        bans=bans,
        bans_url=page_urls("/staff/credit", {"cursor": cursor}, param="bans_cursor", anchor="bans"),
        scope_label=service.scope_label,
        polarity=service.POLARITY,
        kind_options=[(k, label) for k, (label, _) in KINDS.items()],
        kind_label=kind_label,
        subjects=SUBJECTS,
        revocations=REVOCATIONS,
        organisations=organisations,
        org_names={o.id: o.name for o in organisations if o.id in shown},
        expert_label=lambda i: hooks.label_of_expert(session, i),
        types=TRANSACTION_TYPES,
        today=clock.today_local(),
        this_year=clock.today_local().year,
        periods=ratings.periods(session, published_only=False),
        published_periods=ratings.periods(session, published_only=True),
        document=methods.document(),
    )


@router.post("/staff/credit/records", response_class=HTMLResponse)
def staff_record(
    request: Request,
    kind: str = Form("conduct"),
    polarity: str = Form(""),
    subject_type: str = Form("organisation"),
    organisation_id: str = Form(""),
    expert_code: str = Form(""),
    person_name: str = Form(""),
    transaction_type: str = Form(""),
    department: str = Form(""),
    decision_no: str = Form(""),
    behaviour: str = Form(""),
    basis: str = Form(""),
    source: str = Form(""),
    decided_on: str = Form(""),
    effective_from: str = Form(""),
    effective_until: str = Form(""),
    published: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    data = dict(locals())
    for key in ("request", "session", "principal", "expert_code"):
        data.pop(key)
    data["published"] = bool(published)

    def call():
        data["expert_id"] = _expert(session, expert_code)
        return service.create_record(session, principal, _parse(RecordIn, data))

    return act(request, "/staff/credit", call, "已录入信用记录")


@router.post("/staff/credit/records/{record_id}/revoke", response_class=HTMLResponse)
def staff_revoke(
    request: Request,
    record_id: Id,
    kind: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    def call():
        body = _parse(RevokeIn, {"kind": kind, "reason": reason})
        return service.revoke_record(session, principal, record_id, body)

    return act(request, "/staff/credit", call, lambda r: f"已{REVOCATIONS[r.revocation_kind]}该记录，公示已撤下")


@router.post("/staff/credit/bans", response_class=HTMLResponse)
def staff_ban(
    request: Request,
    organisation_id: str = Form(""),
    expert_code: str = Form(""),
    region_code: str = Form(""),
    transaction_type: str = Form(""),
    starts_on: str = Form(""),
    ends_on: str = Form(""),
    basis: str = Form(""),
    decision_no: str = Form(""),
    department: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    data = dict(locals())
    for key in ("request", "session", "principal", "expert_code"):
        data.pop(key)

    def call():
        data["expert_id"] = _expert(session, expert_code)
        return service.create_ban(session, principal, _parse(BanIn, data))

    return act(request, "/staff/credit", call, "已决定禁止参与并公示")


@router.post("/staff/credit/bans/{ban_id}/lift", response_class=HTMLResponse)
def staff_lift(
    request: Request,
    ban_id: Id,
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    return act(request, "/staff/credit", lambda: service.lift_ban(session, principal, ban_id, reason), "已解除禁止参与")


@router.post("/staff/credit/ratings", response_class=HTMLResponse)
def staff_rate(
    request: Request,
    period: str = Form(""),
    publish: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = SUPERVISOR,
) -> Response:
    def call():
        if publish:
            return f"已公布{period}年度信用评价结果 {ratings.publish_period(session, period)} 条"
        return f"已计算{period}年度信用评价 {ratings.rate_period(session, period)} 个对象"

    return act(request, "/staff/credit/ratings", call, lambda text: text)


@router.get("/staff/credit/ratings", response_class=HTMLResponse)
def staff_ratings(
    request: Request,
    period: str | None = Query(None, pattern=r"^\d{4}$"),
    cursor: str | None = CURSOR,
    session: Session = SessionDep,
    principal: Principal = RATING_READERS,
) -> Response:
    code, periods = _rating_period(session, period, published_only=False)
    page = _rating_page(session, code, methods.SUBJECTS, published_only=False, cursor=cursor)
    names = subject_names(session, page.items)
    return render(
        request,
        "credit_ratings.html",
        page_title="信用评价结果",
        period=code,
        periods=periods,
        ratings=[rating_out(r, names) for r in page.items],
        page=page,
        page_url=page_urls("/staff/credit/ratings", {"period": period}),
        can_compute=principal.has(*service.WRITERS),
        this_year=clock.today_local().year,
        document=methods.document(),
        subjects=methods.SUBJECTS,
    )


@router.get("/me/credit/reviews", response_class=HTMLResponse)
def my_reviews(request: Request, session: Session = SessionDep, principal: Principal = REVIEWERS) -> Response:
    projects = reviews.projects_to_review(session, principal)
    todo = []
    for project in projects:
        for kind, subject_id, done in reviews.pending(session, principal, project.id):
            todo.append((project, kind, subject_id, done, _subject_name(session, kind, subject_id)))
    return render(
        request,
        "credit_reviews.html",
        page_title="评价代理机构、中标人和评标专家",
        todo=todo,
        criteria=reviews.CRITERIA,
        subject_labels=reviews.SUBJECT_LABELS,
    )


def _subject_name(session: Session, kind: str, subject_id: int) -> str:
    if kind == "expert":
        return f"专家{hooks.label_of_expert(session, subject_id) or ''}"
    return identity.get_organisation(session, subject_id).name


@router.post("/me/credit/reviews", response_class=HTMLResponse)
def my_review(
    request: Request,
    project_id: str = Form(""),
    subject_type: str = Form(""),
    subject_id: str = Form(""),
    comment: str = Form(""),
    score_service: str = Form(""),
    score_competence: str = Form(""),
    score_compliance: str = Form(""),
    score_timeliness: str = Form(""),
    score_performance: str = Form(""),
    score_cooperation: str = Form(""),
    score_integrity: str = Form(""),
    score_impartiality: str = Form(""),
    score_discipline: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = REVIEWERS,
) -> Response:
    given = {k.removeprefix("score_"): v for k, v in locals().items() if k.startswith("score_") and v.strip()}

    def call():
        try:
            scores = {k: int(v) for k, v in given.items()}
        except ValueError:
            raise InvalidInput("每项得分应为0至100的整数", field="scores") from None
        body = _parse(
            ReviewIn,
            {
                "project_id": project_id,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "scores": scores,
                "comment": comment,
            },
        )
        return reviews.create(session, principal, body)

    return act(request, "/me/credit/reviews", call, "评价已提交，将计入信用评价")
