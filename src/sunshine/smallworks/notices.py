"""The documents the small-works draw publishes through the disclosure pipeline: the draw result (抽取结果公示,
with the fixed price, the contractor, the reserve and the link to each draw's public record with its replay
data) and the failure notice (流标公告), as sanitised HTML; and the Chinese labels of a section draw's state."""

from __future__ import annotations

import html
from datetime import date

from sunshine.core.content import sanitise
from sunshine.core.formatting import cn_day, yuan
from sunshine.smallworks.models import SectionDraw
from sunshine.trading.models import Project, Section

STATE_LABELS = {
    "prepared": "抽取中（等待见证各方签到、各方承诺与揭示）",
    "failed": "流标",
    "drawn": "已抽取，结果公示中",
    "determined": "抽取结果已确定",
    "void": "抽取结果不予采用",
}


def _draw_link(row: SectionDraw) -> str:
    if not row.draw_code:
        return "—"
    code = html.escape(row.draw_code)
    return f'<a href="/draws/{code}">抽取公开记录 {code}</a>'


def result_notice(
    project: Project,
    sections: dict[int, Section],
    rows: list[SectionDraw],
    names: dict[int, str],
    publicity_until: date,
    *,
    replaced: bool,
) -> tuple[str, str]:
    """抽取结果公示 (or its republication after a reserve was called)."""
    title = f"{project.name}{'抽取结果变更公示' if replaced else '抽取结果公示'}"
    lines = []
    for row in sorted(rows, key=lambda r: sections[r.section_id].number):
        s = sections[row.section_id]
        contractor = html.escape(names.get(row.contractor_org_id, "")) if row.contractor_org_id else "—"
        reserve = html.escape(names.get(row.reserve_org_id, "")) if row.reserve_org_id else "—"
        outcome = STATE_LABELS["drawn"] if row.state in ("drawn", "determined") else STATE_LABELS[row.state]
        if row.failed_reason:
            outcome += f"（{html.escape(row.failed_reason)}）"
        lines.append(
            "<tr>"
            f"<td>第 {s.number} 标段：{html.escape(s.name)}</td>"
            f"<td>{yuan(row.fixed_price)}</td>"
            f"<td>{row.eligible_count} / {row.pool_count}</td>"
            f"<td>{contractor}</td>"
            f"<td>{reserve}</td>"
            f"<td>{outcome}</td>"
            f"<td>{_draw_link(row)}</td>"
            "</tr>"
        )
    body = (
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）按小额工程固定价抽取规则，"
        "在报名截止后于本平台公开随机抽取承包人，监督部门、交易中心和招标人（代理机构）签到见证。结果如下：</p>"
        "<table><thead><tr><th>标段</th><th>固定价（元）</th><th>合格报名人 / 报名人</th><th>中选承包人</th>"
        "<th>备选承包人</th><th>结果</th><th>抽取记录</th></tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table>"
        f"<p>公示期至 {cn_day(publicity_until)}（含当日）。对抽取结果有异议的，可在公示期内向招标人或交易中心提出，"
        "也可向项目监督部门反映。公示期满无异议的，抽取结果确定，招标人与中选承包人按固定价签订合同。</p>"
        "<p>抽取的候选名单（每个报名人一个加盐哈希值）、参加各方的承诺值与揭示值、随机种子和抽取顺序均已记入全程"
        "留痕日志；每个标段的抽取公开记录列出全部报名人的盐值、状态与不合格原因，任何人可以在浏览器中或用命令行"
        "工具重新计算、核验抽取结果。中选人放弃或被查实不符合条件的，按同一抽取顺序由备选人递补，并重新公示。</p>"
    )
    return title[:300], sanitise(body)


def failed_notice(project: Project, sections: dict[int, Section], rows: list[SectionDraw]) -> tuple[str, str]:
    """流标公告 of a draw project."""
    lines = []
    for row in sorted(rows, key=lambda r: sections[r.section_id].number):
        s = sections[row.section_id]
        lines.append(
            "<tr>"
            f"<td>第 {s.number} 标段：{html.escape(s.name)}</td>"
            f"<td>{yuan(row.fixed_price)}</td>"
            f"<td>{row.eligible_count} / {row.pool_count}</td>"
            f"<td>{html.escape(row.failed_reason or STATE_LABELS[row.state])}</td>"
            f"<td>{_draw_link(row)}</td>"
            "</tr>"
        )
    body = (
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）小额工程固定价抽取流标，情况如下：</p>"
        "<table><thead><tr><th>标段</th><th>固定价（元）</th><th>合格报名人 / 报名人</th><th>流标原因</th>"
        "<th>抽取记录</th></tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table>"
        "<p>招标人可依法重新组织。已缴纳的保证金按规定退还。</p>"
    )
    return f"{project.name}抽取流标公告"[:300], sanitise(body)
