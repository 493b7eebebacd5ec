"""The opening session (开标), in the room and remotely (不见面开标), up to the end of decryption.

At the bid deadline the opening starts by the server clock (the tick, or centre staff pressing
“开标”): a section with fewer bids than the rule pack's minimum is not opened (《招标投标法实施条例》
第四十四条). When an opening is due is stated once here (``due_condition`` for the tick's query,
``is_due`` for one project, built beside it), so the room and the tick never disagree. Each bidder
reveals its content key within the decryption window of the rule pack (《电子招标投标办法》第三十条);
the server checks the key against the commitment on the receipt, decrypts, checks the package and
records the result. A bid not decrypted in time is, by 《电子招标投标办法》第三十一条, revoked when the
bidder is at fault and treated as withdrawn when the platform or another party is (staff record that
finding with a reason); the others open regardless. Sections left with fewer valid bids than the minimum
fail (流标). What the room shows a visitor is decided in ``room``. Objections and the confirmation of the
record are in ``opening_confirmation``, the record itself in ``opening_record``. Never commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, hooks, watching
from sunshine.bidding.models import Bid, OpeningSession
from sunshine.bidding.opening_record import (
    UNDECRYPTED_BASIS,
    build_record,
    confirmations_of,
    failed_sections,
    record_step,
    set_failed_sections,
)
from sunshine.bidding.service import sealed_bids
from sunshine.bidding.visibility import may_read
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.rules.service import rules_of
from sunshine.trading import lifecycle, visibility
from sunshine.trading import service as trading
from sunshine.trading.lifecycle import SEALED_LIFECYCLES
from sunshine.trading.models import Project, Section


class OpeningHeld(Conflict):
    code = "opening_held"
    title = "尚不能开标"


class DecryptionClosed(Conflict):
    code = "decryption_closed"
    title = "解密时间已结束"


class DecryptionPaused(Conflict):
    code = "decryption_paused"
    title = "解密已暂停"


class KeyMismatch(InvalidInput):
    code = "bid_key_mismatch"
    title = "解密密钥不正确"


# --------------------------------------------------------------------------- rules of the project


def min_bids(project: Project) -> tuple[int, str] | None:
    pack = rules_of(project)
    if not pack.has("min_bids"):
        return None
    rule = pack.rule("min_bids")
    return int(rule.value), rule.basis_text


def decryption_window(project: Project) -> tuple[timedelta, str]:
    rule = rules_of(project).rule("decryption_window")
    hours = rule.value if rule.unit == "hours" else rule.value * 24
    return timedelta(hours=float(hours)), rule.basis_text


# --------------------------------------------------------------------------- reading


def session_of(session: Session, project_id: int) -> OpeningSession | None:
    return session.scalar(select(OpeningSession).where(OpeningSession.project_id == project_id))


def session_or_404(session: Session, project_id: int) -> OpeningSession:
    found = session_of(session, project_id)
    if found is None:
        raise NotFound("该项目尚未开标")
    return found


# --------------------------------------------------------------------------- starting


def _minimum_reason(project: Project, count: int, what: str) -> str | None:
    minimum = min_bids(project)
    if minimum is None or count >= minimum[0]:
        return None
    return f"{what}{count}个，少于{minimum[0]}个（{minimum[1]}）"


def start(session: Session, actor: Principal, project: Project) -> OpeningSession:
    """开标: at the deadline, by the server clock. Sections short of bids are not opened."""
    if project.lifecycle not in SEALED_LIFECYCLES:
        raise lifecycle.IllegalStep("该交易方式不开启加密投标文件")
    if project.state == "notice_published":  # the tick has not run yet: close bidding first, by the same clock
        lifecycle.apply(session, project, "close_bidding", actor)
    lifecycle.check(project, "open_bids", actor)
    if session_of(session, project.id) is not None:
        raise Conflict("该项目已经开标")
    if hooks.held(session, project):
        raise OpeningHeld("该项目的开标暂缓（如邀请招标资格预审后尚未发出投标邀请书），不能开标")
    sections = session.scalars(select(Section).where(Section.project_id == project.id).order_by(Section.number)).all()
    bids = sealed_bids(session, project.id)
    failed: dict[int, str] = {}
    for section in sections:
        count = sum(1 for b in bids if b.section_id == section.id)
        reason = _minimum_reason(project, count, "递交投标文件的投标人")
        if reason:
            failed[section.id] = reason + "，不予开标"
    window, _ = decryption_window(project)
    now = clock.now()
    opening = OpeningSession(
        project_id=project.id,
        status="decrypting",
        started_at=now,
        decryption_ends_at=now + window,
    )
    set_failed_sections(opening, failed)
    session.add(opening)
    for bid in bids:
        bid.decryption = None if bid.section_id in failed else "pending"
    counts = {str(s.number): sum(1 for b in bids if b.section_id == s.id) for s in sections}
    if len(failed) == len(sections):
        opening.status = "failed"
        opening.decryption_closed_at = now
        session.flush()
        project.failed_attempts += 1
        reason = "；".join(failed.values())
        record_step(session, project, opening, "fail", actor, reason=reason, payload={"bids_per_section": counts})
        return opening
    lifecycle.apply(
        session,
        project,
        "open_bids",
        actor,
        payload={
            "bids_per_section": {str(k): v for k, v in counts.items()},
            "decryption_ends_at": fmt.iso_utc(now + window),
        },
    )
    session.flush()
    return opening


# An opening is due (开标时间已到) when a sealed-bid project whose notice has run is past its bid deadline by
# the server clock and has no opening session yet. Stated once, in both forms side by side: the SQL
# condition the tick selects with, and the predicate for one project the room asks.
OPENABLE_STATES = ("notice_published", "bid_closed")


def due_condition(now: datetime) -> ColumnElement[bool]:
    """The SQL form of “the opening is due at ``now``”, over ``Project``."""
    return and_(
        Project.lifecycle.in_(SEALED_LIFECYCLES),
        Project.state.in_(OPENABLE_STATES),
        Project.bid_deadline <= now,
        ~select(OpeningSession.id).where(OpeningSession.project_id == Project.id).exists(),
        ~hooks.held_condition(),
    )


def is_due(project: Project, opening: OpeningSession | None, now: datetime, *, held: bool = False) -> bool:
    """The same condition for one project already loaded with its opening session (or None) and whether a
    domain holds it (``hooks.held``)."""
    return (
        not held
        and project.lifecycle in SEALED_LIFECYCLES
        and project.state in OPENABLE_STATES
        and project.bid_deadline is not None
        and project.bid_deadline <= now
        and opening is None
    )


def due_for_opening(session: Session) -> list[int]:
    """Sealed-bid projects past their deadline and not yet opened (the tick opens each in its own unit of
    work, so that one project's trouble never holds up the others' openings)."""
    return list(session.scalars(select(Project.id).where(due_condition(clock.now())).order_by(Project.bid_deadline)))


def start_due(session: Session, project_id: int) -> str | None:
    """The tick's part for one project: open it if it is still due (another process may have opened it)."""
    project = session.get(Project, project_id)
    if project is None or project_id not in due_for_opening(session):
        return None
    start(session, trading.SYSTEM, project)
    return project.code


