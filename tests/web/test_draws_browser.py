"""A draw in a real Chromium: the supervisor signs in to the draw room, the page generates the secret in the
browser (kept in localStorage, only the commitment sent), reveals it after the start; then the public record's
"在浏览器中验证" passes on the real record, ledger inclusion proofs included, and fails once the stored order is
tampered with."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from sunshine.config import get_settings
from sunshine.draws import service as draws
from sunshine.draws.models import Draw, DrawParty
from sunshine.identity.roles import Role
from tests.builders import PASSWORD
from tests.draws.conftest import party_key, prepare, test_purpose  # noqa: F401  (the purpose registered for tests)
from tests.trading.builders import actor

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _login(page, username: str, next_url: str) -> None:
    page.goto(f"/login?next={next_url}")
    form = page.locator("form[action='/login']")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()


@pytest.fixture
def as_the_server(live_server, monkeypatch, clock):  # noqa: F811
    """Steps taken in this process sign tree heads with the server's key and run on the real clock, as the server."""
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(live_server.log_path.parent / "data"))
    get_settings.cache_clear()
    clock.set(datetime.now(UTC))
    yield
    get_settings.cache_clear()


def test_a_party_commits_and_reveals_in_its_browser_and_the_record_verifies(open_page, migrated_db, as_the_server):  # noqa: F811
    room = {
        "centre": actor(migrated_db, Role.CENTRE_STAFF),
        "supervisor": actor(migrated_db, Role.SUPERVISOR),
        "tenderer": actor(migrated_db, Role.TENDERER),
    }
    with migrated_db.unit_of_work() as s:
        code = prepare(s, room, n=25, construction="sunshine-draw-v1").code  # a draw made before v2
        draws.sign_in(s, room["tenderer"], code)
    page, watch = open_page(viewport=DESKTOP)
    _login(page, room["supervisor"].username, f"/draws/{code}/room")
    expect(page.locator("h1")).to_contain_text("抽取室")
    page.get_by_role("button", name="签到进入抽取室").click()
    expect(page.locator(".flashes")).to_contain_text("已签到进入抽取室")
    page.get_by_role("button", name="生成随机数并提交承诺").click()
    expect(page.locator(f"#draw-parties tr[data-party='{party_key(room)}']")).not_to_contain_text("尚未提交")
    secret = page.evaluate(f"localStorage.getItem('sunshine-draw-secret:{code}:{party_key(room)}')")
    assert secret and len(secret) == 64
    with migrated_db.unit_of_work() as s:
        party = s.query(DrawParty).filter_by(party=party_key(room)).one()
        assert party.secret is None and party.commitment  # the server holds the commitment only
        draws.start_reveal(s, room["centre"], code)
    page.reload()
    page.get_by_role("button", name="揭示随机数").click()
    expect(page.locator("#draw-state")).to_contain_text("已抽取")
    expect(page.locator("#draw-call-table")).to_contain_text("正选")
    with migrated_db.unit_of_work() as s:
        assert s.query(DrawParty).filter_by(party=party_key(room)).one().secret == secret
        first = draws.seats(s, draws.get(s, code))[0]
        draws.record_outcome(s, room["centre"], code, first.leaf, "declined", "出差")
        draws.disclose(s, code)

    page.goto(f"/draws/{code}")
    page.get_by_role("button", name="在浏览器中验证").click()
    verdict = page.locator("#draw-browser-verdict")
    checks = page.locator("#draw-check-list")
    expect(verdict).not_to_have_attribute("data-state", "running", timeout=30_000)
    assert verdict.get_attribute("data-state") == "ok", checks.inner_text()
    expect(checks).to_contain_text("抽取顺序：通过")
    expect(checks).to_contain_text("席位与递补：通过")
    expect(checks).to_contain_text("留痕包含性证明：通过")
    expect(checks).to_contain_text("名单完整：通过")
    watch.assert_clean()

    # someone swaps two candidates in the stored order: the browser's replay catches it
    with migrated_db.unit_of_work() as s:
        row = s.query(Draw).filter_by(code=code).one()
        order = json.loads(row.call_order)
        order[0], order[-1] = order[-1], order[0]
        row.call_order = json.dumps(order)
    page.reload()
    page.get_by_role("button", name="在浏览器中验证").click()
    expect(verdict).to_have_attribute("data-state", "failed", timeout=30_000)
    expect(checks).to_contain_text("抽取顺序：未通过")
    expect(verdict).to_have_text("本机浏览器验证未通过")


def test_a_v2_draw_page_verifies_in_the_browser_and_catches_a_changed_list(open_page, migrated_db, as_the_server):  # noqa: F811
    """``sunshine-draw-v2`` (the default): the page's check opens the pool's commitment with the disclosed salt,
    recomputes the order's tickets as far as the calls go and the seats with a replacement; a changed list hash
    fails it."""
    from sunshine.draws import engine

    room = {
        "centre": actor(migrated_db, Role.CENTRE_STAFF),
        "supervisor": actor(migrated_db, Role.SUPERVISOR),
        "tenderer": actor(migrated_db, Role.TENDERER),
    }
    secret = engine.new_secret()
    with migrated_db.unit_of_work() as s:
        draw = prepare(s, room, n=60)
        code = draw.code
        assert draw.construction == "sunshine-draw-v2"
        for who in ("supervisor", "tenderer"):
            draws.sign_in(s, room[who], code)
        draws.commit(s, room["supervisor"], code, engine.commitment(code, party_key(room), secret))
        draws.start_reveal(s, room["centre"], code)
        draws.reveal(s, room["supervisor"], code, secret)
        first = draws.seats(s, draws.get(s, code))[0]
        draws.record_outcome(s, room["centre"], code, first.leaf, "declined", "出差")
        draws.disclose(s, code)
    page, watch = open_page(viewport=DESKTOP)
    page.goto(f"/draws/{code}")
    expect(page.locator("#draw-summary")).to_contain_text("候选池人数")
    page.get_by_role("button", name="在浏览器中验证").click()
    verdict = page.locator("#draw-browser-verdict")
    checks = page.locator("#draw-check-list")
    expect(verdict).not_to_have_attribute("data-state", "running", timeout=30_000)
    assert verdict.get_attribute("data-state") == "ok", checks.inner_text()
    for line in ("构造版本：通过", "候选池承诺：通过", "名单完整：通过", "抽取顺序：通过", "席位与递补：通过"):
        expect(checks).to_contain_text(line)
    expect(checks).to_contain_text("留痕包含性证明：通过")
    watch.assert_clean()

    with migrated_db.unit_of_work() as s:  # the list hash no longer what the ledger holds
        s.query(Draw).filter_by(code=code).one().list_hash = "0" * 64
    page.reload()
    page.get_by_role("button", name="在浏览器中验证").click()
    expect(verdict).to_have_attribute("data-state", "failed", timeout=30_000)
    expect(checks).to_contain_text("名单哈希：未通过")
