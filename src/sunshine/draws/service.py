"""The draw's steps: ``prepare`` (commit the list and the platform's commitment), the draw room (in
``draws.room``: ``sign_in``, ``commit``, ``enter_beacon``, ``start_reveal``, ``reveal``, ``finish``, tick
``finish_due``, re-exported here), and after the draw ``seats``, ``record_outcome``, ``disclose`` and ``cancel``.
One ledger entry per step, subject ``draw:<code>``; no payload holds a ref or a name before ``disclose``. Owners
react through their purpose's callbacks. Never commits.
"""

from __future__ import annotations

import json
import secrets as _secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput
from sunshine.draws import engine, pooldata, purposes, reasons, v2
from sunshine.draws.models import Draw, DrawOutcome, DrawParty
from sunshine.draws.room import (  # noqa: F401  (re-exported: the room's steps, as owners and routes call them)
    commit,
    due,
    enter_beacon,
    finish,
    finish_due,
    may_run,
    missing_witnesses,
    reveal,
    sign_in,
    start_reveal,
    witness_role,
)
from sunshine.draws.state import (  # noqa: F401  (re-exported)
    CALL_STATE_LABELS,
    CANCELLED,
    DISCLOSED,
    DRAWN,
    MAX_CANDIDATES,
    OBSERVER,
    OBSERVER_ROLES,
    OUTCOME_LABELS,
    PREPARED,
    REVEALING,
    STATE_LABELS,
    assignment,
    assignment_and_order,
    attendance,
    eligible_of,
    get,
    groups_of,
    locked,
    log,
    outcomes_of,
    parties_of,
    subject,
    witnesses_of,
)
from sunshine.draws.types import (  # noqa: F401  (re-exported: the interface owners code against)
    BeaconMissing,
    Candidate,
    CandidateColumns,
    CommitmentsMissing,
    DrawStateConflict,
    Group,
    NotSignedIn,
    PartySpec,
    RevealWindowOpen,
    Seat,
    SecretMismatch,
    TooEarly,
    WitnessesMissing,
    WitnessSpec,
)
from sunshine.ledger import format as ledger_format

DEFAULT_CONSTRUCTION = v2.VERSION  # new draws; sunshine-draw-v1 draws keep replaying (a record says its version)


def _new_code(session: Session) -> str:
    while True:
        code = "CQ" + clock.now().strftime("%Y%m%d") + _secrets.token_hex(4).upper()
        if session.scalar(select(Draw.id).where(Draw.code == code)) is None:
            return code


def _check_groups(groups: Sequence[Group]) -> list[dict[str, Any]]:
    if not groups:
        raise InvalidInput("抽取须至少有一个抽取组别", field="groups")
    codes = [g.code for g in groups]
    if len(set(codes)) != len(codes):
        raise InvalidInput("抽取组别重复", field="groups")
    out = []
    for g in groups:
        if not g.code or len(g.code) > 60 or not g.label or g.count < 1 or g.count > 1000 or not 0 <= g.reserve <= 1000:
            raise InvalidInput(f"抽取组别“{g.label or g.code}”的人数或备选人数不正确", field="groups")
        out.append({"code": g.code, "label": g.label, "count": int(g.count), "reserve": int(g.reserve)})
    return out


