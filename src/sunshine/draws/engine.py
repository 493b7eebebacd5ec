"""The publicly verifiable draw, as pure functions (no database): leaves, pool and list hashes, commitments,
defaults, the seed, the SHA-256 counter stream, rejection sampling, Fisher–Yates, the calling of seats and
replacements, and ``verify_into`` which recomputes all of it from a public record. Construction ``sunshine-draw-v1``,
documented byte for byte in docs/draws.md; the standalone verifier there and ``draw-verify.js`` mirror it.
``sunshine-draw-v2`` (``draws.v2``, the default for new draws) reuses its commitments, seed, stream and calling;
``draws.replay.verify`` dispatches on the record's ``version``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets as _secrets
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _q  # JSON string, no ASCII escaping (what json.dumps uses)
from typing import Any

from sunshine.ledger import format as ledger_format

VERSION = "sunshine-draw-v1"
ELIGIBLE = "eligible"
PLATFORM = "platform"
OUTCOMES = ("confirmed", "declined", "no_show")
HEX64 = re.compile(r"\A[0-9a-f]{64}\Z")


def H(text: str) -> str:
    """SHA-256 hex of the UTF-8 bytes of ``text``."""
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> bool:
    """Whether ``value`` holds only what the draw records hold — strings, safe integers, booleans, null, lists,
    objects with ASCII keys — for which RFC 8785 is exactly ``json.dumps`` with sorted keys and no spaces."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return -(2**53) < value < 2**53
    if kind is list:
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and k.isascii() and _plain(v) for k, v in value.items())
    return False


def _strings(items: Sequence[Any]) -> bool:
    return all(type(x) is str for x in items)


def _text_strings(items: Sequence[str]) -> str:
    """RFC 8785 of a list of strings (each by the standard library's JSON string encoder)."""
    return "[" + ",".join(map(_q, items)) + "]"


def jcs(value: Any) -> str:
    """RFC 8785 canonical JSON, as text. Lists of strings (the pool, the order) and lists of lists of strings are
    written directly; other plain values (every value of a draw record) by the standard library, which gives the
    same text many times faster; anything else (floats, non-ASCII keys) goes through ``rfc8785``."""
    if type(value) is list:
        if _strings(value):
            return _text_strings(value)
        if all(type(v) is list and _strings(v) for v in value):
            return "[" + ",".join(map(_text_strings, value)) + "]"
    if _plain(value):
        return _ENCODER.encode(value)
    return ledger_format.canonical_payload(value).decode()


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def new_secret() -> str:
    """32 random bytes, hex: a salt or a party's secret."""
    return _secrets.token_hex(32)


def new_salts(n: int) -> list[str]:
    """``n`` salts of 32 random bytes each, hex, from one read of the system's random source."""
    text = os.urandom(32 * n).hex()
    return [text[i : i + 64] for i in range(0, 64 * n, 64)]


def leaf_text(code: str, ref: str, salt: str, groups: Sequence[str], status: str) -> str:
    """What a leaf hashes: ``VERSION|candidate|`` + RFC 8785 of ``{"draw", "groups", "ref", "salt", "status"}``.
    With string fields the object is written out directly — keys in their sorted order, each string by the
    standard library's JSON string encoder (the escaping RFC 8785 prescribes) — which is the same text as
    ``rfc8785`` gives (property-tested) at a fraction of the cost; anything else goes through ``jcs``."""
    if type(code) is str and type(ref) is str and type(salt) is str and type(status) is str and _strings(groups):
        return (
            f'{VERSION}|candidate|{{"draw":{_q(code)},"groups":{_text_strings(groups)},"ref":{_q(ref)},'
            f'"salt":{_q(salt)},"status":{_q(status)}}}'
        )
    return f"{VERSION}|candidate|" + jcs(
        {"draw": code, "ref": ref, "salt": salt, "groups": list(groups), "status": status}
    )


