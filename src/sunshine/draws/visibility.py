"""Who sees what of a draw. A draw is a public act: its record (hashes, commitments, reveals, order, calls) is
public from the start and holds no ref and no name until the owner discloses it; the draw room shows its state
to everyone, and to a signed-in person also the steps that person may take there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core.auth import Principal
from sunshine.draws import service as draws
from sunshine.draws.models import Draw
from sunshine.draws.record import published_assignment, role_label
from sunshine.identity.roles import Role
from sunshine.ledger import format as ledger_format


@dataclass(frozen=True)
class Steps:
    """What ``principal`` may do in the room now (the service checks again when the step is taken)."""

    signed_in: bool
    may_sign_in: bool
    party: str | None  # the party key this person commits and reveals for
    party_label: str | None
    may_commit: bool
    may_reveal: bool
    may_start: bool
    may_finish: bool
    may_enter_beacon: bool


def steps(session: Session, principal: Principal, draw: Draw) -> Steps:
    open_ = draw.state in (draws.PREPARED, draws.REVEALING)
    attending = principal.is_authenticated and any(
        a.user_id == principal.user_id for a in draws.attendance(session, draw)
    )
    party = next(
        (p for p in draws.parties_of(session, draw) if p.user_id is not None and p.user_id == principal.user_id),
        None,
    )
    eligible_to_sign = principal.is_authenticated and (
        draws.witness_role(principal, draw) is not None or party is not None or principal.has(*draws.OBSERVER_ROLES)
    )
    runner = principal.is_authenticated and draws.may_run(session, principal, draw)
    return Steps(
        signed_in=attending,
        may_sign_in=open_ and not attending and eligible_to_sign,
        party=party.party if party else None,
        party_label=party.label if party else None,
        may_commit=bool(party and draw.state == draws.PREPARED and party.commitment is None),
        may_reveal=bool(party and draw.state == draws.REVEALING and party.revealed_at is None),
        may_start=runner and draw.state == draws.PREPARED,
        may_finish=bool((runner or party) and draw.state == draws.REVEALING),
        may_enter_beacon=bool(
            principal.has(Role.CENTRE_STAFF) and draw.beacon_source and draw.beacon_value is None and open_
        ),
    )


def room_state(session: Session, principal: Principal, draw: Draw) -> dict[str, Any]:
    """The live state of the room: no ref and no name of a candidate, ever."""
    parties = draws.parties_of(session, draw)
    present = draws.attendance(session, draw)
    order = published_assignment(session, draw) if draw.call_order else None
    me = steps(session, principal, draw)
    return {
        "code": draw.code,
        "title": draw.title,
        "state": draw.state,
        "state_label": draws.STATE_LABELS[draw.state],
        "scheduled_at": ledger_format.iso_utc(draw.scheduled_at),
        "reveal_deadline": ledger_format.iso_utc(draw.reveal_deadline) if draw.reveal_deadline else None,
        "list_hash": draw.list_hash,
        "pool_hash": draw.pool_hash,
        "witnesses": [
            {"role": w["role"], "label": w["label"], "present": any(a.role == w["role"] for a in present)}
            for w in draws.witnesses_of(draw)
        ],
        "attendance": [{"role_label": role_label(a.role), "name": a.display_name} for a in present],
        "parties": [
            {
                "party": p.party,
                "label": p.label,
                "committed": p.commitment is not None,
                "commitment": p.commitment,
                "revealed": p.revealed_at is not None,
                "defaulted": bool(p.defaulted),
            }
            for p in parties
        ],
        "beacon": {"source": draw.beacon_source or "", "value": draw.beacon_value or ""},
        "seed": draw.seed,
        "calls": order.as_dicts() if order else [],
        "vacant": order.vacant if order else {},
        "me": {
            "signed_in": me.signed_in,
            "may_sign_in": me.may_sign_in,
            "party": me.party,
            "may_commit": me.may_commit,
            "may_reveal": me.may_reveal,
            "may_start": me.may_start,
            "may_finish": me.may_finish,
            "may_enter_beacon": me.may_enter_beacon,
        },
    }


def disclosed(session: Session, *, limit: int = 50, offset: int = 0) -> tuple[list[Draw], int]:
    where = Draw.state == draws.DISCLOSED
    total = session.scalar(select(func.count()).select_from(Draw).where(where)) or 0
    rows = session.scalars(
        select(Draw).where(where).order_by(Draw.disclosed_at.desc(), Draw.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def group_labels(draw: Draw) -> dict[str, str]:
    return {g["code"]: g["label"] for g in draws.groups_of(draw)}


def call_kind_label(kind: str) -> str:
    return "正选" if kind == "seat" else "备选"