def start_by_staff(session: Session, actor: Principal, project_id: int) -> OpeningSession:
    project = visibility.get_visible(session, actor, project_id)
    return start(session, actor, project)


# --------------------------------------------------------------------------- decryption


def _project_of(session: Session, bid: Bid) -> Project:
    project = session.get(Project, bid.project_id)
    assert project is not None
    return project


@dataclass(frozen=True)
class Reveal:
    """One bidder's content key for one of its bids, as a reveal request hands it over."""

    actor: Principal
    bid_no: str
    key_text: str


# What refuses one reveal of a batch without touching the others (a fault of the platform stops the batch).
_REFUSALS = (NotFound, Conflict, InvalidInput)


def reveal(session: Session, actor: Principal, bid_no: str, key_text: str) -> Bid:
    """解密: the bidder hands over its content key; the server checks it, decrypts and records the bid."""
    (outcome,) = reveal_many(session, [Reveal(actor, bid_no, key_text)])
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def reveal_many(session: Session, reveals: Sequence[Reveal]) -> list[Bid | Exception]:
    """解密 of several bids in one unit of work, each checked exactly as alone; what each came to, in order: the
    decrypted bid, or the error refusing it (nothing of a refused reveal is written, except the note saying why
    a sealed file opened by the right key is not a valid bid). The bids, their organisations and sections are
    read in one query each; the decrypted documents are stored with one flush of the file store for the batch
    (``FileStore.batch``, docs/durability.md), before the commit naming them; the ``bidding:bid:decrypted``
    entries are appended in one ledger batch. A project left with no pending bid closes its decryption."""
    wanted = {r.bid_no for r in reveals if isinstance(r.bid_no, str)}
    bids = {b.bid_no: b for b in session.scalars(select(Bid).where(Bid.bid_no.in_(wanted)))} if wanted else {}
    # kept referenced: the identity map holds them weakly, and ``session.get`` then answers without a query
    loaded = [
        *session.scalars(select(Organisation).where(Organisation.id.in_({b.organisation_id for b in bids.values()}))),
        *session.scalars(select(Section).where(Section.id.in_({b.section_id for b in bids.values()}))),
    ]
    projects: dict[int, tuple[Project, OpeningSession | None]] = {}
    entries: list[tuple[str, str, dict[str, Any]]] = []
    outcomes: list[Bid | Exception] = []
    decrypted: dict[int, Project] = {}
    store = file_store()
    with store.batch() as put:
        for r in reveals:
            try:
                bid = bids.get(r.bid_no)
                if bid is None or not may_read(r.actor, bid):
                    raise NotFound("投标文件不存在")
                if bid.project_id not in projects:
                    project = _project_of(session, bid)
                    projects[bid.project_id] = (project, session_of(session, project.id))
                project, opening = projects[bid.project_id]
                newly = bid.decryption != "decrypted"
                outcomes.append(_open_bid(session, bid, project, opening, r.key_text, store.open, put, entries))
                if newly:
                    decrypted[project.id] = project
            except _REFUSALS as exc:
                outcomes.append(exc)
    del loaded
    ledger.append_many(session, entries)
    session.flush()
    for project in decrypted.values():
        if not _any_pending(session, project.id):
            close_decryption(session, trading.SYSTEM, project, by_clock=False)
    return outcomes


