"""The demo shows the works tender's candidates publicised with one objection answered (中标候选人公示中, waiting for
the school's determination) and a procurement taken to its result notice with the committee's names public; a
second load adds nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.demo import load_demo_data
from sunshine.demo.base import DEMO_PASSWORD
from sunshine.demo.evaluation import DORMITORY
from sunshine.demo.results import ANSWER, MULTIMEDIA, load_demo_results
from sunshine.trading.models import Project
from tests.builders import api_token
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)
    get_settings.cache_clear()


def test_demo_results(db, client):
    load_demo_data(db)
    with db.unit_of_work(read_only=True) as s:
        works = s.scalar(select(Project).where(Project.name == DORMITORY.project.name))
        goods = s.scalar(select(Project).where(Project.name == MULTIMEDIA.project.name))
        # the procurement goes on in the awards and performance demos: its contract performed and accepted
        assert (works.state, goods.state) == ("candidates_publicised", "performance_accepted")
        works_id, goods_id = works.id, goods.id
    h = api_token(client, "tenderer", DEMO_PASSWORD)
    view = client.get(f"/api/v1/results/projects/{works_id}", headers=h).json()
    assert view["objections"][0]["answer"] == ANSWER and view["may"]["determine"]
    assert len(view["sections"][0]["candidates"]) == 2
    public = client.get(f"/api/v1/results/projects/{goods_id}").json()
    winner = public["sections"][0]["winner"]
    assert winner["rank"] == 1 and not winner["deemed"]
    page = client.get(f"/projects/{goods_id}/results", headers={"accept": "text/html"}).text
    assert "结果公告已于" in page and winner["bidder"] in page
    assert load_demo_results(db.unit_of_work, core_clock.now()) == 0
