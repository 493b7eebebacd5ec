"""What committees plug in at ``domains.install()``: the draw purposes with their callbacks, every exclusion
reason code with its Chinese label (the pool's and avoidance's), and the after-step hook that discloses a
project's finished draws once its results are public or it ends (any step reaching 结果已公告, 已发出中标通知书,
合同已签订, 履约中, 已完成, 已终止 or 流标 — so later steps trigger it without code here)."""

from __future__ import annotations

from sunshine.committees import avoidance, calling, drawing
from sunshine.draws import purposes, reasons
from sunshine.trading import lifecycle


def install() -> None:
    for code, label in avoidance.all_reasons().items():
        reasons.register(code, label)
    for code, label in drawing.DRAW_PURPOSE_LABELS.items():
        purposes.register(  # the seats (drawing), then the platform calls the experts (calling)
            code, label, on_drawn=calling.after_drawn, on_outcome=calling.after_outcome, names=drawing.names_for_record
        )
    calling.install()
    lifecycle.after_step(None, drawing.disclose_at_results)
    lifecycle.after_step(None, calling.release_at_end)
