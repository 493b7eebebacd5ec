"""The knowledge base (知识库, seed 003's 资料库): 办事指南 (per service: conditions, materials, steps, time
limits, fees, where, contacts), 常见问题 (FAQs, also made from answered work orders), linked to policy
documents and rules; searched in Chinese by the words of ``similar.tokens``, and suggested beside a new work
order by similarity. Never commits."""

from __future__ import annotations

import json

from sqlalchemy import Integer, literal_column, or_, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import InvalidInput, NotFound
from sunshine.core.pagination import Key, Keyset, Page, bounded_limit, decode_cursor, encode_cursor, paginate
from sunshine.policy.models import PolicyDocument
from sunshine.servicedesk import similar
from sunshine.servicedesk.models import KnowledgeArticle, WorkOrder
from sunshine.servicedesk.schemas import ArticleIn

ARTICLE_KINDS = {"guide": "办事指南", "faq": "常见问题"}
GUIDE_FIELDS = {
    "conditions": "办理条件",
    "materials": "申请材料",
    "steps": "办理流程",
    "time_limit": "办理时限",
    "fees": "收费标准",
    "location": "办理地点",
    "contacts": "咨询电话",
}
SEARCH_CAP = 2000  # articles scored per query; a centre's knowledge base holds hundreds


def _index_text(title: str, body: str, fields: dict[str, str]) -> str:
    return " ".join(similar.tokens(" ".join([title, title, body, *fields.values()])))


def _checked(session: Session, data: ArticleIn) -> tuple[str, str, dict[str, str]]:
    if data.kind not in ARTICLE_KINDS:
        raise InvalidInput("条目类别应为办事指南或常见问题", field="kind")
    title, body = data.title.strip(), data.body.strip()
    if not 4 <= len(title) <= 200:
        raise InvalidInput("标题应为 4 至 200 个字", field="title")
    if not len(body) >= 4:
        raise InvalidInput("请填写正文（常见问题为答案）", field="body")
    fields = {k: v.strip() for k, v in data.fields.items() if v.strip()}
    unknown = set(fields) - set(GUIDE_FIELDS)
    if unknown or (fields and data.kind != "guide"):
        raise InvalidInput("办事指南的栏目为：" + "、".join(GUIDE_FIELDS.values()), field="fields")
    for pid in data.policy_ids:
        if session.get(PolicyDocument, pid) is None:
            raise InvalidInput("所链接的政策文件不存在", field="policy_ids")
    if data.source_order_id is not None and session.get(WorkOrder, data.source_order_id) is None:
        raise InvalidInput("来源工单不存在", field="source_order_id")
    return title, body, fields


def save(session: Session, actor: Principal, data: ArticleIn, article_id: int | None = None) -> KnowledgeArticle:
    title, body, fields = _checked(session, data)
    row = get(session, article_id, staff=True) if article_id is not None else KnowledgeArticle(published=True)
    row.kind, row.title, row.body = data.kind, title, body
    row.fields = json.dumps(fields, ensure_ascii=False)
    row.policy_ids = json.dumps(sorted(set(data.policy_ids)))
    row.rule_refs = json.dumps(data.rule_refs, ensure_ascii=False)
    row.source_order_id = data.source_order_id
    row.tokens = _index_text(title, body, fields)
    row.updated_by, row.updated_at = actor.user_id, clock.now()
    session.add(row)
    session.flush()
    return row


def from_order(session: Session, actor: Principal, order: WorkOrder) -> KnowledgeArticle:
    """常见问题 from an answered enquiry: its title as the question, its reply as the answer (no personal data:
    the requester's name and phone are not copied; staff edit the text before it helps others)."""
    if order.kind == "report" or not order.reply or order.state not in ("replied", "closed"):
        raise InvalidInput("只有已答复的咨询、求助等工单可以转为常见问题", field="order")
    return save(session, actor, ArticleIn(kind="faq", title=order.title, body=order.reply, source_order_id=order.id))


def get(session: Session, article_id: int, *, staff: bool = False) -> KnowledgeArticle:
    row = session.get(KnowledgeArticle, article_id)
    if row is None or (not row.published and not staff):
        raise NotFound("知识库条目不存在")
    return row


