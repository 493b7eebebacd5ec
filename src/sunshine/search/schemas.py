"""API shapes of the site search (``/api/v1/search``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int


class HitOut(BaseModel):
    key: str = Field(description="条目标识，如 notice:12")
    type: str = Field(description="信息类型代码")
    type_label: str = Field(description="信息类型")
    title: str
    title_html: str = Field(description="标题，命中词以 <mark> 标出（已转义）")
    snippet_html: str = Field(description="摘要，命中词以 <mark> 标出（已转义）")
    link: str
    published_at: datetime
    transaction_type: str | None
    transaction_type_label: str | None
    method: str | None
    method_label: str | None
    region_code: str | None
    status: str | None
    status_label: str | None
    amount: Decimal | None
    score: float = Field(description="相关度（越大越相关）")


class SearchOut(BaseModel):
    q: str
    terms: list[str] = Field(description="分词后的检索词")
    total: int = Field(description="匹配条数；total_exact 为 false 时为估计（只统计最新的 window 条匹配）")
    total_exact: bool
    window: int = Field(description="排序与分面统计所用的最新匹配条数上限")
    items: list[HitOut]
    next_cursor: str | None
    facets: dict[str, list[FacetValueOut]] = Field(description="分面计数：kind 信息类型、交易类型、方式、状态、地区")
    facets_exact: bool = Field(description="false 时分面计数为估计值")
