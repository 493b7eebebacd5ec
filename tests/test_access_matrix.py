"""Every route, called as every role and anonymously, answers as its declared policy says.

The matrix below is the one place that says who may call what. A route added to the app without an
entry here fails ``test_every_route_is_in_the_matrix``; a route without an ``Access`` dependency
fails ``test_every_route_declares_access``.

``test_matrix`` runs for every caller on SQLite, and on PostgreSQL for a stratified subset
(``POSTGRES_CALLERS``: anonymous, the least-privileged signed-in role, two organisation roles, the
centre's staff and the administrator). Who may call a route is decided by its ``Access`` dependency
in Python, before any query, the same whatever the database; what PostgreSQL adds is the routes'
own queries, which every route still runs there, as an allowed and as a refused caller. The
callers' tokens are issued in batches (one commit per batch, still a fresh token for each request).

Every caller gets a freshly wiped database with its own organisation and users, but the callers share one
application (``matrix_app``, built once per module) and its list of routes: the app's OpenAPI document, which
``/api/v1/openapi.json`` serves, takes seconds to build per app, and listing the routes as long again; neither
depends on who calls. A signed-in caller's page forms carry the CSRF token of its session, computed from the
session's secret and checked against a real page's once per caller, rather than read from a page fetched before
each of the three hundred page forms.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core.auth import SESSION_COOKIE, Access
from sunshine.identity import service as identity
from sunshine.identity.models import TokenKind, User
from sunshine.identity.roles import Role
from sunshine.web import csrf
from tests.builders import make_org, make_user
from tests.conftest import BACKEND

PUBLIC = "public"
SIGNED_IN = "signed_in"
ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.ADMIN, Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR})
REGISTRARS = frozenset({Role.ADMIN, Role.CENTRE_STAFF})
BID_READERS = frozenset({Role.BIDDER, Role.SIGNER, Role.ORG_VIEWER})  # the organisation's own bids, read only
ENTRUSTMENT_READERS = frozenset({Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR})
QUAL_READERS = frozenset({Role.ENTERPRISE_ADMIN, Role.BIDDER})
QUAL_WRITERS = frozenset({Role.ENTERPRISE_ADMIN})
QUAL_EDITORS = frozenset({Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF})
CALL_READERS = frozenset({Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF, Role.EXPERT})
COMMITTEE_READERS = frozenset({Role.AGENCY, Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF})
QUAL_OFFICIALS = frozenset({Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR, Role.BIDDER})
EXPERT_POOL_READERS = frozenset({Role.COMMITTEE_OFFICE, Role.CENTRE_STAFF, Role.INDUSTRY_SUPERVISOR, Role.SUPERVISOR})
EXPERT_QUEUE_READERS = frozenset({Role.INDUSTRY_SUPERVISOR, Role.COMMITTEE_OFFICE})
EXPERT_SANCTIONERS = frozenset({Role.COMMITTEE_OFFICE, Role.INDUSTRY_SUPERVISOR})
EXPERT_RECORDERS = frozenset({Role.COMMITTEE_OFFICE, Role.CENTRE_STAFF})
EXPERT_TREE_EDITORS = frozenset({Role.CENTRE_STAFF, Role.COMMITTEE_OFFICE})
EVAL_MEMBERS = frozenset({Role.EXPERT, Role.TENDERER})
EVAL_READERS = frozenset({Role.EXPERT, Role.TENDERER, Role.CENTRE_STAFF, Role.AGENCY, Role.SUPERVISOR})
EVAL_DECLARATION_READERS = frozenset({Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR, Role.EXPERT})
RESULT_OFFICIALS = frozenset({Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR})
RESULT_PARTIES = frozenset({Role.TENDERER, Role.AGENCY})
RESULT_OBJECTORS = frozenset({Role.BIDDER, Role.ENTERPRISE_ADMIN})
EVAL_MINUTERS = frozenset({Role.CENTRE_STAFF, Role.EXPERT, Role.TENDERER})
EVAL_ARCHIVISTS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR})
PERF_TENDERER = frozenset({Role.AGENCY, Role.TENDERER})
PERF_PARTIES = frozenset({Role.AGENCY, Role.TENDERER, Role.BIDDER})
PERF_OVERSIGHT = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF})
COMPLAINT_FILERS = frozenset({Role.BIDDER, Role.ENTERPRISE_ADMIN})
COMPLAINT_READERS = frozenset({Role.BIDDER, Role.ENTERPRISE_ADMIN, Role.TENDERER, Role.AGENCY, Role.SUPERVISOR})
COMPLAINT_DEPARTMENT = frozenset({Role.SUPERVISOR})
MONITORING_READERS = frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF, Role.ADMIN})
RECORDING_READERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR, Role.ADMIN})
RECORDING_REQUESTERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR})
DESK = frozenset({Role.CENTRE_STAFF})
DESK_ADMIN = frozenset({Role.CENTRE_STAFF, Role.ADMIN})
GOV_OFFICE = frozenset({Role.DISCLOSURE_OFFICE})
GOV_ADOPTERS = frozenset({Role.COMMITTEE_OFFICE, Role.DISCLOSURE_OFFICE})
GOV_DISCUSSANTS = frozenset({Role.COMMITTEE_OFFICE, Role.DISCLOSURE_OFFICE, Role.GOVERNMENT_AFFAIRS})
GOV_READERS = frozenset({Role.COMMITTEE_OFFICE, Role.DISCLOSURE_OFFICE, Role.EVALUATOR, Role.GOVERNMENT_AFFAIRS})
GOV_DEPARTMENTS = frozenset({Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.INDUSTRY_SUPERVISOR, Role.SUPERVISOR})
GOV_ALL = frozenset(
    {
        Role.CENTRE_STAFF,
        Role.COMMITTEE_OFFICE,
        Role.DISCLOSURE_OFFICE,
        Role.EVALUATOR,
        Role.GOVERNMENT_AFFAIRS,
        Role.INDUSTRY_SUPERVISOR,
        Role.SUPERVISOR,
    }
)
GOV_DRAFTERS = frozenset({Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE})
GOV_DOC_READERS = frozenset(
    {Role.CENTRE_STAFF, Role.COMMITTEE_OFFICE, Role.DISCLOSURE_OFFICE, Role.EVALUATOR, Role.GOVERNMENT_AFFAIRS}
)
GOV_HIGHER = frozenset({Role.GOVERNMENT_AFFAIRS})
GOV_INSPECTORS = frozenset({Role.DISCLOSURE_OFFICE, Role.EVALUATOR, Role.GOVERNMENT_AFFAIRS})

SUPERVISION_HANDLERS = frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR, Role.DISCLOSURE_OFFICE})
SUPERVISION_PEOPLE = frozenset({Role.CENTRE_STAFF, Role.GOVERNMENT_AFFAIRS})
MATRIX: dict[tuple[str, str], str | frozenset[Role]] = {
    # identity
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("GET", "/reauth"): SIGNED_IN,
    ("POST", "/reauth"): SIGNED_IN,
    ("DELETE", "/api/v1/auth/token"): SIGNED_IN,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/users/{user_id}"): SIGNED_IN,
    ("GET", "/api/v1/organisations"): PUBLIC,
    ("GET", "/api/v1/organisations/{organisation_id}"): PUBLIC,
    ("POST", "/api/v1/organisations"): REGISTRARS,
    ("GET", "/api/v1/admin/users"): ADMIN,
    ("POST", "/api/v1/admin/users"): ADMIN,
    ("GET", "/api/v1/admin/login-locks"): ADMIN,
    ("POST", "/api/v1/admin/login-locks/lift"): ADMIN,
    ("PUT", "/api/v1/admin/users/{user_id}/roles"): ADMIN,
    ("PUT", "/api/v1/admin/users/{user_id}/active"): ADMIN,
    # ledger
    ("GET", "/api/v1/ledger/key"): PUBLIC,
    ("GET", "/api/v1/ledger/key.pem"): PUBLIC,
    ("GET", "/api/v1/ledger/head"): PUBLIC,
    ("GET", "/api/v1/ledger/heads/{size}"): PUBLIC,
    ("GET", "/api/v1/ledger/entries"): PUBLIC,
    ("GET", "/api/v1/ledger/entries/{seq}"): PUBLIC,
    ("GET", "/api/v1/ledger/entries/{seq}/proof"): PUBLIC,
    ("GET", "/api/v1/ledger/consistency"): PUBLIC,
    # calendar
    ("GET", "/api/v1/calendar/deadline"): PUBLIC,
    ("GET", "/api/v1/calendar/latest-before"): PUBLIC,
    ("GET", "/api/v1/calendar/years/{year}"): PUBLIC,
    ("PUT", "/api/v1/calendar/days/{day}"): ADMIN,
    ("DELETE", "/api/v1/calendar/days/{day}"): ADMIN,
    ("POST", "/api/v1/calendar/years"): ADMIN,
    ("GET", "/api/v1/calendar/deadlines"): STAFF,
    # alerts of every domain (one's own)
    ("GET", "/api/v1/alerts"): SIGNED_IN,
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): SIGNED_IN,
    # trading: projects
    ("POST", "/api/v1/projects"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/projects"): PUBLIC,
    ("GET", "/api/v1/projects/queue"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/projects/{project_id}"): PUBLIC,
    ("GET", "/api/v1/projects/{project_id}/timeline"): PUBLIC,
    ("PUT", "/api/v1/projects/{project_id}"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/accept"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/projects/{project_id}/return"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/projects/{project_id}/terminate"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/api/v1/projects/{project_id}/suspend"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/api/v1/projects/{project_id}/resume"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/api/v1/projects/{project_id}/close"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/lifecycle"): PUBLIC,
    # trading: project pages
    ("GET", "/projects"): PUBLIC,
    ("GET", "/projects/green"): PUBLIC,
    ("GET", "/projects/mine"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/projects/new"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/new"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/projects/{project_id}"): PUBLIC,
    ("GET", "/projects/{project_id}/edit"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/edit"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/accept"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/return"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/terminate"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/projects/{project_id}/suspend"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/projects/{project_id}/resume"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/staff/queue"): frozenset({Role.CENTRE_STAFF}),
    # trading: registration, qualification, deposits
    ("POST", "/api/v1/projects/{project_id}/sections/{section_id}/registrations"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/projects/{project_id}/registrations"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("GET", "/api/v1/registrations/mine"): frozenset({Role.BIDDER, Role.ORG_VIEWER}),
    ("POST", "/api/v1/registrations/{registration_id}/documents"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/registrations/{registration_id}/withdraw"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/registrations/{registration_id}/qualification"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/messages"): SIGNED_IN,
    ("PUT", "/api/v1/projects/{project_id}/sections/{section_id}/deposit"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/registrations/{registration_id}/deposit"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/deposits/{deposit_id}/confirm"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/deposits/{deposit_id}/guarantee"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/deposits/{deposit_id}/refund"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/deposits/overdue"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/api/v1/projects/{project_id}/retender"): frozenset({Role.AGENCY, Role.TENDERER}),
    # sealed bids and the opening
    ("GET", "/api/v1/sections/{section_id}/bid-binding"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/sections/{section_id}/bids"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/bids/mine"): BID_READERS,
    ("GET", "/api/v1/bids/{bid_no}"): BID_READERS,
    ("GET", "/api/v1/bids/{bid_no}/receipt"): BID_READERS,
    ("POST", "/api/v1/bids/{bid_no}/withdraw"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/bids/{bid_no}/reveal"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/bids/{bid_no}/platform-fault"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/projects/{project_id}/opening"): PUBLIC,
    ("POST", "/api/v1/projects/{project_id}/opening"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/projects/{project_id}/opening/close-decryption"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/projects/{project_id}/opening/objections"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/opening-objections/{objection_id}/answer"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/opening/confirm"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("GET", "/my/bids"): BID_READERS,
    ("GET", "/my/bids/{bid_no}/receipt"): BID_READERS,
    ("POST", "/my/bids/{bid_no}/withdraw"): frozenset({Role.BIDDER}),
    ("GET", "/projects/{project_id}/sections/{section_id}/bid"): frozenset({Role.BIDDER}),
    ("POST", "/projects/{project_id}/sections/{section_id}/bid"): frozenset({Role.BIDDER}),
    ("GET", "/projects/{project_id}/opening"): PUBLIC,
    ("GET", "/projects/{project_id}/opening/live"): PUBLIC,
    ("POST", "/projects/{project_id}/opening/start"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/opening/reveal"): frozenset({Role.BIDDER}),
    ("POST", "/projects/{project_id}/opening/objections"): frozenset({Role.BIDDER}),
    ("POST", "/projects/{project_id}/opening/objections/{objection_id}/answer"): frozenset(
        {Role.AGENCY, Role.TENDERER}
    ),
    ("POST", "/projects/{project_id}/opening/platform-fault"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/opening/close-decryption"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/opening/confirm"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("GET", "/my/registrations"): frozenset({Role.BIDDER, Role.ORG_VIEWER}),
    ("GET", "/projects/{project_id}/register"): frozenset({Role.BIDDER}),
    ("POST", "/projects/{project_id}/register"): frozenset({Role.BIDDER}),
    ("POST", "/my/registrations/{registration_id}/documents"): frozenset({Role.BIDDER}),
    ("POST", "/my/registrations/{registration_id}/withdraw"): frozenset({Role.BIDDER}),
    ("POST", "/my/registrations/{registration_id}/deposit"): frozenset({Role.BIDDER}),
    ("POST", "/my/deposits/{deposit_id}/guarantee"): frozenset({Role.BIDDER}),
    ("GET", "/projects/{project_id}/registrations"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/projects/{project_id}/registrations/{registration_id}/qualification"): frozenset(
        {Role.AGENCY, Role.TENDERER}
    ),
    ("POST", "/projects/{project_id}/sections/{section_id}/deposit"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/staff/deposits"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/deposits/{deposit_id}/confirm"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/deposits/{deposit_id}/refund"): frozenset({Role.CENTRE_STAFF}),
    # trading: notices
    ("POST", "/api/v1/projects/{project_id}/notices"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/notices/{notice_id}/amendments"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/notices"): PUBLIC,
    ("GET", "/api/v1/notices/{notice_id}"): PUBLIC,
    ("GET", "/api/v1/files/{sha256}"): PUBLIC,
    ("GET", "/notices"): PUBLIC,
    ("GET", "/notices/{notice_id}"): PUBLIC,
    ("GET", "/projects/{project_id}/notices/new"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/notices/new"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/projects/{project_id}/notices/{notice_id}/amend"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/notices/{notice_id}/amend"): frozenset({Role.AGENCY, Role.TENDERER}),
    # online auctions (网上竞价)
    ("POST", "/api/v1/projects/{project_id}/sections/{section_id}/auction"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/projects/{project_id}/auctions"): PUBLIC,
    ("GET", "/api/v1/auctions/{auction_id}"): PUBLIC,
    ("GET", "/api/v1/auctions/{auction_id}/bids"): PUBLIC,
    ("POST", "/api/v1/auctions/{auction_id}/bids"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/auctions/{auction_id}/paddle"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/auctions/{auction_id}/paddle"): frozenset({Role.BIDDER}),
    ("GET", "/projects/{project_id}/auctions"): PUBLIC,
    ("POST", "/projects/{project_id}/auctions"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/auctions/{auction_id}"): PUBLIC,
    ("GET", "/auctions/{auction_id}/live"): PUBLIC,
    ("POST", "/auctions/{auction_id}/bids"): frozenset({Role.BIDDER}),
    ("POST", "/auctions/{auction_id}/paddle"): frozenset({Role.BIDDER}),
    # small-works fixed-price draw (小额工程固定价抽取)
    ("GET", "/api/v1/smallworks/projects/{project_id}"): PUBLIC,
    ("POST", "/api/v1/smallworks/projects/{project_id}/prepare"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/smallworks/projects/{project_id}/sections/{section_id}/decline"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/projects/{project_id}/smallworks"): PUBLIC,
    ("POST", "/projects/{project_id}/smallworks/prepare"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/smallworks/sections/{section_id}/decline"): frozenset({Role.CENTRE_STAFF}),
    # channels: feeds, subscriptions, kiosk
    ("GET", "/feeds"): PUBLIC,
    ("GET", "/feeds/notices.atom"): PUBLIC,
    ("GET", "/feeds/notices.rss"): PUBLIC,
    ("GET", "/feeds/category/{category_code}.atom"): PUBLIC,
    ("GET", "/feeds/category/{category_code}.rss"): PUBLIC,
    ("GET", "/feeds/projects/{project_code}.atom"): PUBLIC,
    ("GET", "/feeds/projects/{project_code}.rss"): PUBLIC,
    ("POST", "/subscriptions"): PUBLIC,
    ("GET", "/subscriptions/confirm"): PUBLIC,
    ("POST", "/subscriptions/confirm"): PUBLIC,
    ("GET", "/subscriptions/manage"): PUBLIC,
    ("POST", "/subscriptions/manage"): PUBLIC,
    ("GET", "/subscriptions/unsubscribe"): PUBLIC,
    ("POST", "/subscriptions/unsubscribe"): PUBLIC,
    ("GET", "/kiosk"): PUBLIC,
    ("GET", "/kiosk/panel"): PUBLIC,
    ("GET", "/api/v1/subscriptions/categories"): PUBLIC,
    ("POST", "/api/v1/subscriptions"): PUBLIC,
    ("POST", "/api/v1/subscriptions/confirm"): PUBLIC,
    ("GET", "/api/v1/subscriptions/manage"): PUBLIC,
    ("PUT", "/api/v1/subscriptions/manage"): PUBLIC,
    ("POST", "/api/v1/subscriptions/unsubscribe"): PUBLIC,
    # policy: documents, interpretations, public concerns
    ("GET", "/policies"): PUBLIC,
    ("GET", "/policies/{policy_id}"): PUBLIC,
    ("GET", "/policies/{policy_id}/attachment"): PUBLIC,
    ("GET", "/interpretations/{interpretation_id}"): PUBLIC,
    ("GET", "/concerns"): PUBLIC,
    ("POST", "/concerns"): PUBLIC,
    ("GET", "/concerns/{concern_id}"): PUBLIC,
    ("GET", "/staff/policies/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/policies/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/staff/policies/{policy_id}/interpretations/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/policies/{policy_id}/interpretations/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/staff/concerns"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/concerns/{concern_id}/answer"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/concerns/{concern_id}/publish"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/policies"): PUBLIC,
    ("GET", "/api/v1/search"): PUBLIC,
    ("GET", "/search"): PUBLIC,
    ("POST", "/api/v1/policies"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/policies/{policy_id}"): PUBLIC,
    ("POST", "/api/v1/policies/{policy_id}/interpretations"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/policies/{policy_id}/interpretations/{interpretation_id}"): PUBLIC,
    ("GET", "/api/v1/concerns"): PUBLIC,
    ("POST", "/api/v1/concerns"): PUBLIC,
    ("GET", "/api/v1/concerns/queue"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/concerns/{concern_id}"): PUBLIC,
    ("POST", "/api/v1/concerns/{concern_id}/answer"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/concerns/{concern_id}/publish"): frozenset({Role.DISCLOSURE_OFFICE}),
    # disclosure: catalog, obligations, publications and review, negative list, compliance
    ("GET", "/api/v1/disclosure/catalog"): PUBLIC,
    ("GET", "/api/v1/disclosure/catalog/items/{item_code}"): PUBLIC,
    ("PUT", "/api/v1/disclosure/catalog/items/{item_code}"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/disclosure/obligations"): STAFF,
    ("POST", "/api/v1/disclosure/obligations"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("GET", "/api/v1/disclosure/alerts"): STAFF,
    ("GET", "/api/v1/disclosure/publications"): PUBLIC,
    ("GET", "/api/v1/disclosure/publications/{publication_id}"): PUBLIC,
    ("GET", "/api/v1/disclosure/review-queue"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/disclosure/publications"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("PUT", "/api/v1/disclosure/publications/{publication_id}"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/disclosure/publications/{publication_id}/submit"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/disclosure/publications/{publication_id}/redact"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/disclosure/publications/{publication_id}/findings/{finding_id}/dismiss"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/disclosure/publications/{publication_id}/approve"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/disclosure/publications/{publication_id}/withdraw"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("GET", "/api/v1/disclosure/negative-list"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/disclosure/negative-list"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("DELETE", "/api/v1/disclosure/negative-list/{term_id}"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/disclosure/compliance"): PUBLIC,
    ("GET", "/disclosure/catalog"): PUBLIC,
    ("GET", "/disclosure/catalog.xlsx"): PUBLIC,
    ("GET", "/disclosure/catalog/items/{item_code}"): PUBLIC,
    ("POST", "/disclosure/catalog/items/{item_code}/revise"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/disclosure/publications"): PUBLIC,
    ("GET", "/disclosure/publications/{publication_id}"): PUBLIC,
    ("GET", "/disclosure/compliance"): PUBLIC,
    ("GET", "/staff/disclosure"): STAFF,
    ("GET", "/staff/disclosure/obligations"): STAFF,
    ("POST", "/staff/disclosure/obligations"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("GET", "/staff/disclosure/review"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("POST", "/staff/disclosure/publications"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("GET", "/staff/disclosure/publications/{publication_id}"): frozenset({Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}),
    ("POST", "/staff/disclosure/publications/{publication_id}/edit"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/staff/disclosure/publications/{publication_id}/submit"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/staff/disclosure/publications/{publication_id}/redact"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/staff/disclosure/publications/{publication_id}/findings/{finding_id}/dismiss"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/staff/disclosure/publications/{publication_id}/approve"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("POST", "/staff/disclosure/publications/{publication_id}/withdraw"): frozenset(
        {Role.DISCLOSURE_OFFICE, Role.CENTRE_STAFF}
    ),
    ("GET", "/staff/disclosure/negative-list"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/disclosure/negative-list"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/disclosure/negative-list/{term_id}/remove"): frozenset({Role.DISCLOSURE_OFFICE}),
    # rule packs
    ("GET", "/api/v1/rules"): PUBLIC,
    ("GET", "/api/v1/rules/{key}"): PUBLIC,
    ("GET", "/api/v1/rules/{key}/versions"): PUBLIC,
    ("PUT", "/api/v1/rules/{key}/overrides/{rule_id}"): ADMIN,
    ("DELETE", "/api/v1/rules/{key}/overrides/{rule_id}"): ADMIN,
    ("GET", "/rules"): PUBLIC,
    ("GET", "/rules/{key}"): PUBLIC,
    ("POST", "/rules/{key}/overrides/{rule_id}"): ADMIN,
    ("POST", "/rules/{key}/overrides/{rule_id}/clear"): ADMIN,
    # information requests (依申请公开) and the annual report
    ("POST", "/api/v1/requests"): PUBLIC,
    ("POST", "/api/v1/requests/intake"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/lookup"): PUBLIC,
    ("GET", "/api/v1/requests/stats"): PUBLIC,
    ("PUT", "/api/v1/requests/regime"): ADMIN,
    ("GET", "/api/v1/requests"): frozenset({Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/api/v1/requests/{request_id}"): frozenset({Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/requests/{request_id}/correction"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/corrected"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/route"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/opinion"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/requests/{request_id}/consultation"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/consultation-end"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/extend"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/delay"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/answer"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/close"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/api/v1/requests/{request_id}/reviews"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/disclosure/annual-report/{year}"): PUBLIC,
    ("GET", "/requests/new"): PUBLIC,
    ("POST", "/requests/new"): PUBLIC,
    ("GET", "/requests/receipt"): PUBLIC,
    ("GET", "/requests/lookup"): PUBLIC,
    ("POST", "/requests/lookup"): PUBLIC,
    ("GET", "/requests/stats"): PUBLIC,
    ("GET", "/requests/{request_id}/letter"): PUBLIC,
    ("GET", "/staff/requests"): frozenset({Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/staff/requests/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/new"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/staff/requests/{request_id}"): frozenset({Role.DISCLOSURE_OFFICE, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/staff/requests/{request_id}/correction"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/corrected"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/route"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/opinion"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/staff/requests/{request_id}/consultation"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/consultation-end"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/extend"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/delay"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/answer"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/close"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/review"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("POST", "/staff/requests/{request_id}/reviews/{review_id}/decide"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/admin/requests/regime"): ADMIN,
    ("POST", "/admin/requests/regime"): ADMIN,
    ("GET", "/disclosure/annual-report"): PUBLIC,
    ("GET", "/disclosure/annual-report/{year}.xlsx"): PUBLIC,
    ("GET", "/disclosure/annual-report/{year}"): PUBLIC,
    ("POST", "/disclosure/annual-report/{year}"): frozenset({Role.DISCLOSURE_OFFICE}),
    # credit: records and bans (the supervisory department), the public list
    ("POST", "/api/v1/credit/records"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/credit/records"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/credit/bans"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/credit/bans"): PUBLIC,
    ("GET", "/credit"): PUBLIC,
    ("GET", "/staff/credit"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/credit/records"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/credit/bans"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/credit/records/{record_id}/revoke"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/credit/bans/{ban_id}/lift"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/credit/lookup"): PUBLIC,
    ("POST", "/api/v1/credit/reviews"): frozenset({Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/api/v1/credit/ratings"): PUBLIC,
    ("GET", "/api/v1/credit/ratings/all"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/credit/ratings/{year}/compute"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/credit/ratings/{year}/publish"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/credit/records/{record_id}/revoke"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/credit/bans/{ban_id}/lift"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/credit/ratings"): frozenset({Role.SUPERVISOR}),
    ("GET", "/staff/credit/ratings"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/me/credit/reviews"): frozenset({Role.TENDERER, Role.AGENCY}),
    ("POST", "/me/credit/reviews"): frozenset({Role.TENDERER, Role.AGENCY}),
    # platform incidents: the centre declares and ends, the supervisory department confirms, everyone reads
    ("POST", "/api/v1/incidents"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/incidents/{incident_id}/confirm"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/incidents/{incident_id}/end"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/incidents"): PUBLIC,
    ("GET", "/api/v1/incidents/{incident_id}"): PUBLIC,
    ("GET", "/incidents"): PUBLIC,
    ("GET", "/incidents/{incident_id}"): PUBLIC,
    ("GET", "/staff/incidents"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/staff/incidents"): frozenset({Role.CENTRE_STAFF}),
    # signing keys: signers register and rotate, the enterprise administrator approves, both revoke
    ("GET", "/api/v1/signing/keys"): frozenset({Role.SIGNER, Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.ORG_VIEWER}),
    ("GET", "/api/v1/signing/keys/{key_id}"): frozenset(
        {Role.SIGNER, Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.ORG_VIEWER}
    ),
    ("POST", "/api/v1/signing/keys"): frozenset({Role.SIGNER}),
    ("POST", "/api/v1/signing/keys/{key_id}/rotate"): frozenset({Role.SIGNER}),
    ("POST", "/api/v1/signing/keys/{key_id}/approve"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/api/v1/signing/keys/{key_id}/revoke"): frozenset({Role.SIGNER, Role.ENTERPRISE_ADMIN}),
    ("GET", "/signing/keys"): frozenset({Role.SIGNER, Role.ENTERPRISE_ADMIN, Role.BIDDER, Role.ORG_VIEWER}),
    ("POST", "/signing/keys"): frozenset({Role.SIGNER}),
    ("POST", "/signing/keys/{key_id}/approve"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/signing/keys/{key_id}/revoke"): frozenset({Role.SIGNER, Role.ENTERPRISE_ADMIN}),
    ("POST", "/staff/incidents/{incident_id}/confirm"): frozenset({Role.SUPERVISOR}),
    ("POST", "/staff/incidents/{incident_id}/end"): frozenset({Role.CENTRE_STAFF}),
    # expert pool (评标专家库)
    ("GET", "/api/v1/experts/specialties"): PUBLIC,
    ("POST", "/api/v1/experts/specialties"): EXPERT_TREE_EDITORS,
    ("GET", "/api/v1/experts/statistics"): PUBLIC,
    ("GET", "/api/v1/experts/published"): PUBLIC,
    ("POST", "/api/v1/experts/applications"): PUBLIC,
    ("GET", "/api/v1/experts/applications"): EXPERT_QUEUE_READERS,
    ("GET", "/api/v1/experts/applications/mine"): SIGNED_IN,
    ("GET", "/api/v1/experts/applications/{application_id}"): SIGNED_IN,
    ("POST", "/api/v1/experts/applications/{application_id}/review"): frozenset({Role.INDUSTRY_SUPERVISOR}),
    ("POST", "/api/v1/experts/applications/{application_id}/decision"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/api/v1/experts/employer-applications"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/api/v1/experts/employer-applications"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/api/v1/experts"): EXPERT_POOL_READERS,
    ("GET", "/api/v1/experts/me"): SIGNED_IN,
    ("GET", "/api/v1/experts/{expert_id}"): SIGNED_IN,
    ("PUT", "/api/v1/experts/{expert_id}/contact"): SIGNED_IN,
    ("POST", "/api/v1/experts/{expert_id}/leaves"): SIGNED_IN,
    ("POST", "/api/v1/experts/leaves/{leave_id}/cancel"): SIGNED_IN,
    ("POST", "/api/v1/experts/{expert_id}/conflicts"): SIGNED_IN,
    ("POST", "/api/v1/experts/conflicts/{conflict_id}/withdraw"): SIGNED_IN,
    ("POST", "/api/v1/experts/{expert_id}/trainings"): SIGNED_IN,
    ("POST", "/api/v1/experts/{expert_id}/sanctions"): EXPERT_SANCTIONERS,
    ("POST", "/api/v1/experts/sanctions/{sanction_id}/lift"): EXPERT_SANCTIONERS,
    ("POST", "/api/v1/experts/{expert_id}/removal"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/api/v1/experts/{expert_id}/evaluations"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/api/v1/experts/evaluations/publish"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/api/v1/experts/{expert_id}/reappointment"): frozenset({Role.COMMITTEE_OFFICE}),
    ("GET", "/experts"): PUBLIC,
    ("GET", "/experts/published"): PUBLIC,
    ("GET", "/experts/apply"): PUBLIC,
    ("POST", "/experts/apply"): PUBLIC,
    ("GET", "/experts/recommend"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/experts/recommend"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/expert/profile"): SIGNED_IN,
    ("POST", "/expert/profile/contact"): SIGNED_IN,
    ("POST", "/expert/profile/leaves"): SIGNED_IN,
    ("POST", "/expert/profile/leaves/{leave_id}/cancel"): SIGNED_IN,
    ("POST", "/expert/profile/trainings"): SIGNED_IN,
    ("POST", "/expert/profile/conflicts"): SIGNED_IN,
    ("POST", "/expert/profile/conflicts/{conflict_id}/withdraw"): SIGNED_IN,
    ("GET", "/staff/experts"): EXPERT_POOL_READERS,
    ("GET", "/staff/experts/{expert_id}"): EXPERT_POOL_READERS,
    ("POST", "/staff/experts/{expert_id}/sanctions"): EXPERT_SANCTIONERS,
    ("POST", "/staff/experts/sanctions/{sanction_id}/lift"): EXPERT_SANCTIONERS,
    ("POST", "/staff/experts/{expert_id}/removal"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/staff/experts/{expert_id}/evaluations"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/staff/experts/{expert_id}/reappointment"): frozenset({Role.COMMITTEE_OFFICE}),
    ("POST", "/staff/experts/{expert_id}/leaves"): EXPERT_RECORDERS,
    ("POST", "/staff/experts/{expert_id}/trainings"): EXPERT_RECORDERS,
    ("POST", "/staff/experts/evaluations/publish"): frozenset({Role.COMMITTEE_OFFICE}),
    ("GET", "/staff/experts-applications"): EXPERT_QUEUE_READERS,
    ("GET", "/staff/experts-applications/{application_id}"): EXPERT_QUEUE_READERS,
    ("POST", "/staff/experts-applications/{application_id}/review"): frozenset({Role.INDUSTRY_SUPERVISOR}),
    ("POST", "/staff/experts-applications/{application_id}/decision"): frozenset({Role.COMMITTEE_OFFICE}),
    ("GET", "/staff/experts-specialties"): EXPERT_TREE_EDITORS,
    ("POST", "/staff/experts-specialties"): EXPERT_TREE_EDITORS,
    # market register (市场主体库)
    ("POST", "/api/v1/market/applications"): PUBLIC,
    ("GET", "/api/v1/market/mine"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("PUT", "/api/v1/market/applications/{application_id}"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/api/v1/market/changes"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/api/v1/market/queue"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/api/v1/market/applications/{application_id}"): frozenset(
        {Role.ENTERPRISE_ADMIN, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/api/v1/market/applications/{application_id}/decision"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/market/applications/{application_id}/licence"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/api/v1/market/enterprises"): PUBLIC,
    ("GET", "/api/v1/market/agencies"): PUBLIC,
    ("GET", "/api/v1/market/users"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/api/v1/market/users"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("PUT", "/api/v1/market/users/{user_id}/roles"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("PUT", "/api/v1/market/users/{user_id}/active"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/api/v1/market/staff"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/api/v1/market/staff"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("DELETE", "/api/v1/market/staff/{staff_id}"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/api/v1/market/projects/{project_id}/entrustments"): ENTRUSTMENT_READERS,
    ("POST", "/api/v1/market/projects/{project_id}/entrustments"): frozenset({Role.TENDERER, Role.CENTRE_STAFF}),
    ("GET", "/market/register"): PUBLIC,
    ("POST", "/market/register"): PUBLIC,
    ("GET", "/market/mine"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/applications/{application_id}"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/changes"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/users"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/users/{user_id}/roles"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/users/{user_id}/active"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/staff"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("POST", "/market/mine/staff/{staff_id}/remove"): frozenset({Role.ENTERPRISE_ADMIN}),
    ("GET", "/staff/market"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/staff/market/{application_id}"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("POST", "/staff/market/{application_id}/decision"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/staff/market/{application_id}/licence"): frozenset({Role.CENTRE_STAFF, Role.SUPERVISOR}),
    ("GET", "/market/enterprises"): PUBLIC,
    ("GET", "/market/agencies"): PUBLIC,
    ("GET", "/market/organisations/{organisation_id}"): PUBLIC,
    ("GET", "/market/projects/{project_id}/entrustment"): ENTRUSTMENT_READERS,
    ("POST", "/market/projects/{project_id}/entrustment"): frozenset({Role.TENDERER, Role.CENTRE_STAFF}),
    ("GET", "/market/entrustments/{entrustment_id}/file"): ENTRUSTMENT_READERS,
    # qualifications: the enterprise keeps its records; the parties and the centre edit requirements
    ("GET", "/api/v1/qualifications/certificates"): QUAL_READERS,
    ("POST", "/api/v1/qualifications/certificates"): QUAL_WRITERS,
    ("PUT", "/api/v1/qualifications/certificates/{record_id}"): QUAL_WRITERS,
    ("POST", "/api/v1/qualifications/certificates/{record_id}/retire"): QUAL_WRITERS,
    ("GET", "/api/v1/qualifications/certificates/{record_id}/history"): QUAL_READERS,
    ("POST", "/api/v1/qualifications/certificates/{record_id}/file"): QUAL_WRITERS,
    ("GET", "/api/v1/qualifications/people"): QUAL_READERS,
    ("POST", "/api/v1/qualifications/people"): QUAL_WRITERS,
    ("PUT", "/api/v1/qualifications/people/{record_id}"): QUAL_WRITERS,
    ("POST", "/api/v1/qualifications/people/{record_id}/retire"): QUAL_WRITERS,
    ("GET", "/api/v1/qualifications/people/{record_id}/history"): QUAL_READERS,
    ("GET", "/api/v1/qualifications/performance"): QUAL_READERS,
    ("POST", "/api/v1/qualifications/performance"): QUAL_WRITERS,
    ("PUT", "/api/v1/qualifications/performance/{record_id}"): QUAL_WRITERS,
    ("POST", "/api/v1/qualifications/performance/{record_id}/retire"): QUAL_WRITERS,
    ("GET", "/api/v1/qualifications/performance/{record_id}/history"): QUAL_READERS,
    ("POST", "/api/v1/qualifications/performance/{record_id}/file"): QUAL_WRITERS,
    ("GET", "/api/v1/qualifications/sections/{section_id}/requirements"): PUBLIC,
    ("POST", "/api/v1/qualifications/sections/{section_id}/requirements"): QUAL_EDITORS,
    ("DELETE", "/api/v1/qualifications/sections/{section_id}/requirements/{requirement_id}"): QUAL_EDITORS,
    ("GET", "/api/v1/qualifications/sections/{section_id}/assessment"): QUAL_OFFICIALS,
    ("GET", "/api/v1/qualifications/projects/{project_id}/manager-conflicts"): QUAL_OFFICIALS,
    ("GET", "/my/qualifications"): QUAL_READERS,
    ("POST", "/my/qualifications/certificates"): QUAL_WRITERS,
    ("POST", "/my/qualifications/people"): QUAL_WRITERS,
    ("POST", "/my/qualifications/performance"): QUAL_WRITERS,
    ("GET", "/my/qualifications/{kind}/{record_id}"): QUAL_READERS,
    ("POST", "/my/qualifications/{kind}/{record_id}"): QUAL_WRITERS,
    ("POST", "/my/qualifications/{kind}/{record_id}/file"): QUAL_WRITERS,
    ("POST", "/my/qualifications/{kind}/{record_id}/retire"): QUAL_WRITERS,
    ("GET", "/my/qualifications/{kind}/{record_id}/file"): QUAL_READERS,
    ("GET", "/projects/{project_id}/qualifications"): QUAL_EDITORS,
    ("POST", "/projects/{project_id}/sections/{section_id}/requirements"): QUAL_EDITORS,
    ("POST", "/projects/{project_id}/sections/{section_id}/requirements/{requirement_id}/delete"): QUAL_EDITORS,
    ("GET", "/projects/{project_id}/sections/{section_id}/assessment"): QUAL_OFFICIALS,
    # electronic seals: everyone reads a document they may see and verifies a seal; signers seal (and agency staff
    # sign their own declarations); declarations of no interest for the project's parties and the centre
    ("GET", "/api/v1/seals/verify/{code}"): PUBLIC,
    ("GET", "/api/v1/seals/{kind}/{document_id}"): PUBLIC,
    ("POST", "/api/v1/seals/{kind}/{document_id}"): frozenset({Role.SIGNER, Role.AGENCY}),
    ("GET", "/seals/{kind}/{document_id}"): PUBLIC,
    ("POST", "/seals/{kind}/{document_id}"): frozenset({Role.SIGNER, Role.AGENCY}),
    ("GET", "/verify/{code}"): PUBLIC,
    ("GET", "/verify/{code}/document.txt"): PUBLIC,
    ("GET", "/verify/{code}/seal.json"): PUBLIC,
    ("GET", "/verify/{code}/sealed.pdf"): PUBLIC,
    ("GET", "/verify/{code}/qr.svg"): PUBLIC,
    # expert draw requests: the project's agency or tenderer asks, the supervisory department decides, the centre draws
    ("GET", "/api/v1/committees/projects/{project_id}/requests"): COMMITTEE_READERS,
    ("POST", "/api/v1/committees/projects/{project_id}/requests"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/committees/queue"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/api/v1/committees/requests/{request_id}"): COMMITTEE_READERS,
    ("POST", "/api/v1/committees/requests/{request_id}/approve"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/committees/requests/{request_id}/return"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/committees/requests/{request_id}/cancel"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/committees/requests/{request_id}/draw"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/projects/{project_id}/expert-draws"): COMMITTEE_READERS,
    ("POST", "/projects/{project_id}/expert-draws"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/expert-draws"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/expert-draws/{request_id}"): COMMITTEE_READERS,
    ("POST", "/expert-draws/{request_id}/approve"): frozenset({Role.SUPERVISOR}),
    ("POST", "/expert-draws/{request_id}/return"): frozenset({Role.SUPERVISOR}),
    ("POST", "/expert-draws/{request_id}/cancel"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/expert-draws/{request_id}/draw"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/projects/{project_id}/declarations"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/api/v1/projects/{project_id}/declarations"): frozenset({Role.AGENCY}),
    ("GET", "/projects/{project_id}/declarations"): frozenset(
        {Role.AGENCY, Role.TENDERER, Role.CENTRE_STAFF, Role.SUPERVISOR}
    ),
    ("POST", "/projects/{project_id}/declarations"): frozenset({Role.AGENCY}),
    # tender documents: the centre keeps the templates, the agency drafts and files, the purchaser confirms, the
    # finance department orders changes; each holder acknowledges changes under /me, the agency sees the receipts
    ("GET", "/api/v1/tender-templates"): COMMITTEE_READERS,
    ("POST", "/api/v1/tender-templates"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/projects/{project_id}/tender-documents"): COMMITTEE_READERS,
    ("POST", "/api/v1/projects/{project_id}/tender-documents"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/tender-documents/confirm"): frozenset({Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/tender-documents/file"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/tender-documents/orders"): frozenset({Role.SUPERVISOR}),
    ("POST", "/api/v1/projects/{project_id}/tender-documents/amendment"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/projects/{project_id}/acknowledgements"): COMMITTEE_READERS,
    ("GET", "/api/v1/me/acknowledgements"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/me/acknowledgements/{notice_id}"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/tender-documents/filings"): frozenset({Role.SUPERVISOR}),
    ("GET", "/projects/{project_id}/tender-documents"): COMMITTEE_READERS,
    ("POST", "/projects/{project_id}/tender-documents"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/tender-documents/confirm"): frozenset({Role.TENDERER}),
    ("POST", "/projects/{project_id}/tender-documents/file"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/tender-documents/orders"): frozenset({Role.SUPERVISOR}),
    ("POST", "/projects/{project_id}/tender-documents/amendment"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/projects/{project_id}/acknowledgements"): COMMITTEE_READERS,
    ("GET", "/tender-templates"): COMMITTEE_READERS,
    ("POST", "/tender-templates"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/tender-documents/filings"): frozenset({Role.SUPERVISOR}),
    ("GET", "/me/acknowledgements"): frozenset({Role.BIDDER}),
    ("POST", "/me/acknowledgements/{notice_id}"): frozenset({Role.BIDDER}),
    # each drawn reviewer reads the documents and submits their own opinion; the parties and officials read them
    ("GET", "/api/v1/projects/{project_id}/tender-documents/opinions"): COMMITTEE_READERS,
    ("GET", "/api/v1/expert/tender-reviews/{project_id}"): frozenset({Role.EXPERT}),
    ("POST", "/api/v1/expert/tender-reviews/{project_id}"): frozenset({Role.EXPERT}),
    ("GET", "/expert/tender-reviews/{project_id}"): frozenset({Role.EXPERT}),
    ("POST", "/expert/tender-reviews/{project_id}"): frozenset({Role.EXPERT}),
    # publicly verifiable draws: the record and the room are public (no ref or name before disclosure); the room's
    # steps need a signed-in caller and the service decides who takes each (party, witness, centre staff)
    ("GET", "/api/v1/draws"): PUBLIC,
    ("GET", "/api/v1/draws/{code}/record"): PUBLIC,
    ("GET", "/api/v1/draws/{code}/room"): PUBLIC,
    ("POST", "/api/v1/draws/{code}/sign-in"): SIGNED_IN,
    ("POST", "/api/v1/draws/{code}/commitment"): SIGNED_IN,
    ("POST", "/api/v1/draws/{code}/start"): SIGNED_IN,
    ("POST", "/api/v1/draws/{code}/reveal"): SIGNED_IN,
    ("POST", "/api/v1/draws/{code}/finish"): SIGNED_IN,
    ("POST", "/api/v1/draws/{code}/beacon"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/draws/{code}/outcomes"): SIGNED_IN,
    ("GET", "/draws"): PUBLIC,
    ("GET", "/draws/{code}"): PUBLIC,
    ("GET", "/draws/{code}/room"): PUBLIC,
    ("GET", "/draws/{code}/room/live"): PUBLIC,
    ("POST", "/draws/{code}/room/sign-in"): SIGNED_IN,
    ("POST", "/draws/{code}/room/start"): SIGNED_IN,
    ("POST", "/draws/{code}/room/finish"): SIGNED_IN,
    ("POST", "/draws/{code}/room/beacon"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/draws/{code}/room/commit"): SIGNED_IN,
    ("POST", "/draws/{code}/room/reveal"): SIGNED_IN,
    # pages
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/me"): SIGNED_IN,
    ("GET", "/trading"): PUBLIC,
    ("GET", "/disclosure"): PUBLIC,
    ("GET", "/disclosure/deadline"): PUBLIC,
    ("GET", "/supervision"): PUBLIC,
    ("GET", "/opendata"): PUBLIC,
    ("GET", "/api/v1/docs"): PUBLIC,
    ("GET", "/ledger"): PUBLIC,
    ("GET", "/staff/deadlines"): STAFF,
    ("GET", "/admin/calendar"): ADMIN,
    ("POST", "/admin/calendar/day"): ADMIN,
    ("POST", "/admin/calendar/day/{day}/clear"): ADMIN,
    ("POST", "/admin/calendar/year"): ADMIN,
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    # messaging: one's own inbox; the centre's view of the simulated SMS/voice gateway
    ("GET", "/api/v1/me/messages"): SIGNED_IN,
    ("GET", "/api/v1/me/messages/{message_id}"): SIGNED_IN,
    ("POST", "/api/v1/me/messages/{message_id}/read"): SIGNED_IN,
    ("POST", "/api/v1/me/messages/read-all"): SIGNED_IN,
    ("GET", "/me/messages"): SIGNED_IN,
    ("POST", "/me/messages/{message_id}/open"): SIGNED_IN,
    ("POST", "/me/messages/read-all"): SIGNED_IN,
    ("GET", "/staff/messages/gateway"): frozenset({Role.CENTRE_STAFF, Role.ADMIN}),
    # calling the drawn experts: the expert's workbench; a request's sign-in list
    ("GET", "/api/v1/expert/assignments"): frozenset({Role.EXPERT}),
    ("POST", "/api/v1/expert/assignments/{call_id}/confirm"): frozenset({Role.EXPERT}),
    ("POST", "/api/v1/expert/assignments/{call_id}/decline"): frozenset({Role.EXPERT}),
    ("POST", "/api/v1/expert/assignments/{call_id}/sign-in"): frozenset({Role.EXPERT}),
    ("GET", "/api/v1/committees/requests/{request_id}/sign-in-list"): CALL_READERS,
    ("GET", "/expert"): frozenset({Role.EXPERT}),
    ("POST", "/expert/calls/{call_id}/confirm"): frozenset({Role.EXPERT}),
    ("POST", "/expert/calls/{call_id}/decline"): frozenset({Role.EXPERT}),
    ("POST", "/expert/calls/{call_id}/sign-in"): frozenset({Role.EXPERT}),
    ("GET", "/expert-draws/{request_id}/sign-in-list"): CALL_READERS,
    ("POST", "/api/v1/committees/requests/{request_id}/calls/{call_id}/no-show"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/expert-draws/{request_id}/calls/{call_id}/no-show"): frozenset({Role.CENTRE_STAFF}),
    # the procedure before the notice: catalogue, method changes after failed tenders, direct awards
    ("GET", "/api/v1/procedure/catalogue"): PUBLIC,
    ("GET", "/api/v1/procedure/projects/{project_id}/method-changes"): COMMITTEE_READERS,
    ("POST", "/api/v1/procedure/projects/{project_id}/method-changes"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/procedure/method-changes"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/api/v1/procedure/method-changes/{application_id}"): COMMITTEE_READERS,
    ("POST", "/api/v1/procedure/method-changes/{application_id}/decision"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/procedure/direct-awards"): frozenset({Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/procedure/direct-awards"): frozenset({Role.TENDERER}),
    ("GET", "/api/v1/procedure/direct-awards/{award_id}"): frozenset(
        {Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/procedure/direct-awards/{award_id}/decision"): frozenset({Role.SUPERVISOR}),
    ("GET", "/procedure/catalogue"): PUBLIC,
    ("GET", "/projects/{project_id}/method-changes"): COMMITTEE_READERS,
    ("POST", "/projects/{project_id}/method-changes"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/procedure/method-changes/{application_id}/decision"): frozenset({Role.SUPERVISOR}),
    ("GET", "/procedure/method-changes"): frozenset({Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("GET", "/procedure/direct-awards"): frozenset({Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/procedure/direct-awards"): frozenset({Role.TENDERER}),
    ("GET", "/procedure/direct-awards/{award_id}"): frozenset({Role.TENDERER, Role.SUPERVISOR, Role.CENTRE_STAFF}),
    ("POST", "/procedure/direct-awards/{award_id}/decision"): frozenset({Role.SUPERVISOR}),
    ("PUT", "/api/v1/projects/{project_id}/opening/officials"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/opening/officials"): frozenset({Role.CENTRE_STAFF}),
    # the centre's rooms: the schedule, the rooms and the rules for everyone; the centre manages and books
    ("GET", "/api/v1/venues/rooms"): PUBLIC,
    ("POST", "/api/v1/venues/rooms"): frozenset({Role.CENTRE_STAFF}),
    ("PUT", "/api/v1/venues/rooms/{room_id}"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/venues/schedule"): PUBLIC,
    ("GET", "/api/v1/venues/projects/{project_id}/bookings"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/venues/bookings"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/venues/bookings/{booking_id}/release"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/venues/rules"): PUBLIC,
    ("POST", "/api/v1/venues/rules/publish"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/venues"): PUBLIC,
    ("GET", "/staff/venues"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/venues/rooms"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/venues/rooms/{room_id}"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/venues/bookings"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/venues/bookings/{booking_id}/release"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/venues/rules"): frozenset({Role.CENTRE_STAFF}),
    # evaluation: the declaration, the session (members and the staff running it), the bidder's answers, the report
    ("PUT", "/api/v1/evaluation/sections/{section_id}/declaration"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/evaluation/sections/{section_id}/declaration"): EVAL_DECLARATION_READERS,
    ("POST", "/api/v1/evaluation/sections/{section_id}/session"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/evaluation/mine"): EVAL_MEMBERS,
    ("GET", "/api/v1/evaluation/sessions/{session_id}"): EVAL_READERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/admit"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/conflicts"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/chair"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/bids/{bid_id}/review"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/queries"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/queries/{query_id}/judgement"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/review/finish"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/reject-all"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/scores"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/compute"): EVAL_MEMBERS,
    ("GET", "/api/v1/evaluation/sessions/{session_id}/report"): EVAL_READERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/report/sign"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/report/refusals/{member_id}"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/report/deliver"): frozenset({Role.AGENCY, Role.CENTRE_STAFF}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/report/confirm"): frozenset({Role.TENDERER}),
    ("GET", "/api/v1/evaluation/my-queries"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/members/{member_id}/conduct"): frozenset(
        {Role.CENTRE_STAFF, Role.TENDERER}
    ),
    ("POST", "/api/v1/evaluation/queries/{query_id}/answer"): frozenset({Role.BIDDER}),
    ("GET", "/evaluation/sessions"): EVAL_READERS,
    ("POST", "/evaluation/start"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/evaluation/sessions/{session_id}"): EVAL_READERS,
    ("POST", "/evaluation/sessions/{session_id}/conflicts"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/chair"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/admit"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/evaluation/sessions/{session_id}/review"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/queries"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/queries/{query_id}/judgement"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/review/finish"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/reject-all"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/scores"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/compute"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/sign"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/refusals/{member_id}"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/evaluation/sessions/{session_id}/report"): EVAL_READERS,
    ("GET", "/evaluation/my-queries"): frozenset({Role.BIDDER}),
    ("POST", "/evaluation/queries/{query_id}/answer"): frozenset({Role.BIDDER}),
    # results after the evaluation (中标候选人公示、异议、确定中标人、结果公告)
    ("GET", "/api/v1/results/projects/{project_id}"): PUBLIC,
    ("GET", "/api/v1/results/projects/{project_id}/recheck"): RESULT_OFFICIALS,
    ("POST", "/api/v1/results/projects/{project_id}/publicity"): RESULT_PARTIES,
    ("POST", "/api/v1/results/projects/{project_id}/objections"): RESULT_OBJECTORS,
    ("POST", "/api/v1/results/objections/{objection_id}/answer"): RESULT_OBJECTORS | RESULT_OFFICIALS,
    ("POST", "/api/v1/results/projects/{project_id}/sections/{section_id}/winner"): frozenset({Role.TENDERER}),
    ("GET", "/api/v1/results/winners/{decision_id}/evidence"): RESULT_OFFICIALS,
    ("POST", "/api/v1/results/projects/{project_id}/notice"): RESULT_PARTIES,
    ("GET", "/projects/{project_id}/results"): PUBLIC,
    ("GET", "/projects/{project_id}/results/recheck"): RESULT_OFFICIALS,
    ("POST", "/projects/{project_id}/results/publicity"): RESULT_PARTIES,
    ("POST", "/projects/{project_id}/results/objections"): RESULT_OBJECTORS,
    ("POST", "/projects/{project_id}/results/objections/{objection_id}/answer"): RESULT_PARTIES,
    ("POST", "/projects/{project_id}/results/sections/{section_id}/winner"): frozenset({Role.TENDERER}),
    ("POST", "/projects/{project_id}/results/notice"): RESULT_PARTIES,
    # objections, challenges and complaints (异议、质疑、投诉): the parties and the supervisory department
    ("POST", "/api/v1/complaints/cases"): COMPLAINT_FILERS,
    ("GET", "/api/v1/complaints/cases"): COMPLAINT_READERS,
    ("GET", "/api/v1/complaints/department"): COMPLAINT_DEPARTMENT,
    ("GET", "/api/v1/complaints/projects/{project_id}"): COMPLAINT_READERS,
    ("GET", "/api/v1/complaints/cases/{case_id}"): COMPLAINT_READERS,
    ("POST", "/api/v1/complaints/cases/{case_id}/answer"): RESULT_PARTIES,
    ("POST", "/api/v1/complaints/cases/{case_id}/statement"): RESULT_PARTIES,
    ("POST", "/api/v1/complaints/cases/{case_id}/withdraw"): COMPLAINT_FILERS,
    ("POST", "/api/v1/complaints/cases/{case_id}/correct"): COMPLAINT_FILERS,
    ("POST", "/api/v1/complaints/cases/{case_id}/evidence"): COMPLAINT_READERS,
    ("GET", "/api/v1/complaints/evidence/{evidence_id}"): COMPLAINT_READERS,
    ("POST", "/api/v1/complaints/cases/{case_id}/accept"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/reject"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/correction"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/copy"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/pause"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/resume-count"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/suspend"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/lift"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/decide"): COMPLAINT_DEPARTMENT,
    ("POST", "/api/v1/complaints/cases/{case_id}/publish"): COMPLAINT_DEPARTMENT,
    ("GET", "/complaints"): COMPLAINT_READERS,
    ("GET", "/projects/{project_id}/complaints/new"): COMPLAINT_FILERS,
    ("POST", "/projects/{project_id}/complaints/new"): COMPLAINT_FILERS,
    ("GET", "/complaints/{case_id}"): COMPLAINT_READERS,
    ("POST", "/complaints/{case_id}/answer"): RESULT_PARTIES,
    ("POST", "/complaints/{case_id}/withdraw"): COMPLAINT_FILERS,
    ("POST", "/complaints/{case_id}/evidence"): COMPLAINT_READERS,
    ("POST", "/complaints/{case_id}/handle"): COMPLAINT_DEPARTMENT,
    ("GET", "/projects/{project_id}/complaints"): COMPLAINT_READERS,
    # evaluation: observers' seats and the live view, the minutes, the sealed archive; a person's own seats
    ("POST", "/api/v1/evaluation/sessions/{session_id}/observers"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/evaluation/sessions/{session_id}/observers"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/observers/{seat_id}/revoke"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/evaluation/sessions/{session_id}/watch"): SIGNED_IN,
    ("GET", "/api/v1/evaluation/sessions/{session_id}/minutes"): EVAL_MINUTERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/minutes"): EVAL_MINUTERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/minutes/{remark_id}/confirm"): EVAL_MEMBERS,
    ("GET", "/api/v1/evaluation/seals"): EVAL_ARCHIVISTS,
    ("GET", "/api/v1/evaluation/sessions/{session_id}/seal"): EVAL_ARCHIVISTS,
    ("GET", "/api/v1/observers/mine"): SIGNED_IN,
    ("GET", "/evaluation/sessions/{session_id}/watch"): SIGNED_IN,
    ("POST", "/evaluation/sessions/{session_id}/observers"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/evaluation/sessions/{session_id}/observers/{seat_id}/revoke"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/evaluation/sessions/{session_id}/minutes"): EVAL_MINUTERS,
    ("POST", "/evaluation/sessions/{session_id}/minutes/{remark_id}/confirm"): EVAL_MEMBERS,
    ("GET", "/evaluation/seals"): EVAL_ARCHIVISTS,
    ("GET", "/evaluation/sessions/{session_id}/seal"): EVAL_ARCHIVISTS,
    ("GET", "/api/v1/evaluation/sessions/{session_id}/rounds"): EVAL_READERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/members/{member_id}/unavailable"): frozenset(
        {Role.CENTRE_STAFF}
    ),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/replacements"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/evaluation/sessions/{session_id}/rounds"): EVAL_READERS,
    ("POST", "/evaluation/sessions/{session_id}/members/{member_id}/unavailable"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/evaluation/sessions/{session_id}/replacements"): frozenset({Role.CENTRE_STAFF}),
    # 87号令 第六十四条: the purchaser (or its agency) organises the original committee; the written report to finance
    ("POST", "/api/v1/evaluation/projects/{project_id}/reevaluation"): RESULT_PARTIES,
    ("POST", "/projects/{project_id}/evaluation/reevaluation"): RESULT_PARTIES,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/rounds/{round_no}/finance-report"): RESULT_PARTIES,
    ("POST", "/evaluation/sessions/{session_id}/rounds/{round_no}/finance-report"): RESULT_PARTIES,
    ("GET", "/api/v1/evaluation/finance-reports"): RESULT_PARTIES | {Role.SUPERVISOR, Role.CENTRE_STAFF},
    ("GET", "/evaluation/finance-reports"): RESULT_PARTIES | {Role.SUPERVISOR, Role.CENTRE_STAFF},
    ("POST", "/api/v1/evaluation/sessions/{session_id}/members/{member_id}/site"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/evaluation/sessions/{session_id}/sites"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/evaluation/sessions/{session_id}/corrections"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/adjustments"): EVAL_MEMBERS,
    ("GET", "/api/v1/evaluation/my-corrections"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/evaluation/corrections/{correction_id}/answer"): frozenset({Role.BIDDER}),
    ("POST", "/evaluation/corrections/{correction_id}/answer"): frozenset({Role.BIDDER}),
    # evaluation: the chair's price pages, the remote centre's own sign-in, the signed report as a PDF
    ("POST", "/evaluation/sessions/{session_id}/corrections"): EVAL_MEMBERS,
    ("POST", "/evaluation/sessions/{session_id}/adjustments"): EVAL_MEMBERS,
    ("POST", "/api/v1/evaluation/sessions/{session_id}/members/{member_id}/site-sign-in"): frozenset(
        {Role.CENTRE_STAFF}
    ),
    ("POST", "/evaluation/sessions/{session_id}/sites/{member_id}/sign-in"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/evaluation/sessions/{session_id}/report.pdf"): EVAL_READERS,
    # the invitation tender after its prequalification: the draw of the invitees, the letters
    ("GET", "/api/v1/procedure/projects/{project_id}/invitations"): COMMITTEE_READERS,
    ("POST", "/api/v1/procedure/projects/{project_id}/invitations/draw"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/procedure/projects/{project_id}/invitations/send"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/procedure/invitations"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/procedure/invitations/{invitation_id}"): COMMITTEE_READERS | {Role.BIDDER},
    ("GET", "/projects/{project_id}/invitations"): COMMITTEE_READERS,
    ("POST", "/projects/{project_id}/invitations/draw"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/projects/{project_id}/invitations/send"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/procedure/invitations"): frozenset({Role.BIDDER}),
    ("GET", "/procedure/invitations/{invitation_id}"): COMMITTEE_READERS | {Role.BIDDER},
    # award letters: drafted and issued by the tenderer's side; read by the parties, the centre, the supervisors
    # and each addressee (the service narrows to what each may see)
    ("GET", "/api/v1/projects/{project_id}/award-letters"): SIGNED_IN,
    ("POST", "/api/v1/projects/{project_id}/award-letters/draft"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/api/v1/projects/{project_id}/award-letters/issue"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/award-letters/mine"): frozenset({Role.BIDDER}),
    ("GET", "/api/v1/award-letters/{letter_id}"): SIGNED_IN,
    ("GET", "/projects/{project_id}/award-letters"): SIGNED_IN,
    ("POST", "/projects/{project_id}/award-letters/draft"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("POST", "/projects/{project_id}/award-letters/issue"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/award-letters/{letter_id}"): SIGNED_IN,
    ("GET", "/award-letters/{letter_id}/letter.pdf"): SIGNED_IN,
    ("GET", "/my/award-letters"): frozenset({Role.BIDDER}),
    # contracts: drafted by the tenderer's side, signed by the tenderer and the winner (password entered lately)
    ("GET", "/api/v1/projects/{project_id}/contracts"): SIGNED_IN,
    ("POST", "/api/v1/projects/{project_id}/contracts"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/api/v1/contracts/{contract_id}"): SIGNED_IN,
    ("POST", "/api/v1/contracts/{contract_id}/sign"): frozenset({Role.TENDERER, Role.BIDDER}),
    ("POST", "/api/v1/contracts/{contract_id}/filing"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/projects/{project_id}/contracts"): SIGNED_IN,
    ("POST", "/projects/{project_id}/contracts"): frozenset({Role.AGENCY, Role.TENDERER}),
    ("GET", "/contracts/{contract_id}"): SIGNED_IN,
    ("POST", "/contracts/{contract_id}/sign"): frozenset({Role.TENDERER, Role.BIDDER}),
    # contract performance: the tenderer's side, the winner, the acceptance's members, the supervisory department
    ("GET", "/api/v1/contracts/{contract_id}/performance"): SIGNED_IN,
    ("PUT", "/api/v1/contracts/{contract_id}/schedule"): PERF_TENDERER,
    ("POST", "/api/v1/contracts/{contract_id}/payment-guarantee"): PERF_TENDERER,
    ("POST", "/api/v1/performance/securities/{security_id}/money"): PERF_PARTIES,
    ("POST", "/api/v1/performance/securities/{security_id}/guarantee"): PERF_PARTIES,
    ("POST", "/api/v1/performance/securities/{security_id}/receipt"): PERF_PARTIES,
    ("POST", "/api/v1/performance/securities/{security_id}/release"): PERF_PARTIES,
    ("GET", "/api/v1/performance/securities/{security_id}/file"): SIGNED_IN,
    ("POST", "/api/v1/performance/milestones/{milestone_id}/done"): frozenset({Role.BIDDER}),
    ("POST", "/api/v1/performance/milestones/{milestone_id}/payments"): PERF_TENDERER,
    ("POST", "/api/v1/contracts/{contract_id}/changes"): PERF_PARTIES,
    ("POST", "/api/v1/performance/changes/{change_id}/answer"): PERF_PARTIES,
    ("POST", "/api/v1/contracts/{contract_id}/acceptances"): PERF_TENDERER,
    ("GET", "/api/v1/acceptances/{acceptance_id}"): SIGNED_IN,
    ("POST", "/api/v1/acceptances/{acceptance_id}/result"): PERF_TENDERER,
    ("POST", "/api/v1/acceptances/{acceptance_id}/sign"): SIGNED_IN,
    ("GET", "/api/v1/projects/{project_id}/tender-report"): SIGNED_IN,
    ("POST", "/api/v1/projects/{project_id}/tender-report/submit"): PERF_TENDERER,
    ("POST", "/api/v1/projects/{project_id}/tender-report/acknowledge"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/performance/tender-reports"): PERF_OVERSIGHT,
    ("GET", "/api/v1/performance/mine"): frozenset({Role.BIDDER}),
    ("GET", "/contracts/{contract_id}/performance"): SIGNED_IN,
    ("POST", "/contracts/{contract_id}/performance/schedule"): PERF_TENDERER,
    ("POST", "/performance/securities/{security_id}/money"): PERF_PARTIES,
    ("POST", "/performance/securities/{security_id}/guarantee"): PERF_PARTIES,
    ("POST", "/performance/securities/{security_id}/receipt"): PERF_PARTIES,
    ("POST", "/performance/securities/{security_id}/release"): PERF_PARTIES,
    ("POST", "/performance/milestones/{milestone_id}/done"): frozenset({Role.BIDDER}),
    ("POST", "/performance/milestones/{milestone_id}/payments"): PERF_TENDERER,
    ("POST", "/contracts/{contract_id}/performance/changes"): PERF_PARTIES,
    ("POST", "/performance/changes/{change_id}/answer"): PERF_PARTIES,
    ("POST", "/contracts/{contract_id}/performance/acceptances"): PERF_TENDERER,
    ("GET", "/acceptances/{acceptance_id}"): SIGNED_IN,
    ("POST", "/acceptances/{acceptance_id}/result"): PERF_TENDERER,
    ("POST", "/acceptances/{acceptance_id}/sign"): SIGNED_IN,
    ("GET", "/projects/{project_id}/tender-report"): SIGNED_IN,
    ("POST", "/projects/{project_id}/tender-report/submit"): PERF_TENDERER,
    ("POST", "/projects/{project_id}/tender-report/acknowledge"): frozenset({Role.SUPERVISOR}),
    ("GET", "/performance/tender-reports"): PERF_OVERSIGHT,
    ("GET", "/my/performance"): frozenset({Role.BIDDER}),
    ("POST", "/contracts/{contract_id}/filing"): frozenset({Role.AGENCY, Role.TENDERER}),
    # project archives: archived by the centre; read and downloaded by the centre and the supervisory department
    ("GET", "/api/v1/archives"): EVAL_ARCHIVISTS,
    ("GET", "/api/v1/projects/{project_id}/archive"): EVAL_ARCHIVISTS,
    ("POST", "/api/v1/projects/{project_id}/archive"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/archives/{archive_id}/download"): EVAL_ARCHIVISTS,
    ("GET", "/staff/archives"): EVAL_ARCHIVISTS,
    ("GET", "/projects/{project_id}/archive"): EVAL_ARCHIVISTS,
    ("POST", "/projects/{project_id}/archive"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/archives/{archive_id}/download"): EVAL_ARCHIVISTS,
    # open data (OCDS): everything public
    ("GET", "/api/v1/opendata/releases"): PUBLIC,
    ("GET", "/api/v1/opendata/releases/{release_id}"): PUBLIC,
    ("GET", "/api/v1/opendata/records"): PUBLIC,
    ("GET", "/api/v1/opendata/records/{ocid}"): PUBLIC,
    ("GET", "/api/v1/opendata/downloads"): PUBLIC,
    ("GET", "/api/v1/opendata/downloads/{filename}"): PUBLIC,
    ("GET", "/api/v1/opendata/extension/{name}"): PUBLIC,
    ("GET", "/api/v1/opendata/openapi.json"): PUBLIC,
    ("GET", "/opendata/releases.atom"): PUBLIC,
    # 电子监察: the rules are public; alerts and their evidence for the supervisory department, the centre and the
    # administrator, handled by the supervisory department; statistics public, the staff's with alerts and page views;
    # recordings registered by the centre, retrieval requested by the centre or a supervisor, approved by the approver
    ("GET", "/api/v1/monitoring/rules"): PUBLIC,
    ("GET", "/api/v1/monitoring/alerts"): MONITORING_READERS,
    ("GET", "/api/v1/monitoring/alerts/{alert_id}"): MONITORING_READERS,
    ("POST", "/api/v1/monitoring/alerts/{alert_id}/handling"): frozenset({Role.SUPERVISOR}),
    ("GET", "/api/v1/statistics"): PUBLIC,
    ("GET", "/api/v1/staff/statistics"): MONITORING_READERS,
    ("GET", "/api/v1/monitoring/recordings"): RECORDING_READERS,
    ("POST", "/api/v1/monitoring/recordings"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/monitoring"): MONITORING_READERS,
    ("GET", "/monitoring/alerts/{alert_id}"): MONITORING_READERS,
    ("POST", "/monitoring/alerts/{alert_id}/handle"): frozenset({Role.SUPERVISOR}),
    ("GET", "/monitoring/rules"): PUBLIC,
    ("GET", "/statistics"): PUBLIC,
    ("GET", "/staff/statistics"): MONITORING_READERS,
    ("GET", "/statistics/{table}/download"): PUBLIC,
    ("GET", "/staff/statistics/{table}/download"): MONITORING_READERS,
    ("GET", "/monitoring/recordings"): RECORDING_READERS,
    ("POST", "/monitoring/recordings"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/monitoring/recordings/{recording_id}/requests"): RECORDING_REQUESTERS,
    ("POST", "/monitoring/recording-requests/{request_id}/decision"): frozenset({Role.SUPERVISOR}),
    ("POST", "/monitoring/recording-requests/{request_id}/retrieval"): RECORDING_REQUESTERS,
    # servicedesk (服务台: work orders, 12345, recordings, shifts, surveys, knowledge base)
    ("POST", "/api/v1/desk/orders"): PUBLIC,
    ("POST", "/api/v1/desk/orders/phone"): DESK,
    ("GET", "/api/v1/desk/orders"): SIGNED_IN,
    ("GET", "/api/v1/desk/orders/{order_id}"): SIGNED_IN,
    ("POST", "/api/v1/desk/orders/{order_id}/route"): DESK,
    ("POST", "/api/v1/desk/orders/{order_id}/remind"): DESK,
    ("POST", "/api/v1/desk/orders/{order_id}/escalate"): DESK,
    ("POST", "/api/v1/desk/orders/{order_id}/reply"): SIGNED_IN,
    ("POST", "/api/v1/desk/orders/{order_id}/callback"): SIGNED_IN,
    ("POST", "/api/v1/desk/orders/{order_id}/faq"): DESK,
    ("GET", "/api/v1/desk/track"): PUBLIC,
    ("GET", "/api/v1/desk/statistics"): PUBLIC,
    ("GET", "/api/v1/desk/departments"): SIGNED_IN,
    ("POST", "/api/v1/desk/departments"): DESK_ADMIN,
    ("POST", "/api/v1/desk/departments/{department_id}/members"): DESK_ADMIN,
    ("PUT", "/api/v1/desk/settings/head"): ADMIN,
    ("POST", "/api/v1/desk/hotline/orders"): DESK,
    ("POST", "/api/v1/desk/hotline/callbacks"): DESK,
    ("GET", "/api/v1/desk/hotline/messages"): DESK,
    ("POST", "/api/v1/desk/recordings"): DESK,
    ("GET", "/api/v1/desk/recordings/{recording_id}/audio"): SIGNED_IN,
    ("POST", "/api/v1/desk/shifts"): DESK,
    ("GET", "/api/v1/desk/shifts"): DESK,
    ("GET", "/api/v1/desk/me/surveys"): SIGNED_IN,
    ("POST", "/api/v1/desk/me/surveys/{invitation_id}"): SIGNED_IN,
    ("GET", "/api/v1/desk/surveys/{token}"): PUBLIC,
    ("POST", "/api/v1/desk/surveys/{token}"): PUBLIC,
    ("POST", "/api/v1/desk/ratings"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/api/v1/desk/questionnaires/{service}"): PUBLIC,
    ("PUT", "/api/v1/desk/questionnaires/{service}"): DESK,
    ("GET", "/api/v1/desk/satisfaction"): PUBLIC,
    ("GET", "/api/v1/desk/satisfaction/{month}/current"): DESK,
    ("POST", "/api/v1/desk/satisfaction/{month}/publish"): DESK,
    ("GET", "/api/v1/desk/low-scores"): DESK,
    ("POST", "/api/v1/desk/low-scores/{response_id}/follow-up"): DESK,
    ("GET", "/api/v1/desk/knowledge"): PUBLIC,
    ("GET", "/api/v1/desk/knowledge/{article_id}"): PUBLIC,
    ("POST", "/api/v1/desk/knowledge"): DESK,
    ("PUT", "/api/v1/desk/knowledge/{article_id}"): DESK,
    ("GET", "/desk"): PUBLIC,
    ("POST", "/desk"): PUBLIC,
    ("GET", "/desk/calls/new"): DESK,
    ("POST", "/desk/calls"): DESK,
    ("GET", "/desk/track"): PUBLIC,
    ("POST", "/desk/track/survey"): PUBLIC,
    ("GET", "/desk/orders"): SIGNED_IN,
    ("GET", "/desk/orders/{order_id}"): SIGNED_IN,
    ("POST", "/desk/orders/{order_id}/{step}"): SIGNED_IN,
    ("GET", "/knowledge"): PUBLIC,
    ("GET", "/knowledge/{article_id}"): PUBLIC,
    ("GET", "/satisfaction"): PUBLIC,
    ("GET", "/desk/statistics"): PUBLIC,
    ("GET", "/desk/low-scores"): DESK,
    ("GET", "/desk/surveys/responses/{response_id}"): DESK,
    ("POST", "/desk/low-scores/{response_id}"): DESK,
    ("GET", "/me/surveys"): SIGNED_IN,
    ("GET", "/me/surveys/{invitation_id}"): SIGNED_IN,
    ("POST", "/me/surveys/{invitation_id}"): SIGNED_IN,
    ("GET", "/surveys/{token}"): PUBLIC,
    ("POST", "/surveys/{token}"): PUBLIC,
    ("GET", "/desk/knowledge/new"): DESK,
    ("GET", "/desk/knowledge/{article_id}/edit"): DESK,
    ("POST", "/desk/knowledge"): DESK,
    ("POST", "/desk/knowledge/{article_id}"): DESK,
    ("GET", "/desk/questionnaires"): DESK,
    ("POST", "/desk/questionnaires/{service}"): DESK,
    ("GET", "/desk/suggestions"): PUBLIC,
    ("GET", "/desk/recordings/{recording_id}/audio"): SIGNED_IN,
    ("GET", "/desk/departments"): DESK_ADMIN,
    ("POST", "/desk/departments"): DESK_ADMIN,
    ("POST", "/desk/departments/{department_id}/members"): DESK_ADMIN,
    ("POST", "/desk/departments/{department_id}/members/{user_id}/remove"): DESK_ADMIN,
    ("POST", "/desk/departments/{department_id}/active"): DESK_ADMIN,
    ("GET", "/desk/shifts"): DESK,
    ("POST", "/desk/shifts"): DESK,
    ("POST", "/desk/shifts/{shift_id}/delete"): DESK,
    ("GET", "/desk/hotline"): DESK,
    ("POST", "/desk/hotline/deliver"): DESK,
    # portal: site map, holidays, flowcharts; the ledger's list of signed heads
    ("GET", "/sitemap"): PUBLIC,
    ("GET", "/disclosure/calendar"): PUBLIC,
    ("GET", "/flowcharts/{lifecycle}.svg"): PUBLIC,
    ("GET", "/api/v1/ledger/heads"): PUBLIC,
    # disclosure governance: consultations, opinions, documents, catalogs, inspections, scores
    ("GET", "/api/v1/governance/consultations"): PUBLIC,
    ("GET", "/api/v1/governance/consultations/{consultation_id}"): PUBLIC,
    ("POST", "/api/v1/governance/consultations"): GOV_OFFICE,
    ("POST", "/api/v1/governance/consultations/{consultation_id}/open"): GOV_OFFICE,
    ("POST", "/api/v1/governance/consultations/{consultation_id}/comments"): PUBLIC,
    ("POST", "/api/v1/governance/comments/{comment_id}/answer"): GOV_OFFICE,
    ("POST", "/api/v1/governance/consultations/{consultation_id}/proceedings"): GOV_ADOPTERS,
    ("POST", "/api/v1/governance/consultations/{consultation_id}/adopt"): GOV_ADOPTERS,
    ("GET", "/api/v1/governance/opinions"): PUBLIC,
    ("GET", "/api/v1/governance/opinions/{opinion_id}"): PUBLIC,
    ("POST", "/api/v1/governance/opinions"): GOV_OFFICE,
    ("POST", "/api/v1/governance/opinions/{opinion_id}/assess"): GOV_OFFICE,
    ("POST", "/api/v1/governance/opinions/{opinion_id}/discussions"): GOV_DISCUSSANTS,
    ("POST", "/api/v1/governance/opinions/{opinion_id}/answer"): GOV_OFFICE,
    ("POST", "/api/v1/governance/opinions/{opinion_id}/evaluate"): GOV_OFFICE,
    ("GET", "/api/v1/governance/documents"): GOV_DOC_READERS,
    ("POST", "/api/v1/governance/documents"): GOV_DRAFTERS,
    ("POST", "/api/v1/governance/documents/{document_id}/issue"): GOV_OFFICE,
    ("GET", "/api/v1/governance/catalogs"): PUBLIC,
    ("GET", "/api/v1/governance/catalogs/{catalog_id}"): PUBLIC,
    ("POST", "/api/v1/governance/catalogs"): GOV_OFFICE,
    ("POST", "/api/v1/governance/catalog-entries/{entry_id}"): GOV_OFFICE,
    ("POST", "/api/v1/governance/catalogs/{catalog_id}/entries"): GOV_OFFICE,
    ("POST", "/api/v1/governance/catalogs/{catalog_id}/submit"): GOV_OFFICE,
    ("POST", "/api/v1/governance/catalogs/{catalog_id}/review"): GOV_HIGHER,
    ("POST", "/api/v1/governance/catalog-entries/{entry_id}/claim"): GOV_DEPARTMENTS,
    ("POST", "/api/v1/governance/catalogs/{catalog_id}/flag-unclaimed"): GOV_OFFICE,
    ("GET", "/api/v1/governance/inspections"): PUBLIC,
    ("GET", "/api/v1/governance/inspections/{inspection_id}"): PUBLIC,
    ("POST", "/api/v1/governance/inspections"): GOV_INSPECTORS,
    ("POST", "/api/v1/governance/inspected-items/{item_id}/check"): GOV_INSPECTORS,
    ("POST", "/api/v1/governance/inspected-items/{item_id}/findings"): GOV_INSPECTORS,
    ("POST", "/api/v1/governance/inspections/{inspection_id}/close"): GOV_INSPECTORS,
    ("GET", "/api/v1/governance/findings"): GOV_ALL,
    ("POST", "/api/v1/governance/findings/{finding_id}/correct"): GOV_DEPARTMENTS,
    ("GET", "/api/v1/governance/scores/{year}"): PUBLIC,
    ("POST", "/api/v1/governance/scores/{year}/compute"): GOV_HIGHER,
    ("POST", "/api/v1/governance/scores/{year}/publish"): GOV_HIGHER,
    ("GET", "/governance"): PUBLIC,
    ("GET", "/governance/consultations/{consultation_id}"): PUBLIC,
    ("POST", "/governance/consultations/{consultation_id}/comments"): PUBLIC,
    ("GET", "/governance/opinions/{opinion_id}"): PUBLIC,
    ("GET", "/governance/catalogs/{catalog_id}"): PUBLIC,
    ("GET", "/governance/inspections/{inspection_id}"): PUBLIC,
    ("GET", "/governance/scores"): PUBLIC,
    ("GET", "/staff/governance"): GOV_ALL,
    ("GET", "/staff/governance/consultations"): GOV_READERS,
    ("POST", "/staff/governance/consultations"): GOV_OFFICE,
    ("GET", "/staff/governance/consultations/{consultation_id}"): GOV_READERS,
    ("POST", "/staff/governance/consultations/{consultation_id}/open"): GOV_OFFICE,
    ("POST", "/staff/governance/comments/{comment_id}/answer"): GOV_OFFICE,
    ("POST", "/staff/governance/consultations/{consultation_id}/proceedings"): GOV_ADOPTERS,
    ("POST", "/staff/governance/consultations/{consultation_id}/adopt"): GOV_ADOPTERS,
    ("GET", "/staff/governance/opinions"): GOV_READERS,
    ("POST", "/staff/governance/opinions"): GOV_OFFICE,
    ("GET", "/staff/governance/opinions/{opinion_id}"): GOV_READERS,
    ("POST", "/staff/governance/opinions/{opinion_id}/assess"): GOV_OFFICE,
    ("POST", "/staff/governance/opinions/{opinion_id}/discussions"): GOV_DISCUSSANTS,
    ("POST", "/staff/governance/opinions/{opinion_id}/answer"): GOV_OFFICE,
    ("POST", "/staff/governance/opinions/{opinion_id}/evaluate"): GOV_OFFICE,
    ("GET", "/staff/governance/documents"): GOV_DOC_READERS,
    ("POST", "/staff/governance/documents"): GOV_DRAFTERS,
    ("POST", "/staff/governance/documents/{document_id}/issue"): GOV_OFFICE,
    ("GET", "/staff/governance/catalogs"): GOV_ALL,
    ("POST", "/staff/governance/catalogs"): GOV_OFFICE,
    ("GET", "/staff/governance/catalogs/{catalog_id}"): GOV_ALL,
    ("POST", "/staff/governance/catalog-entries/{entry_id}"): GOV_OFFICE,
    ("POST", "/staff/governance/catalogs/{catalog_id}/entries"): GOV_OFFICE,
    ("POST", "/staff/governance/catalogs/{catalog_id}/submit"): GOV_OFFICE,
    ("POST", "/staff/governance/catalogs/{catalog_id}/review"): GOV_HIGHER,
    ("POST", "/staff/governance/catalog-entries/{entry_id}/claim"): GOV_DEPARTMENTS,
    ("POST", "/staff/governance/catalogs/{catalog_id}/flag-unclaimed"): GOV_OFFICE,
    ("GET", "/staff/governance/inspections"): GOV_ALL,
    ("POST", "/staff/governance/inspections"): GOV_INSPECTORS,
    ("GET", "/staff/governance/inspections/{inspection_id}"): GOV_ALL,
    ("POST", "/staff/governance/inspected-items/{item_id}/check"): GOV_INSPECTORS,
    ("POST", "/staff/governance/inspected-items/{item_id}/findings"): GOV_INSPECTORS,
    ("POST", "/staff/governance/inspections/{inspection_id}/close"): GOV_INSPECTORS,
    ("GET", "/staff/governance/findings"): GOV_ALL,
    ("POST", "/staff/governance/findings/{finding_id}/correct"): GOV_DEPARTMENTS,
    ("GET", "/staff/governance/scores"): GOV_READERS,
    ("POST", "/staff/governance/scores/{year}/compute"): GOV_HIGHER,
    ("POST", "/staff/governance/scores/{year}/publish"): GOV_HIGHER,
    # social supervision: the public hub, card check, schedule, opinion box and open days; supervisors choose and
    # sign in; the centre manages the registry and open days; 政务办 screens and selects; answers by the routed body
    ("GET", "/api/v1/supervision/recruitments"): PUBLIC,
    ("POST", "/api/v1/supervision/recruitments"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/recruitments/{recruitment_id}/applications"): SIGNED_IN,
    ("POST", "/api/v1/supervision/supervisors/nominations"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/supervision/supervisors"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/supervisors/{supervisor_id}/appoint"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/supervisors/{supervisor_id}/reject"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/supervisors/{supervisor_id}/renew"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/supervisors/{supervisor_id}/dismiss"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/api/v1/supervision/cards/{serial}"): PUBLIC,
    ("GET", "/api/v1/supervision/schedule"): PUBLIC,
    ("GET", "/api/v1/supervision/me/sessions"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("POST", "/api/v1/supervision/sessions/{booking_id}/choose"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("POST", "/api/v1/supervision/sessions/{booking_id}/cancel"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/api/v1/supervision/sessions/{booking_id}"): PUBLIC,
    ("POST", "/api/v1/supervision/sessions/{booking_id}/draws"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/rooms/{room_id}/sign-in"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("POST", "/api/v1/supervision/opinions"): PUBLIC,
    ("POST", "/api/v1/supervision/opinions/track"): PUBLIC,
    ("GET", "/api/v1/supervision/opinions/published"): PUBLIC,
    ("GET", "/api/v1/supervision/opinions"): SUPERVISION_HANDLERS,
    ("POST", "/api/v1/supervision/opinions/{opinion_id}/answer"): SUPERVISION_HANDLERS,
    ("POST", "/api/v1/supervision/opinions/{opinion_id}/review"): frozenset({Role.DISCLOSURE_OFFICE}),
    ("GET", "/api/v1/supervision/open-days"): PUBLIC,
    ("GET", "/api/v1/supervision/open-days/{open_day_id}"): PUBLIC,
    ("POST", "/api/v1/supervision/open-days"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/invitations"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/applications"): PUBLIC,
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/offline-applications"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/join"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/api/v1/supervision/open-days/{open_day_id}/people"): SUPERVISION_PEOPLE,
    ("POST", "/api/v1/supervision/open-days/participants/{participant_id}/screen"): frozenset(
        {Role.GOVERNMENT_AFFAIRS}
    ),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/select"): frozenset({Role.GOVERNMENT_AFFAIRS}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/check-in"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/feedback"): PUBLIC,
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/hold"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/report"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/poll/{option_id}"): PUBLIC,
    ("POST", "/api/v1/supervision/open-days/{open_day_id}/poll-override"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/supervision/cards/{serial}"): PUBLIC,
    ("GET", "/supervision/recruitments/{recruitment_id}"): PUBLIC,
    ("POST", "/supervision/recruitments/{recruitment_id}/apply"): SIGNED_IN,
    ("GET", "/supervision/me"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("POST", "/supervision/me/sessions/{booking_id}/{action}"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("POST", "/supervision/me/open-days/{open_day_id}/join"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/supervision/me/card.pdf"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/supervision/me/schedule.ics"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/supervision/sessions/{booking_id}"): PUBLIC,
    ("GET", "/supervision/rooms/{room_id}"): PUBLIC,
    ("POST", "/supervision/rooms/{room_id}/sign-in"): frozenset({Role.SOCIAL_SUPERVISOR}),
    ("GET", "/supervision/rooms/{room_id}/poster"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/supervision/opinions"): PUBLIC,
    ("GET", "/supervision/opinions/track"): PUBLIC,
    ("POST", "/supervision/opinions/track"): PUBLIC,
    ("GET", "/supervision/open-days/{open_day_id}"): PUBLIC,
    ("POST", "/supervision/open-days/{open_day_id}/apply"): PUBLIC,
    ("POST", "/supervision/open-days/{open_day_id}/poll"): PUBLIC,
    ("POST", "/supervision/open-days/{open_day_id}/feedback"): PUBLIC,
    ("GET", "/staff/supervision"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/supervision/recruitments"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/supervision/nominations"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/supervision/supervisors/{supervisor_id}/{action}"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/staff/supervision/supervisors/{supervisor_id}/card.pdf"): frozenset({Role.CENTRE_STAFF}),
    ("POST", "/staff/supervision/open-days"): frozenset({Role.CENTRE_STAFF}),
    ("GET", "/staff/supervision/open-days/{open_day_id}"): SUPERVISION_PEOPLE,
    ("POST", "/staff/supervision/open-days/{open_day_id}/{action}"): SUPERVISION_PEOPLE,
    ("POST", "/staff/supervision/participants/{participant_id}/screen"): frozenset({Role.GOVERNMENT_AFFAIRS}),
    ("GET", "/staff/supervision/opinions"): SUPERVISION_HANDLERS,
    ("POST", "/staff/supervision/opinions/{opinion_id}/answer"): SUPERVISION_HANDLERS,
    ("POST", "/staff/supervision/opinions/{opinion_id}/review"): frozenset({Role.DISCLOSURE_OFFICE}),
}

# A parameter whose example depends on the route: the part of the path that names the route, and its examples.
PATH_EXAMPLES_WHERE = {"/seals/": {"kind": "notice"}}
PATH_EXAMPLES = {
    "user_id": "1",
    "organisation_id": "1",
    "ban_id": "1",
    "seq": "0",
    "size": "1",
    "year": "2026",
    "day": "2027-01-04",
    "key": "engineering.open_tender",
    "lifecycle": "tender",
    "rule_id": "docs_to_bid_deadline",
    "project_id": "1",
    "section_id": "1",
    "registration_id": "1",
    "message_id": "1",
    "call_id": "1",
    "deposit_id": "1",
    "letter_id": "1",
    "contract_id": "1",
    "security_id": "1",
    "milestone_id": "1",
    "change_id": "1",
    "acceptance_id": "1",
    "notice_id": "1",
    "sha256": "0" * 64,
    "item_code": "GC.ZB.01",
    "publication_id": "1",
    "finding_id": "1",
    "term_id": "1",
    "request_id": "1",
    "review_id": "1",
    "category_code": "type.engineering",
    "project_code": "X3501000000000000000",
    "policy_id": "1",
    "interpretation_id": "1",
    "concern_id": "1",
    "auction_id": "1",
    "release_id": "ocds-sunshn-X3501000000000000000-tender-notice1",
    "ocid": "ocds-sunshn-X3501000000000000000",
    "filename": "releases-full.jsonl.gz",
    "name": "extension.json",
    "bid_no": "TB0000000000000000000",
    "objection_id": "1",
    "case_id": "1",
    "evidence_id": "1",
    "decision_id": "1",
    "alert_id": "1",
    "incident_id": "1",
    "application_id": "1",
    "staff_id": "1",
    "entrustment_id": "1",
    "record_id": "1",
    "requirement_id": "1",
    "kind": "certificate",
    "key_id": "1",
    "document_id": "1",
    "code": "nosuchsealcode",
    "expert_id": "1",
    "leave_id": "1",
    "conflict_id": "1",
    "sanction_id": "1",
    "award_id": "1",
    "room_id": "1",
    "booking_id": "1",
    "session_id": "1",
    "round_no": "1",
    "bid_id": "1",
    "query_id": "1",
    "member_id": "1",
    "seat_id": "1",
    "remark_id": "1",
    "correction_id": "1",
    "invitation_id": "1",
    "archive_id": "1",
    "recording_id": "1",
    "table": "by-type",
    "order_id": "1",
    "department_id": "1",
    "article_id": "1",
    "response_id": "1",
    "shift_id": "1",
    "token": "nosuchsurveytoken",
    "service": "order_closed",
    "month": "2026-10",
    "step": "remind",
    "consultation_id": "1",
    "comment_id": "1",
    "opinion_id": "1",
    "catalog_id": "1",
    "entry_id": "1",
    "inspection_id": "1",
    "item_id": "1",
    "recruitment_id": "1",
    "supervisor_id": "1",
    "serial": "JD2026NOSUCH",
    "open_day_id": "1",
    "participant_id": "1",
    "option_id": "1",
    "action": "appoint",
}

CALLERS: list[Role | None] = [None, *Role]
POSTGRES_CALLERS = {None, Role.ORG_VIEWER, Role.BIDDER, Role.EXPERT, Role.CENTRE_STAFF, Role.ADMIN}
MATRIX_CALLERS = CALLERS if BACKEND != "postgres" else [c for c in CALLERS if c in POSTGRES_CALLERS]
TOKEN_BATCH = 50  # tokens issued per commit for one role and kind


def _routes(app) -> list[tuple[str, str, object]]:
    """(method, full path, route) for every API route, including those of included routers."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute):
            for method in sorted(ctx.methods - {"HEAD", "OPTIONS"}):
                out.append((method, ctx.path, ctx))
    return out


