"""JSON routes of credit: the supervisory department enters records and bans and reads records with their
personal data; the bans in force are public (信用信息公示)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.inputs import IsoDate
from sunshine.credit import service
from sunshine.credit.models import CreditBan, CreditRecord
from sunshine.credit.schemas import BanIn, BanOut, RecordIn, RecordOut
from sunshine.identity.models import Organisation

router = APIRouter(prefix="/api/v1/credit", tags=["信用"])
SUPERVISOR = Depends(Access(*service.WRITERS))
PUBLIC = Depends(Access.public())


def record_out(row: CreditRecord, organisation_name: str | None) -> RecordOut:
    return RecordOut(
        **{k: getattr(row, k) for k in RecordOut.model_fields if hasattr(row, k)},
        polarity_label=service.POLARITY[row.polarity],
        organisation_name=organisation_name,
    )


def ban_out(ban: CreditBan, org: Organisation) -> BanOut:
    return BanOut(
        id=ban.id,
        organisation_id=org.id,
        organisation_name=org.name,
        credit_code=org.credit_code,
        scope=service.scope_label(ban),
        region_code=ban.region_code,
        transaction_type=ban.transaction_type,
        starts_on=ban.starts_on,
        ends_on=ban.ends_on,
        basis=ban.basis,
        decision_no=ban.decision_no,
        ledger_seq=ban.ledger_seq,
    )


@router.post("/records", response_model=RecordOut, status_code=201, summary="录入信用记录（行政监督部门）")
def create_record(body: RecordIn, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> RecordOut:
    row = service.create_record(session, principal, body)
    return record_out(*service.get_record(session, principal, row.id))


@router.get("/records", response_model=list[RecordOut], summary="信用记录（行政监督部门）")
def list_records(session: Session = SessionDep, principal: Principal = SUPERVISOR) -> list[RecordOut]:
    return [record_out(r, name) for r, name in service.list_records(session, principal)]


@router.post("/bans", response_model=BanOut, status_code=201, summary="决定禁止参与（行政监督部门）")
def create_ban(body: BanIn, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> BanOut:
    ban = service.create_ban(session, principal, body)
    return ban_out(ban, session.get(Organisation, ban.organisation_id))


@router.get("/bans", response_model=list[BanOut], summary="禁止参与名单（公示）")
def bans(
    on: IsoDate | None = Query(None, description="某日有效的禁止参与；默认今天"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[BanOut]:
    return [ban_out(b, o) for b, o in service.bans_in_force(session, on)]
