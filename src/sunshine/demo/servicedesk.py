"""Demo service desk (服务台): the departments (交易服务部, 信息技术部, and the supervisory department for 举报),
the knowledge base (service guides with their rules and policies, FAQs), work orders at every stage over the last
weeks — closed after a satisfied callback and rated, reopened after an unsatisfied one, overdue and escalated by
the tick, waiting for its callback, a 举报 with its department, one from the 12345 hotline answered back, a trading
complaint referred to the complaints procedure — the 12345 call's recording, agents' shifts this week, information
requests' applicants rating the answer through the link on their reply letter, last month's satisfaction published
(with a 特约监督员's rating) and a low score answered by the centre's head.

Everything goes through the services; running it again adds nothing (the departments are the marker)."""

from __future__ import annotations

import io
import wave
from datetime import datetime, time, timedelta

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core import clock
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.demo.base import principal
from sunshine.policy.models import PolicyDocument
from sunshine.servicedesk import calls, desk, hotline, knowledge, orders, stats, surveys
from sunshine.servicedesk import steps as desk_steps
from sunshine.servicedesk.models import DeskDepartment, SurveyInvitation
from sunshine.servicedesk.schemas import ArticleIn, HotlineOrderIn, OrderIn, RecordingMeta, ShiftIn

GUIDES = [
    (
        "进场交易登记办事指南",
        "招标人（采购人）或其委托的代理机构在发布公告前办理项目进场登记。",
        {
            "conditions": "项目已按规定完成审批、核准或备案，资金已落实",
            "materials": "进场登记表、项目审批（核准、备案）文件、委托代理合同",
            "steps": "网上填报 → 交易中心受理 → 安排场地和时间",
            "time_limit": "材料齐全的，2 个工作日内受理或者退回",
            "fees": "不收费",
            "location": "交易中心一楼综合服务窗口",
            "contacts": "0591-87000001",
        },
        ["centre.service/acceptance_within"],
    ),
    (
        "投标保证金缴纳与退还办事指南",
        "投标保证金通过交易中心保证金子账户缴纳或以电子保函提交，在规定时间内退还。",
        {
            "materials": "投标单位基本账户信息；电子保函的，保函编号",
            "steps": "报名后获取子账户 → 投标截止前缴纳 → 中标通知书发出或合同签订后退还",
            "time_limit": "依法在规定时间内退还，逾期的平台预警",
            "fees": "不收费",
            "location": "交易中心二楼财务窗口",
            "contacts": "0591-87000002",
        },
        [],
    ),
    (
        "CA数字证书办理指南",
        "电子投标使用数字证书（CA证书）加密和签章投标文件。",
        {
            "materials": "营业执照副本、经办人身份证、授权委托书",
            "steps": "窗口申请 → 制证 → 驱动安装和测试",
            "time_limit": "当场办结",
            "location": "交易中心一楼CA窗口",
            "contacts": "0591-87000003",
        },
        [],
    ),
]
FAQS = [
    ("开标时投标人必须到场吗？", "电子开标的，投标人可以在线参加开标并在规定时间内解密投标文件，不必到场。"),
    (
        "投标文件解密失败怎么办？",
        "请检查数字证书是否为加密时使用的证书；仍不能解密的，按招标文件约定处理，并可联系服务台。",
    ),
    ("如何查询中标结果？", "中标候选人公示和中标结果公告在“交易公告”中发布，也可订阅项目的公告推送。"),
]


