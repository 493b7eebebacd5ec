"""Construction ``sunshine-draw-v2``, as pure functions (no database): one salted commitment to the whole pool
instead of one leaf per member, and a partial Fisher–Yates that computes the call order only as far as the calls go.
Documented byte for byte in docs/draws.md; ``draw-verify.js`` and the standalone script there mirror it.

What it keeps from ``sunshine-draw-v1`` (``draws.engine``): the parties' commitments, their published defaults, the
seed formula over the list hash, the SHA-256 counter stream, rejection sampling and the calling of seats, reserves
and replacements (``engine.assign``). What changes: the pool is committed by ``pool_hash`` — SHA-256 over RFC 8785
of ``{"draw", "entries", "salt"}``, the entries ``[ref, groups, status]`` sorted by ref and the salt 32 random bytes
revealed at disclosure — and the list hash binds that commitment, the groups and the pool's two counts; the order is
over the eligible entries' places, read from the seed's stream one place at a time; a called candidate is shown by a
salted ticket, ``H(V|ticket|code|salt|ref)``, computed only for the places the calls reach.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, repeat
from json.encoder import encode_basestring as _q
from typing import Any

from sunshine.draws import engine

VERSION = "sunshine-draw-v2"
ELIGIBLE = engine.ELIGIBLE


def H(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _strings_text(items: Sequence[str]) -> str:
    return "[" + ",".join(map(_q, items)) + "]"


def shapes_of(entries: Sequence[Sequence[Any]]) -> tuple[list[tuple[list[str], str]], list[int]]:
    """The distinct ``(groups, status)`` of ``[(ref, groups, status)]`` and each entry's index among them."""
    index: dict[tuple[Any, ...], int] = {}
    shapes: list[tuple[list[str], str]] = []
    shape_of = []
    for _, groups, status in entries:
        key = (status, *groups)
        k = index.get(key)
        if k is None:
            k = index[key] = len(shapes)
            shapes.append((list(groups), status))
        shape_of.append(k)
    return shapes, shape_of


def _bare(text: str) -> bool:
    """Whether JSON writes every character of ``text`` as itself (no quote, backslash or control character)."""
    return text.isprintable() and '"' not in text and "\\" not in text


def pool_text(
    code: str, salt: str, refs: Sequence[str], shapes: Sequence[tuple[list[str], str]], shape_of: Sequence[int]
) -> str:
    """RFC 8785 of ``{"draw": code, "entries": [[ref, groups, status], …], "salt": salt}`` — entries in the given
    order (sorted by ref), entry ``i`` being ``[refs[i], *shapes[shape_of[i]]]``. Each distinct (groups, status) is
    written once; anything but strings goes through ``engine.jcs`` (same text, property-tested)."""
    if (
        type(code) is str
        and type(salt) is str
        and all(type(st) is str and type(gs) is list and all(type(g) is str for g in gs) for gs, st in shapes)
    ):
        if all(type(r) is str for r in refs[:1]) and _bare("".join(refs)):  # nothing to escape in any ref
            tails = ['",' + _strings_text(gs) + "," + _q(st) + "]" for gs, st in shapes]
            opens = chain(('["',), repeat(',["'))
            entries = chain.from_iterable(
                zip(opens, refs, map(tails.__getitem__, shape_of), strict=False)
            )  # no string per entry
            head, end = '{"draw":' + _q(code) + ',"entries":[', '],"salt":' + _q(salt) + "}"
            return "".join(chain((head,), entries, (end,)))  # one text made, in one piece
        else:
            tails = ["," + _strings_text(gs) + "," + _q(st) + "]" for gs, st in shapes]
            try:  # every ref through the standard library's JSON string encoder (a TypeError for anything but a str)
                quoted = map("[".__add__, map(_q, refs))
                body = ",".join(map(operator.add, quoted, map(tails.__getitem__, shape_of)))
            except TypeError:
                body = None
        if body is not None:
            return '{"draw":' + _q(code) + ',"entries":[' + body + '],"salt":' + _q(salt) + "}"
    entries = [[r, list(shapes[k][0]), shapes[k][1]] for r, k in zip(refs, shape_of, strict=True)]
    return engine.jcs({"draw": code, "entries": entries, "salt": salt})


