"""中标（成交）结果更正公告: a published result notice (or candidates' publicity) corrected or withdrawn through the
disclosure review, under the result's item of the 公开事项目录 (owed from today), never deleted: the original notice
and its date, what is corrected, the reason, the date. Used when a complaint's decision names another winner
(complaints) and when a re-evaluation supersedes the result (``withdraw_on_reopened``: the evaluation's
``on_reopened``). A text the review holds waits in the disclosure office's queue; the change stands. Never commits."""

from __future__ import annotations

from datetime import date
from html import escape

from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.formatting import cn_day
from sunshine.disclosure import obligations
from sunshine.disclosure.publications import HeldForReview, publish_from_step
from sunshine.evaluation.reevaluation import Reopening, source_label
from sunshine.results import base
from sunshine.trading.models import Project

RESULT_TRIGGER = "trading.result"  # 中标（成交）结果公告 (GC.JG.01 / ZC.JG.01): its correction is published under it
CANDIDATES_TRIGGER = "trading.candidates"  # 中标候选人公示 (GC.KP.03 / GQ.CG.05)


def publish(
    session: Session,
    project: Project,
    actor: Principal,
    *,
    trigger: str,
    original: str,
    first_day: date,
    change: str,
    why: str,
    ref: str,
) -> str | None:
    """The correction notice of ``original`` (first published ``first_day``); its ``source_ref``, or None when held."""
    subject = f"project:{project.code}"
    title = f"{project.name}{original}更正公告"
    body = (
        f"<p>原公告：{escape(project.name)}（项目编号{escape(project.code)}）{escape(original)}，"
        f"首次公告日期{cn_day(first_day)}。</p>"
        f"<p>更正事项：{escape(change)}</p>"
        f"<p>更正理由：{escape(why)}。</p><p>更正日期：{cn_day(clock.today_local())}。</p>"
    )
    obligations.owe(
        session,
        trigger=trigger,
        subject=subject,
        title=title,
        responsible_org_id=project.agency_id or project.tenderer_id,
        event_date=clock.today_local(),
        project=project,
    )
    try:
        publish_from_step(
            session,
            trigger=trigger,
            subject=subject,
            title=title,
            body_html=body,
            source_ref=ref,
            author_id=actor.user_id,
        )
    except HeldForReview:
        return None
    return ref


def withdraw_on_reopened(session: Session, told: Reopening) -> None:
    """重新评审: the published result notice (or the candidates' publicity) no longer stands — its withdrawal is
    published as a correction notice naming the re-evaluation — then the old result's clocks and winners retire."""
    result = base.result_of(session, told.project.id)
    if result is not None:
        why = f"{source_label(told.source) or '重新评审'}：{told.reason}"[:400]
        seq = len(told.sections)
        if result.notice_published_at is not None:
            publish(
                session,
                told.project,
                told.actor,
                trigger=RESULT_TRIGGER,
                original="中标（成交）结果公告",
                first_day=result.notice_published_at.astimezone(get_settings().tz).date(),
                change="原中标（成交）结果因原评标委员会重新评审而撤销，不再有效；重新评审后的结果另行公告。",
                why=why,
                ref=f"reevaluation:{told.project.code}:{result.id}:{seq}:result-withdrawn",
            )
        elif result.publicised_at is not None:
            publish(
                session,
                told.project,
                told.actor,
                trigger=CANDIDATES_TRIGGER,
                original="中标候选人公示",
                first_day=result.publicised_at.astimezone(get_settings().tz).date(),
                change="原中标候选人公示因原评标委员会重新评审而撤销；重新评审后的中标候选人另行公示。",
                why=why,
                ref=f"reevaluation:{told.project.code}:{result.id}:{seq}:candidates-withdrawn",
            )
    base.retire(session, told.project, told.sections)
