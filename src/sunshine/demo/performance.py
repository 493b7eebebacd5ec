"""Demo contract performance, run after the awards demo: the school's multimedia classroom procurement, whose
政府采购合同 the school signed three working days ago, is signed by the supplier that afternoon; the school records
the payment schedule (95 % after the acceptance, 5 % at the end of the 3-year warranty: 履约中); the supplier
uploads its performance security as a bank 保函 the next working day and the school confirms it; the supplier reports
the delivery and installation done; yesterday the school organised the acceptance (its logistics officer and the
agency's project manager), recorded 合格 and both signed the 验收书 (履约验收合格, ZC.JG.03 published), paid the 95 %
and returned the 保函's original by courier — the warranty's 5 % stays scheduled.

All through the services on clocks of their own, at fixed hours of past working days. Idempotent: taken on only
while the contract awaits the supplier's signature."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from sunshine.awards import contracts
from sunshine.awards.contract_models import AwardContract
from sunshine.config import get_settings
from sunshine.core import calendar
from sunshine.core.clock import AdjustableClock, use_clock
from sunshine.core.content import Upload
from sunshine.demo.base import principal
from sunshine.demo.evaluation import _local, _working_day
from sunshine.demo.results import MULTIMEDIA
from sunshine.identity.models import User, UserRole
from sunshine.identity.roles import Role
from sunshine.performance import acceptance, schedule, security
from sunshine.performance.models import PerformanceSecurity
from sunshine.trading.models import Project

GUARANTEE = b"%PDF-1.4\n% demo: performance guarantee of the multimedia classroom contract\n%%EOF\n"


def _winner_username(session, organisation_id: int) -> str | None:
    return session.scalar(
        select(User.username)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.organisation_id == organisation_id, UserRole.role == str(Role.BIDDER), User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def load_demo_performance(session_factory, real_now) -> int:  # noqa: ANN001
    """The stages described above; 1 when taken on, 0 otherwise (a second load)."""
    today = real_now.astimezone(get_settings().tz).date()
    with session_factory() as session:
        project = session.scalar(select(Project).where(Project.name == MULTIMEDIA.project.name))
        if project is None or project.state != "awarded":
            return 0
        contract = session.scalar(select(AwardContract).where(AwardContract.project_id == project.id))
        if contract is None or contract.winner_signed_at is not None or contract.tenderer_signed_at is None:
            return 0
        supplier = _winner_username(session, contract.winner_id)
        cal = calendar.load(session)
        contract_id, sha = contract.id, contract.sha256
        amount = contract.amount
    if supplier is None:
        return 0
    day = [_working_day(cal, today, n) for n in (3, 2, 1)]
    walk = AdjustableClock(_local(day[0], 16, 10))
    with use_clock(walk):
        with session_factory() as session:  # the supplier signs: 合同已签订, the security awaits it
            contracts.sign(session, principal(session, supplier), contract_id, sha256=sha)
        walk.set(_local(day[0], 17, 0))
        with session_factory() as session:
            first = (amount * 95 / 100).quantize(amount)
            warranty = date(day[0].year + 3, day[0].month, min(day[0].day, 28))
            schedule.set_schedule(
                session,
                principal(session, "tenderer"),
                contract_id,
                [
                    schedule.PlannedMilestone("交货、安装调试并验收合格", day[0] + timedelta(days=30), first),
                    schedule.PlannedMilestone("质保期满无质量问题（余款）", warranty, amount - first),
                ],
            )
        walk.set(_local(day[1], 9, 30))
        with session_factory() as session:
            sec = session.scalar(select(PerformanceSecurity).where(PerformanceSecurity.contract_id == contract_id))
            security.submit_guarantee(
                session,
                principal(session, supplier),
                sec.id,
                issuer="中国银行示范市分行",
                number=f"BH{day[1]:%Y%m%d}0017",
                amount=sec.required,
                valid_until=warranty + timedelta(days=30),
                upload=Upload(filename="履约保函.pdf", data=GUARANTEE, content_type="application/pdf"),
            )
            security_id = sec.id
        walk.set(_local(day[1], 11, 0))
        with session_factory() as session:
            security.confirm_receipt(session, principal(session, "tenderer"), security_id)
        walk.set(_local(day[1], 16, 30))
        with session_factory() as session:
            first_id = schedule.milestones(session, contract_id)[0].id
            schedule.report_done(
                session,
                principal(session, supplier),
                first_id,
                evidence="60套交互式多媒体教学设备已到货并完成安装调试，安装调试记录经学校信息中心签认",
            )
        walk.set(_local(day[2], 9, 0))
        with session_factory() as session:
            tenderer, agency = principal(session, "tenderer"), principal(session, "agency")
            members = [
                acceptance.MemberIn(tenderer.user_id, "验收组长（学校后勤处）"),
                acceptance.MemberIn(agency.user_id, "采购代理机构项目负责人"),
            ]
            row = acceptance.organise(
                session, tenderer, contract_id, method="现场逐台通电检测、抽查3个教室", members=members
            )
            acceptance.record(
                session,
                tenderer,
                row.id,
                accepted_on=day[2],
                result="passed",
                findings="设备品牌型号、数量与合同一致；抽查3个教室的显示、触控、音频功能正常；安装牢固，培训已完成",
            )
            acceptance_id, report_sha = row.id, row.sha256
        for who, minute in (("tenderer", 30), ("agency", 45)):
            walk.set(_local(day[2], 10, minute))
            with session_factory() as session:
                acceptance.sign(session, principal(session, who), acceptance_id, sha256=report_sha)
        walk.set(_local(day[2], 15, 0))
        with session_factory() as session:
            schedule.record_payment(
                session,
                principal(session, "tenderer"),
                first_id,
                amount=first,
                paid_on=day[2],
                reference=f"GK{day[2]:%Y%m%d}00051",
            )
            security.release(
                session, principal(session, "tenderer"), security_id, note="EMS 1105620398816，供应商商务部签收"
            )
    return 1
