"""Submitting, replacing and withdrawing sealed bids before the deadline, and reading one's own.

The server never sees a bid's content before opening: it checks the envelope's header, stores the
ciphertext in the file store under its SHA-256, records the submission in the ledger (under the bid's
own number, so the public log shows neither the bidder nor how many bid on a project — 《招标投标法》
第二十二条) and returns a receipt signed by the platform. The server clock alone decides whether the
deadline has passed, at the moment the submission completes. A retry with the same idempotency key
returns the first receipt and never creates a second bid. Never commits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.bidding import envelope, receipts, visibility
from sunshine.bidding.models import Bid
from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.formatting import local_time
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.credit import service as credit
from sunshine.identity.models import Organisation, User
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.ledger.signing import platform_key
from sunshine.rules import service as rules
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey
from sunshine.trading import participation
from sunshine.trading.lifecycle import SEALED_LIFECYCLES
from sunshine.trading.models import Project, Registration, Section

# Lifecycles whose bids or responses are sealed electronic files opened together at the deadline.
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
COMMITMENT = re.compile(r"^[0-9a-f]{64}$")
STATUS_LABELS = {"sealed": "已递交（有效）", "replaced": "已被新版本替换", "withdrawn": "已撤回"}


class BidDeadlinePassed(Conflict):
    code = "bid_deadline_passed"
    title = "投标截止时间已过"


class BiddingNotOpen(Conflict):
    code = "bidding_not_open"
    title = "项目当前不接受投标"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    title = "同一幂等键已用于另一份投标文件"


class NotEligible(Conflict):
    code = "not_eligible_to_bid"
    title = "不具备投标资格"


class SignatureRequired(Conflict):
    code = "bid_signature_required"
    title = "投标文件须经电子签名"


SIGNATURE_RULE = "bid_signature_required"


def signature_required(session: Session) -> tuple[bool, str]:
    """Whether a sealed bid must carry a signature (rule ``bid_signature_required`` of ``centre.service``)."""
    pack = rules.resolve(session, "centre.service", clock.today_local())
    if pack is None or not pack.has(SIGNATURE_RULE):
        return False, ""
    rule = pack.rule(SIGNATURE_RULE)
    return bool(rule.value), rule.basis_text


def _signature_bytes(text: str) -> bytes:
    try:
        raw = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 64:
        raise InvalidInput("电子签名应为 64 字节的 Base64 编码", field="signature")
    return raw


def check_signature(
    session: Session,
    org: Organisation,
    sealed: bytes,
    aad: bytes,
    key_commitment: str,
    signing_key_id: int | None,
    signature: str | None,
) -> SigningKey | None:
    """The signer's key that signed this sealed bid, None for an unsigned bid where the rule allows it, or the
    refusal (``signature_invalid``, ``signing_key_*``, ``bid_signature_required``)."""
    if signing_key_id is None and not signature:
        required, basis = signature_required(session)
        if required:
            raise SignatureRequired(f"本平台要求投标文件由本单位签章人以已确认的签名密钥签名（{basis}）")
        return None
    if signing_key_id is None or not signature:
        raise InvalidInput("电子签名须同时提供签名密钥编号和签名值", field="signature")
    return signing.verify_signature(
        session,
        key_id=signing_key_id,
        message=envelope.signed_message(sealed, aad, key_commitment),
        signature=_signature_bytes(signature),
        organisation_id=org.id,
    )


def _deadline_text(project: Project) -> str:
    return local_time(project.bid_deadline) if project.bid_deadline else "未定"


def check_open_for_bids(project: Project) -> None:
    """Bids are taken only while the notice runs and the server clock is before the deadline."""
    if project.lifecycle not in SEALED_LIFECYCLES:
        raise BiddingNotOpen("该交易方式不采用加密电子投标文件（挂牌、拍卖请到竞价室出价）")
    if project.bid_deadline is not None and clock.now() >= project.bid_deadline:
        raise BidDeadlinePassed(
            f"投标截止时间（{_deadline_text(project)}）已过，以服务器时间为准，投标文件不予接收"
            "（《招标投标法》第二十八条：在截止时间后送达的投标文件，招标人应当拒收）",
            deadline=fmt.iso_utc(project.bid_deadline),
            server_time=fmt.iso_utc(clock.now()),
        )
    if project.state != "notice_published" or project.bid_deadline is None:
        raise BiddingNotOpen("项目当前不在投标期间（可能尚未发布公告、已暂停或已终止）")


def bid_section(session: Session, section_id: int) -> tuple[Section, Project]:
    section = session.get(Section, section_id)
    project = session.get(Project, section.project_id) if section is not None else None
    if section is None or project is None or project.public_since is None:
        raise NotFound("标段不存在")
    return section, project


def _registration(session: Session, actor: Principal, section: Section) -> Registration:
    registration = session.scalar(
        select(Registration).where(
            Registration.section_id == section.id,
            Registration.organisation_id == actor.organisation_id,
            Registration.withdrawn_at.is_(None),
        )
    )
    if registration is None:
        raise NotEligible("贵单位未报名该标段（或已撤回报名），不能递交投标文件")
    if registration.docs_obtained_at is None:
        raise NotEligible("贵单位尚未获取招标文件，不能递交投标文件")
    if participation.failed_prequalification(session, registration):
        raise NotEligible("贵单位未通过资格预审，不能递交投标文件")
    participation.check_participation(session, session.get(Project, section.project_id), registration)
    return registration


def bidder_org(session: Session, actor: Principal) -> Organisation:
    org = session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    if org is None:
        raise Forbidden("投标须以投标单位的账号办理")
    return org


def _lock_bidder(session: Session, org: Organisation) -> None:
    """One submission per bidder at a time, held to the end of the transaction.

    On PostgreSQL (READ COMMITTED) two submissions of one bidder would otherwise both read "no bid with
    this idempotency key" and "no sealed version": a retry racing its original failed on the unique key
    instead of returning the first receipt, and two versions racing each other both stayed sealed. The
    waiting one now reads what the first committed. FOR NO KEY UPDATE does not block the foreign-key
    checks of rows that merely refer to the organisation. SQLite serialises writers already (BEGIN
    IMMEDIATE); there this is a plain SELECT."""
    session.execute(select(Organisation.id).where(Organisation.id == org.id).with_for_update(key_share=True))


def binding_for(session: Session, section: Section, project: Project, org: Organisation) -> bytes:
    return envelope.binding(project.code, section.number, org.credit_code)


@dataclass(frozen=True)
class Origin:
    """Where a sealed bid came from, for electronic monitoring (电子监察): the client's IP address as the server
    saw it, and the hardware identifiers the bidder's client reported in ``Sunshine-Device``
    (``mac=<h>,<h>;machine=<h>;browser=<h>``). Only keyed hashes are kept: every value (the clients send SHA-256
    hashes already; a value in the clear is accepted too) is hashed again here with HMAC-SHA-256 under the platform's
    secret (``device_hash_key``), so no MAC address, machine id or browser fingerprint is stored in the clear, and a
    stored hash cannot be matched against a list of known identifiers without the secret. A malformed
    header is ignored rather than refusing the bid: it is a monitoring aid, not a condition of bidding."""

    client_ip: str | None = None
    device: str = ""

    def device_json(self) -> str | None:
        out: dict[str, Any] = {}
        for part in (self.device or "").split(";")[:3]:
            name, _, values = part.partition("=")
            name = name.strip().lower()
            if name not in ("mac", "machine", "browser"):
                continue
            hashes = [_device_hash(v) for v in values.split(",")[:16] if v.strip()]
            if hashes:
                out[name] = hashes if name == "mac" else hashes[0]
        return json.dumps(out, sort_keys=True) if out else None


def _device_hash(value: str) -> str:
    value = value.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        value = hashlib.sha256(f"sunshine-device-v1:{value}".encode()).hexdigest()
    return hmac.new(_device_key(), f"sunshine-device-v2:{value}".encode(), hashlib.sha256).hexdigest()


def _device_key() -> bytes:
    """The secret of the stored device hashes: ``device_hash_key``, or one derived from the platform's secret key."""
    settings = get_settings()
    if settings.device_hash_key:
        return settings.device_hash_key.encode()
    return hmac.new(settings.resolved_secret_key().encode(), b"sunshine-device-hash", hashlib.sha256).digest()


