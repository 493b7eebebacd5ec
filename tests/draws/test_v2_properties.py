"""Properties of the construction sunshine-draw-v2: replay gives the same order; changing any committed input (a
ref, a status, a candidate's groups, the salt, the draw) changes the commitment, the list hash and the seed; no
excluded candidate is ever called; replacements follow the order; the lazy partial Fisher–Yates is a full
Fisher–Yates read from the front; the commitment's text is RFC 8785 whatever the refs hold; and a whole record
verifies while any change to it fails."""

from __future__ import annotations

import copy
import hashlib

import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.draws import engine, pooldata, replay, v2
from sunshine.draws.types import CandidateColumns

HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
GROUPS = ["civil", "cost", "mech"]
REQUEST = [
    {"code": "civil", "count": 2, "reserve": 1},
    {"code": "cost", "count": 2, "reserve": 1},
    {"code": "mech", "count": 1, "reserve": 1},
]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pools(draw, min_eligible=0, max_size=40):
    """``(code, salt, entries)``: entries ``[ref, groups, status]`` sorted by ref, as a v2 pool discloses them."""
    size = draw(st.integers(min_value=max(min_eligible, 1), max_value=max_size))
    code = "CQ" + draw(st.text(alphabet="0123456789ABCDEF", min_size=8, max_size=8))
    entries = []
    for i in range(size):
        groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=3, unique=True))
        status = (
            "eligible" if i < min_eligible else draw(st.sampled_from(["eligible", "eligible", "on_leave", "conflict"]))
        )
        entries.append([f"expert:{i}", [g for g in GROUPS if g in groups], status])
    return code, draw(HEX), sorted(entries)


def _seed(code, salt, entries, secrets=("a" * 64, "b" * 64)):
    ph = v2.pool_hash(code, salt, entries)
    m = sum(1 for e in entries if e[2] == "eligible")
    lh = v2.list_hash(code, REQUEST, ph, len(entries), m)
    return ph, lh, engine.seed(lh, {"platform": secrets[0], "supervisor:7": secrets[1]})


@FAST
@given(HEX, st.integers(min_value=1, max_value=60))
def test_the_partial_shuffle_is_fisher_yates_read_from_the_front(seed, m):
    shuffle = v2.Shuffle(seed, m)
    lazy = [shuffle[i] for i in range(m)]
    items, stream = list(range(m)), engine.Stream(seed)  # the whole array, swapped in place
    for i in range(m - 1):
        j = i + stream.uniform(m - i)
        items[i], items[j] = items[j], items[i]
    assert lazy == items and sorted(lazy) == list(range(m))
    assert [v2.Shuffle(seed, m)[i] for i in range(min(3, m))] == items[:3]  # a prefix costs only its places


@FAST
@given(pools(min_eligible=3), HEX, HEX)
def test_replay_gives_the_same_order_and_calls(pool, s1, s2):
    code, salt, entries = pool
    _, _, seed = _seed(code, salt, entries, (s1, s2))
    order, calls = v2.replay(code, salt, seed, entries, REQUEST)
    again, calls_again = v2.replay(code, salt, seed, copy.deepcopy(entries), REQUEST)
    assert order.prefix() == again.prefix() and calls.as_dicts() == calls_again.as_dicts()
    eligible = {v2.ticket(code, salt, e[0]) for e in entries if e[2] == "eligible"}
    assert len(set(order.prefix())) == len(order.prefix()) and set(order.prefix()) <= eligible
    full = [order[i] for i in range(len(order))]
    assert sorted(full) == sorted(eligible)  # read to the end, the order is a permutation of the eligible


@FAST
@given(pools(min_eligible=1), st.data())
def test_changing_any_committed_input_changes_commitment_list_and_seed(pool, data):
    code, salt, entries = pool
    ph, lh, seed = _seed(code, salt, entries)
    i = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    changes = []
    e = copy.deepcopy(entries)
    e[i][0] = e[i][0] + "x"
    changes.append((code, salt, sorted(e)))
    e = copy.deepcopy(entries)
    e[i][2] = "conflict" if e[i][2] == "eligible" else "eligible"
    changes.append((code, salt, e))
    e = copy.deepcopy(entries)
    e[i][1] = [g for g in GROUPS if g not in e[i][1]] or ["civil", "cost"]
    changes.append((code, salt, e))
    changes.append((code, hashlib.sha256(salt.encode()).hexdigest(), entries))
    changes.append((code + "0", salt, entries))
    changes.append((code, salt, [x for k, x in enumerate(entries) if k != i]))
    for changed in changes:
        ph2, lh2, seed2 = _seed(*changed)
        assert ph2 != ph and lh2 != lh and seed2 != seed


