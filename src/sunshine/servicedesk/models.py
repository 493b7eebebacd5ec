"""Tables of the service desk: departments and their members, work orders with their event history (the source
of their clock), call recordings, agents' shifts, the 12345 hotline exchange log, questionnaires, survey
invitations and answers, published monthly satisfaction figures, knowledge articles and the desk's settings.
Personal data (a requester's name and phone) stays in ``desk_work_order``; never in the ledger."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class DeskDepartment(Base):
    # 承办部门 a body work orders are routed to: a section of the centre, a supervisory or other department
    __tablename__ = "desk_department"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # centre | supervisory | government
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeskMember(Base):
    # 部门经办人 a user who handles the department's work orders
    __tablename__ = "desk_member"
    __table_args__ = (UniqueConstraint("department_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("desk_department.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)


class WorkOrder(Base):
    # 工单 one enquiry, complaint, suggestion, request for help, praise or report (举报)
    __tablename__ = "desk_work_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # GD2026000012
    kind: Mapped[str] = mapped_column(String(20), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # web | kiosk | phone | hotline
    state: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    requester_name: Mapped[str | None] = mapped_column(String(100))
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    lookup_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the requester's lookup code
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("desk_department.id"), index=True)
    limit_days: Mapped[int | None] = mapped_column(Integer)
    limit_unit: Mapped[str | None] = mapped_column(String(10))  # working | calendar
    limit_basis: Mapped[str | None] = mapped_column(Text)  # the rule's basis, shown with the due date
    start_on: Mapped[date | None] = mapped_column(Date)  # the day the routing started the clock
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # callback: 1..5
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    on_time: Mapped[bool | None] = mapped_column(Boolean)  # replied by the due date (last reply)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    hotline_ref: Mapped[str | None] = mapped_column(String(64), unique=True)  # the 12345 system's number
    complaint_case_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_case.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkOrderEvent(Base):
    # 办理记录 one step of a work order, in order
    __tablename__ = "desk_work_order_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("desk_work_order.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("desk_department.id"))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class CallRecording(Base):
    # 通话录音 a call's recording, kept in the file store by its hash
    __tablename__ = "desk_call_recording"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("desk_work_order.id", ondelete="SET NULL"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(200))
    agent_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AgentShift(Base):
    # 坐席排班 one agent's shift on one day
    __tablename__ = "desk_agent_shift"
    __table_args__ = (UniqueConstraint("user_id", "day", "starts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    starts: Mapped[str] = mapped_column(String(5))  # HH:MM
    ends: Mapped[str] = mapped_column(String(5))
    seat: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HotlineMessage(Base):
    # 12345 热线交换记录 one message received from or sent to the city's hotline system
    __tablename__ = "desk_hotline_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    kind: Mapped[str] = mapped_column(String(20))  # order | reply | callback | close
    hotline_ref: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("desk_work_order.id", ondelete="SET NULL"))
    payload: Mapped[str] = mapped_column(Text)  # JSON as exchanged
    status: Mapped[str] = mapped_column(String(10))  # received | pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Questionnaire(Base):
    # 满意度测评表 the questions asked after one kind of service, edited by the centre
    __tablename__ = "desk_questionnaire"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    items: Mapped[str] = mapped_column(Text)  # JSON list of {"id", "text"}: each rated 1..5
    department_id: Mapped[int | None] = mapped_column(ForeignKey("desk_department.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveyInvitation(Base):
    # 测评邀请 a survey sent to a party after a service it received
    __tablename__ = "desk_survey_invitation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # one per service, subject and person
    service: Mapped[str] = mapped_column(String(30), index=True)
    subject_kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(Integer)
    subject_label: Mapped[str] = mapped_column(String(300))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("desk_department.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_on: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SurveyResponse(Base):
    # 测评结果 one answered survey, or one rating by a 特约监督员
    __tablename__ = "desk_survey_response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("desk_survey_invitation.id"), unique=True)
    service: Mapped[str] = mapped_column(String(30), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("desk_department.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # 2026-11
    respondent: Mapped[str] = mapped_column(String(20))  # party | special_supervisor
    rater_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    subject_label: Mapped[str] = mapped_column(String(300))
    answers: Mapped[str] = mapped_column(Text)  # JSON {item id: 1..5}
    score: Mapped[int] = mapped_column(Integer)  # 0..100: the mean rating scaled
    comment: Mapped[str | None] = mapped_column(Text)
    low: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up: Mapped[str | None] = mapped_column(Text)  # the centre's answer to a low score
    followed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    followed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SatisfactionMonth(Base):
    # 月度满意度测评结果 a month's figures as published
    __tablename__ = "desk_satisfaction_month"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    figures: Mapped[str] = mapped_column(Text)  # JSON, frozen at publication
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ledger_seq: Mapped[int] = mapped_column(Integer)


class KnowledgeArticle(Base):
    # 知识库条目 a service guide (办事指南) or a question with its answer (常见问题)
    __tablename__ = "desk_knowledge_article"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # guide | faq
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # faq: the answer; guide: an overview
    fields: Mapped[str] = mapped_column(Text, default="{}")  # guide: conditions, materials, steps, ...
    policy_ids: Mapped[str] = mapped_column(String(300), default="[]")
    rule_refs: Mapped[str] = mapped_column(String(500), default="[]")  # "pack/rule" references
    source_order_id: Mapped[int | None] = mapped_column(ForeignKey("desk_work_order.id", ondelete="SET NULL"))
    tokens: Mapped[str] = mapped_column(Text)  # the words of title and body, space separated
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeskSetting(Base):
    # 服务台设置 e.g. the centre's head who receives low-score alerts
    __tablename__ = "desk_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime)
