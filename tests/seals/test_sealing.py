"""Sealing a notice through the API and verifying the seal: the signer of the issuing organisation seals with
their own approved key; a wrong, foreign or revoked key is refused in Chinese; an altered document or a key
revoked before the sealing shows as failed on verification."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sunshine.identity.roles import Role
from sunshine.ledger.models import LedgerEntry
from sunshine.seals.models import DocumentSeal
from sunshine.signing import service as signing
from sunshine.signing.models import SigningKey
from sunshine.trading.models import Notice
from tests.builders import api_token, make_org
from tests.seals.builders import seal_body, sealable_notice
from tests.signing.builders import make_key
from tests.trading.builders import actor


def _seal(client, db, setup, key=None, **kw):
    body = seal_body(db, "notice", setup.notice_id, key or setup.key, **kw)
    headers = api_token(client, setup.signer.username)
    return client.post(f"/api/v1/seals/notice/{setup.notice_id}", json=body, headers=headers)


def test_signer_seals_a_notice_and_anyone_verifies_it(client, db):
    setup = sealable_notice(db)
    headers = api_token(client, setup.signer.username)
    doc = client.get(f"/api/v1/seals/notice/{setup.notice_id}", headers=headers).json()
    assert doc["may_seal"] is True and doc["issuer"] == "福建中正招标代理有限公司"
    assert doc["message"].startswith("sunshine-seal/1|notice|")
    # the public may read the notice's seal page but not seal it
    assert client.get(f"/api/v1/seals/notice/{setup.notice_id}").json()["may_seal"] is False

    response = _seal(client, db, setup)
    assert response.status_code == 201, response.text
    seal = response.json()
    assert seal["organisation"] == "福建中正招标代理有限公司" and seal["algorithm"] == "Ed25519"
    assert seal["key_fingerprint"] == setup.key.fingerprint

    report = client.get(f"/api/v1/seals/verify/{seal['code']}").json()
    assert report["ok"] is True
    assert [c["key"] for c in report["checks"]] == ["document", "signature", "key_status", "ledger"]
    assert all(c["ok"] for c in report["checks"])
    assert report["proof"]["head"]["size"] > seal["ledger_seq"]
    with db.unit_of_work() as s:
        entry = s.get(LedgerEntry, seal["ledger_seq"])
        assert entry.kind == "seals:document:sealed" and seal["code"] in entry.payload
    # the same version again is refused
    again = _seal(client, db, setup)
    assert again.status_code == 409 and again.json()["code"] == "already_sealed"

    page = client.get(f"/verify/{seal['code']}")
    assert page.status_code == 200 and "服务器验证通过" in page.text and "福建中正招标代理有限公司" in page.text
    notice_page = client.get(f"/notices/{setup.notice_id}")
    assert f"/verify/{seal['code']}" in notice_page.text and "验证签章" in notice_page.text
    assert client.get(f"/verify/{seal['code']}/qr.svg").text.lstrip().startswith("<svg")
    pdf = client.get(f"/verify/{seal['code']}/sealed.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    detached = client.get(f"/verify/{seal['code']}/seal.json").json()
    assert detached["format"] == "sunshine-seal/1" and detached["signature"] == seal["signature"]
    document = client.get(f"/verify/{seal['code']}/document.txt")
    import hashlib

    assert hashlib.sha256(document.content).hexdigest() == seal["document_sha256"] == detached["document"]["sha256"]


def test_an_altered_document_fails_verification(client, db):
    setup = sealable_notice(db)
    code = _seal(client, db, setup).json()["code"]
    with db.unit_of_work() as s:
        s.get(Notice, setup.notice_id).body_html = "<p>篡改后的公告正文</p>"
    report = client.get(f"/api/v1/seals/verify/{code}").json()
    assert report["ok"] is False
    document = next(c for c in report["checks"] if c["key"] == "document")
    assert document["ok"] is False and "文书内容已被改动" in document["detail"]
    page = client.get(f"/verify/{code}")
    assert "服务器验证未通过" in page.text and "文书内容已被改动" in page.text


def test_a_key_revoked_before_sealing_fails_verification(client, db):
    setup = sealable_notice(db)
    code = _seal(client, db, setup).json()["code"]
    with db.unit_of_work() as s:
        row = s.scalar(select(DocumentSeal).where(DocumentSeal.code == code))
        key = s.get(SigningKey, setup.key.id)
        key.status, key.revoked_at = "revoked", row.sealed_at - timedelta(minutes=5)
    report = client.get(f"/api/v1/seals/verify/{code}").json()
    status = next(c for c in report["checks"] if c["key"] == "key_status")
    assert report["ok"] is False and status["ok"] is False and "已被吊销" in status["detail"]


def test_wrong_foreign_and_revoked_keys_are_refused_in_chinese(client, db, clock):
    setup = sealable_notice(db)
    # signed with another private key than the registered one
    other = make_key(db, setup.signer)
    body = seal_body(db, "notice", setup.notice_id, other)
    body["key_id"] = setup.key.id
    headers = api_token(client, setup.signer.username)
    wrong = client.post(f"/api/v1/seals/notice/{setup.notice_id}", json=body, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["code"] == "signature_invalid"
    assert "电子签名与所签内容不符" in wrong.json()["detail"]
    # a signature of another message (a bid, say) does not seal the document
    tampered = _seal(client, db, setup, message_of=lambda m: m + b"x")
    assert tampered.status_code == 422 and tampered.json()["code"] == "signature_invalid"
    # a key of another organisation's signer
    firm_signer = actor(db, Role.SIGNER, organisation_id=make_org(db))
    foreign = make_key(db, firm_signer)
    response = _seal(client, db, setup, key=foreign)
    assert response.status_code == 403 and response.json()["code"] == "signing_key_not_yours"
    assert "不属于本单位" in response.json()["detail"]
    # a revoked key
    with db.unit_of_work() as s:
        signing.revoke(s, setup.signer, setup.key.id, "私钥文件丢失")
    revoked = _seal(client, db, setup)
    assert revoked.status_code == 409 and revoked.json()["code"] == "signing_key_revoked"
    assert "已吊销" in revoked.json()["detail"]
    with db.unit_of_work() as s:
        assert s.scalar(select(DocumentSeal.id)) is None


def test_only_a_signer_of_the_issuing_organisation_seals(client, db):
    setup = sealable_notice(db)
    body = seal_body(db, "notice", setup.notice_id, setup.key)
    # the agency's drafting user is no signer
    plain = client.post(
        f"/api/v1/seals/notice/{setup.notice_id}", json=body, headers=api_token(client, setup.world["agency"].username)
    )
    assert plain.status_code == 403 and "签章人" in plain.json()["detail"]
    # a signer of another organisation may not seal the agency's notice
    firm_signer = actor(db, Role.SIGNER, organisation_id=setup.world["firms"][0])
    response = client.post(
        f"/api/v1/seals/notice/{setup.notice_id}", json=body, headers=api_token(client, firm_signer.username)
    )
    assert response.status_code == 403
    # a document changed since the page was opened
    body["document_sha256"] = "0" * 64
    stale = client.post(
        f"/api/v1/seals/notice/{setup.notice_id}", json=body, headers=api_token(client, setup.signer.username)
    )
    assert stale.status_code == 409 and stale.json()["code"] == "document_changed"
    # unknown kinds, documents and codes are 404
    assert client.get("/api/v1/seals/nothing/1").status_code == 404
    assert client.get("/api/v1/seals/notice/999999").status_code == 404
    assert client.get("/api/v1/seals/verify/unknowncode123").status_code == 404
    assert client.get("/verify/unknowncode123").status_code == 404
