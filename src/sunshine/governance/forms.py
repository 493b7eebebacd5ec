"""What the governance pages share when reading a form: dates typed as 年-月-日, whole numbers, ids from a
select, each refused with the field's Chinese message (an ``InvalidInput``, shown by the page refusal)."""

from __future__ import annotations

from datetime import date

from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import stored_id


def day(text: str | None, field: str, what: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日”填写{what}，如 2026-12-14", field=field) from None


def number(text: str | None, field: str, what: str, low: int, high: int) -> int:
    value = (text or "").strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(f"{what}应为 {low} 至 {high} 的整数", field=field)
    return int(value)


def optional_id(text: str | None, field: str, what: str) -> int | None:
    if not (text or "").strip():
        return None
    found = stored_id(text)
    if found is None:
        raise InvalidInput(f"请从列表中选择{what}", field=field)
    return found


def ids(values: list[str], field: str, what: str) -> list[int]:
    out = []
    for v in values:
        for part in v.replace("，", ",").split(","):
            if part.strip():
                found = stored_id(part.strip())
                if found is None:
                    raise InvalidInput(f"{what}应为编号", field=field)
                out.append(found)
    return out
