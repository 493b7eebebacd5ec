"""JSON routes of the working-day calendar: the public deadline calculator and year view, and the
administrator's overrides and year schedules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy.orm import Session

from sunshine.core import calendar
from sunshine.core.auth import Access, Principal, SessionDep
from sunshine.core.errors import InvalidInput
from sunshine.core.inputs import IsoDate, Year
from sunshine.core.pagination import PAGING, Paging
from sunshine.core.validation import field_errors
from sunshine.core.workdays import DayInfo, DeadlineResult
from sunshine.identity.roles import Role

router = APIRouter(prefix="/api/v1/calendar", tags=["工作日历"])


def day_dict(info: DayInfo) -> dict[str, Any]:
    return {"date": info.day.isoformat(), "is_workday": info.is_workday, "name": info.name, "source": info.source}


def result_dict(result: DeadlineResult) -> dict[str, Any]:
    return {
        "start": result.start.isoformat(),
        "days": result.days,
        "unit": result.unit,
        "due": result.due.isoformat(),
        "provisional": result.provisional,
        "basis": result.basis,
        "legal_basis": calendar.LEGAL_BASIS,
        "skipped": [day_dict(d) for d in result.skipped],
    }


@router.get("/deadline", summary="计算法定期限的截止日")
def deadline(
    start: Annotated[IsoDate, Query(description="起算日（当日不计入），YYYY-MM-DD")],
    days: int = Query(..., ge=0, le=calendar.MAX_DAYS, description="期间长度"),
    unit: Literal["working", "calendar"] = Query("calendar", description="working=工作日，calendar=自然日"),
    session: Session = SessionDep,
    _: Principal = Depends(Access.public()),
) -> dict[str, Any]:
    return result_dict(calendar.compute(session, start, days, unit))


@router.get("/latest-before", summary="计算“不少于N日前”的最晚日期")
def latest_before(
    end: Annotated[IsoDate, Query(description="截止日，YYYY-MM-DD")],
    days: int = Query(..., ge=0, le=calendar.MAX_DAYS),
    unit: Literal["working", "calendar"] = Query("calendar"),
    session: Session = SessionDep,
    _: Principal = Depends(Access.public()),
) -> dict[str, Any]:
    result = calendar.latest_before(session, end, days, unit)
    return {**result_dict(result), "end": end.isoformat(), "latest": result.due.isoformat()}


@router.get("/years/{year}", summary="某年的节假日与调休安排")
def year_view(year: Year, session: Session = SessionDep, _: Principal = Depends(Access.public())) -> dict[str, Any]:
    days = calendar.days_of_year(session, year)
    cal = calendar.load(session)
    return {"year": year, "official": cal.is_official_year(year), "days": [day_dict(d) for d in days]}


class DayIn(BaseModel):
    kind: Literal["holiday", "workday"] = Field(description="holiday=休息日，workday=工作日")
    name: str | None = Field(default=None, max_length=50, description="如 国庆节、调休上班")
    reason: str | None = Field(default=None, max_length=300)


def _changes(changes: list[calendar.Recomputed]) -> list[dict[str, Any]]:
    return [
        {
            "deadline_id": c.deadline_id,
            "subject": c.subject,
            "purpose": c.purpose,
            "old_due": c.old_due.isoformat(),
            "new_due": c.new_due.isoformat(),
            "provisional": c.new_provisional,
        }
        for c in changes
    ]


@router.put("/days/{day}", summary="设置某日为休息日或工作日（系统管理员）")
def set_day(
    day: IsoDate, body: DayIn, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))
) -> dict[str, Any]:
    changes = calendar.set_day(session, actor=principal, day=day, kind=body.kind, name=body.name, reason=body.reason)
    return {"day": day.isoformat(), "kind": body.kind, "recomputed": _changes(changes)}


@router.delete("/days/{day}", summary="撤销某日的人工调整（系统管理员）")
def clear_day(day: IsoDate, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))) -> dict:
    return {"day": day.isoformat(), "recomputed": _changes(calendar.clear_day(session, actor=principal, day=day))}


class Span(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    start: IsoDate = Field(alias="from")
    end: IsoDate | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end is not None and self.end < self.start:
            raise ValueError("结束日期不能早于开始日期")
        if self.end is not None and (self.end - self.start).days > 31:
            raise ValueError("单个假期不超过31天")
        return self

    def dates(self) -> list[date]:
        from datetime import timedelta

        last = self.end or self.start
        return [self.start + timedelta(days=i) for i in range((last - self.start).days + 1)]


class ScheduleIn(BaseModel):
    year: int = Field(ge=2000, le=2099)
    source: str = Field(min_length=2, max_length=300, description="文号，如 国办发明电〔2026〕5号")
    holidays: list[Span] = Field(description='放假日期，可写区间：{"name": "春节", "from": ..., "to": ...}')
    workdays: list[Span] = Field(default_factory=list, description="调休上班日期")

    def to_schedule(self) -> calendar.YearSchedule:
        return calendar.YearSchedule(
            year=self.year,
            source=self.source,
            holidays=[(d, s.name) for s in self.holidays for d in s.dates()],
            workdays=[(d, s.name) for s in self.workdays for d in s.dates()],
        )


def parse_schedule(text: str) -> ScheduleIn:
    """A schedule typed or uploaded as JSON text (the command line and the administrator's page),
    with a Chinese message for the first problem instead of pydantic's English one."""
    try:
        return ScheduleIn.model_validate_json(text)
    except ValidationError as exc:
        errors = field_errors(exc)
        first = errors[0]
        if first["type"] in ("json_invalid", "json_type"):
            message = "不是有效的 JSON"
        elif first["field"] == "body":
            message = first["message"]
        else:
            message = f"{first['field']}：{first['message']}"
        raise InvalidInput(f"放假安排格式有误：{message}", field="schedule") from None


@router.post("/years", summary="录入某年的官方放假安排（系统管理员）")
def import_year(
    body: ScheduleIn, session: Session = SessionDep, principal: Principal = Depends(Access(Role.ADMIN))
) -> dict[str, Any]:
    changes = calendar.import_year(session, actor=principal, schedule=body.to_schedule())
    return {"year": body.year, "official": True, "recomputed": _changes(changes)}


@router.get("/deadlines", summary="正在计时的法定期限")
def open_deadlines(
    paging: Paging = PAGING,
    session: Session = SessionDep,
    _: Principal = Depends(Access(Role.ADMIN, Role.CENTRE_STAFF, Role.DISCLOSURE_OFFICE, Role.SUPERVISOR)),
) -> list[dict[str, Any]]:
    return [
        {
            "id": d.id,
            "subject": d.subject,
            "purpose": d.purpose,
            "rule_ref": d.rule_ref,
            "start": d.start.isoformat(),
            "days": d.days,
            "unit": d.unit,
            "due": d.due.isoformat(),
            "provisional": d.provisional,
            "basis": d.basis,
        }
        for d in paging.answer(calendar.open_deadline_page(session, cursor=paging.cursor, limit=paging.limit))
    ]
