"""Publishing notices (公告): the first notice of a project (tender, prequalification, procurement,
single-source publicity, listing, auction, draw), its clarifications and amendments (澄清/更正), changes of
the opening time and the termination notice. Who may publish, the text and attachments checked
(``core.content``), the dates checked by the step's guard (``notice_schedule``); a correction is a new
version of the series, never an overwrite; each notice is in the ledger and goes out through the
disclosure pipeline. Never commits.
"""

from __future__ import annotations

import hashlib
import html
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sunshine.core import clock, content
from sunshine.core.auth import Principal
from sunshine.core.content import Upload
from sunshine.core.errors import Forbidden, InvalidInput
from sunshine.core.filestore import file_store
from sunshine.identity.roles import Role
from sunshine.ledger import format as fmt
from sunshine.ledger import service as ledger
from sunshine.trading import lifecycle, visibility
from sunshine.trading.models import Notice, NoticeAttachment, Project
from sunshine.trading.notice_kinds import AMENDMENT_KINDS
from sunshine.trading.notice_reading import first_notice_of, notice_of
from sunshine.trading.notice_schedule import aware, opening_is_deadline

# --------------------------------------------------------------------------- attachments


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


def _iso(value: datetime | None) -> str | None:
    return fmt.iso_utc(value) if value is not None else None


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
    if len(body_html or "") > content.MAX_BODY_CHARS:
        raise InvalidInput(f"公告正文最多 {content.MAX_BODY_CHARS} 个字符", field="body_html")
    body = content.sanitise(body_html or "")
    if not content.text_of(body):
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


def opening_time(project: Project, kind: str, bid_deadline: datetime | None, opening_at: datetime | None):
    """The opening time a first notice announces: the deadline itself where the opening is at the deadline."""
    if opening_at is None and opening_is_deadline(project, kind):
        return bid_deadline
    return opening_at


