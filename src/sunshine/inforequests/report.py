"""The annual report on government information disclosure (政府信息公开工作年度报告) in the structure
of the national template (国办公开办函〔2021〕30号): 一 overview text, 二 proactive disclosure figures,
三 the request table (applicant columns × outcome rows), 四 reviews and lawsuits, 五 problems, 六 other
matters (with the processing fees charged), and the balance check of table 三:
new + carried over = handled (总计) + carried forward. The figures of 三 and 四 are computed from the
requests; the office writes the text and the figures of 二 that the platform does not hold.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput
from sunshine.inforequests import states
from sunshine.inforequests.models import AnnualReportDraft, InfoRequest, RequestReview
from sunshine.ledger import service as ledger

COLUMNS: list[tuple[str, str]] = [(k, v) for k, v in states.APPLICANT_TYPES.items()] + [("total", "总计")]
COLUMN_KEYS = [k for k, _ in COLUMNS]

#: Table 二 of the template: (key, Chinese row, fields as (key, label)).
PROACTIVE_ROWS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "regulations",
        "第二十条第（一）项",
        "规章",
        [("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
    ),
    (
        "normative",
        "第二十条第（一）项",
        "行政规范性文件",
        [("made", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
    ),
    ("licences", "第二十条第（五）项", "行政许可", [("decisions", "本年处理决定数量")]),
    ("penalties", "第二十条第（六）项", "行政处罚", [("decisions", "本年处理决定数量")]),
    ("enforcement", "第二十条第（六）项", "行政强制", [("decisions", "本年处理决定数量")]),
    ("charges", "第二十条第（八）项", "行政事业性收费", [("amount", "本年收费金额（单位：万元）")]),
]
REVIEW_COLUMNS = [k for k in states.REVIEW_RESULTS] + ["total"]

#: Figures of table 二 that another domain records on the platform, by (row key, field): (what they count,
#: callable(session, year) -> int). Shown beside the office's own figure as 平台记录; registered by that domain
#: at ``domains.install()`` (governance: rules and normative documents adopted after consultation).
PLATFORM_FIGURES: dict[tuple[str, str], tuple[str, Callable[[Session, int], int]]] = {}


def register_figure(row: str, field: str, label: str, count: Callable[[Session, int], int]) -> None:
    if not any(key == row and field in dict(fields) for key, _, _, fields in PROACTIVE_ROWS):
        raise ValueError(f"年度报告表二没有 {row}/{field} 这一栏")
    PLATFORM_FIGURES[(row, field)] = (label, count)


@dataclass
class AnnualReport:
    year: int
    table: dict[str, dict[str, int]]
    check: dict[str, dict[str, int | bool]]
    reviews: dict[str, dict[str, int]]
    proactive: dict[str, dict[str, Any]]
    published: dict[str, int | None]
    fees: dict[str, Any]
    overview: str = ""
    problems: str = ""
    other: str = ""
    updated_at: datetime | None = None
    balanced: bool = field(default=True)
    platform: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return states.REPORT_ROWS


def _bounds(year: int) -> tuple[date, date]:
    if not 2000 <= year <= 2099:
        raise InvalidInput("年份应在2000至2099之间", field="year")
    return date(year, 1, 1), date(year, 12, 31)


def request_table(session: Session, year: int) -> dict[str, dict[str, int]]:
    """Table 三: every row of the template, every applicant column, from the requests themselves."""
    first, last = _bounds(year)
    table = {key: dict.fromkeys(COLUMN_KEYS, 0) for key, _, _ in states.REPORT_ROWS}
    rows = session.execute(
        select(InfoRequest.applicant_type, InfoRequest.received_on, InfoRequest.concluded_on, InfoRequest.category)
        .where(InfoRequest.received_on <= last)
        .where(or_(InfoRequest.concluded_on.is_(None), InfoRequest.concluded_on >= first))
    ).all()

    def add(row: str, column: str) -> None:
        table[row][column] += 1
        table[row]["total"] += 1

    for applicant, received, concluded, category in rows:
        add("new" if received >= first else "carried_over", applicant)
        if concluded is not None and concluded <= last:
            add(category if category in states.RESULT_LEAVES else "other_other", applicant)
        else:
            add("carried_forward", applicant)
    for group, leaves in states.REPORT_GROUPS.items():
        for column in COLUMN_KEYS:
            table[group][column] = sum(table[leaf][column] for leaf in leaves)
    for column in COLUMN_KEYS:
        table["total"][column] = sum(table[leaf][column] for leaf in ("disclosed", "partly", *states.REPORT_GROUPS))
    return table


def balance(table: dict[str, dict[str, int]]) -> dict[str, dict[str, int | bool]]:
    """本年新收 + 上年结转 = 办理结果总计 + 结转下年度, column by column."""
    out: dict[str, dict[str, int | bool]] = {}
    for column in COLUMN_KEYS:
        incoming = table["new"][column] + table["carried_over"][column]
        outgoing = table["total"][column] + table["carried_forward"][column]
        out[column] = {"incoming": incoming, "outgoing": outgoing, "ok": incoming == outgoing}
    return out


def review_table(session: Session, year: int) -> dict[str, dict[str, int]]:
    """Table 四: reviews and lawsuits filed in the year, by result as it stood at the year's end."""
    first, last = _bounds(year)
    table = {kind: dict.fromkeys(REVIEW_COLUMNS, 0) for kind in states.REVIEW_KINDS}
    for kind, result, decided in session.execute(
        select(RequestReview.kind, RequestReview.result, RequestReview.decided_on).where(
            RequestReview.filed_on >= first, RequestReview.filed_on <= last
        )
    ).all():
        column = result if decided is not None and decided <= last else "pending"
        table[kind][column] += 1
        table[kind]["total"] += 1
    return table


