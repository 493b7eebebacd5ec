"""Tables of expert draw requests (专家抽取申请) and the committees they form.

A ``DrawRequest`` is asked for one project section by its agency or tenderer: what the experts are for
(``purpose``: 评标委员会, 招标文件审查, 变更采购方式专家意见), how many of each specialty
(``DrawRequestSpecialty``), the reserve list, the evaluation's time and place and the tenderer's
representatives. ``kind`` is ``draw`` (random draw from the pool, the rule) or ``appointment`` (direct
appointment of named experts, the exception of 条例第四十七条 / 87号令第四十八条, with a reason).

A ``CommitteeSeat`` is one place of the committee: its group (specialty), its position in the call order and
the drawn candidate's leaf hash; ``expert_id`` is kept server-side for the platform to call the expert and is
never shown to a person before the evaluation's sign-in (names after the results).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sunshine.db import Base, UTCDateTime


class DrawRequest(Base):
    __tablename__ = "committee_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("project_section.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # draw | appointment
    purpose: Mapped[str] = mapped_column(String(30))  # evaluation | doc_review | method_opinion
    state: Mapped[str] = mapped_column(String(20), index=True)  # submitted approved returned drawing drawn cancelled
    reserve: Mapped[int] = mapped_column(Integer, default=0)  # 备选专家人数（每个专业）
    representatives: Mapped[int] = mapped_column(Integer, default=0)  # 招标人（采购人）代表人数
    meeting_at: Mapped[datetime] = mapped_column(UTCDateTime)  # 评标（评审）时间
    place_kind: Mapped[str] = mapped_column(String(10))  # room | remote
    place: Mapped[str] = mapped_column(String(200))  # 评标室名称，或异地评标的主场交易中心
    reason: Mapped[str | None] = mapped_column(Text)  # 直接确定专家的理由
    return_reason: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draw_code: Mapped[str | None] = mapped_column(String(40), index=True)  # the draws engine's public code
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disclosed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # results public: names shown


class DrawRequestSpecialty(Base):
    __tablename__ = "committee_request_specialty"
    __table_args__ = (UniqueConstraint("request_id", "specialty"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("committee_request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # request order (the draw fills groups in this order)
    specialty: Mapped[str] = mapped_column(String(40))  # specialty code of the pool's classification
    count: Mapped[int] = mapped_column(Integer)


class CommitteeSeat(Base):
    __tablename__ = "committee_seat"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("committee_request.id", ondelete="CASCADE"), index=True)
    specialty: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)  # place in the draw's call order (1-based); appointed: 0
    leaf: Mapped[str | None] = mapped_column(String(64))  # the candidate's committed hash (None when appointed)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)  # server-side only until results
    state: Mapped[str] = mapped_column(String(20))  # called confirmed declined no_show reserve appointed
    reserve: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
