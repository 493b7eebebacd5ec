"""Public statistics: requests received and answered by month, outcomes, and the working days taken to
answer (consultation days excluded), as the page and the API show them — and nothing personal."""

from __future__ import annotations

from datetime import date

from sunshine.inforequests import stats
from tests.inforequests.builders import at, office, receive, step
from tests.pages import browser, page_text

D = date


def test_statistics_by_month_outcome_and_time_to_answer(app, db, clock):
    staff = office(db)
    r1, _ = receive(db, clock, staff, D(2026, 9, 1))
    step(db, clock, staff, r1, "answer", D(2026, 9, 8), form="disclosed")  # 9/2–9/4, 9/7, 9/8: 5 days
    r2, _ = receive(db, clock, staff, D(2026, 9, 14), applicant_name="赵六", id_number="B")
    step(
        db, clock, staff, r2, "answer", D(2026, 9, 24), form="already_public", location="门户网站"
    )  # 9 (Sun 9/20 counts)
    r3, _ = receive(db, clock, staff, D(2026, 10, 12), applicant_name="钱七", id_number="C")
    step(db, clock, staff, r3, "consultation", D(2026, 10, 13), party="third_party", party_name="某公司")
    step(db, clock, staff, r3, "consultation-end", D(2026, 10, 20))
    step(db, clock, staff, r3, "answer", D(2026, 10, 23), form="disclosed")  # 10/21–10/23: 3 days
    r4, _ = receive(db, clock, staff, D(2026, 11, 2), applicant_name="孙八", id_number="D")
    step(db, clock, staff, r4, "answer", D(2026, 11, 20), form="withheld", reason="internal_affairs")  # 14 days
    receive(db, clock, staff, D(2026, 11, 23), applicant_name="周九", id_number="E")
    clock.set(at(D(2026, 11, 23)))

    with db.unit_of_work(read_only=True) as s:
        data = stats.public_stats(s)
    assert data.months[0] == "2025-12" and data.months[-1] == "2026-11"
    assert (data.received[-3:], data.answered[-3:]) == ([2, 1, 2], [2, 1, 1])
    assert data.median_days[-3:] == [7.0, 3.0, 14.0]
    assert (data.median_days_overall, data.on_time_rate) == (7.0, 1.0)
    assert data.outcomes == {"disclosed": 3, "partly": 0, "withheld": 1, "unable": 0, "not_processed": 0, "other": 0}

    with browser(app) as visitor:
        page = visitor.get("/requests/stats")
        assert page.status_code == 200 and "echarts.min.js" in page.text and "data-echarts=" in page.text
        text = page_text(page.text)
        assert "2026-09 2 2 7" in text and "2026-10 1 1 3" in text and "2026-11 2 1 14" in text
        assert "予以公开 3" in text and "不予公开 1" in text
        assert "张三" not in text and "赵六" not in text
        api = visitor.get("/api/v1/requests/stats?months=3").json()
        assert api["months"] == ["2026-09", "2026-10", "2026-11"] and api["median_days"] == [7.0, 3.0, 14.0]
