"""Input shapes of the complaints' JSON routes (outputs are the reading views, ``complaints.reading``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Between, Id, IsoDate

Days = Annotated[int, Between(1, 30, "out_of_range", "天数应在 {low} 至 {high} 之间")]


class CaseIn(BaseModel):
    """An objection, challenge or complaint with the statutory contents of its letter."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        ...,
        max_length=30,
        description="objection 异议 | eng_complaint 投诉（招标投标）| challenge 质疑 | gp_complaint 投诉（政府采购）",
    )
    project_id: Id
    section_id: Id | None = None
    matter: str = Field(..., max_length=20, description="prequal_docs | tender_docs | opening | process | result")
    knew_on: IsoDate | None = Field(None, description="知道或者应当知道其权益受到损害之日；缺省为今天")
    respondent: str = Field("", max_length=300, description="被质疑（投诉）人")
    contact: str = Field("", max_length=200, description="联系人及联系方式")
    facts: str = Field("", max_length=10000, description="具体事项及事实依据")
    request: str = Field("", max_length=5000, description="明确的请求")
    legal_basis: str = Field("", max_length=5000, description="必要的法律依据")
    signed: bool = Field(False, description="已签字（盖章）")
    prior_case_id: Id | None = Field(None, description="投诉前已提出的异议或质疑（本模块的编号）")
    prior_result_objection_id: Id | None = Field(None, description="投诉前对评标结果提出的异议（评标结果页的编号）")
    department: str | None = Field(
        None,
        max_length=30,
        description="受理投诉的行政监督部门（finance 财政部门 | housing 住房和城乡建设主管部门）；缺省为有管辖权的部门",
    )


GROUND_HELP = (
    "重新评审（reevaluate）的法定情形，政府采购项目必填（87号令第六十四条）："
    "sum_error | out_of_range | objective_inconsistent | extreme_score"
)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(..., max_length=5000, description="答复意见和理由")
    founded: bool = Field(False, description="异议（质疑）成立")
    remedy: str = Field(
        "none",
        max_length=20,
        description="成立时的处理：none | amend_docs | reevaluate | next_candidate | retender | void_contract",
    )
    ground: str | None = Field(None, max_length=40, description=GROUND_HELP)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=5000, description="说明")


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grounds: list[str] = Field(..., max_length=8, description="不予受理的情形（kinds.INADMISSIBLE 的代码）")
    note: str = Field("", max_length=5000)


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: Days | None = Field(None, description="政府采购：暂停的日数（不超过30日）")
    note: str = Field("", max_length=5000)


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(..., max_length=20, description="upheld 投诉成立 | dismissed 驳回投诉")
    remedy: str = Field("none", max_length=20)
    ground: str | None = Field(None, max_length=40, description=GROUND_HELP)
    decision: str = Field(..., max_length=10000, description="处理决定的事实、理由和依据")


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., max_length=300)
    body: str = Field(..., max_length=20000, description="公告正文：不得含个人信息和商业秘密")