def load_demo_servicedesk(session_factory, real_now: datetime) -> int:
    with session_factory() as session:
        if session.scalar(select(DeskDepartment.id).limit(1)) is not None:
            return 0
    made = 0
    start = real_now - timedelta(days=40)
    demo = AdjustableClock(start)
    with use_clock(demo):
        with session_factory() as s:
            staff, sup = principal(s, "centre"), principal(s, "supervisor")
            service_dept = desk.create_department(s, name="交易服务部", kind="centre", phone="0591-87000010")
            it_dept = desk.create_department(s, name="信息技术部", kind="centre", phone="0591-87000011")
            watch = desk.create_department(s, name="派驻纪检监察组", kind="supervisory", phone="0591-87000012")
            desk.add_member(s, service_dept.id, staff.user_id)
            desk.add_member(s, it_dept.id, staff.user_id)
            desk.add_member(s, watch.id, sup.user_id)
            desk.set_head(s, principal(s, "admin"), staff.user_id)
            policy_ids = list(s.scalars(select(PolicyDocument.id).order_by(PolicyDocument.id).limit(1)))
            for title, body, fields, rules in GUIDES:
                knowledge.save(
                    s,
                    staff,
                    ArticleIn(
                        kind="guide", title=title, body=body, fields=fields, rule_refs=rules, policy_ids=policy_ids
                    ),
                )
            for title, answer in FAQS:
                knowledge.save(s, staff, ArticleIn(kind="faq", title=title, body=answer))
            ids = service_dept.id, it_dept.id
            made += 8
        service_id, it_id = ids
        bidder = "bidder"

        def step(days: float, fn):  # noqa: ANN001, ANN202
            demo.set(clock.now() + timedelta(days=days))
            with session_factory() as s:
                return fn(s)

        # closed after a satisfied callback, rated by the bidder (month before last or last month)
        def closed(s):  # noqa: ANN001, ANN202
            o, _ = orders.register(
                s,
                principal(s, bidder),
                OrderIn(
                    kind="help",
                    title="投标保证金退还进度查询",
                    content="我公司上月参加的项目保证金尚未退还，请帮助查询进度。",
                    requester_phone="13800001111",
                ),
                channel="web",
            )
            return o.id

        oid = step(0, closed)
        step(0.1, lambda s: orders.route(s, principal(s, "centre"), s.get(orders.WorkOrder, oid), service_id))
        step(
            1,
            lambda s: orders.reply(
                s,
                principal(s, "centre"),
                s.get(orders.WorkOrder, oid),
                "经核实，贵公司保证金已于今日原路退还，请注意查收。",
            ),
        )
        step(1, lambda s: orders.callback(s, principal(s, "centre"), s.get(orders.WorkOrder, oid), 5, "已收到退款"))

        def rate_closed(s):  # noqa: ANN001, ANN202
            inv = s.scalar(
                select(SurveyInvitation).where(
                    SurveyInvitation.service == "order_closed", SurveyInvitation.subject_id == oid
                )
            )
            items = surveys.items_of(surveys.questionnaire(s, "order_closed"))
            surveys.answer(s, inv, {i["id"]: 5 for i in items} | {"efficiency": 4}, "答复及时，态度很好")

        step(0.2, rate_closed)

        # a low score from a party answered by the head
        def ratings(s):  # noqa: ANN001, ANN202
            items = surveys.items_of(surveys.questionnaire(s, "opening_held"))
            # a bidder asked after an opening (the after-step hook of 开标) answers with a low score
            inv = s.scalar(
                select(SurveyInvitation)
                .where(SurveyInvitation.service == "opening_held", SurveyInvitation.answered_at.is_(None))
                .order_by(SurveyInvitation.id)
                .limit(1)
            )
            if inv is not None:
                low = surveys.answer(s, inv, {i["id"]: 2 for i in items}, "开标室网络不稳定，解密等待时间长")
                surveys.follow_up(
                    s, principal(s, "centre"), low.id, "已更换开标室网络设备并增加备用线路，后续开标前进行网络测试。"
                )

        step(0.5, ratings)

        # reopened after an unsatisfied callback, now being handled again
        def reopened(s):  # noqa: ANN001, ANN202
            o, _ = orders.register(
                s,
                principal(s, "centre"),
                OrderIn(
                    kind="consult",
                    title="电子投标文件上传失败",
                    content="来电反映上传投标文件时提示文件过大，无法上传。",
                    requester_name="王先生",
                    requester_phone="13900002222",
                ),
                channel="phone",
            )
            return o.id

        rid = step(3, reopened)
        step(0.1, lambda s: orders.route(s, principal(s, "centre"), s.get(orders.WorkOrder, rid), it_id))
        step(
            1,
            lambda s: orders.reply(s, principal(s, "centre"), s.get(orders.WorkOrder, rid), "请压缩扫描件后重新上传。"),
        )
        step(
            1, lambda s: orders.callback(s, principal(s, "centre"), s.get(orders.WorkOrder, rid), 2, "压缩后仍无法上传")
        )

        # the 12345 hotline: received, answered, told back
        def from_hotline(s):  # noqa: ANN001, ANN202
            o = hotline.receive(
                s,
                principal(s, "centre"),
                HotlineOrderIn(
                    hotline_ref="12345-DEMO-000321",
                    category="建议",
                    title="建议公布开标室预约情况",
                    content="市民来电建议在网站公布各开标室的预约和使用情况，方便投标人安排时间。",
                    caller_phone="13700003333",
                ),
            )
            orders.route(s, principal(s, "centre"), o, service_id)
            return o.id

        hid = step(2, from_hotline)
        step(
            2,
            lambda s: orders.reply(
                s, principal(s, "centre"), s.get(orders.WorkOrder, hid), "感谢建议，开标室预约情况已在场地页面公开。"
            ),
        )
        step(0.1, lambda s: hotline.deliver_pending(s))

        # a 举报 to the supervisory department
        step(
            1,
            lambda s: orders.register(
                s,
                principal(s, "centre"),
                OrderIn(
                    kind="report",
                    title="反映某项目评标期间有人打招呼",
                    content="来电反映某项目评标期间有人向评标专家打招呼，请调查核实。",
                    requester_name="匿名来电人",
                    requester_phone="13600004444",
                ),
                channel="phone",
            ),
        )

        # waiting for its callback; and one that will run overdue and be escalated by the tick
        def waiting(s):  # noqa: ANN001, ANN202
            o, _ = orders.register(
                s,
                principal(s, "bidder3"),
                OrderIn(
                    kind="consult",
                    title="资格预审文件获取方式",
                    content="请问资格预审文件是否只能在网上获取，是否收取费用？",
                ),
                channel="web",
            )
            orders.route(s, principal(s, "centre"), o, service_id)
            orders.reply(s, principal(s, "centre"), o, "资格预审文件在网上免费获取，无需到现场。")

        step(5, waiting)

        def overdue(s):  # noqa: ANN001, ANN202
            o, _ = orders.register(
                s,
                principal(s, "bidder2"),
                OrderIn(
                    kind="suggestion",
                    title="建议延长投标文件解密时间",
                    content="网络条件较差时解密容易超时，建议延长解密时间。",
                ),
                channel="web",
            )
            orders.route(s, principal(s, "centre"), o, it_id)

        step(1, overdue)
        # a trading complaint from a member of the public: told the statutory route
        from sunshine.servicedesk import referral
        from sunshine.trading.models import Project

        def referred(s):  # noqa: ANN001, ANN202
            code = s.scalar(select(Project.code).where(Project.public_since.is_not(None)).order_by(Project.id).limit(1))
            if code:
                referral.refer(
                    s,
                    principal(s, "centre"),
                    OrderIn(
                        kind="complaint",
                        title="反映招标文件设置不合理条件",
                        content="来电反映某项目招标文件要求本地业绩，排斥外地企业。",
                        project_code=code,
                    ),
                    None,
                    channel="phone",
                )

        step(0.5, referred)

    # now: the tick's reminders and escalations, shifts for this week, last month's figures published
    with use_clock(AdjustableClock(real_now)), session_factory() as s:
        desk_steps.tick(s)
        # the county's 特约监督员 (appointed by the supervision demo 20 days ago) rates this month's openings
        surveys.rate(
            s,
            principal(s, "special"),
            service="opening_held",
            subject="本月开标服务现场评议",
            answers={i["id"]: 4 for i in surveys.items_of(surveys.questionnaire(s, "opening_held"))},
            comment="开标流程规范，现场秩序良好",
            department_id=service_id,
        )
        monday = real_now.date() - timedelta(days=real_now.date().weekday())
        for n in range(5):
            day = monday + timedelta(days=n)
            for starts, ends in (("08:30", "12:00"), ("14:00", "17:30")):
                calls.add_shift(
                    s,
                    principal(s, "centre"),
                    ShiftIn(user_id=principal(s, "centre").user_id, day=day, starts=starts, ends=ends, seat="1号坐席"),
                )
        _recording(s, hid)
        made += _request_surveys(s, real_now)
        from sunshine.servicedesk.models import SatisfactionMonth, SurveyResponse

        finished = set(s.scalars(select(SurveyResponse.month).distinct())) | {stats.previous_month(real_now.date())}
        for month in sorted(m for m in finished if m < real_now.date().strftime("%Y-%m")):
            if s.scalar(select(SatisfactionMonth.id).where(SatisfactionMonth.month == month)) is None:
                stats.publish_month(s, None, month)
        made += 10
    return made


