"""Unique transaction codes (统一交易标识码), in the manner of the national public resource trading
data specification: administrative division, transaction type, year, serial number, check character.

Example: ``350100E2026000012K`` — 示范市 (350100), government procurement (E), 2026, serial 12.
"""

from __future__ import annotations

import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.trading.models import CodeSequence

TYPE_LETTERS: dict[str, str] = {
    "engineering": "A",  # 工程建设
    "land": "B",  # 土地使用权
    "mining": "C",  # 矿业权
    "state_property": "D",  # 国有产权
    "gov_procurement": "E",  # 政府采购
    "soe_procurement": "F",  # 国企采购
    "rural_property": "G",  # 农村产权
    "emission": "H",  # 排污权
}

_ALPHABET = string.digits + string.ascii_uppercase


def check_character(body: str) -> str:
    """ISO 7064-style weighted check over digits and capitals, so a mistyped code is caught."""
    total = sum((i + 1) * _ALPHABET.index(ch) for i, ch in enumerate(body))
    return _ALPHABET[total % 36]


def is_valid(code: str) -> bool:
    return len(code) == 18 and all(c in _ALPHABET for c in code) and check_character(code[:17]) == code[17]


def next_code(session: Session, *, region_code: str, transaction_type: str, year: int) -> str:
    """Allocate the next code in its scope; the row lock serialises concurrent registrations."""
    scope = f"{region_code}{TYPE_LETTERS[transaction_type]}{year}"
    row = session.scalar(select(CodeSequence).where(CodeSequence.scope == scope).with_for_update())
    if row is None:
        row = CodeSequence(scope=scope, next_value=1)
        session.add(row)
    serial = row.next_value
    row.next_value = serial + 1
    session.flush()
    body = f"{scope}{serial:06d}"
    return body + check_character(body)
