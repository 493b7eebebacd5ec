"""The registry finds every method module by itself, answers by code and by the Chinese name projects store,
and refuses an unknown one with a stable 404 in Chinese."""

from __future__ import annotations

import pytest

from sunshine.core.errors import NotFound
from sunshine.evaluation import methods


def test_the_two_most_used_methods_are_found():
    codes = {m.code for m in methods.all_methods()}
    assert {"comprehensive_scoring", "lowest_evaluated_price"} <= codes


def test_every_method_states_its_basis_and_formula():
    for method in methods.all_methods():
        module = __import__(type(method).__module__)  # the engine module
        assert module is not None
        doc = __import__(f"sunshine.evaluation.methods.{method.code}", fromlist=["x"]).__doc__ or ""
        assert "Basis" in doc and "Formula" in doc, method.code
        assert method.title and method.basis
        assert method.price_only != method.scored or method.code == "single_source"


def test_by_code_and_by_title():
    assert methods.get("comprehensive_scoring").title == "综合评分法"
    assert methods.by_title("经评审的最低投标价法").code == "lowest_evaluated_price"
    assert methods.by_title(" 综合评分法 ").code == "comprehensive_scoring"


def test_unknown_code_is_a_404_in_chinese():
    with pytest.raises(NotFound) as err:
        methods.get("nonsense")
    assert err.value.status == 404 and "评审方法" in err.value.detail
    with pytest.raises(NotFound):
        methods.by_title("抓阄法")


def test_every_pack_names_known_methods_and_every_method_has_a_pack():
    from sunshine.rules.registry import registry

    named: set[str] = set()
    for key in registry():
        for pack in registry().versions(key):
            assert [m.code for m in methods.allowed(pack.evaluation_methods)] == pack.evaluation_methods
            named.update(pack.evaluation_methods)
    assert named == {m.code for m in methods.all_methods()}


def test_a_pack_refuses_a_method_it_does_not_allow():
    from sunshine.rules.registry import registry

    pack = registry().versions("engineering.open_tender")[-1]
    assert methods.check_allowed(methods.get("lowest_evaluated_price"), pack.evaluation_methods) == []
    assert methods.check_allowed(methods.get("comprehensive_scoring"), pack.evaluation_methods) == [
        "本交易方式不采用综合评分法，可选：经评审的最低投标价法、综合评估法"
    ]
