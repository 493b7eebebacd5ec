"""Credit evaluation (信用评价): the method is data and the rating equals the method applied by hand; it never
improves with one more bad record; the tenderer rates its agency after the result; the supervisory department
computes a year's ratings and publishes them, after which the public sees bidders' and agencies' grades (never
experts'); the tick rates and publishes the past year once."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core import clock as clock_module
from sunshine.credit import method as methods
from sunshine.identity.roles import Role
from sunshine.tasks import tick
from sunshine.trading.models import Project
from tests.builders import api_token, make_user
from tests.pages import page_text
from tests.trading.builders import SHANGHAI, cheap_password_hashing, make_project, tender_world

COUNTS = st.integers(min_value=0, max_value=6)
REVIEW = st.one_of(st.none(), st.integers(min_value=0, max_value=100).map(Decimal))


def by_hand_bidder(p, b, r, c, f, g, review, banned) -> tuple[Decimal, str]:
    """投标人信用评价 as method.yaml states it, computed without the code under test."""
    score = Decimal(100) - min(45, 15 * p) - min(60, 30 * b) - min(20, 5 * r) - min(15, 5 * c) - min(30, 10 * f)
    if review is not None:
        score += (Decimal("0.2") * (review - 80)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    score += min(9, 3 * g)
    score = max(Decimal(0), min(Decimal(100), score))
    grade = "D" if banned else ("A" if score >= 90 else "B" if score >= 75 else "C" if score >= 60 else "D")
    return score, grade


@settings(max_examples=150, deadline=None)
@given(COUNTS, COUNTS, COUNTS, COUNTS, COUNTS, COUNTS, REVIEW, st.booleans())
def test_the_rating_is_the_method_applied_by_hand(p, b, r, c, f, g, review, banned):
    values = {
        "penalty": Decimal(p),
        "ban": Decimal(b),
        "bad_record": Decimal(r),
        "complaint_lost": Decimal(c),
        "performance_failed": Decimal(f),
        "good_record": Decimal(g),
        "review": review,
    }
    result = methods.rate(methods.method("bidder"), values, banned=banned)
    assert (result.score, result.grade) == by_hand_bidder(p, b, r, c, f, g, review, banned)
    assert sum(line.points for line in result.lines) + 100 == result.score or result.score in (0, 100)


ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["bidder", "agency", "expert"]),
    st.dictionaries(st.sampled_from(["penalty", "ban", "bad_record", "good_record", "conduct"]), COUNTS),
    REVIEW,
    st.sampled_from(["penalty", "ban", "bad_record", "complaint_lost", "conduct", "performance_failed"]),
)
def test_one_more_bad_record_never_improves_the_rating(subject, counts, review, bad):
    m = methods.method(subject)
    values = {k: Decimal(v) for k, v in counts.items()} | {"review": review}
    before = methods.rate(m, values)
    values[bad] = values.get(bad, Decimal(0)) + 1
    after = methods.rate(m, values)
    assert after.score <= before.score and ORDER[after.grade] >= ORDER[before.grade]


def test_every_item_states_its_basis_and_the_grades_reach_zero():
    doc = methods.document()
    assert [g.min for g in doc.grades][-1] == 0
    for m in doc.methods.values():
        assert m.basis and all(item.basis for item in m.items)
    assert "第九条" in doc.publication.record_months_basis and "平台默认值" in doc.repair.basis


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db):
    return SimpleNamespace(**tender_world(db))


def _record(client, headers, firm, today, **kw):
    body = {
        "kind": "penalty",
        "subject_type": "organisation",
        "organisation_id": firm,
        "transaction_type": "engineering",
        "department": "示范市住房和城乡建设局",
        "decision_no": "示建罚〔2026〕30号",
        "behaviour": "无正当理由不与招标人订立合同",
        "basis": "《中华人民共和国招标投标法实施条例》第七十四条",
        "source": "行政处罚决定书",
        "decided_on": today.isoformat(),
        "effective_from": today.isoformat(),
        **kw,
    }
    made = client.post("/api/v1/credit/records", json=body, headers=headers)
    assert made.status_code == 201, made.text


def test_reviews_and_records_become_a_published_rating(db, client, clock, w):
    today = clock_module.today_local()
    year = today.year
    supervisor = api_token(client, w.supervisor.username)
    _record(client, supervisor, w.bidders[0].organisation_id, today)
    _record(
        client,
        supervisor,
        w.bidders[1].organisation_id,
        today,
        kind="commendation",
        transaction_type=None,
        department=None,
        decision_no=None,
        behaviour="获评年度守信企业",
        basis="示范市公共资源交易守信激励办法",
        source="表彰文件",
    )
    # the tenderer rates its agency once the result is published
    pid = make_project(db, w.agency, tenderer_id=w.school, agency_id=w.agency_org)
    tenderer = api_token(client, make_user(db, Role.TENDERER, organisation_id=w.school))
    review = {
        "project_id": pid,
        "subject_type": "agency",
        "subject_id": w.agency_org,
        "scores": {"service": 60, "competence": 70, "compliance": 60, "timeliness": 50},
        "comment": "资格审查多次出错",
    }
    early = client.post("/api/v1/credit/reviews", json=review, headers=tenderer)
    assert early.status_code == 409  # not before the result
    with db.unit_of_work() as s:
        s.get(Project, pid).state = "result_published"
    not_theirs = client.post("/api/v1/credit/reviews", json=review, headers=api_token(client, w.bidders[0].username))
    assert not_theirs.status_code == 403
    partial = client.post("/api/v1/credit/reviews", json={**review, "scores": {"service": 60}}, headers=tenderer)
    assert partial.status_code == 422 and "专业能力" in partial.json()["detail"]
    made = client.post("/api/v1/credit/reviews", json=review, headers=tenderer)
    assert made.status_code == 201 and made.json()["score"] == 60
    assert client.post("/api/v1/credit/reviews", json=review, headers=tenderer).status_code == 409

    computed = client.post(f"/api/v1/credit/ratings/{year}/compute", headers=supervisor)
    assert computed.status_code == 200, computed.text
    assert client.get("/api/v1/credit/ratings").json() == []  # nothing public before publication
    rows = {
        (r["subject_type"], r["subject_id"]): r
        for r in client.get("/api/v1/credit/ratings/all", headers=supervisor).json()
    }
    assert (
        rows["bidder", w.bidders[0].organisation_id]["score"],
        rows["bidder", w.bidders[0].organisation_id]["grade"],
    ) == ("85.00", "B")
    assert rows["bidder", w.bidders[1].organisation_id]["score"] == "100.00"  # held at the ceiling
    assert (rows["agency", w.agency_org]["score"], rows["agency", w.agency_org]["grade_label"]) == (
        "94.00",
        "守信（A级）",
    )
    published = client.post(f"/api/v1/credit/ratings/{year}/publish", headers=supervisor)
    assert published.json()["published"] >= 4
    public = client.get("/api/v1/credit/ratings").json()
    assert {r["subject_type"] for r in public} == {"bidder", "agency"}
    assert client.get("/api/v1/credit/ratings", params={"subject": "expert"}).status_code == 422
    assert client.post(f"/api/v1/credit/ratings/{year}/compute", headers=supervisor).status_code == 409  # final
    text = page_text(client.get("/credit").text)
    assert f"信用评价结果（{year}年度）" in text and "较好（B级）" in text


def test_the_tick_rates_and_publishes_the_past_year_once(db, client, clock, w):
    today = clock_module.today_local()
    supervisor = api_token(client, w.supervisor.username)
    _record(client, supervisor, w.bidders[2].organisation_id, today)
    assert client.post("/api/v1/credit/ratings/20/compute", headers=supervisor).status_code == 422
    clock.set(datetime(today.year + 1, 1, 5, 9, 0, tzinfo=SHANGHAI))
    assert tick(db).credit_rated == [str(today.year)]
    assert tick(db).credit_rated == []
    public = client.get("/api/v1/credit/ratings", params={"period": str(today.year), "subject": "bidder"}).json()
    assert {r["subject_id"]: r["grade"] for r in public}[w.bidders[2].organisation_id] == "B"