@FAST
@given(pools(), HEX, st.lists(st.sampled_from(["declined", "no_show", "confirmed"]), max_size=6))
def test_no_excluded_candidate_is_called_and_replacements_follow_the_order(pool, seed, answers):
    code, salt, entries = pool
    order, first = v2.replay(code, salt, seed, entries, REQUEST)
    outcomes, seen = [], set()
    for answer in answers:  # answer the open calls in turn
        open_calls = [c for c in v2.replay(code, salt, seed, entries, REQUEST, outcomes)[1].calls if c.open]
        target = next((c for c in open_calls if c.leaf not in seen), None)
        if target is None:
            break
        seen.add(target.leaf)
        outcomes.append({"leaf": target.leaf, "outcome": answer})
    order, result = v2.replay(code, salt, seed, entries, REQUEST, outcomes)
    excluded = {v2.ticket(code, salt, e[0]) for e in entries if e[2] != "eligible"}
    groups_of = {v2.ticket(code, salt, e[0]): e[1] for e in entries}
    assert not {c.leaf for c in result.calls} & excluded
    for c in result.calls:
        assert c.group in groups_of[c.leaf] and order[c.position - 1] == c.leaf
    called: set[str] = set()
    for c in result.calls:
        if c.leaf not in called and c.replaces is not None:  # a replacement: the next uncalled of its group
            nxt = next(
                lf for lf in (order[p] for p in range(len(order))) if lf not in called and c.group in groups_of[lf]
            )
            assert nxt == c.leaf
        called.add(c.leaf)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=12, unique=True),
    st.text(max_size=6),
    st.lists(st.sampled_from(["eligible", "on_leave", 'a"b\\c', "é\u2028"]), min_size=12, max_size=12),
)
def test_the_commitment_text_is_rfc_8785(refs, code, statuses):
    refs = sorted(refs)
    entries = [[r, GROUPS[: 1 + k % 3], statuses[k]] for k, r in enumerate(refs)]
    shapes, shape_of = v2.shapes_of(entries)
    text = v2.pool_text(code, "ab" * 32, refs, shapes, shape_of)
    assert text == rfc8785.dumps({"draw": code, "entries": entries, "salt": "ab" * 32}).decode()


@FAST
@given(pools(), st.randoms())
def test_a_pool_from_columns_in_any_order_is_the_same_pool(pool, rnd):
    code, salt, entries = pool
    shuffled = copy.deepcopy(entries)
    rnd.shuffle(shuffled)
    cols = CandidateColumns(
        [e[0] for e in shuffled],
        [e[1] for e in shuffled],
        {k: e[2] for k, e in enumerate(shuffled) if e[2] != "eligible"},
    )
    built = pooldata.build_columns(salt, cols)
    assert built.entries() == [{"ref": r, "groups": g, "status": s} for r, g, s in entries]
    assert v2.pool_hash_of_text(built.text(code)) == v2.pool_hash(code, salt, entries)
    decoded = pooldata.decode(pooldata.encode(built, code))
    assert decoded.entries() == built.entries() and decoded.salt == salt


def _record(code, salt, entries, seed_secrets=("c" * 64, "d" * 64)):
    ph, lh, seed = _seed(code, salt, entries, seed_secrets)
    order, first = v2.replay(code, salt, seed, entries, REQUEST)
    outcomes = [{"leaf": first.calls[0].leaf, "outcome": "declined"}] if first.calls else []
    order, final = v2.replay(code, salt, seed, entries, REQUEST, outcomes)
    parties = [
        {
            "party": p,
            "label": p,
            "commitment": engine.commitment(code, p, s),
            "revealed": True,
            "defaulted": False,
            "secret": s,
        }
        for p, s in zip(("platform", "supervisor:7"), seed_secrets, strict=True)
    ]
    m = sum(1 for e in entries if e[2] == "eligible")
    return {
        "version": v2.VERSION, "code": code, "groups": REQUEST, "pool_size": len(entries), "eligible_count": m,
        "pool_hash": ph, "list_hash": lh, "parties": parties, "beacon": {"source": "", "value": ""}, "seed": seed,
        "order": order.prefix(), "outcomes": outcomes, "assignment": final.as_dicts(), "salt": salt,
        "candidates": [{"ref": r, "groups": g, "status": s} for r, g, s in entries],
        "reasons": {"on_leave": "休假", "conflict": "利害关系"}, "ledger": [],
    }  # fmt: skip


@FAST
@given(pools(min_eligible=6), st.data())
def test_a_whole_record_verifies_and_any_change_fails(pool, data):
    code, salt, entries = pool
    record = _record(code, salt, entries)
    assert replay.verify(record).ok, [c for c in replay.verify(record).checks if not c.ok]
    before = copy.deepcopy(record)
    before.update(salt=None, candidates=None)
    assert replay.verify(before).ok  # before disclosure: the list hash, commitments and seed
    k = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    for change in (
        lambda r: r["candidates"][k].__setitem__("status", "conflict" if entries[k][2] == "eligible" else "eligible"),
        lambda r: r["candidates"][k].__setitem__("ref", r["candidates"][k]["ref"] + "9"),
        lambda r: r.__setitem__("salt", hashlib.sha256(salt.encode()).hexdigest()),
        lambda r: r.__setitem__("order", list(reversed(r["order"]))),
        lambda r: r["assignment"][0].__setitem__("position", r["assignment"][0]["position"] + 1),
        lambda r: r.__setitem__("eligible_count", r["eligible_count"] + 1),
    ):
        bad = copy.deepcopy(record)
        change(bad)
        if bad != record:
            assert not replay.verify(bad).ok
