"""Validation of the 18-character unified social credit code (统一社会信用代码, GB 32100-2015).

Layout: registration authority (1), organisation category (1), administrative division (6),
organisation code (9, itself carrying a GB 11714 check character) and a final check character
computed over the first 17 characters modulo 31.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_PATTERN = re.compile(rf"^[{ALPHABET}]{{18}}$")

# Registration authority (登记管理部门) and the categories each may issue (GB 32100-2015 附录).
AUTHORITY_CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制
    "2": "1",  # 外交
    "3": "1",  # 宗教
    "4": "1",  # 工会
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 司法行政
    "8": "129",  # 文化
    "9": "123",  # 工商 / 市场监管
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Return why ``code`` is not a valid unified social credit code, in Chinese, or None if valid."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    if not _PATTERN.match(code):
        return "统一社会信用代码含有不允许的字符（应为数字或除I、O、Z、S、V以外的大写字母）"
    categories = AUTHORITY_CATEGORIES.get(code[0])
    if categories is None or code[1] not in categories:
        return "统一社会信用代码的登记管理部门或机构类别代码无效"
    if not code[2:8].isdigit():
        return "统一社会信用代码的行政区划码应为6位数字"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确"
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def complete(first17: str) -> str:
    """The full code for 17 leading characters (used to build realistic demo data)."""
    return first17 + check_character(first17)
