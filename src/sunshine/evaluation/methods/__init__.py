"""The evaluation methods (评标/评审办法) the platform knows, found by looking at this package: every module not
starting with ``_`` (and not ``base``) exposes a ``METHOD`` that keeps the ``Method`` contract of ``base``.
Adding a method is adding a module here and naming its code in the rule packs that allow it
(``evaluation_methods`` of a pack); see docs/evaluation-methods.md.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterable

from sunshine.core.errors import NotFound
from sunshine.evaluation.methods.base import Method

_SKIP = {"base"}


@functools.cache
def _methods() -> dict[str, Method]:
    found: dict[str, Method] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _SKIP:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        method = getattr(module, "METHOD", None)
        if method is None:
            raise RuntimeError(f"评审方法模块 {info.name} 缺少 METHOD")
        if method.code != info.name:
            raise RuntimeError(f"评审方法模块 {info.name} 的 METHOD.code 应为 {info.name}")
        found[method.code] = method
    return found


def all_methods() -> list[Method]:
    """Every method, by code."""
    return list(_methods().values())


def get(code: str) -> Method:
    """The method of ``code``; an unknown code is a 404 in Chinese."""
    try:
        return _methods()[code]
    except KeyError:
        raise NotFound(f"评审方法 {code} 不存在", field="method") from None


def _names(method: Method) -> tuple[str, ...]:
    return (method.title, *getattr(method, "aliases", ()))


def by_title(title: str) -> Method:
    """The method a project names in Chinese (``project.evaluation_method``, e.g. "综合评估法")."""
    wanted = (title or "").strip()
    for method in _methods().values():
        if wanted in _names(method):
            return method
    raise NotFound(f"评审方法「{wanted}」不存在", field="evaluation_method")


def allowed(codes: Iterable[str]) -> list[Method]:
    """The methods a rule pack allows (its ``evaluation_methods``), in the pack's order."""
    return [get(code) for code in codes]


def check_allowed(method: Method, codes: Iterable[str]) -> list[str]:
    """Whether a tender under a pack allowing ``codes`` may declare ``method``, in Chinese."""
    allowed_here = allowed(codes)
    if any(m.code == method.code for m in allowed_here):
        return []
    names = "、".join(m.title for m in allowed_here) or "无"
    return [f"本交易方式不采用{method.title}，可选：{names}"]


__all__ = ["Method", "all_methods", "allowed", "by_title", "check_allowed", "get"]
