"""Acknowledged changes (签收回执; seed 003, 《福建省省级政府采购货物和服务招标项目实施指引》 二（五）（六）、三（六）):
every holder of the documents — each organisation registered for the project before the change went out —
acknowledges each clarification, amendment and change of time on the platform; the agency sees who has and who
has not. The 15-day and 3-day checks of the changes themselves stay in ``trading.notice_schedule``. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import AlreadyExists, Forbidden, NotFound
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.messaging import service as messaging
from sunshine.tenderdocs.models import ChangeAcknowledgement
from sunshine.trading import lifecycle
from sunshine.trading.models import Notice, Project, Registration
from sunshine.trading.notice_kinds import AMENDMENT_KINDS

BASIS = (
    "《福建省省级政府采购货物和服务招标项目实施指引》二（五）：对已发出的招标文件进行必要澄清、修改的……应以书面形式通知"
    "所有招标文件收受人，并取得签收回执；二（六）：变更时间书面通知所有招标文件收受人"
)
MESSAGE_KIND = "tender_change"


@dataclass
class ChangeStatus:
    notice: Notice
    acknowledged: list[tuple[Organisation, ChangeAcknowledgement]] = field(default_factory=list)
    pending: list[Organisation] = field(default_factory=list)


@dataclass(frozen=True)
class MyChange:
    notice: Notice
    project: Project
    acknowledgement: ChangeAcknowledgement | None


def changes(session: Session, project_id: int) -> list[Notice]:
    query = select(Notice).where(Notice.project_id == project_id, Notice.kind.in_(AMENDMENT_KINDS))
    return list(session.scalars(query.order_by(Notice.published_at, Notice.id)))


def holders(session: Session, project_id: int, at: datetime) -> list[int]:
    """The organisations holding the documents when a change went out (registered before it, not withdrawn)."""
    query = select(Registration.organisation_id).where(
        Registration.project_id == project_id, Registration.withdrawn_at.is_(None), Registration.registered_at <= at
    )
    return sorted(set(session.scalars(query)))


def status(session: Session, project: Project) -> list[ChangeStatus]:
    out: list[ChangeStatus] = []
    for notice in changes(session, project.id):
        acks = {
            a.organisation_id: a
            for a in session.scalars(select(ChangeAcknowledgement).where(ChangeAcknowledgement.notice_id == notice.id))
        }
        row = ChangeStatus(notice)
        for org_id in holders(session, project.id, notice.published_at):
            org = session.get(Organisation, org_id)
            if org_id in acks:
                row.acknowledged.append((org, acks[org_id]))
            else:
                row.pending.append(org)
        out.append(row)
    return out


def _holder(actor: Principal) -> int:
    if not actor.has(Role.BIDDER) or actor.organisation_id is None:
        raise Forbidden("签收回执由招标文件收受人（已报名的投标人）办理")
    return actor.organisation_id


def mine(session: Session, actor: Principal) -> list[MyChange]:
    """The changes the actor's organisation must acknowledge, newest first, with its receipts."""
    org_id = _holder(actor)
    regs = session.execute(
        select(Registration.project_id, Registration.registered_at).where(
            Registration.organisation_id == org_id, Registration.withdrawn_at.is_(None)
        )
    ).all()
    since: dict[int, datetime] = {}
    for project_id, at in regs:
        since[project_id] = min(at, since.get(project_id, at))
    if not since:
        return []
    notices = session.scalars(
        select(Notice)
        .where(Notice.project_id.in_(since), Notice.kind.in_(AMENDMENT_KINDS))
        .order_by(Notice.published_at.desc(), Notice.id.desc())
    )
    acks = {
        a.notice_id: a
        for a in session.scalars(select(ChangeAcknowledgement).where(ChangeAcknowledgement.organisation_id == org_id))
    }
    return [
        MyChange(n, session.get(Project, n.project_id), acks.get(n.id))
        for n in notices
        if since[n.project_id] <= n.published_at
    ]


MINE_ORDER = Keyset.of("acknowledgements-mine", Notice.published_at, Notice.id)


def mine_page(
    session: Session, actor: Principal, *, cursor: str | None = None, limit: int | None = None
) -> Page[MyChange]:
    """``mine`` one page at a time: the changes published on a project after the organisation registered for it."""
    org_id = _holder(actor)
    holder = exists().where(
        Registration.project_id == Notice.project_id,
        Registration.organisation_id == org_id,
        Registration.withdrawn_at.is_(None),
        Registration.registered_at <= Notice.published_at,
    )
    stmt = select(Notice).where(Notice.kind.in_(AMENDMENT_KINDS), Notice.published_at.is_not(None), holder)
    page = paginate(session, stmt, MINE_ORDER, cursor=cursor, limit=limit)
    ids = [n.id for n in page.items]
    acks = {
        a.notice_id: a
        for a in session.scalars(
            select(ChangeAcknowledgement).where(
                ChangeAcknowledgement.organisation_id == org_id, ChangeAcknowledgement.notice_id.in_(ids)
            )
        )
    }
    rows = [MyChange(n, session.get(Project, n.project_id), acks.get(n.id)) for n in page.items]
    return Page(rows, page.next_cursor, page.limit, page.number)


def acknowledge(session: Session, actor: Principal, notice_id: int) -> ChangeAcknowledgement:
    """The holder's receipt (签收回执) of one change, once, with a ledger entry."""
    org_id = _holder(actor)
    notice = session.get(Notice, notice_id)
    if (
        notice is None
        or notice.kind not in AMENDMENT_KINDS
        or org_id not in holders(session, notice.project_id, notice.published_at)
    ):
        raise NotFound("没有需要签收的澄清或变更")
    existing = session.scalars(
        select(ChangeAcknowledgement).where(
            ChangeAcknowledgement.notice_id == notice.id, ChangeAcknowledgement.organisation_id == org_id
        )
    ).first()
    if existing is not None:
        raise AlreadyExists("本单位已签收该澄清或变更")
    project = session.get(Project, notice.project_id)
    now = clock.now()
    entry = ledger.append(
        session,
        "tenderdocs:change:acknowledged",
        f"project:{project.code}",
        {"notice": notice.id, "organisation": org_id, "by": actor.user_id},
    )
    row = ChangeAcknowledgement(
        notice_id=notice.id,
        project_id=project.id,
        organisation_id=org_id,
        user_id=actor.user_id,
        acknowledged_at=now,
        ledger_seq=entry.seq,
    )
    session.add(row)
    session.flush()
    return row


def notify_holders(session: Session, event: lifecycle.StepEvent) -> None:
    """After ``amend_notice``: each holder's registering user gets a message asking for its receipt."""
    project = event.project
    notice = session.scalars(select(Notice).where(Notice.project_id == project.id).order_by(Notice.id.desc())).first()
    if notice is None or notice.kind not in AMENDMENT_KINDS:
        return
    users = session.execute(
        select(Registration.organisation_id, Registration.user_id).where(
            Registration.project_id == project.id, Registration.withdrawn_at.is_(None)
        )
    ).all()
    told: set[int] = set()
    for org_id, user_id in users:
        if org_id in told:
            continue
        told.add(org_id)
        messaging.send(
            session,
            user_id=user_id,
            subject=f"请签收：{notice.title}",
            body=f"{project.name}发布了{notice.title}，请在平台签收回执。",
            link="/me/acknowledgements",
            kind=MESSAGE_KIND,
        )
