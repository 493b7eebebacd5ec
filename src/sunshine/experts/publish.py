"""What the pool discloses (seed: 专家准入、评价、清退 are published), through the disclosure pipeline: the
catalog items bound to ``experts.admission``, ``experts.evaluation`` and ``experts.removal`` (公开事项目录
ZX.ZJ). A text names the expert, the employer and the specialties only — never the date of birth, the phone or
the ID number (the pipeline's review would hold those anyway)."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine import disclosure
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.pagination import Keyset, Page, paginate
from sunshine.disclosure.models import CatalogItem, Publication
from sunshine.experts import codes, specialties
from sunshine.experts.models import Expert, ExpertEvaluation, ExpertSpecialty
from sunshine.identity.models import Organisation

ADMISSION = "experts.admission"
EVALUATION = "experts.evaluation"
REMOVAL = "experts.removal"
TRIGGERS = (ADMISSION, EVALUATION, REMOVAL)


def _specialty_names(session: Session, expert_ids: list[int]) -> dict[int, str]:
    names = specialties.labels(session)
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(ExpertSpecialty.expert_id, ExpertSpecialty.specialty_code, ExpertSpecialty.is_main)
        .where(ExpertSpecialty.expert_id.in_(expert_ids))
        .order_by(ExpertSpecialty.expert_id, ExpertSpecialty.is_main.desc(), ExpertSpecialty.specialty_code)
    )
    for expert_id, code, _main in rows:
        out.setdefault(expert_id, []).append(names.get(code, code))
    return {k: "、".join(v) for k, v in out.items()}


def _employer(session: Session, expert: Expert) -> str:
    return session.get(Organisation, expert.employer_organisation_id).name


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _publish(
    session: Session, actor: Principal | None, *, trigger: str, subject: str, title: str, body: str, source_ref: str
) -> list[Publication]:
    disclosure.owe(
        session,
        trigger=trigger,
        subject=subject,
        title=title,
        responsible_org_id=actor.organisation_id if actor else None,
        event_date=clock.today_local(),
    )
    return disclosure.publish_from_step(
        session,
        trigger=trigger,
        subject=subject,
        title=title,
        body_html=body,
        source_ref=source_ref,
        author_id=actor.user_id if actor else None,
    )


def admission(session: Session, actor: Principal | None, expert: Expert) -> list[Publication]:
    title = f"评标专家入库公告（{expert.name}）"
    body = "<p>经行业监督部门审核、公共资源交易管理委员会办公室批准，下列人员纳入本平台综合评标专家库：</p>" + _table(
        ["专家编号", "姓名", "工作单位", "评标专业", "聘期"],
        [
            [
                expert.code,
                expert.name,
                _employer(session, expert),
                _specialty_names(session, [expert.id]).get(expert.id, ""),
                f"{expert.term_starts_on} 至 {expert.term_ends_on}",
            ]
        ],
    )
    return _publish(
        session,
        actor,
        trigger=ADMISSION,
        subject=f"expert:{expert.code}",
        title=title,
        body=body,
        source_ref=f"expert:{expert.code}:admission",
    )


def removal(session: Session, actor: Principal | None, expert: Expert) -> list[Publication]:
    title = f"评标专家清退公告（{expert.name}）"
    body = "<p>下列评标专家自公告之日起清退出本平台综合评标专家库，不再参加评标：</p>" + _table(
        ["专家编号", "姓名", "工作单位", "评标专业", "清退日期", "清退原因"],
        [
            [
                expert.code,
                expert.name,
                _employer(session, expert),
                _specialty_names(session, [expert.id]).get(expert.id, ""),
                str(expert.removed_on),
                expert.removed_reason or "",
            ]
        ],
    )
    return _publish(
        session,
        actor,
        trigger=REMOVAL,
        subject=f"expert:{expert.code}",
        title=title,
        body=body,
        source_ref=f"expert:{expert.code}:removal",
    )


def evaluations(session: Session, actor: Principal, period: str) -> tuple[list[Publication], int]:
    """The results of one assessment period not yet published, in one text; (publications, rows published)."""
    rows = session.execute(
        select(ExpertEvaluation, Expert)
        .join(Expert, Expert.id == ExpertEvaluation.expert_id)
        .where(ExpertEvaluation.period == period, ExpertEvaluation.published_at.is_(None))
        .order_by(Expert.code)
    ).all()
    if not rows:
        return [], 0
    names = _specialty_names(session, [e.id for _, e in rows])
    orgs = {
        o.id: o.name
        for o in session.scalars(
            select(Organisation).where(Organisation.id.in_({e.employer_organisation_id for _, e in rows}))
        )
    }
    title = f"{period}年度评标专家考核评价结果公告"
    body = "<p>公共资源交易管理委员会办公室对下列评标专家的考核评价结果如下：</p>" + _table(
        ["专家编号", "姓名", "工作单位", "评标专业", "考核得分", "评价等级"],
        [
            [
                e.code,
                e.name,
                orgs.get(e.employer_organisation_id, ""),
                names.get(e.id, ""),
                str(ev.score),
                codes.GRADES[ev.grade],
            ]
            for ev, e in rows
        ],
    )
    serial = session.scalar(
        select(Publication.id)
        .where(Publication.subject.like(f"expert-evaluations:{period}:%"))
        .order_by(Publication.id.desc())
    )
    batch = f"expert-evaluations:{period}:{(serial or 0) + 1}"
    pubs = _publish(session, actor, trigger=EVALUATION, subject=batch, title=title, body=body, source_ref=batch)
    now = clock.now()
    for ev, _ in rows:
        ev.published_at = now
    return pubs, len(rows)


PUBLISHED_ORDER = Keyset.of("expert-publications", Publication.published_at, Publication.id)
_KIND_LABELS = {ADMISSION: "入库", EVALUATION: "考核评价", REMOVAL: "清退"}


def published(
    session: Session, *, cursor: str | None = None, limit: int | None = None
) -> Page[tuple[Publication, str]]:
    """The pool's published texts, newest first, with their kind's label, one page at a time."""
    stmt = (
        select(Publication, CatalogItem.trigger)
        .join(CatalogItem, CatalogItem.id == Publication.item_id)
        .where(
            CatalogItem.trigger.in_(TRIGGERS),
            Publication.status.in_(("published", "withdrawn")),
            Publication.published_at.is_not(None),
        )
    )
    page = paginate(session, stmt, PUBLISHED_ORDER, cursor=cursor, limit=limit)
    rows = [(pub, _KIND_LABELS[trigger]) for pub, trigger in page.items]
    return Page(rows, page.next_cursor, page.limit, page.number)
