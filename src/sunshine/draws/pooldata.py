"""A draw's committed pool — every entry's leaf, ref, salt, groups and status — stored once per draw and read once
per process.

``prepare`` writes the pool as one row (``draw_pool``) instead of one row per entry: a pool of 32,000 experts is
one value written and read in one piece. Its text (``encode``) is JSON with the entries sorted by leaf, in columns:
``{"leaves": [...], "refs": [...], "salts": [...], "shapes": [[groups, status], ...], "shape_of": [i, ...]}`` —
``shapes`` the distinct combinations of groups (request order) and status, ``shape_of`` each entry's combination.
A ``sunshine-draw-v2`` pool (``PoolV2``) has no leaves and one salt, its entries sorted by ref; its row holds the
committed text itself, ``{"draw", "entries": [[ref, groups, status], ...], "salt"}`` (what ``pool_hash`` hashes).
Draws prepared before that have their pool in ``draw_candidate`` rows; both read into the same ``Pool``.

A committed pool never changes, so a process keeps the last few it read, keyed by the draw's code and its pool
and list hashes (a new draw has a new random code and new random salts: a key is never reused for other data).
Refs and salts are secret until the draw is disclosed: nothing here renders them.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cached_property
from itertools import compress
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.draws import engine, v2
from sunshine.draws.models import Draw, DrawCandidate, DrawPool
from sunshine.draws.types import CandidateColumns

KEEP = 4  # pools kept in memory (a room and its declines use the same one)
_kept: OrderedDict[tuple[str, str, str], Pool | PoolV2] = OrderedDict()
_orders: OrderedDict[str, tuple[str, list[str]]] = OrderedDict()
_lock = threading.Lock()


class Pool:
    """The pool sorted by leaf, in columns; the eligible list and the lookups a draw needs, computed on first use."""

    def __init__(
        self,
        leaves: list[str],
        refs: list[str],
        salts: list[str],
        shapes: list[tuple[list[str], str]],
        shape_of: list[int],
    ) -> None:
        self.leaves, self.refs, self.salts, self.shapes, self.shape_of = leaves, refs, salts, shapes, shape_of

    def __len__(self) -> int:
        return len(self.leaves)

    def groups(self, i: int) -> list[str]:
        return self.shapes[self.shape_of[i]][0]

    def status(self, i: int) -> str:
        return self.shapes[self.shape_of[i]][1]

    @cached_property
    def eligible_index(self) -> list[int]:
        wanted = {k for k, (_, status) in enumerate(self.shapes) if status == engine.ELIGIBLE}
        return [i for i, k in enumerate(self.shape_of) if k in wanted]

    @cached_property
    def eligible_leaves(self) -> list[str]:
        """The eligible leaves, sorted (what Fisher–Yates shuffles)."""
        return [self.leaves[i] for i in self.eligible_index]

    @cached_property
    def groups_by_leaf(self) -> dict[str, list[str]]:
        """The groups of each eligible leaf (what the calling walks)."""
        return {self.leaves[i]: self.groups(i) for i in self.eligible_index}

    def eligible(self) -> list[dict[str, Any]]:
        """The eligible list of step 2: ``[{"leaf", "groups"}]`` sorted by leaf (new objects: the record's own)."""
        return [{"leaf": self.leaves[i], "groups": list(self.groups(i))} for i in self.eligible_index]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {lf: i for i, lf in enumerate(self.leaves)}

    def ref_of(self, leaf: str) -> str:
        return self.refs[self._position[leaf]]

    def statuses(self) -> list[str]:
        return [self.shapes[k][1] for k in self.shape_of]


class PoolV2:
    """A ``sunshine-draw-v2`` pool: the entries sorted by ref, in columns (no leaves), and the pool's one salt. The
    call order is computed from the seed only as far as it is read (``order``); each ticket computed is remembered
    so that the server finds whom it calls (``ref_of``)."""

    construction = v2.VERSION

    def __init__(self, salt: str, refs: list[str], shapes: list[tuple[list[str], str]], shape_of: list[int]) -> None:
        self.salt, self.refs, self.shapes, self.shape_of = salt, refs, shapes, shape_of
        self._refs_by_ticket: dict[str, str] = {}
        self._texts: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.refs)

    def groups(self, i: int) -> list[str]:
        return self.shapes[self.shape_of[i]][0]

    def status(self, i: int) -> str:
        return self.shapes[self.shape_of[i]][1]

    def statuses(self) -> list[str]:
        return [self.shapes[k][1] for k in self.shape_of]

    @cached_property
    def eligible_index(self) -> list[int]:
        wanted = {k for k, (_, status) in enumerate(self.shapes) if status == engine.ELIGIBLE}
        return list(compress(range(len(self.shape_of)), map(wanted.__contains__, self.shape_of)))

    def text(self, code: str) -> str:
        """What ``pool_hash`` hashes (step 1 of v2), computed once."""
        found = self._texts.get(code)
        if found is None:
            found = self._texts[code] = v2.pool_text(code, self.salt, self.refs, self.shapes, self.shape_of)
        return found

    def order(self, code: str, seed: str) -> v2.Order:
        """A fresh lazy order (cheap: it computes only the places read); the tickets it computes are remembered."""
        index, refs = self.eligible_index, self.refs
        order = v2.Order(code, self.salt, seed, lambda e: refs[index[e]], lambda e: self.groups(index[e]), len(index))
        order.on_ticket = self._refs_by_ticket.__setitem__
        return order

    def ref_of(self, ticket: str, code: str | None = None) -> str:
        found = self._refs_by_ticket.get(ticket)
        if found is None and code is not None:  # a ticket this process has not computed: compute them all once
            for ref in self.refs:
                self._refs_by_ticket[v2.ticket(code, self.salt, ref)] = ref
            found = self._refs_by_ticket.get(ticket)
        if found is None:
            raise KeyError(ticket)
        return found

    def entries(self) -> list[dict[str, Any]]:
        """The disclosed form: ``[{"ref", "groups", "status"}]`` sorted by ref."""
        return [{"ref": r, "groups": list(self.groups(i)), "status": self.status(i)} for i, r in enumerate(self.refs)]


