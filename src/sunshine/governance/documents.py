"""Document disclosure attributes (公文公开属性, “五公开”落实到公文办理): every document the centre drafts on the
platform carries 主动公开 / 依申请公开 / 不予公开 with a reason from its drafting; at issue the disclosure office
reviews the attribute (keeps or changes it, with a note; never the drafter) and gives the number. A proactive
document then owes its disclosure (an obligation under its catalog item, due by the catalog's limit from the
issue date) and its text enters the disclosure pipeline's confidentiality review (``disclosure.publications``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.disclosure import obligations, publications
from sunshine.disclosure.catalog_service import get_item
from sunshine.governance import common
from sunshine.governance.models import GovDocument
from sunshine.ledger import service as ledger

DEFAULT_ITEM = "ZX.JG.02"  # 政策文件与规范性文件


def get(session: Session, document_id: int) -> GovDocument:
    found = session.get(GovDocument, document_id)
    if found is None:
        raise NotFound("公文不存在")
    return found


def _reason(attribute: str, reason: str | None, field: str) -> str:
    low = 2 if attribute == "proactive" else 6  # withholding or on-request only: say why (依据)
    return common.text(reason, field, "公开属性理由" if attribute == "proactive" else "不主动公开的理由和依据", low=low)


def draft(
    session: Session,
    actor: Principal,
    *,
    title: str,
    body: str,
    attribute: str,
    reason: str,
    item_code: str | None = None,
) -> GovDocument:
    """拟稿: the attribute and its reason are part of the draft."""
    common.choice(attribute, common.ATTRIBUTES, "attribute", "公开属性")
    code = (item_code or "").strip() or None
    if attribute == "proactive":
        code = code or DEFAULT_ITEM
        get_item(session, code)  # 404 names an unknown catalog item
    row = GovDocument(
        title=common.line(title, "title", "公文标题", low=4),
        body=common.text(body, "body", "公文正文", low=10, high=100_000),
        department_org_id=actor.organisation_id,
        attribute=attribute,
        attribute_reason=_reason(attribute, reason, "reason"),
        item_code=code,
        status="drafted",
        drafted_by=actor.user_id,
        drafted_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def issue(
    session: Session,
    actor: Principal,
    document_id: int,
    *,
    doc_number: str,
    attribute: str,
    note: str | None = None,
) -> GovDocument:
    """印发 with the attribute reviewed: the reviewer (not the drafter) confirms or changes it; a change needs a
    note. A proactive document owes its disclosure from today and its text goes to the confidentiality review."""
    row = get(session, document_id)
    if row.status != "drafted":
        raise Conflict("该公文已印发")
    if row.drafted_by is not None and row.drafted_by == actor.user_id:
        raise Forbidden("公开属性须由拟稿人以外的工作人员审核")
    common.choice(attribute, common.ATTRIBUTES, "attribute", "公开属性")
    note = (note or "").strip() or None
    if attribute != row.attribute and (note is None or len(note) < 4):
        raise InvalidInput("改变拟稿时确定的公开属性，请说明理由", field="note")
    number = common.line(doc_number, "doc_number", "文号", low=4, high=60)
    if session.scalar(select(GovDocument.id).where(GovDocument.doc_number == number)):
        raise Conflict("文号已被使用", field="doc_number")
    today = clock.today_local()
    row.doc_number, row.final_attribute, row.review_note = number, attribute, note
    row.reviewed_by, row.issued_on, row.status = actor.user_id, today, "issued"
    if attribute == "proactive":
        row.item_code = row.item_code or DEFAULT_ITEM
        obligation = obligations.declare(
            session,
            actor,
            item_code=row.item_code,
            title=f"{row.title}（{number}）",
            event_date=today,
            responsible_org_id=row.department_org_id,
            subject=f"gov-document:{row.id}",
        )
        pub = publications.create_draft(
            session, actor, title=f"{row.title}（{number}）", body=row.body, obligation_id=obligation.id, submit=True
        )
        row.obligation_id, row.publication_id = obligation.id, pub.id
    entry = ledger.append(
        session,
        "governance:document:issued",
        f"gov-document:{row.id}",
        {
            "number": number,
            "drafted_attribute": row.attribute,
            "attribute": attribute,
            "changed": attribute != row.attribute,
            "publication": row.publication_id,
        },
    )
    row.issued_seq = entry.seq
    session.flush()
    return row


LIST_ORDER = Keyset.of("gov-documents", GovDocument.drafted_at, GovDocument.id)


def listing(session: Session, *, cursor: str | None = None, limit: int | None = None) -> Page[GovDocument]:
    return paginate(session, select(GovDocument), LIST_ORDER, cursor=cursor, limit=limit)


def attribute_counts(session: Session, year: int) -> dict[str, int]:
    """Documents issued in ``year`` by final attribute."""
    out = dict.fromkeys(common.ATTRIBUTES, 0)
    for attribute, n in session.execute(
        select(GovDocument.final_attribute, func.count())
        .where(GovDocument.issued_on >= date(year, 1, 1), GovDocument.issued_on <= date(year, 12, 31))
        .group_by(GovDocument.final_attribute)
    ):
        out[attribute] = n
    return out
