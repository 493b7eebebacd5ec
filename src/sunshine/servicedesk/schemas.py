"""Input and output shapes of the service desk's JSON routes (work orders, the 12345 interface, surveys and
ratings, knowledge articles, shifts). Outputs carry labels beside codes; personal data only where
``servicedesk.visibility`` allows."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Id, IsoDate, IsoDateTime


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        ...,
        max_length=20,
        description="consult 咨询 | complaint 投诉 | suggestion 建议 | help 求助 | praise 表扬 | report 举报",
    )
    title: str = Field(..., max_length=200)
    content: str = Field(..., max_length=5000)
    requester_name: str | None = Field(None, max_length=100, description="称呼（举报人身份只有监督部门可见）")
    requester_phone: str | None = Field(None, max_length=40)
    project_code: str | None = Field(None, max_length=40, description="所涉项目编号：涉及交易程序的投诉移交投诉处理")
    hotline_ref: str | None = Field(None, max_length=64, description="12345 热线工单号（热线接口填写）")


class ComplaintReferralIn(BaseModel):
    """What a party's trading complaint needs besides the order's text (the statutory contents, ``complaints``)."""

    model_config = ConfigDict(extra="forbid")

    complaint_kind: str = Field(..., max_length=30, description="objection | eng_complaint | challenge | gp_complaint")
    matter: str = Field(..., max_length=20)
    request: str = Field(..., max_length=5000, description="明确的请求")
    legal_basis: str = Field("", max_length=5000)
    knew_on: IsoDate | None = None
    signed: bool = False


class OrderCreate(OrderIn):
    referral: ComplaintReferralIn | None = None


class RouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department_id: Id
    note: str | None = Field(None, max_length=2000)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reply: str = Field(..., max_length=5000)


class CallbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    satisfaction: int = Field(..., ge=1, le=5, description="5 非常满意 … 1 非常不满意；低于 3 重新办理")
    note: str | None = Field(None, max_length=2000)


class EventOut(BaseModel):
    step: str
    step_label: str
    state_label: str
    day: date
    department: str | None
    note: str | None
    at: datetime


class OrderOut(BaseModel):
    id: int
    code: str
    kind: str
    kind_label: str
    channel_label: str
    state: str
    state_label: str
    title: str
    content: str | None
    requester_name: str | None
    requester_phone: str | None
    project_code: str | None
    department: str | None
    limit: str | None
    due_on: date | None
    days_left: int | None
    escalated: bool
    reply: str | None
    replied_on: date | None
    on_time: bool | None
    satisfaction: int | None
    reopen_count: int
    complaint_code: str | None
    hotline_ref: str | None
    history: list[EventOut] = []
    suggestions: list[dict] = []


class OrderReceipt(BaseModel):
    id: int
    code: str
    lookup_code: str
    state_label: str
    complaint_code: str | None = None
    message: str


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=20, description="centre | supervisory | government")
    phone: str | None = Field(None, max_length=40)


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Id


class HotlineOrderIn(BaseModel):
    """An order handed over by the city's 12345 system (docs/servicedesk.md: 12345 接口)."""

    model_config = ConfigDict(extra="forbid")

    hotline_ref: str = Field(..., min_length=4, max_length=64, description="12345 工单号")
    category: str = Field(..., max_length=20, description="咨询 | 投诉 | 建议 | 求助 | 表扬 | 举报")
    title: str = Field(..., max_length=200)
    content: str = Field(..., max_length=5000)
    caller_name: str | None = Field(None, max_length=100)
    caller_phone: str | None = Field(None, max_length=40)
    received_at: IsoDateTime | None = None
    call_id: str | None = Field(None, max_length=64)


class HotlineCallbackIn(BaseModel):
    """The 12345 system's own callback result for an order it handed over."""

    model_config = ConfigDict(extra="forbid")

    hotline_ref: str = Field(..., min_length=4, max_length=64)
    satisfaction: int = Field(..., ge=1, le=5)
    note: str | None = Field(None, max_length=2000)


class RecordingMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call_id: str = Field(..., min_length=4, max_length=64)
    order_code: str | None = Field(None, max_length=20)
    started_at: IsoDateTime
    duration_seconds: int = Field(..., ge=0, le=86400)


class ShiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Id
    day: IsoDate
    starts: str = Field(..., pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    ends: str = Field(..., pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    seat: str = Field(..., min_length=1, max_length=40)


class SurveyAnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, int] = Field(..., max_length=30, description="每个题目的评分，5 非常满意 … 1 非常不满意")
    comment: str | None = Field(None, max_length=2000)


class RatingIn(SurveyAnswerIn):
    """A 特约监督员's rating of a service result (the social supervision module calls this)."""

    service: str = Field(..., max_length=30)
    subject: str = Field(..., min_length=2, max_length=300, description="所评议的服务事项")
    department_id: Id | None = None


class QuestionnaireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., max_length=200)
    items: list[str] = Field(..., min_length=1, max_length=20, description="题目，每题按五级评分")
    department_id: Id | None = None


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    follow_up: str = Field(..., max_length=5000)


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=10, description="guide 办事指南 | faq 常见问题")
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    fields: dict[str, str] = Field(default_factory=dict, max_length=10)
    policy_ids: list[Id] = Field(default_factory=list, max_length=20)
    rule_refs: list[str] = Field(default_factory=list, max_length=20)
    source_order_id: Id | None = None