def _has_access_dependency(dependant) -> bool:
    return any(isinstance(d.call, Access) or _has_access_dependency(d) for d in dependant.dependencies)


def test_every_route_is_in_the_matrix(app):
    declared = {(m, p) for m, p, _ in _routes(app)}
    missing = declared - MATRIX.keys()
    stale = MATRIX.keys() - declared
    assert not missing, f"routes without an access-matrix entry: {sorted(missing)}"
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_every_route_declares_access(app):
    without = [(m, p) for m, p, route in _routes(app) if not _has_access_dependency(route.dependant)]
    assert not without, f"routes without an Access(...) dependency: {without}"


def test_declared_policy_matches_matrix(app):
    """The Access object on each route admits exactly the roles the matrix names."""
    for method, path, route in _routes(app):
        policies = [d.call for d in route.dependant.dependencies if isinstance(d.call, Access)]
        assert len(policies) == 1, (method, path)
        policy, expected = policies[0], MATRIX[(method, path)]
        if expected == PUBLIC:
            assert policy.anonymous, (method, path)
        elif expected == SIGNED_IN:
            assert policy.any_user and not policy.anonymous, (method, path)
        else:
            assert policy.roles == expected and not policy.any_user and not policy.anonymous, (method, path)


@pytest.fixture(scope="module")
def matrix_app(migrated_db, database_url, tmp_path_factory):
    """The application every caller of ``test_matrix`` calls, with its data folder and its routes (method, path
    template). The folder stays the module's: each test points ``SUNSHINE_DATA_DIR`` back at it
    (``matrix_client``), so that what reads the settings at request time agrees with the app's own."""
    from sunshine.app import create_app

    data = tmp_path_factory.mktemp("matrix") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SUNSHINE_DATA_DIR", str(data))
        mp.setenv("SUNSHINE_DATABASE_URL", database_url)
        mp.setenv("SUNSHINE_SCHEDULER", "false")
        get_settings.cache_clear()
        app = create_app(get_settings(), migrated_db, run_scheduler=False)
    get_settings.cache_clear()
    return app, data, [(method, path) for method, path, _ in _routes(app)]


