"""The demo loader for information requests, called the way the orchestrator calls it: once for each of
the last twelve months, in order, with the clock it walks. The year it leaves behind has every outcome,
extensions, consultations, corrections (one not made, so withdrawn), a late answer with its alert, reviews,
and an annual report whose check balances."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from sunshine.core.clock import AdjustableClock
from sunshine.core.models import Alert
from sunshine.demo.inforequests import seed_month
from sunshine.identity.roles import Role
from sunshine.inforequests import report, states, stats
from sunshine.inforequests.models import InfoRequest, RequestEvent, RequestReview
from tests.builders import make_user


def months(first: date, count: int) -> list[tuple[date, date]]:
    out = []
    start = first
    for _ in range(count):
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append((start, following - timedelta(days=1)))
        start = following
    return out


def test_twelve_months_of_demo_requests_cover_every_outcome(db, app):
    make_user(db, Role.DISCLOSURE_OFFICE, username="disclosure")
    make_user(db, Role.SUPERVISOR, username="supervisor")
    make_user(db, Role.CENTRE_STAFF, username="centre")
    demo_clock = AdjustableClock(datetime(2025, 12, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai")))
    for start, end in months(date(2025, 12, 1), 12):
        seed_month(db, demo_clock, start, end)
        assert demo_clock.now().astimezone(ZoneInfo("Asia/Shanghai")).date() == end
    with db.unit_of_work(read_only=True) as s:
        total = s.scalar(select(func.count()).select_from(InfoRequest))
        assert 45 <= total <= 80
        forms = set(s.scalars(select(InfoRequest.answer_form).where(InfoRequest.answer_form.is_not(None))))
        assert forms == set(states.ANSWER_FORMS)
        steps = set(s.scalars(select(RequestEvent.step)))
        assert {"extend", "start_consultation", "end_consultation", "lapse_consultation", "record_correction"} <= steps
        assert "lapse_correction" in steps  # one request not corrected in time, treated as withdrawn
        assert (
            s.scalar(
                select(func.count()).select_from(Alert).where(Alert.domain == "inforequests", Alert.kind == "overdue")
            )
            >= 1
        )
        assert s.scalar(select(func.count()).select_from(RequestReview)) >= 2
        late = s.scalars(select(RequestEvent.data).where(RequestEvent.step == "answer")).all()
        assert any('"on_time": false' in (d or "") for d in late)
        channels = set(s.scalars(select(InfoRequest.channel)))
        assert channels == set(states.CHANNELS)
        kinds = set(s.scalars(select(InfoRequest.applicant_type)))
        assert kinds == set(states.APPLICANT_TYPES)
        year = report.build(s, 2026)
        assert year.balanced and year.table["new"]["total"] > 30
        assert year.table["carried_over"]["total"] >= 1  # received in December 2025, answered in 2026
        data = stats.public_stats(s, today=date(2026, 11, 30))
        assert data.total_received == sum(data.received) > 0 and data.median_days_overall is not None

    # every page of every demo request renders for the office, and every letter it has
    from sunshine.inforequests import letters
    from tests.pages import browser

    with db.unit_of_work(read_only=True) as s:
        kinds = {r.id: letters.available_kinds(s, r) for r in s.scalars(select(InfoRequest))}
    with browser(app, "disclosure") as page:
        for path in (
            "/staff/requests",
            "/staff/requests?show=all",
            "/requests/stats",
            "/disclosure/annual-report/2026",
        ):
            assert page.get(path).status_code == 200, path
        for rid, available in kinds.items():
            assert page.get(f"/staff/requests/{rid}").status_code == 200, rid
            for kind in available:
                assert page.get(f"/requests/{rid}/letter?kind={kind}").status_code == 200, (rid, kind)
