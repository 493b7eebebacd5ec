"""The work card (工作证, seed 000: 制作社会监督员工作证): a printable card whose QR code opens the public check
page. The QR carries the card's serial, its version and the platform's Ed25519 signature over both (the ledger's
signing key); the server checks the signature, then the card's current version and the supervisor's state, so a
photo of a renewed card (older version), a dismissed supervisor's card or a forged serial never shows as valid.
The public page shows the serial, the kind, the term and the state — never the holder's name or phone."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock, pdf
from sunshine.core.formatting import local_time
from sunshine.ledger import signing
from sunshine.supervision import labels, registry
from sunshine.supervision.models import Supervisor

PREFIX = b"sunshine-supervisor-card-v1|"


def _message(serial: str, version: int) -> bytes:
    return PREFIX + f"{serial}|{version}".encode()


def signature(serial: str, version: int) -> str:
    raw = base64.b64decode(signing.platform_key().sign(_message(serial, version)))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def check_link(row: Supervisor) -> str:
    """The path the card's QR code opens."""
    sig = signature(row.card_serial or "", row.card_version)
    return f"/supervision/cards/{quote(row.card_serial or '')}?v={row.card_version}&s={sig}"


@dataclass(frozen=True)
class Check:
    state: str  # valid expired revoked replaced invalid
    state_label: str
    serial: str
    kind_label: str | None = None
    term_start: date | None = None
    term_end: date | None = None
    checked_at: str = ""


def _signature_ok(serial: str, version: int, sig: str) -> bool:
    try:
        raw = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    except (ValueError, TypeError):
        return False
    key = signing.platform_key()
    public = signing.public_key_from_raw(key.public_bytes)
    return signing.verify(public, base64.b64encode(raw).decode(), _message(serial, version))


def verify(session: Session, serial: str, version: int, sig: str) -> Check:
    """The public check of a scanned card."""
    checked = local_time(clock.now())
    serial = (serial or "")[:24]
    if not _signature_ok(serial, version, sig or ""):
        return Check("invalid", labels.CARD_STATES["invalid"], serial, checked_at=checked)
    row = session.scalar(select(Supervisor).where(Supervisor.card_serial == serial))
    if row is None:
        return Check("invalid", labels.CARD_STATES["invalid"], serial, checked_at=checked)
    if row.state == "dismissed":
        state = "revoked"
    elif version != row.card_version:
        state = "replaced"
    elif registry.in_office(row):
        state = "valid"
    else:
        state = "expired"
    return Check(
        state, labels.CARD_STATES[state], serial, labels.KINDS[row.kind], row.term_start, row.term_end, checked
    )


def card_pdf(row: Supervisor, base_url: str) -> bytes:
    """The printable card: the holder's name (the card is the holder's own), kind, serial, term and the QR."""
    doc = pdf.Document(f"{labels.KINDS[row.kind]}工作证 {row.card_serial}", "阳光交易平台")
    doc.title(f"公共资源交易{labels.KINDS[row.kind]}工作证")
    doc.para(f"姓名：{row.name}")
    doc.para(f"证件编号：{row.card_serial}（第 {row.card_version} 版）")
    doc.para(f"聘期：{row.term_start} 至 {row.term_end}")
    doc.para("持证人可进入开标、评标现场在监督员固定位置旁听、观察，遵守现场纪律，不得干预交易活动。")
    doc.gap(8)
    doc.qr(base_url.rstrip("/") + check_link(row), "扫码核验本证是否有效（由交易平台签名）")
    doc.right(f"交易中心制证  {local_time(clock.now(), '%Y-%m-%d')}")
    return doc.bytes()
