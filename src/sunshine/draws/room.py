"""The draw room: who signs in (``sign_in``), the parties' commitments and reveals (``commit``, ``reveal``), the
public beacon (``enter_beacon``), the start (``start_reveal``: the platform reveals first) and the draw itself
(``finish``, or the tick ``finish_due`` once the reveal window has run out). One ledger entry per step; never
commits. ``draws.service`` re-exports these steps: owners and routes call them from there.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput
from sunshine.core.formatting import local_time
from sunshine.draws import engine, pooldata, purposes
from sunshine.draws.models import Draw, DrawAttendance, DrawParty
from sunshine.draws.state import (
    DEFAULT_REVEAL_WINDOW,
    DRAWN,
    OBSERVER,
    OBSERVER_ROLES,
    PREPARED,
    REVEAL_WINDOW_RULE,
    REVEALING,
    SIGN_IN_RULE,
    STATE_LABELS,
    attendance,
    centre_rule,
    groups_of,
    locked,
    log,
    parties_of,
    witnesses_of,
)
from sunshine.draws.types import (
    BeaconMissing,
    CommitmentsMissing,
    DrawStateConflict,
    NotSignedIn,
    RevealWindowOpen,
    SecretMismatch,
    TooEarly,
    WitnessesMissing,
)
from sunshine.identity.roles import Role
from sunshine.ledger import format as ledger_format


def witness_role(actor: Principal, draw: Draw) -> str | None:
    for spec in witnesses_of(draw):
        if spec["role"] not in {r.value for r in actor.roles}:
            continue
        if spec["user_ids"] and actor.user_id not in spec["user_ids"]:
            continue
        if spec["organisation_ids"] and actor.organisation_id not in spec["organisation_ids"]:
            continue
        return spec["role"]
    return None


def sign_in(session: Session, actor: Principal, code: str) -> DrawAttendance:
    """Sign in to the draw room: as a required witness, as a party, or (supervisors, staff) as an observer."""
    draw = locked(session, code)
    if draw.state not in (PREPARED, REVEALING):
        raise DrawStateConflict(f"抽取{STATE_LABELS[draw.state]}，不能再签到")
    if not actor.is_authenticated:
        raise Forbidden("请先登录")
    existing = session.scalar(
        select(DrawAttendance).where(DrawAttendance.draw_id == draw.id, DrawAttendance.user_id == actor.user_id)
    )
    if existing is not None:
        return existing
    role = witness_role(actor, draw)
    if role is None and any(p.user_id == actor.user_id for p in parties_of(session, draw)):
        role = "party"
    if role is None and actor.has(*OBSERVER_ROLES):
        role = f"{OBSERVER}:{next(r for r in OBSERVER_ROLES if actor.has(r)).value}"
    if role is None:
        raise Forbidden("您不是本次抽取的见证人、参与方或监督人员")
    row = DrawAttendance(
        draw_id=draw.id, user_id=actor.user_id, role=role, display_name=actor.display_name, signed_in_at=clock.now()
    )
    session.add(row)
    session.flush()
    log(session, draw, "signed_in", {"role": role})
    return row


def _signed_in(session: Session, draw: Draw, user_id: int | None) -> bool:
    return (
        session.scalar(
            select(DrawAttendance.id).where(DrawAttendance.draw_id == draw.id, DrawAttendance.user_id == user_id)
        )
        is not None
    )


def _party_of(session: Session, actor: Principal, draw: Draw) -> DrawParty:
    party = next((p for p in parties_of(session, draw) if p.user_id is not None and p.user_id == actor.user_id), None)
    if party is None:
        raise Forbidden("您不是本次抽取的参与方")
    if centre_rule(session, SIGN_IN_RULE, 1) and not _signed_in(session, draw, actor.user_id):
        raise NotSignedIn()
    return party


def commit(session: Session, actor: Principal, code: str, commitment: str) -> DrawParty:
    """An independent party's commitment to the secret its browser generated and keeps."""
    draw = locked(session, code)
    if draw.state != PREPARED:
        raise DrawStateConflict("抽取已开始揭示，不能再提交承诺")
    party = _party_of(session, actor, draw)
    commitment = (commitment or "").strip().lower()
    if not engine.HEX64.match(commitment):
        raise InvalidInput("承诺应为64位十六进制的SHA-256值", field="commitment")
    if party.commitment is not None:
        raise DrawStateConflict("您已提交承诺，不能更改")
    party.commitment, party.committed_at = commitment, clock.now()
    session.flush()
    log(session, draw, "committed", {"party": party.party, "commitments": {party.party: commitment}})
    return party