def _open_bid(
    session: Session,
    bid: Bid,
    project: Project,
    opening: OpeningSession | None,
    key_text: str,
    read: Callable[[str], bytes],
    put: Callable[[bytes], str],
    entries: list[tuple[str, str, dict[str, Any]]],
) -> Bid:
    """Check one revealed key, decrypt its bid (``read`` from the file store), store the documents with ``put`` and
    the form on the bid, and add
    its ledger entry to ``entries``; refused with the reveal's error."""
    from sunshine.bidding.service import binding_for

    if opening is None or bid.decryption is None:
        if bid.status != "sealed":
            raise Conflict("该版本的投标文件已被替换或撤回，无需解密")
        raise Conflict("开标尚未开始（或该标段未开标），不能解密")
    if bid.decryption == "decrypted":
        return bid
    if project.state == "suspended":
        raise DecryptionPaused("项目已暂停，解密随之暂停；恢复后在顺延的解密时间内继续解密")
    if opening.status != "decrypting" or clock.now() >= opening.decryption_ends_at or bid.decryption != "pending":
        raise DecryptionClosed("解密时间已结束，不能再解密（《电子招标投标办法》第三十一条）")
    try:
        key = envelope.key_from_text(key_text)
    except envelope.EnvelopeError as exc:
        raise KeyMismatch(str(exc), field="key") from None
    if envelope.key_commitment(key) != bid.key_commitment:
        raise KeyMismatch("该密钥与递交投标文件时承诺的密钥不一致，请使用加密时保存的密钥", field="key")
    sealed = read(bid.ciphertext_sha256)  # checks the bytes against their SHA-256
    org = session.get(Organisation, bid.organisation_id)
    section = session.get(Section, bid.section_id)
    try:
        plaintext = envelope.open_sealed(sealed, key, binding_for(session, section, project, org))
        package = envelope.parse_package(plaintext)
    except envelope.EnvelopeError as exc:
        # the key matches the commitment, so the sealed file itself is at fault: the bidder's own doing
        bid.decryption_note = str(exc)
        raise KeyMismatch(f"投标文件无法解密或内容不符合格式：{exc}", field="key") from None
    documents = [
        {
            "name": document.name,
            "content_type": document.content_type,
            "size": len(document.data),
            "sha256": put(document.data),
        }
        for document in package.documents
    ]
    bid.decryption = "decrypted"
    bid.revealed_at = clock.now()
    bid.price = package.form.price
    bid.duration_days = package.form.duration_days
    bid.form_json = json.dumps(package.form.as_dict(), ensure_ascii=False)
    bid.documents_json = json.dumps(documents, ensure_ascii=False)
    entries.append(
        (
            "bidding:bid:decrypted",
            f"bid:{bid.bid_no}",
            {
                "ciphertext_sha256": bid.ciphertext_sha256,
                "plaintext_sha256": hashlib.sha256(plaintext).hexdigest(),
                "price": f"{package.form.price:.2f}",
                "duration_days": package.form.duration_days,
            },
        )
    )
    return bid