def leaf(code: str, ref: str, salt: str, groups: Sequence[str], status: str) -> str:
    return hashlib.sha256(leaf_text(code, ref, salt, groups, status).encode()).hexdigest()


def leaves(code: str, entries: Iterable[tuple[str, str, Sequence[str], str]]) -> list[str]:
    """The leaves of many ``(ref, salt, groups, status)`` at once: the same text as ``leaf_text`` (property-tested),
    with the part shared by a combination of groups and status written once per combination, not per entry."""
    if type(code) is not str:
        return [leaf(code, *e) for e in entries]
    head = f'{VERSION}|candidate|{{"draw":{_q(code)},"groups":'
    shapes: dict[tuple[Any, ...], tuple[str, str] | None] = {}
    sha, q = hashlib.sha256, _q
    out = []
    for ref, salt, groups, status in entries:
        key = (status, *groups)
        shape = shapes.get(key, False)
        if shape is False:
            shape = None
            if type(status) is str and _strings(groups):
                shape = (head + _text_strings(groups) + ',"ref":', ',"status":' + q(status) + "}")
            shapes[key] = shape
        if shape is None or type(ref) is not str or type(salt) is not str:
            out.append(leaf(code, ref, salt, groups, status))
            continue
        out.append(sha((shape[0] + q(ref) + ',"salt":' + q(salt) + shape[1]).encode()).hexdigest())
    return out


# k digests joined by '","': with exactly k segments, every item is one digest (an item holding '","' would make
# more segments than items), so the text is the RFC 8785 of the list without escaping anything.
_DIGESTS = re.compile(r"[0-9a-f]{64}(?:\",\"[0-9a-f]{64})*")


def _digests_text(items: Sequence[str]) -> str | None:
    """RFC 8785 of a list of SHA-256 hex digests in one pass, or None when they are not all digests."""
    if not items:
        return "[]"
    if not _strings(items):
        return None
    inner = '","'.join(items)
    if len(inner) != 67 * len(items) - 3 or _DIGESTS.fullmatch(inner) is None:
        return None
    return '["' + inner + '"]'


def pool_hash(pool: Sequence[str]) -> str:
    ordered = sorted(pool)
    text = _digests_text(ordered)
    return H(text if text is not None else jcs(ordered))