def amended_times(
    project: Project, kind: str, new_bid_deadline: datetime | None, new_opening_at: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """The new deadline and opening time an amendment announces: where the opening is the deadline, moving one
    moves the other."""
    if kind in AMENDMENT_KINDS and opening_is_deadline(project):
        if kind == "opening_change" and new_bid_deadline is None:
            return new_opening_at, new_opening_at
        if new_opening_at is None and new_bid_deadline is not None:
            return new_bid_deadline, new_bid_deadline
    return new_bid_deadline, new_opening_at


def _entry(notice: Notice, attachments: list[NoticeAttachment], **dates: datetime | None) -> dict[str, Any]:
    """What the ledger keeps of a published notice: enough to prove later which text and files were public."""
    return {
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
    }


def publication_of(notice: Notice) -> lifecycle.Publication:
    """The notice as the disclosure pipeline receives it: reviewed automatically (held with 422
    ``held_for_review`` if it carries personal data), meeting the obligation its step created."""
    return lifecycle.Publication(
        title=notice.title, body_html=notice.body_html, source_ref=f"notice:{notice.id}", author_id=notice.author_id
    )


def _publish_step(
    session: Session,
    actor: Principal,
    project: Project,
    checked: lifecycle.Checked,
    notice: Notice,
    files: list[tuple[str, str, bytes]],
    *,
    payload: dict[str, Any],
    guard_args: dict[str, Any],
) -> None:
    """The notice's step: its attachments stored, then one ledger entry for the step and the notice together,
    and the notice handed to disclosure by the step's hooks."""
    rows = _store(session, notice, files)
    session.flush()
    dates = {k: v for k, v in guard_args.items() if isinstance(v, datetime) or v is None}
    transition = lifecycle.apply(
        session,
        project,
        checked,
        actor,
        document_ref=f"notice:{notice.id}",
        payload={**_entry(notice, rows, **dates), **payload},
        publication=publication_of(notice),
        **guard_args,
    )
    notice.ledger_seq = transition.ledger_seq
    session.flush()


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
    docs_price: Decimal | None = None,
) -> Notice:
    """发布公告: the project's first notice; it becomes public and its dates take effect. ``docs_price`` is the
    documents' price (招标文件售价, seed 003: the notice states it), limited to the cost of printing and posting
    (《招标投标法实施条例》第十六条); none where the documents are free to download."""
    project = visibility.get_visible(session, actor, project_id)
    _check_publisher(actor, project)
    checked = lifecycle.check(project, "publish_notice", actor)
    title, body = _checked_text(title, body_html)
    files = content.checked_uploads(attachments, per="每条公告")
    now = clock.now()
    docs_issued_at, docs_sale_end = aware(docs_issued_at) or now, aware(docs_sale_end)
    bid_deadline = aware(bid_deadline)
    opening_at = opening_time(project, kind, bid_deadline, aware(opening_at))
    if docs_price is not None and (docs_price < 0 or docs_price >= Decimal("1000000")):
        raise InvalidInput("招标文件售价应为0到999999.99元（限于补偿印刷、邮寄的成本支出）", field="docs_price")
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
        docs_price=docs_price,
        author_id=actor.user_id,
        published_at=now,
        ledger_seq=-1,
    )
    session.add(notice)
    session.flush()
    dates = {
        "docs_issued_at": docs_issued_at,
        "docs_sale_end": docs_sale_end,
        "bid_deadline": bid_deadline,
        "opening_at": opening_at,
    }
    payload = {} if docs_price is None else {"docs_price": str(docs_price)}
    _publish_step(session, actor, project, checked, notice, files, payload=payload, guard_args={"kind": kind, **dates})
    project.docs_issued_at, project.docs_sale_end = docs_issued_at, docs_sale_end
    project.bid_deadline, project.opening_at = bid_deadline, opening_at
    if project.public_since is None:
        project.public_since = now
    session.flush()
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
    project = visibility.get_visible(session, actor, project_id)
    notice = notice_of(session, project, notice_id)
    _check_publisher(actor, project)
    checked = lifecycle.check(project, "amend_notice", actor)
    title, body = _checked_text(title, body_html)
    files = content.checked_uploads(attachments, per="每条公告")
    new_bid_deadline, new_opening_at = amended_times(project, kind, aware(new_bid_deadline), aware(new_opening_at))
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
    _publish_step(
        session,
        actor,
        project,
        checked,
        row,
        files,
        payload={"previous": before},
        guard_args={
            "kind": kind,
            "affects_bids": bool(affects_bids),
            "new_bid_deadline": new_bid_deadline,
            "new_opening_at": new_opening_at,
        },
    )
    if new_bid_deadline is not None:
        project.bid_deadline = new_bid_deadline
    if new_opening_at is not None:
        project.opening_at = new_opening_at
    session.flush()
    return row


def termination_notice(session: Session, event: lifecycle.StepEvent) -> None:
    """终止公告 (《招标投标法实施条例》第三十一条): after the ``terminate`` step of a project whose notices are
    public, a notice joins the series of the first notice and goes out with the step's disclosure."""
    project, reason = event.project, event.reason or ""
    if project.public_since is None:
        return
    root = first_notice_of(session, project)
    _lock(session, project)
    body = content.sanitise(
        f"<p>{html.escape(project.name)}（项目编号 {html.escape(project.code)}）已终止。</p>"
        f"<p>终止原因：{html.escape(reason.strip())}</p>"
    )
    notice = Notice(
        project_id=project.id,
        kind="termination",
        series_id=root.id if root else None,
        version=_next_version(session, root) if root else 1,
        title=f"{project.name}终止公告"[:300],
        body_html=body,
        affects_bids=False,
        author_id=event.actor.user_id if event.actor.user_id is not None else project.registered_by,
        published_at=clock.now(),
        ledger_seq=-1,
    )
    session.add(notice)
    session.flush()
    entry = ledger.append(session, "trading:notice:published", f"project:{project.code}", _entry(notice, []))
    notice.ledger_seq = entry.seq
    session.flush()
    event.publications.append(publication_of(notice))


def can_publish(actor: Principal, project: Project) -> bool:
    try:
        _check_publisher(actor, project)
    except Forbidden:
        return False
    return True
