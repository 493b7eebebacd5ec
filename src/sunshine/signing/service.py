"""The signing key lifecycle (签名密钥): a signer registers a public key (pending), the organisation's enterprise
administrator approves it (active), the signer or the administrator revokes it; a rotation registers a new key
that replaces an old one, which becomes superseded when the new one is approved. ``verify_signature`` is the one
check later domains call (bids, seals): the key must belong to the organisation (and signer) that signs, be
approved, not revoked, and the signature must verify.

Every change is one ledger entry (``signing:key:<change>``, subject ``signing_key:<id>``) carrying the key's
fingerprint, algorithm and organisation, never a person's name. The organisation is told through the listeners
registered with ``on_change`` (the application installs one that posts a 站内通知; this package sits below
trading and cannot import it). Never commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.models import Organisation, OrganisationKind, User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.signing import crypto
from sunshine.signing.models import KeyStatus, SigningKey

MARKET_KINDS = frozenset({OrganisationKind.ENTERPRISE, OrganisationKind.AGENCY, OrganisationKind.PURCHASER})
# the trading centre and government departments seal the documents they issue (opening records, reply letters)
KEY_HOLDER_KINDS = MARKET_KINDS | {OrganisationKind.CENTRE, OrganisationKind.DEPARTMENT}
MAX_LABEL = 100
MAX_REASON = 500


class SignatureInvalid(InvalidInput):
    code = "signature_invalid"
    title = "电子签名验证失败"


class SigningKeyRevoked(Conflict):
    code = "signing_key_revoked"
    title = "签名密钥已吊销"


class SigningKeyNotApproved(Conflict):
    code = "signing_key_not_approved"
    title = "签名密钥尚未经企业管理员确认"


class SigningKeyNotYours(Forbidden):
    code = "signing_key_not_yours"
    title = "签名密钥不属于本单位的签章人"


class SigningKeyState(Conflict):
    code = "signing_key_state"
    title = "签名密钥当前状态不允许此操作"


# (session, key, change, subject, body) -> None; change is registered | approved | revoked | superseded
Listener = Callable[[Session, SigningKey, str, str, str], None]
_listeners: list[Listener] = []


def on_change(listener: Listener) -> None:
    """Called by a higher layer (trading.steps.install) to be told of every change, e.g. to notify the organisation."""
    if listener not in _listeners:
        _listeners.append(listener)


def _changed(session: Session, key: SigningKey, change: str, subject: str, body: str, **extra: object) -> None:
    payload = {
        "organisation_id": key.organisation_id,
        "algorithm": key.algorithm,
        "fingerprint": key.fingerprint,
        "status": key.status,
        **extra,
    }
    ledger.append(session, f"signing:key:{change}", f"signing_key:{key.id}", payload)
    for listener in _listeners:
        listener(session, key, change, subject, body)


def short(fingerprint: str) -> str:
    """The fingerprint as people read it: the first 16 hex digits in groups of four."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, 16, 4)).upper()


def _market_org(session: Session, actor: Principal) -> Organisation:
    org = session.get(Organisation, actor.organisation_id) if actor.organisation_id else None
    if org is None or org.kind not in KEY_HOLDER_KINDS:
        raise Forbidden(
            "签名密钥只能由市场主体（企业、代理机构、招标人/采购人）或出具文书的交易中心、政府部门的签章人登记"
        )
    return org


def _label(label: str | None) -> str:
    text = (label or "").strip()
    if not text:
        raise InvalidInput("请填写密钥名称（如“张工的笔记本电脑”）", field="label")
    if len(text) > MAX_LABEL:
        raise InvalidInput(f"密钥名称不超过 {MAX_LABEL} 个字", field="label")
    return text


def _new_key(
    session: Session, actor: Principal, algorithm: str, public_key: str, label: str, replaces: SigningKey | None
) -> SigningKey:
    if not actor.has(Role.SIGNER):
        raise Forbidden("只有签章人可以登记签名密钥")
    org = _market_org(session, actor)
    algorithm = (algorithm or "").strip().lower()
    if algorithm not in crypto.ALGORITHMS:
        raise InvalidInput("签名算法应为 ed25519 或 sm2", field="algorithm")
    try:
        text = crypto.normalise(algorithm, public_key)
        fingerprint = crypto.fingerprint(algorithm, text)
    except crypto.KeyFormatError as exc:
        raise InvalidInput(str(exc), field="public_key") from None
    if session.scalar(select(SigningKey.id).where(SigningKey.fingerprint == fingerprint)) is not None:
        raise Conflict("该公钥已登记过；每次登记请生成新的密钥对", field="public_key")
    key = SigningKey(
        organisation_id=org.id,
        user_id=actor.user_id,
        algorithm=algorithm,
        public_key=text,
        fingerprint=fingerprint,
        label=_label(label),
        status=KeyStatus.PENDING,
        created_at=clock.now(),
        replaces_id=replaces.id if replaces is not None else None,
    )
    session.add(key)
    session.flush()
    return key


