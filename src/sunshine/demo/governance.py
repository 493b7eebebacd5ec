"""Demo disclosure governance (政务公开监督), a year of it walked on its own clock through the services: three
consultations (the service standard adopted in spring after an expert review, the fee rule adopted in autumn,
the open-day rule open for comment now), opinion items from media monitoring, the desk and the opinion box over
the year (one answered late, one still within its limit), documents drafted with their attribute and issued
into the disclosure pipeline, the centre's local catalog derived from the standard, re-checked by 政务办 and
claimed with one item left unclaimed and flagged, two inspections (the evaluator's sampling check with a finding
corrected late, 政务办's spot check corrected on time), and last year's department scores published. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.core.errors import InvalidInput
from sunshine.demo.base import principal
from sunshine.disclosure import publications
from sunshine.disclosure.models import Publication
from sunshine.governance import catalogs, consultations, documents, inspections, opinions, scores
from sunshine.governance.models import GovConsultation

STANDARD = (
    "第一条 为规范交易中心进场交易服务，提高服务质量，制定本标准。\n"
    "第二条 进场登记材料齐全的，交易中心应当在2个工作日内受理；绿色通道项目1个工作日内受理。\n"
    "第三条 材料不齐全的，一次性告知需要补正的全部内容。\n"
    "第四条 开标、评标场地应当提前预约，交易中心在收到预约后1个工作日内确认。"
)
FEES = (
    "第一条 交易中心提供的进场交易服务不收取费用。\n"
    "第二条 依申请公开政府信息，申请人申请公开政府信息的数量、频次明显超过合理范围的，可以收取信息处理费。\n"
    "第三条 收费标准按照国务院办公厅《政府信息公开信息处理费管理办法》执行。"
)
OPEN_DAY = (
    "第一条 交易中心每季度举办一次开放日，邀请市场主体、社会公众和新闻媒体参观开标、评标场所。\n"
    "第二条 参加开放日的人员由报名人员中公开抽取产生。\n"
    "第三条 开放日期间不得进入正在进行评标的评标室。"
)
OPINIONS = [
    # (days before now, source, ref, title, content, outlet, risk, answered after days or None, public)
    (
        300,
        "media",
        None,
        "网帖称开标现场秩序混乱",
        "某本地论坛帖子称交易中心开标现场投标人拥挤、无人维持秩序。",
        "本地论坛",
        "medium",
        2,
        True,
    ),
    (
        240,
        "desk",
        "GD2026-0031",
        "多名投标人反映CA证书办理排队时间长",
        "服务台一周内收到5件关于CA证书办理等待时间的诉求。",
        None,
        "low",
        4,
        True,
    ),
    (
        180,
        "opinion_box",
        "YJ2026-0007",
        "建议公开评标专家抽取过程",
        "意见箱留言建议允许投标人代表旁观专家抽取。",
        None,
        "low",
        3,
        True,
    ),
    (
        120,
        "media",
        None,
        "媒体报道某道路工程流标三次",
        "晚报报道某道路工程连续三次流标，质疑招标条件设置不合理。",
        "示范晚报",
        "high",
        2,
        True,
    ),
    (
        60,
        "desk",
        "GD2026-0188",
        "保证金退还慢的集中反映",
        "服务台收到多件保证金未按期退还的诉求。",
        None,
        "medium",
        6,
        True,
    ),
    (2, "media", None, "网传交易平台周末无法登录", "微博用户称周六晚交易平台无法登录。", "微博", "low", None, False),
]


def _at(walk: AdjustableClock, day: date, hour: int = 10) -> None:
    target = datetime.combine(day, time(hour, 0), get_settings().tz)
    if target > walk.now():
        walk.set(target)


def load_demo_governance(session_factory, real_now: datetime) -> int:
    """The year of governance records, if there are none yet. Returns how many records it made."""
    with session_factory() as session:
        if session.scalar(select(GovConsultation.id).limit(1)) is not None:
            return 0
    tz = get_settings().tz
    today = real_now.astimezone(tz).date()
    start = max(today - timedelta(days=330), date(2026, 1, 5))  # the centre's service rules are in force
    made = 0
    # each part walks its own clock from the start of the year (a clock never runs backwards; the ledger keeps
    # its own order, so a later part's entries carry the log's last time when theirs is earlier)
    for part in (_consultations, _opinions, _documents, _catalog, _inspections):
        walk = AdjustableClock(datetime.combine(start, time(9, 0), tz))
        with use_clock(walk):
            made += part(session_factory, walk, today)
    with use_clock(AdjustableClock(real_now)), session_factory() as session:
        year = today.year - 1 if today.month < 3 else today.year
        rows = scores.compute(session, principal(session, "govaffairs"), year)
        if rows:
            scores.publish(session, principal(session, "govaffairs"), year)
        made += len(rows)
    return made


def _consultation(session_factory, walk, *, title, kind, text, opened, comments, adopt_after, hearing=False) -> None:
    _at(walk, opened)
    with session_factory() as session:
        office = principal(session, "disclosure")
        row = consultations.create(
            session,
            office,
            title=title,
            kind=kind,
            draft_text=text,
            explanation="依据有关法律法规，结合本中心实际起草。",
        )
        consultations.open_for_comment(session, office, row.id, days=30)
        cid = row.id
    for i, body in enumerate(comments):
        _at(walk, opened + timedelta(days=3 + 5 * i))
        with session_factory() as session:
            consultations.comment(session, cid, body=body, name="（示范）市民" if i % 2 else None)
    if adopt_after is None:
        return
    _at(walk, opened + timedelta(days=31))
    with session_factory() as session:
        office = principal(session, "disclosure")
        handlings = ["adopted", "partly", "explained", "not_adopted"]
        for i, c in enumerate(consultations.comments_of(session, cid)):
            consultations.answer(
                session, office, c.id, handling=handlings[i % 4], answer_text="感谢您的意见，已研究处理，详见审定文本。"
            )
        if hearing:
            consultations.record_proceeding(
                session,
                principal(session, "committee"),
                cid,
                kind="expert_review",
                held_on=opened + timedelta(days=31),
                place="交易中心三楼会议室",
                participants="法律专家2名、市场主体代表3名、行业监督部门代表2名",
                conclusion="标准内容合法可行，建议明确绿色通道的适用范围后发布。",
            )
    _at(walk, opened + timedelta(days=31 + adopt_after))
    with session_factory() as session:
        consultations.adopt(
            session,
            principal(session, "committee"),
            cid,
            adopted_text=text,
            summary=f"共收到意见{len(comments)}条，已逐条研究处理，处理情况见下表。",
        )


def _consultations(session_factory, walk, today: date) -> int:
    start = walk.now().date()
    _consultation(
        session_factory,
        walk,
        title="交易中心进场交易服务标准",
        kind="service_standard",
        text=STANDARD,
        opened=start + timedelta(days=20),
        comments=["建议受理时限缩短为1个工作日。", "建议明确绿色通道项目的范围。", "建议场地预约支持手机办理。"],
        adopt_after=5,
        hearing=True,
    )
    _consultation(
        session_factory,
        walk,
        title="交易中心收费事项规定",
        kind="normative",
        text=FEES,
        opened=start + timedelta(days=200),
        comments=["建议在办事指南中写明不收费的事项。", "建议公布信息处理费的计算方法。"],
        adopt_after=7,
    )
    _consultation(
        session_factory,
        walk,
        title="交易中心开放日管理办法",
        kind="service_standard",
        text=OPEN_DAY,
        opened=today - timedelta(days=10),
        comments=["建议开放日增加线上直播。"],
        adopt_after=None,
    )
    return 3


def _opinions(session_factory, walk, today: date) -> int:
    for days, source, ref, title, content, outlet, risk, answered, public in OPINIONS:
        found = today - timedelta(days=days)
        _at(walk, found, 9)
        with session_factory() as session:
            office = principal(session, "disclosure")
            row = opinions.register_opinion(
                session, source=source, ref=ref, title=title, content=content, outlet=outlet, actor=office
            )
            opinions.assess(session, office, row.id, risk=risk, note="经研判，涉及交易服务质量，按规定时限回应。")
            oid = row.id
        if answered is None:
            continue
        _at(walk, found + timedelta(days=1), 15)
        with session_factory() as session:
            opinions.discuss(
                session,
                principal(session, "committee"),
                oid,
                held_on=found + timedelta(days=1),
                bodies="管委会办公室、交易中心、政务公开办",
                conclusion="核实情况后由交易中心统一回应。",
            )
        _at(walk, found + timedelta(days=answered), 16)
        with session_factory() as session:
            office = principal(session, "disclosure")
            opinions.answer(
                session, office, oid, text=f"关于“{title}”，经核实，交易中心已采取改进措施。", public=public
            )
        _at(walk, found + timedelta(days=answered + 10), 10)
        with session_factory() as session:
            opinions.evaluate(
                session, principal(session, "disclosure"), oid, effect="resolved", note="回应后未见新的相关讨论。"
            )
    return len(OPINIONS)


def _documents(session_factory, walk, today: date) -> int:
    rows = [
        ("关于调整进场登记材料的通知", "proactive", "面向市场主体的办事要求，应当主动公开", 150),
        ("关于开展政务公开自查的通知", "proactive", "面向各科室和社会公众的工作安排", 90),
        ("关于评标室视频设备维护的内部安排", "withheld", "内部事务信息，依《政府信息公开条例》第十六条可不予公开", 45),
    ]
    for title, attribute, reason, days in rows:
        _at(walk, today - timedelta(days=days), 9)
        with session_factory() as session:
            d = documents.draft(
                session,
                principal(session, "centre"),
                title=title,
                body=f"各有关单位：\n现将{title[2:-3]}有关事项通知如下。\n一、自印发之日起执行。",
                attribute=attribute,
                reason=reason,
            )
            issued = documents.issue(
                session,
                principal(session, "disclosure"),
                d.id,
                doc_number=f"示交〔{today.year}〕{days}号",
                attribute=attribute,
            )
            pub_id = issued.publication_id
        if pub_id is None:
            continue
        _at(walk, today - timedelta(days=days - 1), 10)
        with session_factory() as session:  # another member of the office passes the confidentiality review
            publications.approve(session, principal(session, "officesigner"), pub_id)
    return len(rows)


def _catalog(session_factory, walk, today: date) -> int:
    _at(walk, today - timedelta(days=100), 9)
    with session_factory() as session:
        office = principal(session, "disclosure")
        cat = catalogs.derive(
            session, office, name="示范市公共资源交易中心政务公开事项目录", region_code="350100", scope="ZX"
        )
        entries = catalogs.entries_of(session, cat.id)
        catalogs.adapt(
            session,
            office,
            entries[0].id,
            disposition="adapted",
            reason="本地机构改革后增加内设科室信息",
            name="机构概况、职能与内设科室",
            content="机构名称、职能、内设科室及其职责、办公地址和电话",
        )
        catalogs.add(
            session,
            office,
            cat.id,
            code="ZX.BD.01",
            name="见证服务记录",
            content="进场项目的见证服务记录和见证人员",
            legal_basis="本地公共资源交易见证服务规定",
            reason="本地开展见证服务，标准目录未列",
        )
        catalogs.submit(session, office, cat.id)
        cat_id = cat.id
    _at(walk, today - timedelta(days=95), 9)
    with session_factory() as session:
        catalogs.review(session, principal(session, "govaffairs"), cat_id, approve=True, note="经复核，同意公布。")
    _at(walk, today - timedelta(days=90), 9)
    with session_factory() as session:
        claimable = catalogs.unclaimed(session, cat_id)
        for i, entry in enumerate(claimable[:-1]):
            who = "centre" if i % 3 else ("supervisor" if i % 2 else "disclosure")
            catalogs.claim(session, principal(session, who), entry.id)
        catalogs.flag_unclaimed(session, principal(session, "disclosure"), cat_id)
    _at(walk, today - timedelta(days=2), 9)
    with session_factory() as session:  # a district's catalog awaiting 政务办's re-check
        office = principal(session, "disclosure")
        district = catalogs.derive(
            session, office, name="示范市鼓楼区公共资源交易分中心政务公开事项目录", region_code="350102", scope="ZX"
        )
        catalogs.submit(session, office, district.id)
    return 2


def _inspections(session_factory, walk, today: date) -> int:
    made = 0
    for who, method_, days, title, late in (
        ("evaluator", "sampling", 70, "第三季度政务公开第三方抽样评估", True),
        ("govaffairs", "spot", 30, "政务办政务公开抽点检查", False),
    ):
        _at(walk, today - timedelta(days=days), 9)
        with session_factory() as session:
            actor = principal(session, who)
            first = today - timedelta(days=days + 90)
            period_to = today - timedelta(days=days + 1)
            ids = None
            if method_ == "spot":
                ids = list(
                    session.scalars(
                        select(Publication.id)
                        .where(Publication.status == "published", Publication.obligation_id.is_not(None))
                        .where(Publication.published_at <= datetime.combine(period_to, time(23, 0), get_settings().tz))
                        .where(Publication.published_at >= datetime.combine(first, time(0, 0), get_settings().tz))
                        .order_by(Publication.id.desc())
                        .limit(3)
                    )
                )
                if not ids:
                    continue
            try:
                row = inspections.start(
                    session,
                    actor,
                    method=method_,
                    title=title,
                    scope="已发布的公开信息，检查准确性、完整性、及时性",
                    period_from=first,
                    period_to=period_to,
                    sample_size=5 if method_ == "sampling" else None,
                    publication_ids=ids,
                )
            except InvalidInput:  # nothing published in the period: no inspection to show
                continue
            items = inspections.items_of(session, row.id)
            finding = inspections.find(
                session,
                actor,
                items[0].id,
                aspect="completeness" if late else "accuracy",
                description="公开内容缺少办理时限要素" if late else "发布日期与信息形成日期不一致",
            )
            for item in items[1:]:
                inspections.check(session, actor, item.id)
            inspections.close(session, actor, row.id, publish=True)
            fid, org = finding.id, finding.department_org_id
            made += 1
        _at(walk, today - timedelta(days=days - (25 if late else 5)), 11)
        with session_factory() as session:
            corrector = principal(session, "disclosure")  # the office reports for a body with no account
            for username in ("centre", "supervisor", "finance"):
                candidate = principal(session, username)
                if org is not None and candidate.organisation_id == org:
                    corrector = candidate
                    break
            inspections.correct(
                session, corrector, fid, correction="已补充缺少的要素并重新发布。" if late else "已更正发布日期。"
            )
    return made
