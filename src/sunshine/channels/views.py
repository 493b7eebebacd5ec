"""Channel routes: Atom/RSS feeds (all notices, per category, per project), the 订阅与 RSS page, the
subscription pages reached from the signed links in mails, and the kiosk view of the on-site query
terminals. Thin: items come from ``channels.items``, rules from ``channels.service``.

Feeds are the same for everyone (what the public may see), whoever asks: a feed reader carries no
cookies and a cached feed must never hold more than the public pages.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sunshine.channels import feeds, items, kiosk, service, tokens
from sunshine.core.auth import ANONYMOUS, Access, Principal, SessionDep
from sunshine.core.errors import NotFound, SunshineError
from sunshine.trading import visibility
from sunshine.trading.labels import type_label
from sunshine.web.csrf import check_csrf
from sunshine.web.refusals import refusals_shown_on
from sunshine.web.templating import flash, redirect, render

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
# The one-click unsubscribe of RFC 8058 is POSTed by mail clients, with no cookie and no CSRF token: the
# signed link is the whole credential, so this router has no CSRF check.
oneclick_router = APIRouter(include_in_schema=False)
PUBLIC = Depends(Access.public())

KIOSK_REFRESH_SECONDS = 60
KIOSK_HOLD_SECONDS = 180  # after a touch, the chosen panel stays this long before rotation resumes
FEED_CACHE = "public, max-age=300"


# --------------------------------------------------------------------------- feeds


def _feed(request: Request, spec: feeds.FeedSpec, found: list[items.PublishedItem], fmt: feeds.Format) -> Response:
    body = feeds.render_feed(
        spec,
        found,
        fmt=fmt,
        base_url=str(request.base_url),
        author=request.app.state.settings.centre_name,
    )
    return Response(body, media_type=feeds.MEDIA_TYPES[fmt], headers={"Cache-Control": FEED_CACHE})


def _all_spec(request: Request) -> feeds.FeedSpec:
    site = request.app.state.settings.site_name
    return feeds.FeedSpec(
        f"{site} · 交易公告与政务公开", "最新发布的交易公告、政策文件与解读、回应关切", "/feeds/notices", "/notices"
    )


@router.get("/feeds/notices.atom")
def all_atom(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _feed(
        request, _all_spec(request), items.published_items(session, channel=items.FEED, limit=feeds.FEED_SIZE), "atom"
    )


@router.get("/feeds/notices.rss")
def all_rss(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _feed(
        request, _all_spec(request), items.published_items(session, channel=items.FEED, limit=feeds.FEED_SIZE), "rss"
    )


def _category_feed(request: Request, session: Session, code: str, fmt: feeds.Format) -> Response:
    category = items.find_category(session, code)
    if category is None:
        raise NotFound(f"没有类别“{code}”的订阅源；可订阅的类别见 /feeds")
    site = request.app.state.settings.site_name
    spec = feeds.FeedSpec(
        f"{site} · {category.group} · {category.label}",
        f"{category.group}“{category.label}”最新发布的信息",
        f"/feeds/category/{category.code}",
        _category_page(category.code),
    )
    found = items.published_items(session, channel=items.FEED, category=category.code, limit=feeds.FEED_SIZE)
    return _feed(request, spec, found, fmt)


def _category_page(code: str) -> str:
    scheme, _, value = code.partition(".")
    if scheme == "type":
        return f"/notices?transaction_type={value}"
    if scheme == "kind":
        return f"/notices?kind={value}"
    if code == "policy.concern":
        return "/concerns"
    if scheme == "policy":
        return "/policies"
    return "/feeds"


@router.get("/feeds/category/{category_code}.atom")
def category_atom(
    request: Request, category_code: str, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _category_feed(request, session, category_code, "atom")


@router.get("/feeds/category/{category_code}.rss")
def category_rss(
    request: Request, category_code: str, session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _category_feed(request, session, category_code, "rss")


def _project_feed(request: Request, session: Session, code: str, fmt: feeds.Format) -> Response:
    if not (code.isascii() and code.isalnum() and len(code) <= 32):
        raise NotFound("项目不存在")
    project = visibility.get_visible_by_code(session, ANONYMOUS, code)  # NotFound until the project is public
    spec = feeds.FeedSpec(
        f"{project.name}（{project.code}）",
        f"{type_label(project.transaction_type)}项目“{project.name}”的公告、澄清、更正与结果",
        f"/feeds/projects/{project.code}",
        f"/projects/{project.id}",
    )
    found = items.published_items(session, channel=items.FEED, project_code=project.code, limit=feeds.FEED_SIZE)
    return _feed(request, spec, found, fmt)


@router.get("/feeds/projects/{project_code}.atom")
def project_atom(request: Request, project_code: str, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _project_feed(request, session, project_code, "atom")


@router.get("/feeds/projects/{project_code}.rss")
def project_rss(request: Request, project_code: str, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _project_feed(request, session, project_code, "rss")


# --------------------------------------------------------------------------- 订阅与 RSS


def _groups(session: Session) -> list[tuple[str, list[items.Category]]]:
    groups: dict[str, list[items.Category]] = {}
    for category in items.all_categories(session):
        groups.setdefault(category.group, []).append(category)
    return list(groups.items())


def _feeds_page(
    request: Request, session: Session, *, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "channels_feeds.html",
        status=status,
        page_title="订阅与 RSS",
        groups=_groups(session),
        values=values or {"categories": [], "region_codes": "", "keywords": "", "email": ""},
        errors=errors or {},
    )


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    return _feeds_page(request, session)


@router.post("/subscriptions", response_class=HTMLResponse)
def subscribe(
    request: Request,
    email: str = Form("", max_length=300),
    categories: list[str] = Form(default_factory=list),
    region_codes: str = Form("", max_length=300),
    keywords: str = Form("", max_length=500),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    values = {"email": email, "categories": categories, "region_codes": region_codes, "keywords": keywords}

    def refused(session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field") if exc.extra.get("field") in values else "email"
        return _feeds_page(request, session, values=values, errors={field: exc.detail}, status=400)

    with refusals_shown_on(refused, passing=()):
        subscription = service.subscribe(
            session,
            email=email,
            categories=categories,
            region_codes=service.split_words(region_codes),
            keywords=service.split_words(keywords),
        )
    flash(
        request, "success", f"确认邮件已发送至 {service.mask(subscription.email)}，请在 7 天内打开邮件中的链接确认订阅"
    )
    return redirect(request, "/feeds#subscribe")


def _message_page(request: Request, title: str, text: str, *, status: int = 200, **extra) -> Response:
    return render(request, "channels_message.html", status=status, page_title=title, title=title, text=text, **extra)


@router.get("/subscriptions/confirm", response_class=HTMLResponse)
def confirm_page(
    request: Request, token: str = Query("", max_length=500), session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    subscription = service.for_confirmation(session, token)
    if subscription.status == "unsubscribed":
        return _message_page(request, "订阅已退订", "该订阅已经退订。如需继续接收，请重新订阅。")
    return render(
        request,
        "channels_confirm.html",
        page_title="确认订阅",
        token=token,
        email=service.mask(subscription.email),
        description=service.describe(session, subscription),
        already=subscription.status == "active",
        manage_url=service.link("manage", subscription),
    )


@router.post("/subscriptions/confirm")
def confirm(
    request: Request, token: str = Form("", max_length=500), session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    subscription = service.confirm(session, token)
    flash(request, "success", "订阅已确认：有符合条件的新信息时，我们会发邮件给您")
    return redirect(
        request, "/subscriptions/manage?token=" + tokens.make("manage", subscription.id, subscription.nonce)
    )


def _manage_page(
    request: Request,
    session: Session,
    token: str,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> Response:
    subscription = service.for_management(session, token)
    wanted = service.filter_of(subscription)
    values = values or {
        "categories": list(wanted.categories),
        "region_codes": " ".join(wanted.region_codes),
        "keywords": " ".join(wanted.keywords),
    }
    return render(
        request,
        "channels_manage.html",
        status=status,
        page_title="管理订阅",
        token=token,
        subscription=subscription,
        email=service.mask(subscription.email),
        description=service.describe(session, subscription),
        unsubscribe_token=tokens.make("unsubscribe", subscription.id, subscription.nonce),
        groups=_groups(session),
        values=values,
        errors=errors or {},
    )


@router.get("/subscriptions/manage", response_class=HTMLResponse)
def manage_page(
    request: Request, token: str = Query("", max_length=500), session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    return _manage_page(request, session, token)


@router.post("/subscriptions/manage", response_class=HTMLResponse)
def manage(
    request: Request,
    token: str = Form("", max_length=500),
    categories: list[str] = Form(default_factory=list),
    region_codes: str = Form("", max_length=300),
    keywords: str = Form("", max_length=500),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    values = {"categories": categories, "region_codes": region_codes, "keywords": keywords}

    def refused(session: Session, exc: SunshineError) -> Response:
        field = exc.extra.get("field") if exc.extra.get("field") in values else "categories"
        return _manage_page(request, session, token, values=values, errors={field: exc.detail}, status=400)

    with refusals_shown_on(refused, passing=(tokens.InvalidLink.status,)):  # a bad link is not a form error
        service.update_filter(
            session,
            token,
            categories=categories,
            region_codes=service.split_words(region_codes),
            keywords=service.split_words(keywords),
        )
    flash(request, "success", "订阅条件已保存")
    return redirect(request, "/subscriptions/manage?token=" + token)


@router.get("/subscriptions/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(
    request: Request, token: str = Query("", max_length=500), session: Session = SessionDep, _: Principal = PUBLIC
) -> Response:
    subscription = service.for_unsubscribe(session, token)
    if subscription.status == "unsubscribed":
        return _message_page(request, "已退订", "该订阅已经退订，今后不会再向该邮箱发送订阅邮件。")
    return render(
        request,
        "channels_unsubscribe.html",
        page_title="退订",
        token=token,
        email=service.mask(subscription.email),
        description=service.describe(session, subscription),
    )


@oneclick_router.post("/subscriptions/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(request: Request, session: Session = SessionDep, _: Principal = PUBLIC) -> Response:
    """The button of the page above, and RFC 8058 one-click from mail clients (token in the query)."""
    token = request.query_params.get("token")
    if not token and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("token")
        token = value if isinstance(value, str) else None
    return await run_in_threadpool(_unsubscribe, request, session, (token or "")[:500])


def _unsubscribe(request: Request, session: Session, token: str) -> Response:
    service.unsubscribe(session, token)
    return _message_page(request, "已退订", "已退订，今后不会再向该邮箱发送订阅邮件。您的邮箱地址已从订阅记录中删除。")


# --------------------------------------------------------------------------- kiosk


def _kiosk_context(session: Session, panel: str | None, hold: bool) -> dict:
    board = kiosk.board(session, panel)
    return {
        "board": board,
        "panels": kiosk.PANELS,
        "refresh": KIOSK_HOLD_SECONDS if hold else KIOSK_REFRESH_SECONDS,
    }


@router.get("/kiosk", response_class=HTMLResponse)
def kiosk_page(
    request: Request,
    panel: str | None = Query(None, max_length=20),
    hold: bool = Query(False),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    return render(
        request,
        "kiosk.html",
        page_title="现场查询终端",
        kiosk=True,
        kiosk_idle=0,  # this page is where the terminal rests: it rotates and refreshes by itself
        **_kiosk_context(session, panel, hold),
    )


@router.get("/kiosk/panel", response_class=HTMLResponse)
def kiosk_panel(
    request: Request,
    panel: str | None = Query(None, max_length=20),
    hold: bool = Query(False),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> Response:
    return render(request, "_kiosk_panel.html", **_kiosk_context(session, panel, hold))