def _pending(session: Session, project_id: int) -> list[Bid]:
    return list(session.scalars(select(Bid).where(Bid.project_id == project_id, Bid.decryption == "pending")))


def _any_pending(session: Session, project_id: int) -> bool:
    # asked after every reveal: loading the pending rows themselves made an opening quadratic in its bids
    found = select(Bid.id).where(Bid.project_id == project_id, Bid.decryption == "pending").limit(1)
    return session.scalar(found) is not None


def record_platform_fault(session: Session, actor: Principal, bid_no: str, reason: str) -> Bid:
    """The centre finds that a bid could not be decrypted through no fault of its bidder (platform outage,
    CA failure ...): if it stays undecrypted it counts as withdrawn, not revoked (第三十一条)."""
    bid = session.scalar(select(Bid).where(Bid.bid_no == bid_no))
    if bid is None:
        raise NotFound("投标文件不存在")
    if not (reason and reason.strip()):
        raise InvalidInput("请说明非投标人原因的事实（如平台故障时段、CA 证书服务中断）", field="reason")
    if bid.decryption != "pending":
        raise Conflict("只能对待解密的投标文件作出认定")
    bid.platform_fault = reason.strip()[:500]
    ledger.append(session, "bidding:bid:platform-fault", f"bid:{bid.bid_no}", {"reason": bid.platform_fault})
    return bid


def close_decryption(session: Session, actor: Principal, project: Project, *, by_clock: bool = True) -> OpeningSession:
    """End of decryption: undecrypted bids are settled by 第三十一条; sections short of valid bids fail."""
    opening = session_or_404(session, project.id)
    if opening.status != "decrypting":
        raise Conflict("解密已经结束")
    pending = _pending(session, project.id)
    if pending and by_clock and clock.now() < opening.decryption_ends_at:
        raise DecryptionClosed("解密时限尚未届满，且仍有投标文件待解密；届满后由系统结束解密")
    now = clock.now()
    for bid in pending:
        bid.decryption = "void" if bid.platform_fault else "revoked"
        bid.decryption_note = UNDECRYPTED_BASIS
        ledger.append(session, "bidding:bid:undecrypted", f"bid:{bid.bid_no}", {"outcome": bid.decryption})
    failed = failed_sections(opening)
    bids = sealed_bids(session, project.id)
    for section in session.scalars(select(Section).where(Section.project_id == project.id)):
        if section.id in failed:
            continue
        valid = sum(1 for b in bids if b.section_id == section.id and b.decryption == "decrypted")
        reason = _minimum_reason(project, valid, "成功解密的有效投标文件")
        if reason:
            failed[section.id] = reason + "，流标"
    set_failed_sections(opening, failed)
    opening.status = "recording"
    opening.decryption_closed_at = now
    ledger.append(
        session,
        "bidding:opening:decryption-closed",
        f"project:{project.code}",
        {"failed_sections": len(failed), "undecrypted": len(pending)},
    )
    session.flush()
    hooks.decryption_closed(session, project)
    return opening


def due_for_closing(session: Session) -> list[int]:
    """Opening sessions whose decryption window has run out; a suspended project's window waits for it."""
    return list(
        session.scalars(
            select(OpeningSession.project_id)
            .join(Project, Project.id == OpeningSession.project_id)
            .where(
                OpeningSession.status == "decrypting",
                OpeningSession.decryption_ends_at <= clock.now(),
                Project.state != "suspended",
            )
        )
    )


def restart_decryption(
    session: Session, project: Project, *, since: datetime, minimum: timedelta, reason: str
) -> tuple[datetime, datetime] | None:
    """Decryption interrupted at ``since`` (a platform incident) restarts now with the time it had left then, and
    at least ``minimum``; the interruption is kept with the opening record. Returns (old end, new end), or None
    when no window was running at ``since``."""
    opening = session_of(session, project.id)
    if opening is None or opening.status != "decrypting":
        return None
    now = clock.now()
    before = opening.decryption_ends_at
    after = trading.restarted_end(before, since, now, minimum)
    if after is None:
        return None
    opening.decryption_ends_at = after
    interruptions = json.loads(opening.interruptions or "[]")
    interruptions.append(
        {"reason": reason, "from": fmt.iso_utc(since), "to": fmt.iso_utc(now), "decryption_ends_at": fmt.iso_utc(after)}
    )
    opening.interruptions = json.dumps(interruptions, ensure_ascii=False)
    ledger.append(
        session,
        "bidding:opening:decryption-restarted",
        f"project:{project.code}",
        {
            "reason": reason,
            "interrupted_at": fmt.iso_utc(since),
            "before": fmt.iso_utc(before),
            "after": fmt.iso_utc(after),
        },
    )
    session.flush()
    return before, after


