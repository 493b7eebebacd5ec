"""Exclusion reason codes of draw candidates and their Chinese labels. Owners register theirs at import or
install time; the public record lists each code with its label so that every exclusion is explained."""

from __future__ import annotations

from sunshine.core.errors import InvalidInput

_LABELS: dict[str, str] = {}


def register(code: str, label_zh: str) -> None:
    """Register (or re-register with the same label) a reason code."""
    if not code or code == "eligible" or len(code) > 60:
        raise ValueError(f"invalid reason code {code!r}")
    existing = _LABELS.get(code)
    if existing is not None and existing != label_zh:
        raise ValueError(f"reason {code!r} already registered as {existing!r}")
    _LABELS[code] = label_zh


def label(code: str) -> str:
    if code == "eligible":
        return "符合条件"
    try:
        return _LABELS[code]
    except KeyError:
        return "其他原因"


def known(code: str) -> bool:
    return code == "eligible" or code in _LABELS


def require(code: str) -> None:
    if not known(code):
        raise InvalidInput(f"候选人的排除原因未登记：{code}")


def unregister(code: str) -> None:
    """For tests that register their own reasons."""
    _LABELS.pop(code, None)
