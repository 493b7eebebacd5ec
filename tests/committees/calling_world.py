"""A drawn committee to call: a procurement tender past its bid deadline, a pool of experts with distinct names and
mobile numbers, an approved evaluation request (2 + 2 experts, 1 reserve each) and its witnessed draw finished.
Each drawn expert can be found by leaf; ``api_headers`` signs an expert's API calls."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from sunshine.committees import calling, drawing, service
from sunshine.committees.calling_models import ExpertCall
from sunshine.committees.service import RequestIn
from sunshine.db import Database
from sunshine.draws import engine
from sunshine.draws import service as draws
from tests.builders import api_token
from tests.committees.builders import CIVIL, COST, procurement, request_body
from tests.experts.builders import add_expert

SURNAMES = "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙"
GIVEN = ["明远", "清和", "景行", "致远", "思齐", "若谷", "怀瑾", "握瑜", "知非", "守拙", "载物", "自强", "弘毅", "崇德"]


def name_of(i: int) -> str:
    surname = SURNAMES[2 * (i % 7) : 2 * (i % 7) + 2]
    return f"{surname}{GIVEN[i % len(GIVEN)]}"


def drawn_committee(db: Database, clock, *, experts: int = 14, client=None) -> SimpleNamespace:
    """The committee drawn through the services, or — given a ``client`` — through the API, as the agency, the
    supervisor, the centre and the witnesses use it."""
    w = procurement(db, experts=0)
    w.pool = []
    for i in range(experts):
        e = add_expert(
            db,
            specialties=(CIVIL if i % 2 == 0 else COST,),
            name=name_of(i),
            mobile=f"1390000{i:04d}",
            id_number=f"3501021975050{i:05d}",
        )
        e.update(name=name_of(i), mobile=f"1390000{i:04d}")
        w.pool.append(e)
    w.by_id = {e["id"]: e for e in w.pool}
    w.meeting_at = w.deadline + timedelta(hours=2)
    data = RequestIn(
        section_id=w.section_id,
        purpose="evaluation",
        specialties=[(CIVIL, 2), (COST, 2)],
        reserve=1,
        representatives=1,
        meeting_at=w.meeting_at,
        place_kind="room",
        place="第三评标室",
    )
    if client is not None:
        _draw_through_the_api(w, client, clock)
        return w
    with db.unit_of_work() as s:
        w.request_id = service.submit(s, w.agency, w.project_id, data).id
    with db.unit_of_work() as s:
        service.approve(s, w.supervisor, w.request_id)
    clock.set(w.deadline + timedelta(minutes=5))
    with db.unit_of_work() as s:
        w.code = drawing.start_draw(s, w.centre, w.request_id).draw_code
    secret = engine.new_secret()
    party = f"supervisor:{w.supervisor.user_id}"
    with db.unit_of_work() as s:
        for who in (w.supervisor, w.centre, w.agency):
            draws.sign_in(s, who, w.code)
        draws.commit(s, w.supervisor, w.code, engine.commitment(w.code, party, secret))
        draws.start_reveal(s, w.centre, w.code)
        draws.reveal(s, w.supervisor, w.code, secret)
    return w


def _ok(response, status: int = 200):
    assert response.status_code == status, response.text
    return response.json()


def _draw_through_the_api(w, client, clock) -> None:
    h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "supervisor", "centre")}
    body = request_body(w, reserve=1, meeting_at=w.meeting_at)
    w.request_id = _ok(
        client.post(f"/api/v1/committees/projects/{w.project_id}/requests", json=body, headers=h["agency"]), 201
    )["id"]
    _ok(client.post(f"/api/v1/committees/requests/{w.request_id}/approve", headers=h["supervisor"]))
    clock.set(w.deadline + timedelta(minutes=5))
    h = {n: api_token(client, getattr(w, n).username) for n in ("agency", "supervisor", "centre")}
    w.code = _ok(client.post(f"/api/v1/committees/requests/{w.request_id}/draw", headers=h["centre"]))["draw_code"]
    for who in ("supervisor", "centre", "agency"):
        _ok(client.post(f"/api/v1/draws/{w.code}/sign-in", headers=h[who]))
    secret = engine.new_secret()
    commitment = engine.commitment(w.code, f"supervisor:{w.supervisor.user_id}", secret)
    _ok(client.post(f"/api/v1/draws/{w.code}/commitment", json={"commitment": commitment}, headers=h["supervisor"]))
    _ok(client.post(f"/api/v1/draws/{w.code}/start", headers=h["centre"]))
    _ok(client.post(f"/api/v1/draws/{w.code}/reveal", json={"secret": secret}, headers=h["supervisor"]))


def calls(db: Database, w) -> list[ExpertCall]:
    with db.unit_of_work(read_only=True) as s:
        rows = calling.calls_of(s, w.request_id)
        s.expunge_all()
        return rows


def expert_of(w, call: ExpertCall) -> dict:
    return w.by_id[call.expert_id]


def call_row(db: Database, call_id: int) -> ExpertCall:
    with db.unit_of_work(read_only=True) as s:
        row = s.scalar(select(ExpertCall).where(ExpertCall.id == call_id))
        s.expunge_all()
        return row