def pool_hash_of_text(text: str) -> str:
    """``H(VERSION + "|pool|" + text)``."""
    digest = hashlib.sha256(f"{VERSION}|pool|".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def pool_hash(code: str, salt: str, entries: Sequence[Sequence[Any]]) -> str:
    """The commitment to the pool from ``[(ref, groups, status)]`` sorted by ref (the disclosed form)."""
    shapes, shape_of = shapes_of(entries)
    return pool_hash_of_text(pool_text(code, salt, [e[0] for e in entries], shapes, shape_of))


def list_hash(code: str, groups: Sequence[Mapping[str, Any]], pool_h: str, size: int, eligible_count: int) -> str:
    """What the seed commits to: the pool's commitment, the requested groups and the pool's two counts."""
    body = {
        "draw": code,
        "eligible_count": int(eligible_count),
        "groups": engine.public_groups(groups),
        "pool_hash": pool_h,
        "pool_size": int(size),
    }
    return H(f"{VERSION}|list|" + engine.jcs(body))


def ticket(code: str, salt: str, ref: str) -> str:
    """How a called candidate is shown before disclosure: a salted hash of its ref (the salt is the pool's)."""
    return H(f"{VERSION}|ticket|{code}|{salt}|{ref}")


def offset(code: str, salt: str, eligible_count: int) -> int:
    """Where the order starts reading the eligible entries (a rotation fixed by the secret salt, so that the places
    the seed selects say nothing about the candidates' refs until the pool is disclosed)."""
    if eligible_count < 1:
        return 0
    return int(H(f"{VERSION}|offset|{code}|{salt}"), 16) % eligible_count


class Shuffle:
    """Partial Fisher–Yates over ``0 … m−1`` driven by the seed's stream: step ``i`` swaps place ``i`` with
    ``i + uniform(m − i)``; place ``i`` is final after step ``i``. Only the swapped places are stored: ``k`` places
    cost ``k`` steps whatever ``m`` is."""

    def __init__(self, seed_hex: str, m: int) -> None:
        self.m = m
        self._stream = engine.Stream(seed_hex)
        self._swapped: dict[int, int] = {}
        self._done: list[int] = []

    def __len__(self) -> int:
        return self.m

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.m:
            raise IndexError(i)
        done, swapped, m = self._done, self._swapped, self.m
        while len(done) <= i:
            k = len(done)
            j = k + self._stream.uniform(m - k) if k < m - 1 else k
            a_k, a_j = swapped.get(k, k), swapped.get(j, j)
            swapped[j] = a_k
            swapped.pop(k, None)
            done.append(a_j)
        return done[i]


class Order(Sequence[str]):
    """The call order as tickets, computed lazily: place ``p`` (0-based) is the eligible entry
    ``(shuffle[p] + offset) mod m``. ``groups`` is filled for every ticket computed (what ``engine.assign`` reads),
    ``reached`` is how many places were computed, ``index_of`` maps a computed ticket to its eligible entry."""

    def __init__(
        self,
        code: str,
        salt: str,
        seed_hex: str,
        eligible_refs: Callable[[int], str],
        eligible_groups: Callable[[int], list[str]],
        m: int,
    ) -> None:
        self._code, self._salt, self._ref, self._groups_of = code, salt, eligible_refs, eligible_groups
        self._shuffle = Shuffle(seed_hex, m)
        self._offset = offset(code, salt, m)
        self._tickets: list[str] = []
        self.groups: dict[str, list[str]] = {}
        self.index_of: dict[str, int] = {}
        self.on_ticket: Callable[[str, str], None] | None = None  # told (ticket, ref) for each ticket computed

    def __len__(self) -> int:
        return self._shuffle.m

    @property
    def reached(self) -> int:
        return len(self._tickets)

    def __getitem__(self, p):  # type: ignore[override]
        if isinstance(p, slice):
            return [self[i] for i in range(*p.indices(len(self)))]
        if p < 0:
            p += len(self)
        while len(self._tickets) <= p:
            k = len(self._tickets)
            e = (self._shuffle[k] + self._offset) % self._shuffle.m
            ref = self._ref(e)
            t = ticket(self._code, self._salt, ref)
            if self.on_ticket is not None:
                self.on_ticket(t, ref)
            self._tickets.append(t)
            self.groups[t] = list(self._groups_of(e))
            self.index_of[t] = e
        return self._tickets[p]

    def __iter__(self) -> Iterator[str]:
        for p in range(len(self)):
            yield self[p]

    def prefix(self) -> list[str]:
        """The places computed so far (what the record publishes as ``order``)."""
        return list(self._tickets)


def replay(
    code: str,
    salt: str,
    seed_hex: str,
    entries: Sequence[Sequence[Any]],
    groups: Sequence[Mapping[str, Any]],
    outcomes: Sequence[Mapping[str, Any]] = (),
) -> tuple[Order, engine.Assignment]:
    """The order and the calls from the disclosed entries ``[(ref, groups, status)]`` sorted by ref."""
    eligible = [e for e in entries if e[2] == ELIGIBLE]
    order = Order(code, salt, seed_hex, lambda i: eligible[i][0], lambda i: list(eligible[i][1]), len(eligible))
    calls = engine.assign(order, groups, order.groups, outcomes)
    return order, calls


# -- verification of a public record -----------------------------------------------------------------------


def verify(record: Mapping[str, Any], report: engine.Report) -> None:
    """Recompute a ``sunshine-draw-v2`` record; one line of ``report`` per step (``draws.replay.verify`` dispatches)."""
    code = record["code"]
    size, m = int(record["pool_size"]), int(record["eligible_count"])
    report.add("构造版本", record.get("version") == VERSION, f"应为 {VERSION}")
    report.add("候选池人数与符合条件人数", 0 <= m <= size)
    computed_list = list_hash(code, record["groups"], record["pool_hash"], size, m)
    report.add("名单哈希（候选池承诺、组别与人数）", computed_list == record["list_hash"])
    entries = None
    if record.get("candidates") is not None:
        entries = _verify_disclosed(record, report, size, m)
    engine._verify_ledger(record, report, order_check=False)
    if record.get("seed") is None:
        return
    secrets = engine.party_secrets(record, report)
    if secrets is None:
        report.add("随机种子", False, "有参与方的随机数无法核对")
        return
    beacon = (record.get("beacon") or {}).get("value") or ""
    report.add("随机种子", engine.seed(record["list_hash"], secrets, beacon) == record["seed"])
    _verify_drawn_calls(record, report)
    if entries is None:
        return  # before disclosure the order's tickets cannot be recomputed: the salt is still secret
    try:
        order, assignment = replay(code, record["salt"], record["seed"], entries, record["groups"], record["outcomes"])
    except engine.OutcomeError as exc:
        report.add("席位与递补", False, str(exc))
        return
    report.add("抽取顺序（已用到的各位次）", order.prefix() == list(record.get("order") or []))
    report.add("席位与递补", assignment.as_dicts() == list(record.get("assignment", [])))


def _verify_disclosed(record: Mapping[str, Any], report: engine.Report, size: int, m: int) -> list[list[Any]] | None:
    rows = record["candidates"]
    salt = record.get("salt")
    entries = [[c["ref"], list(c["groups"]), c["status"]] for c in rows]
    refs = [e[0] for e in entries]
    report.add("公开的候选池按标识排序且不重复", refs == sorted(set(refs)) and len(refs) == size)
    ok_salt = isinstance(salt, str) and engine.HEX64.match(salt) is not None
    report.add(
        "公开的候选池还原出候选池承诺", ok_salt and pool_hash(record["code"], salt, entries) == record["pool_hash"]
    )
    report.add("符合条件人数与公开的候选池一致", sum(1 for e in entries if e[2] == ELIGIBLE) == m)
    codes = {g["code"] for g in record["groups"]}
    report.add(
        "每位候选人所属组别均在本次抽取的组别中",
        all(set(e[1]) <= codes and len(set(e[1])) == len(e[1]) and (e[1] or e[2] != ELIGIBLE) for e in entries),
    )
    labels = record.get("reasons", {})
    unknown = sorted({e[2] for e in entries if e[2] != ELIGIBLE and e[2] not in labels})
    report.add("每个排除都有登记的原因", not unknown, "、".join(unknown))
    return entries if ok_salt else None


def _verify_drawn_calls(record: Mapping[str, Any], report: engine.Report) -> None:
    """The first calls the ledger recorded at the draw are the record's first places (checked before disclosure)."""
    drawn = [e["payload"] for e in record.get("ledger", []) if e["kind"] == "draws:draw:drawn"]
    if not drawn:
        return
    order = list(record.get("order") or [])
    calls = drawn[0].get("calls", [])
    ok = all(0 < c["position"] <= len(order) and order[c["position"] - 1] == c["leaf"] for c in calls)
    report.add("留痕中的首批通知与抽取顺序一致", ok and drawn[0].get("order_size") == record["eligible_count"])
