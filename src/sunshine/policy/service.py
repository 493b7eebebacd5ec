"""Policy disclosure (政策文件与解读, 回应关切): publishing policy documents and their interpretations,
receiving questions from the public and publishing them with the centre's answer.

Text is sanitised as notices are (``core.content.sanitise``). Each publication — a policy, an
interpretation, an answered concern — enters the ledger with hashes of its text; the receipt of a
question is logged without its text; no personal data ever enters the ledger. A question is public
only once the disclosure office publishes it, and only as ``public_question`` with the answer: the
asker's name and contact are never shown. Never commits.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import calendar, clock
from sunshine.core.auth import Principal
from sunshine.core.content import Upload, sanitise
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.filestore import file_store
from sunshine.core.models import TrackedDeadline
from sunshine.core.pagination import Key, Keyset, Page, paginate
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.policy.models import Interpretation, PolicyDocument, PublicConcern
from sunshine.policy.schemas import AnswerIn, ConcernIn, InterpretationIn, PolicyIn

LEVELS: dict[str, str] = {
    "law": "法律",
    "regulation": "行政法规",
    "rule": "部门规章",
    "local_rule": "地方性法规、地方政府规章",
    "normative": "规范性文件",
}
FORMS: dict[str, str] = {
    "text": "文字解读",
    "qa": "问答解读",
    "graphic": "图文解读",
    "briefing": "新闻发布会、政策吹风会",
}
TOPICS: dict[str, str] = {
    "trading": "交易活动",
    "policy": "政策法规",
    "service": "办事服务",
    "disclosure": "信息公开",
    "other": "其他",
}
STATUSES: dict[str, str] = {"received": "待答复", "answered": "已答复（未公开）", "published": "已答复并公开"}
EDITORS = frozenset({Role.DISCLOSURE_OFFICE})

# 回应时限: the centre's own commitment, taken from the centre.service rule pack when it carries
# ``concern_reply_within`` and five working days otherwise (a common local rule for 政民互动 questions).
REPLY_RULE = "concern_reply_within"
DEFAULT_REPLY_WORKING_DAYS = 5
REPLY_PURPOSE = "答复公众关切"

ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "ofd": ("application/ofd", (b"PK\x03\x04",)),
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def level_label(level: str) -> str:
    return LEVELS.get(level, level)


def form_label(form: str) -> str:
    return FORMS.get(form, form)


def topic_label(topic: str) -> str:
    return TOPICS.get(topic, topic)


def reference(concern: PublicConcern) -> str:
    """The number a person quotes when asking after their question, e.g. GZ20261123-0007."""
    day = concern.submitted_at.astimezone(get_settings().tz)
    return f"GZ{day.strftime('%Y%m%d')}-{concern.id:04d}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_editor(actor: Principal) -> None:
    if not actor.roles & EDITORS:
        raise Forbidden("只有政务公开办可以发布政策文件、解读和答复")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value: str | None) -> str:
    """Plain text as typed, without control characters (PostgreSQL refuses NUL; XML and mail the rest)."""
    return _CONTROL.sub("", value or "").replace("\r\n", "\n").strip()


def _text(value: str | None, label: str, field: str, *, low: int = 2, high: int = 300) -> str:
    value = " ".join(plain(value).split())
    if not low <= len(value) <= high:
        raise InvalidInput(f"{label}应为 {low} 至 {high} 个字符", field=field)
    return value


def _rich(value: str, label: str, field: str) -> str:
    body = sanitise(value or "")
    if not body or not sanitise_text(body):
        raise InvalidInput(f"{label}不能为空", field=field)
    return body


def sanitise_text(body_html: str) -> str:
    import html

    import nh3

    return html.unescape(nh3.clean(body_html, tags=set())).strip()


def _url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput("原文链接应为 http:// 或 https:// 开头的网址", field="source_url")
    return value


def _attachment(upload: Upload | None) -> tuple[str, str, str] | None:
    """(file name, content type, sha256) of a stored attachment."""
    if upload is None or not (upload.filename or upload.data):
        return None
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise InvalidInput("附件应为 PDF、Word（doc/docx）或 OFD 文件", field="attachment")
    if not upload.data:
        raise InvalidInput(f"附件“{name}”是空文件", field="attachment")
    if len(upload.data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(f"附件不得超过 {MAX_ATTACHMENT_BYTES // 1048576} MB", field="attachment")
    content_type, magic = ATTACHMENT_TYPES[ext]
    if not upload.data.startswith(magic):
        raise InvalidInput(f"附件“{name}”的内容与扩展名 .{ext} 不符", field="attachment")
    return name, content_type, file_store().put(upload.data)


# --------------------------------------------------------------------------- policy documents


def create_policy(
    session: Session, actor: Principal, data: PolicyIn, attachment: Upload | None = None
) -> PolicyDocument:
    """发布政策文件: published at once, and logged with the hash of its full text and attachment."""
    _check_editor(actor)
    if data.level not in LEVELS:
        raise InvalidInput("效力级别应为：" + "、".join(f"{v}（{k}）" for k, v in LEVELS.items()), field="level")
    if data.effective_on is not None and data.effective_on < data.issued_on:
        raise InvalidInput("施行日期不得早于公布日期", field="effective_on")
    if data.issued_on > clock.today_local():
        raise InvalidInput("公布日期不得晚于今天", field="issued_on")
    stored = _attachment(attachment)
    doc_number = " ".join(plain(data.doc_number).split()) or None
    policy = PolicyDocument(
        title=_text(data.title, "文件名称", "title"),
        issuing_body=_text(data.issuing_body, "制定机关", "issuing_body", high=200),
        doc_number=doc_number,
        level=data.level,
        issued_on=data.issued_on,
        effective_on=data.effective_on,
        region_code=data.region_code,
        body_html=_rich(data.body_html, "文件全文", "body_html"),
        source_url=_url(data.source_url),
        attachment_name=stored[0] if stored else None,
        attachment_type=stored[1] if stored else None,
        attachment_sha256=stored[2] if stored else None,
        created_by=actor.user_id,
        published_at=clock.now(),
        ledger_seq=-1,
    )
    session.add(policy)
    session.flush()
    entry = ledger.append(
        session,
        "policy:document:published",
        f"policy:{policy.id}",
        {
            "policy": policy.id,
            "title": policy.title,
            "issuing_body": policy.issuing_body,
            "doc_number": policy.doc_number,
            "level": policy.level,
            "issued_on": policy.issued_on.isoformat(),
            "effective_on": policy.effective_on.isoformat() if policy.effective_on else None,
            "body_sha256": _sha256(policy.body_html),
            "attachment_sha256": policy.attachment_sha256,
            "by": actor.user_id,
        },
    )
    policy.ledger_seq = entry.seq
    session.flush()
    return policy


POLICY_ORDER = Keyset.of("policies", PolicyDocument.issued_on, PolicyDocument.id)


def list_policies(
    session: Session,
    *,
    q: str | None = None,
    level: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PolicyDocument]:
    """Policy documents, newest issue date first, one page after ``cursor``."""
    where = []
    if level:
        where.append(PolicyDocument.level == level)
    word = " ".join(plain(q).split())
    if word:
        where.append(
            or_(
                PolicyDocument.title.icontains(word, autoescape=True),
                PolicyDocument.doc_number.icontains(word, autoescape=True),
                PolicyDocument.issuing_body.icontains(word, autoescape=True),
            )
        )
    stmt = select(PolicyDocument).where(*where)
    return paginate(session, stmt, POLICY_ORDER, cursor=cursor, limit=limit, count=True)


def get_policy(session: Session, policy_id: int) -> PolicyDocument:
    policy = session.get(PolicyDocument, policy_id) if 0 < policy_id <= ledger.MAX_INDEX else None
    if policy is None:
        raise NotFound("政策文件不存在")
    return policy


def all_policies(session: Session) -> list[PolicyDocument]:
    return list(session.scalars(select(PolicyDocument).order_by(PolicyDocument.issued_on.desc())))


def attachment_of(session: Session, policy_id: int) -> tuple[PolicyDocument, bytes]:
    policy = get_policy(session, policy_id)
    if not policy.attachment_sha256:
        raise NotFound("该文件没有附件")
    return policy, file_store().open(policy.attachment_sha256)


# --------------------------------------------------------------------------- interpretations


def add_interpretation(session: Session, actor: Principal, policy_id: int, data: InterpretationIn) -> Interpretation:
    """发布政策解读 of one policy document."""
    _check_editor(actor)
    policy = get_policy(session, policy_id)
    if data.form not in FORMS:
        raise InvalidInput("解读形式应为：" + "、".join(f"{v}（{k}）" for k, v in FORMS.items()), field="form")
    row = Interpretation(
        policy_id=policy.id,
        title=_text(data.title, "解读标题", "title"),
        form=data.form,
        interpreter=_text(data.interpreter, "解读机关或解读人", "interpreter", high=200),
        body_html=_rich(data.body_html, "解读内容", "body_html"),
        created_by=actor.user_id,
        published_at=clock.now(),
        ledger_seq=-1,
    )
    session.add(row)
    session.flush()
    entry = ledger.append(
        session,
        "policy:interpretation:published",
        f"policy:{policy.id}",
        {
            "interpretation": row.id,
            "policy": policy.id,
            "title": row.title,
            "form": row.form,
            "body_sha256": _sha256(row.body_html),
            "by": actor.user_id,
        },
    )
    row.ledger_seq = entry.seq
    session.flush()
    return row


def interpretations_of(session: Session, policy_ids: list[int]) -> dict[int, list[Interpretation]]:
    out: dict[int, list[Interpretation]] = {i: [] for i in policy_ids}
    if not policy_ids:
        return out
    rows = session.scalars(
        select(Interpretation)
        .where(Interpretation.policy_id.in_(policy_ids))
        .order_by(Interpretation.published_at, Interpretation.id)
    )
    for row in rows:
        out[row.policy_id].append(row)
    return out


def get_interpretation(session: Session, interpretation_id: int) -> tuple[Interpretation, PolicyDocument]:
    row = session.get(Interpretation, interpretation_id) if 0 < interpretation_id <= ledger.MAX_INDEX else None
    if row is None:
        raise NotFound("政策解读不存在")
    return row, get_policy(session, row.policy_id)


# --------------------------------------------------------------------------- public concerns


def _reply_limit(session: Session) -> tuple[int, str, str | None]:
    """(days, unit, rule reference) of the reply limit."""
    from sunshine.core.errors import SunshineError
    from sunshine.rules import service as rules

    try:
        pack = rules.resolve(session, "centre.service", clock.today_local())
    except SunshineError:  # no centre pack in force: the default commitment
        return DEFAULT_REPLY_WORKING_DAYS, "working", None
    if pack.has(REPLY_RULE):
        rule = pack.rule(REPLY_RULE)
        return int(rule.value), rules.DAY_UNITS[rule.unit], f"centre.service/{REPLY_RULE}"
    return DEFAULT_REPLY_WORKING_DAYS, "working", None


def submit_concern(session: Session, data: ConcernIn) -> PublicConcern:
    """提交问题: anyone, anonymously if they like. The reply clock starts (working days); the receipt
    is logged with its number and time only — never the text or who asked."""
    if data.topic not in TOPICS:
        raise InvalidInput("问题类别应为：" + "、".join(TOPICS.values()), field="topic")
    question = plain(data.question)
    if not 5 <= len(question) <= 3000:
        raise InvalidInput("问题应为 5 至 3000 个字", field="question")
    if data.policy_id is not None and session.get(PolicyDocument, data.policy_id) is None:
        raise InvalidInput("所涉政策文件不存在", field="policy_id")
    now = clock.now()
    concern = PublicConcern(
        topic=data.topic,
        question=question,
        asker_name=" ".join(plain(data.asker_name).split()) or None,
        contact=" ".join(plain(data.contact).split()) or None,
        policy_id=data.policy_id,
        status="received",
        submitted_at=now,
    )
    session.add(concern)
    session.flush()
    days, unit, rule_ref = _reply_limit(session)
    deadline = calendar.track(
        session,
        subject=f"concern:{concern.id}",
        purpose=REPLY_PURPOSE,
        start=clock.today_local(),
        days=days,
        unit=unit,
        rule_ref=rule_ref,
    )
    concern.reply_deadline_id = deadline.id
    ledger.append(
        session,
        "policy:concern:received",
        f"concern:{concern.id}",
        {
            "concern": concern.id,
            "reference": reference(concern),
            "topic": concern.topic,
            "reply_due": str(deadline.due),
        },
    )
    session.flush()
    return concern


def reply_due(session: Session, concern: PublicConcern) -> date | None:
    if concern.reply_deadline_id is None:
        return None
    row = session.get(TrackedDeadline, concern.reply_deadline_id)
    return row.due if row else None


def _concern(session: Session, concern_id: int) -> PublicConcern:
    concern = session.get(PublicConcern, concern_id) if 0 < concern_id <= ledger.MAX_INDEX else None
    if concern is None:
        raise NotFound("问题不存在")
    return concern


def answer_concern(session: Session, actor: Principal, concern_id: int, data: AnswerIn) -> PublicConcern:
    """答复: the answer is kept; with ``publish`` the question (as edited for publication) and the answer
    become public at once. An answer is given once; the reply clock stops."""
    _check_editor(actor)
    concern = _concern(session, concern_id)
    if concern.status != "received":
        raise Conflict("该问题已答复")
    public_question = plain(data.public_question) or concern.question
    if not 5 <= len(public_question) <= 3000:
        raise InvalidInput("公开的问题应为 5 至 3000 个字", field="public_question")
    concern.answer_html = _rich(data.answer_html, "答复内容", "answer_html")
    concern.public_question = public_question
    concern.answered_by = actor.user_id
    concern.answered_at = clock.now()
    concern.status = "answered"
    if concern.reply_deadline_id is not None:
        calendar.close(session, concern.reply_deadline_id)
    session.flush()
    if data.publish:
        publish_concern(session, actor, concern.id)
    return concern


def publish_concern(session: Session, actor: Principal, concern_id: int) -> PublicConcern:
    """公开: an answered question becomes public with its answer, and enters the ledger."""
    _check_editor(actor)
    concern = _concern(session, concern_id)
    if concern.status == "published":
        raise Conflict("该问题已公开")
    if concern.status != "answered":
        raise Conflict("问题尚未答复，不能公开")
    concern.status = "published"
    concern.published_at = clock.now()
    entry = ledger.append(
        session,
        "policy:concern:published",
        f"concern:{concern.id}",
        {
            "concern": concern.id,
            "reference": reference(concern),
            "topic": concern.topic,
            "policy": concern.policy_id,
            "question_sha256": _sha256(concern.public_question or ""),
            "answer_sha256": _sha256(concern.answer_html or ""),
            "answered_at": fmt.iso_utc(concern.answered_at),
            "by": actor.user_id,
        },
    )
    concern.ledger_seq = entry.seq
    session.flush()
    return concern


CONCERN_ORDER = Keyset.of("concerns", PublicConcern.published_at, PublicConcern.id)


def published_concerns(
    session: Session,
    *,
    topic: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[PublicConcern]:
    """Published concerns with their answers, newest first, one page after ``cursor``."""
    where = [PublicConcern.status == "published"]
    if topic:
        where.append(PublicConcern.topic == topic)
    word = " ".join(plain(q).split())
    if word:
        where.append(PublicConcern.public_question.icontains(word, autoescape=True))
    stmt = select(PublicConcern).where(*where)
    return paginate(session, stmt, CONCERN_ORDER, cursor=cursor, limit=limit, count=True)


def get_published_concern(session: Session, concern_id: int) -> PublicConcern:
    concern = _concern(session, concern_id)
    if concern.status != "published":
        raise NotFound("问题不存在")
    return concern


STAFF_QUEUE_ORDER = Keyset.of(
    "concerns-staff",
    Key(PublicConcern.status, True),
    Key(PublicConcern.submitted_at, False),
    Key(PublicConcern.id, False),
)


def staff_queue(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[PublicConcern]:
    """Questions waiting for an answer (oldest first), then answered ones not yet public; a page at a time."""
    stmt = select(PublicConcern).where(PublicConcern.status.in_(("received", "answered")))
    return paginate(session, stmt, STAFF_QUEUE_ORDER, cursor=cursor, limit=limit)


def reply_dues(session: Session, concerns: list[PublicConcern]) -> dict[int, date]:
    ids = [c.reply_deadline_id for c in concerns if c.reply_deadline_id]
    if not ids:
        return {}
    dues = dict(
        session.execute(select(TrackedDeadline.id, TrackedDeadline.due).where(TrackedDeadline.id.in_(ids))).all()
    )
    return {c.id: dues[c.reply_deadline_id] for c in concerns if c.reply_deadline_id in dues}
