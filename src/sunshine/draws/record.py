"""The public record of a draw (``GET /api/v1/draws/{code}/record``): everything the verifiers need to recompute
it — pool, eligible list, hashes, commitments, reveals, beacon, seed, order, outcomes, calls, the ledger entries
of the draw — and, once disclosed, every pool entry's ref, salt, groups and status. Before disclosure it holds
no ref and no name; afterwards names appear only where the owner's purpose provides them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.draws import engine, pooldata, purposes, reasons, v2
from sunshine.draws import service as draws
from sunshine.draws.models import Draw
from sunshine.identity.roles import ROLE_LABELS, Role
from sunshine.ledger import format as ledger_format
from sunshine.ledger.models import LedgerEntry

ROOM_ROLE_LABELS = {"observer": "观察员", "party": "参与方"}


def role_label(role: str) -> str:
    if role in ROOM_ROLE_LABELS:
        return ROOM_ROLE_LABELS[role]
    if role.startswith("observer:"):
        return f"观察员（{role_label(role.removeprefix('observer:'))}）"
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return "见证人"


def published_assignment(session: Session, draw: Draw) -> engine.Assignment:
    """The calls as pages and the record show them. Stored data that no longer replays (altered behind the
    platform's back) shows no calls rather than failing the page; the verifiers then report the mismatch."""
    try:
        return draws.assignment(session, draw)
    except engine.OutcomeError:
        return engine.Assignment()


def _iso(moment) -> str | None:
    return ledger_format.iso_utc(moment) if moment is not None else None


def ledger_entries(session: Session, draw: Draw) -> list[dict[str, Any]]:
    query = select(LedgerEntry).where(LedgerEntry.subject == draws.subject(draw)).order_by(LedgerEntry.seq)
    rows = session.scalars(query)
    return [
        {
            "seq": e.seq,
            "kind": e.kind,
            "subject": e.subject,
            "payload": json.loads(e.payload),
            "payload_sha256": e.payload_sha256,
            "recorded_at": ledger_format.iso_utc(e.recorded_at),
            "leaf_hash": e.leaf_hash,
        }
        for e in rows
    ]


def parties(session: Session, draw: Draw) -> list[dict[str, Any]]:
    out = []
    for p in draws.parties_of(session, draw):
        shown = p.revealed_at is not None or p.defaulted
        out.append(
            {
                "party": p.party,
                "label": p.label,
                "commitment": p.commitment,
                "committed_at": _iso(p.committed_at),
                "revealed": p.revealed_at is not None,
                "revealed_at": _iso(p.revealed_at),
                "defaulted": bool(p.defaulted),
                "secret": p.secret if shown else None,
            }
        )
    return out


def _common(session: Session, draw: Draw) -> dict[str, Any]:
    return {
        "code": draw.code,
        "purpose": draw.purpose,
        "purpose_label": purposes.label(draw.purpose),
        "title": draw.title,
        "state": draw.state,
        "state_label": draws.STATE_LABELS[draw.state],
        "scheduled_at": _iso(draw.scheduled_at),
        "reveal_deadline": _iso(draw.reveal_deadline),
        "drawn_at": _iso(draw.drawn_at),
        "disclosed_at": _iso(draw.disclosed_at),
        "groups": draws.groups_of(draw),
    }


def _room(session: Session, draw: Draw) -> dict[str, Any]:
    return {
        "parties": parties(session, draw),
        "beacon": {"source": draw.beacon_source or "", "value": draw.beacon_value or ""},
        "witnesses": [{"role": w["role"], "label": w["label"]} for w in draws.witnesses_of(draw)],
        "attendance": [
            {
                "role": a.role,
                "role_label": role_label(a.role),
                "name": a.display_name,
                "signed_in_at": _iso(a.signed_in_at),
            }
            for a in draws.attendance(session, draw)
        ],
        "seed": draw.seed,
    }


def _outcomes(session: Session, draw: Draw) -> list[dict[str, Any]]:
    return [
        {
            "leaf": o.leaf,
            "outcome": o.outcome,
            "outcome_label": draws.OUTCOME_LABELS[o.outcome],
            "reason": o.reason,
            "recorded_at": _iso(o.recorded_at),
        }
        for o in draws.outcomes_of(session, draw)
    ]


def build(session: Session, draw: Draw) -> dict[str, Any]:
    """The record as JSON-ready data, in the draw's own construction (its ``version``)."""
    pool = pooldata.of(session, draw)
    if isinstance(pool, pooldata.PoolV2):
        return _build_v2(session, draw, pool)
    disclosed = draw.state == draws.DISCLOSED
    assignment = published_assignment(session, draw) if draw.call_order else None
    record: dict[str, Any] = {
        "version": engine.VERSION,
        **_common(session, draw),
        "pool": list(pool.leaves),
        "pool_hash": draw.pool_hash,
        "eligible": pool.eligible(),
        "list_hash": draw.list_hash,
        **_room(session, draw),
        "order": list(pooldata.call_order(draw)) if draw.call_order else None,
        "outcomes": _outcomes(session, draw),
        "assignment": assignment.as_dicts() if assignment else [],
        "vacant": assignment.vacant if assignment else {},
        "candidates": None,
        "reasons": {},
        "names": {},
        "ledger": ledger_entries(session, draw),
    }
    if disclosed:
        statuses = pool.statuses()
        record["candidates"] = [
            {"leaf": lf, "ref": ref, "salt": salt, "groups": list(pool.groups(i)), "status": statuses[i]}
            for i, (lf, ref, salt) in enumerate(zip(pool.leaves, pool.refs, pool.salts, strict=True))
        ]
        record["reasons"] = {s: reasons.label(s) for s in sorted(set(statuses)) if s != engine.ELIGIBLE}
        record["names"] = names(session, draw, pool, assignment)
    return record


def _build_v2(session: Session, draw: Draw, pool: pooldata.PoolV2) -> dict[str, Any]:
    """A ``sunshine-draw-v2`` record: the pool's commitment and counts; the order as far as the calls read it
    (tickets); after disclosure the salt and every entry ``{"ref", "groups", "status"}`` sorted by ref."""
    assignment, order = None, None
    if draw.call_order:
        try:
            assignment, order = draws.assignment_and_order(session, draw)
        except engine.OutcomeError:  # stored data that no longer replays: the verifiers report it
            assignment, order = engine.Assignment(), []
    disclosed = draw.state == draws.DISCLOSED
    record: dict[str, Any] = {
        "version": v2.VERSION,
        **_common(session, draw),
        "pool_size": len(pool),
        "eligible_count": len(pool.eligible_index),
        "pool_hash": draw.pool_hash,
        "list_hash": draw.list_hash,
        **_room(session, draw),
        "order": order,
        "outcomes": _outcomes(session, draw),
        "assignment": assignment.as_dicts() if assignment else [],
        "vacant": assignment.vacant if assignment else {},
        "salt": pool.salt if disclosed else None,
        "candidates": pool.entries() if disclosed else None,
        "reasons": {},
        "names": {},
        "ledger": ledger_entries(session, draw),
    }
    if disclosed:
        record["reasons"] = {s: reasons.label(s) for s in sorted({s for _, s in pool.shapes}) if s != engine.ELIGIBLE}
        record["names"] = names(session, draw, pool, assignment)
    return record


def names(
    session: Session, draw: Draw, pool: pooldata.Pool | pooldata.PoolV2, assignment: engine.Assignment | None
) -> dict[str, str]:
    """Display names by leaf, for called candidates the owner names (only after disclosure)."""
    callback = getattr(purposes.find(draw.purpose), "names", None)
    if callback is None or assignment is None:
        return {}
    by_ref = callback(session, draw) or {}
    out = {}
    for leaf in sorted({c.leaf for c in assignment.calls}):
        ref = pool.ref_of(leaf, draw.code) if isinstance(pool, pooldata.PoolV2) else pool.ref_of(leaf)
        if ref in by_ref:
            out[leaf] = by_ref[ref]
    return out