def _utc_bounds(year: int) -> tuple[datetime, datetime]:
    from sunshine.config import get_settings

    tz = get_settings().tz
    start = datetime.combine(date(year, 1, 1), time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def published_counts(session: Session, year: int) -> dict[str, int | None]:
    """What the platform itself published in the year: the disclosure publications when that package is
    installed, and the trading notices (招标/采购/出让公告 and their corrections)."""
    start, end = _utc_bounds(year)
    from sunshine.trading.models import Notice

    notices = session.scalar(
        select(func.count()).select_from(Notice).where(Notice.published_at >= start, Notice.published_at < end)
    )
    publications: int | None = None
    try:
        from sunshine.disclosure.models import Publication
    except ImportError:  # pragma: no cover - the disclosure package is optional here
        Publication = None  # noqa: N806
    if Publication is not None and hasattr(Publication, "published_at"):
        publications = session.scalar(
            select(func.count())
            .select_from(Publication)
            .where(Publication.published_at >= start, Publication.published_at < end)
        )
    return {"notices": notices or 0, "publications": publications}


def fee_summary(session: Session, year: int) -> dict[str, Any]:
    first, last = _bounds(year)
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(InfoRequest.fee_amount), 0)).where(
            InfoRequest.answered_on >= first, InfoRequest.answered_on <= last, InfoRequest.fee_amount > 0
        )
    ).one()
    return {"count": count or 0, "amount": Decimal(total or 0).quantize(Decimal("0.01"))}


def _proactive(draft: AnnualReportDraft | None) -> dict[str, dict[str, Any]]:
    stored = json.loads(draft.proactive) if draft is not None and draft.proactive else {}
    return {key: {f: stored.get(key, {}).get(f) for f, _ in fields} for key, _, _, fields in PROACTIVE_ROWS}


def build(session: Session, year: int) -> AnnualReport:
    table = request_table(session, year)
    check = balance(table)
    draft = session.get(AnnualReportDraft, year)
    return AnnualReport(
        year=year,
        table=table,
        check=check,
        reviews=review_table(session, year),
        proactive=_proactive(draft),
        published=published_counts(session, year),
        fees=fee_summary(session, year),
        overview=draft.overview if draft else "",
        problems=draft.problems if draft else "",
        other=draft.other if draft else "",
        updated_at=draft.updated_at if draft else None,
        balanced=all(c["ok"] for c in check.values()),
        platform=platform_figures(session, year),
    )


def platform_figures(session: Session, year: int) -> dict[str, dict[str, tuple[str, int]]]:
    out: dict[str, dict[str, tuple[str, int]]] = {}
    for (row, name), (label, count) in PLATFORM_FIGURES.items():
        out.setdefault(row, {})[name] = (label, count(session, year))
    return out


def parse_figure(text: str | None, *, money: bool = False) -> int | Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise InvalidInput("请填写数字") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise InvalidInput("请填写不小于0的数字")
    if money:
        return value.quantize(Decimal("0.0001"))
    if value != value.to_integral_value():
        raise InvalidInput("件数应为整数")
    return int(value)


