"""Pydantic shapes of the subscription API. A subscription is only ever shown to the holder of its
signed link, and even then with the address masked."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SubscriptionIn(BaseModel):
    email: str = Field(max_length=254, description="接收邮箱；确认前不会发送任何信息")
    categories: list[str] = Field(default_factory=list, max_length=60, description="类别代码；空表示全部")
    region_codes: list[str] = Field(default_factory=list, max_length=20, description="6 位行政区划代码；空表示全部")
    keywords: list[str] = Field(default_factory=list, max_length=10, description="关键词（任一出现即推送）")


class FilterUpdate(BaseModel):
    token: str = Field(max_length=500, description="管理链接中的 token")
    categories: list[str] = Field(default_factory=list, max_length=60)
    region_codes: list[str] = Field(default_factory=list, max_length=20)
    keywords: list[str] = Field(default_factory=list, max_length=10)


class TokenIn(BaseModel):
    token: str = Field(max_length=500)


class Accepted(BaseModel):
    status: str
    message: str


class CategoryOut(BaseModel):
    code: str
    label: str
    group: str
    atom_url: str
    rss_url: str


class SubscriptionOut(BaseModel):
    status: str
    email: str  # masked
    categories: list[str]
    region_codes: list[str]
    keywords: list[str]
    description: str
    created_at: datetime
    confirmed_at: datetime | None
