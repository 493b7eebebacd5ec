"""Pages of the annual report (政府信息公开工作年度报告): the public HTML report of a year, its spreadsheet,
and the disclosure office's form for the parts written by hand. Thin: the figures come from ``report``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sunshine.core import clock
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput, SunshineError
from sunshine.core.inputs import Year
from sunshine.identity.roles import Role
from sunshine.inforequests import report, states
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
PUBLIC = Depends(Access.public())
OFFICE = Depends(Access(Role.DISCLOSURE_OFFICE))


@router.get("/disclosure/annual-report")
def annual_report_latest(request: Request, _: Principal = PUBLIC) -> Response:
    return redirect(request, f"/disclosure/annual-report/{report.default_year()}")


@router.get("/disclosure/annual-report/{year}.xlsx")
def annual_report_xlsx(request: Request, year: Year, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    data = report.build(session, year)
    body = report.to_xlsx(data, request.app.state.settings.centre_name)
    filename = f"annual-report-{year}.xlsx"
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _page(
    request: Request, session: Session, principal: Principal, year: int, *, status: int = 200, errors=None, form=None
) -> Response:
    data = report.build(session, year)
    today = clock.today_local()
    return render(
        request,
        "inforequests/annual_report.html",
        status=status,
        page_title=f"{year}年政府信息公开工作年度报告",
        report=data,
        rows=states.REPORT_ROWS,
        columns=report.COLUMNS,
        column_keys=report.COLUMN_KEYS,
        proactive_rows=report.PROACTIVE_ROWS,
        review_kinds=states.REVIEW_KINDS,
        review_results=states.REVIEW_RESULTS,
        review_columns=report.REVIEW_COLUMNS,
        can_edit=principal.has(Role.DISCLOSURE_OFFICE),
        errors=errors or {},
        form=form,
        years=list(range(today.year, today.year - 6, -1)),
        centre=request.app.state.settings.centre_name,
        complete=year < today.year,
    )


@router.get("/disclosure/annual-report/{year}", response_class=HTMLResponse)
def annual_report(
    request: Request, year: Year, session: Session = SessionDep, principal: Principal = PUBLIC
) -> Response:
    return _page(request, session, principal, year)


@router.post("/disclosure/annual-report/{year}", response_class=HTMLResponse)
async def annual_report_save(
    request: Request, year: Year, session: Session = SessionDep, principal: Principal = OFFICE
) -> Response:
    form = await request.form()  # on the event loop; the database in a worker thread
    return await run_in_threadpool(_save, request, year, session, principal, form)


def _save(request: Request, year: int, session: Session, principal: Principal, form: FormData) -> Response:
    proactive: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for key, _, label, fields in report.PROACTIVE_ROWS:
        proactive[key] = {}
        for field, field_label in fields:
            name = f"p_{key}_{field}"
            raw = form.get(name)
            try:
                proactive[key][field] = report.parse_figure(
                    raw if isinstance(raw, str) else None, money=field == "amount"
                )
            except InvalidInput as exc:
                errors[name] = f"{label}{field_label}：{exc.detail}"
    texts = {
        name: form.get(name) if isinstance(form.get(name), str) else "" for name in ("overview", "problems", "other")
    }
    submitted = {k: v for k, v in form.items() if isinstance(v, str)}
    if errors:
        return _page(request, session, principal, year, status=422, errors=errors, form=submitted)

    def refused(session: Session, exc: SunshineError) -> Response:
        errors = {exc.extra.get("field", "overview"): exc.detail}
        return _page(request, session, principal, year, status=422, errors=errors, form=submitted)

    with refusals_shown_on(refused, passing=()):
        report.save_draft(session, actor=principal, year=year, proactive=proactive, **texts)
    flash(request, "success", f"已保存{year}年度报告的文字和填报数据")
    return redirect(request, f"/disclosure/annual-report/{year}")
