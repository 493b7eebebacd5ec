"""Signing keys and a signed bid in a real browser (Debian's Chromium) against ``sunshine serve`` over the demo
data: the demo signer makes an Ed25519 key pair with WebCrypto (the private key only as a downloaded file) and
registers the public key, the enterprise administrator approves it, and the demo bidder loads the key file on the
bid page: the bid is signed in the browser, the server verifies it and the receipt shows the signature."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sunshine.bidding import receipts
from sunshine.signing import crypto
from tests.web.test_bidding_browser import DESKTOP, _demo, _login

pytestmark = pytest.mark.browser


def test_key_made_in_the_browser_approved_and_a_bid_signed_with_it(open_page, live_server, tmp_path, screenshot):
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/login?next=/signing/keys")
    _login(page, "signer")
    expect(page.locator("h1")).to_have_text("签名密钥")
    expect(page.locator("#keygen-needs-js")).to_be_hidden()
    page.get_by_role("button", name="在本机生成 Ed25519 密钥对").click()
    with page.expect_download() as download:
        page.locator("#keyfile-download").click()
    key_path = tmp_path / "signer-key.json"
    download.value.save_as(key_path)
    key_file = json.loads(key_path.read_text(encoding="utf-8"))
    assert key_file["algorithm"] == "ed25519"
    assert key_file["fingerprint"] == crypto.fingerprint("ed25519", key_file["public_key"])
    public = crypto.public_of("ed25519", base64.b64decode(key_file["private_key"]))
    assert public == key_file["public_key"]
    expect(page.locator("#key-public")).to_have_value(key_file["public_key"])
    page.get_by_label("密钥名称").fill("浏览器生成的密钥")
    page.get_by_role("button", name="登记公钥").click()
    row = page.locator("tr", has_text="浏览器生成的密钥")
    expect(row).to_contain_text("待企业管理员确认")
    screenshot(page, "signing-key-registered")
    watch.assert_clean()

    admin, admin_watch = open_page(viewport=DESKTOP)
    admin.goto("/login?next=/signing/keys")
    _login(admin, "entadmin")
    admin.locator("tr", has_text="浏览器生成的密钥").get_by_role("button", name="确认").click()
    expect(admin.locator("tr", has_text="浏览器生成的密钥")).to_contain_text("有效")
    admin_watch.assert_clean()

    tender = _demo(live_server, "open")
    bidder, bidder_watch = open_page(viewport=DESKTOP)
    bidder.goto("/login?next=/my/registrations")
    _login(bidder, "bidder")
    bidder.locator(".card", has_text=tender["project_name"]).get_by_role(
        "link", name=re.compile("递交投标文件")
    ).click()
    bidder.get_by_label("投标报价（元）").fill("8000000")
    bidder.get_by_role("button", name="在本机加密").click()
    expect(bidder.locator("#bid-key")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    bidder.get_by_label(re.compile("签名私钥文件")).set_input_files(str(key_path))
    expect(bidder.locator("#sign-status")).to_contain_text("已载入签名密钥")
    bidder.get_by_label(re.compile("我已下载或抄录解密密钥")).check()
    bidder.get_by_role("button", name="递交加密投标文件").click()
    expect(bidder.locator("#receipt")).to_be_visible()
    expect(bidder.locator("#receipt-signature")).to_contain_text("已签名")
    expect(bidder.locator("#receipt-signature")).to_contain_text(key_file["fingerprint"])
    screenshot(bidder, "bid-signed-in-the-browser")
    with bidder.expect_download() as download:
        bidder.locator("#receipt-download").click()
    receipt = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert receipt["bidder_signature"]["key_fingerprint"] == key_file["fingerprint"]
    platform = base64.b64decode(live_server.get_json("/api/v1/ledger/key")["public_key"])
    assert receipts.verify(receipt, platform) == []
    bidder_watch.assert_clean()
