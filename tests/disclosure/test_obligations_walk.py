"""A project walked through its lifecycle owes exactly what its catalog items require, each due on the date its
rule pack and the working-day calendar give — including across the 2026 Mid-Autumn and National Day holidays —
and the notices it publishes go through the disclosure pipeline, meeting their own obligations at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sunshine import disclosure
from sunshine.core import calendar
from sunshine.core.models import TrackedDeadline
from sunshine.disclosure.models import Obligation, Publication
from sunshine.ledger import service as ledger
from sunshine.trading import service
from sunshine.trading.models import Project
from tests.disclosure.builders import at, load_catalog
from tests.trading.builders import accepted_project, cheap_password_hashing, publish_notice, tender_world


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    load_catalog(db)
    return tender_world(db)


def owed(db, project_id: int) -> list[tuple[str, str, date, date, str, bool | None]]:
    with db.unit_of_work() as s:
        rows = s.scalars(select(Obligation).where(Obligation.project_id == project_id).order_by(Obligation.id))
        return [(_code(s, o), o.trigger, o.event_date, o.due, o.status, o.late) for o in rows]


def _code(s, obligation: Obligation) -> str:
    from sunshine.disclosure.models import CatalogItem

    return s.get(CatalogItem, obligation.item_id).code


def test_register_accept_publish_terminate_owes_the_notice_and_the_termination(db, w, clock):
    clock.set(at(2026, 9, 24))  # Thursday before the Mid-Autumn (25–27 Sep) and National Day (1–7 Oct) holidays
    project_id = accepted_project(db, w)
    assert owed(db, project_id) == [], "registration and acceptance owe nothing to the public"

    publish_notice(db, w["agency"], project_id)
    clock.set(at(2026, 9, 30, 15))
    with db.unit_of_work() as s:
        service.terminate(s, w["agency"], project_id, "规划调整，项目取消")

    assert owed(db, project_id) == [
        # 20 working days from 24 Sep: 28–30 Sep, 8–10 Oct (10 Oct is a make-up Saturday), then to 29 Oct
        ("GC.ZB.01", "trading.notice", date(2026, 9, 24), date(2026, 10, 29), "met", False),
        # 20 working days from 30 Sep, across the National Day holiday: 3 Nov
        ("GC.ZB.03", "trading.termination", date(2026, 9, 30), date(2026, 11, 3), "met", False),
    ]
    with db.unit_of_work() as s:
        code = s.get(Project, project_id).code
        pubs = s.scalars(select(Publication).where(Publication.subject == f"project:{code}").order_by(Publication.id))
        pubs = list(pubs)
        assert [(p.status, p.review_mode, p.source_ref.split(":")[0]) for p in pubs] == [
            ("published", "automatic", "notice"),
            ("published", "automatic", "notice"),
        ]
        assert pubs[0].channels == ["portal", "platform", "feed"]
        entry = ledger.get_entry(s, pubs[0].ledger_seq)
        assert entry.kind == "disclosure:publication:published"
        # the obligations' deadlines are closed: a later calendar change no longer moves them
        deadlines = s.scalars(select(TrackedDeadline).where(TrackedDeadline.subject == f"project:{code}"))
        assert all(not d.is_open for d in deadlines if d.purpose.startswith("公开："))


def test_a_project_terminated_before_it_was_public_owes_nothing(db, w, clock):
    project_id = accepted_project(db, w)
    with db.unit_of_work() as s:
        service.terminate(s, w["agency"], project_id, "资金未落实")
    assert owed(db, project_id) == []


def test_suspending_a_public_project_owes_a_suspension_notice_that_stays_open(db, w, clock):
    project_id = accepted_project(db, w)
    publish_notice(db, w["agency"], project_id)  # Monday 23 Nov 2026
    with db.unit_of_work() as s:
        service.suspend(s, w["centre"], project_id, "收到投诉，暂停招标活动")
    rows = owed(db, project_id)
    assert rows[-1] == ("GC.ZB.04", "trading.suspension", date(2026, 11, 23), date(2026, 12, 21), "open", None)


def test_candidates_follow_the_projects_rule_snapshot_in_calendar_days_across_national_day(db, w, clock):
    """3 calendar days from 28 Sep end on 1 Oct, a holiday: the period ends on the next working day, 8 Oct
    (《民法典》第二百零三条)."""
    clock.set(at(2026, 9, 24))
    project_id = accepted_project(db, w)
    publish_notice(db, w["agency"], project_id)
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        made = disclosure.owe(
            s,
            trigger="trading.candidates",
            subject=f"project:{project.code}",
            title=f"{project.name}中标候选人公示",
            responsible_org_id=project.agency_id,
            event_date=date(2026, 9, 28),
            project=project,
        )
        assert [(o.rule_ref, o.due) for o in made] == [
            ("engineering.open_tender@2019-03-02/candidate_publicity_within", date(2026, 10, 8))
        ]


def test_a_procurement_method_uses_its_own_pack_for_the_result_notice(db, w, clock):
    """The catalog item cites gov_procurement.open_tender/result_notice_within; a competitive-negotiation
    project has the same rule in its own snapshot (2 working days) and follows it."""
    from tests.trading.builders import make_project

    project_id = make_project(
        db,
        w["agency"],
        tenderer_id=w["school"],
        agency_id=w["agency_org"],
        transaction_type="gov_procurement",
        method="competitive_negotiation",
        name="示范市第一中学物业服务采购",
        accept_as=w["centre"],
    )
    with db.unit_of_work() as s:
        project = s.get(Project, project_id)
        made = disclosure.owe(
            s,
            trigger="trading.result",
            subject=f"project:{project.code}",
            title="成交结果公告",
            responsible_org_id=project.agency_id,
            event_date=date(2026, 11, 27),  # Friday
            project=project,
        )
        assert [(o.item_id is not None, o.rule_ref.split("@")[0], o.due) for o in made] == [
            (True, "gov_procurement.competitive_negotiation", date(2026, 12, 1))
        ]


def test_single_source_notices_bind_the_single_source_item(db, w, clock):
    from tests.trading.builders import make_project

    project_id = make_project(
        db,
        w["agency"],
        tenderer_id=w["school"],
        agency_id=w["agency_org"],
        transaction_type="gov_procurement",
        method="single_source",
        name="示范市第一中学专用软件升级单一来源采购",
        accept_as=w["centre"],
    )
    publish_notice(
        db,
        w["agency"],
        project_id,
        bid_deadline=at(2026, 12, 7, 17),
        docs_sale_end=at(2026, 12, 7, 17),
    )
    assert [row[0] for row in owed(db, project_id)] == ["ZC.CG.02"]


def test_a_calendar_change_moves_an_open_obligation(db, w, clock):
    from sunshine.core.auth import Principal
    from sunshine.identity.roles import Role

    project_id = accepted_project(db, w)
    publish_notice(db, w["agency"], project_id)
    with db.unit_of_work() as s:
        service.suspend(s, w["centre"], project_id, "收到投诉，暂停招标活动")
    before = owed(db, project_id)[-1][3]
    with db.unit_of_work() as s:
        admin = Principal(user_id=None, username="admin", roles=frozenset({Role.ADMIN}))
        calendar.set_day(s, actor=admin, day=date(2026, 12, 1), kind="holiday", name="临时休息", reason="测试")
    after = owed(db, project_id)[-1][3]
    assert after == before + timedelta(days=1)


def test_a_notice_carrying_an_identity_number_is_held_and_nothing_is_published(client, db, w):
    from tests.builders import api_token
    from tests.disclosure.builders import ID_NUMBER

    headers = api_token(client, w["agency"].username)
    project_id = accepted_project(db, w)
    response = client.post(
        f"/api/v1/projects/{project_id}/notices",
        data={
            "kind": "tender",
            "title": "示范市滨江路道路改造工程招标公告",
            "body_html": f"<p>联系人：张三，身份证号 {ID_NUMBER}。</p>",
            "docs_issued_at": at(2026, 11, 23).isoformat(),
            "docs_sale_end": at(2026, 11, 30, 17).isoformat(),
            "bid_deadline": at(2026, 12, 28, 9, 30).isoformat(),
        },
        headers=headers,
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "held_for_review"
    assert problem["findings"][0]["detector"] == "id_card"
    assert ID_NUMBER not in response.text, "the refusal itself does not echo the number"
    with db.unit_of_work() as s:
        assert s.get(Project, project_id).state == "accepted"
        assert s.scalars(select(Publication)).all() == []
        assert s.scalars(select(Obligation)).all() == []
