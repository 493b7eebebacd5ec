"""The room rules (场室管理制度; seed 001 《公共资源交易政务公开工作规范》8.2.2: 应公开场室管理制度) as the
disclosure catalog's item ZX.FW.03 (场地设施与场室管理, trigger ``centre.venues``): the text is drawn from the
rooms and the ``centre.venues`` pack, owed as an obligation, drafted by centre staff and sent to the disclosure
office's review; the office approves it through the publication pipeline like any other text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.core.errors import Conflict, Forbidden
from sunshine.disclosure import catalog_service, obligations, publications
from sunshine.disclosure.models import Publication
from sunshine.identity.roles import Role
from sunshine.venues import service

ITEM = "ZX.FW.03"
TRIGGER = "centre.venues"
SUBJECT = "centre:venues"
TITLE = "交易中心场室管理制度"


def rules_text(session: Session) -> str:
    """The rules as plain text, from the rooms the centre runs and the pack's values."""
    r = service.venue_rules(session)
    lines = ["一、场室设置"]
    for room in service.rooms(session, active_only=True):
        equipment = f"；设备：{room.equipment}" if room.equipment else ""
        observers = f"，旁听席位 {room.observer_seats} 个" if room.observer_seats else ""
        lines.append(
            f"{room.name}（{service.KINDS[room.kind]}，{service.zone_label(room.kind)}）：{room.location}，"
            f"座位 {room.capacity} 个{observers}{equipment}。"
        )
    if len(lines) == 1:
        lines.append("本中心暂未在平台登记场室。")
    lines += [
        "",
        "二、开放时间与场次",
        f"场室每日 {service.hhmm(r.open_from)}–{service.hhmm(r.open_until)}（北京时间）开放，"
        "场次须在此时间内开始和结束；"
        f"同一场室相邻两个场次之间至少间隔 {r.gap} 分钟，用于清场和设备检查。开标场次预留 {r.opening_minutes} 分钟，"
        f"评标（评审）场次预留 {r.evaluation_minutes} 分钟。以上数值为平台默认值，法律法规未作规定。",
        "",
        "三、预约与释放",
        "开标应当在投标截止时间的同一时间、招标文件中预先确定的地点公开进行（《中华人民共和国招标投标法》第三十四条）。"
        "招标（采购）公告发布时，平台按开标时间自动预约空闲的开标室；开标时间变更的，随变更公告改订场室；"
        "开标时间没有空闲开标室的，公告不予发布，由代理机构调整开标时间或与本中心协调。",
        "评标室在专家抽取申请经行政监督部门核准时按申请的评标时间预约；其他场次由本中心工作人员在场室管理页面预约。",
        "项目终止、流标或完成的，其预约的场室自动释放。同一场室同一时间只接受一个预约。",
        "",
        "四、评标区隔离",
        "评标应当在严格保密的情况下进行（《中华人民共和国招标投标法》第三十八条）。评标室设在隔离区，只用于评标（评审），"
        "不设旁听席位，投标人和旁听人员不得进入；开标室、抽取室、谈判室、拍卖厅设在公开区，不得用于评标。"
        "评标委员会成员名单在中标结果确定前保密（《中华人民共和国招标投标法》第三十七条），场地安排表只公开场室、时间和项目。",
        "",
        "五、场地安排表",
        "各场室的预约情况在平台“场地安排”页面公开，供投标人、旁听人员和社会公众查询。",
    ]
    return "\n".join(lines)


def publish_rules(session: Session, actor: Principal) -> Publication:
    """Centre staff send the current rules to the disclosure office's review (one text in review at a time)."""
    if Role.CENTRE_STAFF not in actor.roles:
        raise Forbidden("场室管理制度由交易中心工作人员起草")
    catalog_service.get_item(session, ITEM)
    waiting = session.scalar(
        select(Publication).where(Publication.subject == SUBJECT, Publication.status.in_(("draft", "review")))
    )
    if waiting is not None:
        raise Conflict(f"场室管理制度已有一稿在保密审查中（第 {waiting.id} 号），请待政务公开办审查后再提交")
    owed = obligations.owe(
        session,
        trigger=TRIGGER,
        subject=SUBJECT,
        title=TITLE,
        responsible_org_id=actor.organisation_id,
        event_date=clock.today_local(),
    )
    text = rules_text(session)
    if owed:
        return publications.create_draft(session, actor, title=TITLE, body=text, obligation_id=owed[0].id, submit=True)
    pub = publications.create_draft(session, actor, title=TITLE, body=text, item_code=ITEM)
    pub.subject = SUBJECT
    return publications.submit_for_review(session, actor, pub.id)


def published_rules(session: Session) -> Publication | None:
    """The rules as last published (None before the first publication)."""
    stmt = (
        select(Publication)
        .where(Publication.subject == SUBJECT, Publication.status == "published")
        .order_by(Publication.published_at.desc(), Publication.id.desc())
    )
    return session.scalars(stmt).first()


def pending_rules(session: Session) -> Publication | None:
    return session.scalar(
        select(Publication).where(Publication.subject == SUBJECT, Publication.status.in_(("draft", "review")))
    )