def register(session: Session, actor: Principal, algorithm: str, public_key: str, label: str) -> SigningKey:
    """登记签名密钥: the signer's public key, pending until the enterprise administrator approves it."""
    key = _new_key(session, actor, algorithm, public_key, label, None)
    _changed(
        session,
        key,
        "registered",
        "签名密钥待确认",
        f"本单位签章人登记了签名密钥“{key.label}”（指纹 {short(key.fingerprint)}），请企业管理员核实后确认。",
    )
    return key


def rotate(
    session: Session, actor: Principal, old_key_id: int, algorithm: str, public_key: str, label: str
) -> SigningKey:
    """密钥轮换: a new key that replaces one of the signer's active keys once the administrator approves it."""
    old = _locked(session, old_key_id)
    if old is None or old.organisation_id != actor.organisation_id or old.user_id != actor.user_id:
        raise NotFound("签名密钥不存在")
    if old.status != KeyStatus.ACTIVE:
        raise SigningKeyState("只能轮换有效的签名密钥")
    key = _new_key(session, actor, algorithm, public_key, label, old)
    _changed(
        session,
        key,
        "registered",
        "签名密钥轮换待确认",
        f"本单位签章人登记了新签名密钥“{key.label}”（指纹 {short(key.fingerprint)}），"
        f"确认后将替换原密钥（指纹 {short(old.fingerprint)}）。",
        replaces=old.fingerprint,
    )
    return key


def _locked(session: Session, key_id: int) -> SigningKey | None:
    return session.scalar(select(SigningKey).where(SigningKey.id == key_id).with_for_update())


def _admin_key(session: Session, actor: Principal, key_id: int) -> SigningKey:
    key = _locked(session, key_id)
    if key is None or key.organisation_id != actor.organisation_id:
        raise NotFound("签名密钥不存在")
    if not actor.has(Role.ENTERPRISE_ADMIN):
        raise Forbidden("只有本单位的企业管理员可以确认签名密钥")
    return key


def approve(session: Session, actor: Principal, key_id: int) -> SigningKey:
    """确认签名密钥 (enterprise administrator of the key's organisation)."""
    key = _admin_key(session, actor, key_id)
    if key.status != KeyStatus.PENDING:
        raise SigningKeyState(f"该签名密钥{KeyStatus(key.status).label}，不能再确认")
    now = clock.now()
    key.status = KeyStatus.ACTIVE
    key.approved_at = now
    key.approved_by = actor.user_id
    _changed(
        session,
        key,
        "approved",
        "签名密钥已确认",
        f"签名密钥“{key.label}”（指纹 {short(key.fingerprint)}）已由企业管理员确认，可用于签署投标文件。",
    )
    if key.replaces_id is not None:
        old = _locked(session, key.replaces_id)
        if old is not None and old.status == KeyStatus.ACTIVE:
            old.status = KeyStatus.SUPERSEDED
            old.revoked_at = now
            old.revoked_reason = "已轮换为新密钥"
            _changed(
                session,
                old,
                "superseded",
                "签名密钥已被替换",
                f"签名密钥“{old.label}”（指纹 {short(old.fingerprint)}）已被新密钥替换，不能再用于签名。",
                replaced_by=key.fingerprint,
            )
    return key


