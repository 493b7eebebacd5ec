"""JSON routes of credit: the supervisory department enters, revokes and reads records, decides and lifts bans,
computes and publishes the ratings; tenderers, agencies, the centre and the department review those they
worked with; the public reads the bans in force, the lookup by unified social credit code or name and the
published ratings (信用信息公示)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import Id, IsoDate, Year
from sunshine.core.pagination import PAGING, Paging
from sunshine.credit import lookup, ratings, reviews, service
from sunshine.credit.common import kind_label
from sunshine.credit.models import CreditBan, CreditRating, CreditRecord
from sunshine.credit.reading import rating_out, subject_names
from sunshine.credit.schemas import (
    BanIn,
    BanOut,
    LiftIn,
    LookupOut,
    LookupRecord,
    RatingOut,
    RecordIn,
    RecordOut,
    ReviewIn,
    ReviewOut,
    RevokeIn,
)
from sunshine.identity.models import Organisation
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/credit", tags=["信用"])
SUPERVISOR = Depends(Access(*service.WRITERS))
RATING_READERS = Depends(Access(Role.SUPERVISOR, Role.CENTRE_STAFF))
REVIEWERS = Depends(Access(Role.TENDERER, Role.AGENCY, Role.CENTRE_STAFF, Role.SUPERVISOR))
PUBLIC = Depends(Access.public())
SUBJECT = Query(
    None, pattern="^(bidder|agency|expert)$", description="bidder 投标人 / agency 代理机构 / expert 评标专家"
)


def record_out(row: CreditRecord, organisation_name: str | None) -> RecordOut:
    return RecordOut(
        **{k: getattr(row, k) for k in RecordOut.model_fields if hasattr(row, k)},
        polarity_label=service.POLARITY[row.polarity],
        kind_label=kind_label(row.kind, row.polarity),
        organisation_name=organisation_name,
    )


def ban_out(ban: CreditBan, org: Organisation | None) -> BanOut:
    return BanOut(
        id=ban.id,
        organisation_id=ban.organisation_id,
        organisation_name=org.name if org else None,
        credit_code=org.credit_code if org else None,
        expert_id=ban.expert_id,
        scope=service.scope_label(ban),
        region_code=ban.region_code,
        transaction_type=ban.transaction_type,
        starts_on=ban.starts_on,
        ends_on=ban.ends_on,
        basis=ban.basis,
        decision_no=ban.decision_no,
        department=ban.department,
        lifted_at=ban.lifted_at,
        lift_reason=ban.lift_reason,
        ledger_seq=ban.ledger_seq,
    )


@router.post("/records", response_model=RecordOut, status_code=201, summary="录入信用记录（行政监督部门）")
def create_record(body: RecordIn, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> RecordOut:
    row = service.create_record(session, principal, body)
    return record_out(*service.get_record(session, principal, row.id))


@router.get("/records", response_model=list[RecordOut], summary="信用记录（行政监督部门）")
def list_records(
    paging: Paging = PAGING, session: Session = SessionDep, principal: Principal = SUPERVISOR
) -> list[RecordOut]:
    page = service.record_page(session, principal, cursor=paging.cursor, limit=paging.limit)
    return [record_out(r, name) for r, name in paging.answer(page)]


@router.post("/records/{record_id}/revoke", response_model=RecordOut, summary="撤销、更正或信用修复（行政监督部门）")
def revoke_record(
    record_id: Id, body: RevokeIn, session: Session = SessionDep, principal: Principal = SUPERVISOR
) -> RecordOut:
    service.revoke_record(session, principal, record_id, body)
    return record_out(*service.get_record(session, principal, record_id))


@router.post("/bans", response_model=BanOut, status_code=201, summary="决定禁止参与（行政监督部门）")
def create_ban(body: BanIn, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> BanOut:
    ban = service.create_ban(session, principal, body)
    return ban_out(ban, session.get(Organisation, ban.organisation_id) if ban.organisation_id else None)


@router.post("/bans/{ban_id}/lift", response_model=BanOut, summary="解除禁止参与（行政监督部门）")
def lift_ban(ban_id: Id, body: LiftIn, session: Session = SessionDep, principal: Principal = SUPERVISOR) -> BanOut:
    ban = service.lift_ban(session, principal, ban_id, body.reason)
    return ban_out(ban, session.get(Organisation, ban.organisation_id) if ban.organisation_id else None)


@router.get("/bans", response_model=list[BanOut], summary="禁止参与名单（公示）")
def bans(
    on: IsoDate | None = Query(None, description="某日有效的禁止参与；默认今天"),
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[BanOut]:
    page = service.ban_page(session, on, cursor=paging.cursor, limit=paging.limit)
    return [ban_out(b, o) for b, o in paging.answer(page)]


@router.get("/lookup", response_model=list[LookupOut], summary="信用信息查询（按统一社会信用代码或单位名称）")
def lookup_route(
    code: str | None = Query(None, max_length=18, description="统一社会信用代码（18位）"),
    name: str | None = Query(None, max_length=100, description="单位名称的一部分（至少两个字）"),
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[LookupOut]:
    out = []
    for org in lookup.find(session, code=code, name=name):
        records, bans_, rated = lookup.profile(session, org)
        names = {org.id: (org.name, org.credit_code)}
        out.append(
            LookupOut(
                organisation_id=org.id,
                name=org.name,
                credit_code=org.credit_code,
                kind_label=lookup.kind_label(org),
                records=[
                    LookupRecord(
                        kind_label=kind_label(r.kind, r.polarity),
                        polarity_label=service.POLARITY[r.polarity],
                        behaviour=r.behaviour,
                        basis=r.basis,
                        department=r.department,
                        decision_no=r.decision_no,
                        decided_on=r.decided_on,
                        publish_until=r.publish_until,
                    )
                    for r in records
                ],
                bans=[ban_out(b, org) for b in bans_],
                ratings=[rating_out(r, names) for r in rated],
            )
        )
    return out


@router.post("/reviews", response_model=ReviewOut, status_code=201, summary="评价代理机构、中标人或评标专家")
def create_review(body: ReviewIn, session: Session = SessionDep, principal: Principal = REVIEWERS) -> ReviewOut:
    row = reviews.create(session, principal, body)
    return ReviewOut.model_validate(row, from_attributes=True)


def _ratings(
    session: Session, period: str | None, subject: str | None, paging: Paging, *, published_only: bool
) -> list[RatingOut]:
    periods = ratings.periods(session, published_only=published_only)
    code = period or (periods[0] if periods else None)
    if code is None:
        return []
    subjects = [subject] if subject else (["bidder", "agency"] if published_only else ["bidder", "agency", "expert"])
    if published_only and "expert" in subjects:
        raise InvalidInput("评标专家的信用评价结果不按个人公开查询", field="subject")
    page = ratings.rating_page(
        session, code, subjects, published_only=published_only, cursor=paging.cursor, limit=paging.limit
    )
    rows: list[CreditRating] = paging.answer(page)
    names = subject_names(session, rows)
    return [rating_out(r, names) for r in rows]


@router.get("/ratings", response_model=list[RatingOut], summary="已公布的信用评价结果（投标人、代理机构）")
def public_ratings(
    period: str | None = Query(None, pattern=r"^\d{4}$", description="评价期（年份）；默认最近一期"),
    subject: str | None = SUBJECT,
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = PUBLIC,
) -> list[RatingOut]:
    return _ratings(session, period, subject, paging, published_only=True)


@router.get("/ratings/all", response_model=list[RatingOut], summary="全部信用评价结果（行政监督部门、交易中心）")
def all_ratings(
    period: str | None = Query(None, pattern=r"^\d{4}$", description="评价期（年份）；默认最近一期"),
    subject: str | None = SUBJECT,
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = RATING_READERS,
) -> list[RatingOut]:
    return _ratings(session, period, subject, paging, published_only=False)


@router.post("/ratings/{year}/compute", summary="计算信用评价（行政监督部门）")
def compute(year: Annotated[Year, Path()], session: Session = SessionDep, _: Principal = SUPERVISOR) -> dict:
    return {"period": str(year), "rated": ratings.rate_period(session, str(year))}


@router.post("/ratings/{year}/publish", summary="公布信用评价结果（行政监督部门）")
def publish(year: Annotated[Year, Path()], session: Session = SessionDep, _: Principal = SUPERVISOR) -> dict:
    return {"period": str(year), "published": ratings.publish_period(session, str(year))}
