"""Replay of a public draw record, whatever its construction: ``sunshine-draw-v1`` (``draws.engine``) or
``sunshine-draw-v2`` (``draws.v2``, the default for new draws). The one entry point every verifier calls: the
command line, the record page's server check, the tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sunshine.draws import engine, v2


def verify(record: Mapping[str, Any]) -> engine.Report:
    """Recompute everything a public record states; each step is one line of the report."""
    report = engine.Report()
    try:
        if record.get("version") == v2.VERSION:  # a record says its construction
            v2.verify(record, report)
        else:
            engine.verify_into(record, report)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        report.add("记录格式", False, f"记录不完整或格式不正确：{exc!r}")
    return report
