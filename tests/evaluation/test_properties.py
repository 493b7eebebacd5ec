"""Properties every formula keeps, for any prices, scores and deductions Hypothesis can find."""

from __future__ import annotations

import random
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.evaluation import methods, ranking
from sunshine.evaluation.methods.base import BidInput, Criterion, Declared
from tests.evaluation.packrules import rules_of

PRICES = st.integers(min_value=1, max_value=10**9).map(lambda cents: D(cents) / 100)
TECH = Criterion("tech", "技术", "technical", D(70))
GOODS = Declared("comprehensive_scoring", (TECH,), price_weight=D("0.30"), sme_deduction=D("0.15"), category="goods")
PROCUREMENT = rules_of("gov_procurement.open_tender")
PRICE_METHODS = ("lowest_price", "lowest_evaluated_price", "competitive_negotiation", "enquiry")


@st.composite
def bids_and_scores(draw, min_size=1):
    n = draw(st.integers(min_value=min_size, max_value=8))
    bids = [BidInput(f"b{i}", f"供应商{i}", draw(PRICES), sme=draw(st.booleans())) for i in range(n)]
    members = draw(st.integers(min_value=1, max_value=7))
    marks = {
        f"m{m}": {b.ref: {"tech": D(draw(st.integers(min_value=0, max_value=700))) / 10} for b in bids}
        for m in range(members)
    }
    return bids, marks


@settings(max_examples=150, deadline=None)
@given(bids_and_scores(min_size=2))
def test_price_score_is_monotone_in_price_and_the_lowest_scores_100(data):
    bids, marks = data
    out = methods.get("comprehensive_scoring").evaluate(GOODS, bids, marks, PROCUREMENT)
    results = list(out.results)
    lowest = min(r.evaluation_price for r in results)
    for r in results:
        if r.evaluation_price == lowest:
            assert r.price_score == D("100.00")  # before weighting
        assert D(0) <= r.price_score <= D(100)
    for a in results:
        for b in results:
            if a.evaluation_price <= b.evaluation_price:
                assert a.price_score >= b.price_score


@settings(max_examples=150, deadline=None)
@given(bids_and_scores(), st.sampled_from(["10", "12.5", "20"]))
def test_totals_are_the_sum_of_weighted_parts_and_ranks_follow_totals(data, deduction):
    bids, marks = data
    declared = Declared(**{**GOODS.__dict__, "sme_deduction": D(deduction) / 100})
    out = methods.get("comprehensive_scoring").evaluate(declared, bids, marks, PROCUREMENT)
    for r in out.results:
        assert r.total == sum(r.parts.values(), D(0))
        assert all(v == v.quantize(D("0.01")) for v in r.parts.values())  # rounded once, 2 decimals
    for a, b in zip(out.results, out.results[1:], strict=False):
        assert a.rank <= b.rank
        assert a.total > b.total or (a.total == b.total and a.price <= b.price)


@settings(max_examples=150, deadline=None)
@given(bids_and_scores(), st.sampled_from(PRICE_METHODS + ("comprehensive_scoring",)), st.integers(10, 20))
def test_deductions_never_change_the_contract_price(data, code, percent):
    bids, marks = data
    declared = Declared(
        code,
        (TECH,) if code == "comprehensive_scoring" else (),
        price_weight=D("0.30") if code == "comprehensive_scoring" else None,
        sme_deduction=D(percent) / 100,
        category="goods",
    )
    out = methods.get(code).evaluate(declared, bids, marks, PROCUREMENT)
    quoted = {b.ref: b for b in bids}
    for r in out.results:
        bid = quoted[r.ref]
        assert r.price == bid.price
        if bid.sme:
            assert r.evaluation_price == bid.price * (1 - D(percent) / 100)
        else:
            assert r.evaluation_price == bid.price


TIED_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "total": st.integers(80, 82).map(D),
            "price": st.integers(100, 102).map(D),
            "technical": st.integers(40, 41).map(D),
        }
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=200, deadline=None)
@given(TIED_ROWS, st.sampled_from([None, "technical", "price"]), st.randoms(use_true_random=False))
def test_ranking_is_stable_under_equal_totals_by_the_declared_tie_break(rows, tie_break, rnd: random.Random):
    rows = [{"ref": f"r{i:02d}", **row} for i, row in enumerate(rows)]
    statutory = (("total", "desc"), ("price", "asc"))
    order, pending = ranking.rank(rows, statutory, tie_break)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert ranking.rank(shuffled, statutory, tie_break) == (order, pending)  # input order does not matter
    by_ref = {r["ref"]: r for r in rows}
    extra = ranking.TIE_BREAKS[tie_break] if tie_break else None
    keys = list(statutory) + ([(extra.key, extra.direction)] if extra else [])

    def key(ref):
        return tuple(-by_ref[ref][k] if d == "desc" else by_ref[ref][k] for k, d in keys)

    for (a, ra), (b, rb) in zip(order, order[1:], strict=False):
        assert key(a) <= key(b)
        assert (ra == rb) == (key(a) == key(b))  # same rank exactly when every rule leaves them equal
    for group in pending:
        assert len({key(ref) for ref in group}) == 1 and len(group) > 1
    tied = {ref for group in pending for ref in group}
    ranks = [r for _, r in order]
    assert all(ranks.count(r) == 1 for ref, r in order if ref not in tied)


@settings(max_examples=150, deadline=None)
@given(bids_and_scores(min_size=2), st.sampled_from(PRICE_METHODS))
def test_price_only_methods_rank_by_evaluation_price(data, code):
    bids, _ = data
    declared = Declared(code, sme_deduction=D("0.10"), category="goods")
    out = methods.get(code).evaluate(declared, bids, {}, PROCUREMENT)
    assert sorted(r.ref for r in out.results) == sorted(b.ref for b in bids)
    for a, b in zip(out.results, out.results[1:], strict=False):
        assert a.evaluation_price <= b.evaluation_price
        assert (a.rank == b.rank) == (a.evaluation_price == b.evaluation_price)
        assert a.total is None and a.price_score is None


@settings(max_examples=150, deadline=None)
@given(bids_and_scores(), st.integers(0, 100))
def test_a_score_is_flagged_exactly_when_it_strays_beyond_the_threshold(data, percent):
    bids, marks = data
    flags = ranking.deviations(GOODS, bids, marks, D(percent))
    flagged = {(f.member, f.ref) for f in flags}
    allowed = TECH.max_score * percent / 100
    for member, by_bid in marks.items():
        for bid in bids:
            others = [s[bid.ref]["tech"] for m, s in marks.items() if m != member]
            strays = bool(others) and abs(by_bid[bid.ref]["tech"] - sum(others, D(0)) / len(others)) > allowed
            assert ((member, bid.ref) in flagged) == strays