def _recording(s, order_id: int) -> None:  # noqa: ANN001
    """The 12345 order's call, recorded by the telephony system: one second of silence as a real WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000)
    order = s.get(orders.WorkOrder, order_id)
    calls.attach_recording(
        s,
        principal(s, "centre"),
        RecordingMeta(
            call_id="CALL-DEMO-000321",
            order_code=order.code,
            started_at=(order.created_at - timedelta(minutes=6)).isoformat(),
            duration_seconds=263,
        ),
        "CALL-DEMO-000321.wav",
        buffer.getvalue(),
    )


def _request_surveys(s, real_now: datetime) -> int:  # noqa: ANN001
    """依申请公开答复: the applicants of the latest answered requests followed the link on their reply letter; one
    rated it last month (published with that month), one this month; the newest link is left open."""
    from sunshine.inforequests.models import InfoRequest
    from sunshine.servicedesk import request_surveys

    answered = list(
        s.scalars(
            select(InfoRequest)
            .where(InfoRequest.answered_on.is_not(None))
            .order_by(InfoRequest.answered_on.desc(), InfoRequest.id.desc())
            .limit(12)
        )
    )
    this_month = real_now.date().replace(day=1)
    last = [r for r in answered if r.answered_on < this_month]
    current = [r for r in answered if r.answered_on >= this_month]
    picks = [(last[0], [5, 5, 4, 5, 4], "答复及时，答复书写明了获取方式")] if last else []
    if len(current) > 1:  # the newest answer's link stays open for its applicant
        picks.append((current[1], [4, 3, 4, 4, 5], "希望答复书附上文件的网页链接"))
    made = 0
    for req, ratings, comment in picks:
        request_surveys.invite_applicant(s, req)  # (the answer step made it already; once per request)
        inv = surveys.by_token(s, request_surveys.token_for(req.id))
        if inv.answered_at is not None or inv.expires_on < real_now.date():
            continue
        day = req.answered_on + timedelta(days=2)
        if req.answered_on < this_month:  # rated within the month it was answered in, so published with it
            day = min(day, this_month - timedelta(days=1))
        when = min(datetime.combine(day, time(10, 0), get_settings().tz), real_now)
        items = [i["id"] for i in surveys.items_of(surveys.questionnaire(s, inv.service))]
        with use_clock(AdjustableClock(max(when, inv.sent_at))):
            surveys.answer(s, inv, dict(zip(items, ratings, strict=False)), comment)
        made += 1
    return made
