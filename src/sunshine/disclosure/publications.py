"""The publication pipeline: draft → confidentiality review (保密审查: automatic findings, then a reviewer's
redaction or sign-off) → published to every channel the catalog item requires, in the ledger with the SHA-256
of the text → optionally withdrawn, leaving a public tombstone with the reason and date. Nothing skips review:
a trading step's notice goes through ``publish_from_step``, whose automatic review holds it if anything is found.
"""

from __future__ import annotations

import hashlib
import html

import nh3
from sqlalchemy import Integer, and_, case, exists, select
from sqlalchemy.orm import Session, selectinload

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SunshineError
from sunshine.core.pagination import Key, Keyset, Page, count_upto, paginate
from sunshine.disclosure import detectors, negative_list, obligations, visibility
from sunshine.disclosure.catalog_service import get_item
from sunshine.disclosure.models import CatalogItem, Finding, Obligation, Publication
from sunshine.ledger import service as ledger

MAX_TITLE = 300
MAX_BODY = 100_000
MAX_REASON = 1000


class HeldForReview(SunshineError):
    status = 422
    code = "held_for_review"
    title = "保密审查发现敏感信息，暂缓发布"


class ReviewerIsAuthor(Forbidden):
    code = "reviewer_is_author"
    title = "审查人不能审核本人起草的信息"


# --------------------------------------------------------------------------- scanning


def _plain(body: str, body_format: str) -> str:
    return html.unescape(nh3.clean(body, tags=set())) if body_format == "html" else body


def _describe(hits: list[tuple[str, detectors.Hit]]) -> list[dict]:
    return [
        {"part": part, "detector": h.detector, "label": h.label, "masked": h.masked, "start": h.start, "end": h.end}
        for part, h in hits
    ]


def _scan(session: Session, title: str, body: str) -> list[tuple[str, detectors.Hit]]:
    terms = negative_list.detector_terms(session)
    return [("title", h) for h in detectors.scan(title, terms)] + [("body", h) for h in detectors.scan(body, terms)]


def _rescan(session: Session, pub: Publication) -> list[Finding]:
    """Replace the open findings by a fresh scan; what a reviewer dismissed stays dismissed."""
    for finding in list(pub.findings):
        if finding.status == "open":
            session.delete(finding)
    session.flush()
    dismissed = {f.fingerprint for f in pub.findings if f.status == "dismissed"}
    now = clock.now()
    created = []
    for part, hit in _scan(session, pub.title, pub.body):
        if hit.fingerprint in dismissed:
            continue
        row = Finding(
            publication_id=pub.id,
            detector=hit.detector,
            part=part,
            start=hit.start,
            end=hit.end,
            masked=hit.masked[:200],
            fingerprint=hit.fingerprint,
            term_id=hit.term_id,
            status="open",
            found_at=now,
        )
        session.add(row)
        created.append(row)
    session.flush()
    session.expire(pub, ["findings"])
    return created


def open_findings(pub: Publication) -> list[Finding]:
    return [f for f in pub.findings if f.status == "open"]


def is_held(pub: Publication) -> bool:
    return pub.status == "review" and bool(open_findings(pub))


# --------------------------------------------------------------------------- drafting


def load(session: Session, publication_id: int) -> Publication:
    pub = session.scalar(
        select(Publication)
        .where(Publication.id == publication_id)
        .options(selectinload(Publication.findings), selectinload(Publication.item))
    )
    if pub is None:
        raise NotFound("公开信息不存在")
    return pub