def save_draft(
    session: Session,
    *,
    actor: Principal,
    year: int,
    overview: str,
    problems: str,
    other: str,
    proactive: dict[str, dict[str, int | Decimal | None]],
) -> AnnualReportDraft:
    """Store the office's text and hand-entered figures for ``year`` (the computed tables stay computed)."""
    _bounds(year)
    for name, text in (("overview", overview), ("problems", problems), ("other", other)):
        if len(text or "") > 20000:
            raise InvalidInput("每部分文字最多 20000 字", field=name)
    clean: dict[str, dict[str, str | int | None]] = {}
    for key, _, _, fields in PROACTIVE_ROWS:
        values = proactive.get(key, {})
        clean[key] = {
            f: (str(values.get(f)) if isinstance(values.get(f), Decimal) else values.get(f)) for f, _ in fields
        }
    draft = session.get(AnnualReportDraft, year) or AnnualReportDraft(year=year)
    draft.overview, draft.problems, draft.other = overview or "", problems or "", other or ""
    draft.proactive = json.dumps(clean, ensure_ascii=False)
    draft.updated_by, draft.updated_at = actor.user_id, clock.now()
    session.add(draft)
    session.flush()
    ledger.append(
        session, "inforequest:annual-report:saved", f"annual-report:{year}", {"year": year, "by": actor.user_id}
    )
    return draft


# --------------------------------------------------------------------------- spreadsheet


def to_xlsx(report: AnnualReport, centre_name: str) -> bytes:
    """The report as a workbook: one sheet per table of the template, plus the balance check."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    wb = Workbook()

    def table(ws, start_row: int, header: list[str], rows: list[list[Any]]) -> None:
        for c, text in enumerate(header, start=1):
            cell = ws.cell(row=start_row, column=c, value=text)
            cell.font, cell.border = bold, border
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for r, values in enumerate(rows, start=start_row + 1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.border = border
                if c == 1:
                    cell.alignment = Alignment(wrap_text=True)

    ws = wb.active
    ws.title = "一、总体情况"
    ws["A1"] = f"{centre_name}{report.year}年政府信息公开工作年度报告"
    ws["A1"].font = Font(bold=True, size=14)
    sections = [
        ("一、总体情况", report.overview),
        ("五、存在的主要问题及改进情况", report.problems),
        ("六、其他需要报告的事项", report.other),
        (
            "信息处理费收取情况",
            f"本年度收取信息处理费的申请{report.fees['count']}件，合计{report.fees['amount']}元。",
        ),
    ]
    row = 3
    for title, text in sections:
        ws.cell(row=row, column=1, value=title).font = bold
        ws.cell(row=row + 1, column=1, value=text or "（未填写）").alignment = Alignment(wrap_text=True, vertical="top")
        row += 3
    ws.column_dimensions["A"].width = 100

    ws = wb.create_sheet("二、主动公开")
    rows2 = []
    for key, article, label, fields in PROACTIVE_ROWS:
        values = report.proactive[key]
        rows2.append(
            [article, label, *[f"{name}：{values[f] if values[f] is not None else '—'}" for f, name in fields]]
        )
    table(ws, 1, ["条款", "信息内容", "数据", "", ""], rows2)
    ws.cell(row=len(rows2) + 3, column=1, value="本平台本年发布交易公告（条）")
    ws.cell(row=len(rows2) + 3, column=2, value=report.published["notices"])
    if report.published["publications"] is not None:
        ws.cell(row=len(rows2) + 4, column=1, value="本平台本年主动公开信息（条）")
        ws.cell(row=len(rows2) + 4, column=2, value=report.published["publications"])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 18
    for col in "CDE":
        ws.column_dimensions[col].width = 24

    ws = wb.create_sheet("三、依申请公开")
    header = ["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", *[label for _, label in COLUMNS]]
    rows3 = [
        [("　" * level) + label, *[report.table[key][c] for c in COLUMN_KEYS]]
        for key, label, level in states.REPORT_ROWS
    ]
    for values, (key, _, _) in zip(rows3, states.REPORT_ROWS, strict=True):
        if key == "results":
            values[1:] = [""] * len(COLUMN_KEYS)
    table(ws, 1, header, rows3)
    ws.column_dimensions["A"].width = 70
    for i in range(len(COLUMNS)):
        ws.column_dimensions[chr(ord("B") + i)].width = 12

    ws = wb.create_sheet("四、复议诉讼")
    header4 = ["类别", *[states.REVIEW_RESULTS[k] for k in states.REVIEW_RESULTS], "总计"]
    rows4 = [[states.REVIEW_KINDS[k], *[report.reviews[k][c] for c in REVIEW_COLUMNS]] for k in states.REVIEW_KINDS]
    table(ws, 1, header4, rows4)
    ws.column_dimensions["A"].width = 30

    ws = wb.create_sheet("校验")
    rows5 = [
        [label, report.check[c]["incoming"], report.check[c]["outgoing"], "平衡" if report.check[c]["ok"] else "不平衡"]
        for c, label in COLUMNS
    ]
    table(ws, 1, ["申请人", "新收＋上年结转", "办理总计＋结转下年度", "结果"], rows5)
    ws.column_dimensions["A"].width = 18

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def default_year(today: date | None = None) -> int:
    """The year a report is usually written for: last year (reports are due by 31 January)."""
    today = today or clock.today_local()
    return (today - timedelta(days=today.timetuple().tm_yday)).year
