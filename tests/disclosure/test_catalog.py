"""The catalog (公开事项目录): the shipped data loads at least 40 level-3 items with every element, every time
limit resolves in the rule packs, every transaction type has an item for each disclosing lifecycle step, and
the centre's own affairs are covered; loading twice changes nothing; a revision is dated, reasoned, in the
ledger and readable; the catalog exports as a spreadsheet."""

from __future__ import annotations

import io
import shutil
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sunshine.core.errors import InvalidInput
from sunshine.disclosure import catalog_service, export
from sunshine.disclosure.models import CatalogItem, ItemRevision
from sunshine.ledger import service as ledger
from sunshine.tasks import tick
from sunshine.trading import lifecycle
from sunshine.trading.labels import TRANSACTION_TYPES
from tests.disclosure.builders import load_catalog, office
from tests.trading.builders import cheap_password_hashing


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    cheap_password_hashing(monkeypatch)


def test_the_catalog_loads_with_every_element_and_every_limit_resolves(db):
    report = load_catalog(db)
    assert report.items_added >= 40
    with db.unit_of_work() as s:
        items = catalog_service.all_items(s)
        limits = catalog_service.Limits(s)
        for item in items:
            for name in catalog_service.FIELDS:
                if name not in ("trigger", "methods", "condition"):
                    assert getattr(item, name), (item.code, name)
            assert item.trigger, item.code
            limit = limits.of(item.time_limit_ref)
            assert limit.unit in ("working_days", "calendar_days") and limit.basis_text, item.code
            top, scope = catalog_service.category_path(s, item)
            assert (top.level, scope.level) == (1, 2) and item.code.startswith(scope.code + ".")
        levels = {(i.code.count(".")) for i in items}
        assert levels == {2}
        assert len(items) >= 40


def test_every_transaction_type_has_an_item_for_every_disclosing_step_and_for_its_result(db):
    load_catalog(db)
    disclosing = {s.discloses for s in lifecycle.STEPS.values() if s.discloses}
    assert disclosing == {
        "trading.notice",
        "trading.amendment",
        "trading.termination",
        "trading.suspension",
        "trading.result",  # the online auctions' result or 流拍 (sunshine.auctions)
        "trading.opening",  # the opening record of sealed bids (sunshine.bidding): 开标记录
        "trading.draw_result",  # the small-works draw's result (sunshine.smallworks): 抽取结果公示
        "trading.draw_failed",  # and its 流标公告
        "trading.candidates",  # the candidates' publicity where the pack requires it (sunshine.results)
        "trading.contract",  # the signed contract (sunshine.awards; 政府采购法实施条例 第五十条 for procurement)
        "trading.performance",  # the acceptance of the contract's performance (sunshine.performance)
    }
    engineering_only = {"trading.opening", "trading.draw_result", "trading.draw_failed", "trading.candidates"}
    # no law has an SOE procurement publish its contract or its acceptance
    not_every_type = engineering_only | {"trading.contract", "trading.performance"}
    with db.unit_of_work() as s:
        rows = [(catalog_service.transaction_type_of(s, i), i.trigger) for i in catalog_service.all_items(s)]
    for transaction_type in TRANSACTION_TYPES:
        for trigger in (*(disclosing - not_every_type), "trading.result"):
            assert (transaction_type, trigger) in rows, (transaction_type, trigger)
    # 《招标投标法》第三十六条 and 《电子招标投标办法》第三十一条: the engineering opening record is a catalog item.
    assert ("engineering", "trading.opening") in rows
    # Seed 004: the small-works fixed-price draw is disclosed in full (its result and its failure).
    assert ("engineering", "trading.draw_result") in rows and ("engineering", "trading.draw_failed") in rows
    # 《招标投标法实施条例》第五十四条: the candidates' publicity (engineering, and SOE procurement's own item).
    assert ("engineering", "trading.candidates") in rows and ("soe_procurement", "trading.candidates") in rows
    # 《政府采购法实施条例》第五十条: a procurement contract is published within 2 working days of its signing.
    assert ("gov_procurement", "trading.contract") in rows


def test_the_centres_own_affairs_are_in_the_catalog(db):
    load_catalog(db)
    with db.unit_of_work() as s:
        triggers = {i.trigger for i in catalog_service.all_items(s)}
    for affair in (
        "organisation",
        "guide",
        "policy",
        "fees",
        "venues",
        "power_list",
        "process_list",
        "risk_list",
        "prevention_list",
        "complaint_channels",
    ):
        assert f"centre.{affair}" in triggers


def test_loading_again_changes_nothing(db):
    load_catalog(db)
    with db.unit_of_work() as s:
        size = ledger.size(s)
    again = load_catalog(db)
    assert not again.changed and again.unchanged == again.items_added + again.unchanged
    with db.unit_of_work() as s:
        assert ledger.size(s) == size


