"""The signer's command line: ``sunshine bid keygen`` (private key file 0600, public key and fingerprint shown),
``register-key`` through the JSON API, approval by the enterprise administrator, and ``submit --key`` signing the
sealed bid; the receipt shows and verifies the signature; a pending key is refused in Chinese."""

from __future__ import annotations

import json
import stat

from sunshine.identity.roles import Role
from sunshine.signing import crypto
from tests.client.test_cli import _cli_environment, bid, live, login, seal, w  # noqa: F401 (fixtures)
from tests.trading.builders import actor


def test_keygen_register_approve_and_signed_submit(tmp_path, live, w, db, client):  # noqa: F811
    org = w.bidders[0].organisation_id
    signer = actor(db, Role.SIGNER, organisation_id=org)
    admin = actor(db, Role.ENTERPRISE_ADMIN, organisation_id=org)
    keyfile = tmp_path / "signer.key.json"
    r = bid("keygen", "--out", keyfile, "--algorithm", "sm2")
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    info = json.loads(keyfile.read_text(encoding="utf-8"))
    assert info["public_key"] in r.output and info["fingerprint"] in r.output
    assert info["fingerprint"] == crypto.fingerprint("sm2", info["public_key"])
    assert bid("keygen", "--out", keyfile).exit_code == 1  # never overwrites a private key

    signer_token = login(live, signer, tmp_path)
    r = bid("register-key", "--server", live.url, "--token-file", signer_token, "--key", keyfile, "--label", "笔记本")
    assert r.exit_code == 0, r.output
    assert "待企业管理员确认" in r.output
    key_id = json.loads(keyfile.read_text(encoding="utf-8"))["key_id"]
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600

    token = login(live, w.bidders[0], tmp_path)
    folder = seal(live, w, token, tmp_path / "bid")
    r = bid("submit", "--server", live.url, "--token-file", token, "--key", keyfile, folder)
    assert r.exit_code == 1 and "尚未经本单位企业管理员确认" in r.output, r.output

    admin_token = login(live, admin, tmp_path)
    approved = client.post(
        f"/api/v1/signing/keys/{key_id}/approve",
        headers={"Authorization": f"Bearer {json.loads(admin_token.read_text())['access_token']}"},
    )
    assert approved.status_code == 200, approved.text
    r = bid("keys", "--server", live.url, "--token-file", token)
    assert r.exit_code == 0 and "有效" in r.output and info["fingerprint"][:16] in r.output, r.output

    r = bid("submit", "--server", live.url, "--token-file", token, "--key", keyfile, folder)
    assert r.exit_code == 0, r.output
    assert "已核验" in r.output and info["fingerprint"] in r.output and "电子签名" in r.output
    receipt = json.loads((folder / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["bidder_signature"]["key_fingerprint"] == info["fingerprint"]
    r = bid("verify-receipt", folder, "--server", live.url)
    assert r.exit_code == 0 and "回执核验通过" in r.output, r.output
