"""Registration pages (进场登记): the project form of a tenderer or its agency, with its sections (标段/包)
added and removed in place, and the resubmission of a returned project (修改并重新提交). A refused form
comes back as it was typed, with the reason beside its field (400). Thin: every rule is applied by
``sunshine.trading.service``; these routes only read the form, call it and render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import Forbidden, InvalidInput, SunshineError
from sunshine.core.inputs import Id, whole_number
from sunshine.core.validation import VALIDATION_MESSAGES
from sunshine.identity import service as identity
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.rules.registry import registry
from sunshine.trading import classification, lifecycle, service, visibility
from sunshine.trading.labels import TRANSACTION_TYPES, method_label, type_label
from sunshine.trading.models import Project
from sunshine.trading.schemas import ProjectIn
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_back_to, refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
REGISTRANTS = Depends(Access(Role.AGENCY, Role.TENDERER))

TENDERER_KINDS = (OrganisationKind.PURCHASER, OrganisationKind.DEPARTMENT, OrganisationKind.ENTERPRISE)
MAX_SECTIONS = 50

# --------------------------------------------------------------------------- the registration form


@dataclass
class SectionRow:
    name: str = ""
    estimate: str = ""
    qualification: str = ""
    item_classification: str = ""

    @property
    def blank(self) -> bool:
        return not (
            self.name.strip() or self.estimate.strip() or self.qualification.strip() or self.item_classification.strip()
        )


@dataclass
class ProjectForm:
    """What the visitor typed, kept as text so that a refused form comes back exactly as it was sent."""

    values: dict[str, str] = field(default_factory=dict)
    green_channel: bool = False
    sections: list[SectionRow] = field(default_factory=lambda: [SectionRow()])
    add_section: bool = False
    remove_section: int | None = None

    @property
    def type_method(self) -> tuple[str, str]:
        transaction_type, _, method = self.values.get("type_method", "").partition(":")
        return transaction_type, method


def read_form(
    name: str = Form(""),
    type_method: str = Form(""),
    tenderer_id: str = Form(""),
    agency_id: str = Form(""),
    budget: str = Form(""),
    region_code: str = Form(""),
    funding_source: str = Form(""),
    evaluation_method: str = Form(""),
    description: str = Form(""),
    green_channel: str = Form(""),
    green_reason: str = Form(""),
    section_name: list[str] = Form(default_factory=list),
    section_estimate: list[str] = Form(default_factory=list),
    section_qualification: list[str] = Form(default_factory=list),
    section_item_classification: list[str] = Form(default_factory=list),
    add_section: str = Form(""),
    remove_section: str = Form(""),
) -> ProjectForm:
    count = min(max(len(section_name), len(section_estimate), len(section_qualification), 1), MAX_SECTIONS)

    def nth(values: list[str], i: int) -> str:
        return values[i] if i < len(values) else ""

    rows = [
        SectionRow(
            nth(section_name, i),
            nth(section_estimate, i),
            nth(section_qualification, i),
            nth(section_item_classification, i),
        )
        for i in range(count)
    ]
    return ProjectForm(
        values={
            "name": name,
            "type_method": type_method,
            "tenderer_id": tenderer_id,
            "agency_id": agency_id,
            "budget": budget,
            "region_code": region_code,
            "funding_source": funding_source,
            "evaluation_method": evaluation_method,
            "description": description,
            "green_reason": green_reason,
        },
        green_channel=bool(green_channel),
        sections=rows,
        add_section=bool(add_section),
        remove_section=whole_number(remove_section, 0, 10**6),
    )


def _money(text: str) -> str:
    """Accept what people type for an amount: "1,200,000", "1 200 000 元"."""
    return text.replace(",", "").replace("，", "").replace(" ", "").removesuffix("元").strip()


def _optional(text: str) -> str | None:
    return text.strip() or None


FIELD_MESSAGES = {
    ("type_method", "*"): "请选择交易类型与方式",
    ("tenderer_id", "*"): "请选择招标人/采购人",
    ("agency_id", "*"): "请选择代理机构",
    ("region_code", "string_pattern_mismatch"): "应为6位行政区划代码，如 350100",
    ("budget", "decimal_parsing"): "请填写金额（元），如 1200000 或 1200000.00",
    ("estimate", "decimal_parsing"): "请填写金额（元），如 600000",
    ("budget", "decimal_max_places"): "金额最多保留两位小数（分）",
    ("estimate", "decimal_max_places"): "金额最多保留两位小数（分）",
    ("budget", "decimal_max_digits"): "金额过大",
    ("estimate", "decimal_max_digits"): "金额过大",
    ("budget", "greater_than"): "金额应大于 0",
    ("estimate", "greater_than"): "金额应大于 0",
}


def _message(name: str, err: dict[str, Any]) -> str:
    kind = err.get("type", "value_error")
    ctx = err.get("ctx") or {}
    specific = FIELD_MESSAGES.get((name, kind)) or FIELD_MESSAGES.get((name, "*"))
    if specific:
        return specific
    if kind == "missing" or (kind == "string_too_short" and not err.get("input")):
        return "必填"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字"
    return VALIDATION_MESSAGES.get(kind, "取值无效")


@dataclass
class FormErrors:
    fields: dict[str, str] = field(default_factory=dict)
    rows: dict[int, dict[str, str]] = field(default_factory=dict)  # form row → {section_name: message}

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)


def _classification(form: ProjectForm, i: int, errors: FormErrors) -> str | None:
    """The row's 品目分类代码 checked against the catalogue, the refusal beside it."""
    try:
        return classification.check(form.sections[i].item_classification, section=i + 1)
    except InvalidInput as exc:
        errors.rows.setdefault(i, {})["section_item_classification"] = exc.detail
        return None


