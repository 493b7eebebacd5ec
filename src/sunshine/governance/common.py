"""What the governance services share: the Chinese labels of their codes, text checks, serial codes, the time
limits read from the ``centre.service`` rule pack (each with its basis there) and the case clock that turns a
limit into a due date (``core.caseclock``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from sunshine.core import calendar, caseclock, clock
from sunshine.core.errors import InvalidInput
from sunshine.core.serials import next_serial
from sunshine.disclosure import detectors, negative_list

PACK = "centre.service"

CONSULTATION_KINDS = {
    "rule_pack": "交易规则（规则包本地调整）",
    "service_standard": "服务标准",
    "normative": "行政规范性文件",
    "regulation": "规章",
    "other": "其他重大事项",
}
CONSULTATION_STATUSES = {"draft": "草稿", "open": "征求意见中", "closed": "意见征集结束", "adopted": "已审定公布"}
COMMENT_CHANNELS = {"online": "网上提交", "letter": "信函", "email": "电子邮件", "meeting": "座谈会"}
HANDLINGS = {"adopted": "采纳", "partly": "部分采纳", "not_adopted": "未采纳", "explained": "已作说明"}
PROCEEDING_KINDS = {"hearing": "听证会", "expert_review": "专家论证"}

OPINION_SOURCES = {"desk": "服务台工单", "opinion_box": "意见箱", "media": "媒体监测", "other": "其他渠道"}
OPINION_STATUSES = {"registered": "待研判", "assessed": "已研判待回应", "answered": "已回应", "evaluated": "已评估"}
RISKS = {"low": "低", "medium": "中", "high": "高"}
EFFECTS = {"resolved": "已平息", "eased": "趋于缓和", "persisting": "仍在发酵"}

ATTRIBUTES = {"proactive": "主动公开", "on_request": "依申请公开", "withheld": "不予公开"}
DOCUMENT_STATUSES = {"drafted": "拟稿", "issued": "已印发"}

CATALOG_STATUSES = {"draft": "编制中", "submitted": "已报送待复核", "returned": "退回修改", "approved": "复核通过"}
DISPOSITIONS = {"kept": "保留", "adapted": "调整", "added": "新增", "removed": "不适用"}

METHODS = {"sampling": "抽样检查", "spot": "抽点检查", "fixed": "定点检查"}
ASPECTS = {"accuracy": "准确性", "completeness": "完整性", "timeliness": "及时性"}
INSPECTION_STATUSES = {"open": "检查中", "closed": "已完成"}
FINDING_STATUSES = {"open": "待整改", "corrected": "已整改"}
INSPECTOR_ROLES = {"disclosure_office": "政务公开办", "government_affairs": "政务办", "evaluator": "第三方评估机构"}


def choice(value: str, table: dict[str, str], field: str, what: str) -> str:
    if value not in table:
        raise InvalidInput(f"{what}应为：" + "、".join(table.values()), field=field)
    return value


def text(value: str | None, field: str, what: str, *, low: int = 2, high: int = 20000) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if not low <= len(value) <= high:
        raise InvalidInput(f"{what}应为 {low} 至 {high} 个字", field=field)
    return value


def line(value: str | None, field: str, what: str, *, low: int = 2, high: int = 200) -> str:
    return text(" ".join((value or "").split()), field, what, low=low, high=high)


def code(session: Session, prefix: str, on: date) -> str:
    return f"{prefix}{on.year}-{next_serial(session, f'governance:{prefix}:{on.year}'):04d}"


def masked(session: Session, value: str) -> str:
    """The text with every identity number, mobile, bank card and negative-list term masked (the disclosure
    detectors): what may be published of something a member of the public wrote."""
    hits = detectors.scan(value, negative_list.detector_terms(session))
    return detectors.redact(value, [(h.start, h.end, detectors.redaction_of(h)) for h in hits])


@dataclass(frozen=True)
class Limit:
    days: int
    unit: str  # working | calendar
    ref: str  # centre.service@version/rule_id
    title: str

    @property
    def label(self) -> str:
        return f"{self.days}{'个工作日' if self.unit == 'working' else '日'}"


def limit(session: Session, rule_id: str, on: date | None = None) -> Limit:
    from sunshine.rules import service as rules

    pack = rules.resolve(session, PACK, on or clock.today_local())
    rule = pack.rule(rule_id)
    return Limit(int(rule.value), rules.DAY_UNITS[rule.unit], f"{PACK}@{pack.version}/{rule_id}", rule.title)


def due(session: Session, start: date, lim: Limit) -> date:
    """The due date of a case started on ``start`` (the start day not counted) under ``lim``."""
    cal = calendar.load(session)
    found = caseclock.due_date(cal, start, lim.days, (), lim.unit).due
    assert found is not None  # a case with no pause always has a due date
    return found


def lateness(session: Session, due_on: date, done_on: date) -> tuple[bool, int]:
    """(late, working days after the due date, at least 1) of something done on ``done_on``."""
    if done_on <= due_on:
        return False, 0
    return True, max(1, calendar.load(session).working_days_between(due_on, done_on))
