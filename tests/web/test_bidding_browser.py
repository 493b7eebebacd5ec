"""Sealed bidding in a real browser (Debian's Chromium, Playwright) against ``sunshine serve`` over the demo
data: the demo bidder fills the bid form, attaches a file, seals it with WebCrypto and submits; the server
holds only ciphertext, which opens with the key the page showed, and the signed receipt verifies. Then in
the opening under way, the demo bidder loads its key file and reveals, and the price appears in the
record — on its own page and, by htmx polling, on a visitor's page that was already open."""

from __future__ import annotations

import base64
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select

from sunshine.bidding import envelope, receipts
from sunshine.bidding.models import Bid
from sunshine.demo import DEMO_PASSWORD
from sunshine.demo.bidding import KEYS_FILE

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _login(page, username: str) -> None:
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()


def _data_dir(live_server) -> Path:
    return live_server.log_path.parent / "data"  # the folder the fixture gave `sunshine demo-data` and `serve`


def _demo(live_server, stage: str) -> dict:
    keys = json.loads((_data_dir(live_server) / KEYS_FILE).read_text(encoding="utf-8"))
    return next(p for p in keys["projects"] if p["stage"] == stage)


def test_bidder_seals_in_the_browser_and_the_server_holds_only_ciphertext(
    open_page, live_server, tmp_path, screenshot, database_url
):
    tender = _demo(live_server, "open")
    page, watch = open_page(viewport=DESKTOP)
    page.goto("/login?next=/my/registrations")
    _login(page, "bidder")
    card = page.locator(".card", has_text=tender["project_name"])
    card.get_by_role("link", name=re.compile("递交投标文件")).click()
    expect(page.locator("h1")).to_have_text("递交投标文件")
    expect(page.locator(".page-header .lead")).to_contain_text(tender["project_name"])
    expect(page.get_by_label("投标报价（元）")).to_be_enabled()
    expect(page.locator("#seal-needs-js")).to_be_hidden()

    page.get_by_label("投标报价（元）").fill("8,123,456.7")
    page.get_by_label("工期/交货期（日历天）").fill("180")
    page.get_by_label("质量承诺").fill("合格")
    page.get_by_label("其他承诺").fill("项目经理：何工（一级建造师）")
    document = tmp_path / "技术标.txt"
    document.write_text("施工组织设计：闽江大道人行道分段施工方案", encoding="utf-8")
    page.get_by_label("投标文件（可多选）").set_input_files(str(document))
    page.get_by_role("button", name="在本机加密").click()

    shown = page.locator("#bid-key")
    expect(shown).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    key = shown.text_content()
    with page.expect_download() as download:
        page.locator("#key-download").click()
    key_file = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert key_file["key"] == key and key_file["project_code"] == tender["project_code"]
    assert key_file["key_commitment"] == envelope.key_commitment(bytes.fromhex(key))
    submit = page.get_by_role("button", name="递交加密投标文件")
    expect(submit).to_be_disabled()  # not before the bidder says the key is saved
    page.get_by_label(re.compile("我已下载或抄录解密密钥")).check()
    submit.click()

    receipt_box = page.locator("#receipt")
    expect(receipt_box).to_be_visible()
    expect(receipt_box).to_contain_text("请妥善保管密钥")
    expect(page.locator("#receipt-match")).to_have_text("（与本机计算一致）")
    expect(page.locator("#receipt-time")).to_contain_text("北京时间")
    bid_no = page.locator("#receipt-bid-no").text_content()
    sha256 = page.locator("#receipt-sha256").text_content()
    screenshot(page, "bid-sealed-and-submitted")
    with page.expect_download() as download:
        page.locator("#receipt-download").click()
    assert download.value.suggested_filename == f"receipt-{bid_no}.json"
    receipt = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert receipt["bid_no"] == bid_no and receipt["ciphertext_sha256"] == sha256

    # What the server stored is the ciphertext: no price, no document text; it verifies against the receipt
    stored = next((_data_dir(live_server) / "files").rglob(sha256)).read_bytes()
    assert stored.startswith(b"SSB1")
    assert b"8123456.70" not in stored and "闽江大道".encode() not in stored
    public_key = base64.b64decode(live_server.get_json("/api/v1/ledger/key")["public_key"])
    assert receipts.verify(receipt, public_key, stored) == []
    # ... and it opens with the key the page showed, to exactly what was typed and attached
    aad = envelope.binding(receipt["project_code"], receipt["section_number"], receipt["bidder_credit_code"])
    package = envelope.parse_package(envelope.open_sealed(stored, bytes.fromhex(key), aad))
    assert package.form.price == Decimal("8123456.70") and package.form.duration_days == 180
    assert package.form.commitments == "项目经理：何工（一级建造师）"
    assert [(d.name, d.data) for d in package.documents] == [("技术标.txt", document.read_bytes())]
    # 电子监察: the page sent this browser's hashed fingerprint; the server kept it keyed-hashed, and the address
    engine = create_engine(database_url)
    with engine.connect() as conn:
        client_ip, device = conn.execute(select(Bid.client_ip, Bid.device_json).where(Bid.bid_no == bid_no)).one()
    engine.dispose()
    assert client_ip and re.fullmatch(r"[0-9a-f]{64}", json.loads(device)["browser"])

    # the version list below the form is live: the new version shows without reloading the page
    expect(page.locator(f"#versions #bid-{bid_no}")).to_contain_text("已递交（有效）")
    page.reload()
    row = page.locator(f"#bid-{bid_no}")
    expect(row).to_contain_text("已递交（有效）")
    expect(row.get_by_role("link", name="下载回执")).to_be_visible()
    page.goto("/my/bids")
    expect(page.locator(f"#bid-{bid_no}")).to_contain_text("开标后解密")
    watch.assert_clean()


