"""The byte formats an outside verifier must reproduce: leaf inputs, payload digests, head messages.

Documented in docs/ledger.md; kept deliberately simple (one UTF-8 line per leaf) so that a verifier
in any language needs only SHA-256 and Ed25519.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

import rfc8785

LOG_ID = "sunshine-ledger-v1"
# kind and subject are references, not prose: no separators or line breaks can hide inside them.
# ``\Z``, not ``$``: ``$`` also matches before a trailing newline, which would let "kind\n" through.
TOKEN_PATTERN = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9:._\-/]{0,199}\Z")


def iso_utc(moment: datetime) -> str:
    """A timestamp as the log writes it: UTC, microseconds, trailing Z (``%Y-%m-%dT%H:%M:%S.%fZ``)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    if moment.year >= 1000:  # the same text as strftime, about twice as fast (verification calls this per row)
        return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def canonical_payload(payload: dict[str, Any]) -> bytes:
    """RFC 8785 canonical JSON of an entry's payload."""
    return rfc8785.dumps(payload)


def payload_digest(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def leaf_input(seq: int, kind: str, subject: str, payload_sha256: str, recorded_at: str) -> bytes:
    """``{LOG_ID}|{seq}|{kind}|{subject}|{payload_sha256}|{recorded_at}`` in UTF-8."""
    return f"{LOG_ID}|{seq}|{kind}|{subject}|{payload_sha256}|{recorded_at}".encode()


def head_message(size: int, root_hash: str, signed_at: str, key_id: str) -> bytes:
    """What an Ed25519 tree-head signature covers."""
    return f"{LOG_ID}|tree-head|{size}|{root_hash}|{signed_at}|{key_id}".encode()