def build_columns(salt: str, cols: CandidateColumns) -> PoolV2:
    """A v2 pool from columns (``draws.types.CandidateColumns``) without an object per entry: a sort only when the
    refs are not sorted yet, one combination per distinct list of groups, exclusions patched in."""
    refs, groups, statuses = list(cols.refs), list(cols.groups), dict(cols.statuses)
    if refs != sorted(refs):
        perm = sorted(range(len(refs)), key=refs.__getitem__)
        back = {old: new for new, old in enumerate(perm)}
        refs, groups = [refs[i] for i in perm], [groups[i] for i in perm]
        statuses = {back[i]: st for i, st in statuses.items()}
    shapes: list[tuple[list[str], str]] = []
    index: dict[tuple[str, ...], int] = {}

    by_object: dict[tuple[int, str], int] = {}  # the lists of groups are shared: look each up once per status

    def shape(g: list[str], status: str) -> int:
        k = by_object.get((id(g), status))
        if k is None:
            key = (status, *g)
            k = index.get(key)
            if k is None:
                k = index[key] = len(shapes)
                shapes.append((list(g), status))
            by_object[(id(g), status)] = k
        return k

    eligible = {i: shape(g, engine.ELIGIBLE) for i, g in dict(zip(map(id, groups), groups, strict=True)).items()}
    shape_of = list(map(eligible.__getitem__, map(id, groups)))
    for pos, status in statuses.items():
        if status != engine.ELIGIBLE:
            shape_of[pos] = shape(groups[pos], status)
    return PoolV2(salt, refs, shapes, shape_of)


def build(entries: Sequence[tuple[str, str, str, list[str], str]]) -> Pool:
    """A pool from ``(leaf, ref, salt, groups, status)`` entries, any order. Entries that share their groups and
    status share one combination."""
    ordered = sorted(entries, key=_leaf)
    shapes: list[tuple[list[str], str]] = []
    index: dict[tuple[str, ...], int] = {}
    shape_of = []
    for _, _, _, groups, status in ordered:
        key = (status, *groups)
        k = index.get(key)
        if k is None:
            k = index[key] = len(shapes)
            shapes.append((list(groups), status))
        shape_of.append(k)
    return Pool([e[0] for e in ordered], [e[1] for e in ordered], [e[2] for e in ordered], shapes, shape_of)


