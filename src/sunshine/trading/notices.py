"""Notices (公告): the first notice of a project (tender, prequalification, procurement, single-source
publicity, listing, auction, draw), its clarifications and amendments (澄清/更正), changes of the opening
time and the termination notice. Every date is checked against the project's rule pack when the notice
is published; a correction is a new version of the series, never an overwrite; each notice is in the
ledger. Never commits.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import nh3
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, SunshineError
from sunshine.core.filestore import file_store, is_sha256
from sunshine.core.formatting import cn_day
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.rules import service as rules
from sunshine.trading import lifecycle, service
from sunshine.trading.models import Notice, NoticeAttachment, Project

# --------------------------------------------------------------------------- kinds

KIND_LABELS: dict[str, str] = {
    "tender": "招标公告",
    "prequalification": "资格预审公告",
    "procurement": "采购公告",
    "single_source": "单一来源公示",
    "listing": "挂牌公告",
    "auction": "拍卖公告",
    "draw": "抽取公告",
    "clarification": "澄清公告",
    "amendment": "更正公告",
    "opening_change": "开标时间变更公告",
    "termination": "终止公告",
}

# The first notice a project of each lifecycle may publish.
FIRST_KINDS: dict[str, tuple[str, ...]] = {
    "tender": ("tender", "prequalification"),
    "negotiation": ("procurement",),
    "single_source": ("single_source",),
    "listing": ("listing",),
    "auction": ("auction",),
    "draw": ("draw",),
}
AMENDMENT_KINDS: tuple[str, ...] = ("clarification", "amendment", "opening_change")

# What the dates of a first notice mean in each lifecycle (form labels, error messages).
DATE_LABELS: dict[str, dict[str, str]] = {
    "tender": {
        "docs_issued_at": "招标文件发出（发售开始）时间",
        "docs_sale_end": "文件发售截止时间",
        "bid_deadline": "投标截止时间",
        "opening_at": "开标时间",
    },
    "negotiation": {
        "docs_issued_at": "采购文件发出（提供开始）时间",
        "docs_sale_end": "采购文件提供截止时间",
        "bid_deadline": "响应文件提交截止时间",
        "opening_at": "响应文件开启时间",
    },
    "single_source": {
        "docs_issued_at": "公示开始时间",
        "docs_sale_end": "文件提供截止时间",
        "bid_deadline": "公示截止时间",
        "opening_at": "协商时间",
    },
    "listing": {
        "docs_issued_at": "挂牌起始时间",
        "docs_sale_end": "挂牌文件提供截止时间",
        "bid_deadline": "挂牌截止时间",
        "opening_at": "现场竞价时间",
    },
    "auction": {
        "docs_issued_at": "竞买文件发出时间",
        "docs_sale_end": "竞买文件提供截止时间",
        "bid_deadline": "竞买报名截止时间",
        "opening_at": "拍卖开始时间",
    },
    "draw": {
        "docs_issued_at": "报名开始时间",
        "docs_sale_end": "文件提供截止时间",
        "bid_deadline": "报名截止时间",
        "opening_at": "抽取时间",
    },
}

PREQUALIFICATION_LABELS = {
    "docs_issued_at": "资格预审文件发出（发售开始）时间",
    "docs_sale_end": "资格预审文件发售截止时间",
    "bid_deadline": "资格预审申请文件提交截止时间",
    "opening_at": "资格审查时间",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def date_labels(project: Project, kind: str | None = None) -> dict[str, str]:
    if kind == "prequalification":
        return PREQUALIFICATION_LABELS
    return DATE_LABELS.get(project.lifecycle, DATE_LABELS["tender"])


def first_kinds(project: Project) -> tuple[str, ...]:
    return FIRST_KINDS.get(project.lifecycle, ())


# --------------------------------------------------------------------------- errors


class AttachmentTooLarge(SunshineError):
    status = 413
    code = "attachment_too_large"
    title = "附件过大"


class AttachmentTypeNotAllowed(SunshineError):
    status = 415
    code = "attachment_type_not_allowed"
    title = "不允许的附件类型"


# --------------------------------------------------------------------------- rich text

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sub",
        "sup",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "blockquote",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_BODY_CHARS = 200_000
_TAG = re.compile(r"<[a-zA-Z/!]")


def sanitise(body: str) -> str:
    """Rich text as it may be shown: formatting kept; scripts, event handlers, styles and
    ``javascript:`` links removed. Plain text (no tags at all) becomes paragraphs."""
    if not _TAG.search(body):
        paragraphs = [p.strip() for p in re.split(r"\r?\n\s*\r?\n", body) if p.strip()]
        body = "".join("<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs)
    return nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


def _text_of(body_html: str) -> str:
    return html.unescape(nh3.clean(body_html, tags=set())).strip()


# --------------------------------------------------------------------------- attachments


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the web layer hands it over."""

    filename: str
    data: bytes
    content_type: str | None = None  # what the client claimed; the stored type comes from the name


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (_OLE,)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xls": ("application/vnd.ms-excel", (_OLE,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "zip": ("application/zip", _ZIP),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "txt": ("text/plain; charset=utf-8", None),
}
ALLOWED_EXTENSIONS_TEXT = "PDF、Word（doc/docx）、Excel（xls/xlsx）、ZIP、JPG、PNG、TXT"
MAX_ATTACHMENTS = 20