def prepare(
    session: Session,
    actor: Principal | None,
    *,
    purpose: str,
    title: str,
    owner: str,
    project_id: int | None = None,
    section_id: int | None = None,
    groups: Sequence[Group],
    candidates: Sequence[Candidate] | CandidateColumns,
    parties: Sequence[PartySpec],
    witnesses: Sequence[WitnessSpec],
    scheduled_at: datetime,
    beacon_source: str | None = None,
    construction: str | None = None,
) -> Draw:
    """Fix the list and the platform's commitment, in the ledger. ``construction``: ``sunshine-draw-v2`` (one
    salted commitment to the pool; the default) or ``sunshine-draw-v1`` (a leaf per pool member; draws before)."""
    purposes.get(purpose)
    construction = construction or DEFAULT_CONSTRUCTION
    if construction not in (engine.VERSION, v2.VERSION):
        raise InvalidInput("未知的抽取构造版本", field="construction")
    group_rows = _check_groups(groups)
    codes = {g["code"] for g in group_rows}
    if not title or len(title) > 300 or not owner or len(owner) > 120:
        raise InvalidInput("抽取的名称或所属事项不正确")
    cols = candidates if isinstance(candidates, CandidateColumns) else CandidateColumns.of(candidates)
    if len(cols) > MAX_CANDIDATES:
        raise InvalidInput("候选人过多")
    refs = cols.refs
    if len(set(refs)) != len(refs) or (refs and (not all(refs) or max(map(len, refs)) > 120)):
        raise InvalidInput("候选人标识重复或不正确", field="candidates")
    for status in set(cols.statuses.values()):
        reasons.require(status)
    distinct = dict(
        zip(map(id, cols.groups), cols.groups, strict=True)
    )  # a pool has few distinct lists of groups: check each once
    for g in distinct.values():
        if not set(g) <= codes or len(set(g)) != len(g):
            raise InvalidInput("候选人所属组别不在本次抽取的组别中", field="candidates")
    empty = {i for i, g in distinct.items() if not g}
    if empty and any(id(g) in empty and i not in cols.statuses for i, g in enumerate(cols.groups)):
        raise InvalidInput("符合条件的候选人须至少属于一个抽取组别", field="candidates")
    keys = [p.key for p in parties]
    if not parties or len(set(keys)) != len(keys) or engine.PLATFORM in keys:
        raise InvalidInput("须至少有一个独立参与方，且参与方不得重复", field="parties")
    for p in parties:
        if not ledger_format.TOKEN_PATTERN.match(p.key) or "|" in p.key or "=" in p.key or len(p.key) > 80:
            raise InvalidInput(f"参与方标识不正确：{p.key}", field="parties")
    beacon_source = (beacon_source or "").strip() or None
    if beacon_source is not None and len(beacon_source) > 300:
        raise InvalidInput("公开信标来源过长", field="beacon_source")
    now = clock.now()
    draw = Draw(
        code=_new_code(session),
        purpose=purpose,
        title=title,
        owner=owner,
        project_id=project_id,
        section_id=section_id,
        groups=json.dumps(group_rows, ensure_ascii=False),
        witnesses=json.dumps(
            [
                {
                    "role": w.role,
                    "label": w.label,
                    "user_ids": sorted(w.user_ids),
                    "organisation_ids": sorted(w.organisation_ids),
                }
                for w in witnesses
            ],
            ensure_ascii=False,
        ),
        state=PREPARED,
        scheduled_at=scheduled_at,
        beacon_source=beacon_source,
        pool_hash="",
        list_hash="",
        construction=construction,
        created_by=actor.user_id if actor else None,
        created_at=now,
    )
    session.add(draw)
    session.flush()
    order_of_groups = [g["code"] for g in group_rows]
    in_order = {i: [code for code in order_of_groups if code in g] for i, g in distinct.items()}
    if any(in_order[i] != g or type(g) is not list for i, g in distinct.items()):  # each in request order
        cols = CandidateColumns(refs, [in_order[id(g)] for g in cols.groups], cols.statuses)
    if construction == v2.VERSION:
        pool: pooldata.Pool | pooldata.PoolV2 = pooldata.build_columns(engine.new_secret(), cols)
        eligible_count = len(pool.eligible_index)
        draw.pool_hash = v2.pool_hash_of_text(pool.text(draw.code))
        draw.list_hash = v2.list_hash(draw.code, group_rows, draw.pool_hash, len(pool), eligible_count)
    else:
        entries = [(ref, list(g), cols.status(i)) for i, (ref, g) in enumerate(zip(refs, cols.groups, strict=True))]
        salts = engine.new_salts(len(entries))
        leaves = engine.leaves(draw.code, [(r, salt, gs, st) for (r, gs, st), salt in zip(entries, salts, strict=True)])
        pool = pooldata.build(
            [(lf, ref, salt, gs, st) for lf, salt, (ref, gs, st) in zip(leaves, salts, entries, strict=True)]
        )
        eligible = [(pool.leaves[i], pool.groups(i)) for i in pool.eligible_index]
        eligible_count = len(eligible)
        draw.pool_hash = engine.pool_hash(pool.leaves)
        draw.list_hash = engine.list_hash_of_pairs(draw.code, group_rows, eligible, draw.pool_hash)
    pooldata.store(session, draw, pool)
    platform_secret = engine.new_secret()
    platform = DrawParty(
        draw_id=draw.id,
        party=engine.PLATFORM,
        label="交易平台",
        secret=platform_secret,
        commitment=engine.commitment(draw.code, engine.PLATFORM, platform_secret),
        committed_at=now,
    )
    session.add(platform)
    session.add_all(DrawParty(draw_id=draw.id, party=p.key, label=p.label, user_id=p.user_id) for p in parties)
    session.flush()
    log(
        session,
        draw,
        "prepared",
        {
            **({"construction": construction} if construction != engine.VERSION else {}),
            "purpose": purpose,
            "groups": engine.public_groups(group_rows),
            "pool_size": len(pool),
            "eligible_count": eligible_count,
            "pool_hash": draw.pool_hash,
            "list_hash": draw.list_hash,
            "parties": sorted([engine.PLATFORM, *keys]),
            "commitments": {engine.PLATFORM: platform.commitment},
            "witnesses": [w.role for w in witnesses],
            "scheduled_at": ledger_format.iso_utc(scheduled_at),
            "beacon_source": beacon_source or "",
        },
    )
    return draw


