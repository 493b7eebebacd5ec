"""A small-works world for the draw tests: a school (tenderer), its agency, the centre, two supervisors and
bidders, with API tokens; a draw project registered, accepted and published through the API; and the draw
room walked through the draw services (sign-ins, the supervisor's browser commitment and reveal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sunshine.core import clock as core_clock
from sunshine.core.auth import Principal
from sunshine.draws import engine
from sunshine.draws import service as draws
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from tests.builders import api_token, make_org
from tests.trading.builders import actor

FIRM_NAMES = [
    "示范建设集团有限公司",
    "闽江路桥工程有限公司",
    "海峡市政建设有限公司",
    "榕城园林绿化工程有限公司",
    "鼓山建筑安装有限公司",
    "晋安水利水电工程有限公司",
    "仓山装饰工程有限公司",
    "马尾港务建设有限公司",
]


@dataclass
class World:
    school: int
    agency_org: int
    agency: Principal
    centre: Principal
    supervisor: Principal
    firms: list[int]
    bidders: list[Principal]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def login(self, client) -> None:  # tokens last a day; the tests move the clock by days
        for who, p in (("agency", self.agency), ("centre", self.centre), ("supervisor", self.supervisor)):
            self.headers[who] = api_token(client, p.username)
        for i, b in enumerate(self.bidders):
            self.headers[f"bidder{i}"] = api_token(client, b.username)


def world(db, client, firms: int = 5) -> World:
    school = make_org(db, name="示范市鼓楼区温泉街道办事处", kind=OrganisationKind.PURCHASER)
    agency_org = make_org(db, name="福建中正招标代理有限公司", kind=OrganisationKind.AGENCY)
    firm_ids = [make_org(db, name=n) for n in FIRM_NAMES[:firms]]
    w = World(
        school=school,
        agency_org=agency_org,
        agency=actor(db, Role.AGENCY, organisation_id=agency_org),
        centre=actor(db, Role.CENTRE_STAFF),
        supervisor=actor(db, Role.SUPERVISOR),
        firms=firm_ids,
        bidders=[actor(db, Role.BIDDER, organisation_id=f) for f in firm_ids],
    )
    w.login(client)
    return w


def draw_project(client, w: World, *, estimate: str = "386000.00", sections: int = 1) -> dict:
    """A draw project registered by the agency, accepted, its 抽取公告 published (registration closes in
    ten days at 09:30 Beijing time). Returns the project as the API shows it, with ``deadline``."""
    created = client.post(
        "/api/v1/projects",
        headers=w.headers["agency"],
        json={
            "name": "示范市鼓楼区温泉街道老旧小区雨污分流改造",
            "transaction_type": "engineering",
            "method": "small_works_draw",
            "tenderer_id": w.school,
            "agency_id": w.agency_org,
            "budget": str(Decimal(estimate) * sections),
            "region_code": "350100",
            "funding_source": "财政资金",
            "evaluation_method": "固定价随机抽取",
            "sections": [
                {
                    "name": "雨污分流改造施工" if n == 0 else f"雨污分流改造施工（第{n + 1}片区）",
                    "estimate": estimate,
                    "qualification": "市政公用工程施工总承包三级以上",
                }
                for n in range(sections)
            ],
        },
    )
    assert created.status_code == 201, created.text
    project = created.json()
    assert client.post(f"/api/v1/projects/{project['id']}/accept", headers=w.headers["centre"]).status_code == 200
    now = core_clock.now()
    deadline = (now + timedelta(days=10)).replace(hour=1, minute=30, second=0, microsecond=0)
    published = client.post(
        f"/api/v1/projects/{project['id']}/notices",
        headers=w.headers["agency"],
        data={
            "kind": "draw",
            "title": f"{project['name']}抽取公告",
            "body_html": "<p>固定价：38.6万元。报名截止后在交易平台公开随机抽取承包人。</p>",
            "bid_deadline": deadline.isoformat(),
            "docs_issued_at": now.isoformat(),
            "docs_sale_end": (now + timedelta(days=5)).isoformat(),
        },
    )
    assert published.status_code == 201, published.text
    project = client.get(f"/api/v1/projects/{project['id']}").json()
    project["deadline"] = deadline
    return project


def register(client, w: World, project: dict, i: int, section: int = 0) -> int:
    response = client.post(
        f"/api/v1/projects/{project['id']}/sections/{project['sections'][section]['id']}/registrations",
        headers=w.headers[f"bidder{i}"],
        json={"contact_name": "张经理", "contact_phone": f"1380000{i:04d}"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def run_draw(db, w: World, code: str) -> None:
    """The draw room: the supervisor, the centre and the agency sign in; the supervisor's browser commits to
    its secret; the centre starts (the platform reveals first); the supervisor reveals; the draw is made."""
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, code)
        draws.commit(s, w.supervisor, code, engine.commitment(code, party, secret))
    with db.unit_of_work() as s:
        draws.start_reveal(s, w.centre, code)
    with db.unit_of_work() as s:
        draws.reveal(s, w.supervisor, code, secret)


def run_draw_api(client, w: World, code: str) -> None:
    """The draw room through the API, as the people in it would: the supervisor, the centre and the agency sign
    in; the supervisor's browser commits to its secret; the centre starts (the platform reveals first); the
    supervisor reveals and the draw is made."""
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    for who in ("supervisor", "centre", "agency"):
        response = client.post(f"/api/v1/draws/{code}/sign-in", headers=w.headers[who])
        assert response.status_code == 200, response.text
    early = client.post(f"/api/v1/draws/{code}/start", headers=w.headers["centre"])
    assert early.status_code == 409, "the supervisor's commitment is missing"
    commitment = engine.commitment(code, party, secret)
    response = client.post(
        f"/api/v1/draws/{code}/commitment", headers=w.headers["supervisor"], json={"commitment": commitment}
    )
    assert response.status_code == 200, response.text
    assert client.post(f"/api/v1/draws/{code}/start", headers=w.headers["centre"]).status_code == 200
    response = client.post(f"/api/v1/draws/{code}/reveal", headers=w.headers["supervisor"], json={"secret": secret})
    assert response.status_code == 200, response.text
