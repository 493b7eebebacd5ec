"""Pages of qualifications: the enterprise's records (我的资质、人员与业绩: list, add, edit, retire, upload, history),
the requirements editor of a project's sections (招标人/代理机构、交易中心), and the assessment of one enterprise
against a section's requirements. Thin: the rules are in ``records`` and ``service``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.content import Upload
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.inputs import Id, stored_id, whole_number
from sunshine.core.pagination import cursor_query, page_urls
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.qualifications import codes, opening, records, service
from sunshine.qualifications.schemas import CertificateIn, PerformanceIn, PersonIn, RequirementIn
from sunshine.trading import registrations, visibility
from sunshine.trading.models import Section
from sunshine.web.refusals import act
from sunshine.web.templating import render

router = APIRouter(tags=["资质、人员与业绩"], include_in_schema=False)
READER = Depends(Access(*records.READERS))
WRITER = Depends(Access(*records.WRITERS))
EDITOR = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF))
OFFICIAL = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR, Role.BIDDER))
HOME = "/my/qualifications"
Kind = Literal["certificate", "person", "performance"]
FIELDS: dict[str, tuple[str, ...]] = {
    "certificate": ("kind", "grade", "number", "issuer", "valid_from", "valid_until", "scope"),
    "person": (
        "name",
        "post",
        "registration_number",
        "specialty",
        "grade",
        "registration_valid_until",
        "safety_number",
        "safety_valid_until",
    ),
    "performance": (
        "project_name",
        "client",
        "specialty",
        "amount",
        "started_on",
        "ended_on",
        "accepted_on",
        "manager_id",
    ),
}
DATES = {
    "valid_from",
    "valid_until",
    "registration_valid_until",
    "safety_valid_until",
    "started_on",
    "ended_on",
    "accepted_on",
}
OPTIONAL = {"safety_number", "safety_valid_until", "ended_on", "accepted_on", "manager_id", "scope"}
LABELS = {
    "valid_from": "有效期起",
    "valid_until": "有效期至",
    "registration_valid_until": "注册有效期至",
    "safety_valid_until": "B证有效期至",
    "started_on": "开工日期",
    "ended_on": "竣工日期",
    "accepted_on": "竣工验收日期",
    "amount": "合同金额",
    "manager_id": "项目经理",
}


def _day(text: str, field: str) -> date | None:
    text = (text or "").strip()
    if not text:
        if field in OPTIONAL:
            return None
        raise InvalidInput(f"请填写{LABELS.get(field, field)}", field=field)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{LABELS.get(field, field)}应为“年-月-日”，如 2027-06-30", field=field) from None


def _data(kind: str, values: dict[str, str]) -> Any:
    """The form's text as the API's input shape (the service checks the codes and the rules)."""
    data: dict[str, Any] = {}
    for name in FIELDS[kind]:
        text = values.get(name, "")
        if name in DATES:
            data[name] = _day(text, name)
        elif name == "amount":
            try:
                data[name] = Decimal(text.replace(",", "").strip())
            except InvalidOperation:
                raise InvalidInput("合同金额应为以元为单位的数字", field="amount") from None
            if not data[name].is_finite() or data[name] <= 0 or data[name] > Decimal("9999999999999999.99"):
                raise InvalidInput("合同金额应大于 0 且在合理范围内", field="amount")
        elif name == "manager_id":
            data[name] = stored_id(text)
        else:
            data[name] = text.strip() or (None if name in OPTIONAL and name != "scope" else "")
    schema = {"certificate": CertificateIn, "person": PersonIn, "performance": PerformanceIn}[kind]
    return schema.model_construct(**data)


async def _form(request: Request, kind: str) -> tuple[dict[str, str], Upload | None]:
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in FIELDS[kind]}
    upload = form.get("file")
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        return values, Upload(
            filename=upload.filename or "", data=await upload.read(), content_type=upload.content_type
        )
    return values, None


def _choices() -> dict[str, Any]:
    return {
        "cert_kinds": {k: v[0] for k, v in codes.CERTIFICATE_KINDS.items()},
        "grade_options": [(g, g) for g in codes.GRADES],
        "registered_options": [(g, g) for g in codes.REGISTERED],
        "posts": codes.POSTS,
        "specialties": codes.SPECIALTIES,
        "requirement_kinds": codes.REQUIREMENT_KINDS,
        "record_kinds": codes.RECORD_KINDS,
        "actions": codes.ACTIONS,
        "record_status": records.status,
        "title": records.title,
        "detail": records.detail,
        "mask": codes.mask,
    }


# --------------------------------------------------------------------------- the enterprise's records


@router.get("/my/qualifications", response_class=HTMLResponse)
def my_records(
    request: Request,
    certificates_cursor: str | None = cursor_query(),
    people_cursor: str | None = cursor_query(),
    performance_cursor: str | None = cursor_query(),
    session: Session = SessionDep,
    principal: Principal = READER,
) -> Response:
    cursors = {
        "certificates_cursor": certificates_cursor,
        "people_cursor": people_cursor,
        "performance_cursor": performance_cursor,
    }
    pages = {
        "certificates": records.page(session, principal, "certificate", cursor=certificates_cursor),
        "people": records.page(session, principal, "person", cursor=people_cursor),
        "performance": records.page(session, principal, "performance", cursor=performance_cursor),
    }
    return render(
        request,
        "qualifications_mine.html",
        page_title="本单位的资质、人员与业绩",
        pages=pages,
        urls={name: page_urls(HOME, cursors, param=f"{name}_cursor", anchor=name) for name in pages},
        certificates=pages["certificates"].items,
        people=pages["people"].items,
        works=pages["performance"].items,
        managers=records.managers(session, principal.organisation_id) if principal.organisation_id else [],
        warnings=service.my_warnings(session, principal),
        notices=[m for m in registrations.messages_for(session, principal, limit=100) if m.link == HOME][:20],
        can_write=bool(principal.roles & records.WRITERS),
        today=clock.today_local(),
        **_choices(),
    )


def _add(request: Request, session: Session, principal: Principal, kind: str, values, upload) -> Response:
    def call():
        record = records.add(session, principal, kind, _data(kind, values))
        if upload is not None:
            records.attach(session, principal, kind, record.id, upload)
        return record

    return act(request, HOME, call, lambda r: f"已新增{codes.RECORD_KINDS[kind]}：{records.title(r)}")


@router.post("/my/qualifications/certificates", response_class=HTMLResponse)
async def add_certificate(request: Request, session: Session = SessionDep, principal: Principal = WRITER) -> Response:
    values, upload = await _form(request, "certificate")
    return await run_in_threadpool(_add, request, session, principal, "certificate", values, upload)


@router.post("/my/qualifications/people", response_class=HTMLResponse)
async def add_person(request: Request, session: Session = SessionDep, principal: Principal = WRITER) -> Response:
    values, _upload = await _form(request, "person")
    return await run_in_threadpool(_add, request, session, principal, "person", values, None)


@router.post("/my/qualifications/performance", response_class=HTMLResponse)
async def add_performance(request: Request, session: Session = SessionDep, principal: Principal = WRITER) -> Response:
    values, upload = await _form(request, "performance")
    return await run_in_threadpool(_add, request, session, principal, "performance", values, upload)


@router.get("/my/qualifications/{kind}/{record_id}", response_class=HTMLResponse)
def record_page(
    request: Request, kind: Kind, record_id: Id, session: Session = SessionDep, principal: Principal = READER
) -> Response:
    record = records.get(session, principal, kind, record_id)
    return render(
        request,
        "qualifications_record.html",
        page_title=f"{codes.RECORD_KINDS[kind]}：{records.title(record)}",
        kind=kind,
        record=record,
        changes=records.history(session, principal, kind, record_id),
        managers=records.managers(session, record.organisation_id),
        can_write=bool(principal.roles & records.WRITERS) and record.retired_at is None,
        **_choices(),
    )


def _edit(request: Request, session: Session, principal: Principal, kind: str, record_id: int, values, upload):
    back = f"{HOME}/{kind}/{record_id}"

    def call():
        if upload is not None:
            return records.attach(session, principal, kind, record_id, upload)
        return records.edit(session, principal, kind, record_id, _data(kind, values))

    return act(request, back, call, "已上传文件" if upload is not None else "已保存修改")


@router.post("/my/qualifications/{kind}/{record_id}", response_class=HTMLResponse)
async def edit_record(
    request: Request, kind: Kind, record_id: Id, session: Session = SessionDep, principal: Principal = WRITER
) -> Response:
    values, _upload = await _form(request, kind)
    return await run_in_threadpool(_edit, request, session, principal, kind, record_id, values, None)


@router.post("/my/qualifications/{kind}/{record_id}/file", response_class=HTMLResponse)
async def upload_file(
    request: Request, kind: Kind, record_id: Id, session: Session = SessionDep, principal: Principal = WRITER
) -> Response:
    values, upload = await _form(request, kind)
    if upload is None:
        upload = Upload(filename="", data=b"")
    return await run_in_threadpool(_edit, request, session, principal, kind, record_id, values, upload)


@router.post("/my/qualifications/{kind}/{record_id}/retire", response_class=HTMLResponse)
def retire_record(
    request: Request, kind: Kind, record_id: Id, session: Session = SessionDep, principal: Principal = WRITER
) -> Response:
    return act(
        request,
        HOME,
        lambda: records.retire(session, principal, kind, record_id),
        f"已注销该{codes.RECORD_KINDS[kind]}",
    )


@router.get("/my/qualifications/{kind}/{record_id}/file")
def download(kind: Kind, record_id: Id, session: Session = SessionDep, principal: Principal = READER) -> Response:
    name, data = records.file_of(session, principal, kind, record_id)
    ext = name.rpartition(".")[2].lower()
    media = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
    return Response(
        data,
        media_type=media.get(ext, "application/octet-stream"),
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_quote(name)}"},
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


# --------------------------------------------------------------------------- requirements of a project


@router.get("/projects/{project_id}/qualifications", response_class=HTMLResponse)
def requirements_page(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = EDITOR
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    if not (visibility.is_party(principal, project) or Role.CENTRE_STAFF in principal.roles):
        raise NotFound("项目不存在")
    sections = list(project.sections)
    return render(
        request,
        "qualifications_requirements.html",
        page_title=f"资格条件：{project.name}",
        project=project,
        sections=sections,
        requirements=service.requirements_of(session, [s.id for s in sections]),
        editable=project.state in service.EDITABLE_STATES,
        label=service.label,
        **_choices(),
    )


@router.post("/projects/{project_id}/sections/{section_id}/requirements", response_class=HTMLResponse)
def add_requirement(
    request: Request,
    project_id: Id,
    section_id: Id,
    kind: str = Form("", max_length=20),
    certificate_kind: str = Form("", max_length=40),
    post: str = Form("", max_length=30),
    specialty: str = Form("", max_length=30),
    min_grade: str = Form("", max_length=20),
    count: str = Form("", max_length=4),
    within_years: str = Form("", max_length=4),
    min_amount: str = Form("", max_length=30),
    session: Session = SessionDep,
    principal: Principal = EDITOR,
) -> Response:
    back = f"/projects/{project_id}/qualifications"

    def number(text: str, field: str, low: int, high: int) -> int | None:
        if not text.strip():
            return None
        number = whole_number(text, low, high)
        if number is None:
            raise InvalidInput(f"应为 {low} 至 {high} 的整数", field=field)
        return number

    def call():
        section = session.get(Section, section_id)
        if section is None or section.project_id != project_id:
            raise NotFound("标段不存在")
        try:
            amount = Decimal(min_amount.replace(",", "").strip()) if min_amount.strip() else None
        except InvalidOperation:
            raise InvalidInput("最低金额应为以元为单位的数字", field="min_amount") from None
        if amount is not None and (not amount.is_finite() or amount < 0 or amount > Decimal("9999999999999999")):
            raise InvalidInput("最低金额应为不小于 0 的数字", field="min_amount")
        data = RequirementIn.model_construct(
            kind=kind,
            certificate_kind=certificate_kind or None,
            post=post or None,
            specialty=specialty or None,
            min_grade=min_grade or None,
            count=number(count, "count", 1, 50),
            within_years=number(within_years, "within_years", 1, 20),
            min_amount=amount,
        )
        return service.add_requirement(session, principal, section_id, data)

    return act(request, back, call, lambda r: f"已新增资格条件：{service.label(r)}")


@router.post(
    "/projects/{project_id}/sections/{section_id}/requirements/{requirement_id}/delete", response_class=HTMLResponse
)
def remove_requirement(
    request: Request,
    project_id: Id,
    section_id: Id,
    requirement_id: Id,
    session: Session = SessionDep,
    principal: Principal = EDITOR,
) -> Response:
    def call():
        section = session.get(Section, section_id)
        if section is None or section.project_id != project_id:
            raise NotFound("标段不存在")
        service.remove_requirement(session, principal, section_id, requirement_id)

    return act(request, f"/projects/{project_id}/qualifications", call, "已删除该资格条件")


@router.get("/projects/{project_id}/sections/{section_id}/assessment", response_class=HTMLResponse)
def assessment_page(
    request: Request,
    project_id: Id,
    section_id: Id,
    organisation_id: Annotated[Id | None, Query()] = None,
    session: Session = SessionDep,
    principal: Principal = OFFICIAL,
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    section = session.get(Section, section_id)
    if section is None or section.project_id != project.id:
        raise NotFound("标段不存在")
    official = opening.is_official(principal, project)
    org_id = (organisation_id or principal.organisation_id) if official else principal.organisation_id
    if not official and organisation_id not in (None, principal.organisation_id):
        raise NotFound("未找到")
    org = session.get(Organisation, org_id) if org_id else None
    if org is None:
        raise NotFound("未找到")
    day = service.deadline_day(project) or clock.today_local()
    return render(
        request,
        "qualifications_assessment.html",
        page_title=f"资格条件满足情况：{org.name}",
        project=project,
        section=section,
        organisation=org,
        day=day,
        findings=service.assess(session, section, org.id, on=day),
        warnings=service.warnings_of(session, [section.id], org.id),
    )