def _seats(session: Session, draw: Draw, calls: Sequence[engine.Call]) -> list[Seat]:
    pool = pooldata.of(session, draw)
    if isinstance(pool, pooldata.PoolV2):
        return [
            Seat(c.leaf, pool.ref_of(c.leaf, draw.code), c.group, c.position, c.state, c.kind, c.replaces)
            for c in calls
        ]
    return [Seat(c.leaf, pool.ref_of(c.leaf), c.group, c.position, c.state, c.kind, c.replaces) for c in calls]


def seats(session: Session, draw: Draw) -> list[Seat]:
    """Every call so far (seats, reserves, replacements) with the candidate's ref — server-side only."""
    return _seats(session, draw, assignment(session, draw).calls)


def record_outcome(
    session: Session, actor: Principal | None, code: str, leaf: str, outcome: str, reason: str
) -> list[Seat]:
    """A called candidate confirmed, declined or did not show; returns the replacements it called."""
    draw = locked(session, code)
    if draw.state not in (DRAWN, DISCLOSED):
        raise DrawStateConflict("抽取尚未完成")
    if actor is not None and not may_run(session, actor, draw):
        raise Forbidden("无权登记抽取结果")
    if outcome not in engine.OUTCOMES:
        raise InvalidInput("应答结果应为确认参加、拒绝或未到场", field="outcome")
    reason = (reason or "").strip()
    if outcome != "confirmed" and not reason:
        raise InvalidInput("请填写拒绝或未到场的原因", field="reason")
    if len(reason) > 300:
        raise InvalidInput("原因不超过300字", field="reason")
    before = assignment(session, draw)
    if before.active(leaf) is None:
        raise DrawStateConflict("该候选人当前没有待确认的抽取结果")
    session.add(
        DrawOutcome(
            draw_id=draw.id,
            leaf=leaf,
            outcome=outcome,
            reason=reason,
            recorded_by=actor.user_id if actor else None,
            recorded_at=clock.now(),
        )
    )
    session.flush()
    after = assignment(session, draw)
    new = after.calls[len(before.calls) :]
    log(
        session,
        draw,
        "outcome",
        {
            "leaf": leaf,
            "outcome": outcome,
            "reason": reason,
            "calls": [{k: c.as_dict()[k] for k in ("leaf", "group", "kind", "position", "replaces")} for c in new],
        },
    )
    new_seats = _seats(session, draw, new)
    callback = getattr(purposes.find(draw.purpose), "on_outcome", None)
    if callback is not None:
        changed = next(s for s in _seats(session, draw, after.calls) if s.leaf == leaf and s.state == outcome)
        callback(session, draw, changed, new_seats)
    return new_seats


def disclose(session: Session, code: str) -> Draw:
    """Publish every pool entry's ref, salt, groups and status (called by the owner when its results are public)."""
    draw = locked(session, code)
    if draw.state == DISCLOSED:
        return draw
    if draw.state != DRAWN:
        raise DrawStateConflict("抽取尚未完成，不能公开")
    pool = pooldata.of(session, draw)
    draw.state, draw.disclosed_at = DISCLOSED, clock.now()
    session.flush()
    if isinstance(pool, pooldata.PoolV2):  # the salt enters the ledger: the commitment opens from it
        digest = engine.H(pool.text(draw.code))
        log(session, draw, "disclosed", {"candidates": len(pool), "candidates_hash": digest, "salt": pool.salt})
        return draw
    rows = sorted(zip(pool.leaves, pool.refs, pool.salts, pool.statuses(), strict=True))
    digest = engine.H(engine.jcs([list(r) for r in rows]))
    log(session, draw, "disclosed", {"candidates": len(rows), "candidates_hash": digest})
    return draw


def cancel(session: Session, code: str, reason: str) -> Draw:
    """The owner ends a draw still in the room (its project was terminated or failed before the order was fixed):
    no seed is computed and nothing is drawn; the commitments already in the ledger stay there, and the entry says
    why the draw stopped. A draw already drawn cannot be cancelled — its order stands and is disclosed."""
    draw = locked(session, code)
    if draw.state == CANCELLED:
        return draw
    if draw.state not in (PREPARED, REVEALING):
        raise DrawStateConflict(f"抽取{STATE_LABELS[draw.state]}，不能取消")
    draw.state = CANCELLED
    session.flush()
    log(session, draw, "cancelled", {"reason": reason})
    return draw