def _leaf(entry: tuple[str, ...]) -> str:
    return entry[0]


def encode(pool: Pool | PoolV2, code: str = "") -> str:
    if isinstance(pool, PoolV2):  # the committed text itself (what pool_hash hashes)
        return pool.text(code)
    return json.dumps(
        {
            "leaves": pool.leaves,
            "refs": pool.refs,
            "salts": pool.salts,
            "shapes": [[groups, status] for groups, status in pool.shapes],
            "shape_of": pool.shape_of,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(text: str) -> Pool | PoolV2:
    data = json.loads(text)
    if "entries" in data and "salt" in data:  # v2: {"draw", "entries": [[ref, groups, status]…], "salt"}
        entries = data["entries"]
        shapes, shape_of = v2.shapes_of(entries)
        pool = PoolV2(data["salt"], [e[0] for e in entries], shapes, shape_of)
        pool._texts[data["draw"]] = text
        return pool
    return Pool(data["leaves"], data["refs"], data["salts"], [(g, s) for g, s in data["shapes"]], data["shape_of"])


def _key(draw: Draw) -> tuple[str, str, str]:
    return (draw.code, draw.pool_hash, draw.list_hash)


def _keep(key: tuple[str, str, str], pool: Pool | PoolV2) -> None:
    with _lock:
        _kept[key] = pool
        _kept.move_to_end(key)
        while len(_kept) > KEEP:
            _kept.popitem(last=False)


def store(session: Session, draw: Draw, pool: Pool | PoolV2) -> None:
    """Write the pool of a draw being prepared (its hashes already set) and keep it for this process."""
    eligible = len(pool.eligible_index)
    session.add(DrawPool(draw_id=draw.id, size=len(pool), eligible_count=eligible, entries=encode(pool, draw.code)))
    _keep(_key(draw), pool)


def of(session: Session, draw: Draw) -> Pool | PoolV2:
    """The committed pool of ``draw``: from this process's memory, its ``draw_pool`` row, or (draws prepared
    before that row existed) its ``draw_candidate`` rows."""
    key = _key(draw)
    with _lock:
        found = _kept.get(key)
    if found is not None:
        return found
    text = session.scalar(select(DrawPool.entries).where(DrawPool.draw_id == draw.id))
    if text is not None:
        pool = decode(text)
    else:
        c = DrawCandidate
        rows = session.execute(select(c.leaf, c.ref, c.salt, c.groups, c.status).where(c.draw_id == draw.id))
        parsed: dict[str, list[str]] = {}  # a pool has few distinct group lists: parse each once
        pool = build([(r.leaf, r.ref, r.salt, _groups(r.groups, parsed), r.status) for r in rows])
    if draw.pool_hash:  # not while prepare is still computing it
        _keep(key, pool)
    return pool


def _groups(text: str, parsed: dict[str, list[str]]) -> list[str]:
    found = parsed.get(text)
    if found is None:
        found = parsed[text] = json.loads(text)
    return found


def call_order(draw: Draw) -> list[str]:
    """The draw's call order as a list (parsed once per process while the stored text stays the same)."""
    text = draw.call_order
    with _lock:
        found = _orders.get(draw.code)
    if found is not None and found[0] == text:
        return found[1]
    order = json.loads(text)
    remember_order(draw, order)
    return order


def remember_order(draw: Draw, order: list[str]) -> None:
    with _lock:
        _orders[draw.code] = (draw.call_order, order)
        _orders.move_to_end(draw.code)
        while len(_orders) > KEEP:
            _orders.popitem(last=False)


def forget() -> None:
    """Drop the pools and orders kept in memory (tests; a process that restores a database)."""
    with _lock:
        _kept.clear()
        _orders.clear()