def eligible_list(entries: Iterable[tuple[str, Sequence[str]]]) -> list[dict[str, Any]]:
    """``[{"leaf", "groups"}]`` sorted by leaf, from (leaf, groups) pairs of the eligible entries."""
    return [{"leaf": lf, "groups": list(gs)} for lf, gs in sorted(entries, key=_first)]


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def public_groups(groups: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The part of each requested group that the list hash covers: code, count, reserve (request order)."""
    return [{"code": g["code"], "count": int(g["count"]), "reserve": int(g.get("reserve", 0))} for g in groups]


def list_hash_of_pairs(
    code: str, groups: Sequence[Mapping[str, Any]], eligible: Sequence[tuple[str, Sequence[str]]], pool_h: str
) -> str:
    """``list_hash`` from the eligible ``(leaf, groups)`` pairs sorted by leaf (as ``prepare`` has them), without
    building the list's objects; each distinct combination of groups is written once."""
    texts: dict[tuple[str, ...], str] = {}
    parts = []
    for lf, gs in eligible:
        key = tuple(gs)
        found = texts.get(key)
        if found is None:
            if not _strings(key) or type(lf) is not str:
                return list_hash(code, groups, eligible_list(eligible), pool_h)
            found = texts[key] = '{"groups":' + _text_strings(key) + ',"leaf":'
        parts.append(found + _q(lf) + "}")
    public = public_groups(groups)
    return H(f'{{"draw":{_q(code)},"eligible":[{",".join(parts)}],"groups":{jcs(public)},"pool_hash":{jcs(pool_h)}}}')


def list_hash(
    code: str, groups: Sequence[Mapping[str, Any]], eligible: Sequence[Mapping[str, Any]], pool_h: str
) -> str:
    public = public_groups(groups)
    if type(code) is str and all(
        type(e) is dict
        and len(e) == 2
        and type(e.get("leaf")) is str
        and type(e.get("groups")) is list
        and _strings(e["groups"])
        for e in eligible
    ):  # the usual shape, written out directly (keys sorted: draw, eligible, groups, pool_hash; groups, leaf)
        entries = ",".join(f'{{"groups":{_text_strings(e["groups"])},"leaf":{_q(e["leaf"])}}}' for e in eligible)
        return H(f'{{"draw":{_q(code)},"eligible":[{entries}],"groups":{jcs(public)},"pool_hash":{jcs(pool_h)}}}')
    body = {"draw": code, "groups": public, "eligible": list(eligible), "pool_hash": pool_h}
    return H(jcs(body))


def commitment(code: str, party: str, secret: str) -> str:
    return H(f"{VERSION}|commit|{code}|{party}|{secret}")


def default_secret(code: str, party: str) -> str:
    """The published secret of a party that did not reveal in time (known to all from the start)."""
    return H(f"{VERSION}|default|{code}|{party}")


def seed(list_h: str, secrets: Mapping[str, str], beacon: str = "") -> str:
    joined = "|".join(f"{party}={secrets[party]}" for party in sorted(secrets))
    return H(f"{VERSION}|seed|{list_h}|{joined}|{beacon}")


class Stream:
    """SHA-256 in counter mode over the seed, read as big-endian unsigned 64-bit integers. Blocks are computed
    ahead in bulk (``reserve``) — the values read are the same, in the same order."""

    def __init__(self, seed_hex: str) -> None:
        self._seed = bytes.fromhex(seed_hex)
        self._counter = 0
        self._values: list[int] = []
        self._next = 0

    def reserve(self, count: int) -> None:
        """Compute at least ``count`` more values ahead (those not read yet are kept)."""
        have = len(self._values) - self._next
        blocks = max(0, -(-(count - have) // 4))
        if not blocks:
            return
        seed, sha, start = self._seed, hashlib.sha256, self._counter
        data = b"".join(sha(seed + k.to_bytes(8, "big")).digest() for k in range(start, start + blocks))
        self._counter += blocks
        self._values = self._values[self._next :] + list(struct.unpack(f">{4 * blocks}Q", data))
        self._next = 0

    def next_u64(self) -> int:
        if self._next == len(self._values):
            self.reserve(64)
        value = self._values[self._next]
        self._next += 1
        return value

    def uniform(self, n: int) -> int:
        """An integer in ``[0, n)`` without modulo bias (values at or above the largest multiple are rejected)."""
        if n < 1:
            raise ValueError("n must be positive")
        limit = 2**64 - (2**64 % n)
        x = self.next_u64()
        while x >= limit:
            x = self.next_u64()
        return x % n


def order(seed_hex: str, eligible: Sequence[Mapping[str, Any]]) -> list[str]:
    """The call order: Fisher–Yates over the eligible leaves (sorted by leaf) driven by the seed's stream."""
    return order_of_leaves(seed_hex, sorted(e["leaf"] for e in eligible))


def order_of_leaves(seed_hex: str, leaves_sorted: Sequence[str]) -> list[str]:
    """``order`` from the eligible leaves already sorted (the stream's values computed in bulk)."""
    items = list(leaves_sorted)
    stream = Stream(seed_hex)
    stream.reserve(len(items))
    two64 = 1 << 64
    safe = two64 - len(items)  # every x below it is below each step's limit (2**64 − (2**64 mod m) > 2**64 − m)
    take = stream.next_u64
    for i in range(len(items) - 1, 0, -1):
        x = take()
        if x >= safe:  # rare: compare with this step's exact limit
            limit = two64 - two64 % (i + 1)
            while x >= limit:
                x = take()
        j = x % (i + 1)
        items[i], items[j] = items[j], items[i]
    return items


# -- calling ------------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One candidate called to a seat or a reserve place of a group. ``position`` is 1-based in the order."""

    leaf: str
    group: str
    kind: str  # "seat" | "reserve"
    position: int
    state: str = "called"  # called | confirmed | declined | no_show | promoted
    replaces: str | None = None  # the leaf whose seat or place this call took over

    @property
    def open(self) -> bool:
        return self.state in ("called", "confirmed")

    def as_dict(self) -> dict[str, Any]:
        return {
            "leaf": self.leaf,
            "group": self.group,
            "kind": self.kind,
            "position": self.position,
            "state": self.state,
            "replaces": self.replaces,
        }


@dataclass
class Assignment:
    calls: list[Call] = field(default_factory=list)
    vacant: dict[str, int] = field(default_factory=dict)  # group -> seats nobody could fill

    def as_dicts(self) -> list[dict[str, Any]]:
        return [c.as_dict() for c in self.calls]

    def active(self, leaf_: str) -> Call | None:
        for call in reversed(self.calls):
            if call.leaf == leaf_ and call.open:
                return call
        return None


class OutcomeError(ValueError):
    """An outcome that does not apply to the assignment (not a called candidate, or no longer active)."""


class _Qualified:
    """``(position, leaf, groups)`` along the order, built only as far as a walk goes: the seats of a committee
    are usually filled within the first places of an order of tens of thousands."""

    def __init__(self, order_: Sequence[str], eligible_groups: Mapping[str, Sequence[str]]) -> None:
        self._order, self._groups = order_, eligible_groups
        self._seen: list[tuple[int, str, list[str]]] = []

    def __iter__(self) -> Iterator[tuple[int, str, list[str]]]:
        i = 0
        while True:
            if i == len(self._seen):
                if i == len(self._order):
                    return
                lf = self._order[i]
                self._seen.append((i + 1, lf, list(self._groups.get(lf, ()))))
            yield self._seen[i]
            i += 1


def _qualified(order_: Sequence[str], eligible_groups: Mapping[str, Sequence[str]]) -> _Qualified:
    return _Qualified(order_, eligible_groups)


def assign(
    order_: Sequence[str],
    groups: Sequence[Mapping[str, Any]],
    eligible_groups: Mapping[str, Sequence[str]],
    outcomes: Sequence[Mapping[str, Any]] = (),
) -> Assignment:
    """Seats, reserves and replacements, recomputed from the order, the groups and the recorded outcomes.

    1. Seats: walk the order; a candidate takes a seat in the first of its groups (request order) that has a
       free seat. 2. Reserves: walk the order again over candidates not yet called; each takes a reserve place
       in the first of its groups with a free place. 3. Outcomes, in the order recorded, each against the
       candidate's current call: ``confirmed`` marks it; ``declined``/``no_show`` frees it — a freed seat goes
       to the group's first standing reserve (by position; that reserve's call becomes ``promoted``), and any
       freed seat or reserve place still open goes to the next candidate in the order, never called before,
       who holds that group.
    """
    specs = public_groups(groups)
    seats = {g["code"]: g["count"] for g in specs}
    places = {g["code"]: g["reserve"] for g in specs}
    candidates = _qualified(order_, eligible_groups)
    called: set[str] = set()
    result = Assignment()

    free_seats = sum(seats.values())
    for position, lf, gs in candidates:
        if not free_seats:  # every seat taken: nobody further down the order can take one
            break
        for g in (code for code in seats if code in gs):
            if seats[g] > 0:
                free_seats -= 1
                seats[g] -= 1
                called.add(lf)
                result.calls.append(Call(lf, g, "seat", position))
                break
    free_places = sum(places.values())
    for position, lf, gs in candidates:
        if not free_places:
            break
        if lf in called:
            continue
        for g in (code for code in places if code in gs):
            if places[g] > 0:
                free_places -= 1
                places[g] -= 1
                called.add(lf)
                result.calls.append(Call(lf, g, "reserve", position))
                break

    def next_uncalled(group: str) -> tuple[int, str] | None:
        for position, lf, gs in candidates:
            if lf not in called and group in gs:
                return position, lf
        return None

    for outcome in outcomes:
        lf, what = outcome["leaf"], outcome["outcome"]
        if what not in OUTCOMES:
            raise OutcomeError(f"unknown outcome {what!r}")
        call = result.active(lf)
        if call is None:
            raise OutcomeError(f"{lf} has no open call")
        if what == "confirmed":
            call.state = "confirmed"
            continue
        call.state = what
        kind, group = call.kind, call.group
        if kind == "seat":
            reserve = next((c for c in result.calls if c.kind == "reserve" and c.group == group and c.open), None)
            if reserve is not None:
                reserve.state = "promoted"
                result.calls.append(Call(reserve.leaf, group, "seat", reserve.position, "called", lf))
                kind, lf = "reserve", reserve.leaf  # the reserve place it left is what remains open
        found = next_uncalled(group)
        if found is not None:
            called.add(found[1])
            result.calls.append(Call(found[1], group, kind, found[0], "called", lf))

    for g in seats:
        filled = sum(1 for c in result.calls if c.group == g and c.kind == "seat" and c.open)
        total = next(s["count"] for s in specs if s["code"] == g)
        if filled < total:
            result.vacant[g] = total - filled
    return result


# -- verification of a public record -----------------------------------------------------------------------


@dataclass
class Check:
    name: str  # Chinese, shown to people
    ok: bool
    detail: str = ""


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        return bool(ok)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks]}


def party_secrets(record: Mapping[str, Any], report: Report | None = None) -> dict[str, str] | None:
    """Each party's secret as it entered the seed (revealed, or the published default), checking commitments."""
    code = record["code"]
    out: dict[str, str] = {}
    for party in record.get("parties", []):
        key = party["party"]
        if party.get("defaulted"):
            secret = default_secret(code, key)
            if party.get("secret") not in (None, secret):
                if report is not None:
                    report.add(f"参与方 {party.get('label', key)} 的默认值", False, "记录的默认值与公布的算法不符")
                return None
        else:
            secret = party.get("secret")
            if not isinstance(secret, str):
                return None
            ok = commitment(code, key, secret) == party.get("commitment")
            if report is not None:
                report.add(f"参与方 {party.get('label', key)} 揭示的随机数与承诺一致", ok)
            if not ok:
                return None
        out[key] = secret
    return out


def _iter_ledger(record: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from record.get("ledger", [])


def verify_into(record: Mapping[str, Any], report: Report) -> None:
    """Recompute a ``sunshine-draw-v1`` record, one line of ``report`` per step (``draws.replay.verify`` dispatches
    on the record's construction and catches a malformed record)."""
    report.add("构造版本", record.get("version") == VERSION, f"应为 {VERSION}")
    code = record["code"]
    pool = list(record["pool"])
    report.add("候选池叶子按顺序排列且不重复", pool == sorted(set(pool)) and all(HEX64.match(x) for x in pool))
    report.add("候选池哈希", pool_hash(pool) == record["pool_hash"])
    eligible = list(record["eligible"])
    leaves = [e["leaf"] for e in eligible]
    report.add("合格名单按叶子排序且均在候选池中", leaves == sorted(set(leaves)) and set(leaves) <= set(pool))
    report.add("名单哈希", list_hash(code, record["groups"], eligible, record["pool_hash"]) == record["list_hash"])
    if record.get("candidates") is not None:
        _verify_disclosed(record, report, pool, eligible)
    _verify_ledger(record, report)
    if record.get("seed") is None:
        return
    secrets = party_secrets(record, report)
    if secrets is None:
        report.add("随机种子", False, "有参与方的随机数无法核对")
        return
    beacon = (record.get("beacon") or {}).get("value") or ""
    report.add("随机种子", seed(record["list_hash"], secrets, beacon) == record["seed"])
    computed = order(record["seed"], eligible)
    report.add("抽取顺序", computed == list(record["order"]))
    groups_of = {e["leaf"]: e["groups"] for e in eligible}
    try:
        assignment = assign(computed, record["groups"], groups_of, record.get("outcomes", []))
    except OutcomeError as exc:
        report.add("席位与递补", False, str(exc))
        return
    report.add("席位与递补", assignment.as_dicts() == list(record.get("assignment", [])))


def _verify_disclosed(record: Mapping[str, Any], report: Report, pool: list[str], eligible: list[dict]) -> None:
    code = record["code"]
    rows = record["candidates"]
    computed = leaves(code, [(c["ref"], c["salt"], c["groups"], c["status"]) for c in rows])
    recomputed = dict(zip(computed, rows, strict=True))
    report.add("公开的候选人信息逐一还原出候选池叶子", sorted(recomputed) == pool and len(rows) == len(pool))
    expected = eligible_list((lf, c["groups"]) for lf, c in recomputed.items() if c["status"] == ELIGIBLE)
    report.add("合格名单与候选池状态一致（无遗漏、无多余）", expected == eligible)
    labels = record.get("reasons", {})
    unknown = sorted({c["status"] for c in rows if c["status"] != ELIGIBLE and c["status"] not in labels})
    report.add("每个排除都有登记的原因", not unknown, "、".join(unknown))


def _verify_ledger(record: Mapping[str, Any], report: Report, order_check: bool = True) -> None:
    """The ledger entries quoted in the record: each payload hashes to its digest and states what the record
    states (the hashes, commitments, reveals and seed). Inclusion in the log is checked against proofs by the
    browser check and the ledger's own verifier."""
    entries = list(_iter_ledger(record))
    if not entries:
        return
    ok = all(
        hashlib.sha256(ledger_format.canonical_payload(e["payload"])).hexdigest() == e["payload_sha256"]
        for e in entries
    )
    report.add("留痕记录内容与其摘要一致", ok)
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    for e in entries:
        by_kind.setdefault(e["kind"], []).append(e["payload"])
    prepared = by_kind.get("draws:draw:prepared", [])
    report.add(
        "留痕中的名单哈希与记录一致",
        len(prepared) == 1
        and prepared[0].get("pool_hash") == record["pool_hash"]
        and prepared[0].get("list_hash") == record["list_hash"],
    )
    commitments = {p["party"]: p["commitment"] for p in record.get("parties", []) if p.get("commitment")}
    logged = {}
    for payload in by_kind.get("draws:draw:committed", []) + prepared:
        logged.update(payload.get("commitments", {}))
    report.add("留痕中的承诺与记录一致", logged == commitments)
    first_reveal = min((e["seq"] for e in entries if e["kind"] == "draws:draw:revealed"), default=None)
    last_commit = max(e["seq"] for e in entries if e["kind"] in ("draws:draw:committed", "draws:draw:prepared"))
    report.add("所有承诺先于任何揭示记入留痕", first_reveal is None or last_commit < first_reveal)
    revealed = {p["party"]: p.get("secret") for p in record.get("parties", []) if p.get("revealed")}
    logged_secrets = {pl.get("party"): pl.get("secret") for pl in by_kind.get("draws:draw:revealed", [])}
    report.add("留痕中的揭示与记录一致", logged_secrets == revealed)
    if record.get("seed") is not None:
        drawn = by_kind.get("draws:draw:drawn", [])
        report.add(
            "留痕中的种子与抽取顺序与记录一致",
            len(drawn) == 1
            and drawn[0].get("seed") == record["seed"]
            and (not order_check or drawn[0].get("order_hash") == H(jcs(list(record["order"])))),
        )