def _clean_filename(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def _checked_upload(upload: Upload, limit: int) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of an acceptable upload; a 4xx saying why not otherwise."""
    name = _clean_filename(upload.filename)
    shown = name or "（无文件名）"
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise AttachmentTypeNotAllowed(
            f"附件“{shown}”的类型不允许；可上传 {ALLOWED_EXTENSIONS_TEXT}", field="attachments"
        )
    if len(upload.data) > limit:
        raise AttachmentTooLarge(
            f"附件“{shown}”为 {len(upload.data) / 1048576:.1f} MB，超过单个附件 {limit / 1048576:g} MB 的上限",
            field="attachments",
        )
    if not upload.data:
        raise InvalidInput(f"附件“{shown}”是空文件", field="attachments")
    content_type, magic = ALLOWED_TYPES[ext]
    if magic is not None and not upload.data.startswith(magic):
        raise AttachmentTypeNotAllowed(f"附件“{shown}”的内容与扩展名 .{ext} 不符", field="attachments")
    if magic is None:  # text: UTF-8 (with or without BOM) or GB18030, and no binary bytes
        if b"\x00" in upload.data:
            raise AttachmentTypeNotAllowed(f"附件“{shown}”不是文本文件", field="attachments")
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                upload.data.decode("gb18030")
            except UnicodeDecodeError:
                raise AttachmentTypeNotAllowed(
                    f"附件“{shown}”不是 UTF-8 或 GB18030 编码的文本", field="attachments"
                ) from None
            content_type = "text/plain; charset=gb18030"
    return name, content_type, upload.data


def _checked_uploads(uploads: list[Upload] | None) -> list[tuple[str, str, bytes]]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput(f"每条公告最多 {MAX_ATTACHMENTS} 个附件", field="attachments")
    limit = get_settings().max_attachment_bytes
    return [_checked_upload(u, limit) for u in uploads]


def _store(session: Session, notice: Notice, files: list[tuple[str, str, bytes]]) -> list[NoticeAttachment]:
    store = file_store()
    rows = []
    for name, content_type, data in files:
        digest = store.put(data)
        rows.append(
            NoticeAttachment(
                notice_id=notice.id, filename=name, content_type=content_type, size=len(data), sha256=digest
            )
        )
    session.add_all(rows)
    return rows


# --------------------------------------------------------------------------- dates


def _aware(value: datetime | None) -> datetime | None:
    """A naive time is read as the display zone's wall-clock time (what a Chinese reader typed)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=get_settings().tz)
    return value


def local_date(value: datetime) -> date:
    return value.astimezone(get_settings().tz).date()


_cn = cn_day


def _iso(value: datetime | None) -> str | None:
    return fmt.iso_utc(value) if value is not None else None


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
    ("prequal_submission_period", "sale_end", "deadline", "bid_deadline", ("prequalification",)),
    ("response_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("notice_period", "published", "deadline", "bid_deadline", _TENDER_ONLY),
    ("single_source_publicity_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("registration_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("listing_period", "docs", "deadline", "bid_deadline", _TENDER_ONLY),
    ("notice_before_start", "published", "start", "docs_issued_at", _TENDER_ONLY),
)


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
    pack = service.rules_of(project)
    labels = date_labels(project, kind)
    for rule_id, start_name, end_name, _field, kinds in PERIODS:
        rule = _optional(pack, rule_id)
        if rule is None or kind not in kinds or rule.bound != "min" or not rule.is_period:
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
    if kind != "prequalification":
        rule = _optional(pack, "opening_at_deadline")
        if rule is not None and schedule.opening_at is not None and schedule.opening_at != schedule.bid_deadline:
            raise _violation(
                rule,
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
    labels = date_labels(project, kind)
    if bid_deadline is None:
        raise InvalidInput(f"请填写{labels['bid_deadline']}", field="bid_deadline")
    now, today = clock.now(), clock.today_local()
    schedule = Schedule(
        today, _aware(docs_issued_at) or now, _aware(docs_sale_end), _aware(bid_deadline), _aware(opening_at)
    )
    if local_date(schedule.docs_issued_at) < today:
        raise InvalidInput(f"{labels['docs_issued_at']}不得早于公告发布当日", field="docs_issued_at")
    _check_order(project, kind, schedule, now)
    check_schedule(session, project, kind, schedule)


def first_notice_of(session: Session, project: Project) -> Notice | None:
    return session.scalar(
        select(Notice)
        .where(Notice.project_id == project.id, Notice.series_id.is_(None))
        .order_by(Notice.published_at, Notice.id)
        .limit(1)
    )


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
    pack = service.rules_of(project)
    now, today = clock.now(), clock.today_local()
    first = first_notice_of(session, project)
    first_kind = first.kind if first is not None else first_kinds(project)[0]
    labels = date_labels(project, first_kind)
    new_bid_deadline, new_opening_at = _aware(new_bid_deadline), _aware(new_opening_at)
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


# --------------------------------------------------------------------------- publishing


def _check_publisher(actor: Principal, project: Project) -> None:
    """Only the tenderer itself or the agency it appointed publishes the project's notices."""
    if Role.TENDERER in actor.roles and actor.organisation_id == project.tenderer_id:
        return
    if Role.AGENCY in actor.roles and project.agency_id is not None and actor.organisation_id == project.agency_id:
        return
    raise Forbidden("只有该项目的招标人/采购人或其委托的代理机构可以发布公告")


def _checked_text(title: str, body_html: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not 2 <= len(title) <= 300:
        raise InvalidInput("公告标题应为 2 至 300 个字符", field="title")
    if len(body_html or "") > MAX_BODY_CHARS:
        raise InvalidInput(f"公告正文最多 {MAX_BODY_CHARS} 个字符", field="body_html")
    body = sanitise(body_html or "")
    if not _text_of(body):
        raise InvalidInput("公告正文不能为空", field="body_html")
    return title, body


def _lock(session: Session, project: Project) -> None:
    """Serialise notices of one project, so two versions never get the same number."""
    session.execute(select(Project.id).where(Project.id == project.id).with_for_update())


def _next_version(session: Session, root: Notice) -> int:
    latest = session.scalar(
        select(func.max(Notice.version)).where((Notice.id == root.id) | (Notice.series_id == root.id))
    )
    return (latest or 1) + 1


def _record(
    session: Session, project: Project, notice: Notice, attachments: list[NoticeAttachment], **dates: datetime | None
) -> None:
    entry = ledger.append(
        session,
        "trading:notice:published",
        f"project:{project.code}",
        {
            "notice": notice.id,
            "series": notice.series_id,
            "version": notice.version,
            "kind": notice.kind,
            "title": notice.title,
            "body_sha256": hashlib.sha256(notice.body_html.encode()).hexdigest(),
            "attachments": [{"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in attachments],
            "affects_bids": notice.affects_bids,
            **{name: _iso(value) for name, value in dates.items()},
            "by": notice.author_id,
        },
    )
    notice.ledger_seq = entry.seq
    session.flush()


def _disclose(session: Session, project: Project, notice: Notice, trigger: str) -> None:
    """The notice goes out through the disclosure pipeline: reviewed automatically (held with 422
    ``held_for_review`` if it carries personal data), meeting the obligation its step created."""
    from sunshine import disclosure

    disclosure.publish_from_step(
        session,
        trigger=trigger,
        subject=f"project:{project.code}",
        title=notice.title,
        body_html=notice.body_html,
        source_ref=f"notice:{notice.id}",
        author_id=notice.author_id,
    )


def publish_first_notice(
    session: Session,
    actor: Principal,
    project_id: int,
    *,
    kind: str,
    title: str,
    body_html: str,
    bid_deadline: datetime | None,
    docs_issued_at: datetime | None = None,
    docs_sale_end: datetime | None = None,
    opening_at: datetime | None = None,
    attachments: list[Upload] | None = None,
) -> Notice:
    """发布公告: the project's first notice; it becomes public and its dates take effect."""
    project = service.get_visible(session, actor, project_id)
    _check_publisher(actor, project)
    lifecycle.check(project, "publish_notice", actor)
    title, body = _checked_text(title, body_html)
    files = _checked_uploads(attachments)
    now = clock.now()
    docs_issued_at, docs_sale_end, bid_deadline, opening_at = (
        _aware(docs_issued_at) or now,
        _aware(docs_sale_end),
        _aware(bid_deadline),
        _aware(opening_at),
    )
    if opening_at is None and kind != "prequalification" and service.rules_of(project).has("opening_at_deadline"):
        opening_at = bid_deadline  # 开标与投标截止为同一时间
    _lock(session, project)
    # The row is written first because the transition and the ledger entry name it; ledger_seq is set
    # below in the same transaction, so no reader ever sees the placeholder.
    notice = Notice(
        project_id=project.id,
        kind=kind,
        series_id=None,
        version=1,
        title=title,
        body_html=body,
        affects_bids=False,
        new_bid_deadline=bid_deadline,
        new_opening_at=opening_at,
        author_id=actor.user_id,
        published_at=now,
        ledger_seq=-1,
    )
    session.add(notice)
    session.flush()
    lifecycle.apply(
        session,
        project,
        "publish_notice",
        actor,
        document_ref=f"notice:{notice.id}",
        payload={"notice": notice.id, "kind": kind},
        kind=kind,
        docs_issued_at=docs_issued_at,
        docs_sale_end=docs_sale_end,
        bid_deadline=bid_deadline,
        opening_at=opening_at,
    )
    project.docs_issued_at, project.docs_sale_end = docs_issued_at, docs_sale_end
    project.bid_deadline, project.opening_at = bid_deadline, opening_at
    if project.public_since is None:
        project.public_since = now
    rows = _store(session, notice, files)
    session.flush()
    _record(
        session,
        project,
        notice,
        rows,
        docs_issued_at=docs_issued_at,
        docs_sale_end=docs_sale_end,
        bid_deadline=bid_deadline,
        opening_at=opening_at,
    )
    _disclose(session, project, notice, "trading.notice")
    return notice


def notice_of(session: Session, project: Project, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.project_id != project.id:
        raise NotFound("公告不存在")
    return notice


def publish_amendment(
    session: Session,
    actor: Principal,
    project_id: int,
    notice_id: int,
    *,
    kind: str,
    title: str,
    body_html: str,
    affects_bids: bool = False,
    new_bid_deadline: datetime | None = None,
    new_opening_at: datetime | None = None,
    attachments: list[Upload] | None = None,
) -> Notice:
    """发布澄清/更正公告 or a change of the opening time: a new version of the notice's series; the
    project's deadline and opening time change with it, the earlier versions stay as they were."""
    project = service.get_visible(session, actor, project_id)
    notice = notice_of(session, project, notice_id)
    _check_publisher(actor, project)
    lifecycle.check(project, "amend_notice", actor)
    title, body = _checked_text(title, body_html)
    files = _checked_uploads(attachments)
    new_bid_deadline, new_opening_at = _aware(new_bid_deadline), _aware(new_opening_at)
    if kind in AMENDMENT_KINDS and service.rules_of(project).has("opening_at_deadline"):
        # In a tender the opening is the deadline: moving one moves the other.
        if kind == "opening_change" and new_bid_deadline is None:
            new_bid_deadline = new_opening_at
        elif new_opening_at is None and new_bid_deadline is not None:
            new_opening_at = new_bid_deadline
    _lock(session, project)
    root = session.get(Notice, notice.series_id) if notice.series_id else notice
    now = clock.now()
    row = Notice(
        project_id=project.id,
        kind=kind,
        series_id=root.id,
        version=_next_version(session, root),
        title=title,
        body_html=body,
        affects_bids=bool(affects_bids),
        new_bid_deadline=new_bid_deadline,
        new_opening_at=new_opening_at,
        author_id=actor.user_id,
        published_at=now,
        ledger_seq=-1,
    )
    session.add(row)
    session.flush()
    before = {"bid_deadline": _iso(project.bid_deadline), "opening_at": _iso(project.opening_at)}
    lifecycle.apply(
        session,
        project,
        "amend_notice",
        actor,
        document_ref=f"notice:{row.id}",
        payload={"notice": row.id, "kind": kind, "previous": before},
        kind=kind,
        affects_bids=bool(affects_bids),
        new_bid_deadline=new_bid_deadline,
        new_opening_at=new_opening_at,
    )
    if new_bid_deadline is not None:
        project.bid_deadline = new_bid_deadline
    if new_opening_at is not None:
        project.opening_at = new_opening_at
    rows = _store(session, row, files)
    session.flush()
    _record(session, project, row, rows, new_bid_deadline=new_bid_deadline, new_opening_at=new_opening_at)
    _disclose(session, project, row, "trading.amendment")
    return row


def publish_termination_notice(session: Session, actor: Principal, project: Project, reason: str) -> Notice:
    """终止公告 (《招标投标法实施条例》第三十一条): called by ``service.terminate`` for a project whose
    notices are public; it joins the series of the first notice."""
    root = first_notice_of(session, project)
    _lock(session, project)
    body = sanitise(
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）已终止。</p>"
        f"<p>终止原因：{html.escape(reason.strip())}</p>"
    )
    now = clock.now()
    notice = Notice(
        project_id=project.id,
        kind="termination",
        series_id=root.id if root else None,
        version=_next_version(session, root) if root else 1,
        title=f"{project.name}终止公告"[:300],
        body_html=body,
        affects_bids=False,
        author_id=actor.user_id if actor.user_id is not None else project.registered_by,
        published_at=now,
        ledger_seq=-1,
    )
    session.add(notice)
    session.flush()
    _record(session, project, notice, [])
    _disclose(session, project, notice, "trading.termination")
    return notice


# --------------------------------------------------------------------------- reading


NOTICE_ORDER = Keyset.of("notices", Notice.published_at, Notice.id)


def list_public(
    session: Session,
    *,
    kind: str | None = None,
    transaction_type: str | None = None,
    q: str | None = None,
    project_id: int | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[tuple[Notice, Project]]:
    """Published notices of public projects, newest first, one page after ``cursor``."""
    where = [Project.public_since.is_not(None)]
    if kind:
        where.append(Notice.kind == kind)
    if transaction_type:
        where.append(Project.transaction_type == transaction_type)
    if q and q.strip():
        where.append(Notice.title.icontains(q.strip(), autoescape=True))
    if project_id is not None:
        where.append(Notice.project_id == project_id)
    stmt = select(Notice, Project).join(Project, Notice.project_id == Project.id).where(*where)
    return paginate(session, stmt, NOTICE_ORDER, cursor=cursor, limit=limit, count=True)


def get_visible(session: Session, actor: Principal, notice_id: int) -> tuple[Notice, Project]:
    """A notice with its attachments, if ``actor`` may see its project; otherwise NotFound."""
    notice = session.scalar(select(Notice).where(Notice.id == notice_id).options(selectinload(Notice.attachments)))
    if notice is None:
        raise NotFound("公告不存在")
    project = session.get(Project, notice.project_id)
    if project is None or not service.is_visible(actor, project):
        raise NotFound("公告不存在")
    return notice, project


def series(session: Session, notice: Notice) -> list[Notice]:
    """Every version of the notice's series, newest first, with attachments."""
    root_id = notice.series_id or notice.id
    stmt = (
        select(Notice)
        .where((Notice.id == root_id) | (Notice.series_id == root_id))
        .options(selectinload(Notice.attachments))
        .order_by(Notice.version.desc(), Notice.id.desc())
    )
    return list(session.scalars(stmt))


def attachment_for_download(session: Session, actor: Principal, sha256: str) -> NoticeAttachment:
    """The attachment row of a file the caller may download: one referenced by a notice of a project
    they may see. Anything else does not exist for them."""
    if not is_sha256(sha256):
        raise NotFound("文件不存在")
    rows = session.execute(
        select(NoticeAttachment, Project)
        .join(Notice, NoticeAttachment.notice_id == Notice.id)
        .join(Project, Notice.project_id == Project.id)
        .where(NoticeAttachment.sha256 == sha256)
        .order_by(NoticeAttachment.id)
    ).all()
    for attachment, project in rows:
        if service.is_visible(actor, project):
            return attachment
    raise NotFound("文件不存在")


def read_file(sha256: str) -> bytes:
    return file_store().open(sha256)


def can_publish(actor: Principal, project: Project) -> bool:
    try:
        _check_publisher(actor, project)
    except Forbidden:
        return False
    return True


# --------------------------------------------------------------------------- hints for the forms


@dataclass(frozen=True)
class Hint:
    rule: rules.ResolvedRule
    date: date
    text: str


def first_notice_hints(session: Session, project: Project, kind: str, docs_date: date) -> dict[str, Hint]:
    """The earliest admissible date of each field, for a schedule whose documents go out on ``docs_date``."""
    pack = service.rules_of(project)
    out: dict[str, Hint] = {}
    points: dict[str, date] = {"published": clock.today_local(), "docs": docs_date}
    for rule_id, start_name, end_name, field, kinds in PERIODS:  # docs_sale_period comes before what uses it
        rule = _optional(pack, rule_id)
        start = points.get(start_name)
        if rule is None or start is None or kind not in kinds or rule.bound != "min" or not rule.is_period:
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
    pack = service.rules_of(project)
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
