"""Projects that reached 结果已公告 for the award tests, built through the API as their people would, and the
agency's signer with an approved key to seal the letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sunshine.core.auth import Principal
from sunshine.identity.roles import Role
from sunshine.tasks import tick
from tests.builders import api_token
from tests.disclosure.builders import load_catalog
from tests.seals.builders import seal_body
from tests.signing.builders import Key, make_key
from tests.smallworks.builders import World, draw_project, register, run_draw_api, world
from tests.trading.builders import actor


@dataclass
class DrawResult:
    w: World
    project: dict
    signer: Principal
    key: Key

    def signer_headers(self, client) -> dict[str, str]:
        return api_token(client, self.signer.username)


def determined_draw(db, client, clock, *, firms: int = 4) -> DrawResult:
    """A small-works draw whose result is determined (结果已公告): every firm registered, the draw made and
    published, the publicity period over and the tick has determined the contractor."""
    load_catalog(db)
    w = world(db, client, firms=firms)
    project = draw_project(client, w)
    for i in range(firms):
        register(client, w, project, i)
    clock.set(project["deadline"])
    w.login(client)
    tick(db)
    prepared = client.post(
        f"/api/v1/smallworks/projects/{project['id']}/prepare",
        headers=w.headers["centre"],
        json={"supervisor_user_id": w.supervisor.user_id},
    )
    assert prepared.status_code == 200, prepared.text
    run_draw_api(client, w, prepared.json()["sections"][0]["draw_code"])
    clock.advance(timedelta(days=5))
    w.login(client)
    assert tick(db).smallworks_determined == [project["code"]]
    signer = actor(db, Role.SIGNER, organisation_id=w.agency_org)
    return DrawResult(w, client.get(f"/api/v1/projects/{project['id']}").json(), signer, make_key(db, signer))


def seal_all(db, client, result: DrawResult, letters: list[dict]) -> None:
    headers = result.signer_headers(client)
    for letter in letters:
        response = client.post(
            f"/api/v1/seals/award_letter/{letter['id']}",
            headers=headers,
            json=seal_body(db, "award_letter", letter["id"], result.key),
        )
        assert response.status_code in (200, 201), response.text


def awarded_draw(db, client, clock, *, firms: int = 3) -> tuple[DrawResult, list[dict]]:
    """A determined draw whose letters are drafted, sealed and issued (已发出中选通知书)."""
    result = determined_draw(db, client, clock, firms=firms)
    pid, headers = result.project["id"], result.w.headers["agency"]
    letters = client.post(f"/api/v1/projects/{pid}/award-letters/draft", headers=headers).json()["letters"]
    seal_all(db, client, result, letters)
    issued = client.post(f"/api/v1/projects/{pid}/award-letters/issue", headers=headers)
    assert issued.status_code == 200, issued.text
    return result, issued.json()["letters"]