def fields_of(row: KnowledgeArticle) -> list[tuple[str, str]]:
    data = json.loads(row.fields or "{}")
    return [(label, data[k]) for k, label in GUIDE_FIELDS.items() if data.get(k)]


def policies_of(session: Session, row: KnowledgeArticle) -> list[PolicyDocument]:
    ids = json.loads(row.policy_ids or "[]")
    return list(session.scalars(select(PolicyDocument).where(PolicyDocument.id.in_(ids)))) if ids else []


def rules_of(row: KnowledgeArticle) -> list[str]:
    return json.loads(row.rule_refs or "[]")


def search(
    session: Session, q: str | None, *, kind: str | None = None, limit: int = 20
) -> list[tuple[KnowledgeArticle, float]]:
    """Published articles matching the words of ``q``, most similar first; all of a kind without a query."""
    stmt = select(KnowledgeArticle).where(KnowledgeArticle.published.is_(True))
    if kind in ARTICLE_KINDS:
        stmt = stmt.where(KnowledgeArticle.kind == kind)
    words = similar.tokens(q or "")
    if not words:
        return [
            (a, 0.0) for a in session.scalars(stmt.order_by(KnowledgeArticle.kind, KnowledgeArticle.id).limit(limit))
        ]
    stmt = stmt.where(or_(*[KnowledgeArticle.tokens.contains(w, autoescape=True) for w in set(words)]))
    scored = [(a, similar.similarity(words, a.tokens.split())) for a in session.scalars(stmt.limit(SEARCH_CAP))]
    scored = [(a, s) for a, s in scored if s > 0]
    scored.sort(key=lambda x: (-x[1], x[0].id))
    return scored[:limit]


BROWSE_ORDER = Keyset.of("knowledge", Key(KnowledgeArticle.kind, False), Key(KnowledgeArticle.id, False))
# a ranked answer: similarity in millionths (descending), then the article id (descending)
RANK_ORDER = Keyset.of("knowledge-ranked", literal_column("0", Integer), KnowledgeArticle.id)


def search_page(
    session: Session, q: str | None, *, kind: str | None = None, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[KnowledgeArticle, float]]:
    """``search`` one page at a time: all of a kind in (kind, id) order without a query; with one, the matches
    most similar first, the cursor carrying the last row's similarity and id."""
    words = similar.tokens(q or "")
    if not words:
        stmt = select(KnowledgeArticle).where(KnowledgeArticle.published.is_(True))
        if kind in ARTICLE_KINDS:
            stmt = stmt.where(KnowledgeArticle.kind == kind)
        page = paginate(session, stmt, BROWSE_ORDER, cursor=cursor, limit=limit)
        return Page([(a, 0.0) for a in page.items], page.next_cursor, page.limit, page.number)
    size = bounded_limit(limit)
    after, number = decode_cursor(RANK_ORDER, cursor) if cursor else (None, 1)
    keyed = [((round(s * 1_000_000), a.id), a, s) for a, s in search(session, q, kind=kind, limit=SEARCH_CAP)]
    keyed.sort(key=lambda x: x[0], reverse=True)
    if after is not None:
        keyed = [k for k in keyed if k[0] < (after[0], after[1])]
    rows = keyed[:size]
    more = len(keyed) > size
    next_cursor = encode_cursor(RANK_ORDER, list(rows[-1][0]), number + 1) if more and rows else None
    return Page([(a, s) for _, a, s in rows], next_cursor, size, number)


def suggestions(session: Session, title: str, content: str, limit: int = 5) -> list[tuple[KnowledgeArticle, float]]:
    """Articles beside a work order (or a message being written): the most similar to its title and content;
    none while it has no words yet."""
    text = f"{title} {content}"
    if not similar.tokens(text):
        return []
    return search(session, text, limit=limit)


def rule_links(session: Session, refs: list[str]) -> list[tuple[str, str]]:
    """(title with value, link) of each "pack/rule" reference, as the rule pack in force states it."""
    from sunshine.core.errors import SunshineError
    from sunshine.rules import service as rules

    out = []
    for ref in refs:
        key, _, rule_id = ref.partition("/")
        try:
            rule = rules.resolve(session, key, clock.today_local()).rule(rule_id)
        except SunshineError:
            continue
        out.append((f"{rule.title}：{rule.bound_label}{rule.value.normalize():f}{rule.unit_label}", f"/rules/{key}"))
    return out