@dataclass(frozen=True)
class Submitted:
    bid: Bid
    created: bool  # False: a retry of an earlier submission with the same idempotency key


def submit(
    session: Session,
    actor: Principal,
    section_id: int,
    sealed: bytes,
    *,
    key_commitment: str,
    idempotency_key: str,
    signing_key_id: int | None = None,
    signature: str | None = None,
    origin: Origin | None = None,
) -> Submitted:
    """递交（或修改）投标文件: check the signer's signature, store the ciphertext, record it, sign the receipt."""
    if not isinstance(idempotency_key, str) or not IDEMPOTENCY_KEY.match(idempotency_key):
        raise InvalidInput("请在 Idempotency-Key 中提供 8–100 位的幂等键（字母、数字、._:-）", field="idempotency_key")
    key_commitment = (key_commitment or "").strip().lower()
    if not COMMITMENT.match(key_commitment):
        raise InvalidInput("密钥承诺应为 64 位十六进制 SHA-256 值", field="key_commitment")
    org = bidder_org(session, actor)
    _lock_bidder(session, org)
    earlier = session.scalar(select(Bid).where(Bid.organisation_id == org.id, Bid.idempotency_key == idempotency_key))
    digest = hashlib.sha256(sealed).hexdigest()
    if earlier is not None:
        if earlier.section_id == section_id and earlier.ciphertext_sha256 == digest:
            return Submitted(earlier, created=False)
        raise IdempotencyConflict("该幂等键已用于另一份投标文件；修改投标文件请使用新的幂等键")
    section, project = bid_section(session, section_id)
    check_open_for_bids(project)
    _registration(session, actor, section)
    # 失信惩戒: a ban decided after the registration still refuses the bid
    scope = credit.Scope(project.region_code, project.transaction_type)
    credit.check_not_banned(session, org.id, scope=scope, on=clock.today_local(), doing="投标")
    try:
        envelope.check_shape(sealed)
    except envelope.EnvelopeError as exc:
        raise InvalidInput(str(exc), field="body") from None
    limit = get_settings().max_bid_bytes
    if len(sealed) > limit:
        raise InvalidInput(f"加密投标文件超过 {limit // (1024 * 1024)} MB 上限", field="body")
    signer = check_signature(
        session, org, sealed, binding_for(session, section, project, org), key_commitment, signing_key_id, signature
    )
    stored = file_store().put(sealed)  # durable before the database row that refers to it
    assert stored == digest
    previous = session.scalar(
        select(Bid)
        .where(Bid.section_id == section.id, Bid.organisation_id == org.id, Bid.status == "sealed")
        .with_for_update()
    )
    version = (
        session.scalar(select(func.max(Bid.version)).where(Bid.section_id == section.id, Bid.organisation_id == org.id))
        or 0
    ) + 1
    if previous is not None:
        previous.status = "replaced"
    now = clock.now()
    bid_no = "TB" + secrets.token_hex(10).upper()
    payload = {
        "ciphertext_sha256": digest,
        "size": len(sealed),
        "key_commitment": key_commitment,
        "version": version,
        "replaces": previous.bid_no if previous is not None else None,
    }
    if signer is not None:
        payload["signer_fingerprint"] = signer.fingerprint
    entry = ledger.append(session, "bidding:bid:sealed", f"bid:{bid_no}", payload)
    bid = Bid(
        bid_no=bid_no,
        project_id=project.id,
        section_id=section.id,
        organisation_id=org.id,
        user_id=actor.user_id,
        version=version,
        idempotency_key=idempotency_key,
        ciphertext_sha256=digest,
        size=len(sealed),
        key_commitment=key_commitment,
        status="sealed",
        submitted_at=now,
        ledger_seq=entry.seq,
        receipt="{}",
        signing_key_id=signer.id if signer is not None else None,
        signature=base64.b64encode(_signature_bytes(signature)).decode() if signer is not None else None,
        client_ip=(origin.client_ip or None)[:45] if origin is not None and origin.client_ip else None,
        device_json=origin.device_json() if origin is not None else None,
    )
    session.add(bid)
    session.flush()
    bid.receipt = json.dumps(_receipt(session, bid, project, section, org, entry, signer), ensure_ascii=False)
    return Submitted(bid, created=True)


