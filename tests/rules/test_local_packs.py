"""Local rule packs: seed 003's Fujian rules laid over the national procurement pack — the stricter committee
threshold applies, the looser report delivery is shown as superseded with both bases and never applied, and a
local pack that would weaken the statute is refused at load."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from sunshine.core.auth import Principal
from sunshine.identity.models import User
from sunshine.identity.roles import Role
from sunshine.rules.pack_format import RulePackError
from sunshine.rules.registry import PACKS_DIR, load_dir, registry
from tests.builders import make_user
from tests.rules.test_rules_pages import HTML, page

FUJIAN = "gov_procurement.open_tender_fujian"
FILE = f"{FUJIAN}.2024-06-10.yaml"
NATIONAL = "gov_procurement.open_tender.2020-01-01.yaml"
DAY = date(2026, 12, 1)


def test_the_local_pack_makes_the_committee_threshold_stricter_and_keeps_the_national_rest():
    pack = registry().in_force(FUJIAN, DAY)
    national = registry().in_force("gov_procurement.open_tender", DAY)
    assert national.rule("committee_large_threshold").value == Decimal(10_000_000)
    assert pack.rule("committee_large_threshold").value == Decimal(3_000_000)
    assert pack.rule("committee_large_threshold").basis.section == "政府采购服务实施方案 第6篇 四、开评标准备（三）"
    assert pack.rule("committee_large_min_size").value == 7  # the national rule, unchanged
    # the national rules, plus the local additions: others' deposits within 5 calendar days of the award letter,
    # the winner's within 5 calendar days of its performance security
    local = {"deposit_refund_others_calendar_days", "deposit_refund_winner_after_security_calendar_days"}
    assert {r.id for r in pack.rules} == {r.id for r in national.rules} | local
    # the national pack still governs a project registered by type and method
    assert registry().for_type_method("gov_procurement", "open_tender", DAY).key == "gov_procurement.open_tender"


def test_the_looser_report_delivery_is_superseded_by_article_68():
    pack = registry().in_force(FUJIAN, DAY)
    assert pack.rule("report_to_purchaser").value == 2  # 87号令 第六十八条 governs
    assert pack.rule("report_to_purchaser").basis.article == "第六十八条"
    old, notice = pack.superseded
    assert (old.id, old.value, old.superseded_by.article) == ("report_to_purchaser", 5, "第六十八条")
    # seed 003's notice to the unsuccessful only after the contract: looser than 第六十九条 (with the result)
    assert (notice.id, notice.superseded_by.article) == ("result_letters_after_award_letter", "第六十九条")
    assert pack.rule("result_letters_after_award_letter").value == 0


def test_the_pack_page_shows_the_superseded_local_text_with_both_bases(client):
    response = client.get(f"/rules/{FUJIAN}", headers=HTML)
    assert response.status_code == 200
    p = page(response)
    row = p.rows["superseded-report_to_purchaser"]
    assert row[1] == "不超过 5 个工作日" and row[3] == "不超过 2 个工作日"
    assert "《政府采购服务实施方案》（政府采购服务实施方案 第6篇 八、招标结果（一））" in row[2]
    assert row[4].startswith("《政府采购货物和服务招标投标管理办法》第六十八条")
    assert p.rows["rule-committee_large_threshold"][1] == "不超过 3,000,000 元"
    assert p.rows["rule-report_to_purchaser"][1] == "不超过 2 个工作日"


def _folder(tmp_path: Path, change) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(PACKS_DIR / NATIONAL, folder)
    data = yaml.safe_load((PACKS_DIR / FILE).read_text(encoding="utf-8"))
    change(data)
    (folder / FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_local_rule_weaker_than_the_statute_is_refused(tmp_path):
    def weaker(data):
        data["rules"][0]["value"] = 20_000_000

    with pytest.raises(RulePackError) as err:
        load_dir(_folder(tmp_path, weaker))
    assert "地方规则只能严于法定值" in str(err.value) and "committee_large_threshold" in str(err.value)


def test_a_superseded_rule_that_is_not_looser_is_refused(tmp_path):
    def not_looser(data):
        data["superseded"][0]["value"] = 2

    with pytest.raises(RulePackError) as err:
        load_dir(_folder(tmp_path, not_looser))
    assert "不宽于法定值" in str(err.value)


def test_a_superseded_rule_must_name_the_statute_that_governs(tmp_path):
    def unnamed(data):
        del data["superseded"][0]["superseded_by"]

    with pytest.raises(RulePackError) as err:
        load_dir(_folder(tmp_path, unnamed))
    assert "superseded_by" in str(err.value)


def test_a_local_pack_needs_its_national_pack(tmp_path):
    def unknown(data):
        data["extends"] = "gov_procurement.nothing"

    with pytest.raises(RulePackError) as err:
        load_dir(_folder(tmp_path, unknown))
    assert "国家规则包 gov_procurement.nothing 不存在" in str(err.value)


@pytest.fixture
def admin(db) -> Principal:
    name = make_user(db, Role.ADMIN, username="local-pack-admin")
    with db.unit_of_work() as s:
        user = s.scalar(select(User).where(User.username == name))
        return Principal(user_id=user.id, username=name, roles=frozenset({Role.ADMIN}))


def test_a_centre_can_make_a_local_pack_stricter_still(db, admin):
    """An override on the local pack is judged against the merged rules: national rules included."""
    from sunshine.core.errors import InvalidInput
    from sunshine.rules import service

    with db.unit_of_work() as s:
        rule = service.set_override(
            s, actor=admin, key=FUJIAN, rule_id="committee_min_size", value="7", reason="省财政厅通知"
        )
        assert (rule.value, rule.statutory_value) == (7, 5)
        with pytest.raises(InvalidInput) as err:
            service.set_override(
                s, actor=admin, key=FUJIAN, rule_id="committee_large_threshold", value="5000000", reason="x"
            )
        assert "本地调整只能严于法定值" in err.value.detail


def test_the_local_pack_page_names_the_national_sources_too(client):
    response = client.get(f"/rules/{FUJIAN}", headers=HTML)
    assert "《中华人民共和国政府采购法》" in response.text  # a national rule's source, listed with the local one
    assert "福建省" in response.text
