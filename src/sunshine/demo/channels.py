"""Demo data of policy disclosure and channels: three policy documents (a State Council regulation, a
Ministry of Finance order and a local measure) with their interpretations, public concerns answered
and published (and one still waiting), and one confirmed mail subscription.

Everything goes through the services, as the disclosure office would do it; running ``load`` again
adds nothing. The demo subscription's confirmation mail is cancelled, not sent: its address is fictional.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sunshine.channels import service as channels
from sunshine.channels import tokens
from sunshine.channels.models import OutboxMail, Subscription
from sunshine.core import clock
from sunshine.core.auth import Principal
from sunshine.db import Database
from sunshine.demo.base import REGION, principal_of
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.ledger import service as ledger
from sunshine.policy import service as policy
from sunshine.policy.models import PolicyDocument
from sunshine.policy.schemas import AnswerIn, ConcernIn, InterpretationIn, PolicyIn

DEMO_SUBSCRIBER = "demo-subscriber@example.com"

REGULATION = PolicyIn(
    title="中华人民共和国招标投标法实施条例",
    issuing_body="国务院",
    doc_number="国务院令第613号",
    level="regulation",
    issued_on=date(2011, 12, 20),
    effective_on=date(2012, 2, 1),
    source_url="https://www.gov.cn/zwgk/2011-12/29/content_2033184.htm",
    body_html=(
        "<h3>第一章 总则</h3>"
        "<p>第一条 为了规范招标投标活动，根据《中华人民共和国招标投标法》（以下简称招标投标法），制定本条例。</p>"
        "<h3>第二章 招标</h3>"
        "<p>第十六条 招标人应当按照资格预审公告、招标公告或者投标邀请书规定的时间、地点发售资格预审文件或者招标文件。"
        "资格预审文件或者招标文件的发售期不得少于5日。</p>"
        "<p>第二十一条 招标人可以对已发出的资格预审文件或者招标文件进行必要的澄清或者修改。澄清或者修改的内容可能影响"
        "资格预审申请文件或者投标文件编制的，招标人应当在提交资格预审申请文件截止时间至少3日前，或者投标截止时间至少"
        "15日前，以书面形式通知所有获取资格预审文件或者招标文件的潜在投标人；不足3日或者15日的，招标人应当顺延提交"
        "资格预审申请文件或者投标文件的截止时间。</p>"
        "<h3>第四章 开标、评标和中标</h3>"
        "<p>第五十四条 依法必须进行招标的项目，招标人应当自收到评标报告之日起3日内公示中标候选人，公示期不得少于3日。"
        "投标人或者其他利害关系人对依法必须进行招标的项目的评标结果有异议的，应当在中标候选人公示期间提出。招标人应当"
        "自收到异议之日起3日内作出答复；作出答复前，应当暂停招标投标活动。</p>"
        "<p>第五十七条 招标人最迟应当在书面合同签订后5日内向中标人和未中标的投标人退还投标保证金"
        "及银行同期存款利息。</p>"
        "<p>（以上为节录，全文见原文链接。）</p>"
    ),
)

PROCUREMENT = PolicyIn(
    title="政府采购货物和服务招标投标管理办法",
    issuing_body="财政部",
    doc_number="财政部令第87号",
    level="rule",
    issued_on=date(2017, 7, 11),
    effective_on=date(2017, 10, 1),
    source_url="https://www.mof.gov.cn/",
    body_html=(
        "<h3>第一章 总则</h3>"
        "<p>第一条 为了规范政府采购当事人的采购行为，加强对政府采购货物和服务招标投标活动的监督管理，维护国家利益、"
        "社会公共利益和政府采购招标投标活动当事人的合法权益，依据《中华人民共和国政府采购法》（以下简称政府采购法）、"
        "《中华人民共和国政府采购法实施条例》（以下简称政府采购法实施条例）和其他有关法律法规规定，制定本办法。</p>"
        "<p>第二条 本办法适用于在中华人民共和国境内开展政府采购货物和服务（以下简称货物服务）招标投标活动。</p>"
        "<p>（以上为节录，全文见原文链接。）</p>"
    ),
)

LOCAL = PolicyIn(
    title="示范市公共资源交易管理办法",
    issuing_body="示范市人民政府",
    doc_number="示政规〔2025〕3号",
    level="normative",
    issued_on=date(2025, 6, 18),
    effective_on=date(2025, 8, 1),
    region_code=REGION,
    body_html=(
        "第一条　为规范本市公共资源交易活动，推进公共资源交易全流程电子化和全过程公开，"
        "根据有关法律、法规和国家有关规定，结合本市实际，制定本办法。\n\n"
        "第二条　本市行政区域内工程建设项目招标投标、政府采购、国有产权交易、国有土地使用权和矿业权出让、排污权交易、"
        "农村产权交易等公共资源交易活动，适用本办法。\n\n"
        "第三条　市公共资源交易中心负责交易平台的运行和维护，提供交易场所、信息发布和见证服务，不得从事与交易活动有关的"
        "营利性服务。\n\n"
        "第四条　公共资源交易实行全流程电子化。交易公告、澄清更正、开标记录、中标候选人公示、中标结果和合同应当在市公共"
        "资源交易平台公开，并记入全程留痕系统，供社会公众查询验证。\n\n"
        "第五条　鼓励采用远程异地评标和不见面开标。投标人可以通过交易平台在线解密投标文件，无需到达开标现场。\n\n"
        "第六条　本办法自2025年8月1日起施行。"
    ),
)

INTERPRETATIONS: dict[str, list[InterpretationIn]] = {
    REGULATION.title: [
        InterpretationIn(
            title="《招标投标法实施条例》中的几个关键时限",
            form="qa",
            interpreter="示范市公共资源交易中心",
            body_html=(
                "<p><strong>问：招标文件最少要发售几天？</strong></p>"
                "<p>答：资格预审文件或者招标文件的发售期不得少于5日（第十六条）。本平台在发布公告时按规则包自动校验，"
                "发售截止时间不足5日的公告无法发布。</p>"
                "<p><strong>问：澄清或者修改招标文件有什么时间要求？</strong></p>"
                "<p>答：可能影响投标文件编制的，应当在投标截止时间至少15日前通知所有潜在投标人；不足15日的，应当顺延投标"
                "截止时间（第二十一条）。平台会提示最迟发出日期，并要求同时填写顺延后的截止时间。</p>"
                "<p><strong>问：中标候选人公示多长时间？</strong></p>"
                "<p>答：招标人应当自收到评标报告之日起3日内公示中标候选人，公示期不得少于3日（第五十四条）。</p>"
            ),
        )
    ],
    PROCUREMENT.title: [
        InterpretationIn(
            title="图解：政府采购货物和服务公开招标的主要环节",
            form="graphic",
            interpreter="示范市财政局政府采购监督管理处",
            body_html=(
                "<ol><li>编制采购需求和采购文件</li><li>发布招标公告，提供招标文件</li>"
                "<li>澄清或者修改招标文件（影响投标文件编制的，至少在投标截止15日前）</li>"
                "<li>投标截止、开标</li><li>资格审查与评标</li><li>确定中标人，发布中标公告</li>"
                "<li>签订合同并公告</li></ol>"
                "<p>各环节的法定时限以本平台“规则包”页面公布的为准，并注明依据条款。</p>"
            ),
        )
    ],
    LOCAL.title: [
        InterpretationIn(
            title="《示范市公共资源交易管理办法》政策解读",
            form="text",
            interpreter="示范市公共资源交易中心",
            body_html=(
                "一、起草背景\n为落实公共资源交易平台整合共享要求，推进交易全流程电子化和全过程公开，市政府制定了本办法。\n\n"
                "二、主要内容\n办法明确了适用范围、交易中心的服务定位，规定交易全流程信息在统一平台公开并记入全程留痕系统，"
                "鼓励远程异地评标和不见面开标。\n\n"
                "三、与群众和企业相关的变化\n投标人可在线解密投标文件，无需到场；社会公众可以在平台上查询和验证每一条公开"
                "记录，发现问题可通过“回应关切”栏目提问，或拨打监督电话。"
            ),
        )
    ],
}

CONCERNS: list[tuple[ConcernIn, str | None, str | None]] = [
    (
        ConcernIn(
            topic="trading",
            question="我公司参加了一个工程项目投标但没有中标，投标保证金什么时候能退回来？我是张经理，电话13800000000。",
            asker_name="张经理",
            contact="13800000000",
        ),
        "参加工程项目投标未中标的，投标保证金什么时候退还？",
        "<p>根据《中华人民共和国招标投标法实施条例》第五十七条，招标人最迟应当在书面合同签订后5日内向中标人和"
        "未中标的投标人退还投标保证金及银行同期存款利息。</p><p>通过本平台缴纳的保证金，退还进度可在“我的报名与保证金”"
        "中查看；逾期未退的，平台会自动提醒交易中心和行政监督部门。</p>",
    ),
    (
        ConcernIn(
            topic="service",
            question="不见面开标需要提前准备什么？开标当天需要到交易中心现场吗？",
        ),
        None,
        "<p>不需要到现场。请提前办理并检查CA数字证书，在投标截止前上传加密的投标文件；开标时登录平台在线解密。"
        "建议在开标前一天完成解密测试，遇到问题可拨打交易中心服务电话。</p>",
    ),
    (
        ConcernIn(
            topic="policy",
            question="政府采购项目中，对小微企业的价格扣除是怎么计算的？",
        ),
        None,
        "<p>根据《政府采购促进中小企业发展管理办法》（财库〔2020〕46号），对于非专门面向中小企业的采购项目，"
        "对小微企业报价给予6%—10%（工程项目为3%—5%）的扣除，用扣除后的价格参加评审，具体比例在采购文件中载明。</p>",
    ),
]
WAITING = ConcernIn(
    topic="disclosure",
    question="能否公开本市近三年各类交易项目的节约资金统计？",
    contact="demo@example.com",
)


def _office(session: Session) -> Principal | None:
    """The first active account of the disclosure office, if there is one."""
    user_id = session.scalar(
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.DISCLOSURE_OFFICE.value, User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return None if user_id is None else principal_of(session, user_id)


def _policies(session: Session, office: Principal) -> int:
    if session.scalar(select(func.count()).select_from(PolicyDocument)):
        return 0
    made = 0
    by_title: dict[str, int] = {}
    for data in (REGULATION, PROCUREMENT, LOCAL):
        doc = policy.create_policy(session, office, data)
        by_title[doc.title] = doc.id
        made += 1
        for interpretation in INTERPRETATIONS.get(doc.title, []):
            policy.add_interpretation(session, office, doc.id, interpretation)
            made += 1
    for data, public_question, answer in CONCERNS:
        if data.topic == "policy":
            data = data.model_copy(update={"policy_id": by_title[PROCUREMENT.title]})
        concern = policy.submit_concern(session, data)
        if answer:
            policy.answer_concern(
                session, office, concern.id, AnswerIn(answer_html=answer, public_question=public_question, publish=True)
            )
        made += 1
    policy.submit_concern(session, WAITING)
    return made + 1


def _subscription(session: Session) -> int:
    exists = session.scalar(select(func.count()).select_from(Subscription).where(Subscription.email == DEMO_SUBSCRIBER))
    if exists:
        return 0
    subscription = channels.subscribe(
        session, email=DEMO_SUBSCRIBER, categories=["type.engineering"], region_codes=[REGION], keywords=[]
    )
    channels.confirm(session, tokens.make("confirm", subscription.id, subscription.nonce))
    # A fictional address: the confirmation mail is cancelled rather than sent.
    session.execute(
        update(OutboxMail).where(OutboxMail.subscription_id == subscription.id).values(cancelled_at=clock.now())
    )
    return 1


def load(db: Database) -> int:
    """Create the demo policies, concerns and subscription unless they exist. Returns how many were made."""
    made = 0
    with db.unit_of_work() as session:
        office = _office(session)
        if office is not None:
            made += _policies(session, office)
        made += _subscription(session)
        if made:
            ledger.sign_head(session)
    return made
