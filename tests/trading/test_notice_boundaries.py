"""Each minimum period of the first notice, at its boundary, through the API, across the 2026 National
Day holiday (1–7 October, with Saturday 10 October a make-up working day): one day short is refused
with the rule that forbids it, the boundary itself is accepted."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from tests.builders import api_token, make_org, make_user
from tests.trading.builders import cheap_password_hashing

SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLISHED = datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)  # Tuesday before the National Day holiday


def at(day: date, hour: int = 9, minute: int = 30) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).isoformat()


# (pack, first notice kind, rule, docs issued, earliest admissible deadline; None = the deadline is free
# and the docs date is what is tested)
CASES = [
    # 3 working days: 30 Sep, 8 Oct, 9 Oct
    ("gov_procurement.competitive_negotiation", "procurement", "response_period", date(2026, 9, 29), date(2026, 10, 9)),
    # 10 days from Monday 12 October end on Thursday 22 October
    (
        "gov_procurement.competitive_consultation",
        "procurement",
        "response_period",
        date(2026, 10, 12),
        date(2026, 10, 22),
    ),
    # 20 working days, the make-up Saturday 10 October among them
    ("state_property.listing", "listing", "listing_period", date(2026, 9, 29), date(2026, 11, 2)),
    # 5 working days of publicity: 30 Sep, 8, 9, 10 (Saturday, make-up), 12 Oct
    (
        "gov_procurement.single_source",
        "single_source",
        "single_source_publicity_period",
        date(2026, 9, 29),
        date(2026, 10, 12),
    ),
]


@pytest.fixture
def setting(db, client, clock, monkeypatch):
    cheap_password_hashing(monkeypatch)
    clock.set(PUBLISHED)
    tenderer = make_org(db, name="示范市自然资源和规划局", kind=OrganisationKind.DEPARTMENT)
    agency = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    make_user(db, Role.AGENCY, username="agency", organisation_id=agency)
    make_user(db, Role.CENTRE_STAFF, username="centre")
    agency_h, centre_h = api_token(client, "agency"), api_token(client, "centre")

    def accepted(key: str) -> int:
        transaction_type, method = key.split(".")
        response = client.post(
            "/api/v1/projects",
            headers=agency_h,
            json={
                "name": f"{key}边界测试项目",
                "transaction_type": transaction_type,
                "method": method,
                "tenderer_id": tenderer,
                "agency_id": agency,
                "budget": "3000000.00",
                "region_code": "350100",
                "funding_source": "财政资金",
                "sections": [{"name": "第一包", "estimate": "3000000.00", "qualification": "具有相应资质"}],
            },
        )
        assert response.status_code == 201, response.text
        project_id = response.json()["id"]
        assert client.post(f"/api/v1/projects/{project_id}/accept", headers=centre_h).status_code == 200
        return project_id

    def publish(project_id: int, kind: str, *, docs: date, deadline: date, sale_end: date | None = None):
        form = {
            "kind": kind,
            "title": "公告",
            "body_html": "<p>公告</p>",
            "docs_issued_at": at(docs, 9, 0),
            "bid_deadline": at(deadline),
        }
        if sale_end:
            form["docs_sale_end"] = at(sale_end, 17, 0)
        return client.post(f"/api/v1/projects/{project_id}/notices", headers=agency_h, data=form)

    return accepted, publish


@pytest.mark.parametrize(("key", "kind", "rule", "docs", "earliest"), CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_deadline_boundary(setting, key, kind, rule, docs, earliest):
    accepted, publish = setting
    project_id = accepted(key)
    short = publish(
        project_id, kind, docs=docs, deadline=earliest - timedelta(days=1), sale_end=docs + timedelta(days=8)
    )
    assert short.status_code == 409, short.text
    body = short.json()
    assert body["code"] == "rule_violation" and body["rule"] == rule
    assert body["earliest"] == earliest.isoformat()
    assert body["basis"] and "《" in body["basis"] + body["detail"]
    ok = publish(project_id, kind, docs=docs, deadline=earliest, sale_end=docs + timedelta(days=8))
    assert ok.status_code == 201, ok.text


def test_land_listing_notice_runs_twenty_days_before_the_listing_starts(setting):
    """《招标拍卖挂牌出让国有建设用地使用权规定》: the notice at least 20 days before the listing starts."""
    accepted, publish = setting
    project_id = accepted("land.listing")
    start = date(2026, 10, 19)  # 29 Sep + 20 days = 19 Oct, a Monday
    early = publish(project_id, "listing", docs=start - timedelta(days=1), deadline=start + timedelta(days=20))
    assert early.status_code == 409 and early.json()["rule"] == "notice_before_start", early.text
    assert early.json()["earliest"] == start.isoformat()
    ok = publish(project_id, "listing", docs=start, deadline=start + timedelta(days=20))
    assert ok.status_code == 201, ok.text


def test_land_listing_period_of_ten_days(setting):
    accepted, publish = setting
    project_id = accepted("land.listing")
    start = date(2026, 10, 19)
    short = publish(project_id, "listing", docs=start, deadline=date(2026, 10, 28))
    assert short.status_code == 409 and short.json()["rule"] == "listing_period", short.text
    assert short.json()["earliest"] == "2026-10-29"
    assert publish(project_id, "listing", docs=start, deadline=date(2026, 10, 29)).status_code == 201


def test_consultation_documents_on_sale_five_working_days_across_the_holiday(setting):
    """磋商文件发售期 5 个工作日 from 29 September: 30 Sep, 8, 9, 10 (make-up Saturday), 12 October."""
    accepted, publish = setting
    project_id = accepted("gov_procurement.competitive_consultation")
    short = publish(
        project_id, "procurement", docs=date(2026, 9, 29), deadline=date(2026, 10, 20), sale_end=date(2026, 10, 10)
    )
    assert short.status_code == 409 and short.json()["rule"] == "docs_sale_period", short.text
    assert short.json()["earliest"] == "2026-10-12"
    ok = publish(
        project_id, "procurement", docs=date(2026, 9, 29), deadline=date(2026, 10, 20), sale_end=date(2026, 10, 12)
    )
    assert ok.status_code == 201, ok.text
