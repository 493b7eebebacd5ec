"""The shipped rule packs: every file loads and validates, every pack the issue names exists, every rule of
DESIGN §3's table is in the right packs with its basis, a malformed pack is refused with its file and field
named, and the version in force on a date is the one chosen."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sunshine.core.errors import InvalidInput, NotFound
from sunshine.rules.pack_format import LawBasis, RulePackError, SeedBasis
from sunshine.rules.registry import PACKS_DIR, load_dir, registry
from sunshine.rules.service import basis_text, format_value

TODAY = date(2026, 11, 23)

# (transaction_type, method) of every pack the issue asks for.
REQUIRED = [
    ("engineering", "open_tender"),
    ("engineering", "invited_tender"),
    ("engineering", "small_works_draw"),
    ("gov_procurement", "open_tender"),
    ("gov_procurement", "invited_tender"),
    ("gov_procurement", "competitive_negotiation"),
    ("gov_procurement", "competitive_consultation"),
    ("gov_procurement", "enquiry"),
    ("gov_procurement", "single_source"),
    ("state_property", "listing"),
    ("land", "tender"),
    ("land", "auction"),
    ("land", "listing"),
    ("mining", "auction"),
    ("mining", "listing"),
    ("soe_procurement", "open_tender"),
    ("rural_property", "listing"),
    ("emission", "listing"),
    ("disclosure", "information_request"),
    ("disclosure", "information_request_legacy"),
    ("disclosure", "fees"),
    ("disclosure", "proactive"),
    ("disclosure", "licence_penalty"),
    ("centre", "service"),
    ("centre", "expert_pool"),
    ("centre", "venues"),
    ("centre", "supervision"),
]

ENGINEERING = ["engineering.open_tender", "engineering.invited_tender"]
PROCUREMENT_TENDER = ["gov_procurement.open_tender", "gov_procurement.invited_tender"]
PROCUREMENT_ALL = [
    *PROCUREMENT_TENDER,
    "gov_procurement.competitive_negotiation",
    "gov_procurement.competitive_consultation",
    "gov_procurement.enquiry",
    "gov_procurement.single_source",
]
PROCUREMENT_EVALUATED = [k for k in PROCUREMENT_ALL if k != "gov_procurement.single_source"]
NON_TENDER = ["gov_procurement.competitive_negotiation", "gov_procurement.enquiry"]

# DESIGN §3, row by row: packs, rule id, value, unit, bound, and what its basis must name.
DESIGN_TABLE = [
    (ENGINEERING, "docs_to_bid_deadline", 20, "calendar_days", "min", "招标投标法》第二十四条"),
    (PROCUREMENT_TENDER, "docs_to_bid_deadline", 20, "calendar_days", "min", "政府采购法》第三十五条"),
    (ENGINEERING, "docs_sale_period", 5, "calendar_days", "min", "实施条例》第十六条"),
    (PROCUREMENT_TENDER, "docs_sale_period", 5, "working_days", "min", "政府采购法实施条例》第三十一条"),
    (ENGINEERING, "clarification_before_deadline", 15, "calendar_days", "min", "实施条例》第二十一条"),
    (PROCUREMENT_TENDER, "clarification_before_deadline", 15, "calendar_days", "min", "实施条例》第三十一条"),
    ([*ENGINEERING, *PROCUREMENT_TENDER], "opening_change_notice", 3, "calendar_days", "min", "003_48cc1119db6ce9af"),
    (ENGINEERING, "objection_before_deadline", 10, "calendar_days", "min", "实施条例》第二十二条"),
    (ENGINEERING, "objection_answer", 3, "calendar_days", "max", "实施条例》第二十二条"),
    (ENGINEERING, "min_bids", 3, "count", "min", "实施条例》第四十四条"),
    (PROCUREMENT_TENDER, "min_bids", 3, "count", "min", "政府采购法》第三十六条"),
    (ENGINEERING, "failed_attempts_before_method_change", 2, "count", "min", "工程建设项目施工招标投标办法"),
    (PROCUREMENT_TENDER, "failed_attempts_before_method_change", 2, "count", "min", "003_48cc1119db6ce9af"),
    (ENGINEERING, "opening_at_deadline", 0, "hours", "exact", "招标投标法》第三十四条"),
    (ENGINEERING, "committee_min_size", 5, "count", "min", "招标投标法》第三十七条"),
    (ENGINEERING, "expert_share_min", Decimal("66.67"), "percent", "min", "招标投标法》第三十七条"),
    (PROCUREMENT_TENDER, "committee_min_size", 5, "count", "min", "管理办法》第四十七条"),
    (PROCUREMENT_TENDER, "committee_large_min_size", 7, "count", "min", "管理办法》第四十七条"),
    (ENGINEERING, "candidate_publicity_within", 3, "calendar_days", "max", "实施条例》第五十四条"),
    (ENGINEERING, "candidate_publicity_period", 3, "calendar_days", "min", "实施条例》第五十四条"),
    (PROCUREMENT_TENDER, "report_to_purchaser", 2, "working_days", "max", "管理办法》第六十八条"),
    (PROCUREMENT_TENDER, "purchaser_confirm", 5, "working_days", "max", "管理办法》第六十八条"),
    (PROCUREMENT_TENDER, "result_notice_within", 2, "working_days", "max", "管理办法》第六十九条"),
    (ENGINEERING, "contract_within", 30, "calendar_days", "max", "招标投标法》第四十六条"),
    (PROCUREMENT_ALL, "contract_within", 30, "calendar_days", "max", "政府采购法》第四十六条"),
    (PROCUREMENT_ALL, "contract_publish_within", 2, "working_days", "max", "实施条例》第五十条"),
    (ENGINEERING, "deposit_max_percent", 2, "percent", "max", "实施条例》第二十六条"),
    (PROCUREMENT_TENDER, "deposit_max_percent", 2, "percent", "max", "实施条例》第三十三条"),
    (ENGINEERING, "deposit_refund_within", 5, "calendar_days", "max", "实施条例》第五十七条"),
    (PROCUREMENT_TENDER, "deposit_refund_within", 5, "working_days", "max", "管理办法》第三十八条"),
    (PROCUREMENT_ALL, "challenge_within", 7, "working_days", "max", "政府采购法》第五十二条"),
    (PROCUREMENT_ALL, "challenge_answer", 7, "working_days", "max", "政府采购法》第五十三条"),
    (PROCUREMENT_ALL, "complaint_within", 15, "working_days", "max", "政府采购法》第五十五条"),
    (PROCUREMENT_ALL, "complaint_decide", 30, "working_days", "max", "政府采购法》第五十六条"),
    (ENGINEERING, "complaint_within", 10, "calendar_days", "max", "实施条例》第六十条"),
    (ENGINEERING, "complaint_accept", 3, "working_days", "max", "实施条例》第六十一条"),
    (ENGINEERING, "complaint_decide", 30, "working_days", "max", "实施条例》第六十一条"),
    (NON_TENDER, "response_period", 3, "working_days", "min", "非招标采购方式管理办法》第"),
    (["gov_procurement.competitive_consultation"], "response_period", 10, "calendar_days", "min", "暂行办法》第十条"),
    (
        ["gov_procurement.single_source"],
        "single_source_publicity_period",
        5,
        "working_days",
        "min",
        "实施条例》第三十八条",
    ),
    (["disclosure.proactive"], "publish_within", 20, "working_days", "max", "政府信息公开条例》第二十六条"),
    (["disclosure.licence_penalty"], "publish_within", 7, "working_days", "max", "001_39190db0976fef2a"),
    (["disclosure.gip_2019"], "answer_within", 20, "working_days", "max", "政府信息公开条例》第三十三条"),
    (["disclosure.gip_2019"], "extension_max", 20, "working_days", "max", "政府信息公开条例》第三十三条"),
    (["disclosure.gip_2019"], "third_party_opinion_within", 15, "working_days", "max", "政府信息公开条例》第三十二条"),
    (["disclosure.gip_2019"], "correction_notice_within", 7, "working_days", "max", "政府信息公开条例》第三十条"),
    (["disclosure.seed_legacy"], "answer_within", 15, "working_days", "max", "001_39190db0976fef2a"),
    (["disclosure.seed_legacy"], "extension_max", 15, "working_days", "max", "001_39190db0976fef2a"),
    (["disclosure.seed_legacy"], "route_within", 2, "working_days", "max", "001_39190db0976fef2a"),
    (["disclosure.seed_legacy"], "review_within", 10, "working_days", "max", "001_39190db0976fef2a"),
    (["disclosure.gip_2019", "disclosure.seed_legacy"], "route_within", 2, "working_days", "max", ""),
    (["disclosure.fees"], "count_free_max", 10, "count", "exact", "信息处理费管理办法》"),
    (["disclosure.fees"], "count_tier1_max", 30, "count", "exact", "信息处理费管理办法》"),
    (["disclosure.fees"], "count_tier1_price", 100, "yuan", "exact", "信息处理费管理办法》"),
    (["disclosure.fees"], "pages_free_max", 30, "count", "exact", "信息处理费管理办法》"),
    (["disclosure.fees"], "pages_tier3_price", 40, "yuan", "exact", "信息处理费管理办法》"),
    (["engineering.small_works_draw"], "draw_threshold", 500000, "yuan", "max", "004_22d77745fdbb4664"),
    (["centre.service"], "acceptance_within", 2, "working_days", "max", "平台默认值"),
    (["centre.service"], "green_acceptance_within", 1, "working_days", "max", "平台默认值"),
    (["centre.experts"], "min_practice_years", 8, "count", "min", "第三十七条"),
    (["centre.experts"], "min_title_rank", 3, "count", "min", "第三十七条"),
    (["centre.experts"], "max_age", 70, "count", "max", "平台默认值"),
    (["centre.venues"], "min_gap_between_sessions", 30, "minutes", "min", "平台默认值"),
    (["centre.venues"], "opening_session_minutes", 120, "minutes", "min", "平台默认值"),
    (["centre.supervision"], "opinion_answer_days", 10, "working_days", "max", "平台默认值"),
]


def test_every_shipped_pack_loads_and_cites_its_sources():
    reg = load_dir(PACKS_DIR)  # fresh, not the cached one: this is the validation at load
    assert len([k for k in reg if reg.versions(k)[0].extends is None]) == len(REQUIRED)  # local packs aside
    for key in reg:
        for pack in reg.versions(key):
            source_names = {s.name for s in pack.sources}
            assert all(name.startswith("《") for name in source_names), pack.key
            for rule in pack.rules:
                if isinstance(rule.basis, LawBasis):
                    assert rule.basis.law in source_names
                    # No article means the text must say why (never a made-up article number).
                    assert rule.basis.article or rule.basis.text, (pack.key, rule.id)
                elif isinstance(rule.basis, SeedBasis):
                    assert rule.basis.section
                else:
                    assert "本地" in rule.basis.default, (pack.key, rule.id)  # where the real value is found
                assert basis_text(rule.basis.model_dump(exclude_none=True))


@pytest.mark.parametrize(("transaction_type", "method"), REQUIRED)
def test_every_required_pack_exists_and_is_in_force(transaction_type, method):
    pack = registry().for_type_method(transaction_type, method, TODAY)
    assert pack.transaction_type == transaction_type and pack.method == method
    assert pack.effective_from <= TODAY
    assert any("\u4e00" <= ch <= "\u9fff" for ch in pack.name)  # a Chinese name


@pytest.mark.parametrize(
    ("keys", "rule_id", "value", "unit", "bound", "basis"),
    DESIGN_TABLE,
    ids=[f"{row[1]}-{row[0][0]}" for row in DESIGN_TABLE],
)
def test_design_table_rule_is_in_the_right_packs(keys, rule_id, value, unit, bound, basis):
    for key in keys:
        rule = registry().in_force(key, TODAY).rule(rule_id)
        assert rule is not None, f"{key} lacks {rule_id}"
        assert (rule.value, rule.unit, rule.bound) == (Decimal(value), unit, bound), key
        dumped = rule.basis.model_dump(exclude_none=True)
        # a seed basis is shown by the document's title; the file it came from stays in the data
        assert basis in basis_text(dumped) or basis in dumped.get("seed", ""), key


def test_shared_rule_ids_mean_the_same_thing_everywhere():
    """A rule id shared by several packs always uses the same bound (its meaning), units may differ."""
    bounds: dict[str, set[str]] = {}
    for pack in registry().current(TODAY):
        for rule in pack.rules:
            bounds.setdefault(rule.id, set()).add(rule.bound)
    assert {k: v for k, v in bounds.items() if len(v) > 1} == {}
    assert {
        "docs_to_bid_deadline",
        "min_bids",
        "contract_within",
        "deposit_max_percent",
        "decryption_window",
        "listing_period",
        "notice_before_start",
    } <= bounds.keys()


def test_small_works_draw_is_a_draw_below_500000_yuan():
    pack = registry().for_type_method("engineering", "small_works_draw", TODAY)
    assert pack.lifecycle == "draw"
    threshold = pack.rule("draw_threshold")
    assert format_value(threshold.value, threshold.unit) == "500,000 元"


# --------------------------------------------------------------------------- malformed packs

SAMPLE = "gov_procurement.single_source.2018-03-01.yaml"


def _broken(tmp_path: Path, change, name: str = SAMPLE) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(PACKS_DIR / "land.auction.2007-11-01.yaml", folder)
    data = yaml.safe_load((PACKS_DIR / SAMPLE).read_text(encoding="utf-8"))
    text = change(data)
    if not isinstance(text, str):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _set(path, value):
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _append_rule_copy(data):
    data["rules"].append(dict(data["rules"][0]))


def _drop(field):
    def change(data):
        del data[field]

    return change


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (_set(("rules", 0, "colour"), "red"), "rules[0].colour（规则 single_source_publicity_period）", "不允许的字段"),
        (_set(("rules", 1, "unit"), "weeks"), "rules[1].unit（规则 result_notice_within）", "取值应为"),
        (_set(("rules", 1, "bound"), "at_least"), "rules[1].bound（规则 result_notice_within）", "取值应为"),
        (_set(("rules", 2, "value"), -30), "rules[2].value（规则 contract_within）", "不能为负数"),
        (_set(("rules", 2, "value"), 2.5), "rules[2]（规则 contract_within）", "日数必须为整数"),
        (_set(("effective_from",), "not a date"), "effective_from", "应为日期"),
        (_set(("lifecycle",), "bidding"), "lifecycle", "取值应为"),
        (_set(("rules", 0, "basis", "law"), "《不存在的法》"), "(整个文件)", "未列入 sources"),
        (_append_rule_copy, "(整个文件)", "规则编号 single_source_publicity_period 重复"),
        (_drop("rules"), "rules", "缺少必填字段"),
        (lambda data: "key: [unclosed\n", "第 2 行", "不是有效的 YAML"),
    ],
    ids=[
        "unknown-field",
        "bad-unit",
        "bad-bound",
        "negative",
        "fractional-days",
        "bad-date",
        "bad-lifecycle",
        "basis-not-a-source",
        "duplicate-rule",
        "no-rules",
        "bad-yaml",
    ],
)
def test_malformed_pack_is_refused_naming_file_and_field(tmp_path, change, field, message):
    folder = _broken(tmp_path, change)
    with pytest.raises(RulePackError) as caught:
        load_dir(folder)
    error = caught.value
    assert error.file == SAMPLE
    assert error.field == field
    assert message in error.message
    assert str(error).startswith(f"规则包文件 {SAMPLE} 无效：{field}：")


def test_pack_whose_file_name_does_not_match_is_refused(tmp_path):
    folder = _broken(tmp_path, lambda data: None, name="gov_procurement.single_source.yaml")
    with pytest.raises(RulePackError, match="文件名应为 gov_procurement.single_source.2018-03-01.yaml"):
        load_dir(folder)


def test_two_packs_for_the_same_method_are_refused(tmp_path):
    def other_key(data):
        data["key"] = "gov_procurement.single_source_copy"

    folder = _broken(tmp_path, other_key, name="gov_procurement.single_source_copy.2018-03-01.yaml")
    shutil.copy(PACKS_DIR / SAMPLE, folder)
    with pytest.raises(RulePackError, match="交易类型与方式已由规则包"):
        load_dir(folder)


# --------------------------------------------------------------------------- versions by date


def test_the_version_in_force_on_a_date_is_chosen():
    reg = registry()
    assert [p.version for p in reg.versions("land.listing")] == ["2002-07-01", "2007-11-01"]
    old = reg.in_force("land.listing", date(2007, 10, 31))
    new = reg.in_force("land.listing", date(2007, 11, 1))
    assert (old.version, old.rule("listing_period").unit) == ("2002-07-01", "working_days")
    assert (new.version, new.rule("listing_period").unit) == ("2007-11-01", "calendar_days")
    assert reg.in_force("land.listing", TODAY) == new
    assert reg.get("land.listing", "2002-07-01") == old
    assert reg.for_type_method("land", "listing", date(2005, 1, 1)) == old


def test_no_version_yet_unknown_pack_and_unknown_method_are_clear_errors():
    with pytest.raises(
        InvalidInput, match="2001-01-01 时国有土地使用权挂牌出让（land.listing）尚无施行的版本"
    ) as early:
        registry().in_force("land.listing", date(2001, 1, 1))
    assert early.value.extra["field"] == "on"
    with pytest.raises(NotFound, match="规则包 land.barter 不存在"):
        registry().in_force("land.barter", TODAY)
    with pytest.raises(NotFound, match="没有 1999-01-01 版本"):
        registry().get("land.listing", "1999-01-01")
    with pytest.raises(InvalidInput, match="工程建设没有“拍卖”方式的规则包") as method:
        registry().for_type_method("engineering", "auction", TODAY)
    assert method.value.extra["field"] == "method"
