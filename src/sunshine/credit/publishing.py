"""Penalties through the disclosure pipeline (part of credit's upper half, at the domains layer: it imports the
disclosure domain, which the lower half never does; installed by ``steps.install``). A penalty about an
organisation owes the 公开事项目录 item of its transaction type (监督管理: 行政处罚决定, trigger
``supervision.penalty.<type>``), counted from the decision's date — 7 working days (``disclosure.licence_penalty``
/ publish_within, seed 001) — and is published at once through the automatic review; at the end of its
publication period, or when the record is revoked, the publication is withdrawn, leaving the public tombstone
with the reason. A text that the review would hold (personal data) refuses the record, so it is never half
written."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine import disclosure
from sunshine.core.auth import Principal
from sunshine.core.labels import TRADING_TYPE_LABELS as TRANSACTION_TYPES
from sunshine.credit.common import kind_label
from sunshine.credit.models import CreditRecord
from sunshine.disclosure import publications
from sunshine.disclosure.models import Publication
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role

SYSTEM = Principal(display_name="系统（公示期满自动撤下）", roles=frozenset({Role.CENTRE_STAFF}))


def trigger_of(record: CreditRecord) -> str:
    return f"supervision.penalty.{record.transaction_type}"


def _row(head: str, value: str) -> str:
    return f"<tr><th>{html.escape(head)}</th><td>{html.escape(value)}</td></tr>"


def body_of(session: Session, record: CreditRecord) -> tuple[str, str]:
    org = session.get(Organisation, record.organisation_id)
    title = f"{kind_label(record.kind, record.polarity)}公示：{org.name}（{record.decision_no or record.source}）"
    rows = [
        _row("当事人", org.name),
        _row("统一社会信用代码", org.credit_code),
        _row("违法事实", record.behaviour),
        _row("处罚依据及内容", record.basis),
        _row("作出决定的机关", record.department or ""),
        _row("决定文号", record.decision_no or ""),
        _row("决定日期", record.decided_on.isoformat()),
        _row("所涉交易类型", TRANSACTION_TYPES.get(record.transaction_type or "", "")),
        _row("公示期至", record.publish_until.isoformat() if record.publish_until else ""),
    ]
    return title, f"<table>{''.join(rows)}</table>"


def publish(session: Session, record: CreditRecord, actor: Principal) -> str | None:
    if not (record.kind == "penalty" and record.subject_type == "organisation" and record.published):
        return None  # other published records show on the credit page only
    ref = f"credit-record:{record.id}"
    title, body = body_of(session, record)
    trigger = trigger_of(record)
    disclosure.owe(
        session,
        trigger=trigger,
        subject=ref,
        title=title,
        responsible_org_id=actor.organisation_id,
        event_date=record.decided_on,
    )
    pubs = disclosure.publish_from_step(
        session, trigger=trigger, subject=ref, title=title, body_html=body, source_ref=ref, author_id=actor.user_id
    )
    return ref if pubs else None


def take_down(session: Session, record: CreditRecord, reason: str) -> int:
    if not record.publication_ref:
        return 0
    rows = session.scalars(
        select(Publication).where(Publication.source_ref == record.publication_ref, Publication.status == "published")
    ).all()
    for pub in rows:
        publications.withdraw(session, SYSTEM, pub.id, reason=reason[: publications.MAX_REASON])
    return len(rows)