def test_without_javascript_the_bid_page_reads_and_sends_nothing(open_page, live_server):
    tender = _demo(live_server, "open")
    page, _ = open_page(viewport=DESKTOP, java_script_enabled=False)
    page.goto("/login")
    _login(page, "bidder")
    page.goto(f"/projects/{tender['project_id']}")
    page.locator("#bidding").get_by_role("link", name=re.compile("递交投标文件")).click()
    expect(page.locator("h1")).to_have_text("递交投标文件")
    expect(page.locator("#seal")).to_contain_text("sunshine bid seal")
    expect(page.get_by_label("投标报价（元）")).to_be_disabled()
    expect(page.get_by_role("button", name="在本机加密")).to_be_disabled()
    expect(page.locator("#deadline")).to_contain_text("剩余")


def test_bidder_reveals_with_its_key_file_and_the_price_appears_live(open_page, live_server, tmp_path, screenshot):
    under_way = _demo(live_server, "opening")
    mine = next(b for b in under_way["bids"] if b["username"] == "bidder")
    room = f"/projects/{under_way['project_id']}/opening"

    watching, watching_watch = open_page(viewport=DESKTOP)  # a member of the public, already in the room
    watching.goto(room)
    expect(watching.locator("#opening-status")).to_contain_text("解密中")
    expect(watching.locator(f"#row-{mine['bid_no']} .price")).to_have_text("解密后公开")
    expect(watching.locator("#decryption-deadline [data-countdown-to]")).to_contain_text("剩余")

    page, watch = open_page(viewport=DESKTOP)
    page.goto(f"/login?next={room}")
    _login(page, "bidder")
    expect(page.locator("h1")).to_have_text("开标室")
    form = page.locator(f"#reveal-{mine['bid_no']}")
    expect(form).to_be_visible()
    key_file = tmp_path / "bid-key.json"
    key_file.write_text(json.dumps({"format": "sunshine-bid-key/1", "key": mine["key"]}), encoding="utf-8")
    form.get_by_label("或载入密钥文件").set_input_files(str(key_file))
    expect(form.get_by_label("解密密钥")).to_have_value(mine["key"])
    form.get_by_role("button", name="解密").click()

    expect(page.locator(".flashes .notice-success")).to_contain_text(f"投标文件 {mine['bid_no']} 已解密")
    price = f"{Decimal(mine['price']):,.2f}"
    expect(page.locator(f"#row-{mine['bid_no']} .price")).to_have_text(price)
    expect(page.locator("#opening-status")).to_contain_text("开标记录待确认")  # every bid decrypted
    expect(page.locator(f"#reveal-{mine['bid_no']}")).to_have_count(0)
    screenshot(page, "opening-room-revealed")
    watch.assert_clean()

    # the visitor's page polls its record: the price arrives without a reload, with a hint to reload
    expect(watching.locator(f"#row-{mine['bid_no']} .price")).to_have_text(price, timeout=15_000)
    expect(watching.locator("#opening-changed")).to_contain_text("刷新页面")
    watching_watch.assert_clean()