def to_input(form: ProjectForm, errors: FormErrors) -> ProjectIn | None:
    """The form as the service's ``ProjectIn``, or ``None`` with the reasons beside each field."""
    kept = [i for i, row in enumerate(form.sections) if not row.blank]  # rows left empty are ignored
    transaction_type, method = form.type_method
    v = form.values
    data = {
        "name": v["name"].strip(),
        "transaction_type": transaction_type,
        "method": method,
        "tenderer_id": v["tenderer_id"] or None,
        "agency_id": v["agency_id"] or None,
        "budget": _money(v["budget"]),
        "region_code": v["region_code"].strip(),
        "funding_source": v["funding_source"].strip(),
        "evaluation_method": _optional(v["evaluation_method"]),
        "description": _optional(v["description"]),
        "green_channel": form.green_channel,
        "green_reason": _optional(v["green_reason"]),
        "sections": [
            {
                "name": form.sections[i].name.strip(),
                "estimate": _money(form.sections[i].estimate),
                "qualification": form.sections[i].qualification.strip(),
                "item_classification": _classification(form, i, errors),
            }
            for i in kept
        ],
    }
    try:
        valid = ProjectIn.model_validate(data)
        return None if errors else valid
    except ValidationError as exc:
        for err in exc.errors():
            loc = err.get("loc", ())
            name = str(loc[0]) if loc else "_form"
            if name in ("transaction_type", "method"):
                errors.add("type_method", _message("type_method", err))
            elif name == "sections" and len(loc) >= 3 and isinstance(loc[1], int):
                row, part = kept[loc[1]], str(loc[2])
                errors.rows.setdefault(row, {}).setdefault(f"section_{part}", _message(part, err))
            elif name == "sections":
                errors.add(
                    "sections", "请至少填写一个标段/包" if err.get("type") == "too_short" else _message("sections", err)
                )
            else:
                errors.add(name, _message(name, err))
        return None


def _service_error(exc: SunshineError, principal: Principal) -> FormErrors:
    """A refusal of the service, beside the field it names."""
    name = exc.extra.get("field")
    if name in ("transaction_type", "method"):
        name = "type_method"
    elif name is None and isinstance(exc, Forbidden):
        name = "agency_id" if Role.AGENCY in principal.roles else "tenderer_id"
    errors = FormErrors()
    errors.add(name if name in FORM_FIELDS or name == "sections" else "_form", exc.detail)
    return errors


def _organisation_options(session: Session) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    tenderers = [
        (str(o.id), f"{o.name}（{OrganisationKind(o.kind).label}）")
        for kind in TENDERER_KINDS
        for o in identity.list_organisations(session, kind, public=True)
    ]
    agencies = [(str(o.id), o.name) for o in identity.list_organisations(session, OrganisationKind.AGENCY, public=True)]
    return tenderers, agencies


def _pack_options() -> list[tuple[str, str]]:
    order = list(TRANSACTION_TYPES)
    trading = [
        p
        for p in registry().current()
        if p.transaction_type in TRANSACTION_TYPES and p.lifecycle in lifecycle.LIFECYCLES
    ]
    packs = sorted(
        trading, key=lambda p: (order.index(p.transaction_type) if p.transaction_type in order else 99, p.key)
    )
    return [
        (f"{p.transaction_type}:{p.method}", f"{type_label(p.transaction_type)} · {method_label(p.method)}")
        for p in packs
    ]


FORM_FIELDS = (
    "name",
    "type_method",
    "tenderer_id",
    "agency_id",
    "budget",
    "region_code",
    "funding_source",
    "evaluation_method",
    "description",
    "green_reason",
)


def _blank_form(session: Session, principal: Principal, sections: int) -> ProjectForm:
    """A new form, with the visitor's own organisation already chosen as tenderer or agency, and its region."""
    own = str(principal.organisation_id) if principal.organisation_id else ""
    values = dict.fromkeys(FORM_FIELDS, "")
    if principal.organisation_id:
        values["region_code"] = identity.get_organisation(session, principal.organisation_id).region_code
    if Role.TENDERER in principal.roles:
        values["tenderer_id"] = own
    if Role.AGENCY in principal.roles:
        values["agency_id"] = own
    return ProjectForm(values=values, sections=[SectionRow() for _ in range(max(1, min(sections, MAX_SECTIONS)))])


