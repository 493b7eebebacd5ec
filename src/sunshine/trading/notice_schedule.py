"""The schedule a notice fixes, checked against the project's rule pack: the minimum periods between its
dates, their order, and the scheduling facts the pages and the API share (the opening is the bid deadline
in a tender). Holds the lifecycle guards of the two notice steps (``publish_notice``, ``amend_notice``)
and the earliest admissible dates the forms offer. Reads only; never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, RuleViolation
from sunshine.core.formatting import cn_day
from sunshine.rules import service as rules
from sunshine.rules.service import rules_of
from sunshine.trading import lifecycle
from sunshine.trading.models import Project
from sunshine.trading.notice_kinds import AMENDMENT_KINDS, date_labels, first_kinds, kind_label
from sunshine.trading.notice_reading import first_notice_of

# --------------------------------------------------------------------------- dates


def aware(value: datetime | None) -> datetime | None:
    """A naive time is read as the display zone's wall-clock time (what a Chinese reader typed)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=get_settings().tz)
    return value


def local_date(value: datetime) -> date:
    return value.astimezone(get_settings().tz).date()


_cn = cn_day


def _violation(rule: rules.ResolvedRule, message: str, *, field: str, **extra: Any) -> RuleViolation:
    return RuleViolation(
        f"「{rule.title}」须{rule.bound_label} {rule.display}（依据：{rule.basis_text}"
        f"{'；本地调整：' + rule.override_reason if rule.override_reason else ''}）：{message}",
        rule=rule.id,
        basis=rule.basis_text,
        field=field,
        **extra,
    )


def _check_min(session: Session, rule: rules.ResolvedRule, start: date, end: date, *, field: str) -> None:
    try:
        rules.check_min_period(session, rule, start, end)
    except RuleViolation as exc:
        exc.extra["field"] = field
        raise


def _optional(pack: rules.ResolvedPack, rule_id: str) -> rules.ResolvedRule | None:
    return pack.rule(rule_id) if pack.has(rule_id) else None


OPENING_AT_DEADLINE = "opening_at_deadline"
PREQUALIFICATION_FIRST = "invitation_prequalification_first"


class PrequalificationFirst(RuleViolation):
    code = "prequalification_notice_first"
    title = "邀请招标应先发布资格预审公告"


def required_first_kind(project: Project) -> str | None:
    """The kind the project's first notice must be, where its rule pack says so (政府采购邀请招标: 应先发布资格预审
    公告, seed 003); ``None`` where any kind of ``notice_kinds.first_kinds`` will do."""
    pack = rules_of(project)
    if pack.has(PREQUALIFICATION_FIRST) and pack.rule(PREQUALIFICATION_FIRST).value >= 1:
        return "prequalification"
    return None


def offered_first_kinds(project: Project) -> tuple[str, ...]:
    """The kinds the first-notice form offers: only the required one where the rule pack requires one."""
    required = required_first_kind(project)
    return (required,) if required is not None else first_kinds(project)


def opening_is_deadline(project: Project, kind: str | None = None) -> bool:
    """开标与投标截止为同一时间: whether the project's rule pack makes the opening the bid deadline, for a
    notice of ``kind`` (a prequalification notice has no opening; ``None``: the project's own schedule).
    The one statement of that fact: publishing fills the opening in from it, the schedule check enforces
    it, and the forms fill in and lock the opening field by it."""
    return kind != "prequalification" and rules_of(project).has(OPENING_AT_DEADLINE)


@dataclass(frozen=True)
class Schedule:
    """The dates a notice fixes, as the rules see them."""

    published: date
    docs_issued_at: datetime
    docs_sale_end: datetime | None
    bid_deadline: datetime
    opening_at: datetime | None


