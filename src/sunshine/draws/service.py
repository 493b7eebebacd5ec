"""The draw's steps: ``prepare`` (commit the list and the platform's commitment), the draw room (``sign_in``,
``commit``, ``enter_beacon``, ``start_reveal``, ``reveal``, ``finish``, tick ``finish_due``), and after the
draw ``seats``, ``record_outcome`` and ``disclose``. One ledger entry per step, subject ``draw:<code>``; no
payload holds a ref or a name before ``disclose``. Owners react through their purpose's callbacks. Never
commits.
"""

from __future__ import annotations

import json
import secrets as _secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound
from sunshine.core.formatting import local_time
from sunshine.draws import engine, purposes, reasons
from sunshine.draws.models import Draw, DrawAttendance, DrawCandidate, DrawOutcome, DrawParty
from sunshine.draws.types import (  # noqa: F401  (re-exported: the interface owners code against)
    BeaconMissing,
    Candidate,
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
from sunshine.identity.roles import Role
from sunshine.ledger import format as ledger_format
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules

PREPARED, REVEALING, DRAWN, DISCLOSED = "prepared", "revealing", "drawn", "disclosed"
CANCELLED = "cancelled"
STATE_LABELS = {
    PREPARED: "等待抽取",
    REVEALING: "正在揭示随机数",
    DRAWN: "已抽取",
    DISCLOSED: "结果已公开",
    CANCELLED: "已取消",
}
OUTCOME_LABELS = {"confirmed": "已确认参加", "declined": "已拒绝", "no_show": "未到场"}
CALL_STATE_LABELS = {
    "called": "已通知",
    "confirmed": "已确认",
    "declined": "已拒绝",
    "no_show": "未到场",
    "promoted": "已递补为正选",
}
OBSERVER = "observer"
OBSERVER_ROLES = (Role.SOCIAL_SUPERVISOR, Role.SUPERVISOR, Role.INDUSTRY_SUPERVISOR, Role.CENTRE_STAFF)
REVEAL_WINDOW_RULE = "draw_reveal_window"
SIGN_IN_RULE = "draw_party_sign_in_required"
DEFAULT_REVEAL_WINDOW = 600
MAX_CANDIDATES = 200_000


def subject(draw: Draw) -> str:
    return f"draw:{draw.code}"


def groups_of(draw: Draw) -> list[dict[str, Any]]:
    return json.loads(draw.groups)


def witnesses_of(draw: Draw) -> list[dict[str, Any]]:
    return json.loads(draw.witnesses)


def _log(session: Session, draw: Draw, action: str, payload: dict[str, Any]) -> None:
    ledger.append(session, f"draws:draw:{action}", subject(draw), {"draw": draw.code, **payload})
    ledger.sign_head(session)


def _centre_rule(session: Session, rule_id: str, fallback: int) -> int:
    pack = rules.resolve(session, "centre.service", clock.today_local())
    if pack is None or not pack.has(rule_id):
        return fallback
    return int(pack.rule(rule_id).value)


def get(session: Session, code: str) -> Draw:
    draw = session.scalar(select(Draw).where(Draw.code == code)) if isinstance(code, str) and len(code) <= 32 else None
    if draw is None:
        raise NotFound("抽取不存在")
    return draw


def _locked(session: Session, code: str) -> Draw:
    draw = get(session, code)
    session.refresh(draw, with_for_update=True)
    return draw


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
    candidates: Sequence[Candidate],
    parties: Sequence[PartySpec],
    witnesses: Sequence[WitnessSpec],
    scheduled_at: datetime,
    beacon_source: str | None = None,
) -> Draw:
    """Fix the list (pool and eligible leaves, their hashes) and the platform's commitment, in the ledger."""
    purposes.get(purpose)
    group_rows = _check_groups(groups)
    codes = {g["code"] for g in group_rows}
    if not title or len(title) > 300 or not owner or len(owner) > 120:
        raise InvalidInput("抽取的名称或所属事项不正确")
    if len(candidates) > MAX_CANDIDATES:
        raise InvalidInput("候选人过多")
    refs = [c.ref for c in candidates]
    if len(set(refs)) != len(refs) or any(not r or len(r) > 120 for r in refs):
        raise InvalidInput("候选人标识重复或不正确", field="candidates")
    for c in candidates:
        reasons.require(c.status)
        if not set(c.groups) <= codes or len(set(c.groups)) != len(c.groups):
            raise InvalidInput("候选人所属组别不在本次抽取的组别中", field="candidates")
        if c.status == engine.ELIGIBLE and not c.groups:
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
    order_of_groups = [g["code"] for g in group_rows]
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
        created_by=actor.user_id if actor else None,
        created_at=now,
    )
    session.add(draw)
    session.flush()
    rows, eligible = [], []
    for c in candidates:
        ordered = [g for g in order_of_groups if g in c.groups]
        salt = engine.new_secret()
        lf = engine.leaf(draw.code, c.ref, salt, ordered, c.status)
        row = {"draw_id": draw.id, "leaf": lf, "ref": c.ref, "salt": salt, "groups": json.dumps(ordered)}
        rows.append({**row, "status": c.status})
        if c.status == engine.ELIGIBLE:
            eligible.append((lf, ordered))
    if rows:  # one executemany, not one ORM object per pool member (pools run to 100,000)
        session.execute(insert(DrawCandidate), rows)
    draw.pool_hash = engine.pool_hash([r["leaf"] for r in rows])
    draw.list_hash = engine.list_hash(draw.code, group_rows, engine.eligible_list(eligible), draw.pool_hash)
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
    _log(
        session,
        draw,
        "prepared",
        {
            "purpose": purpose,
            "groups": engine.public_groups(group_rows),
            "pool_size": len(rows),
            "eligible_count": len(eligible),
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


def parties_of(session: Session, draw: Draw) -> list[DrawParty]:
    return list(session.scalars(select(DrawParty).where(DrawParty.draw_id == draw.id).order_by(DrawParty.id)))


def attendance(session: Session, draw: Draw) -> list[DrawAttendance]:
    return list(
        session.scalars(select(DrawAttendance).where(DrawAttendance.draw_id == draw.id).order_by(DrawAttendance.id))
    )


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
    draw = _locked(session, code)
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
    _log(session, draw, "signed_in", {"role": role})
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
    if _centre_rule(session, SIGN_IN_RULE, 1) and not _signed_in(session, draw, actor.user_id):
        raise NotSignedIn()
    return party


def commit(session: Session, actor: Principal, code: str, commitment: str) -> DrawParty:
    """An independent party's commitment to the secret its browser generated and keeps."""
    draw = _locked(session, code)
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
    _log(session, draw, "committed", {"party": party.party, "commitments": {party.party: commitment}})
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
    draw = _locked(session, code)
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
    _log(session, draw, "beacon", {"beacon_source": draw.beacon_source, "beacon": value})
    return draw


def missing_witnesses(session: Session, draw: Draw) -> list[dict[str, Any]]:
    present = {a.role for a in attendance(session, draw)}
    return [w for w in witnesses_of(draw) if w["role"] not in present]


def start_reveal(session: Session, actor: Principal, code: str) -> Draw:
    """Start the draw: every witness signed in, every party committed; the platform reveals first."""
    draw = _locked(session, code)
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
    draw.reveal_deadline = now + timedelta(seconds=_centre_rule(session, REVEAL_WINDOW_RULE, DEFAULT_REVEAL_WINDOW))
    session.flush()
    _log(
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
    draw = _locked(session, code)
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
    _log(session, draw, "revealed", {"party": party.party, "secret": secret})
    everyone = all(p.revealed_at is not None for p in parties_of(session, draw))
    if everyone and (draw.beacon_source is None or draw.beacon_value is not None):
        finish(session, actor, code)
    return draw


def eligible_of(session: Session, draw: Draw) -> list[dict[str, Any]]:
    rows = session.execute(
        select(DrawCandidate.leaf, DrawCandidate.groups).where(
            DrawCandidate.draw_id == draw.id, DrawCandidate.status == engine.ELIGIBLE
        )
    )
    return engine.eligible_list((lf, json.loads(gs)) for lf, gs in rows)


def finish(session: Session, actor: Principal | None, code: str) -> Draw:
    """Defaults for parties that did not reveal in time, the seed, the order, the first calls; ``on_drawn``."""
    draw = _locked(session, code)
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
    eligible = eligible_of(session, draw)
    draw.seed = engine.seed(draw.list_hash, {p.party: p.secret for p in parties}, draw.beacon_value or "")
    order = engine.order(draw.seed, eligible)
    draw.call_order = json.dumps(order)
    draw.state, draw.drawn_at = DRAWN, clock.now()
    session.flush()
    first = engine.assign(order, groups_of(draw), {e["leaf"]: e["groups"] for e in eligible})
    _log(
        session,
        draw,
        "drawn",
        {
            "seed": draw.seed,
            "order_hash": engine.H(engine.jcs(order)),
            "order_size": len(order),
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


def outcomes_of(session: Session, draw: Draw) -> list[DrawOutcome]:
    return list(session.scalars(select(DrawOutcome).where(DrawOutcome.draw_id == draw.id).order_by(DrawOutcome.id)))


def assignment(session: Session, draw: Draw) -> engine.Assignment:
    if draw.call_order is None:
        return engine.Assignment()
    eligible = eligible_of(session, draw)
    outcomes = [{"leaf": o.leaf, "outcome": o.outcome} for o in outcomes_of(session, draw)]
    return engine.assign(
        json.loads(draw.call_order), groups_of(draw), {e["leaf"]: e["groups"] for e in eligible}, outcomes
    )


def _seats(session: Session, draw: Draw, calls: Sequence[engine.Call]) -> list[Seat]:
    leaves = {c.leaf for c in calls}
    refs = (
        dict(
            session.execute(
                select(DrawCandidate.leaf, DrawCandidate.ref).where(
                    DrawCandidate.draw_id == draw.id, DrawCandidate.leaf.in_(leaves)
                )
            ).all()
        )
        if leaves
        else {}
    )
    return [Seat(c.leaf, refs[c.leaf], c.group, c.position, c.state, c.kind, c.replaces) for c in calls]


def seats(session: Session, draw: Draw) -> list[Seat]:
    """Every call so far (seats, reserves, replacements) with the candidate's ref — server-side only."""
    return _seats(session, draw, assignment(session, draw).calls)


def record_outcome(
    session: Session, actor: Principal | None, code: str, leaf: str, outcome: str, reason: str
) -> list[Seat]:
    """A called candidate confirmed, declined or did not show; returns the replacements it called."""
    draw = _locked(session, code)
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
    _log(
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
    draw = _locked(session, code)
    if draw.state == DISCLOSED:
        return draw
    if draw.state != DRAWN:
        raise DrawStateConflict("抽取尚未完成，不能公开")
    rows = session.execute(
        select(DrawCandidate.leaf, DrawCandidate.ref, DrawCandidate.salt, DrawCandidate.status).where(
            DrawCandidate.draw_id == draw.id
        )
    ).all()
    draw.state, draw.disclosed_at = DISCLOSED, clock.now()
    session.flush()
    digest = engine.H(engine.jcs(sorted([r.leaf, r.ref, r.salt, r.status] for r in rows)))
    _log(session, draw, "disclosed", {"candidates": len(rows), "candidates_hash": digest})
    return draw


def cancel(session: Session, code: str, reason: str) -> Draw:
    """The owner ends a draw still in the room (its project was terminated or failed before the order was fixed):
    no seed is computed and nothing is drawn; the commitments already in the ledger stay there, and the entry says
    why the draw stopped. A draw already drawn cannot be cancelled — its order stands and is disclosed."""
    draw = _locked(session, code)
    if draw.state == CANCELLED:
        return draw
    if draw.state not in (PREPARED, REVEALING):
        raise DrawStateConflict(f"抽取{STATE_LABELS[draw.state]}，不能取消")
    draw.state = CANCELLED
    session.flush()
    _log(session, draw, "cancelled", {"reason": reason})
    return draw