def signature_of(session: Session, bid: Bid, key: SigningKey | None = None) -> dict[str, Any] | None:
    """The bid's electronic signature as a receipt and the bidder's pages show it (None if unsigned)."""
    if bid.signing_key_id is None:
        return None
    key = key or session.get(SigningKey, bid.signing_key_id)
    signer = session.get(User, key.user_id)
    return {
        "signer": signer.display_name if signer is not None else "",
        "algorithm": key.algorithm,
        "public_key": key.public_key,
        "key_fingerprint": key.fingerprint,
        "signature": bid.signature,
    }


def _receipt(
    session: Session,
    bid: Bid,
    project: Project,
    section: Section,
    org: Organisation,
    entry,
    signer: SigningKey | None = None,
) -> dict:
    head = ledger.sign_head(session)
    proof = ledger.inclusion_proof(session, entry.seq, head.size)
    body: dict[str, Any] = {
        "bid_no": bid.bid_no,
        "project_code": project.code,
        "project_name": project.name,
        "section_number": section.number,
        "bidder": org.name,
        "bidder_credit_code": org.credit_code,
        "version": bid.version,
        "ciphertext_sha256": bid.ciphertext_sha256,
        "size": bid.size,
        "key_commitment": bid.key_commitment,
        "server_time": fmt.iso_utc(bid.submitted_at),
        "bid_deadline": fmt.iso_utc(project.bid_deadline),
        "bidder_signature": signature_of(session, bid, signer),
        "ledger": {
            "entry": {
                "seq": entry.seq,
                "kind": entry.kind,
                "subject": entry.subject,
                "payload": json.loads(entry.payload),
                "recorded_at": fmt.iso_utc(entry.recorded_at),
                "leaf_hash": entry.leaf_hash,
            },
            "tree_head": head.as_dict(),
            "inclusion_proof": proof,
        },
    }
    return receipts.sign(body, platform_key())