# Minimum periods between two dates of a schedule: (rule id, from, to, field blamed, which first kinds).
# A rule the project's pack does not have is not checked: the packs decide which periods a method has.
_TENDER_ONLY = ("tender", "procurement", "single_source", "listing", "auction", "draw")
PERIODS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("docs_to_bid_deadline", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("docs_sale_period", "docs", "sale_end", "docs_sale_end", (*_TENDER_ONLY, "prequalification")),
    ("prequal_application_period", "published", "deadline", "bid_deadline", ("prequalification",)),
    ("prequal_docs_period", "published", "sale_end", "docs_sale_end", ("prequalification",)),
    ("prequal_submission_period", "sale_end", "deadline", "bid_deadline", ("prequalification",)),
    ("response_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("notice_period", "published", "deadline", "bid_deadline", _TENDER_ONLY),
    ("single_source_publicity_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("registration_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("listing_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("notice_before_start", "published", "start", "docs_issued_at", _TENDER_ONLY),
)


# A period a pack states for the prequalification documents themselves replaces, for a prequalification notice,
# the general one (政府采购: 87号令第十八条 counts from the notice, not from the tender documents' issue).
_REPLACED_FOR_PREQUALIFICATION = {"docs_sale_period": "prequal_docs_period"}


def _applies(pack: rules.ResolvedPack, rule_id: str, kind: str, kinds: tuple[str, ...]) -> rules.ResolvedRule | None:
    """The rule of ``pack`` that checks this period for a notice of ``kind``, if any."""
    rule = _optional(pack, rule_id)
    if rule is None or kind not in kinds or rule.bound != "min" or not rule.is_period:
        return None
    if kind == "prequalification" and pack.has(_REPLACED_FOR_PREQUALIFICATION.get(rule_id, "")):
        return None
    return rule


def _point(project: Project, schedule: Schedule, name: str) -> tuple[date | None, str]:
    if name == "published":
        return schedule.published, "published"
    if name == "docs":
        return local_date(schedule.docs_issued_at), "docs_issued_at"
    if name == "sale_end":
        return (local_date(schedule.docs_sale_end) if schedule.docs_sale_end else None), "docs_sale_end"
    if name == "deadline":
        return local_date(schedule.bid_deadline), "bid_deadline"
    # "start": when bidding, listing or the auction begins (国有建设用地: 投标、拍卖或者挂牌开始日)
    if project.lifecycle == "auction":
        when = schedule.opening_at or schedule.bid_deadline
        return local_date(when), "opening_at"
    return local_date(schedule.docs_issued_at), "docs_issued_at"


def check_schedule(session: Session, project: Project, kind: str, schedule: Schedule) -> None:
    """Every minimum period of the project's rule pack that applies to this schedule; the first one
    broken raises RuleViolation naming the rule, its basis and the earliest admissible date."""
    pack = rules_of(project)
    labels = date_labels(project, kind)
    for rule_id, start_name, end_name, _field, kinds in PERIODS:
        rule = _applies(pack, rule_id, kind, kinds)
        if rule is None:
            continue
        start, _ = _point(project, schedule, start_name)
        end, end_field = _point(project, schedule, end_name)
        if end is None:
            if end_field == "docs_sale_end":
                raise InvalidInput(
                    f"请填写{labels['docs_sale_end']}（{rule.title}{rule.bound_label} {rule.display}，"
                    f"依据：{rule.basis_text}）",
                    field="docs_sale_end",
                    rule=rule.id,
                )
            continue
        _check_min(session, rule, start, end, field=end_field)
    if (
        opening_is_deadline(project, kind)
        and schedule.opening_at is not None
        and schedule.opening_at != schedule.bid_deadline
    ):
        raise _violation(
            pack.rule(OPENING_AT_DEADLINE),
            f"开标时间应与{labels['bid_deadline']}为同一时间（所定开标时间与截止时间不同）",
            field="opening_at",
        )


def _check_order(project: Project, kind: str, schedule: Schedule, now: datetime, *, prefix: str = "") -> None:
    labels = date_labels(project, kind)
    if schedule.bid_deadline <= now:
        raise InvalidInput(f"{labels['bid_deadline']}必须晚于当前时间", field=prefix + "bid_deadline")
    if schedule.bid_deadline <= schedule.docs_issued_at:
        raise InvalidInput(f"{labels['bid_deadline']}必须晚于{labels['docs_issued_at']}", field=prefix + "bid_deadline")
    if schedule.docs_sale_end is not None and not (
        schedule.docs_issued_at <= schedule.docs_sale_end <= schedule.bid_deadline
    ):
        raise InvalidInput(
            f"{labels['docs_sale_end']}应在{labels['docs_issued_at']}之后、{labels['bid_deadline']}之前",
            field="docs_sale_end",
        )
    if schedule.opening_at is not None and schedule.opening_at < schedule.bid_deadline:
        raise InvalidInput(f"{labels['opening_at']}不得早于{labels['bid_deadline']}", field=prefix + "opening_at")


def check_invitation_schedule(session: Session, project: Project, schedule: Schedule) -> None:
    """The dates the invitation letters fix after a prequalification (邀请招标: 投标邀请书), by the server clock:
    in order and every minimum period of the project's rule pack a tender notice keeps (招标文件提供期限,
    发出至投标截止), counted from today."""
    now = clock.now()
    if local_date(schedule.docs_issued_at) < clock.today_local():
        raise InvalidInput("招标文件发出（发售开始）时间不得早于投标邀请书发出当日", field="docs_issued_at")
    _check_order(project, "tender", schedule, now)
    check_schedule(session, project, "tender", schedule)


# --------------------------------------------------------------------------- guards (called by lifecycle.apply)


def guard_first_notice(
    session: Session,
    project: Project,
    *,
    actor: Principal,
    kind: str,
    bid_deadline: datetime | None,
    docs_issued_at: datetime | None = None,
    docs_sale_end: datetime | None = None,
    opening_at: datetime | None = None,
    **_: object,
) -> None:
    """The dates of a first notice against the project's rule pack, by the server clock."""
    if kind not in first_kinds(project):
        allowed = "、".join(f"{kind_label(k)}（{k}）" for k in first_kinds(project)) or "无"
        raise InvalidInput(f"该项目的首次公告类型应为：{allowed}", field="kind")
    required = required_first_kind(project)
    if required is not None and kind != required:
        rule = rules_of(project).rule(PREQUALIFICATION_FIRST)
        raise PrequalificationFirst(
            f"邀请招标应先发布{kind_label(required)}（依据：{rule.basis_text}）：本项目的首次公告应为"
            f"{kind_label(required)}，不能发布{kind_label(kind)}",
            rule=rule.id,
            basis=rule.basis_text,
            field="kind",
            required=required,
        )
    labels = date_labels(project, kind)
    if bid_deadline is None:
        raise InvalidInput(f"请填写{labels['bid_deadline']}", field="bid_deadline")
    now, today = clock.now(), clock.today_local()
    schedule = Schedule(
        today, aware(docs_issued_at) or now, aware(docs_sale_end), aware(bid_deadline), aware(opening_at)
    )
    if local_date(schedule.docs_issued_at) < today:
        raise InvalidInput(f"{labels['docs_issued_at']}不得早于公告发布当日", field="docs_issued_at")
    _check_order(project, kind, schedule, now)
    check_schedule(session, project, kind, schedule)


def guard_amendment(
    session: Session,
    project: Project,
    *,
    actor: Principal,
    kind: str,
    affects_bids: bool = False,
    new_bid_deadline: datetime | None = None,
    new_opening_at: datetime | None = None,
    **_: object,
) -> None:
    """A clarification, amendment or opening-time change against the rule pack, by the server clock.

    * affecting bids later than ``clarification_before_deadline`` before the deadline: only with a new
      deadline at least that period from today (条例第二十一条 / 87号令第二十七条);
    * an opening-time change: at least ``opening_change_notice`` before the original opening;
    * any new deadline: in the future, and every minimum period of the first notice still holds.
    """
    if kind not in AMENDMENT_KINDS:
        raise InvalidInput(
            "类型应为澄清公告（clarification）、更正公告（amendment）或开标时间变更公告（opening_change）", field="kind"
        )
    pack = rules_of(project)
    now, today = clock.now(), clock.today_local()
    first = first_notice_of(session, project)
    first_kind = first.kind if first is not None else first_kinds(project)[0]
    labels = date_labels(project, first_kind)
    new_bid_deadline, new_opening_at = aware(new_bid_deadline), aware(new_opening_at)
    if project.bid_deadline is None or project.bid_deadline <= now:
        raise lifecycle.IllegalStep(f"{labels['bid_deadline']}已过，不能再发布澄清、更正或变更公告")
    if kind == "opening_change":
        if new_opening_at is None:
            raise InvalidInput(f"请填写新的{labels['opening_at']}", field="new_opening_at")
        rule = _optional(pack, "opening_change_notice")
        original = project.opening_at or project.bid_deadline
        if rule is not None:
            latest = rules.latest_before(session, rule, local_date(original)).due
            if today > latest:
                raise _violation(
                    rule,
                    f"原定{labels['opening_at']}为{_cn(local_date(original))}，"
                    f"变更公告最迟应于{_cn(latest)}发布，今天（{_cn(today)}）已晚于此日",
                    field="new_opening_at",
                    latest=latest.isoformat(),
                )
    if new_bid_deadline is not None or new_opening_at is not None:
        schedule = Schedule(
            local_date(project.public_since or now),
            project.docs_issued_at or now,
            project.docs_sale_end,
            new_bid_deadline or project.bid_deadline,
            new_opening_at or project.opening_at,
        )
        _check_order(project, first_kind, schedule, now, prefix="new_")
        try:
            check_schedule(session, project, first_kind, schedule)
        except RuleViolation as exc:
            exc.extra["field"] = {"bid_deadline": "new_bid_deadline", "opening_at": "new_opening_at"}.get(
                exc.extra.get("field"), exc.extra.get("field")
            )
            raise
    clarification_id = (
        "prequal_clarification_before_deadline" if first_kind == "prequalification" else "clarification_before_deadline"
    )
    rule = _optional(pack, clarification_id)
    if rule is None:
        return
    moved_earlier = new_bid_deadline is not None and new_bid_deadline < project.bid_deadline
    if (affects_bids and kind in ("clarification", "amendment")) or moved_earlier:
        latest = rules.latest_before(session, rule, local_date(project.bid_deadline)).due
        if today <= latest and not moved_earlier:
            return
        earliest = rules.earliest_after(session, rule, today).due
        if new_bid_deadline is None:
            raise _violation(
                rule,
                f"现定{labels['bid_deadline']}为{_cn(local_date(project.bid_deadline))}，"
                f"影响投标文件编制的澄清或修改最迟应于{_cn(latest)}发出；今天发出须将截止时间顺延至{_cn(earliest)}或以后",
                field="new_bid_deadline",
                latest=latest.isoformat(),
                earliest=earliest.isoformat(),
            )
        _check_min(session, rule, today, local_date(new_bid_deadline), field="new_bid_deadline")


# --------------------------------------------------------------------------- hints for the forms


@dataclass(frozen=True)
class Hint:
    rule: rules.ResolvedRule
    date: date
    text: str


def first_notice_hints(session: Session, project: Project, kind: str, docs_date: date) -> dict[str, Hint]:
    """The earliest admissible date of each field, for a schedule whose documents go out on ``docs_date``."""
    pack = rules_of(project)
    out: dict[str, Hint] = {}
    points: dict[str, date] = {"published": clock.today_local(), "docs": docs_date}
    for rule_id, start_name, end_name, field, kinds in PERIODS:  # docs_sale_period comes before what uses it
        rule = _applies(pack, rule_id, kind, kinds)
        start = points.get(start_name)
        if rule is None or start is None:
            continue
        due = rules.earliest_after(session, rule, start).due
        if end_name == "start":
            field = "opening_at" if project.lifecycle == "auction" else "docs_issued_at"
        if end_name == "sale_end":
            points["sale_end"] = due
        if field not in out or out[field].date < due:
            out[field] = Hint(
                rule, due, f"{rule.title}{rule.bound_label} {rule.display}（{rule.basis_text}），最早 {_cn(due)}"
            )
    return out


def amendment_limits(session: Session, project: Project) -> list[tuple[str, str]]:
    """Plain-language limits for the amendment form: until when a change may be made without moving dates."""
    pack = rules_of(project)
    out: list[tuple[str, str]] = []
    first = first_notice_of(session, project)
    first_kind = first.kind if first is not None else ""
    clarification_id = (
        "prequal_clarification_before_deadline" if first_kind == "prequalification" else "clarification_before_deadline"
    )
    rule = _optional(pack, clarification_id)
    if rule is not None and project.bid_deadline is not None:
        latest = rules.latest_before(session, rule, local_date(project.bid_deadline)).due
        out.append(
            (
                "影响投标的澄清或修改",
                f"最迟 {_cn(latest)} 发出，否则须顺延截止时间"
                f"（{rule.title}{rule.bound_label} {rule.display}，{rule.basis_text}）",
            )
        )
    rule = _optional(pack, "opening_change_notice")
    original = project.opening_at or project.bid_deadline
    if rule is not None and original is not None:
        latest = rules.latest_before(session, rule, local_date(original)).due
        out.append(
            (
                "开标时间变更",
                f"最迟 {_cn(latest)} 发布（{rule.title}{rule.bound_label} {rule.display}，{rule.basis_text}）",
            )
        )
    return out