def test_a_changed_data_file_becomes_a_revision(db, tmp_path):
    load_catalog(db)
    folder = tmp_path / "catalog"
    shutil.copytree(catalog_service.CATALOG_DIR, folder)
    path = folder / "02_centre.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: 收费项目及标准", "name: 收费项目、依据及标准"))
    with db.unit_of_work() as s:
        report = catalog_service.load_catalog(s, folder=folder)
        assert (report.items_revised, report.items_added) == (1, 0)
        item = catalog_service.get_item(s, "ZX.FW.02")
        assert (item.name, item.version) == ("收费项目、依据及标准", 2)
        (revision,) = catalog_service.revisions_of(s, item)
        assert revision.reason == "目录数据文件更新" and revision.before == {"name": "收费项目及标准"}


def test_a_revision_is_dated_reasoned_in_the_ledger_and_readable(db, clock):
    load_catalog(db)
    editor = office(db)
    today = date(2026, 11, 23)
    with db.unit_of_work() as s:
        catalog_service.revise_item(
            s,
            editor,
            "ZX.FW.03",
            {"channels": {**catalog_service.get_item(s, "ZX.FW.03").channels, "push": "required"}},
            effective_from=today,
            reason="市政务公开办〔2026〕5号：场地预约信息须定向推送",
        )
    with db.unit_of_work() as s:
        item = catalog_service.get_item(s, "ZX.FW.03")
        assert item.channels["push"] == "required" and item.version == 2
        (revision,) = catalog_service.revisions_of(s, item)
        assert revision.before == {
            "channels": {
                "portal": "required",
                "platform": "required",
                "feed": "optional",
                "terminal": "required",
                "board": "required",
                "push": "optional",
            }
        }
        entry = ledger.get_entry(s, revision.ledger_seq)
        assert entry.kind == "disclosure:catalog:revised" and entry.subject == "disclosure-item:ZX.FW.03"


def test_a_future_revision_waits_for_its_effective_date(db, clock):
    load_catalog(db)
    editor = office(db)
    with db.unit_of_work() as s:
        catalog_service.revise_item(
            s,
            editor,
            "ZX.JD.01",
            {"content": "投诉受理单位、受理范围、投诉电话、监督电话、12345热线、网上投诉入口"},
            effective_from=date(2027, 1, 1),
            reason="自2027年起公开12345热线",
        )
    with db.unit_of_work() as s:
        assert "12345" not in catalog_service.get_item(s, "ZX.JD.01").content
    clock.advance(timedelta(days=40))
    assert tick(db).catalog_revisions == ["ZX.JD.01"]
    with db.unit_of_work() as s:
        item = catalog_service.get_item(s, "ZX.JD.01")
        assert "12345" in item.content and item.effective_from == date(2027, 1, 1)
        assert s.scalar(select(ItemRevision.applied_at)) is not None


def test_a_revision_must_keep_the_item_valid(db):
    load_catalog(db)
    editor = office(db)
    for changes, field in (
        ({"time_limit_ref": "disclosure.proactive/no_such_rule"}, "time_limit_ref"),
        ({"time_limit_ref": "engineering.open_tender/docs_sale_period"}, "time_limit_ref"),  # a minimum, not a limit
        ({"channels": {"portal": "optional"}}, "channels"),
        ({"audience": "everyone"}, "audience"),
        ({"methods": ["auction"]}, "methods"),
    ):
        with pytest.raises(InvalidInput) as refused, db.unit_of_work() as s:
            catalog_service.revise_item(
                s, editor, "GC.ZB.01", changes, effective_from=date(2026, 11, 23), reason="测试"
            )
        assert refused.value.extra["field"] == field, changes


def test_a_broken_data_file_is_refused_with_its_place(tmp_path):
    folder = tmp_path / "catalog"
    shutil.copytree(catalog_service.CATALOG_DIR, folder)
    path = folder / "01_trading.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "time_limit: engineering.open_tender/candidate_publicity_within",
            "time_limit: engineering.open_tender/candidate_publicity_period",
        )
    )
    with pytest.raises(catalog_service.CatalogError, match="01_trading.yaml · GC.KP.03"):
        catalog_service.parse_dir(folder)


def test_the_catalog_exports_as_a_spreadsheet(db):
    load_catalog(db)
    with db.unit_of_work() as s:
        data = export.catalog_xlsx(s)
        count = len(catalog_service.all_items(s))
    book = load_workbook(io.BytesIO(data))
    sheet = book["公开事项目录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("一级事项", "二级事项", "事项编码", "三级事项（公开事项名称）")
    assert len(rows) == count + 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["公开时限"] and "工作日" in first["公开时限"]
    assert "修订记录" in book.sheetnames
    with db.unit_of_work() as s:
        assert s.scalar(select(CatalogItem.code).where(CatalogItem.code == rows[1][2]))


def test_the_load_catalog_command_is_idempotent(db):
    from typer.testing import CliRunner

    from sunshine.cli import app

    runner = CliRunner()
    first = runner.invoke(app, ["disclosure", "load-catalog"])
    assert first.exit_code == 0, first.output
    assert "新增事项" in first.output
    second = runner.invoke(app, ["disclosure", "load-catalog"])
    assert second.exit_code == 0 and "新增事项 0 项" in second.output and "修订 0 项" in second.output
