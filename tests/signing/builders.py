"""Signing keys built through the service: a signer's key registered and (by default) approved."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.identity.roles import Role
from sunshine.signing import crypto
from sunshine.signing import service as signing
from tests.trading.builders import actor


@dataclass(frozen=True)
class Key:
    id: int
    algorithm: str
    private: bytes
    public: str
    fingerprint: str

    def sign(self, message: bytes) -> bytes:
        return crypto.sign(self.algorithm, self.private, message)


def make_key(
    db: Database,
    signer: Principal,
    *,
    algorithm: str = "ed25519",
    approve_as: Principal | None = None,
    approve: bool = True,
    label: str = "签章人的密钥",
) -> Key:
    """A key of ``signer`` (who must hold Role.SIGNER), approved by ``approve_as`` (a new enterprise
    administrator of the signer's organisation unless given) when ``approve``."""
    private, public = crypto.generate(algorithm)
    with db.unit_of_work() as s:
        key = signing.register(s, signer, algorithm, public, label)
        key_id, fingerprint = key.id, key.fingerprint
    if approve:
        admin = approve_as or actor(db, Role.ENTERPRISE_ADMIN, organisation_id=signer.organisation_id)
        with db.unit_of_work() as s:
            signing.approve(s, admin, key_id)
    return Key(key_id, algorithm, private, public, fingerprint)