def _filled_form(project: Project) -> ProjectForm:
    return ProjectForm(
        values={
            "name": project.name,
            "type_method": f"{project.transaction_type}:{project.method}",
            "tenderer_id": str(project.tenderer_id),
            "agency_id": str(project.agency_id or ""),
            "budget": str(project.budget),
            "region_code": project.region_code,
            "funding_source": project.funding_source,
            "evaluation_method": project.evaluation_method or "",
            "description": project.description or "",
            "green_reason": project.green_reason or "",
        },
        green_channel=project.green_channel,
        sections=[
            SectionRow(s.name, str(s.estimate), s.qualification, s.item_classification or "") for s in project.sections
        ]
        or [SectionRow()],
    )


def _form_page(
    request: Request,
    session: Session,
    form: ProjectForm,
    *,
    errors: FormErrors | None = None,
    status: int = 200,
    project: Project | None = None,
) -> Response:
    tenderers, agencies = _organisation_options(session)
    return render(
        request,
        "projects_form.html",
        status=status,
        page_title=f"修改并重新提交：{project.name}" if project else "进场登记",
        form=form,
        errors=errors or FormErrors(),
        project=project,
        pack_options=_pack_options(),
        tenderers=tenderers,
        agencies=agencies,
        max_sections=MAX_SECTIONS,
        item_catalogue=classification.catalogue(),
        action=f"/projects/{project.id}/edit" if project else "/projects/new",
        locked_type=(f"{type_label(project.transaction_type)} · {method_label(project.method)}" if project else None),
    )


def _rearranged(form: ProjectForm) -> bool:
    """The 再加一个标段 / 删除此标段 buttons: show the form again with one row more or less; nothing is submitted."""
    if form.add_section and len(form.sections) < MAX_SECTIONS:
        form.sections.append(SectionRow())
        return True
    if form.remove_section is not None:
        if len(form.sections) > 1 and form.remove_section < len(form.sections):
            del form.sections[form.remove_section]
        return True
    return form.add_section


# --------------------------------------------------------------------------- registration and resubmission


@router.get("/projects/new", response_class=HTMLResponse)
def register_form(
    request: Request,
    sections: int = Query(1, ge=1, le=MAX_SECTIONS),
    session: Session = SessionDep,
    principal: Principal = REGISTRANTS,
) -> Response:
    return _form_page(request, session, _blank_form(session, principal, sections))


@router.post("/projects/new", response_class=HTMLResponse)
def register_submit(
    request: Request,
    form: ProjectForm = Depends(read_form),
    session: Session = SessionDep,
    principal: Principal = REGISTRANTS,
) -> Response:
    if _rearranged(form):
        return _form_page(request, session, form)
    errors = FormErrors()
    data = to_input(form, errors)
    if data is None:
        return _form_page(request, session, form, errors=errors, status=400)

    def refused(session: Session, exc: SunshineError) -> Response:
        return _form_page(request, session, form, errors=_service_error(exc, principal), status=400)

    # Nothing of a refused registration is kept (not even a code number).
    with refusals_shown_on(refused, passing=()):
        project = service.register(session, principal, data)
    flash(request, "success", f"已登记，统一交易标识码 {project.code}。项目已提交交易中心受理。")
    return redirect(request, f"/projects/{project.id}")


@router.get("/projects/{project_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, project_id: Id, session: Session = SessionDep, principal: Principal = REGISTRANTS
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    with refusals_back_to(f"/projects/{project.id}"):
        lifecycle.check(project, "resubmit", principal)
    return _form_page(request, session, _filled_form(project), project=project)


@router.post("/projects/{project_id}/edit", response_class=HTMLResponse)
def edit_submit(
    request: Request,
    project_id: Id,
    form: ProjectForm = Depends(read_form),
    session: Session = SessionDep,
    principal: Principal = REGISTRANTS,
) -> Response:
    project = visibility.get_visible(session, principal, project_id)
    # The type and method cannot change on resubmission; the form shows them as fixed text.
    form.values["type_method"] = f"{project.transaction_type}:{project.method}"
    if _rearranged(form):
        return _form_page(request, session, form, project=project)
    errors = FormErrors()
    data = to_input(form, errors)
    if data is None:
        return _form_page(request, session, form, errors=errors, status=400, project=project)

    def refused(session: Session, exc: SunshineError) -> Response:
        project = visibility.get_visible(session, principal, project_id)
        return _form_page(request, session, form, errors=_service_error(exc, principal), status=400, project=project)

    with refusals_shown_on(refused, passing=()):
        service.resubmit(session, principal, project_id, data)
    flash(request, "success", f"已修改并重新提交，统一交易标识码 {project.code}，等待交易中心受理。")
    return redirect(request, f"/projects/{project_id}")


__all__ = ["router"]
