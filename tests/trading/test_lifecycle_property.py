"""Property: no sequence of API calls, by any role, moves a project along a path the lifecycle
declaration does not allow — and no call ever answers 5xx.

Hypothesis drives random sequences of real HTTP calls (register, resubmit, accept, return, publish,
amend, close, terminate, suspend, resume, and the clock moving on) against a fresh database for each
example, and checks every observed change of state against ``lifecycle.STEPS``.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from sunshine.core import clock as clock_module
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.tasks import tick
from sunshine.trading import lifecycle
from tests.builders import api_token, make_org, make_user
from tests.conftest import _wipe
from tests.trading.builders import cheap_password_hashing

ROLES = ("agency", "centre", "supervisor", "bidder")
PACKS = [("engineering", "open_tender"), ("gov_procurement", "competitive_negotiation"), ("land", "listing")]


def _allowed(before: str, after: str, previous: str | None) -> bool:
    for step in lifecycle.STEPS.values():
        if not step.allowed_from(before):
            continue
        if step.target == lifecycle.SAME and after == before:
            return True
        if step.target == lifecycle.PREVIOUS and after == previous:
            return True
        if step.target == after:
            return True
    return False


class ProjectLifecycle(RuleBasedStateMachine):
    def __init__(self, db, client, clock):
        super().__init__()
        _wipe(db)
        self.db, self.client, self.clock = db, client, clock
        self.tenderer = make_org(db, name="示范市第一中学", kind=OrganisationKind.PURCHASER)
        self.agency = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
        bidder_org = make_org(db, name="闽江建设工程有限公司")
        make_user(db, Role.AGENCY, username="agency", organisation_id=self.agency)
        make_user(db, Role.CENTRE_STAFF, username="centre")
        make_user(db, Role.SUPERVISOR, username="supervisor")
        make_user(db, Role.BIDDER, username="bidder", organisation_id=bidder_org)
        self.login()
        self.project_id: int | None = None
        self.state: str | None = None
        self.before_suspension: str | None = None
        self.pack = PACKS[0]

    def login(self) -> None:
        self.headers = {name: api_token(self.client, name) for name in ROLES}

    def _body(self, name: str = "示范市滨江路道路改造工程") -> dict:
        return {
            "name": name,
            "transaction_type": self.pack[0],
            "method": self.pack[1],
            "tenderer_id": self.tenderer,
            "agency_id": self.agency,
            "budget": "5000000.00",
            "region_code": "350100",
            "funding_source": "财政资金",
            "sections": [{"name": "第一标段", "estimate": "5000000.00", "qualification": "具有相应资质"}],
        }

    def observe(self, response, *, a_step: bool = True) -> None:
        assert response.status_code < 500, response.text
        current = self.client.get(f"/api/v1/projects/{self.project_id}", headers=self.headers["centre"]).json()
        after = current["state"]
        assert after in lifecycle.STATES
        if after != self.state or (a_step and response.status_code < 300):
            assert _allowed(self.state, after, self.before_suspension), (self.state, after, response.text)
        if response.status_code >= 400:
            assert after == self.state, "a refused call changes nothing"
        if after == "suspended" and self.state != "suspended":
            self.before_suspension = self.state
        self.state = after

    @initialize(pack=st.sampled_from(PACKS), who=st.sampled_from(ROLES))
    def register(self, pack, who):
        self.pack = pack
        if who != "agency":
            refused = self.client.post("/api/v1/projects", headers=self.headers[who], json=self._body())
            assert refused.status_code == 403, refused.text
        response = self.client.post("/api/v1/projects", headers=self.headers["agency"], json=self._body())
        assert response.status_code == 201, response.text
        self.project_id, self.state = response.json()["id"], "registered"

    @precondition(lambda self: self.project_id is not None)
    @rule(step=st.sampled_from(["accept", "return", "close"]), who=st.sampled_from(["centre", "supervisor"]))
    def oversight_step(self, step, who):
        self.simple_step(step, who)

    @precondition(lambda self: self.project_id is not None)
    @rule(step=st.sampled_from(["suspend", "resume", "terminate"]), who=st.sampled_from(["centre", "supervisor"]))
    def oversight_intervention(self, step, who):
        self.simple_step(step, who)

    @precondition(lambda self: self.project_id is not None)
    @rule(
        step=st.sampled_from(["accept", "return", "terminate", "suspend", "resume", "close"]),
        who=st.sampled_from(["agency", "bidder"]),
    )
    def party_step(self, step, who):
        self.simple_step(step, who)

    def simple_step(self, step, who):
        body = {"reason": "依监督意见处理"} if step in ("return", "terminate", "suspend", "resume") else None
        response = self.client.post(f"/api/v1/projects/{self.project_id}/{step}", headers=self.headers[who], json=body)
        self.observe(response)

    @precondition(lambda self: self.project_id is not None)
    @rule(who=st.sampled_from(ROLES))
    def resubmit(self, who):
        response = self.client.put(
            f"/api/v1/projects/{self.project_id}",
            headers=self.headers[who],
            json=self._body("示范市滨江路道路改造工程（修改）"),
        )
        self.observe(response)

    @precondition(lambda self: self.project_id is not None)
    @rule(who=st.sampled_from(ROLES), days=st.integers(min_value=20, max_value=60))
    def publish(self, who, days):
        now = clock_module.now()
        docs = now + timedelta(days=25) if self.pack[0] == "land" else now
        deadline = (docs + timedelta(days=days + 10)).replace(hour=1, minute=30, second=0, microsecond=0)
        kind = {"engineering": "tender", "gov_procurement": "procurement", "land": "listing"}[self.pack[0]]
        response = self.client.post(
            f"/api/v1/projects/{self.project_id}/notices",
            headers=self.headers[who],
            data={
                "kind": kind,
                "title": "公告",
                "body_html": "<p>公告正文</p>",
                "bid_deadline": deadline.isoformat(),
                "docs_issued_at": docs.isoformat(),
                "docs_sale_end": (docs + timedelta(days=12)).isoformat(),
            },
        )
        self.observe(response)

    @precondition(lambda self: self.project_id is not None)
    @rule(who=st.sampled_from(ROLES))
    def amend(self, who):
        notices = self.client.get("/api/v1/notices").json()
        items = notices["items"] if isinstance(notices, dict) else notices
        first = next((n for n in items if n.get("project_id") == self.project_id), None)
        notice_id = first["id"] if first else 1
        response = self.client.post(
            f"/api/v1/projects/{self.project_id}/notices/{notice_id}/amendments",
            headers=self.headers[who],
            data={"kind": "clarification", "title": "澄清", "body_html": "<p>澄清内容</p>"},
        )
        self.observe(response)

    @precondition(lambda self: self.project_id is not None)
    @rule(days=st.integers(min_value=1, max_value=40))
    def time_passes(self, days):
        self.clock.advance(timedelta(days=days))
        self.login()
        tick(self.db)
        self.observe(self.client.get("/healthz"), a_step=False)

    @invariant()
    def state_is_declared(self):
        assert self.state is None or self.state in lifecycle.STATES


def test_no_sequence_of_calls_leaves_the_declaration(db, client, clock, monkeypatch):
    cheap_password_hashing(monkeypatch)
    run_state_machine_as_test(
        lambda: ProjectLifecycle(db, client, clock),
        settings=settings(
            max_examples=80, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