@pytest.fixture
def matrix_client(matrix_app, db, environment, monkeypatch):
    """A client of the module's app, on this test's (wiped) database and the app's data folder."""
    app, data, _ = matrix_app
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(data))
    get_settings.cache_clear()
    with TestClient(app, base_url="https://testserver") as c:
        yield c
    get_settings.cache_clear()


@pytest.fixture
def callers(db):
    """One user per role, with a fresh API token and page session each time one is asked for."""
    org = make_org(db)
    names = {role: make_user(db, role, username=f"matrix-{role.value}", organisation_id=org) for role in Role}

    issued: dict[tuple[Role, TokenKind], list[str]] = {}
    csrf_secrets: dict[str, str] = {}  # raw session token → the CSRF secret its pages' forms are signed with

    def credentials(role: Role, kind: TokenKind) -> str:
        unused = issued.setdefault((role, kind), [])
        if not unused:
            with db.unit_of_work() as s:
                user = s.scalar(select(User).where(User.username == names[role]))
                for _ in range(TOKEN_BATCH):
                    raw, token = identity.issue_token(s, user, kind)
                    unused.append(raw)
                    csrf_secrets[raw] = token.csrf_secret
        return unused.pop()

    credentials.csrf_secret = csrf_secrets.__getitem__  # type: ignore[attr-defined]
    return credentials


