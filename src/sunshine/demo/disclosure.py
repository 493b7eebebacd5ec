"""Demo disclosure history: the catalog, and for each month the centre's own proactive disclosure — obligations
declared as information is formed, texts drafted by centre staff and reviewed by the disclosure office, most
published on time, some late, one withdrawn and corrected (leaving a tombstone), one draft held in review for an
identity number (redacted and published at the start of the next month), the odd obligation left overdue.

Everything goes through the services on the given clock, walked forward within the month, so the dashboard,
the alerts and the ledger read as a real year would. ``seed_month`` skips a month it has already seeded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.config import get_settings
from sunshine.core.auth import Principal
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.db import Database
from sunshine.demo.base import principal_of
from sunshine.disclosure import catalog_service, obligations, publications
from sunshine.disclosure.detectors import id_check_character
from sunshine.disclosure.models import Obligation, Publication
from sunshine.identity.models import Organisation, OrganisationKind, User, UserRole
from sunshine.identity.roles import Role

# Centre affairs disclosed in rotation, one a month besides the monthly statistics: (item, title, body).
ROTATION: tuple[tuple[str, str, str], ...] = (
    (
        "ZX.FW.01",
        "交易中心办事指南（修订）",
        "一、服务事项：项目进场登记、场地预约、保证金收退、档案查询。\n\n二、办理条件与材料：详见各事项办事指南。"
        "\n\n三、办理时限：进场登记材料齐全的，2个工作日内受理或退回；绿色通道项目1个工作日内办理。",
    ),
    (
        "ZX.QL.02",
        "公共资源交易流程清单",
        "工程建设项目招标投标、政府采购、国有产权交易、土地和矿业权出让的业务流程、各环节办理主体、办理时限和公开环节。"
        "\n\n流程图见附件。",
    ),
    (
        "ZX.QL.03",
        "交易中心廉政风险点清单",
        "岗位：项目受理、场地安排、专家抽取见证、保证金管理。\n\n风险点：违规受理、泄露评标专家信息、违规退还保证金。"
        "\n\n风险等级：二级。",
    ),
    (
        "ZX.QL.04",
        "交易中心风险防控措施清单",
        "一、专家抽取全程电子化、语音通知，名单封存至评标开始。\n\n二、保证金由系统按规则自动退还，人工干预留痕。"
        "\n\n三、场地安排系统随机分配，监督部门实时查看。",
    ),
    (
        "ZX.FW.03",
        "开标室、评标室场地设施与预约须知",
        "开标室4间、评标室8间（含远程异地评标室2间），均配备音视频监控。\n\n预约方式：登录平台在线预约，"
        "提前3个工作日。",
    ),
    (
        "ZX.JD.01",
        "投诉举报渠道和监督电话",
        "投诉受理：示范市公共资源交易监督管理办公室。\n\n监督电话：0591-87110000；政务服务便民热线：12345。"
        "\n\n意见箱：交易大厅一楼服务台旁。",
    ),
    (
        "ZX.FW.02",
        "交易服务收费项目及标准",
        "依据省发展改革委收费文件，本中心交易服务费实行政府定价。\n\n对中小企业、脱贫地区项目减免服务费。",
    ),
    (
        "ZX.JG.02",
        "公共资源交易政策文件汇编（更新）",
        "收录现行有效的法律法规、规章、规范性文件及交易规则，并附政策解读。",
    ),
    (
        "ZX.QL.01",
        "交易中心权力清单",
        "职权名称：进场交易项目受理、交易场所安排、交易信息发布、交易档案管理。\n\n实施依据和责任事项详见清单。",
    ),
    (
        "ZX.JG.01",
        "交易中心机构概况与职能",
        "内设综合科、交易服务科、信息发布科、档案管理科。\n\n办公地址：示范市鼓楼区湖东路168号；"
        "办公时间：工作日 8:30-12:00、14:30-17:30。",
    ),
)


def load_catalog(db: Database) -> catalog_service.LoadReport:
    """The shipped catalog, loaded once (running it again changes nothing)."""
    with db.unit_of_work() as session:
        return catalog_service.load_catalog(session)


def _principal(session: Session, role: Role) -> Principal:
    """The first demo account holding ``role``."""
    user_id = session.scalar(
        select(User.id).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == role.value).order_by(User.id)
    )
    if user_id is None:
        raise RuntimeError(f"示范数据需要一个“{role.label}”账号")
    return principal_of(session, user_id)


def _org(session: Session, kind: OrganisationKind, name_part: str = "") -> int | None:
    stmt = select(Organisation.id).where(Organisation.kind == kind.value).order_by(Organisation.id)
    if name_part:
        found = session.scalar(stmt.where(Organisation.name.contains(name_part)))
        if found is not None:
            return found
    return session.scalar(stmt)


def _complainant_id(month_index: int) -> str:
    born = date(1970 + month_index % 30, month_index % 12 + 1, month_index % 28 + 1)
    body = f"350102{born:%Y%m%d}{month_index % 900 + 100:03d}"
    return body + id_check_character(body)


def seed_month(db: Database, clock: AdjustableClock, month_start: date, month_end: date) -> None:
    """One month of the centre's proactive-disclosure history, on ``clock`` walked forward within the month."""
    tz = get_settings().tz
    index = month_start.year * 12 + month_start.month
    stats_title = f"{month_start.year}年{month_start.month}月公共资源交易统计信息"
    last = datetime.combine(month_end, time(18, 0), tz)

    def at(day: int, hour: int = 9) -> None:
        target = min(datetime.combine(month_start + timedelta(days=day), time(hour, 0), tz), last)
        if target > clock.now():
            clock.set(target)

    with use_clock(clock):
        with db.unit_of_work() as s:
            if s.scalar(select(Obligation.id).where(Obligation.title == stats_title)) is not None:
                return
            author, reviewer = _principal(s, Role.CENTRE_STAFF), _principal(s, Role.DISCLOSURE_OFFICE)
            centre = _org(s, OrganisationKind.CENTRE)
            housing = _org(s, OrganisationKind.DEPARTMENT, "住房")
            finance = _org(s, OrganisationKind.DEPARTMENT, "财政")

        # The first working morning: last month's held draft is redacted and published, and what is still
        # unpublished from last month goes out now (late, if its due date has passed).
        at(0)
        with db.unit_of_work() as s:
            for pub in s.scalars(select(Publication).where(Publication.status == "review")).all():
                if publications.is_held(publications.load(s, pub.id)):
                    publications.redact(s, reviewer, pub.id)
                publications.approve(s, reviewer, pub.id)
            carried = s.scalars(
                select(Obligation).where(Obligation.status.in_(("open", "overdue")), Obligation.title.like("%（续）"))
            ).all()
            for obligation in carried:
                _publish(s, author, reviewer, obligation, obligation.title.removesuffix("（续）"), "详见附件。")

        # Day 1: information formed this month is declared.
        at(1)
        code, title, body = ROTATION[index % len(ROTATION)]
        with db.unit_of_work() as s:
            today = clock.now().astimezone(tz).date()
            affair = obligations.declare(
                s, reviewer, item_code=code, title=title, event_date=today, responsible_org_id=centre
            )
            stats = obligations.declare(
                s, reviewer, item_code="ZX.FW.04", title=stats_title, event_date=today, responsible_org_id=centre
            )
            penalty_on_time = obligations.declare(
                s,
                reviewer,
                item_code="GC.JD.02",
                title=f"行政处罚决定（示建罚〔{month_start.year}〕{month_start.month * 2 - 1}号）",
                event_date=today,
                responsible_org_id=housing,
            )
            penalty_late = obligations.declare(
                s,
                reviewer,
                item_code="ZC.JD.02",
                title=f"政府采购监督检查处理决定（示财采〔{month_start.year}〕{month_start.month}号）",
                event_date=today,
                responsible_org_id=finance,
            )
            # Declared now, drafted only at the start of next month: it may be late.
            obligations.declare(
                s,
                reviewer,
                item_code="ZX.JD.02",
                title=f"公开事项目录执行情况通报（{month_start.month}月）（续）",
                event_date=today,
                responsible_org_id=centre,
            )
            forgotten = None
            if index % 3 == 0:  # once a quarter something is forgotten: it stays overdue and on the public list
                forgotten = obligations.declare(
                    s,
                    reviewer,
                    item_code="GC.JD.02",
                    title=f"行政处罚决定（示建罚〔{month_start.year}〕{month_start.month * 2}号）",
                    event_date=today,
                    responsible_org_id=housing,
                )
            ids = (affair.id, stats.id, penalty_on_time.id, penalty_late.id, forgotten.id if forgotten else None)

        # Day 4: the rotating affair and the first penalty go out on time.
        at(4, 10)
        with db.unit_of_work() as s:
            affair_pub = _publish(s, author, reviewer, s.get(Obligation, ids[0]), title, body)
            _publish(
                s,
                author,
                reviewer,
                s.get(Obligation, ids[2]),
                "行政处罚决定书",
                "当事人：示范建筑工程有限公司。\n\n违法事实：在投标中串通投标报价。\n\n处罚决定：罚款人民币五万元。",
            )

        # Day 8: the statistics of last month.
        at(8, 15)
        with db.unit_of_work() as s:
            _publish(
                s,
                author,
                reviewer,
                s.get(Obligation, ids[1]),
                stats_title,
                "本月进场交易项目、成交金额、节约资金及增值情况详见统计表。",
            )

        # Day 12: a complaint decision drafted with the complainant's identity number: held in review.
        at(12, 11)
        with db.unit_of_work() as s:
            publications.create_draft(
                s,
                author,
                item_code="GC.JD.01",
                title=f"投诉处理决定书（示建诉〔{month_start.year}〕{month_start.month}号）",
                body=(
                    f"投诉人：王某（身份证号 {_complainant_id(index)}）。\n\n被投诉人：示范市某道路工程招标人。"
                    "\n\n处理决定：投诉事项缺乏事实依据，驳回投诉。"
                ),
                submit=True,
            )

        # Day 18: the finance bureau's decision, due after 7 working days, goes out late.
        at(18, 16)
        with db.unit_of_work() as s:
            _publish(
                s,
                author,
                reviewer,
                s.get(Obligation, ids[3]),
                "政府采购监督检查处理决定书",
                "被检查单位：示范市某采购代理机构。\n\n处理决定：责令限期改正，记入不良行为记录。",
            )

        # Day 21: the rotating affair had an error: withdrawn with its reason, corrected text published.
        at(21, 10)
        with db.unit_of_work() as s:
            publications.withdraw(s, reviewer, affair_pub, reason="所附文件版本有误，已更正后重新发布")
            draft = publications.create_draft(
                s,
                author,
                item_code=code,
                title=f"{title}（更正）",
                body=body + "\n\n（本件为更正后版本。）",
                submit=True,
            )
            publications.approve(s, reviewer, draft.id)

        # Month end: the tick's overdue pass.
        clock.set(max(clock.now(), last))
        with db.unit_of_work() as s:
            obligations.mark_overdue(s)


def _publish(
    session: Session, author: Principal, reviewer: Principal, obligation: Obligation, title: str, body: str
) -> int:
    pub = publications.create_draft(session, author, obligation_id=obligation.id, title=title, body=body, submit=True)
    publications.approve(session, reviewer, pub.id)
    return pub.id
