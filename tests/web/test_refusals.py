"""Page refusals handled once: a step the service refuses after it has already written rows and ledger
entries leaves none of them behind; the visitor lands on the page it came from with the Chinese reason
flashed (HX-Redirect for htmx), or sees the form again with the reason beside its field; a 404 stays a 404."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from sunshine.core.errors import Conflict, RuleViolation
from sunshine.core.models import CodeSequence
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.trading import service
from sunshine.trading.models import Project, Transition
from tests.builders import make_org, make_user
from tests.pages import browser, csrf_token, page_text

REFUSAL = "模拟：受理后发现材料不全，本次受理不成立"


@pytest.fixture
def world(db):
    school = make_org(db, name="示范市第一中学", kind=OrganisationKind.PURCHASER)
    agency = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    make_user(db, Role.AGENCY, username="agent", organisation_id=agency)
    make_user(db, Role.CENTRE_STAFF, username="staff")
    return SimpleNamespace(school=school, agency=agency)


def _form(world, **overrides) -> dict:
    return {
        "name": "示范市第一中学教学楼改造工程",
        "type_method": "gov_procurement:open_tender",
        "tenderer_id": str(world.school),
        "agency_id": str(world.agency),
        "budget": "1200000",
        "region_code": "350100",
        "funding_source": "财政资金",
        "section_name": ["第一标段"],
        "section_estimate": ["600000"],
        "section_qualification": ["具有相应资质"],
        **overrides,
    }


def _count(db, column) -> int:
    with db.unit_of_work(read_only=True) as s:
        return s.scalar(select(func.count(column)))


def _written(db) -> dict[str, int]:
    return {
        "projects": _count(db, Project.id),
        "transitions": _count(db, Transition.id),
        "ledger": _count(db, LedgerEntry.seq),
        "codes": sum(_sequences(db).values()),
    }


def _sequences(db) -> dict[str, int]:
    with db.unit_of_work(read_only=True) as s:
        return {row.scope: row.next_value for row in s.scalars(select(CodeSequence))}


def _registered(app, world) -> int:
    with browser(app, "agent") as agent:
        page = agent.get("/projects/new")
        response = agent.post(
            "/projects/new", data={**_form(world), "csrf_token": csrf_token(page.text)}, follow_redirects=False
        )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _refuse_after(monkeypatch, name: str, error: Exception) -> dict[str, int]:
    """Make the service step ``name`` do all its work (rows, ledger entry) and then refuse."""
    real = getattr(service, name)
    seen: dict[str, int] = {}

    def step(session, *args, **kwargs):
        real(session, *args, **kwargs)
        session.flush()
        seen["ledger"] = session.scalar(select(func.count(LedgerEntry.seq)))
        seen["projects"] = session.scalar(select(func.count(Project.id)))
        raise error

    monkeypatch.setattr(service, name, step)
    return seen


def test_refused_step_leaves_no_row_and_no_ledger_entry_and_flashes_its_reason(app, db, world, monkeypatch):
    project_id = _registered(app, world)
    before = _written(db)
    seen = _refuse_after(monkeypatch, "accept", Conflict(REFUSAL))
    with browser(app, "staff") as staff:
        queue = staff.get("/staff/queue")
        response = staff.post(
            f"/projects/{project_id}/accept",
            data={"next": "/staff/queue", "csrf_token": csrf_token(queue.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/staff/queue"
        landed = staff.get("/staff/queue")
        assert REFUSAL in page_text(landed.text), "the reason is shown on the page the visitor lands on"
        assert REFUSAL not in page_text(staff.get("/staff/queue").text), "shown once"

    assert seen["ledger"] == before["ledger"] + 1, "the step had written its ledger entry before it was refused"
    assert _written(db) == before, "nothing of the refused step is kept"
    with db.unit_of_work(read_only=True) as s:
        assert s.get(Project, project_id).state == "registered"


def test_htmx_refusal_answers_with_hx_redirect(app, db, world, monkeypatch):
    project_id = _registered(app, world)
    before = _written(db)
    _refuse_after(monkeypatch, "accept", Conflict(REFUSAL))
    with browser(app, "staff") as staff:
        queue = staff.get("/staff/queue")
        response = staff.post(
            f"/projects/{project_id}/accept",
            data={"next": "/staff/queue", "csrf_token": csrf_token(queue.text)},
            headers={"HX-Request": "true"},
            follow_redirects=False,
        )
        assert response.status_code == 204 and response.headers["HX-Redirect"] == "/staff/queue"
        assert REFUSAL in page_text(staff.get("/staff/queue").text)
    assert _written(db) == before


def test_refused_form_is_shown_again_with_the_reason_beside_its_field_and_nothing_kept(app, db, world, monkeypatch):
    _registered(app, world)
    before = _written(db)
    codes = _sequences(db)
    seen = _refuse_after(monkeypatch, "register", RuleViolation("模拟：预算超出本级审批限额", field="budget"))
    with browser(app, "agent") as agent:
        page = agent.get("/projects/new")
        response = agent.post(
            "/projects/new",
            data={**_form(world, name="第二个改造工程"), "csrf_token": csrf_token(page.text)},
            follow_redirects=False,
        )
    assert response.status_code == 400
    assert re.search(r'id="f-budget-error">.*模拟：预算超出本级审批限额', response.text)
    assert 'value="第二个改造工程"' in response.text, "what was typed comes back"
    assert seen["projects"] == before["projects"] + 1 and seen["ledger"] == before["ledger"] + 1
    assert _written(db) == before, "no project, transition, ledger entry or code number of the refused form"
    assert _sequences(db) == codes


def test_a_missing_object_stays_a_404(app, world):
    with browser(app, "staff") as staff:
        queue = staff.get("/staff/queue")
        response = staff.post(
            "/projects/999999/accept", data={"next": "/staff/queue", "csrf_token": csrf_token(queue.text)}
        )
    assert response.status_code == 404