def revoke(session: Session, actor: Principal, key_id: int, reason: str) -> SigningKey:
    """吊销签名密钥: the key's signer or the organisation's enterprise administrator; signatures made while the
    key was valid stay valid (docs/signing.md)."""
    key = _locked(session, key_id)
    if key is None or key.organisation_id != actor.organisation_id:
        raise NotFound("签名密钥不存在")
    own = key.user_id == actor.user_id and actor.has(Role.SIGNER)
    if not (own or actor.has(Role.ENTERPRISE_ADMIN)):
        raise Forbidden("只有密钥的签章人或本单位企业管理员可以吊销签名密钥")
    if key.status not in (KeyStatus.PENDING, KeyStatus.ACTIVE):
        raise SigningKeyState(f"该签名密钥{KeyStatus(key.status).label}，不能再吊销")
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("请填写吊销原因（如“私钥文件丢失”）", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"吊销原因不超过 {MAX_REASON} 个字", field="reason")
    key.status = KeyStatus.REVOKED
    key.revoked_at = clock.now()
    key.revoked_reason = text
    _changed(
        session,
        key,
        "revoked",
        "签名密钥已吊销",
        f"签名密钥“{key.label}”（指纹 {short(key.fingerprint)}）已吊销：{text}",
    )
    return key


def _still_signer(session: Session, user_id: int) -> bool:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return False
    held = session.scalar(select(UserRole.id).where(UserRole.user_id == user_id, UserRole.role == Role.SIGNER))
    return held is not None


def valid_at(key: SigningKey, moment: datetime) -> bool:
    """Whether the key was approved and not yet revoked or superseded at ``moment``."""
    if key.approved_at is None or key.approved_at > moment:
        return False
    return key.revoked_at is None or key.revoked_at > moment


def verify_signature(
    session: Session,
    *,
    key_id: int,
    message: bytes,
    signature: bytes,
    organisation_id: int,
    user_id: int | None = None,
    signed_at: datetime | None = None,
) -> SigningKey:
    """The key that made a valid signature of ``message`` for the organisation, or the error that says why not.

    Without ``signed_at`` the signature is being made now: the key must be active and its signer still hold the
    signer role. With ``signed_at`` (re-verification of a stored signature, e.g. at the opening) the key must have
    been valid at that moment; a key revoked later does not undo what it signed while valid.
    """
    key = session.get(SigningKey, key_id) if isinstance(key_id, int) else None
    if key is None or key.organisation_id != organisation_id or (user_id is not None and key.user_id != user_id):
        raise SigningKeyNotYours("签名密钥不属于本单位的签章人（或不存在）；请使用本单位已确认的签名密钥")
    if signed_at is None:
        if key.status == KeyStatus.PENDING:
            raise SigningKeyNotApproved("签名密钥尚未经本单位企业管理员确认，不能用于签名")
        if key.status in (KeyStatus.REVOKED, KeyStatus.SUPERSEDED):
            raise SigningKeyRevoked(f"签名密钥{KeyStatus(key.status).label}，不能再用于签名")
        if not _still_signer(session, key.user_id):
            raise SigningKeyNotYours("该签名密钥的持有人已不是本单位的签章人")
    elif not valid_at(key, signed_at):
        if key.approved_at is None or key.approved_at > signed_at:
            raise SigningKeyNotApproved("签名时该签名密钥尚未经企业管理员确认")
        raise SigningKeyRevoked("签名时该签名密钥已吊销或已被替换")
    if not crypto.verify(key.algorithm, key.public_key, message, signature):
        raise SignatureInvalid("电子签名与所签内容不符（签名错误、内容被改动或使用了其他私钥）")
    return key


def active_keys(session: Session, user_id: int) -> list[SigningKey]:
    return list(
        session.scalars(
            select(SigningKey)
            .where(SigningKey.user_id == user_id, SigningKey.status == KeyStatus.ACTIVE)
            .order_by(SigningKey.id)
        )
    )


def organisation_keys(session: Session, organisation_id: int) -> list[SigningKey]:
    """The organisation's key history, newest first."""
    return list(
        session.scalars(
            select(SigningKey).where(SigningKey.organisation_id == organisation_id).order_by(SigningKey.id.desc())
        )
    )


KEY_ORDER = Keyset.of("signing-keys", SigningKey.id)


def organisation_key_page(
    session: Session, organisation_id: int, *, cursor: str | None = None, limit: int | None = None
) -> Page[SigningKey]:
    """``organisation_keys`` one page at a time."""
    stmt = select(SigningKey).where(SigningKey.organisation_id == organisation_id)
    return paginate(session, stmt, KEY_ORDER, cursor=cursor, limit=limit)


def get_for(session: Session, actor: Principal, key_id: int) -> SigningKey:
    """A key as a member of its organisation reads it; any other viewer gets 404."""
    key = session.get(SigningKey, key_id)
    if key is None or actor.organisation_id is None or key.organisation_id != actor.organisation_id:
        raise NotFound("签名密钥不存在")
    return key
