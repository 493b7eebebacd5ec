"""统一社会信用代码 validation (GB 32100-2015)."""

from hypothesis import given
from hypothesis import strategies as st

from sunshine.identity import credit_code

REAL_EXAMPLE = "91350100M000100Y43"  # the example printed in GB 32100-2015 guidance


def test_real_example_is_valid():
    assert credit_code.is_valid(REAL_EXAMPLE)


def test_wrong_check_character_is_rejected_with_reason():
    bad = REAL_EXAMPLE[:-1] + ("4" if REAL_EXAMPLE[-1] != "4" else "5")
    assert credit_code.problem(bad) == "统一社会信用代码校验位不正确"


def test_length_and_alphabet():
    assert credit_code.problem("9135010") == "统一社会信用代码应为18位"
    assert "不允许的字符" in credit_code.problem("91350100M000100I43")  # I is not in the alphabet
    assert "不允许的字符" in credit_code.problem("91350100m000100y43")


def test_authority_and_category():
    assert "登记管理部门" in credit_code.problem(credit_code.complete("B1350100M000100Y4"))
    assert "登记管理部门" in credit_code.problem(credit_code.complete("94350100M000100Y4"))


@given(
    st.text(alphabet=credit_code.ALPHABET, min_size=15, max_size=15),
    st.sampled_from(["91", "92", "93", "11", "12", "51"]),
)
def test_completed_codes_validate_and_any_single_change_is_caught(body, head):
    first17 = head + "350100" + body[6:15]
    code = credit_code.complete(first17)
    assert credit_code.is_valid(code)
    for i in range(8, 18):
        for replacement in credit_code.ALPHABET[:5]:
            if replacement == code[i]:
                continue
            mutated = code[:i] + replacement + code[i + 1 :]
            assert not credit_code.is_valid(mutated), (code, mutated)
