"""Signed sealed bids through the HTTP API: a signer's approved key signs the canonical message, the server
verifies it at submission and refuses a wrong signature, another organisation's key, a pending or a revoked key
in Chinese with a stable code; the receipt carries the signature and verifies offline; the opening re-verifies
(a key revoked after submission still verifies the bid it signed while valid); the rule can require it."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.bidding import envelope, receipts
from sunshine.config import get_settings
from sunshine.identity.roles import Role
from sunshine.rules import service as rules
from sunshine.signing import crypto
from sunshine.signing import service as signing
from tests.bidding.builders import seal_for, tender_with_bidders
from tests.builders import api_token
from tests.signing.builders import make_key
from tests.trading.builders import actor, cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast_users(monkeypatch):
    cheap_password_hashing(monkeypatch)


@pytest.fixture
def w(db, client, monkeypatch):
    monkeypatch.setenv("SUNSHINE_API_TOKEN_HOURS", "2000")
    get_settings.cache_clear()
    world = tender_with_bidders(db, bidders=2)
    world.tokens = [api_token(client, b.username) for b in world.bidders]
    world.centre_token = api_token(client, world.centre.username)
    world.signers = [actor(db, Role.SIGNER, organisation_id=b.organisation_id) for b in world.bidders]
    world.admins = [actor(db, Role.ENTERPRISE_ADMIN, organisation_id=b.organisation_id) for b in world.bidders]
    return world


def aad(w, i) -> bytes:
    return envelope.binding(w.code, 1, w.credit[w.bidders[i].organisation_id])


def submit(client, w, i, sealed, key=None, signature: bytes | None = None):
    headers = {
        **w.tokens[i],
        "Content-Type": "application/octet-stream",
        "Idempotency-Key": sealed.idempotency_key,
        "Sunshine-Key-Commitment": sealed.commitment,
    }
    if key is not None:
        message = envelope.signed_message(sealed.sealed, aad(w, i), sealed.commitment)
        headers["Sunshine-Signing-Key"] = str(key.id)
        headers["Sunshine-Signature"] = base64.b64encode(signature or key.sign(message)).decode()
    return client.post(f"/api/v1/sections/{w.section_id}/bids", content=sealed.sealed, headers=headers)


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_signed_bid_receipt_and_opening(client, db, w, clock, algorithm):
    key = make_key(db, w.signers[0], algorithm=algorithm, approve_as=w.admins[0])
    sealed = seal_for(w, w.bidders[0])
    r = submit(client, w, 0, sealed, key)
    assert r.status_code == 201, r.text
    receipt = r.json()
    signed = receipt["bidder_signature"]
    assert signed["algorithm"] == algorithm and signed["key_fingerprint"] == key.fingerprint
    assert signed["signer"] == w.signers[0].display_name
    assert receipt["ledger"]["entry"]["payload"]["signer_fingerprint"] == key.fingerprint
    public = base64.b64decode(client.get("/api/v1/ledger/key").json()["public_key"])
    assert receipts.verify(receipt, public, sealed.sealed) == []
    tampered = {**receipt, "bidder_signature": {**signed, "signature": base64.b64encode(b"\x01" * 64).decode()}}
    assert any("电子签名无效" in p for p in receipts.verify(tampered, public))

    other = seal_for(w, w.bidders[1])
    assert submit(client, w, 1, other).status_code == 201  # unsigned: allowed by default
    # the key is revoked after the submission: the bid it signed while valid still verifies at the opening
    clock.advance(timedelta(hours=1))
    with db.unit_of_work() as s:
        signing.revoke(s, w.admins[0], key.id, "人员离职")
    clock.advance(timedelta(days=31))
    token = api_token(client, w.centre.username)
    opened = client.post(f"/api/v1/projects/{w.project_id}/opening", headers=token)
    assert opened.status_code == 201, opened.text
    rows = {row["bid_no"]: row for row in opened.json()["sections"][0]["bids"]}
    assert rows[receipt["bid_no"]]["signature"]["status"] == "verified"
    assert rows[receipt["bid_no"]]["signature"]["key_fingerprint"] == key.fingerprint
    assert [row["signature"]["label"] for row in rows.values() if row["bid_no"] != receipt["bid_no"]] == ["未签名"]
    page = client.get(f"/projects/{w.project_id}/opening")
    assert "电子签名已验证" in page.text


def test_refusals(client, db, w, clock):
    sealed = seal_for(w, w.bidders[0])
    pending = make_key(db, w.signers[0], approve=False)
    r = submit(client, w, 0, sealed, pending)
    assert (r.status_code, r.json()["code"]) == (409, "signing_key_not_approved")
    assert "尚未经本单位企业管理员确认" in r.json()["detail"]

    foreign = make_key(db, w.signers[1], approve_as=w.admins[1])
    r = submit(client, w, 0, sealed, foreign)
    assert (r.status_code, r.json()["code"]) == (403, "signing_key_not_yours")

    good = make_key(db, w.signers[0], approve_as=w.admins[0])
    r = submit(client, w, 0, sealed, good, signature=good.sign(b"another message"))
    assert (r.status_code, r.json()["code"]) == (422, "signature_invalid")
    # signed for another bidder's binding: refused too
    wrong_aad = envelope.signed_message(sealed.sealed, aad(w, 1), sealed.commitment)
    r = submit(client, w, 0, sealed, good, signature=good.sign(wrong_aad))
    assert r.json()["code"] == "signature_invalid"

    clock.advance(timedelta(minutes=1))
    with db.unit_of_work() as s:
        signing.revoke(s, w.signers[0], good.id, "私钥文件丢失")
    r = submit(client, w, 0, sealed, good)
    assert (r.status_code, r.json()["code"]) == (409, "signing_key_revoked")
    assert client.get("/api/v1/bids/mine", headers=w.tokens[0]).json() == []


def test_the_rule_can_require_a_signature(client, db, w):
    admin = actor(db, Role.ADMIN)
    with db.unit_of_work() as s:
        rules.set_override(
            s, actor=admin, key="centre.service", rule_id="bid_signature_required", value=1, reason="本中心要求电子签名"
        )
    r = submit(client, w, 0, seal_for(w, w.bidders[0]))
    assert (r.status_code, r.json()["code"]) == (409, "bid_signature_required")
    key = make_key(db, w.signers[0], approve_as=w.admins[0])
    assert submit(client, w, 0, seal_for(w, w.bidders[0]), key).status_code == 201


@settings(max_examples=60, deadline=None)
@given(
    sealed=st.binary(min_size=1, max_size=64),
    aad_bytes=st.binary(max_size=64),
    commitment=st.binary(min_size=32, max_size=32),
    which=st.sampled_from(["sealed", "aad", "commitment"]),
    flip=st.integers(min_value=0, max_value=255),
)
def test_any_change_breaks_the_signature(sealed, aad_bytes, commitment, which, flip):
    private, public = crypto.generate("ed25519")
    message = envelope.signed_message(sealed, aad_bytes, commitment.hex())
    assert len(message) == 121
    signature = crypto.sign("ed25519", private, message)
    parts = {"sealed": sealed, "aad": aad_bytes, "commitment": commitment}
    original = parts[which]
    index = flip % len(original) if original else 0
    changed = (original[:index] + bytes([original[index] ^ 1]) + original[index + 1 :]) if original else b"\x00"
    parts[which] = changed
    other = envelope.signed_message(parts["sealed"], parts["aad"], parts["commitment"].hex())
    assert other != message
    assert not crypto.verify("ed25519", public, other, signature)
    assert crypto.verify("ed25519", public, message, signature)