def _csrf_from_page(client) -> str:
    page = client.get("/login" if not client.cookies.get(SESSION_COOKIE) else "/", headers={"accept": "text/html"})
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "every page carries a CSRF token"
    return match.group(1)


def _form_token(app, csrf_secret: str) -> str:
    """The CSRF token a signed-in session's pages carry (``sunshine.web.csrf``), without asking for a page:
    ``test_matrix`` checks it against a real page's once per caller. A wrong token would be refused with 403 like
    a refused caller, so the check is what keeps the refusals the matrix sees those of the routes' access."""
    return csrf._sign(SimpleNamespace(app=app), f"session|{csrf_secret}")


def _expected_ok(policy, role: Role | None) -> bool:
    if policy == PUBLIC:
        return True
    if role is None:
        return False
    return policy == SIGNED_IN or role in policy


@pytest.mark.parametrize("caller", MATRIX_CALLERS, ids=lambda r: r.value if r else "anonymous")
def test_matrix(matrix_app, matrix_client, callers, caller):
    client = matrix_client
    failures = []
    page_checked = False
    for method, template in matrix_app[2]:
        policy = MATRIX[(method, template)]
        examples = {**PATH_EXAMPLES, **next((v for part, v in PATH_EXAMPLES_WHERE.items() if part in template), {})}
        path = template.format(**{k: v for k, v in examples.items() if "{" + k + "}" in template})
        is_api = path.startswith("/api/") and path != "/api/v1/docs"
        client.cookies.clear()
        headers = {"accept": "application/json" if is_api else "text/html"}
        kwargs: dict = {}
        if is_api:
            if caller is not None:
                headers["authorization"] = f"Bearer {callers(caller, TokenKind.API)}"
            if method in ("POST", "PUT"):
                kwargs["json"] = {}
        else:
            if caller is not None:
                session = callers(caller, TokenKind.SESSION)
                client.cookies.set(SESSION_COOKIE, session)
            if method == "POST" and caller is None:
                kwargs["data"] = {"csrf_token": _csrf_from_page(client)}  # bound to the anonymous cookie it sets
            elif method == "POST":
                token = _form_token(matrix_app[0], callers.csrf_secret(session))
                if not page_checked:
                    assert _csrf_from_page(client) == token, "the page's CSRF token is the session's"
                    page_checked = True
                kwargs["data"] = {"csrf_token": token}
        response = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)
        status = response.status_code
        ok = _expected_ok(policy, caller)
        if status >= 500:
            failures.append(f"{method} {path}: {status} (server error)")
        elif ok and status in (401, 403):
            failures.append(f"{method} {path}: {status}, expected access")
        elif not ok:
            if caller is None:
                wanted = {401} if is_api else {303}
                if status == 303 and not response.headers["location"].startswith("/login"):
                    failures.append(f"{method} {path}: redirected to {response.headers['location']}")
                if method == "POST" and not is_api:
                    wanted = {401}
            else:
                wanted = {403}
            if status not in wanted:
                failures.append(f"{method} {path}: {status}, expected {sorted(wanted)}")
    assert not failures, "\n".join(failures)


def test_object_not_visible_answers_404_not_403(db, client, callers):
    make_user(db, Role.BIDDER, username="other-bidder")
    token = callers(Role.BIDDER, TokenKind.API)
    own = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).json()
    mine = client.get(f"/api/v1/users/{own['id']}", headers={"authorization": f"Bearer {token}"})
    assert mine.status_code == 200 and mine.json()["username"] == "matrix-bidder"
    with db.unit_of_work() as s:
        other_id = next(u.id for u in identity.list_users(s) if u.username == "other-bidder")
    theirs = client.get(f"/api/v1/users/{other_id}", headers={"authorization": f"Bearer {token}"})
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "not_found"
    missing = client.get("/api/v1/users/999999", headers={"authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.json() == {
        **theirs.json(),
        "instance": "/api/v1/users/999999",
        "detail": theirs.json()["detail"],
    }
    admin = callers(Role.ADMIN, TokenKind.API)
    assert client.get(f"/api/v1/users/{other_id}", headers={"authorization": f"Bearer {admin}"}).status_code == 200
