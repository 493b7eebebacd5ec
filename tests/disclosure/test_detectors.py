"""The confidentiality-review detectors: identity numbers with their GB 11643 check character, mobile numbers
that are not part of longer digit runs, bank card numbers passing the Luhn check, and negative-list terms."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sunshine.disclosure import detectors
from sunshine.disclosure.detectors import Term, id_check_character, luhn_check_digit, scan

REGIONS = st.integers(min_value=110000, max_value=829999)
BIRTHS = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
SEQUENCES = st.integers(min_value=0, max_value=999)


def _id_body(region: int, born: date, seq: int) -> str:
    return f"{region:06d}{born:%Y%m%d}{seq:03d}"


@given(REGIONS, BIRTHS, SEQUENCES)
def test_every_valid_identity_number_is_found_and_masked(region, born, seq):
    body = _id_body(region, born, seq)
    number = body + id_check_character(body)
    hits = scan(f"申请人身份证号：{number}，特此公示。")
    assert [(h.detector, h.value) for h in hits] == [("id_card", number)]
    assert hits[0].masked == number[:4] + "*" * 10 + number[-4:]


@given(REGIONS, BIRTHS, SEQUENCES, st.sampled_from("0123456789X"))
def test_an_identity_number_with_a_wrong_check_character_is_not_flagged_as_one(region, born, seq, last):
    body = _id_body(region, born, seq)
    if last == id_check_character(body):
        last = "0" if last != "0" else "1"
    hits = scan(f"编号 {body}{last} 。")
    assert all(h.detector != "id_card" for h in hits)


@given(st.integers(min_value=12, max_value=18), st.data())
def test_every_luhn_valid_card_number_is_found(length, data):
    body = "62" + "".join(data.draw(st.lists(st.sampled_from("0123456789"), min_size=length - 2, max_size=length - 2)))
    number = body + luhn_check_digit(body)
    hits = scan(f"退款账户 {number} 。")
    kinds = {h.detector for h in hits}
    # an 18-digit number that is also a valid identity number is reported as one (never twice)
    assert kinds in ({"bank_card"}, {"id_card"})
    if kinds == {"bank_card"}:
        assert hits[0].masked.startswith("6") and hits[0].masked.endswith(number[-4:])


@given(st.integers(min_value=12, max_value=18), st.data())
def test_a_card_number_failing_luhn_is_not_flagged(length, data):
    body = "62" + "".join(data.draw(st.lists(st.sampled_from("0123456789"), min_size=length - 2, max_size=length - 2)))
    good = luhn_check_digit(body)
    bad = str((int(good) + 1) % 10)
    assert all(h.detector != "bank_card" for h in scan(f"账户 {body}{bad} 。"))


def test_grouped_card_numbers_are_found():
    body = "622202123456789"
    number = body + luhn_check_digit(body)
    grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert [h.detector for h in scan(f"开户行账号：{grouped}")] == ["bank_card"]


def test_mobiles_are_found_but_not_inside_longer_runs_or_landlines():
    text = (
        "联系人手机 13812345678；另一号码 +86 139-1234-5678；"
        "座机 0591-87110000；编号 8613800000000；订单 2138123456789；统一交易标识码 350100A2026000012K"
    )
    hits = scan(text)
    assert [(h.detector, h.masked) for h in hits] == [("mobile", "138****5678"), ("mobile", "139****5678")]


def test_a_numeric_credit_code_is_not_a_bank_card():
    """Some unified social credit codes are all digits and happen to pass Luhn; they are public, not cards."""
    from sunshine.identity import credit_code

    candidates = (credit_code.complete(f"12350100{n:09d}") for n in range(100_000))
    code = next(c for c in candidates if c.isdigit() and credit_code.problem(c) is None and detectors.luhn_ok(c))
    assert scan(f"统一社会信用代码：{code}") == []


def test_negative_list_terms_are_found_case_insensitively_and_redacted():
    text = "本项目涉及某涉密工程（代号 Alpha-7）的配套设施。"
    hits = scan(text, [Term(1, "涉密工程"), Term(2, "alpha-7")])
    assert [(h.detector, h.term_id) for h in hits] == [("negative_list", 1), ("negative_list", 2)]
    redacted = detectors.redact(text, [(h.start, h.end, detectors.redaction_of(h)) for h in hits])
    assert "涉密工程" not in redacted and "Alpha-7" not in redacted
    assert redacted.count(detectors.REDACTED_TERM) == 2


def test_birth_dates_must_exist():
    body = "11010519490230002"  # 30 February
    assert not detectors.is_id_number(body + id_check_character(body))
    assert (date(1949, 2, 28) + timedelta(days=1)).day == 1


def test_digits_int_cannot_read_are_not_numbers():
    """str.isdigit admits "²", which int() refuses: such text is simply not an identity or card number (the
    expert's application answers the form's refusal, not a 500); full-width digits still are digits."""
    assert not detectors.is_id_number("²" * 17 + "X") and not detectors.luhn_ok("²²²²")
    body = "11010519491231002"
    assert detectors.is_id_number(body + id_check_character(body))
    wide = "".join(chr(ord(d) + 0xFEE0) for d in body)  # １１０１…
    assert detectors.is_id_number(wide + id_check_character(body))
