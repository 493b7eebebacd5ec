"""Under 竞争性磋商 (scored by 综合评分法, 财库〔2014〕214号) each unsuccessful supplier's result letter tells its own
score and rank, as under the open tender's 综合评分法 (87号令 第六十九条); a price-only method tells none. The
signed report is read through ``evaluation.reading.standing`` exactly as the letters read it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sunshine.awards import letters
from sunshine.evaluation import reading

OWN, OTHER = 7, 8


def _report(code: str, title: str) -> dict:
    return {
        "method": {"code": code, "title": title},
        "results": [{"ref": "2", "rank": 1, "total": "91.5"}, {"ref": "1", "rank": 2, "total": "86.25"}],
    }


@pytest.fixture
def signed_report(monkeypatch):
    """A finished session whose signed report ranks two bids: OWN's bid (1) second, OTHER's (2) first."""
    state = {}
    row = SimpleNamespace(state="finished", report_json="{}", project_id=1)
    bids = [
        SimpleNamespace(id=1, organisation_id=OWN, qualification="passed", rejected_reason=None),
        SimpleNamespace(id=2, organisation_id=OTHER, qualification="passed", rejected_reason=None),
    ]
    monkeypatch.setattr(reading.service, "of_section", lambda session, section_id: row)
    monkeypatch.setattr(reading.service, "bids_of", lambda session, r: bids)
    monkeypatch.setattr(reading.report, "content", lambda r: state["report"])
    return state


@pytest.mark.parametrize(
    ("code", "title"), [("competitive_consultation", "竞争性磋商"), ("comprehensive_scoring", "综合评分法")]
)
def test_a_loser_is_told_its_own_score_and_rank_under_scoring(signed_report, code, title):
    signed_report["report"] = _report(code, title)
    own = reading.standing(None, 1, OWN)
    assert own.scoring and own.score == "86.25" and own.rank == 2
    line = letters._standing_line(None, 1, OWN)
    assert line == f"　　本项目采用{title}评审，你单位的评审得分为86.25分，排序第2名。"
    assert "91.5" not in line  # never another supplier's figures


def test_no_score_line_under_a_price_only_method(signed_report):
    signed_report["report"] = _report("competitive_negotiation", "竞争性谈判")
    assert reading.standing(None, 1, OWN).scoring is False
    assert letters._standing_line(None, 1, OWN) is None
