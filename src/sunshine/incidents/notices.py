"""The texts the public reads about a platform incident: the notice that it happened (故障公告), the notice that
it ended with the new dates of every affected project (恢复公告), and the suspension notice of each affected
project. Escaped HTML; the disclosure pipeline reviews and publishes them."""

from __future__ import annotations

import html
from datetime import datetime

from sunshine.core.formatting import local_time
from sunshine.trading import lifecycle
from sunshine.trading.models import Project

e = html.escape

DATE_LABELS = {
    "docs_sale_end": "招标文件获取截止",
    "bid_deadline": "投标截止",
    "opening_at": "开标",
    "decryption_ends_at": "在线解密截止",
    "auction_ends_at": "限时竞价结束",
}


def _scope_text(scope_label: str, types: list[str]) -> str:
    return f"{scope_label}（{'、'.join(types)}）" if types else scope_label


def start_title(code: str, kind_label: str) -> str:
    return f"关于平台{kind_label}的应急处置公告（{code}）"


def start_body(
    *,
    code: str,
    kind_label: str,
    description: str,
    started_at: datetime,
    scope: str,
    projects: list[Project],
    settled: list[Project],
) -> str:
    parts = [
        f"<p>自{e(local_time(started_at))}起，本交易平台发生{e(kind_label)}：{e(description)}</p>",
        f"<p>影响范围：{e(scope)}。事件编号：{e(code)}。</p>",
    ]
    if projects:
        parts.append(
            "<p>下列项目自即日起暂停，暂停期间不截止、不开标、不结束解密或竞价；故障排除后恢复，"
            "公告规定的文件获取截止、投标截止、开标时间按公布的规则顺延，顺延后的时间另行公告：</p><ul>"
        )
        parts += [
            f"<li>{e(p.code)} {e(p.name)}（暂停时：{e(lifecycle.state_label(p, p.state))}）</li>" for p in projects
        ]
        parts.append("</ul>")
    if settled:
        parts.append(
            "<p>下列项目的在线解密时限在故障期间届满，因投标人之外的原因未能解密的投标文件，"
            "依《电子招标投标办法》第三十一条视为撤回其投标文件（而非撤销）：</p><ul>"
        )
        parts += [f"<li>{e(p.code)} {e(p.name)}</li>" for p in settled]
        parts.append("</ul>")
    if not projects and not settled:
        parts.append("<p>目前没有处于投标、开标或竞价期间的项目受到影响。</p>")
    parts.append("<p>平台恢复后将另行发布恢复公告。</p>")
    return "".join(parts)


def end_title(code: str, kind_label: str) -> str:
    return f"关于平台{kind_label}处置完毕、恢复交易的公告（{code}）"


def end_body(
    *,
    code: str,
    kind_label: str,
    started_at: datetime,
    ended_at: datetime,
    note: str,
    rows: list[tuple[Project, str, dict[str, tuple[datetime, datetime]]]],
) -> str:
    """``rows``: each affected project, what happened to it, and its dates that moved (before, after)."""
    parts = [
        f"<p>本交易平台于{e(local_time(started_at))}发生的{e(kind_label)}（事件编号{e(code)}）已于"
        f"{e(local_time(ended_at))}排除，平台恢复运行。</p>",
        f"<p>处置情况：{e(note)}</p>",
    ]
    if rows:
        parts.append("<p>受影响项目恢复交易，时间安排如下：</p><ul>")
        for project, outcome, moved in rows:
            dates = "；".join(
                f"{DATE_LABELS.get(name, name)}由{e(local_time(before))}顺延至{e(local_time(after))}"
                for name, (before, after) in moved.items()
            )
            parts.append(f"<li>{e(project.code)} {e(project.name)}：{e(outcome)}{('；' + dates) if dates else ''}</li>")
        parts.append("</ul>")
    return "".join(parts)


def suspension_title(project: Project) -> str:
    return f"{project.name}暂停公告（平台故障）"


def suspension_body(project: Project, *, code: str, kind_label: str, started_at: datetime) -> str:
    return (
        f"<p>项目编号：{e(project.code)}；项目名称：{e(project.name)}</p>"
        f"<p>暂停原因：本交易平台自{e(local_time(started_at))}起发生{e(kind_label)}（应急事件{e(code)}）。</p>"
        "<p>暂停期间不截止、不开标、不结束解密或竞价。恢复安排：故障排除后恢复交易，"
        "公告规定的时间按公布的规则顺延，顺延后的时间以恢复公告为准。</p>"
    )