def _checked(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not 2 <= len(title) <= MAX_TITLE:
        raise InvalidInput(f"标题应为 2 至 {MAX_TITLE} 个字符", field="title")
    body = (body or "").replace("\r\n", "\n").strip()
    if "\x00" in title or "\x00" in body:
        raise InvalidInput("内容含有不允许的控制字符", field="body")
    if not body:
        raise InvalidInput("正文不能为空", field="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"正文最多 {MAX_BODY} 个字符", field="body")
    return title, body


def create_draft(
    session: Session,
    actor: Principal,
    *,
    title: str,
    body: str,
    item_code: str | None = None,
    obligation_id: int | None = None,
    submit: bool = False,
) -> Publication:
    """起草: a draft under a catalog item, or for an obligation (whose item and subject it takes)."""
    title, body = _checked(title, body)
    if obligation_id is not None:
        obligation = obligations.get_obligation(session, obligation_id)
        if obligation.status == "met":
            raise Conflict("该公开义务已履行", field="obligation_id")
        item_id, subject = obligation.item_id, obligation.subject
    elif item_code:
        item = get_item(session, item_code)
        item_id, subject = item.id, f"disclosure-item:{item.code}"
    else:
        raise InvalidInput("请选择公开事项或公开义务", field="item_code")
    pub = Publication(
        item_id=item_id,
        obligation_id=obligation_id,
        subject=subject,
        title=title,
        body=body,
        body_format="text",
        status="draft",
        author_id=actor.user_id,
        created_at=clock.now(),
    )
    session.add(pub)
    session.flush()
    if submit:
        return submit_for_review(session, actor, pub.id)
    return load(session, pub.id)


def edit_draft(session: Session, actor: Principal, publication_id: int, *, title: str, body: str) -> Publication:
    pub = load(session, publication_id)
    if pub.status != "draft":
        raise Conflict("只有草稿可以修改；送审后请由审查人遮蔽或确认")
    if pub.author_id != actor.user_id:
        raise Forbidden("只有起草人可以修改草稿")
    pub.title, pub.body = _checked(title, body)
    session.flush()
    return pub


def submit_for_review(session: Session, actor: Principal, publication_id: int) -> Publication:
    """送审: the detectors run; anything they find holds the text until a reviewer redacts or dismisses it."""
    pub = load(session, publication_id)
    if pub.status != "draft":
        raise Conflict("只有草稿可以送审")
    pub.status, pub.submitted_at = "review", clock.now()
    _rescan(session, pub)
    return load(session, pub.id)


# --------------------------------------------------------------------------- review


def _reviewer(actor: Principal, pub: Publication) -> None:
    if not visibility.can_review(actor):
        raise Forbidden("保密审查须由政务公开办或交易中心工作人员办理")
    if pub.author_id is not None and pub.author_id == actor.user_id:
        raise ReviewerIsAuthor("起草人不能审查本人起草的信息，请由另一名工作人员审查")


def _in_review(pub: Publication) -> None:
    if pub.status != "review":
        raise Conflict("该信息不在保密审查中")


def redact(
    session: Session, actor: Principal, publication_id: int, finding_ids: list[int] | None = None
) -> Publication:
    """遮蔽: each open finding (or the chosen ones) is replaced in the text by its mask; the text is then
    scanned again, so nothing the masks left behind slips through."""
    pub = load(session, publication_id)
    _in_review(pub)
    _reviewer(actor, pub)
    chosen = [f for f in open_findings(pub) if finding_ids is None or f.id in finding_ids]
    if finding_ids is not None and len(chosen) != len(set(finding_ids)):
        raise NotFound("审查发现不存在或已处理")
    if not chosen:
        raise Conflict("没有需要遮蔽的审查发现")
    for part in ("title", "body"):
        spans = [
            (f.start, f.end, detectors.REDACTED_TERM if f.detector == "negative_list" else f.masked)
            for f in chosen
            if f.part == part
        ]
        if spans:
            setattr(pub, part, detectors.redact(getattr(pub, part), spans))
    now = clock.now()
    for finding in chosen:
        finding.status, finding.resolved_by, finding.resolved_at = "redacted", actor.user_id, now
    session.flush()
    _rescan(session, pub)
    return load(session, pub.id)


def dismiss(session: Session, actor: Principal, publication_id: int, finding_id: int, *, note: str) -> Publication:
    """确认无需遮蔽: a reviewer signs off a finding as not confidential (e.g. the centre's own hotline)."""
    pub = load(session, publication_id)
    _in_review(pub)
    _reviewer(actor, pub)
    finding = next((f for f in pub.findings if f.id == finding_id and f.status == "open"), None)
    if finding is None:
        raise NotFound("审查发现不存在或已处理")
    note = (note or "").strip()
    if len(note) < 2:
        raise InvalidInput("请说明无需遮蔽的理由", field="note")
    if len(note) > 500:
        raise InvalidInput("理由最多 500 个字符", field="note")
    if finding.detector == "id_card":
        raise Conflict("居民身份证号码一律遮蔽，不能确认为无需遮蔽", field="note")
    finding.status, finding.note = "dismissed", note
    finding.resolved_by, finding.resolved_at = actor.user_id, clock.now()
    session.flush()
    return load(session, pub.id)


def approve(
    session: Session, actor: Principal, publication_id: int, *, optional_channels: list[str] | None = None
) -> Publication:
    """审查通过并发布: allowed only when no finding is open; publishes to every required channel."""
    pub = load(session, publication_id)
    _in_review(pub)
    _reviewer(actor, pub)
    pending = open_findings(pub)
    if pending:
        kinds = "、".join(sorted({detectors.DETECTOR_LABELS[f.detector] for f in pending}))
        raise HeldForReview(
            f"尚有 {len(pending)} 处审查发现未处理（{kinds}），请遮蔽或确认后再发布",
            findings=[{"id": f.id, "detector": f.detector, "masked": f.masked, "part": f.part} for f in pending],
        )
    _publish(session, pub, reviewer=actor, mode="manual", optional_channels=optional_channels or [])
    return load(session, pub.id)


def _publish(
    session: Session, pub: Publication, *, reviewer: Principal | None, mode: str, optional_channels: list[str]
) -> None:
    item = session.get(CatalogItem, pub.item_id)
    unknown = [c for c in optional_channels if item.channels.get(c) != "optional"]
    if unknown:
        raise InvalidInput(f"渠道 {'、'.join(unknown)} 不是该事项的可选渠道", field="optional_channels")
    channels = [c for c, need in item.channels.items() if need == "required"] + list(dict.fromkeys(optional_channels))
    now = clock.now()
    pub.status = "published"
    pub.review_mode = mode
    pub.reviewed_by = reviewer.user_id if reviewer is not None else None
    pub.reviewed_at = pub.published_at = now
    pub.channels = channels
    pub.body_sha256 = hashlib.sha256(pub.body.encode()).hexdigest()
    session.flush()
    findings = list(session.scalars(select(Finding).where(Finding.publication_id == pub.id)))
    entry = ledger.append(
        session,
        "disclosure:publication:published",
        f"disclosure-publication:{pub.id}",
        {
            "item": item.code,
            "subject": pub.subject,
            "title": pub.title,
            "body_sha256": pub.body_sha256,
            "format": pub.body_format,
            "channels": channels,
            "obligation": pub.obligation_id,
            "source": pub.source_ref,
            "review": {
                "mode": mode,
                "by": pub.reviewed_by,
                "redacted": sum(f.status == "redacted" for f in findings),
                "dismissed": sum(f.status == "dismissed" for f in findings),
            },
        },
    )
    pub.ledger_seq = entry.seq
    if pub.obligation_id is not None:
        obligation = session.get(Obligation, pub.obligation_id)
        if obligation is not None and obligation.status != "met":
            obligations.meet(session, obligation, publication_id=pub.id)
    session.flush()


def withdraw(session: Session, actor: Principal, publication_id: int, *, reason: str) -> Publication:
    """撤回: the text leaves the channels; a public tombstone keeps the title, the dates and the reason."""
    pub = load(session, publication_id)
    if not visibility.can_review(actor):
        raise Forbidden("撤回须由政务公开办或交易中心工作人员办理")
    if pub.status != "published":
        raise Conflict("只有已发布的信息可以撤回")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请说明撤回理由（将向社会公开）", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"撤回理由最多 {MAX_REASON} 个字符", field="reason")
    now = clock.now()
    pub.status, pub.withdrawn_at, pub.withdrawn_by, pub.withdrawal_reason = "withdrawn", now, actor.user_id, reason
    entry = ledger.append(
        session,
        "disclosure:publication:withdrawn",
        f"disclosure-publication:{pub.id}",
        {"reason": reason, "by": actor.user_id, "published_seq": pub.ledger_seq},
    )
    pub.withdrawal_ledger_seq = entry.seq
    session.flush()
    return pub


# --------------------------------------------------------------------------- from the trading lifecycle


def publish_from_step(
    session: Session,
    *,
    trigger: str,
    subject: str,
    title: str,
    body_html: str,
    source_ref: str,
    author_id: int | None,
) -> list[Publication]:
    """A lifecycle step publishes its own text (a notice): reviewed automatically, and held — the whole step
    refused with ``held_for_review`` — if the detectors find personal data or negative-list terms; otherwise
    published, meeting the step's open obligations for ``trigger``."""
    hits = _scan(session, title, _plain(body_html, "html"))
    if hits:
        labels = "、".join(dict.fromkeys(f"{h.label}（{h.masked}）" for _, h in hits))
        raise HeldForReview(
            f"公告含有{labels}，依保密审查规定暂缓发布；请删除或遮蔽后重新提交",
            field="title" if all(part == "title" for part, _ in hits) else "body_html",
            findings=_describe(hits),
        )
    out = []
    for obligation in obligations.open_for(session, subject=subject, trigger=trigger):
        pub = Publication(
            item_id=obligation.item_id,
            obligation_id=obligation.id,
            subject=subject,
            title=title[:MAX_TITLE],
            body=body_html,
            body_format="html",
            source_ref=source_ref,
            status="review",
            author_id=author_id,
            created_at=clock.now(),
            submitted_at=clock.now(),
        )
        session.add(pub)
        session.flush()
        _publish(session, pub, reviewer=None, mode="automatic", optional_channels=[])
        out.append(pub)
    return out


# --------------------------------------------------------------------------- reading


def get_visible(session: Session, actor: Principal, publication_id: int) -> Publication:
    """Published texts and tombstones for everyone; drafts and texts in review only for reviewers."""
    pub = load(session, publication_id)
    if visibility.may_see(actor, pub):
        return pub
    raise NotFound("公开信息不存在")


PUBLICATION_ORDER = Keyset.of("publications", Publication.published_at, Publication.id)


def list_public(
    session: Session,
    *,
    item_code: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Publication]:
    """Published texts and tombstones, newest first, one page after ``cursor``."""
    where = [visibility.public()]
    if item_code:
        where.append(Publication.item_id == get_item(session, item_code).id)
    if q and q.strip():
        where.append(Publication.title.icontains(q.strip(), autoescape=True))
    return paginate(
        session,
        select(Publication).where(*where),
        PUBLICATION_ORDER,
        cursor=cursor,
        limit=limit,
        count=True,
        options=(selectinload(Publication.item), selectinload(Publication.findings)),
    )


# texts under review held by an open finding first (0), the other texts under review (1), then drafts (2)
_REVIEW_RANK = case(
    (
        and_(
            Publication.status == "review",
            exists().where(Finding.publication_id == Publication.id, Finding.status == "open"),
        ),
        0,
    ),
    (Publication.status == "review", 1),
    else_=2,
).cast(Integer)
REVIEW_ORDER = Keyset.of("review-queue", Key(_REVIEW_RANK, False), Key(Publication.id, False))


def review_page(
    session: Session, *, cursor: str | None = None, limit: int | None = None, count: bool = False
) -> Page[Publication]:
    """``review_queue`` one page at a time, in the same order."""
    stmt = select(Publication).where(Publication.status.in_(("review", "draft")))
    options = (selectinload(Publication.findings), selectinload(Publication.item))
    return paginate(session, stmt, REVIEW_ORDER, cursor=cursor, limit=limit, count=count, options=options)


def queue_size(session: Session) -> tuple[int, bool]:
    """How many texts wait in the review queue (drafts included), counted in the database up to the pagination's
    cap: (count, exact)."""
    return count_upto(session, select(Publication.id).where(Publication.status.in_(("review", "draft"))))


def review_queue(session: Session) -> list[Publication]:
    """Texts waiting for a reviewer (held ones first), then drafts not yet submitted."""
    rows = list(
        session.scalars(
            select(Publication)
            .where(Publication.status.in_(("review", "draft")))
            .options(selectinload(Publication.findings), selectinload(Publication.item))
            .order_by(Publication.id)
        )
    )
    return sorted(rows, key=lambda p: (p.status != "review", not is_held(p), p.id))


def masked_text(pub: Publication, part: str) -> str:
    """The title or body with every open finding shown by its mask, for the review page."""
    text = getattr(pub, part)
    spans = [(f.start, f.end, f.masked) for f in open_findings(pub) if f.part == part]
    return detectors.redact(text, spans)


def review_preview(pub: Publication) -> str:
    """The body as the reviewer sees it: open findings masked and marked, so personal data is not shown even
    on the review screen; resolved text as it will be published."""
    if pub.body_format == "html":
        return rendered_body(pub)
    marker = "\u0000"
    spans = [(f.start, f.end, f"{marker}{f.masked}{marker}") for f in open_findings(pub) if f.part == "body"]
    text = detectors.redact(pub.body, spans)
    out = html.escape(text)
    parts = out.split(marker)
    out = "".join(f'<mark class="finding">{p}</mark>' if i % 2 else p for i, p in enumerate(parts))
    paragraphs = [p.strip() for p in out.split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(p.splitlines()) + "</p>" for p in paragraphs)


def rendered_body(pub: Publication) -> str:
    """The body as HTML: notices are sanitised HTML already; plain text becomes escaped paragraphs."""
    if pub.body_format == "html":
        return pub.body
    paragraphs = [p.strip() for p in pub.body.split("\n\n") if p.strip()]
    return "".join("<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs)
