"""Input and output shapes of the small-works draw API (Chinese descriptions, bounded inputs)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from sunshine.core.inputs import Id
from sunshine.smallworks.reading import ProjectDraws


class PrepareIn(BaseModel):
    supervisor_user_id: Id = Field(description="作为独立一方参加抽取（在本人浏览器中生成并承诺随机数）的监督部门人员")


class DeclineIn(BaseModel):
    outcome: Literal["declined", "ineligible"] = Field(description="declined 中选人放弃；ineligible 被查实不符合条件")
    reason: str = Field(min_length=1, max_length=280, description="具体情况（将随递补结果公示）")
    whom: Literal["contractor", "reserve"] = Field(
        "contractor", description="contractor 中选承包人（备选人递补）；reserve 备选承包人（顺序中的下一家成为备选人）"
    )


class OutcomeOut(BaseModel):
    organisation: str
    outcome_label: str
    reason: str
    at: datetime


class SectionOut(BaseModel):
    section_id: int
    number: int
    name: str
    fixed_price: Decimal = Field(description="固定价（元）：标段估算价，中选承包人按此价格承包")
    state: str | None = Field(
        description="prepared 抽取中，drawn 结果公示中，determined 已确定，failed 流标，void 结果不予采用；未组织为空"
    )
    state_label: str
    draw_code: str | None
    record_url: str | None = Field(description="抽取公开记录页面（含复核数据）")
    record_json_url: str | None = Field(description="抽取公开记录（供核验的 JSON）")
    room_url: str | None
    pool_count: int | None = Field(description="参加抽取的报名人数量（含不合格的）")
    eligible_count: int | None = Field(description="合格报名人数量")
    failed_reason: str | None
    contractor: str | None = Field(description="中选承包人（抽取完成后公开）")
    reserve: str | None = Field(description="备选承包人（抽取完成后公开）")
    drawn_at: datetime | None
    outcomes: list[OutcomeOut]


class ProjectDrawsOut(BaseModel):
    project_id: int
    project_code: str
    state: str
    state_label: str
    publicity_until: date | None = Field(description="抽取结果公示期截止日（含当日）")
    contract_due: date | None = Field(description="签订合同的期限")
    sections: list[SectionOut]


def project_draws_out(v: ProjectDraws) -> ProjectDrawsOut:
    return ProjectDrawsOut(
        project_id=v.project.id,
        project_code=v.project.code,
        state=v.project.state,
        state_label=v.state_label,
        publicity_until=v.publicity_until,
        contract_due=v.contract_due,
        sections=[
            SectionOut(
                section_id=s.section_id,
                number=s.number,
                name=s.name,
                fixed_price=s.fixed_price,
                state=s.state,
                state_label=s.state_label,
                draw_code=s.draw_code,
                record_url=s.record_url,
                record_json_url=f"/api/v1/draws/{s.draw_code}/record" if s.draw_code else None,
                room_url=s.room_url,
                pool_count=s.pool_count,
                eligible_count=s.eligible_count,
                failed_reason=s.failed_reason,
                contractor=s.contractor,
                reserve=s.reserve,
                drawn_at=s.drawn_at,
                outcomes=[OutcomeOut(**o.__dict__) for o in s.outcomes],
            )
            for s in v.sections
        ],
    )