def withdraw(session: Session, actor: Principal, bid_no: str) -> Bid:
    """撤回: before the deadline a bidder may take its bid back (《招标投标法》第二十九条)."""
    bid = visibility.own_bid(session, actor, bid_no)
    project = session.get(Project, bid.project_id)
    check_open_for_bids(project)
    if bid.status != "sealed":
        raise Conflict(f"该投标文件{STATUS_LABELS[bid.status]}，不能撤回")
    bid.status = "withdrawn"
    bid.withdrawn_at = clock.now()
    ledger.append(session, "bidding:bid:withdrawn", f"bid:{bid.bid_no}", {"ciphertext_sha256": bid.ciphertext_sha256})
    return bid


def mine(session: Session, actor: Principal, project_id: int | None = None) -> list[Bid]:
    stmt = select(Bid).where(visibility.readable(actor)).order_by(Bid.id.desc())
    if project_id is not None:
        stmt = stmt.where(Bid.project_id == project_id)
    return list(session.scalars(stmt))


MINE_ORDER = Keyset.of("bids-mine", Bid.id)


def mine_page(
    session: Session,
    actor: Principal,
    project_id: int | None = None,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Bid]:
    """``mine`` one page at a time."""
    stmt = select(Bid).where(visibility.readable(actor))
    if project_id is not None:
        stmt = stmt.where(Bid.project_id == project_id)
    return paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)


def sealed_bids(session: Session, project_id: int) -> list[Bid]:
    """The bids that count: the last sealed version of each bidder per section."""
    return list(
        session.scalars(
            select(Bid).where(Bid.project_id == project_id, Bid.status == "sealed").order_by(Bid.section_id, Bid.id)
        )
    )


def receipt_of(bid: Bid) -> dict:
    return json.loads(bid.receipt)


# --------------------------------------------------------------------------- what the bidder's pages read


@dataclass(frozen=True)
class BidDesk:
    """The bid page of one section for one bidder: what to bind the ciphertext to, whether bids are taken
    now (and if not, why), whether this bidder may bid (and if not, why), and its versions so far."""

    project: Project
    section: Section
    organisation: Organisation
    binding: str
    closed: str | None
    ineligible: str | None
    bids: list[Bid]  # newest first


def section_of(session: Session, project_id: int, section_id: int) -> tuple[Section, Project]:
    """A section of a public project, named by both ids (a page's address); 404 if they do not match."""
    section, project = bid_section(session, section_id)
    if project.id != project_id:
        raise NotFound("标段不存在")
    return section, project


def desk(session: Session, actor: Principal, project_id: int, section_id: int) -> BidDesk:
    section, project = section_of(session, project_id, section_id)
    org = bidder_org(session, actor)
    closed = ineligible = None
    try:
        check_open_for_bids(project)
    except Conflict as exc:
        closed = exc.detail
    try:
        _registration(session, actor, section)
    except NotEligible as exc:
        ineligible = exc.detail
    return BidDesk(
        project=project,
        section=section,
        organisation=org,
        binding=binding_for(session, section, project, org).decode(),
        closed=closed,
        ineligible=ineligible,
        bids=[b for b in mine(session, actor, project.id) if b.section_id == section.id],
    )


@dataclass(frozen=True)
class SectionBids:
    project: Project
    section: Section
    bids: list[Bid]  # newest first


def mine_by_section(
    session: Session, actor: Principal, *, cursor: str | None = None
) -> tuple[Page[Bid], list[SectionBids]]:
    """One page of this bidder's bids (every version, newest first), grouped by section in that order (the most
    recently bid section first); a section's versions may run on into the next page."""
    page = mine_page(session, actor, cursor=cursor)
    bids = page.items
    if not bids:
        return page, []
    sections = {s.id: s for s in session.scalars(select(Section).where(Section.id.in_({b.section_id for b in bids})))}
    projects = {p.id: p for p in session.scalars(select(Project).where(Project.id.in_({b.project_id for b in bids})))}
    groups: dict[int, list[Bid]] = {}
    for bid in bids:
        groups.setdefault(bid.section_id, []).append(bid)
    return page, [SectionBids(projects[sections[k].project_id], sections[k], items) for k, items in groups.items()]
