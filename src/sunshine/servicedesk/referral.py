"""A complaint about a trading procedure is not a desk matter: the law gives it its own procedure (异议、质疑、
投诉 with statutory contents, parties and time limits). A party's complaint is filed in ``complaints`` through
its service, with the order's text as the facts; anyone else is told the statutory route. Either way the order
is recorded as 已移交投诉处理 and takes no desk step after that, so nothing is handled twice. Never commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from sunshine.complaints import service as complaints
from sunshine.complaints.schemas import CaseIn
from sunshine.core.auth import Principal
from sunshine.servicedesk import orders
from sunshine.servicedesk.models import WorkOrder
from sunshine.servicedesk.schemas import ComplaintReferralIn, OrderIn

GUIDANCE = (
    "您反映的是招标投标（政府采购）程序中的问题，依法应由投标人（供应商）或者其他利害关系人以书面形式提出异议、质疑或投诉，"
    "并按法定期限办理。请以本单位账户登录后在“异议、质疑与投诉”中提出（/complaints）；服务台不另行办理，以免重复处理。"
)


def is_trading_complaint(data: OrderIn) -> bool:
    return data.kind == "complaint" and bool(data.project_code)


def refer(
    session: Session, actor: Principal, data: OrderIn, referral: ComplaintReferralIn | None, *, channel: str
) -> tuple[WorkOrder, str]:
    """Register the order and hand it over: (order, lookup code). A party with the statutory contents files
    the case now (the complaints module refuses what it lacks, and nothing of the order is kept then)."""
    order, lookup = orders.register(session, actor, data, channel=channel)
    note = GUIDANCE
    if referral is not None and complaints.may_file(actor):
        case = complaints.file(
            session,
            actor,
            CaseIn(
                kind=referral.complaint_kind,
                project_id=order.project_id,
                matter=referral.matter,
                knew_on=referral.knew_on,
                contact=f"{order.requester_name or ''} {order.requester_phone or ''}".strip(),
                facts=order.content,
                request=referral.request,
                legal_basis=referral.legal_basis,
                signed=referral.signed,
            ),
        )
        order.complaint_case_id = case.id
        note = f"已按投诉程序受理，编号 {case.code}，请在“异议、质疑与投诉”中查看办理情况"
    order.reply = note
    orders.record(
        session,
        order,
        "refer",
        actor,
        to_state="referred",
        note=note,
        payload={"complaint": order.complaint_case_id is not None},
    )
    return order, lookup
