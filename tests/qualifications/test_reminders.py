"""Expiry reminders through the tick: N days before a certificate or a person's registration lapses (N from the
centre.service rule pack), the enterprise is told once per fact however often the tick runs; a renewed record
that lapses again later is a new fact."""

from __future__ import annotations

from datetime import timedelta

from sunshine import tasks
from sunshine.core import clock
from sunshine.identity.roles import Role
from sunshine.qualifications import records, reminders
from sunshine.qualifications.schemas import CertificateIn
from tests.builders import api_token, make_org
from tests.qualifications.builders import add_certificate, add_manager, admin_of
from tests.trading.builders import actor


def test_expiry_reminders_once_per_fact_via_the_tick(client, db):
    firm = make_org(db, name="闽江路桥工程有限公司")
    other = make_org(db, name="另一家建设公司")
    admin = admin_of(db, firm)
    today = clock.today_local()
    with db.unit_of_work() as s:
        window = reminders.window_days(s)
    assert window == 30
    soon = add_certificate(db, admin, valid_until=today + timedelta(days=20))
    add_certificate(db, admin, kind="building", valid_until=today + timedelta(days=200))  # outside the window
    add_manager(db, admin, until=today + timedelta(days=400), safety_until=today + timedelta(days=5))
    first = tasks.tick(db).qualification_reminders
    assert len(first) == 2
    assert tasks.tick(db).qualification_reminders == []  # once per fact
    bidder = actor(db, Role.BIDDER, organisation_id=firm)
    inbox = client.get("/api/v1/messages", headers=api_token(client, bidder.username)).json()
    texts = [m["body"] for m in inbox]
    assert any("市政公用工程施工总承包二级" in t and "将于" in t for t in texts)
    assert any("安全生产考核合格证（B证）" in t for t in texts)
    # nothing reaches another enterprise
    stranger = actor(db, Role.BIDDER, organisation_id=other)
    assert client.get("/api/v1/messages", headers=api_token(client, stranger.username)).json() == []
    # renewed, then lapsing again within the window much later: a new fact, reminded again
    with db.unit_of_work() as s:
        record = records.get(s, admin, "certificate", soon)
        data = CertificateIn(
            kind=record.kind,
            grade=record.grade,
            number=record.number,
            issuer=record.issuer,
            valid_from=record.valid_from,
            valid_until=today + timedelta(days=60),
        )
        records.edit(s, admin, "certificate", soon, data)
    assert tasks.tick(db).qualification_reminders == []
    clock.current().advance(timedelta(days=40))
    again = tasks.tick(db).qualification_reminders
    assert len(again) == 1 and str(today + timedelta(days=60)) in again[0]


def test_expired_records_are_flagged_on_the_records_page(app, db):
    from tests.pages import browser, page_text

    firm = make_org(db)
    admin = admin_of(db, firm)
    add_certificate(db, admin, valid_until=clock.today_local() - timedelta(days=1))
    with browser(app, admin.username) as visitor:
        page = page_text(visitor.get("/my/qualifications").text)
    assert "过期" in page
    tasks.tick(db)
    with browser(app, admin.username) as visitor:
        page = page_text(visitor.get("/my/qualifications").text)
    assert "到期提醒与通知" in page and "已于" in page and "过期" in page