def may_run(session: Session, actor: Principal | None, draw: Draw) -> bool:
    if actor is None:
        return False
    if actor.has(Role.CENTRE_STAFF):
        return True
    purpose = purposes.find(draw.purpose)
    return bool(purpose and purpose.may_manage and purpose.may_manage(session, actor, draw))


def enter_beacon(session: Session, actor: Principal, code: str, value: str) -> Draw:
    """Centre staff enter the published value of the named public beacon, before the seed is computed."""
    draw = locked(session, code)
    if not actor.has(Role.CENTRE_STAFF):
        raise Forbidden("只有交易中心工作人员可以录入公开信标")
    if draw.beacon_source is None:
        raise DrawStateConflict("本次抽取未指定公开信标")
    if draw.state not in (PREPARED, REVEALING) or draw.beacon_value is not None:
        raise DrawStateConflict("公开信标已录入或抽取已完成")
    value = (value or "").strip()
    if not value or len(value) > 1000 or any(ch in value for ch in "\r\n"):
        raise InvalidInput("请填写公开信标的发布值（一行，不超过1000字）", field="value")
    draw.beacon_value = value
    session.flush()
    log(session, draw, "beacon", {"beacon_source": draw.beacon_source, "beacon": value})
    return draw


def missing_witnesses(session: Session, draw: Draw) -> list[dict[str, Any]]:
    present = {a.role for a in attendance(session, draw)}
    return [w for w in witnesses_of(draw) if w["role"] not in present]


def start_reveal(session: Session, actor: Principal, code: str) -> Draw:
    """Start the draw: every witness signed in, every party committed; the platform reveals first."""
    draw = locked(session, code)
    if not may_run(session, actor, draw):
        raise Forbidden("只有交易中心工作人员可以开始抽取")
    if draw.state != PREPARED:
        raise DrawStateConflict()
    if clock.now() < draw.scheduled_at:
        raise TooEarly(f"预定抽取时间为 {local_time(draw.scheduled_at)}")
    missing = missing_witnesses(session, draw)
    if missing:
        raise WitnessesMissing("尚未签到：" + "、".join(w["label"] for w in missing))
    parties = parties_of(session, draw)
    uncommitted = [p for p in parties if p.commitment is None]
    if uncommitted:
        raise CommitmentsMissing("尚未提交承诺：" + "、".join(p.label for p in uncommitted))
    now = clock.now()
    platform = next(p for p in parties if p.party == engine.PLATFORM)
    platform.revealed_at = now
    draw.state = REVEALING
    draw.reveal_deadline = now + timedelta(seconds=centre_rule(session, REVEAL_WINDOW_RULE, DEFAULT_REVEAL_WINDOW))
    session.flush()
    log(
        session,
        draw,
        "revealed",
        {
            "party": engine.PLATFORM,
            "secret": platform.secret,
            "reveal_deadline": ledger_format.iso_utc(draw.reveal_deadline),
        },
    )
    return draw


