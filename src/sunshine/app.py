"""FastAPI application factory: database, routers, error rendering, middleware, templates, static."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from sunshine import __version__, domains
from sunshine.config import Settings, get_settings
from sunshine.core.inputs import check_text
from sunshine.db import Database
from sunshine.identity import service as identity_service
from sunshine.monitoring.usage import PageViewMiddleware
from sunshine.web import openapi, problems, refusals
from sunshine.web.middleware import (
    AfterResponseMiddleware,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    WriteConcurrencyMiddleware,
)
from sunshine.web.routes import warm_routes
from sunshine.web.templating import TEMPLATES_DIR

log = logging.getLogger("sunshine")
STATIC_DIR = TEMPLATES_DIR.parent / "static"


def create_app(
    settings: Settings | None = None,
    db: Database | None = None,
    *,
    check_schema: bool = True,
    run_scheduler: bool | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_data_dir()
    domains.install()
    db = db or Database(settings.resolved_database_url, settings)
    if check_schema:
        from sunshine.core.errors import DatabaseNotReady
        from sunshine.migrate import pending_message

        message = pending_message(db.engine)
        if message:
            raise DatabaseNotReady(message)

    scheduler_on = settings.scheduler if run_scheduler is None else run_scheduler

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from sunshine.leader import leader_lock
        from sunshine.ledger.signing import platform_key
        from sunshine.tasks import Scheduler

        platform_key()  # create the signing key before the first request needs it
        if settings.warm_routes:  # before the first request is admitted: no visitor waits for it (web/routes.py)
            await anyio.to_thread.run_sync(warm_routes, app.router)
        # one worker thread per admitted request, and headroom (config.Settings.worker_threads)
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        # every server process runs the loop; only the one holding the leader lock ticks
        scheduler = Scheduler(db, settings.tick_seconds, leader_lock(settings)) if scheduler_on else None
        if scheduler:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler:
                await scheduler.stop()
            from sunshine.monitoring import usage

            await anyio.to_thread.run_sync(usage.flush_to, db)  # page views counted since the last write

    app = FastAPI(
        title="阳光交易 Sunshine 开放接口",
        version=__version__,
        description="公共资源交易平台与政务公开系统的 JSON 接口。错误响应遵循 RFC 9457（application/problem+json）。",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(check_text)],  # no control characters in any text input (core/inputs.py)
    )
    app.state.settings = settings
    app.state.db = db
    app.state.secret_key = settings.resolved_secret_key()
    app.state.resolve_token = identity_service.principal_for_token

    problems.install(app)
    refusals.install(app)
    openapi.install(app)  # every operation's error answers in the document (web/openapi.py)
    app.add_middleware(AfterResponseMiddleware)  # innermost: a commit's messages go out after the response
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        WriteConcurrencyMiddleware, limit=settings.max_concurrent_writes, read_limit=settings.max_concurrent_reads
    )
    app.add_middleware(PageViewMiddleware)  # 门户访问统计: views per path template, no personal data
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)  # outermost: refuses first
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    from sunshine.archives import api as archives_api
    from sunshine.archives import views as archives_views
    from sunshine.auctions import api as auctions_api
    from sunshine.auctions import views as auctions_views
    from sunshine.awards import api as awards_api
    from sunshine.awards import contract_api as awards_contract_api
    from sunshine.awards import contract_views as awards_contract_views
    from sunshine.awards import views as awards_views
    from sunshine.bidding import api as bidding_api
    from sunshine.bidding import views as bidding_views
    from sunshine.channels import api as channels_api
    from sunshine.channels import views as channels_views
    from sunshine.committees import api as committees_api
    from sunshine.committees import calling_api as committees_calling_api
    from sunshine.committees import views as committees_views
    from sunshine.committees import workbench_views as committees_workbench_views
    from sunshine.complaints import api as complaints_api
    from sunshine.complaints import objection_routes as complaints_objection_routes
    from sunshine.complaints import views as complaints_views
    from sunshine.core import alerts_api, calendar_api
    from sunshine.credit import api as credit_api
    from sunshine.credit import views as credit_views
    from sunshine.declarations import api as declarations_api
    from sunshine.declarations import views as declarations_views
    from sunshine.disclosure import api as disclosure_api
    from sunshine.disclosure import views as disclosure_views
    from sunshine.draws import api as draws_api
    from sunshine.draws import views as draws_views
    from sunshine.evaluation import api as evaluation_api
    from sunshine.evaluation import pricing_api as evaluation_pricing_api
    from sunshine.evaluation import pricing_views as evaluation_pricing_views
    from sunshine.evaluation import purchaser_api as evaluation_purchaser
    from sunshine.evaluation import record_api as evaluation_record_api
    from sunshine.evaluation import record_views as evaluation_record_views
    from sunshine.evaluation import reevaluation_api as evaluation_reevaluation
    from sunshine.evaluation import views as evaluation_views
    from sunshine.experts import api as experts_api
    from sunshine.experts import profile_views as experts_profile_views
    from sunshine.experts import views as experts_views
    from sunshine.governance import api as governance_api
    from sunshine.governance import oversight_views as governance_oversight_views
    from sunshine.governance import staff_views as governance_staff_views
    from sunshine.governance import views as governance_views
    from sunshine.identity import api as identity_api
    from sunshine.incidents import api as incidents_api
    from sunshine.incidents import views as incidents_views
    from sunshine.inforequests import api as inforequests_api
    from sunshine.inforequests import report_views as inforequests_report_views
    from sunshine.inforequests import views as inforequests_views
    from sunshine.ledger import api as ledger_api
    from sunshine.market import api as market_api
    from sunshine.market import views as market_views
    from sunshine.messaging import api as messaging_api
    from sunshine.messaging import views as messaging_views
    from sunshine.monitoring import api as monitoring_api
    from sunshine.monitoring import views as monitoring_views
    from sunshine.observers import api as observers_api
    from sunshine.opendata import api as opendata_api
    from sunshine.opendata import views as opendata_views
    from sunshine.performance import api as performance_api
    from sunshine.performance import views as performance_views
    from sunshine.policy import api as policy_api
    from sunshine.policy import views as policy_views
    from sunshine.procedure import api as procedure_api
    from sunshine.procedure import invitation_views as procedure_invitation_views
    from sunshine.procedure import views as procedure_views
    from sunshine.qualifications import api as qualifications_api
    from sunshine.qualifications import views as qualifications_views
    from sunshine.results import api as results_api
    from sunshine.results import views as results_views
    from sunshine.rules import api as rules_api
    from sunshine.rules import views as rules_views
    from sunshine.seals import api as seals_api
    from sunshine.seals import views as seals_views
    from sunshine.search import api as search_api
    from sunshine.search import views as search_views
    from sunshine.servicedesk import api as servicedesk_api
    from sunshine.servicedesk import views as servicedesk_views
    from sunshine.servicedesk import views_setup as servicedesk_setup_views
    from sunshine.servicedesk import views_staff as servicedesk_staff_views
    from sunshine.signing import api as signing_api
    from sunshine.signing import views as signing_views
    from sunshine.smallworks import api as smallworks_api
    from sunshine.smallworks import views as smallworks_views
    from sunshine.supervision import api as supervision_api
    from sunshine.supervision import staff_views as supervision_staff_views
    from sunshine.supervision import views as supervision_views
    from sunshine.tenderdocs import api as tenderdocs_api
    from sunshine.tenderdocs import views as tenderdocs_views
    from sunshine.trading import api as trading_api
    from sunshine.trading import notices_api, notices_views, participation_api, participation_views
    from sunshine.trading import registration_views as trading_registration_views
    from sunshine.trading import step_views as trading_step_views
    from sunshine.trading import views as trading_views
    from sunshine.venues import api as venues_api
    from sunshine.venues import views as venues_views
    from sunshine.web import session_views, user_views, views

    app.include_router(views.health_router)
    app.include_router(identity_api.router)
    app.include_router(messaging_api.router)  # /api/v1/me/messages: one's own inbox
    app.include_router(messaging_views.router)
    app.include_router(committees_calling_api.router)  # the expert's assignments, the sign-in list
    app.include_router(committees_workbench_views.router)  # /expert
    app.include_router(ledger_api.router)
    app.include_router(calendar_api.router)
    app.include_router(alerts_api.router)
    app.include_router(credit_api.router)
    app.include_router(credit_views.router)
    app.include_router(incidents_api.router)
    app.include_router(incidents_views.router)
    app.include_router(venues_api.router)
    app.include_router(venues_views.router)
    app.include_router(experts_api.router)
    app.include_router(experts_views.router)
    app.include_router(experts_profile_views.router)
    app.include_router(qualifications_api.router)
    app.include_router(qualifications_views.router)
    app.include_router(signing_api.router)
    app.include_router(signing_views.router)
    app.include_router(rules_api.router)
    app.include_router(trading_api.router)
    app.include_router(trading_api.lifecycle_router)
    app.include_router(rules_views.router)
    app.include_router(views.router)
    from sunshine.web import portal_views

    app.include_router(portal_views.router)  # site map, 政务公开, holidays, process flowcharts
    app.include_router(user_views.router)  # /admin/users: platform users only
    app.include_router(session_views.router)  # /reauth: the password again before a sensitive step
    app.include_router(trading_registration_views.router)  # /projects/new before /projects/{project_id}
    app.include_router(trading_step_views.router)
    app.include_router(trading_views.router)
    app.include_router(notices_api.router)
    app.include_router(notices_views.router)
    app.include_router(participation_api.router)
    app.include_router(participation_views.router)
    app.include_router(auctions_api.router)
    app.include_router(auctions_views.router)
    app.include_router(smallworks_api.router)
    app.include_router(smallworks_views.router)
    app.include_router(procedure_api.router)
    app.include_router(procedure_views.router)
    app.include_router(procedure_invitation_views.router)
    app.include_router(bidding_api.router)
    app.include_router(bidding_views.router)
    app.include_router(disclosure_api.router)
    app.include_router(disclosure_views.router)
    app.include_router(channels_api.router)
    app.include_router(channels_views.router)
    app.include_router(channels_views.oneclick_router)
    app.include_router(policy_api.router)
    app.include_router(policy_api.concerns_router)
    app.include_router(policy_views.router)
    app.include_router(inforequests_api.router)
    app.include_router(inforequests_api.report_router)
    app.include_router(inforequests_views.router)
    app.include_router(inforequests_report_views.router)
    app.include_router(market_api.router)
    app.include_router(market_views.router)
    app.include_router(seals_api.router)
    app.include_router(seals_views.router)
    app.include_router(declarations_api.router)
    app.include_router(declarations_views.router)
    app.include_router(committees_api.router)
    app.include_router(committees_views.router)
    app.include_router(draws_api.router)
    app.include_router(draws_views.router)
    app.include_router(tenderdocs_api.router)
    app.include_router(tenderdocs_views.router)
    app.include_router(evaluation_api.router)
    app.include_router(evaluation_views.router)
    app.include_router(results_api.router)
    app.include_router(results_views.router)
    app.include_router(complaints_api.router)
    app.include_router(complaints_views.router)
    app.include_router(complaints_objection_routes.api_router)
    app.include_router(complaints_objection_routes.page_router)
    app.include_router(evaluation_record_api.router)
    app.include_router(evaluation_record_views.router)
    app.include_router(evaluation_reevaluation.api)
    app.include_router(evaluation_reevaluation.pages)
    app.include_router(evaluation_purchaser.api)
    app.include_router(evaluation_purchaser.pages)
    app.include_router(observers_api.router)
    app.include_router(evaluation_pricing_api.router)
    app.include_router(evaluation_pricing_views.router)
    app.include_router(awards_api.router)
    app.include_router(awards_views.router)
    app.include_router(awards_contract_api.router)
    app.include_router(awards_contract_views.router)
    app.include_router(performance_api.router)
    app.include_router(performance_views.router)
    app.include_router(archives_api.router)
    app.include_router(archives_views.router)
    app.include_router(opendata_api.router)
    app.include_router(opendata_views.router)
    app.include_router(monitoring_api.router)
    app.include_router(monitoring_views.router)
    app.include_router(servicedesk_api.router)
    app.include_router(servicedesk_views.router)
    app.include_router(servicedesk_staff_views.router)
    app.include_router(servicedesk_setup_views.router)
    app.include_router(governance_api.router)
    app.include_router(governance_views.router)
    app.include_router(governance_staff_views.router)
    app.include_router(governance_oversight_views.router)
    app.include_router(search_api.router)
    app.include_router(search_views.router)
    app.include_router(supervision_api.router)
    app.include_router(supervision_views.router)
    app.include_router(supervision_staff_views.router)
    return app
