"""Unique transaction codes (统一交易标识码), in the manner of the national public resource trading
data specification: administrative division, transaction type, year, serial number, check character.

Example: ``350100E2026000012K`` — 示范市 (350100), government procurement (E), 2026, serial 12.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.core.serials import ALPHABET as _ALPHABET
from sunshine.core.serials import check_character, next_serial

__all__ = ["TYPE_LETTERS", "check_character", "is_valid", "next_code"]

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


def is_valid(code: str) -> bool:
    return len(code) == 18 and all(c in _ALPHABET for c in code) and check_character(code[:17]) == code[17]


def next_code(session: Session, *, region_code: str, transaction_type: str, year: int) -> str:
    """Allocate the next code in its scope; the row lock serialises concurrent registrations."""
    scope = f"{region_code}{TYPE_LETTERS[transaction_type]}{year}"
    body = f"{scope}{next_serial(session, scope):06d}"
    return body + check_character(body)
