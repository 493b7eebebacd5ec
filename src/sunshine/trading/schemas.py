"""Pydantic shapes of the trading API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sunshine.core.inputs import Id
from sunshine.trading import classification

Yuan = Decimal


class SectionIn(BaseModel):
    name: str = Field(min_length=2, max_length=300)
    estimate: Yuan = Field(gt=0, max_digits=16, decimal_places=2, description="估算价/预算（元）")
    qualification: str = Field(min_length=2, max_length=5000, description="资格条件")
    item_classification: str | None = Field(
        default=None, max_length=20, description="品目分类代码（《政府采购品目分类目录》，如 A02010104）"
    )


class ProjectIn(BaseModel):
    name: str = Field(min_length=4, max_length=300)
    transaction_type: str = Field(description="交易类型，如 engineering、gov_procurement")
    method: str = Field(description="交易方式，如 open_tender")
    tenderer_id: Id = Field(description="招标人/采购人/转让方机构")
    agency_id: Id | None = Field(default=None, description="代理机构")
    budget: Yuan = Field(gt=0, max_digits=16, decimal_places=2, description="预算/估算/挂牌底价（元）")
    region_code: str = Field(pattern=r"^\d{6}$")
    funding_source: str = Field(min_length=2, max_length=200, description="资金来源")
    evaluation_method: str | None = Field(default=None, max_length=100, description="评标/评审办法")
    description: str | None = Field(default=None, max_length=20000)
    green_channel: bool = False
    green_reason: str | None = Field(default=None, max_length=300)
    sections: list[SectionIn] = Field(min_length=1, max_length=50)


class ReasonIn(BaseModel):
    reason: str = Field(min_length=2, max_length=2000)


class RetenderIn(BaseModel):
    method: str | None = Field(default=None, description="变更后的交易方式（须经批准的变更申请）；缺省为原方式")
    reason: str | None = Field(default=None, max_length=500, description="说明；变更方式时由批准的申请代替")


class SectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    name: str
    estimate: Yuan
    qualification: str
    deposit_amount: Yuan | None
    item_classification: str | None = None
    item_classification_name: str | None = None

    @model_validator(mode="after")
    def _name(self) -> SectionOut:
        if self.item_classification and not self.item_classification_name:
            self.item_classification_name = classification.catalogue().name_of(self.item_classification) or None
        return self


class TransitionOut(BaseModel):
    step: str
    title: str
    from_state: str | None
    to_state: str
    to_label: str
    reason: str | None
    document_ref: str | None
    at: datetime
    ledger_seq: int
    proof_url: str


class ProjectOut(BaseModel):
    id: int
    code: str
    name: str
    transaction_type: str
    transaction_type_label: str
    method: str
    method_label: str
    pack_key: str
    pack_version: str
    lifecycle: str
    state: str
    state_label: str
    tenderer_id: int
    tenderer_name: str
    agency_id: int | None
    agency_name: str | None
    budget: Yuan
    region_code: str
    funding_source: str
    evaluation_method: str | None
    green_channel: bool
    green_reason: str | None
    docs_issued_at: datetime | None
    docs_sale_end: datetime | None
    bid_deadline: datetime | None
    opening_at: datetime | None
    registered_at: datetime
    failed_attempts: int = Field(description="流标次数（含此前各次招标）")
    retender_of_id: int | None = Field(description="重新招标时，前次流标的项目")
    catalogue_code: str | None = Field(default=None, description="交易目录编码（应进必进）")
    catalogue_note: str | None = Field(default=None, description="目录核对提示（如须附财政部门批准文件）")
    sections: list[SectionOut]
    next_steps: list[str]
