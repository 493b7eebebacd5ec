"""API shapes of declarations of no interest."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class StaffOut(BaseModel):
    user_id: int
    name: str
    declaration_id: int | None
    declared: bool
    sealed_at: datetime | None
    verify_url: str | None


class DeclarationsOut(BaseModel):
    project_id: int
    required: bool
    basis: str
    staff: list[StaffOut]


class DeclarationOut(BaseModel):
    id: int
    project_id: int
    statement: str
    seal_url: str
