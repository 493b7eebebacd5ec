"""Statistics on the demo data: every table's totals equal the sum of its parts and match a direct count; the public
and staff pages draw each table as a chart beside its data with CSV and xlsx downloads; page views are counted per
path template; the demo's monitoring alerts are there for the supervisory department, one of them handled."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import distinct, func, select

from sunshine.awards.contract_models import AwardContract
from sunshine.bidding.models import Bid
from sunshine.complaints import kinds as complaint_kinds
from sunshine.complaints.models import ComplaintCase
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.monitoring.models import AlertFinding, PageView
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.pages import browser, page_text


def _tables(client, url="/api/v1/statistics", headers=None, **params):
    r = client.get(url, headers=headers or {}, params=params)
    assert r.status_code == 200, r.text
    return {t["key"]: t for t in r.json()}


def test_statistics_totals_equal_their_parts_and_a_direct_count(demo, db, app, client):
    with db.unit_of_work(read_only=True) as s:
        projects = s.scalar(select(func.count(Project.id)))
        budget = s.scalar(select(func.sum(Project.budget)))
        failed = s.scalar(select(func.count(Project.id)).where(Project.state == "failed"))
        sections = s.scalar(select(func.count(distinct(Bid.section_id))).where(Bid.status == "sealed"))
        signed = s.scalar(
            select(func.count(AwardContract.id)).where(
                AwardContract.winner_signed_at.is_not(None), AwardContract.tenderer_signed_at.is_not(None)
            )
        )
        findings = s.scalar(select(func.count(AlertFinding.id)))
        cases = dict(
            s.execute(select(ComplaintCase.kind, func.count(ComplaintCase.id)).group_by(ComplaintCase.kind)).all()
        )
    assert projects > 10 and sections > 0 and signed > 0 and findings > 0
    tables = _tables(client)
    for key in ("by-type", "by-method", "by-region", "by-month"):
        t = tables[key]
        assert sum(r["projects"] for r in t["rows"]) == t["totals"]["projects"] == projects, key
        assert Decimal(str(t["totals"]["budget"])) == sum(Decimal(str(r["budget"])) for r in t["rows"]) == budget
    assert tables["bidders"]["totals"]["sections"] == sections
    assert tables["failed"]["totals"]["failed"] == failed
    assert tables["savings"]["totals"]["contracts"] == signed == tables["notice-to-contract"]["totals"]["contracts"]
    assert all(r["average_days"] > 0 for r in tables["notice-to-contract"]["rows"])
    # complaints and their outcomes: each kind's outcomes add up to the cases raised, which match a direct count
    complaints = tables["complaints"]
    assert [r["group"] for r in complaints["rows"]] == [kind.label for kind in complaint_kinds.KINDS.values()]
    shown = {r["group"] for r in complaints["rows"]}
    assert {"异议", "投诉（招标投标）", "质疑", "投诉（政府采购）", "开标现场异议"} <= shown
    outcomes = ("open", "rejected", "withdrawn", "founded", "unfounded")
    assert all(r["raised"] == sum(r[o] for o in outcomes) for r in complaints["rows"])
    assert complaints["totals"]["raised"] == sum(cases.values()) > 0
    assert {r["group"]: r["raised"] for r in complaints["rows"]}["质疑"] == cases.get("challenge", 0)
    got = client.get("/statistics/complaints/download", params={"fmt": "csv"})
    header = next(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert header == ["类别", "提出", "处理中", "不予受理", "撤回", "成立", "不成立（驳回）"]
    # a year is a part of the whole
    year = tables["by-month"]["rows"][-1]["group"][:4]
    part = _tables(client, year=year)["by-type"]["totals"]["projects"]
    assert 0 < part <= projects
    assert client.get("/api/v1/statistics", params={"year": 3000}).status_code == 422

    # the staff's tables add the monitoring alerts and the page views
    supervisor = api_token(client, "supervisor", DEMO_PASSWORD)
    staff = _tables(client, "/api/v1/staff/statistics", supervisor)
    assert staff["alerts"]["totals"]["raised"] == findings and staff["alerts"]["totals"]["dismissed"] == 1
    assert staff["page-views"]["totals"]["views"] > 0
    assert client.get("/api/v1/staff/statistics", headers=api_token(client, "bidder", DEMO_PASSWORD)).status_code == 403

    # downloads: the same rows and the totals line
    got = client.get("/statistics/by-type/download", params={"fmt": "csv"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert lines[0] == ["分组", "项目数", "预算（估算）金额（元）"] and lines[-1][:2] == ["合计", str(projects)]
    book = load_workbook(io.BytesIO(client.get("/statistics/by-type/download", params={"fmt": "xlsx"}).content))
    rows = list(book.active.values)
    assert rows[-1][0] == "合计" and rows[-1][1] == projects and len(rows) == len(tables["by-type"]["rows"]) + 2
    assert client.get("/statistics/nope/download").status_code == 404
    assert client.get("/statistics/by-type/download", params={"fmt": "pdf"}).status_code == 422


def test_statistics_pages_draw_charts_beside_tables_and_count_page_views(demo, db, app, client):
    with db.unit_of_work(read_only=True) as s:
        before = s.scalar(select(func.sum(PageView.views)).where(PageView.path == "/statistics")) or 0
    page = client.get("/statistics")
    assert page.status_code == 200
    words = page_text(page.text)
    assert "按交易类型：项目数与金额" in words and "预算与合同金额（节支率）" in words and "合计" in words
    assert page.text.count("data-echarts") >= 9 and "vendor/echarts.min.js" in page.text
    assert "门户访问量" not in words  # staff only
    assert "异议、质疑、投诉及处理结果" in words
    with browser(app, "supervisor", DEMO_PASSWORD) as visitor:
        staff = visitor.get("/staff/statistics")
        assert staff.status_code == 200
        words = page_text(staff.text)
        assert "门户访问量（按栏目）" in words and "/projects/{project_id}" in words and "监察预警（按规则）" in words
        alerts = visitor.get("/monitoring")
        assert alerts.status_code == 200 and "从同一 IP 地址递交" in page_text(alerts.text)
    with db.unit_of_work(read_only=True) as s:
        after = s.scalar(select(func.sum(PageView.views)).where(PageView.path == "/statistics"))
        assert after == before + 1  # the public page's view, written before the staff page read the counts
        assert not s.scalar(select(PageView.id).where(PageView.path.like("%?%")))


def test_demo_monitoring_alerts_one_handled(demo, db, client):
    supervisor = api_token(client, "supervisor", DEMO_PASSWORD)
    alerts = client.get("/api/v1/monitoring/alerts", headers=supervisor).json()
    rules = {a["rule_id"] for a in alerts}
    assert {"C01", "C02", "P01"} <= rules
    handled = [a for a in alerts if a["decision"]]
    assert len(handled) == 1 and handled[0]["decision_label"] == "排除" and handled[0]["decision_ledger_seq"]
    c01 = next(a for a in alerts if a["rule_id"] == "C01")
    assert c01["restricted"]["value"].startswith("203.0.113.")
    recordings = client.get("/api/v1/monitoring/recordings", headers=api_token(client, "centre", DEMO_PASSWORD))
    assert recordings.status_code == 200 and recordings.json()[0]["room"] == "opening"
