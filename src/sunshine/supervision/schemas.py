"""API inputs of social supervision (the outputs are plain dicts built in ``api.py`` from the services' public
views, so that no personal field leaks by a schema's default)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sunshine.core.inputs import Id, IsoDate, IsoDateTime, count

Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=10000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecruitmentIn(_In):
    title: Short
    body: Long
    kind: Annotated[str, Field(max_length=20)] = "social"
    quota: Annotated[int, count(1, 500)] = 20
    opens_on: IsoDate
    closes_on: IsoDate


class ApplicationIn(_In):
    name: Annotated[str, Field(max_length=60)]
    phone: Annotated[str, Field(max_length=20)]
    employer: Short = ""
    statement: Long


class NominationIn(ApplicationIn):
    kind: Annotated[str, Field(max_length=20)] = "social"
    source: Annotated[str, Field(max_length=20)]
    username: Annotated[str, Field(max_length=64)]


class NoteIn(_In):
    note: Annotated[str, Field(max_length=500)] = ""


class ReasonIn(_In):
    reason: Annotated[str, Field(max_length=500)]


class SessionDrawIn(_In):
    count: Annotated[int, count(1, 50)]
    party_user_id: Id


class OpinionIn(_In):
    channel: Annotated[str, Field(max_length=20)] = "online"
    topic: Annotated[str, Field(max_length=20)]
    body: Annotated[str, Field(max_length=2000)]
    contact: Annotated[str, Field(max_length=60)] = ""
    room_id: Id | None = None
    booking_id: Id | None = None
    open_day_id: Id | None = None


class TrackIn(_In):
    code: Annotated[str, Field(max_length=24)]
    lookup: Annotated[str, Field(max_length=40)]


class AnswerIn(_In):
    text: Annotated[str, Field(max_length=3000)]
    propose_publish: bool = False


class ReviewIn(_In):
    publish: bool
    reason: Annotated[str, Field(max_length=500)] = ""


class OpenDayIn(_In):
    kind: Annotated[str, Field(max_length=20)]
    title: Short
    description: Long
    instructions: Long
    place: Short
    starts_at: IsoDateTime
    capacity: Annotated[int, count(1, 500)]
    apply_until: IsoDateTime | None = None
    booking_id: Id | None = None
    poll: Annotated[list[Short], Field(max_length=20)] = []
    poll_until: IsoDateTime | None = None


class PollOverrideIn(_In):
    option_id: Id
    reason: Annotated[str, Field(max_length=1000)]


class InviteIn(_In):
    category: Annotated[str, Field(max_length=20)]
    name: Annotated[str, Field(max_length=60)]
    phone: Annotated[str, Field(max_length=20)]
    username: Annotated[str, Field(max_length=64)] = ""


class OpenDayApplicationIn(_In):
    name: Annotated[str, Field(max_length=60)]
    phone: Annotated[str, Field(max_length=20)]
    purpose: Annotated[str, Field(max_length=1000)]


class ScreenIn(_In):
    passed: bool
    note: Annotated[str, Field(max_length=300)] = ""


class CheckInIn(_In):
    ref: Annotated[str, Field(max_length=24)]


class FeedbackIn(_In):
    ref: Annotated[str, Field(max_length=24)]
    lookup: Annotated[str, Field(max_length=40)]
    text: Annotated[str, Field(max_length=2000)]
    score: Annotated[int, count(1, 5)]


class ReportIn(_In):
    report: Annotated[str, Field(max_length=10000)]
