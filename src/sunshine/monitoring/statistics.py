"""统计分析: the trading statistics, each a table computed in SQL (GROUP BY over indexed columns) that a page draws
as a chart beside its data and offers as CSV or xlsx: projects and amounts by type, method, region and month; budget
against contract amount (savings rate); bidders per section; failed tenders; days from the first notice to the
signed contract; on-time disclosure (the disclosure domain's own compliance count); complaints and their outcomes
(the complaints domain's own count); monitoring alerts by rule and handling; portal page views (staff). In 元."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, case, cast, distinct, func, literal, literal_column, select
from sqlalchemy.orm import Session

from sunshine.awards.contract_models import AwardContract as Contract
from sunshine.bidding.models import Bid
from sunshine.complaints import statistics as complaint_statistics
from sunshine.core.labels import METHOD_LABELS, TRADING_TYPE_LABELS
from sunshine.core.models import Alert
from sunshine.disclosure import compliance
from sunshine.monitoring.models import AlertFinding as Finding
from sunshine.monitoring.models import PageView
from sunshine.monitoring.ruleset import pack
from sunshine.trading.models import Project, Section

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (field, Chinese heading)
    rows: list[dict[str, Any]]
    chart: str = "bar"  # bar | line | pie
    note: str = ""

    def totals(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f, _ in self.columns[1:]:
            values = [r[f] for r in self.rows if isinstance(r.get(f), int | Decimal) and not isinstance(r[f], bool)]
            if values and f not in ("rate", "average", "savings_rate", "average_days"):
                out[f] = sum(values)
        return out

    def option(self) -> dict:
        """The ECharts option of the chart drawn from this table (first column: categories; counts: series)."""
        cats = [str(r[self.columns[0][0]]) for r in self.rows]
        numeric = [
            (f, label)
            for f, label in self.columns[1:]
            if any(isinstance(r.get(f), int | float | Decimal) for r in self.rows)
        ]
        if self.chart == "pie" and numeric:
            f, label = numeric[0]
            return {
                "tooltip": {"trigger": "item"},
                "legend": {"bottom": 0},
                "series": [
                    {
                        "type": "pie",
                        "name": label,
                        "radius": ["35%", "65%"],
                        "data": [{"name": c, "value": float(r[f] or 0)} for c, r in zip(cats, self.rows, strict=True)],
                    }
                ],
            }
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {},
            "xAxis": {"type": "category", "data": cats},
            "yAxis": {"type": "value"},
            "series": [
                {"type": self.chart, "name": label, "data": [float(r.get(f) or 0) for r in self.rows]}
                for f, label in numeric[:3]
            ],
        }


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def month_of(session: Session, column):
    """The Beijing-time month (YYYY-MM) of a timestamp, in SQL."""
    if _is_pg(session):
        return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM")
    # written as literals, the same expression as the index ix_project_statistics_month (monitoring/models.py)
    return func.strftime(literal_column("'%Y-%m'"), column, literal_column("'+8 hours'"))


def days_between(session: Session, later, earlier):
    if _is_pg(session):
        return func.extract("epoch", later - earlier) / 86400
    return func.julianday(later) - func.julianday(earlier)


def _driving(session: Session, key):
    """``key`` as the side a join reads first. SQLite, without statistics, reads the contracts first and looks each
    project row up by its id — a wide row (the rule snapshot) of which the type and first notice sit past the
    snapshot's overflow pages; written ``id + 0`` the id cannot be looked up, so SQLite scans the projects through
    ``ix_project_type_noticed`` (type, first notice: already in the grouping's order) and finds each one's contracts in
    ``ix_award_contract_statistics``, both covering. PostgreSQL plans from its statistics and gets the column as is."""
    return key if _is_pg(session) else key + 0


def _year_filter(session: Session, stmt, year: int | None):
    """Projects registered in the Beijing-time ``year``: a range on ``registered_at`` (indexed), not a function."""
    if year is None:
        return stmt
    start = datetime(year, 1, 1, tzinfo=BEIJING).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=BEIJING).astimezone(UTC)
    return stmt.where(Project.registered_at >= start, Project.registered_at < end)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Cell:
    """Projects of one transaction type, method, region and month: the one GROUP BY the project tables share."""

    transaction_type: str
    method: str
    region_code: str
    month: str
    projects: int
    budget: Decimal
    failed: int
    retendered: int


def project_cells(session: Session, year: int | None = None) -> list[Cell]:
    """One index-only scan (``ix_project_statistics``) grouped by type, method, region and month; the tables by type,
    method, region, month and the failed tenders add its cells up."""
    month = month_of(session, Project.registered_at)
    stmt = _year_filter(
        session,
        select(
            Project.transaction_type,
            Project.method,
            Project.region_code,
            month,
            func.count(Project.id),
            func.coalesce(func.sum(Project.budget), 0),
            func.sum(case((Project.state == "failed", 1), else_=0)),
            func.sum(case((Project.failed_attempts > 0, 1), else_=0)),
        ).group_by(Project.transaction_type, Project.method, Project.region_code, month),
        year,
    )
    return [
        Cell(t, m, r, mo, n, _money(b), int(f or 0), int(x or 0)) for t, m, r, mo, n, b, f, x in session.execute(stmt)
    ]


def _by(cells: list[Cell], of: Callable[[Cell], str], label: Callable[[str], str], key: str, title: str) -> Table:
    groups: dict[str, list[Cell]] = {}
    for c in cells:
        groups.setdefault(of(c), []).append(c)
    rows = [
        {"group": label(k), "projects": sum(c.projects for c in g), "budget": sum((c.budget for c in g), Decimal(0))}
        for k, g in sorted(groups.items())
    ]
    return Table(key, title, (("group", "分组"), ("projects", "项目数"), ("budget", "预算（估算）金额（元）")), rows)


def by_type(session: Session, year: int | None = None, cells: list[Cell] | None = None) -> Table:
    return _by(
        project_cells(session, year) if cells is None else cells,
        lambda c: c.transaction_type,
        lambda k: TRADING_TYPE_LABELS.get(k, k),
        "by-type",
        "按交易类型：项目数与金额",
    )


def by_method(session: Session, year: int | None = None, cells: list[Cell] | None = None) -> Table:
    return _by(
        project_cells(session, year) if cells is None else cells,
        lambda c: c.method,
        lambda k: METHOD_LABELS.get(k, k),
        "by-method",
        "按交易方式：项目数与金额",
    )


def by_region(session: Session, year: int | None = None, cells: list[Cell] | None = None) -> Table:
    return _by(
        project_cells(session, year) if cells is None else cells,
        lambda c: c.region_code,
        lambda k: f"行政区划 {k}",
        "by-region",
        "按地区：项目数与金额",
    )


def by_month(session: Session, year: int | None = None, cells: list[Cell] | None = None) -> Table:
    t = _by(
        project_cells(session, year) if cells is None else cells,
        lambda c: c.month,
        str,
        "by-month",
        "按月份（进场登记）：项目数与金额",
    )
    return Table(t.key, t.title, (("group", "月份"), *t.columns[1:]), t.rows, chart="line")


@dataclass(frozen=True)
class ContractCell:
    """Signed contracts of one transaction type: what the savings and the notice-to-contract tables read."""

    transaction_type: str
    contracts: int
    estimate: Decimal
    amount: Decimal
    timed: int  # of them with a first notice
    days: float | None  # the sum of their days from the first notice to the later signature


def contract_cells(session: Session, year: int | None = None) -> list[ContractCell]:
    """One GROUP BY over the signed contracts (``ix_award_contract_statistics``) joined to their sections and
    projects."""
    later = case(
        (Contract.winner_signed_at > Contract.tenderer_signed_at, Contract.winner_signed_at),
        else_=Contract.tenderer_signed_at,
    )
    noticed = Project.public_since.is_not(None)
    stmt = _year_filter(
        session,
        select(
            Project.transaction_type,
            func.count(Contract.id),
            func.sum(Section.estimate),
            func.sum(Contract.amount),
            func.sum(case((noticed, 1), else_=0)),
            func.sum(case((noticed, days_between(session, later, Project.public_since)), else_=None)),
        )
        .join(Section, Section.id == Contract.section_id)
        .join(Project, _driving(session, Project.id) == Contract.project_id)
        .where(Contract.winner_signed_at.is_not(None), Contract.tenderer_signed_at.is_not(None))
        .group_by(Project.transaction_type)
        .order_by(Project.transaction_type),
        year,
    )
    return [
        ContractCell(k, n, _money(e), _money(a), int(t or 0), float(d) if d is not None else None)
        for k, n, e, a, t, d in session.execute(stmt)
    ]


def savings(session: Session, year: int | None = None, contracts: list[ContractCell] | None = None) -> Table:
    """Per transaction type: the signed contracts' sections' estimates against the contract amounts."""
    rows = []
    for c in contract_cells(session, year) if contracts is None else contracts:
        rate = round(float((c.estimate - c.amount) / c.estimate * 100), 2) if c.estimate else None
        rows.append(
            {
                "group": TRADING_TYPE_LABELS.get(c.transaction_type, c.transaction_type),
                "contracts": c.contracts,
                "estimate": c.estimate,
                "amount": c.amount,
                "savings": c.estimate - c.amount,
                "savings_rate": rate,
            }
        )
    return Table(
        "savings",
        "预算与合同金额（节支率）",
        (
            ("group", "交易类型"),
            ("contracts", "合同数"),
            ("estimate", "标段预算（元）"),
            ("amount", "合同金额（元）"),
            ("savings", "节支金额（元）"),
            ("savings_rate", "节支率（%）"),
        ),
        rows,
        note="节支率 =（标段预算 − 合同金额）÷ 标段预算，只计双方已签订的合同",
    )


def bidders_per_section(session: Session, year: int | None = None) -> Table:
    per = (
        _year_filter(
            session,
            select(Bid.section_id, func.count(distinct(Bid.organisation_id)).label("n"))
            .join(Project, Project.id == Bid.project_id)
            .where(Bid.status == "sealed")
            .group_by(Bid.section_id),
            year,
        )
    ).subquery()
    bucket = case((per.c.n >= 10, 10), else_=per.c.n)
    stmt = select(bucket, func.count()).group_by(bucket).order_by(bucket)
    rows = [{"group": f"{b} 家" if b < 10 else "10 家及以上", "sections": n} for b, n in session.execute(stmt)]
    return Table(
        "bidders",
        "每个标段的投标人数",
        (("group", "投标人数"), ("sections", "标段数")),
        rows,
        note="按各标段有效递交（最后一版）的投标人计",
    )


def failed(session: Session, year: int | None = None, cells: list[Cell] | None = None) -> Table:
    groups: dict[str, list[Cell]] = {}
    for c in project_cells(session, year) if cells is None else cells:
        groups.setdefault(c.transaction_type, []).append(c)
    rows = [
        {
            "group": TRADING_TYPE_LABELS.get(k, k),
            "projects": sum(c.projects for c in g),
            "failed": sum(c.failed for c in g),
            "retendered": sum(c.retendered for c in g),
        }
        for k, g in sorted(groups.items())
    ]
    return Table(
        "failed",
        "流标（失败）情况",
        (("group", "交易类型"), ("projects", "项目数"), ("failed", "流标项目"), ("retendered", "曾流标后重新组织")),
        rows,
    )


def notice_to_contract(session: Session, year: int | None = None, contracts: list[ContractCell] | None = None) -> Table:
    rows = [
        {
            "group": TRADING_TYPE_LABELS.get(c.transaction_type, c.transaction_type),
            "contracts": c.timed,
            "average_days": round(c.days / c.timed, 1) if c.timed and c.days is not None else None,
        }
        for c in (contract_cells(session, year) if contracts is None else contracts)
        if c.timed
    ]
    return Table(
        "notice-to-contract",
        "从首次公告到签订合同的平均天数",
        (("group", "交易类型"), ("contracts", "合同数"), ("average_days", "平均天数（日历日）")),
        rows,
    )


def disclosure_on_time(session: Session) -> Table:
    board = compliance.dashboard(session)
    rows = [
        {"group": t.label, "on_time": t.on_time, "late": t.late, "overdue": t.overdue, "rate": t.rate}
        for t in board.by_month
    ]
    return Table(
        "disclosure",
        "按时公开情况（按月）",
        (
            ("group", "月份"),
            ("on_time", "按时公开"),
            ("late", "逾期后公开"),
            ("overdue", "逾期未公开"),
            ("rate", "按时公开率（%）"),
        ),
        rows,
        note="来自政务公开的合规统计（公开义务按法定期限计）",
    )


def complaints(session: Session, year: int | None = None) -> Table:
    """异议、质疑、投诉 per kind and their outcomes (the complaints domain's own count; ``year``: filed that year)."""
    rows = [
        {"group": k.label, "raised": k.raised, **k.outcomes} for k in complaint_statistics.outcome_counts(session, year)
    ]
    return Table(
        "complaints",
        "异议、质疑、投诉及处理结果",
        (("group", "类别"), ("raised", "提出"), *complaint_statistics.OUTCOMES),
        rows,
        note="按提出年份统计；成立：异议、质疑答复成立或投诉处理决定认定投诉成立；各结果之和等于提出数",
    )


def alerts_by_rule(session: Session) -> Table:
    stmt = (
        select(
            Finding.rule_id,
            func.count(Finding.id),
            func.sum(case((Finding.decision.is_(None), 1), else_=0)),
            func.sum(case((Finding.decision == "confirmed", 1), else_=0)),
            func.sum(case((Finding.decision == "dismissed", 1), else_=0)),
        )
        .join(Alert, Alert.id == Finding.alert_id)
        .group_by(Finding.rule_id)
        .order_by(Finding.rule_id)
    )
    titles = {r.id: r.title for r in pack().rules}
    rows = [
        {
            "group": f"{rid} {titles.get(rid, '')}",
            "raised": n,
            "pending": int(p or 0),
            "confirmed": int(c or 0),
            "dismissed": int(d or 0),
        }
        for rid, n, p, c, d in session.execute(stmt)
    ]
    return Table(
        "alerts",
        "监察预警（按规则）",
        (("group", "规则"), ("raised", "预警数"), ("pending", "待处理"), ("confirmed", "确认"), ("dismissed", "排除")),
        rows,
    )


def page_views(session: Session, since=None) -> Table:
    stmt = select(PageView.section, func.sum(PageView.views)).group_by(PageView.section).order_by(PageView.section)
    if since is not None:
        stmt = stmt.where(PageView.day >= cast(literal(since), Date))
    rows = [{"group": s, "views": int(v or 0)} for s, v in session.execute(stmt)]
    return Table(
        "page-views",
        "门户访问量（按栏目）",
        (("group", "栏目"), ("views", "访问次数")),
        rows,
        chart="pie",
        note="按页面路径模板计数，不记录访问者、地址或参数",
    )


def top_pages(session: Session, limit: int = 30) -> Table:
    total = func.sum(PageView.views)
    stmt = select(PageView.path, PageView.section, total).group_by(PageView.path, PageView.section)
    rows = [
        {"group": p, "section": s, "views": int(v or 0)}
        for p, s, v in session.execute(stmt.order_by(total.desc(), PageView.path).limit(limit))
    ]
    return Table("top-pages", "访问最多的页面", (("group", "页面"), ("section", "栏目"), ("views", "访问次数")), rows)


PUBLIC_TABLES: dict[str, Callable[..., Table]] = {
    "by-type": by_type,
    "by-method": by_method,
    "by-region": by_region,
    "by-month": by_month,
    "savings": savings,
    "bidders": bidders_per_section,
    "failed": failed,
    "notice-to-contract": notice_to_contract,
    "disclosure": lambda session, year=None: disclosure_on_time(session),
    "complaints": complaints,
}
STAFF_TABLES: dict[str, Callable[..., Table]] = {
    **PUBLIC_TABLES,
    "alerts": lambda session, year=None: alerts_by_rule(session),
    "page-views": lambda session, year=None: page_views(session),
    "top-pages": lambda session, year=None: top_pages(session),
}


PROJECT_TABLES = (by_type, by_method, by_region, by_month, failed)  # add up ``project_cells``
CONTRACT_TABLES = (savings, notice_to_contract)  # add up ``contract_cells``


def tables(session: Session, registry: dict[str, Callable[..., Table]], year: int | None) -> list[Table]:
    """Every table of a page: the project tables from one scan, the contract tables from one GROUP BY."""
    cells = project_cells(session, year)
    contracts = contract_cells(session, year)
    out = []
    for fn in registry.values():
        if fn in PROJECT_TABLES:
            out.append(fn(session, year, cells=cells))
        elif fn in CONTRACT_TABLES:
            out.append(fn(session, year, contracts=contracts))
        else:
            out.append(fn(session, year))
    return out
