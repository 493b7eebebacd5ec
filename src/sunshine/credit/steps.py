"""Credit's hooks, installed by ``domains.install()``: the disclosure publisher of penalties, the expert pool's
codes and the expert conduct that feeds the rating (the upper half handing down to the lower)."""

from __future__ import annotations

from sunshine.credit import hooks, publishing, sources


def install() -> None:
    hooks.publisher(publishing.publish, publishing.take_down)
    hooks.expert_label(sources.expert_label)
    hooks.expert_ids(sources.expert_ids)
    hooks.expert_by_code(sources.expert_by_code)
    hooks.expert_changed(sources.expert_status)  # the pool's status follows the expert's bans and suspensions
    hooks.source("expert_conduct", sources.conduct)