def reveal(session: Session, actor: Principal, code: str, secret: str) -> Draw:
    """A party's secret, checked against its commitment; the last reveal draws at once."""
    draw = locked(session, code)
    if draw.state != REVEALING:
        raise DrawStateConflict("现在不是揭示随机数的阶段")
    party = _party_of(session, actor, draw)
    if party.revealed_at is not None:
        raise DrawStateConflict("您已揭示随机数")
    if clock.now() > draw.reveal_deadline:
        raise DrawStateConflict("揭示期限已过，将使用公布的默认值")
    secret = (secret or "").strip().lower()
    if not engine.HEX64.match(secret) or engine.commitment(draw.code, party.party, secret) != party.commitment:
        raise SecretMismatch()
    party.secret, party.revealed_at = secret, clock.now()
    session.flush()
    log(session, draw, "revealed", {"party": party.party, "secret": secret})
    everyone = all(p.revealed_at is not None for p in parties_of(session, draw))
    if everyone and (draw.beacon_source is None or draw.beacon_value is not None):
        finish(session, actor, code)
    return draw


def finish(session: Session, actor: Principal | None, code: str) -> Draw:
    """Defaults for parties that did not reveal in time, the seed, the order, the first calls; ``on_drawn``."""
    draw = locked(session, code)
    if draw.state != REVEALING:
        raise DrawStateConflict("抽取不在揭示阶段")
    if (
        actor is not None
        and not may_run(session, actor, draw)
        and not any(p.user_id == actor.user_id for p in parties_of(session, draw))
    ):
        raise Forbidden("只有交易中心工作人员或参与方可以完成抽取")
    parties = parties_of(session, draw)
    pending = [p for p in parties if p.revealed_at is None]
    if pending and clock.now() <= draw.reveal_deadline:
        raise RevealWindowOpen("尚未揭示：" + "、".join(p.label for p in pending))
    if draw.beacon_source is not None and draw.beacon_value is None:
        raise BeaconMissing(f"请先录入“{draw.beacon_source}”公布的值")
    for p in pending:
        p.secret, p.defaulted = engine.default_secret(draw.code, p.party), True
    pool = pooldata.of(session, draw)
    draw.seed = engine.seed(draw.list_hash, {p.party: p.secret for p in parties}, draw.beacon_value or "")
    if isinstance(pool, pooldata.PoolV2):  # v2: the order is computed only as far as the calls read it
        lazy = pool.order(draw.code, draw.seed)
        draw.call_order = json.dumps({"lazy": len(lazy)})
        first = engine.assign(lazy, groups_of(draw), lazy.groups)
        order_facts: dict[str, Any] = {"order_size": len(lazy)}
    else:
        order = engine.order_of_leaves(draw.seed, pool.eligible_leaves)
        draw.call_order = json.dumps(order)
        pooldata.remember_order(draw, order)
        first = engine.assign(order, groups_of(draw), pool.groups_by_leaf)
        order_facts = {"order_hash": engine.H(engine.jcs(order)), "order_size": len(order)}
    draw.state, draw.drawn_at = DRAWN, clock.now()
    session.flush()
    log(
        session,
        draw,
        "drawn",
        {
            "seed": draw.seed,
            **order_facts,
            "defaulted": sorted(p.party for p in pending),
            "beacon": draw.beacon_value or "",
            "calls": [{k: c[k] for k in ("leaf", "group", "kind", "position")} for c in first.as_dicts()],
        },
    )
    callback = getattr(purposes.find(draw.purpose), "on_drawn", None)
    if callback is not None:
        callback(session, draw)
    return draw


def due(session: Session) -> list[str]:
    """Codes of the draws whose reveal window has run out (and whose beacon, if any, has been entered)."""
    return list(
        session.scalars(
            select(Draw.code)
            .where(
                Draw.state == REVEALING,
                Draw.reveal_deadline < clock.now(),
                (Draw.beacon_source.is_(None)) | (Draw.beacon_value.is_not(None)),
            )
            .order_by(Draw.id)
            .limit(100)
        )
    )


def finish_due(session: Session) -> list[str]:
    """Tick: draw every draw whose reveal window has run out (parties that withheld get the default)."""
    codes = due(session)
    for code in codes:
        finish(session, None, code)
    return codes
