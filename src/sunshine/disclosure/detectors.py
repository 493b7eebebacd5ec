"""Automatic confidentiality review (保密审查): detectors that find personal data and negative-list terms
in a text before it is published, and the masks that redact what they find.

Pure functions, no database: identity-card numbers (GB 11643, with the check character and a real birth
date), mainland mobile numbers, bank card numbers (13–19 digits passing the Luhn check) and the terms of
the negative list (负面清单) maintained by the disclosure office.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sunshine.identity import credit_code

DETECTOR_LABELS: dict[str, str] = {
    "id_card": "居民身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "negative_list": "负面清单事项",
}

# GB 11643-1999: weights of the first 17 digits and the check characters by remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# Digits or Latin letters on either side mean the run is part of a longer code, not a number of its own.
_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_ID = re.compile(_EDGE_BEFORE + r"(\d{17}[0-9Xx])" + _EDGE_AFTER)
_MOBILE = re.compile(r"(?:(?<=\+86)|(?<=\+86[ -])|" + _EDGE_BEFORE + r")(1[3-9]\d[ -]?\d{4}[ -]?\d{4})" + _EDGE_AFTER)
_CARD_RUN = re.compile(_EDGE_BEFORE + r"(\d{13,19})" + _EDGE_AFTER)
_CARD_GROUPED = re.compile(_EDGE_BEFORE + r"(\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?)" + _EDGE_AFTER)


@dataclass(frozen=True)
class Hit:
    """One thing a detector found: where it is in the text and how it reads once masked."""

    detector: str
    start: int
    end: int
    value: str
    masked: str
    term_id: int | None = None

    @property
    def label(self) -> str:
        return DETECTOR_LABELS[self.detector]

    @property
    def fingerprint(self) -> str:
        """Identifies the finding without keeping the personal data itself (a dismissal is remembered by it)."""
        return hashlib.sha256(f"{self.detector}|{_digits_or_text(self.value)}".encode()).hexdigest()


@dataclass(frozen=True)
class Term:
    id: int
    term: str


def _digits_or_text(value: str) -> str:
    compact = re.sub(r"[ -]", "", value)
    return compact.upper() if compact.isalnum() else value


# --------------------------------------------------------------------------- identity cards


def id_check_character(first17: str) -> str:
    """The 18th character of a resident identity number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdecimal():  # isdigit admits "²", which int() refuses
        raise ValueError("应为17位数字")
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_id_number(value: str) -> bool:
    """An 18-character identity number: province code 11–82, a real birth date (1900–2099) and a valid check."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdecimal() or not (value[17].isdecimal() or value[17] == "X"):
        return False
    if not 11 <= int(value[:2]) <= 82:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    return id_check_character(value[:17]) == value[17]


def mask_id(value: str) -> str:
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# --------------------------------------------------------------------------- bank cards


def luhn_ok(digits: str) -> bool:
    if not digits.isdecimal() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The digit that makes ``body`` + digit pass the Luhn check."""
    for candidate in "0123456789":
        if luhn_ok(body + candidate):
            return candidate
    raise ValueError("无法计算校验位")  # pragma: no cover - some digit always completes the sum


def mask_card(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[:4] + " **** **** " + digits[-4:]


# --------------------------------------------------------------------------- mobiles


def mask_mobile(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[:3] + "****" + digits[-4:]


# --------------------------------------------------------------------------- scanning


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def scan(text: str, terms: Iterable[Term] = ()) -> list[Hit]:
    """Every finding in ``text``, in reading order. An identity number is not also reported as a bank card."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for m in _ID.finditer(text):
        if is_id_number(m.group(1)):
            hits.append(Hit("id_card", m.start(1), m.end(1), m.group(1), mask_id(m.group(1))))
            taken.append((m.start(1), m.end(1)))
    for pattern in (_CARD_RUN, _CARD_GROUPED):
        for m in pattern.finditer(text):
            span = (m.start(1), m.end(1))
            digits = re.sub(r"\D", "", m.group(1))
            if _overlaps(span, taken) or not 13 <= len(digits) <= 19 or not luhn_ok(digits):
                continue
            if len(digits) == 18 and not digits.startswith("62") and credit_code.problem(digits) is None:
                # A unified social credit code made only of digits is an organisation's public id. "62" is the
                # China UnionPay range: there personal data wins the tie.
                continue
            hits.append(Hit("bank_card", *span, m.group(1), mask_card(m.group(1))))
            taken.append(span)
    for m in _MOBILE.finditer(text):
        span = (m.start(1), m.end(1))
        if not _overlaps(span, taken):
            hits.append(Hit("mobile", *span, m.group(1), mask_mobile(m.group(1))))
            taken.append(span)
    lowered = text.casefold()
    for term in terms:
        needle = term.term.strip().casefold()
        if not needle:
            continue
        start = lowered.find(needle)
        while start >= 0:
            span = (start, start + len(needle))
            if not _overlaps(span, taken):
                hits.append(Hit("negative_list", *span, text[span[0] : span[1]], term.term, term_id=term.id))
                taken.append(span)
            start = lowered.find(needle, span[1])
    return sorted(hits, key=lambda h: h.start)


REDACTED_TERM = "［不予公开内容已删除］"


def redaction_of(hit: Hit) -> str:
    """What replaces a finding in the published text."""
    return REDACTED_TERM if hit.detector == "negative_list" else hit.masked


def redact(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """Replace each (start, end, replacement) span, latest first so earlier offsets stay valid."""
    out = text
    for start, end, replacement in sorted(spans, key=lambda s: s[0], reverse=True):
        out = out[:start] + replacement + out[end:]
    return out
