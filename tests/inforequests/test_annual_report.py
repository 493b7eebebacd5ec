"""The annual report (国办公开办函〔2021〕30号 structure) from real records: requests received in 2025 and
2026 with every kind of applicant, answered, withheld, withdrawn, carried over and carried forward; the
table's cells, the balance check (new + carried over = handled + carried forward), reviews and lawsuits,
fees, the HTML page, the spreadsheet and the office's text."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sunshine.inforequests import alerts, report
from sunshine.inforequests.models import InfoRequest
from tests.inforequests.builders import at, office, receive, step
from tests.pages import browser, csrf_token, page_text

D = date


@pytest.fixture
def year_of_requests(db, clock):
    """A: 2025 disclosed. B: received 12/2025, partly disclosed 1/2026. C: received 12/2025, not corrected,
    withdrawn 1/2026. D–H: 2026 (withheld, not held, repeat, disclosed with a fee, still open)."""
    staff = office(db)
    ids = {}

    def add(key, day, kind, **extra):
        ids[key] = receive(
            db, clock, staff, day, applicant_type=kind, applicant_name=f"申请人{key}", id_number=key, **extra
        )[0]

    add("A", D(2025, 3, 10), "natural")
    step(db, clock, staff, ids["A"], "answer", D(2025, 3, 20), form="disclosed")
    add("B", D(2025, 12, 22), "commercial")
    add("C", D(2025, 12, 29), "research")
    step(db, clock, staff, ids["C"], "correction", D(2025, 12, 30), items="请写明所需信息", period_days=10)
    step(
        db,
        clock,
        staff,
        ids["B"],
        "answer",
        D(2026, 1, 12),
        form="partly_disclosed",
        reason="third_party",
        detail="隐去报价",
    )
    clock.set(at(D(2026, 1, 20)))
    with db.unit_of_work() as s:
        assert len(alerts.tick(s).withdrawn) == 1
    add("D", D(2026, 3, 2), "natural")
    step(db, clock, staff, ids["D"], "answer", D(2026, 3, 12), form="withheld", reason="state_secret")
    step(db, clock, staff, ids["D"], "close", D(2026, 3, 13))
    add("E", D(2026, 5, 11), "public_interest")
    step(db, clock, staff, ids["E"], "answer", D(2026, 5, 20), form="not_held", holder="示范市财政局")
    add("F", D(2026, 6, 1), "legal_services")
    step(db, clock, staff, ids["F"], "answer", D(2026, 6, 2), form="repeat", detail="已于5月答复")
    add("H", D(2026, 7, 1), "natural")
    step(db, clock, staff, ids["H"], "answer", D(2026, 7, 10), form="disclosed", fee_method="pages", pages=50)
    add("G", D(2026, 11, 23), "other_org")
    from sunshine.inforequests import service, steps
    from sunshine.inforequests.schemas import ReviewIn

    clock.set(at(D(2026, 11, 23)))
    with db.unit_of_work() as s:
        steps.add_review(
            s,
            staff,
            service.get(s, ids["D"]),
            ReviewIn(kind="review", filed_on=D(2026, 4, 1), result="upheld", decided_on=D(2026, 5, 1)),
        )
        steps.add_review(s, staff, service.get(s, ids["E"]), ReviewIn(kind="lawsuit_direct", filed_on=D(2026, 6, 1)))
        steps.add_review(
            s,
            staff,
            service.get(s, ids["D"]),
            ReviewIn(
                kind="lawsuit_after_review", filed_on=D(2026, 5, 20), result="corrected", decided_on=D(2026, 11, 2)
            ),
        )
    return ids


def test_the_2026_table_from_real_records(db, year_of_requests):
    with db.unit_of_work(read_only=True) as s:
        data = report.build(s, 2026)
        withdrawn = s.get(InfoRequest, year_of_requests["C"])
        assert (withdrawn.category, withdrawn.concluded_on.year) == ("other_uncorrected", 2026)
    t = data.table
    assert t["new"] == {
        **dict.fromkeys(report.COLUMN_KEYS, 0),
        "natural": 2,
        "public_interest": 1,
        "legal_services": 1,
        "other_org": 1,
        "total": 5,
    }
    assert t["carried_over"] == {**dict.fromkeys(report.COLUMN_KEYS, 0), "commercial": 1, "research": 1, "total": 2}
    assert (t["disclosed"]["natural"], t["partly"]["commercial"]) == (1, 1)
    assert (t["withheld_state_secret"]["natural"], t["withheld"]["total"]) == (1, 1)
    assert (t["unable_not_held"]["public_interest"], t["unable"]["total"]) == (1, 1)
    assert (t["not_processed_repeat"]["legal_services"], t["not_processed"]["total"]) == (1, 1)
    assert (t["other_uncorrected"]["research"], t["other"]["total"]) == (1, 1)
    assert t["total"] == {
        **dict.fromkeys(report.COLUMN_KEYS, 0),
        "natural": 2,
        "commercial": 1,
        "research": 1,
        "public_interest": 1,
        "legal_services": 1,
        "total": 6,
    }
    assert t["carried_forward"] == {**dict.fromkeys(report.COLUMN_KEYS, 0), "other_org": 1, "total": 1}
    assert data.balanced and data.check["total"] == {"incoming": 7, "outgoing": 7, "ok": True}
    assert data.reviews["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert data.reviews["lawsuit_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert data.reviews["lawsuit_after_review"]["corrected"] == 1
    assert data.fees == {"count": 1, "amount": Decimal("200.00")}  # 50 pages: pages 31–50 at 10 yuan


def test_the_previous_year_carries_forward_what_this_year_carried_over(db, year_of_requests):
    with db.unit_of_work(read_only=True) as s:
        last, this = report.build(s, 2025), report.build(s, 2026)
    assert (last.table["new"]["total"], last.table["total"]["total"], last.table["carried_forward"]["total"]) == (
        3,
        1,
        2,
    )
    assert last.table["carried_forward"] == this.table["carried_over"]
    assert last.balanced


def test_the_check_flags_a_table_that_does_not_balance():
    table = {key: dict.fromkeys(report.COLUMN_KEYS, 0) for key, _, _ in report.states.REPORT_ROWS}
    table["new"]["natural"] = table["new"]["total"] = 2
    table["total"]["natural"] = table["total"]["total"] = 1
    check = report.balance(table)
    assert check["natural"] == {"incoming": 2, "outgoing": 1, "ok": False}
    assert check["commercial"]["ok"]


def test_the_report_page_spreadsheet_and_the_offices_text(app, db, year_of_requests):
    with browser(app) as visitor:
        page = visitor.get("/disclosure/annual-report/2026")
        assert page.status_code == 200
        text = page_text(page.text)
        for heading in (
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ):
            assert heading in text
        assert "本年新收 5 件＋上年结转 2 件＝办理结果总计 6 件＋结转下年度 1 件" in text
        assert "校验通过" in text and "收取信息处理费的申请1件，合计200.00元" in text
        assert "填写文字部分" not in text  # only the disclosure office edits
        sheet = visitor.get("/disclosure/annual-report/2026.xlsx")
        assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("application/vnd.openxmlformats")
        wb = load_workbook(io.BytesIO(sheet.content))
        assert wb.sheetnames == ["一、总体情况", "二、主动公开", "三、依申请公开", "四、复议诉讼", "校验"]
        rows = {r[0].strip(): r[1:] for r in wb["三、依申请公开"].iter_rows(min_row=2, values_only=True)}
        assert rows["一、本年新收政府信息公开申请数量"] == (2, 0, 0, 1, 1, 1, 5)
        assert rows["（七）总计"] == (2, 1, 1, 1, 1, 0, 6)
        assert rows["四、结转下年度继续办理"][-1] == 1
        assert [r[-1] for r in wb["校验"].iter_rows(min_row=2, values_only=True)] == ["平衡"] * 7
        assert visitor.get("/disclosure/annual-report/1999").status_code == 422

    with browser(app, "office") as staff:
        page = staff.get("/disclosure/annual-report/2026")
        assert "填写文字部分" in page.text
        bad = staff.post(
            "/disclosure/annual-report/2026",
            data={"csrf_token": csrf_token(page.text), "overview": "草稿", "p_licences_decisions": "三件"},
        )
        assert bad.status_code == 422 and "行政许可本年处理决定数量：请填写数字" in page_text(bad.text)
        saved = staff.post(
            "/disclosure/annual-report/2026",
            data={
                "csrf_token": csrf_token(page.text),
                "overview": "本中心坚持以公开为常态、不公开为例外。",
                "problems": "依申请公开答复文书的规范性有待提高。",
                "other": "无。",
                "p_normative_made": "3",
                "p_normative_in_force": "12",
                "p_charges_amount": "1.25",
            },
            follow_redirects=True,
        )
        text = page_text(saved.text)
        assert "本中心坚持以公开为常态" in text and "依申请公开答复文书的规范性有待提高" in text
    with db.unit_of_work(read_only=True) as s:
        data = report.build(s, 2026)
        assert data.proactive["normative"] == {"made": 3, "repealed": None, "in_force": 12}
        assert data.proactive["charges"] == {"amount": "1.2500"}
