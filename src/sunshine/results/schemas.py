"""Input shapes of the results' JSON routes (outputs are the reading views, ``results.reading``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Id


class ObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(..., max_length=5000, description="异议的事实和理由")
    section_id: Id | None = Field(None, description="所涉标段；缺省为整个项目")


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(..., max_length=5000, description="答复意见和理由")
