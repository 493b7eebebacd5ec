"""Process flowcharts (工作流程图, seed 001: 应编制公开工作流程图) drawn from the lifecycle declarations, so a
published chart never drifts from what the code allows: the states of one lifecycle as boxes down the page,
every declared step between two states as a numbered arrow, the steps that keep the state or may be taken from
any active state in a legend beside it, with the roles that take each step. Rendered as SVG on the server; the
rule-pack pages show the chart of their lifecycle (``rules/views.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sunshine.trading import lifecycle as lc

BOX_X, BOX_W, BOX_H, ROW_H, TOP = 16, 210, 34, 62, 56
LANE_X0, LANE_DX = BOX_X + BOX_W + 26, 15
LEGEND_LINE = 19
FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei',sans-serif\""
START = "new"  # the state before registration (a project not yet entered)


@dataclass(frozen=True)
class Edge:
    """A numbered step between states: from each of ``sources`` to ``target``."""

    number: int
    step: lc.Step
    sources: tuple[str, ...]
    target: str


@dataclass(frozen=True)
class Chart:
    """One lifecycle's flow: states top to bottom, edges between them, and the steps drawn as legend only."""

    lifecycle: str
    states: list[str]
    edges: list[Edge]
    keeps: list[lc.Step]  # steps that keep the state (澄清、备案 …)
    anywhere: list[lc.Step]  # steps from any active state (暂停、终止) and resuming


def state_label(lifecycle: str, state: str) -> str:
    return "进场前" if state == START else lc.state_label(lifecycle, state)


def chart(lifecycle: str) -> Chart:
    steps = [s for s in lc.STEPS.values() if lifecycle in s.lifecycles]
    order = [START, *lc.STATES]
    states: set[str] = set()
    edges: list[tuple[lc.Step, str, str]] = []
    keeps, anywhere = [], []
    for step in steps:
        if step.sources == lc.ANY_ACTIVE or step.target == lc.PREVIOUS:
            anywhere.append(step)
            if step.target not in (lc.PREVIOUS, lc.SAME):
                states.add(step.target)
            continue
        if step.target == lc.SAME:
            keeps.append(step)
            continue
        edges.append((step, tuple(sorted(step.sources, key=order.index)), step.target))
        states.update((*step.sources, step.target))
    ordered = [s for s in order if s in states]
    edges.sort(key=lambda e: (ordered.index(e[1][0]), ordered.index(e[2])))
    numbered = [Edge(i + 1, step, sources, target) for i, (step, sources, target) in enumerate(edges)]
    return Chart(lifecycle, ordered, numbered, keeps, anywhere)


def _roles(step: lc.Step) -> str:
    return "、".join(sorted(r.label for r in step.roles))


def _text(x: float, y: float, body: str, *, size: int = 13, anchor: str = "start", weight: str = "normal") -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
        f'fill="#1a1a1a" {FONT}>{escape(body)}</text>'
    )


def _badge(x: float, y: float, n: int) -> str:
    return (
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="8" fill="#fff" stroke="#b71c1c"/>'
        f'<text x="{x:.0f}" y="{y + 4:.0f}" font-size="10" text-anchor="middle" fill="#b71c1c" {FONT}>{n}</text>'
    )


