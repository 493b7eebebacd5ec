"""Electronic seals in a real browser: a signer of the agency seals a notice with their key file (the private
key stays in the page), the public verification page passes on the server and in the browser, and fails on
both for an altered document; the browser's Merkle inclusion check agrees with the server's (Hypothesis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from sqlalchemy import select

from sunshine.demo import DEMO_PASSWORD
from sunshine.demo.seals import KEYS_DIR
from sunshine.ledger import merkle
from sunshine.seals.models import DocumentSeal
from sunshine.trading.models import Notice, Project

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _login(page, username: str) -> None:
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="登录").click()


def _data_dir(live_server) -> Path:
    return live_server.log_path.parent / "data"


def _unsealed_agency_notice(db) -> int:
    with db.unit_of_work() as s:
        sealed = set(s.scalars(select(DocumentSeal.document_id).where(DocumentSeal.kind == "notice")))
        rows = s.scalars(
            select(Notice.id)
            .join(Project, Notice.project_id == Project.id)
            .where(Project.agency_id.is_not(None), Notice.series_id.is_(None))
            .order_by(Notice.id)
        )
        return next(n for n in rows if n not in sealed)


def test_a_signer_seals_a_notice_and_the_verification_page_checks_it(open_page, live_server, migrated_db, screenshot):
    notice_id = _unsealed_agency_notice(migrated_db)
    page, watch = open_page(viewport=DESKTOP)
    page.goto(f"/login?next=/seals/notice/{notice_id}")
    _login(page, "agencysigner")
    expect(page.locator("#seals")).to_contain_text("该文书尚未签章")
    page.get_by_label("私钥文件（仅在本机读取）").set_input_files(
        str(_data_dir(live_server) / KEYS_DIR / "agencysigner.json")
    )
    page.get_by_role("button", name="签章").click()
    expect(page.locator(".flashes")).to_contain_text("已签章")
    block = page.locator(".seal-block").first
    expect(block).to_contain_text("福建中正招标代理有限公司")
    expect(block).to_contain_text("Ed25519")
    expect(block).to_contain_text("（与当前文书一致）")
    screenshot(page, "notice-sealed")

    block.get_by_role("link", name="验证签章").click()
    expect(page.locator("h1")).to_have_text("电子签章验证")
    expect(page.locator("#verdict")).to_contain_text("服务器验证通过")
    expect(page.locator("#browser-verdict")).to_have_attribute("data-state", "ok")
    expect(page.locator("#browser-verdict")).to_have_text("本机浏览器验证通过")
    expect(page.locator("#browser-check-list")).to_contain_text("包含性证明成立")
    expect(page.locator("#browser-check-list")).to_contain_text("签名树头的 Ed25519 签名有效")
    code = re.search(r"/verify/([A-Za-z0-9_-]+)", page.url).group(1)
    screenshot(page, "seal-verified")

    # someone alters the stored notice: both the server and the browser now say it failed
    with migrated_db.unit_of_work() as s:
        s.get(Notice, notice_id).body_html = "<p>被篡改的公告正文：投标截止时间提前。</p>"
    page.goto(f"/verify/{code}")
    expect(page.locator("#verdict")).to_contain_text("服务器验证未通过")
    expect(page.locator("#verdict")).to_contain_text("文书内容已被改动")
    expect(page.locator("#browser-verdict")).to_have_attribute("data-state", "failed")
    expect(page.locator("#browser-check-list")).to_contain_text("文书内容已被改动")
    # the seal itself and its ledger entry still verify
    expect(page.locator("#browser-check-list")).to_contain_text("签章签名有效")
    screenshot(page, "seal-verification-failed")
    watch.assert_clean()


def _demo_seal_code(db) -> str:
    with db.unit_of_work() as s:
        return s.scalar(select(DocumentSeal.code).order_by(DocumentSeal.id))


@pytest.fixture
def verification_page(open_page, migrated_db):
    page, _ = open_page(viewport=DESKTOP)
    page.goto(f"/verify/{_demo_seal_code(migrated_db)}")
    page.wait_for_function("window.SunshineLedger !== undefined")
    return page


JS_INCLUSION = """async ([leaf, index, size, path, root]) => {
  const L = window.SunshineLedger;
  return await L.verifyInclusion(L.fromHex(leaf), index, size, path.map(L.fromHex), L.fromHex(root));
}"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    size=st.integers(min_value=1, max_value=70),
    tamper=st.sampled_from(["none", "path", "index", "size", "root", "drop", "extra"]),
)
def test_the_browser_and_the_server_agree_on_inclusion_proofs(verification_page, data, size, tamper):
    leaves = [merkle.leaf_hash(f"entry {i}".encode()) for i in range(size)]
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    path = merkle.inclusion_proof(index, size, leaves)
    root = merkle.root_from_leaf_hashes(leaves)
    leaf = leaves[index]
    if tamper == "path" and path:
        at = data.draw(st.integers(min_value=0, max_value=len(path) - 1))
        path[at] = bytes([path[at][0] ^ 1]) + path[at][1:]
    elif tamper == "index":
        index = data.draw(st.integers(min_value=0, max_value=size))
    elif tamper == "size":
        size = data.draw(st.integers(min_value=1, max_value=80))
    elif tamper == "root":
        root = merkle.leaf_hash(b"another root")
    elif tamper == "drop" and path:
        path = path[:-1]
    elif tamper == "extra":
        path = [*path, leaves[0]]
    expected = merkle.verify_inclusion(leaf, index, size, path, root)
    args = [leaf.hex(), index, size, [p.hex() for p in path], root.hex()]
    assert verification_page.evaluate(JS_INCLUSION, args) is expected


def test_the_browser_module_checks_any_ledger_entry_by_index(verification_page, live_server):
    head = live_server.get_json("/api/v1/ledger/head")
    for seq in sorted({0, 1, head["size"] // 2, head["size"] - 1}):
        result = verification_page.evaluate("async (seq) => await window.SunshineLedger.verifyEntry(seq)", seq)
        assert result["ok"] is True, result
        assert result["entry"]["seq"] == seq


def test_the_seal_pages_load_within_the_content_security_policy(open_page, migrated_db):
    from tests.web.test_csp_browser import RECORD_VIOLATIONS

    page, watch = open_page(viewport=DESKTOP)
    page.context.add_init_script(RECORD_VIOLATIONS)
    code = _demo_seal_code(migrated_db)
    page.goto(f"/verify/{code}")
    expect(page.locator("#browser-verdict")).not_to_have_attribute("data-state", "pending")
    assert page.evaluate("window.__csp") == []
    page.goto(f"/login?next=/seals/notice/{_unsealed_agency_notice(migrated_db)}")
    _login(page, "agencysigner")
    expect(page.locator("#seal-form")).to_be_visible()
    assert page.evaluate("window.__csp") == []
    watch.assert_clean()
