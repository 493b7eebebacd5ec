"""The credit demo (信用): a works contractor's administrative penalty of last year, published through the
disclosure pipeline and taken down at the end of its six months (its tombstone stays); this year's penalty for
false performance records with a two-year ban in force — the contractor's bidder account is refused when it tries
to register for a project, the refusal naming the decision; a finance-bureau penalty on a supplier; a
commendation; the school's review of its agency after its procurement; last year's ratings published and this
year's computed for the supervisory department. Idempotent: nothing is added when the banned contractor exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sunshine.config import get_settings
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.credit import ratings, reviews, service
from sunshine.credit.schemas import BanIn, RecordIn, ReviewIn
from sunshine.demo.base import DEMO_PASSWORD, REGION, org_ids, principal
from sunshine.demo.results import MULTIMEDIA
from sunshine.identity import credit_code
from sunshine.identity import service as identity
from sunshine.identity.models import Organisation, OrganisationKind
from sunshine.identity.roles import Role
from sunshine.trading.models import Project

BANNED_NAME = "示范鑫达建筑工程有限公司"
BANNED_CODE17 = "91350100MA2Y7XD1K"
BANNED_USER = ("xinda", "鑫达建筑 投标专员 罗辉")
HOUSING = "示范市住房和城乡建设局"
FINANCE = "示范市财政局"


def account_rows() -> list[tuple[str, str, str]]:
    return [(BANNED_USER[0], "投标人（禁止参与期内）", BANNED_USER[1])]


def _record(**kw) -> RecordIn:
    return RecordIn(subject_type="organisation", source="行政处罚决定书", **kw)


def load_demo_credit(session_factory, real_now: datetime) -> int:
    """Returns how many credit facts were added (0 on a second load)."""
    tz = get_settings().tz
    today = real_now.astimezone(tz).date()
    with session_factory() as session:
        code = credit_code.complete(BANNED_CODE17)
        if session.scalar(select(Organisation.id).where(Organisation.credit_code == code)) is not None:
            return 0
        ids = org_ids(session)
        if not {"build2", "build3", "agency1", "school"} <= ids.keys():
            return 0
        org = identity.create_organisation(
            session,
            name=BANNED_NAME,
            credit_code_value=code,
            kind=OrganisationKind.ENTERPRISE,
            region_code=REGION,
            contact_phone="0591-87230000",
            address="示范市仓山区建新镇金山大道618号",
        )
        identity.create_user(
            session,
            username=BANNED_USER[0],
            display_name=BANNED_USER[1],
            password=DEMO_PASSWORD,
            roles=[Role.BIDDER],
            organisation_id=org.id,
        )
        banned_id = org.id
    made = 0
    last_year = today - timedelta(days=400)
    then = AdjustableClock(datetime.combine(last_year, datetime.min.time(), tz) + timedelta(hours=10))
    with use_clock(then), session_factory() as session:
        service.create_record(
            session,
            principal(session, "supervisor"),
            _record(
                kind="penalty",
                organisation_id=banned_id,
                transaction_type="engineering",
                department=HOUSING,
                decision_no="示建罚〔2025〕47号",
                behaviour="示范市第三中学风雨操场工程施工中未按规定配备项目负责人",
                basis="《中华人民共和国招标投标法实施条例》第七十八条；处罚内容：罚款人民币三万元",
                decided_on=last_year - timedelta(days=3),
                effective_from=last_year - timedelta(days=3),
            ),
        )
        made += 1
    decided = today - timedelta(days=20)
    then = AdjustableClock(datetime.combine(decided, datetime.min.time(), tz) + timedelta(days=2, hours=10))
    with use_clock(then), session_factory() as session:
        supervisor = principal(session, "supervisor")
        record = service.create_record(
            session,
            supervisor,
            _record(
                kind="penalty",
                organisation_id=banned_id,
                transaction_type="engineering",
                department=HOUSING,
                decision_no="示建罚〔2026〕63号",
                behaviour="在示范市滨海新城安置房工程投标中使用伪造的业绩证明材料骗取中标",
                basis="《中华人民共和国招标投标法实施条例》第六十八条：以他人名义投标或者以其他方式弄虚作假骗取中标，"
                "情节严重的，取消其1年至3年内参加依法必须进行招标的项目的投标资格；处罚内容：罚款并取消投标资格二年",
                decided_on=decided,
                effective_from=decided,
            ),
        )
        service.create_ban(
            session,
            supervisor,
            BanIn(
                organisation_id=banned_id,
                region_code="350000",
                transaction_type="engineering",
                starts_on=decided,
                ends_on=decided.replace(year=decided.year + 2) - timedelta(days=1),
                department=HOUSING,
                decision_no="示建罚〔2026〕63号",
                basis="《中华人民共和国招标投标法实施条例》第六十八条（取消投标资格二年）",
                record_id=record.id,
            ),
        )
        service.create_record(
            session,
            principal(session, "finance"),
            _record(
                kind="penalty",
                organisation_id=ids["build3"],
                transaction_type="gov_procurement",
                department=FINANCE,
                decision_no="示财罚〔2026〕9号",
                behaviour="在示范市环卫车辆采购项目中无正当理由拒不与采购人签订政府采购合同",
                basis="《政府采购货物和服务招标投标管理办法》（财政部令第87号）；处罚内容：警告，列入不良行为记录名单",
                decided_on=decided + timedelta(days=1),
                effective_from=decided + timedelta(days=1),
            ),
        )
        service.create_record(
            session,
            supervisor,
            _record(
                kind="commendation",
                organisation_id=ids["build2"],
                behaviour="示范市2025年度建筑业守信企业",
                basis="示范市住房和城乡建设局守信激励通报",
                decided_on=decided,
                effective_from=decided,
                published=True,
            ),
        )
        made += 4
    with session_factory() as session:  # the school rates its agency once its procurement has a result
        school = session.scalar(select(Project).where(Project.name == MULTIMEDIA.project.name))
        if school is not None and school.state in reviews.AFTER_RESULT and school.agency_id:
            reviews.create(
                session,
                principal(session, "tenderer"),
                ReviewIn(
                    project_id=school.id,
                    subject_type="agency",
                    subject_id=school.agency_id,
                    scores={"service": 92, "competence": 90, "compliance": 95, "timeliness": 85},
                    comment="采购文件编制规范，开评标组织有序；答复供应商询问稍慢",
                ),
            )
            made += 1
    with session_factory() as session:
        service.take_down_due(session)  # last year's penalty: its six months are over
        ratings.rate_period(session, str(today.year - 1))
        ratings.publish_period(session, str(today.year - 1))
        ratings.rate_period(session, str(today.year))  # this year's, for the supervisory department
    return made