def svg(lifecycle: str, title: str | None = None) -> str:
    """The flowchart of ``lifecycle`` as a standalone SVG document (UTF-8 text)."""
    c = chart(lifecycle)
    row = {state: i for i, state in enumerate(c.states)}
    centre = BOX_X + BOX_W / 2

    def y_of(state: str) -> float:
        return TOP + row[state] * ROW_H

    parts: list[str] = []
    for state in c.states:
        y = y_of(state)
        final = state in lc.FINAL_STATES
        parts.append(
            f'<rect x="{BOX_X}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{"#f3f3f3" if final else "#fff6f5"}" stroke="{"#666" if final else "#b71c1c"}"/>'
        )
        parts.append(_text(centre, y + 22, state_label(lifecycle, state), anchor="middle"))
    lane = 0
    adjacent: dict[tuple[str, str], int] = {}
    into: dict[str, int] = {}  # badges already beside a target, laid side by side
    right = BOX_X + BOX_W
    for edge in c.edges:
        if len(edge.sources) == 1 and row[edge.target] == row[edge.sources[0]] + 1:  # straight down
            key = (edge.sources[0], edge.target)
            k = adjacent.get(key, 0)
            adjacent[key] = k + 1
            x = centre - 40 * k
            y0, y1 = y_of(edge.sources[0]) + BOX_H, y_of(edge.target)
            parts.append(
                f'<path d="M{x:.0f},{y0:.0f} V{y1 - 1:.0f}" stroke="#444" fill="none" marker-end="url(#arrow)"/>'
            )
            parts.append(_badge(x + 12, (y0 + y1) / 2, edge.number))
            continue
        # one lane on the right per step: a stub from each source joins it, an arrow leaves it into the target
        x = LANE_X0 + lane * LANE_DX
        lane += 1
        ys = [y_of(s) + BOX_H / 2 + 5 for s in edge.sources]
        yt = y_of(edge.target) + BOX_H / 2 - 5
        top, bottom = min([*ys, yt]), max([*ys, yt])
        parts.append(f'<path d="M{x:.0f},{top:.0f} V{bottom:.0f}" stroke="#888" fill="none"/>')
        for y in ys:
            parts.append(f'<path d="M{right},{y:.0f} H{x:.0f}" stroke="#888" fill="none"/>')
        parts.append(f'<path d="M{x:.0f},{yt:.0f} H{right + 2}" stroke="#444" fill="none" marker-end="url(#arrow)"/>')
        k = into.get(edge.target, 0)
        into[edge.target] = k + 1
        parts.append(_badge(right + 14 + 19 * k, yt - 9, edge.number))
    legend_x = LANE_X0 + max(lane, 1) * LANE_DX + 24
    ly = TOP + 4
    parts.append(_text(legend_x, ly, "环节（编号对应图中箭头）与办理角色", weight="bold"))
    for edge in c.edges:
        ly += LEGEND_LINE
        parts.append(_text(legend_x, ly, f"{edge.number}. {edge.step.title}（{_roles(edge.step)}）", size=12))
    if c.keeps:
        ly += LEGEND_LINE * 1.5
        parts.append(_text(legend_x, ly, "不改变状态的环节", weight="bold"))
        for step in c.keeps:
            ly += LEGEND_LINE
            where = "、".join(state_label(lifecycle, s) for s in sorted(step.sources, key=c.states.index))
            parts.append(_text(legend_x, ly, f"· {step.title}（{where}；{_roles(step)}）", size=12))
    if c.anywhere:
        ly += LEGEND_LINE * 1.5
        parts.append(_text(legend_x, ly, "任一进行中状态均可", weight="bold"))
        for step in c.anywhere:
            ly += LEGEND_LINE
            to = "回到暂停前的状态" if step.target == lc.PREVIOUS else state_label(lifecycle, step.target)
            parts.append(_text(legend_x, ly, f"· {step.title} → {to}（{_roles(step)}）", size=12))
    width = legend_x + 760
    height = max(TOP + len(c.states) * ROW_H, ly + 24)
    heading = title or f"{lc_label(lifecycle)}工作流程图"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-label="{escape(heading)}">'
        f"<title>{escape(heading)}</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>'
        f'<rect width="100%" height="100%" fill="#fff"/>{_text(BOX_X, 28, heading, size=16, weight="bold")}'
        + "".join(parts)
        + "</svg>"
    )


def lc_label(lifecycle: str) -> str:
    from sunshine.core.labels import LIFECYCLE_LABELS

    return LIFECYCLE_LABELS.get(lifecycle, "交易")
