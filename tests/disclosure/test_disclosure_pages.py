"""The disclosure pages as people use them: the public reads the catalog, downloads it, reads published texts
and tombstones and the compliance figures; the disclosure office revises an item and keeps the negative list;
centre staff draft a text that is held for an identity number until another reviewer redacts and publishes it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests.disclosure.builders import ID_NUMBER, at, declare, load_catalog, publish
from tests.pages import browser, csrf_token, page_text
from tests.trading.builders import actor, cheap_password_hashing


@pytest.fixture(autouse=True)
def _setup(db, monkeypatch):
    cheap_password_hashing(monkeypatch)
    load_catalog(db)


@pytest.fixture
def staff(db):
    from sunshine.identity.roles import Role

    return {
        "author": actor(db, Role.CENTRE_STAFF, username="centre-chen"),
        "reviewer": actor(db, Role.DISCLOSURE_OFFICE, username="office-wang"),
    }


def test_the_public_reads_and_downloads_the_catalog(app):
    with browser(app) as visitor:
        page = visitor.get("/disclosure/catalog")
        assert page.status_code == 200
        text = page_text(page.text)
        assert "公开事项目录" in text and "GC.ZB.01" in text and "招标公告、资格预审公告" in text
        assert "20 个工作日内" in text
        item = visitor.get("/disclosure/catalog/items/GC.KP.03")
        text = page_text(item.text)
        assert "中标候选人公示" in text and "收到评标报告后公示中标候选人：3 日内" in text
        assert "《中华人民共和国招标投标法实施条例》第五十四条" in text and "修订本事项" not in text
        sheet = visitor.get("/disclosure/catalog.xlsx")
        assert sheet.status_code == 200
        assert sheet.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "filename*=UTF-8''" in sheet.headers["content-disposition"]
        assert load_workbook(io.BytesIO(sheet.content))["公开事项目录"].max_row > 40
        assert visitor.get("/disclosure/catalog/items/XX.YY.99").status_code == 404
        assert "/disclosure/catalog" in visitor.get("/disclosure").text


def test_the_disclosure_office_revises_an_item_from_its_page(app, staff):
    with browser(app, staff["reviewer"].username) as office:
        page = office.get("/disclosure/catalog/items/ZX.FW.01")
        assert "修订本事项" in page.text
        form = {
            "csrf_token": csrf_token(page.text),
            "levels_present": "1",
            "level_province": "1",
            "level_city": "1",
            "level_county": "1",
            "content": "服务事项名称、办理依据、办理条件、申请材料、办理流程、办理时限、收费依据、咨询电话、常见问题",
            "effective_from": "2026-11-23",
            "reason": "示范市政务公开办〔2026〕8号",
        }
        done = office.post("/disclosure/catalog/items/ZX.FW.01/revise", data=form, follow_redirects=True)
        text = page_text(done.text)
        assert "已修订" in text and "常见问题" in text and "示范市政务公开办〔2026〕8号" in text
        assert "第 2 版" in text
        refused = office.post(
            "/disclosure/catalog/items/ZX.FW.01/revise",
            data={**form, "csrf_token": csrf_token(done.text), "time_limit_ref": "nope"},
            follow_redirects=True,
        )
        assert "公开时限应写作" in page_text(refused.text)


def test_a_draft_with_an_identity_number_is_held_then_redacted_and_published(app, staff):
    with browser(app, staff["author"].username) as author:
        page = author.get("/staff/disclosure/review")
        created = author.post(
            "/staff/disclosure/publications",
            data={
                "csrf_token": csrf_token(page.text),
                "item_code": "GC.JD.01",
                "title": "投诉处理决定书",
                "body": f"投诉人李四（身份证号 {ID_NUMBER}）的投诉事项不成立，驳回投诉。",
                "submit": "1",
            },
            follow_redirects=True,
        )
        text = page_text(created.text)
        assert "暂缓发布" in text and "1101**********002X" in text and ID_NUMBER not in created.text
        assert "须由另一名审查人员审查" in text
        pub_url = str(created.url).replace("https://testserver", "")
    with browser(app, staff["reviewer"].username) as reviewer:
        page = reviewer.get(pub_url)
        redacted = reviewer.post(f"{pub_url}/redact", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
        assert "已遮蔽" in page_text(redacted.text)
        published = reviewer.post(
            f"{pub_url}/approve", data={"csrf_token": csrf_token(redacted.text)}, follow_redirects=True
        )
        assert "审查通过，已发布并留痕" in page_text(published.text)
    with browser(app) as visitor:
        public = visitor.get(pub_url.replace("/staff/disclosure", "/disclosure"))
        text = page_text(public.text)
        assert public.status_code == 200 and "1101**********002X" in text and ID_NUMBER not in public.text


def test_a_withdrawn_text_leaves_a_public_tombstone(app, db, staff):
    pub_id = publish(db, staff["author"], staff["reviewer"], title="交易中心收费标准", body="收费标准：免费。")
    with browser(app, staff["reviewer"].username) as reviewer:
        page = reviewer.get(f"/staff/disclosure/publications/{pub_id}")
        reviewer.post(
            f"/staff/disclosure/publications/{pub_id}/withdraw",
            data={"csrf_token": csrf_token(page.text), "reason": "收费文件已废止"},
        )
    with browser(app) as visitor:
        text = page_text(visitor.get(f"/disclosure/publications/{pub_id}").text)
        assert "已于" in text and "撤回原因：收费文件已废止" in text and "收费标准：免费" not in text
        listing = page_text(visitor.get("/disclosure/publications").text)
        assert "交易中心收费标准" in listing and "已撤回" in listing


def test_compliance_pages_show_the_rate_and_the_staff_can_drill_down(app, db, clock, staff):
    clock.set(at(2026, 11, 2))
    late = declare(db, staff["reviewer"], item_code="GC.JD.02", title="行政处罚决定（迟发）")
    declare(db, staff["reviewer"], item_code="GC.JD.02", title="行政处罚决定（未发）")
    clock.set(at(2026, 11, 13))
    publish(db, staff["author"], staff["reviewer"], obligation_id=late, title="行政处罚决定书")
    clock.advance(timedelta(days=1))
    with browser(app) as visitor:
        text = page_text(visitor.get("/disclosure/compliance").text)
        assert "按时公开率 0.0%" in text and "逾期未公开清单" in text and "行政处罚决定（未发）" in text
        assert "/staff/disclosure/obligations" not in visitor.get("/disclosure/compliance").text
    with browser(app, staff["reviewer"].username) as office:
        page = office.get("/staff/disclosure")
        assert page.status_code == 200 and "/staff/disclosure/obligations?item=GC.JD.02" in page.text
        drill = page_text(office.get("/staff/disclosure/obligations?item=GC.JD.02&status=late").text)
        assert "行政处罚决定（迟发）" in drill and "逾期 2 个工作日公开" in drill and "（未发）" not in drill
        draft_for = page_text(office.get(f"/staff/disclosure/review?obligation={late + 1}").text)
        assert "为公开义务起草： 行政处罚决定（未发）" in draft_for


def test_the_negative_list_is_kept_from_its_page(app, staff):
    with browser(app, staff["reviewer"].username) as office:
        page = office.get("/staff/disclosure/negative-list")
        added = office.post(
            "/staff/disclosure/negative-list",
            data={"csrf_token": csrf_token(page.text), "term": "滨海绝密工程", "reason": "涉及国家秘密"},
            follow_redirects=True,
        )
        assert "已列入负面清单：滨海绝密工程" in page_text(added.text)
    with browser(app, staff["author"].username) as author:
        assert author.get("/staff/disclosure/negative-list").status_code == 403
