"""The key routes as their callers meet them: a signer registers (bad keys refused in Chinese), the
organisation's members read the history, another organisation sees nothing (404), the administrator
approves, the signer rotates and the old key is superseded."""

from __future__ import annotations

from sunshine.identity.roles import Role
from sunshine.signing import crypto
from tests.builders import api_token, make_org, make_user
from tests.trading.builders import cheap_password_hashing


def test_keys_through_the_api(db, client, monkeypatch):
    cheap_password_hashing(monkeypatch)
    org, other = make_org(db), make_org(db)
    signer = api_token(client, make_user(db, Role.SIGNER, organisation_id=org))
    admin = api_token(client, make_user(db, Role.ENTERPRISE_ADMIN, organisation_id=org))
    viewer = api_token(client, make_user(db, Role.ORG_VIEWER, organisation_id=org))
    stranger = api_token(client, make_user(db, Role.ENTERPRISE_ADMIN, organisation_id=other))

    bad = client.post(
        "/api/v1/signing/keys", json={"algorithm": "sm2", "public_key": "04" + "00" * 64, "label": "x"}, headers=signer
    )
    assert bad.status_code == 422 and "SM2 曲线" in bad.json()["detail"]
    bad = client.post(
        "/api/v1/signing/keys", json={"algorithm": "rsa", "public_key": "x", "label": "x"}, headers=signer
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"

    _, public = crypto.generate("ed25519")
    r = client.post(
        "/api/v1/signing/keys", json={"algorithm": "ed25519", "public_key": public, "label": "笔记本"}, headers=signer
    )
    assert r.status_code == 201, r.text
    key = r.json()
    assert key["status_label"] == "待企业管理员确认" and key["fingerprint"] == crypto.fingerprint("ed25519", public)
    again = client.post(
        "/api/v1/signing/keys", json={"algorithm": "ed25519", "public_key": public, "label": "x"}, headers=signer
    )
    assert again.status_code == 409

    assert [k["id"] for k in client.get("/api/v1/signing/keys", headers=viewer).json()] == [key["id"]]
    assert client.get("/api/v1/signing/keys", headers=stranger).json() == []
    assert client.get(f"/api/v1/signing/keys/{key['id']}", headers=stranger).status_code == 404
    assert client.post(f"/api/v1/signing/keys/{key['id']}/approve", headers=stranger).status_code == 404
    r = client.post(f"/api/v1/signing/keys/{key['id']}/approve", headers=admin)
    assert r.status_code == 200 and r.json()["status"] == "active"
    assert client.post(f"/api/v1/signing/keys/{key['id']}/approve", headers=admin).json()["code"] == "signing_key_state"

    _, newer = crypto.generate("sm2")
    r = client.post(
        f"/api/v1/signing/keys/{key['id']}/rotate",
        json={"algorithm": "sm2", "public_key": newer, "label": "国密"},
        headers=signer,
    )
    assert r.status_code == 201 and r.json()["replaces_id"] == key["id"]
    client.post(f"/api/v1/signing/keys/{r.json()['id']}/approve", headers=admin)
    states = {k["id"]: k["status_label"] for k in client.get("/api/v1/signing/keys", headers=signer).json()}
    assert states == {key["id"]: "已被新密钥替换", r.json()["id"]: "有效"}
    r = client.post(f"/api/v1/signing/keys/{r.json()['id']}/revoke", json={"reason": " "}, headers=signer)
    assert r.status_code == 422 and "吊销原因" in r.json()["detail"]