def settle_cut_short(session: Session, project: Project, *, since: datetime, finding: str) -> list[str]:
    """A decryption window that ran out after the platform failed at ``since`` (the failure declared afterwards):
    the bids it left undecrypted were not decrypted through no fault of their bidders, so they count as withdrawn,
    not revoked (《电子招标投标办法》第三十一条). The finding is kept on each bid and the interruption on the
    record, while the record is still to be confirmed. Returns the bid numbers settled again."""
    opening = session_of(session, project.id)
    if (
        opening is None
        or opening.status != "recording"
        or opening.decryption_closed_at is None
        or opening.decryption_closed_at < since
    ):
        return []
    settled = []
    for bid in session.scalars(
        select(Bid).where(Bid.project_id == project.id, Bid.decryption == "revoked").order_by(Bid.id)
    ):
        bid.decryption, bid.platform_fault = "void", finding[:500]
        ledger.append(
            session,
            "bidding:bid:platform-fault",
            f"bid:{bid.bid_no}",
            {"reason": bid.platform_fault, "outcome": "void"},
        )
        settled.append(bid.bid_no)
    interruptions = json.loads(opening.interruptions or "[]")
    interruptions.append(
        {
            "reason": finding,
            "from": fmt.iso_utc(since),
            "to": None,
            "decryption_ends_at": fmt.iso_utc(opening.decryption_closed_at),
            "withdrawn": settled,
        }
    )
    opening.interruptions = json.dumps(interruptions, ensure_ascii=False)
    session.flush()
    return settled


def close_due_decryption(session: Session, project_id: int) -> str | None:
    """The tick's part for one project: close its decryption if the window has run out."""
    if project_id not in due_for_closing(session):
        return None
    project = session.get(Project, project_id)
    close_decryption(session, trading.SYSTEM, project)
    return project.code


# --------------------------------------------------------------------------- the room


@dataclass(frozen=True)
class Room:
    """What the opening room shows a visitor: the record as it forms, and what this visitor may do."""

    project: Project
    opening: OpeningSession | None
    record: dict[str, Any] | None
    my_bids: list[Bid]
    can_confirm: bool
    can_answer: bool
    can_object: bool
    can_close: bool
    confirmed_by_me: bool
    due: bool = False  # the opening is due by the server clock (``is_due``) and has not started
    can_start: bool = False  # centre staff, and the opening is due
    faults: dict[str, str] = field(default_factory=dict)  # bid number → the centre's platform-fault finding
    panels: list[hooks.RoomPanel] = field(default_factory=list)  # blocks other domains add for the officials
    observer_seat: str | None = None  # the visitor's observer seat here, by its capacity's label (``watching``)
    observers: int = 0  # observer seats at this opening (social supervisors watching remotely)


def room(session: Session, actor: Principal, project_id: int) -> Room:
    project = visibility.get_visible(session, actor, project_id)
    opening = session_of(session, project.id)
    record = build_record(session, project, opening) if opening is not None else None
    from sunshine.bidding.service import mine

    my_bids = [b for b in mine(session, actor, project.id) if b.status == "sealed"]
    is_party = visibility.is_party(actor, project)
    live = opening is not None and opening.status in ("decrypting", "recording")
    confirmed = (
        opening is not None
        and actor.user_id is not None
        and any(c.user_id == actor.user_id for c in confirmations_of(session, opening))
    )
    official = is_party or bool(actor.roles & {Role.CENTRE_STAFF, Role.SUPERVISOR})
    due = is_due(project, opening, clock.now(), held=opening is None and hooks.held(session, project))
    faults = (
        {b.bid_no: b.platform_fault for b in sealed_bids(session, project.id) if b.platform_fault}
        if opening is not None
        else {}
    )
    return Room(
        project=project,
        opening=opening,
        record=record,
        my_bids=my_bids,
        can_confirm=bool(opening and opening.status == "recording" and official and not confirmed),
        can_answer=live and is_party,
        can_object=live and bool(my_bids) and Role.BIDDER in actor.roles,
        can_close=bool(opening and opening.status == "decrypting" and Role.CENTRE_STAFF in actor.roles),
        confirmed_by_me=confirmed,
        due=due,
        can_start=due and Role.CENTRE_STAFF in actor.roles,
        faults=faults,
        panels=hooks.panels(session, actor, project) if opening is not None else [],
        observer_seat=watching.seat_label(session, actor, project.id),
        observers=watching.seated(session, project.id),
    )
