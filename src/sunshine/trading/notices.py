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
from sunshine.trading import lifecycle, service
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
    files = content.checked_uploads(attachments, per="每条公告")
    now = clock.now()
    docs_issued_at, docs_sale_end, bid_deadline, opening_at = (
        aware(docs_issued_at) or now,
        aware(docs_sale_end),
        aware(bid_deadline),
        aware(opening_at),
    )
    if opening_at is None and opening_is_deadline(project, kind):
        opening_at = bid_deadline
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
    files = content.checked_uploads(attachments, per="每条公告")
    new_bid_deadline, new_opening_at = aware(new_bid_deadline), aware(new_opening_at)
    if kind in AMENDMENT_KINDS and opening_is_deadline(project, kind):  # moving one moves the other
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
    body = content.sanitise(
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


def can_publish(actor: Principal, project: Project) -> bool:
    try:
        _check_publisher(actor, project)
    except Forbidden:
        return False
    return True
