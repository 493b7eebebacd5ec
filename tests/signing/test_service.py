"""The key lifecycle and the verification rules, through the service (the API and pages are tested apart)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sunshine.core.errors import Forbidden, NotFound
from sunshine.identity.models import OrganisationKind
from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.signing import crypto
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey
from sunshine.trading.models import Message
from tests.builders import make_org
from tests.signing.builders import make_key
from tests.trading.builders import actor


@pytest.fixture
def org(db):
    return make_org(db)


def _verify(db, key_id, message, signature, org_id, **kw):
    with db.unit_of_work() as s:
        return signing.verify_signature(
            s, key_id=key_id, message=message, signature=signature, organisation_id=org_id, **kw
        ).fingerprint


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_lifecycle_and_verification(db, org, clock, algorithm):
    signer = actor(db, Role.SIGNER, organisation_id=org)
    admin = actor(db, Role.ENTERPRISE_ADMIN, organisation_id=org)
    key = make_key(db, signer, algorithm=algorithm, approve=False)
    message = b"bid"
    with pytest.raises(signing.SigningKeyNotApproved):
        _verify(db, key.id, message, key.sign(message), org)
    with db.unit_of_work() as s:
        signing.approve(s, admin, key.id)
    assert _verify(db, key.id, message, key.sign(message), org, user_id=signer.user_id) == key.fingerprint
    with pytest.raises(signing.SignatureInvalid):
        _verify(db, key.id, b"bid!", key.sign(message), org)
    other_org = make_org(db)
    with pytest.raises(signing.SigningKeyNotYours):
        _verify(db, key.id, message, key.sign(message), other_org)
    with db.unit_of_work() as s:
        signed_at = s.get(SigningKey, key.id).approved_at
    clock.advance(timedelta(hours=1))
    with db.unit_of_work() as s:
        signing.revoke(s, admin, key.id, "私钥文件丢失")
    with pytest.raises(signing.SigningKeyRevoked):
        _verify(db, key.id, message, key.sign(message), org)
    # a signature made while the key was valid still verifies
    assert _verify(db, key.id, message, key.sign(message), org, signed_at=signed_at) == key.fingerprint
    with db.unit_of_work() as s:
        kinds = s.scalars(
            select(LedgerEntry.kind).where(LedgerEntry.subject == f"signing_key:{key.id}").order_by(LedgerEntry.seq)
        ).all()
        assert kinds == ["signing:key:registered", "signing:key:approved", "signing:key:revoked"]
        subjects = s.scalars(select(Message.subject).where(Message.organisation_id == org)).all()
        assert "签名密钥已吊销" in subjects and "签名密钥待确认" in subjects


def test_rotation_supersedes_the_old_key(db, org):
    signer = actor(db, Role.SIGNER, organisation_id=org)
    admin = actor(db, Role.ENTERPRISE_ADMIN, organisation_id=org)
    old = make_key(db, signer, approve_as=admin)
    private, public = crypto.generate("sm2")
    with db.unit_of_work() as s:
        new_id = signing.rotate(s, signer, old.id, "sm2", public, "新密钥").id
    with db.unit_of_work() as s:
        assert s.get(SigningKey, old.id).status == "active"
        signing.approve(s, admin, new_id)
    with db.unit_of_work() as s:
        assert s.get(SigningKey, old.id).status == "superseded"
        assert [k.id for k in signing.active_keys(s, signer.user_id)] == [new_id]
    with pytest.raises(signing.SigningKeyRevoked):
        _verify(db, old.id, b"m", old.sign(b"m"), org)


def test_who_may_register_and_approve(db, org):
    bidder = actor(db, Role.BIDDER, organisation_id=org)
    signer = actor(db, Role.SIGNER, organisation_id=org)
    _, public = crypto.generate("ed25519")
    with db.unit_of_work() as s, pytest.raises(Forbidden):
        signing.register(s, bidder, "ed25519", public, "x")
    # a signer of no organisation holds no key; the centre's signers do (it seals the documents it issues)
    loose_signer = actor(db, Role.SIGNER)
    with db.unit_of_work() as s, pytest.raises(Forbidden):
        signing.register(s, loose_signer, "ed25519", public, "x")
    centre = make_org(db, kind=OrganisationKind.CENTRE)
    make_key(db, actor(db, Role.SIGNER, organisation_id=centre))
    key = make_key(db, signer, approve=False)
    foreign_admin = actor(db, Role.ENTERPRISE_ADMIN, organisation_id=make_org(db))
    with db.unit_of_work() as s, pytest.raises(NotFound):
        signing.approve(s, foreign_admin, key.id)
    with db.unit_of_work() as s, pytest.raises(Forbidden):
        signing.approve(s, signer, key.id)
