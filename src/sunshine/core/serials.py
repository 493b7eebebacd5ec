"""Serial numbers (流水号): one row-locked counter per scope, and the check character that ends a code.

``next_serial(session, "350100E2026")`` gives 1, 2, 3… for that scope. The counter row is read with
``SELECT … FOR UPDATE``, so two registrations in the same scope wait for each other instead of taking
the same number; the number is used only when the caller's unit of work commits. Transaction codes
(``trading.codes``) and information-request numbers (``inforequests``) both allocate here.
"""

from __future__ import annotations

import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core.models import CodeSequence

ALPHABET = string.digits + string.ascii_uppercase


def next_serial(session: Session, scope: str) -> int:
    """The next number of ``scope`` (from 1), locking its counter row until the transaction ends."""
    row = session.scalar(select(CodeSequence).where(CodeSequence.scope == scope).with_for_update())
    if row is None:
        row = CodeSequence(scope=scope, next_value=1)
        session.add(row)
    serial = row.next_value
    row.next_value = serial + 1
    session.flush()
    return serial


def check_character(body: str) -> str:
    """ISO 7064-style weighted check over digits and capitals, so a mistyped code is caught."""
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % 36]
