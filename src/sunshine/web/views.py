"""Page routes: portal sections, login and logout, the per-role landing page, the ledger
verification page and the administrator's calendar. Thin: they call services and render."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.core import alerts, calendar, clock, todos
from sunshine.core.auth import ACTIVITY_COOKIE, SESSION_COOKIE, Access, Principal, SessionDep
from sunshine.core.errors import InvalidCredentials, SunshineError
from sunshine.core.inputs import IsoDate, Year
from sunshine.core.pagination import CURSOR, page_urls
from sunshine.db import Database
from sunshine.identity import service as identity
from sunshine.identity import throttle
from sunshine.identity.models import OrganisationKind, TokenKind, User
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.ledger.signing import platform_key
from sunshine.messaging import service as messaging
from sunshine.trading import views as project_pages
from sunshine.trading.labels import TRANSACTION_TYPES
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
health_router = APIRouter(include_in_schema=False)
PUBLIC = Depends(Access.public())


@health_router.get("/healthz")
async def healthz(request: Request, _: Principal = Depends(Access.public(identify=False))) -> JSONResponse:
    """Liveness: the event loop, a worker thread and the database answer. It does not queue behind the
    admitted requests (``web.middleware``) and takes one trip to a worker thread, for its one unit of work."""
    size = await run_in_threadpool(_ledger_size, request.app.state.db)
    return JSONResponse({"status": "ok", "ledger_size": size, "time": fmt.iso_utc(clock.now())})


def _ledger_size(db: Database) -> int:
    with db.unit_of_work(read_only=True) as session:
        return ledger.size(session)


def _upcoming_days(session: Session, today: date, horizon: int = 90) -> list:
    cal = calendar.load(session)
    out = []
    for i in range(1, horizon + 1):
        info = cal.day(today + timedelta(days=i))
        if info.name not in (None, "周末"):
            out.append(info)
    return out


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    counts = identity.public_counts(session)  # the organisations the directories list
    stats = {
        "enterprises": counts.get(OrganisationKind.ENTERPRISE.value, 0),
        "agencies": counts.get(OrganisationKind.AGENCY.value, 0),
        "purchasers": counts.get(OrganisationKind.PURCHASER.value, 0),
        "ledger": ledger.size(session),
    }
    stats["green"] = project_pages.green_count(session)
    return render(
        request,
        "home.html",
        page_title="首页",
        stats=stats,
        recent=ledger.recent(session, 8),
        upcoming=_upcoming_days(session, clock.today_local())[:8],
        today=clock.today_local(),
        projects=project_pages.latest_public(session, limit=8),
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/me", _: Principal = PUBLIC) -> Response:
    return render(request, "login.html", page_title="登录", next=_safe_next(next), errors={}, username="")


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/me"


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/me"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    errors = {}
    status = 400
    if not username.strip():
        errors["username"] = "请输入用户名"
    if not password:
        errors["password"] = "请输入密码"
    if not errors:
        address = request.client.host if request.client else None
        try:
            throttle.check(session, username, address)
            user = identity.authenticate(session, username, password)
        except throttle.LoginThrottled as exc:
            errors["password"], status = exc.detail, exc.status
        except InvalidCredentials as exc:  # shown, not raised: the failure is counted in this request's commit
            throttle.record_failure(session, username, address)
            errors["password"] = exc.detail
        else:
            throttle.record_success(session, username)
    if errors:
        return render(
            request,
            "login.html",
            status=status,
            page_title="登录",
            next=_safe_next(next),
            errors=errors,
            username=username,
        )
    raw, token = identity.issue_token(session, user, TokenKind.SESSION)
    flash(request, "success", f"欢迎，{user.display_name}")
    response = redirect(request, _safe_next(next))
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        secure=request.app.state.settings.cookie_secure,
        samesite="lax",
        max_age=request.app.state.settings.session_hours * 3600,
    )
    return response


@router.post("/logout")
def logout(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        identity.revoke_token(session, raw)
    flash(request, "info", "您已安全退出")
    response = redirect(request, "/")
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(ACTIVITY_COOKIE)
    return response


ROLE_TASKS: dict[Role, list[tuple[str, str]]] = {
    Role.ADMIN: [
        ("/admin/calendar", "工作日历与放假安排"),
        ("/admin/users", "用户与角色"),
        ("/rules", "规则包与本地调整"),
        ("/admin/requests/regime", "依申请公开适用规则"),
        ("/desk/departments", "服务台承办部门"),
    ],
    Role.CENTRE_STAFF: [
        ("/staff/queue", "项目受理队列"),
        ("/staff/deposits", "保证金确认与退还"),
        ("/staff/deadlines", "法定期限跟踪"),
        ("/projects", "交易项目"),
        ("/staff/requests", "转办的信息公开申请"),
        ("/staff/disclosure/review", "政务公开保密审查"),
        ("/staff/incidents", "平台故障与应急处置"),
        ("/staff/market", "市场主体登记与变更审核"),
        ("/staff/messages/gateway", "模拟短信/语音网关"),
        ("/staff/experts", "评标专家库（请假、培训登记）"),
        ("/staff/experts-specialties", "评标专业分类"),
        ("/staff/archives", "项目档案（归档）"),
        ("/desk/orders", "服务台工单"),
        ("/desk/departments", "服务台承办部门"),
        ("/desk/shifts", "服务台坐席排班"),
        ("/desk/hotline", "12345 热线记录与通话录音"),
    ],
    Role.DISCLOSURE_OFFICE: [
        ("/staff/disclosure", "政务公开工作台（公开时效与预警）"),
        ("/staff/disclosure/review", "保密审查"),
        ("/disclosure/catalog", "公开事项目录及修订"),
        ("/staff/disclosure/negative-list", "负面清单"),
        ("/staff/requests", "依申请公开办理"),
        ("/disclosure/annual-report", "政府信息公开工作年度报告"),
        ("/staff/deadlines", "法定期限跟踪"),
        ("/notices", "交易公告"),
        ("/disclosure", "政务公开栏目"),
        ("/staff/concerns", "回应关切答复"),
        ("/staff/policies/new", "发布政策文件与解读"),
    ],
    Role.SUPERVISOR: [
        ("/projects", "交易项目"),
        ("/staff/requests", "转办的信息公开申请"),
        ("/staff/deadlines", "法定期限跟踪"),
        ("/supervision", "全程留痕监督"),
        ("/staff/disclosure", "政务公开时效与逾期预警"),
        ("/staff/credit", "信用记录与禁止参与"),
        ("/staff/incidents", "平台故障与应急处置（核实确认）"),
        ("/staff/experts", "评标专家库（只读）"),
        ("/staff/archives", "项目档案（只读）"),
        ("/complaints", "投诉处理（待办及期限）"),
    ],
    Role.SOCIAL_SUPERVISOR: [
        ("/supervision/me", "我的社会监督"),
        ("/projects", "交易项目"),
        ("/supervision", "全程留痕监督"),
        ("/ledger", "验证留痕记录"),
    ],
    Role.BIDDER: [
        ("/my/registrations", "我的报名与保证金"),
        ("/my/bids", "我的投标文件（加密递交、回执与开标解密）"),
        ("/my/qualifications", "本单位的资质、人员与业绩"),
        ("/notices", "交易公告"),
        ("/disclosure/deadline", "法定期限计算"),
        ("/complaints", "我的异议、质疑与投诉"),
    ],
    Role.SIGNER: [
        ("/signing/keys", "签名密钥（生成、登记与吊销）"),
        ("/my/bids", "我的投标文件（加密递交、回执与开标解密）"),
        ("/notices", "交易公告"),
        ("/ledger", "验证留痕记录"),
    ],
    Role.ORG_VIEWER: [
        ("/my/registrations", "本单位的报名与保证金（只读）"),
        ("/my/bids", "本单位的投标文件与回执（只读）"),
        ("/notices", "交易公告"),
        ("/credit", "信用信息公示（禁止参与名单）"),
        ("/ledger", "验证留痕记录"),
    ],
    Role.TENDERER: [
        ("/projects/new", "进场登记"),
        ("/projects/mine", "本单位的项目"),
        ("/rules", "规则包（法定时限）"),
        ("/complaints", "针对本单位项目的异议、质疑与投诉"),
    ],
    Role.AGENCY: [("/projects/new", "进场登记"), ("/projects/mine", "本单位的项目"), ("/notices", "交易公告")],
    # (the agency answers objections and challenges at /complaints, linked from each project's page)
    Role.EXPERT: [
        ("/expert", "评标专家工作台（评标邀请、确认与签到）"),
        ("/me/messages", "我的消息"),
        ("/expert/profile", "我的专家档案（联系方式、请假、回避单位、培训）"),
        ("/ledger", "验证留痕记录"),
        ("/rules", "规则包（法定时限）"),
    ],
    # The roles below have no steps of their own yet (expert pool, open days, inspections come with later
    # issues); their workbench lists what they can already read.
    Role.ENTERPRISE_ADMIN: [
        ("/market/mine", "本单位登记信息、变更申请与用户管理"),
        ("/experts/recommend", "推荐本单位人员申请评标专家入库"),
        ("/market/enterprises", "企业名录"),
        ("/market/agencies", "代理机构名录"),
        ("/my/qualifications", "本单位的资质、人员与业绩"),
        ("/signing/keys", "签名密钥（确认与吊销）"),
        ("/credit", "信用信息公示（禁止参与名单）"),
        ("/notices", "交易公告"),
        ("/ledger", "验证留痕记录"),
    ],
    Role.INDUSTRY_SUPERVISOR: [
        ("/staff/experts-applications", "评标专家入库申请审核"),
        ("/staff/experts", "评标专家库（暂停、禁止评标）"),
        ("/projects", "交易项目"),
        ("/supervision", "全程留痕监督"),
        ("/credit", "信用信息公示（禁止参与名单）"),
        ("/disclosure/compliance", "公开时效统计"),
    ],
    Role.COMMITTEE_OFFICE: [
        ("/staff/experts-applications?state=reviewed", "评标专家入库审批"),
        ("/staff/experts", "评标专家库（暂停、考核、续聘、清退）"),
        ("/projects", "交易项目"),
        ("/disclosure/compliance", "公开时效统计"),
        ("/requests/stats", "依申请公开统计"),
        ("/disclosure/annual-report", "政府信息公开工作年度报告"),
        ("/supervision", "全程留痕监督"),
    ],
    Role.GOVERNMENT_AFFAIRS: [
        ("/disclosure/compliance", "公开时效统计"),
        ("/disclosure/publications", "已公开信息"),
        ("/disclosure/catalog", "公开事项目录"),
        ("/disclosure/annual-report", "政府信息公开工作年度报告"),
        ("/requests/stats", "依申请公开统计"),
    ],
    Role.EVALUATOR: [
        ("/disclosure/publications", "已公开信息"),
        ("/disclosure/compliance", "公开时效统计（只读）"),
        ("/disclosure/catalog", "公开事项目录"),
        ("/notices", "交易公告"),
        ("/ledger", "验证留痕记录"),
    ],
}


@router.get("/me", response_class=HTMLResponse)
def landing(
    request: Request, session: Session = SessionDep, principal: Principal = Depends(Access.signed_in())
) -> Response:
    user = identity.get_user(session, principal.user_id)
    roles = sorted((Role(r.role) for r in user.roles), key=list(Role).index)
    panels = [(role, ROLE_TASKS.get(role, [])) for role in roles]
    deadlines = []
    if principal.has(Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.ADMIN):
        deadlines = calendar.open_deadlines(session, limit=10)
    watched = alerts.for_principal(session, principal, limit=10)
    mine = ledger.entries_for(session, f"user:{user.id}", limit=10)
    if user.organisation_id:
        mine += ledger.entries_for(session, f"organisation:{user.organisation_id}", limit=10)
    return render(
        request,
        "me.html",
        page_title="我的工作台",
        user=user,
        panels=panels,
        deadlines=deadlines,
        alerts=watched,
        mine=sorted(mine, key=lambda e: e.seq, reverse=True),
        unread=messaging.unread_count(session, user.id),
        todos=todos.for_principal(session, principal),
    )


DIRECTORIES = {OrganisationKind.ENTERPRISE: "/market/enterprises", OrganisationKind.AGENCY: "/market/agencies"}


@router.get("/trading", response_class=HTMLResponse)
def trading(
    request: Request, kind: OrganisationKind | None = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    if kind in DIRECTORIES:  # one directory: enterprises and agencies are listed by the market register
        return redirect(request, DIRECTORIES[kind])
    orgs = identity.list_organisations(session, kind, public=True)
    by_type = [
        (key, label, project_pages.latest_public(session, limit=5, transaction_type=key))
        for key, label in TRANSACTION_TYPES.items()
    ]
    return render(
        request,
        "trading.html",
        page_title="交易信息",
        organisations=orgs,
        kind=kind,
        kinds=list(OrganisationKind),
        by_type=by_type,
        green=project_pages.green_count(session),
    )


@router.get("/disclosure/deadline", response_class=HTMLResponse)
def deadline_tool(
    request: Request,
    start: str | None = Query(None),
    days: str | None = Query(None),
    unit: str = Query("working"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    result, errors = None, {}
    if unit not in ("working", "calendar"):
        errors["unit"] = "请选择“工作日”或“日（自然日）”"
        unit = "working"
    if start is not None or days is not None:
        try:
            start_date = date.fromisoformat(start or "")
        except ValueError:
            errors["start"] = "请按 YYYY-MM-DD 填写起算日"
        try:
            count = int(days or "")
            if not 0 <= count <= calendar.MAX_DAYS:
                raise ValueError
        except ValueError:
            errors["days"] = f"期间应为0至{calendar.MAX_DAYS}之间的整数"
        if not errors:
            try:
                result = calendar.compute(session, start_date, count, unit)
            except SunshineError as exc:
                errors["start"] = exc.detail
    return render(
        request,
        "deadline.html",
        status=400 if errors else 200,
        page_title="法定期限计算",
        result=result,
        errors=errors,
        start=start or clock.today_local().isoformat(),
        days=days or "20",
        unit=unit,
        legal_basis=calendar.LEGAL_BASIS,
    )


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(
    request: Request, seq: str | None = None, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    head = ledger.latest_head(session)
    entry, proof, error = None, None, None
    if seq:
        try:
            number = int(seq)
            entry = ledger.get_entry(session, number)
            if head and head.size > number:
                proof = ledger.inclusion_proof(session, number, head.size)
        except ValueError:
            error = "记录序号应为整数"
        except SunshineError as exc:
            error = exc.detail
    key = platform_key()
    return render(
        request,
        "ledger.html",
        status=404 if error and seq and seq.isdigit() else 200,
        page_title="全程留痕验证",
        head=head,
        entry=entry,
        proof=proof,
        error=error,
        seq=seq or "",
        key_id=key.key_id,
        key_pem=key.public_pem,
        log_id=fmt.LOG_ID,
        leaf_input=fmt.leaf_input(
            entry.seq, entry.kind, entry.subject, entry.payload_sha256, fmt.iso_utc(entry.recorded_at)
        ).decode()
        if entry
        else None,
    )


STAFF = Depends(Access(Role.ADMIN, Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR))


@router.get("/staff/deadlines", response_class=HTMLResponse)
def staff_deadlines(
    request: Request, cursor: str | None = CURSOR, session: Session = SessionDep, _: Principal = STAFF
) -> Response:
    result = calendar.open_deadline_page(session, cursor=cursor)
    return render(
        request,
        "staff_deadlines.html",
        page_title="法定期限跟踪",
        deadlines=result.items,
        result=result,
        page_url=page_urls("/staff/deadlines", {}),
        today=clock.today_local(),
    )


ADMIN = Depends(Access(Role.ADMIN))


def _admin_calendar_page(
    request: Request,
    session: Session,
    year: int | None,
    *,
    status: int = 200,
    errors: dict | None = None,
    form: dict | None = None,
) -> Response:
    year = year or clock.today_local().year + 1
    cal = calendar.load(session)
    return render(
        request,
        "admin_calendar.html",
        status=status,
        page_title="工作日历管理",
        year=year,
        days=calendar.days_of_year(session, year),
        official=cal.is_official_year(year),
        years=calendar.official_years(session),
        errors=errors or {},
        form=form or {},
        calendar_fields=_calendar_fields(),
    )


def _calendar_fields() -> object:
    from sunshine.web.calendar_form import Fields

    return Fields()


@router.get("/admin/calendar", response_class=HTMLResponse)
def admin_calendar(
    request: Request, year: Year | None = None, session: Session = SessionDep, _: Principal = ADMIN
) -> Response:
    return _admin_calendar_page(request, session, year)


@router.post("/admin/calendar/day", response_class=HTMLResponse)
def admin_calendar_day(
    request: Request,
    day: str = Form(""),
    kind: str = Form(""),
    name: str = Form(""),
    reason: str = Form(""),
    session: Session = SessionDep,
    principal: Principal = ADMIN,
) -> Response:
    errors = {}
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        errors["day"] = "请按 YYYY-MM-DD 填写日期"
    if kind not in ("holiday", "workday"):
        errors["kind"] = "请选择休息日或工作日"

    def refused(session: Session, errors: dict[str, str]) -> Response:
        form = {"day": day, "kind": kind, "name": name, "reason": reason}
        return _admin_calendar_page(request, session, None, status=400, errors=errors, form=form)

    def field_of(exc: SunshineError) -> str:
        return exc.extra.get("field") if exc.extra.get("field") in ("day", "kind", "name", "reason") else "day"

    if errors:
        return refused(session, errors)
    with refusals_shown_on(lambda s, exc: refused(s, {field_of(exc): exc.detail}), passing=()):
        changes = calendar.set_day(
            session, actor=principal, day=the_day, kind=kind, name=name or None, reason=reason or None
        )
    label = "休息日" if kind == "holiday" else "工作日"
    flash(request, "success", f"已将 {the_day.isoformat()} 设为{label}，重新计算了 {len(changes)} 个期限")
    return redirect(request, f"/admin/calendar?year={the_day.year}")


@router.post("/admin/calendar/day/{day}/clear")
def admin_calendar_clear(
    request: Request, day: IsoDate, session: Session = SessionDep, principal: Principal = ADMIN
) -> Response:
    changes = calendar.clear_day(session, actor=principal, day=day)
    flash(request, "success", f"已撤销 {day.isoformat()} 的调整，重新计算了 {len(changes)} 个期限")
    return redirect(request, f"/admin/calendar?year={day.year}")


@router.post("/admin/calendar/year", response_class=HTMLResponse)
def admin_calendar_year(
    request: Request,
    year: str = Form(""),
    source: str = Form(""),
    holiday_name: list[str] = Form([]),
    holiday_from: list[str] = Form([]),
    holiday_to: list[str] = Form([]),
    workday_on: list[str] = Form([]),
    workday_name: list[str] = Form([]),
    schedule: str = Form(""),
    file: UploadFile | None = File(None),
    session: Session = SessionDep,
    principal: Principal = ADMIN,
) -> Response:
    """A year's schedule from the form (year, 文号, holiday periods, working weekends), or imported from a JSON
    file in the command line's format, or pasted as that JSON (``web.calendar_form``)."""
    from sunshine.core.calendar_api import parse_schedule
    from sunshine.web import calendar_form

    fields = calendar_form.Fields(year, source, holiday_name, holiday_from, holiday_to, workday_on, workday_name)

    def refused(session: Session, exc: SunshineError) -> Response:
        from_fields = not schedule.strip() and not (file is not None and file.filename)
        form = {"schedule": schedule, "fields": fields if from_fields else None}
        return _admin_calendar_page(request, session, None, status=400, errors={"schedule": exc.detail}, form=form)

    with refusals_shown_on(refused, passing=()):
        parsed = parse_schedule(calendar_form.schedule_text(fields, schedule, file))
        changes = calendar.import_year(session, actor=principal, schedule=parsed.to_schedule())
    flash(request, "success", f"已录入 {parsed.year} 年放假安排，重新计算了 {len(changes)} 个期限")
    return redirect(request, f"/admin/calendar?year={parsed.year}")


__all__ = ["router", "User"]
