"""The public record of a draw (``GET /api/v1/draws/{code}/record``): everything the verifiers need to recompute
it — pool, eligible list, hashes, commitments, reveals, beacon, seed, order, outcomes, calls, the ledger entries
of the draw — and, once disclosed, every pool entry's ref, salt, groups and status. Before disclosure it holds
no ref and no name; afterwards names appear only where the owner's purpose provides them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.draws import engine, pooldata, purposes, reasons
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


def build(session: Session, draw: Draw) -> dict[str, Any]:
    """The record as JSON-ready data."""
    pool = pooldata.of(session, draw)
    disclosed = draw.state == draws.DISCLOSED
    assignment = published_assignment(session, draw) if draw.call_order else None
    record: dict[str, Any] = {
        "version": engine.VERSION,
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
        "pool": list(pool.leaves),
        "pool_hash": draw.pool_hash,
        "eligible": pool.eligible(),
        "list_hash": draw.list_hash,
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
        "order": list(pooldata.call_order(draw)) if draw.call_order else None,
        "outcomes": [
            {
                "leaf": o.leaf,
                "outcome": o.outcome,
                "outcome_label": draws.OUTCOME_LABELS[o.outcome],
                "reason": o.reason,
                "recorded_at": _iso(o.recorded_at),
            }
            for o in draws.outcomes_of(session, draw)
        ],
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


def names(session: Session, draw: Draw, pool: pooldata.Pool, assignment: engine.Assignment | None) -> dict[str, str]:
    """Display names by leaf, for called candidates the owner names (only after disclosure)."""
    callback = getattr(purposes.find(draw.purpose), "names", None)
    if callback is None or assignment is None:
        return {}
    by_ref = callback(session, draw) or {}
    out = {}
    for leaf in sorted({c.leaf for c in assignment.calls}):
        ref = pool.ref_of(leaf)
        if ref in by_ref:
            out[leaf] = by_ref[ref]
    return out
