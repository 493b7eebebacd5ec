"""What domains above add to an information request's answer: listeners run inside the answer step (in its
unit of work: a listener that raises refuses the answer), and lines shown to the applicant beside the reply —
on the request's status page after the lookup and at the foot of the reply letter (e.g. the private link to a
satisfaction survey). Inforequests imports no domain above it; those register here at ``domains.install()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sunshine.inforequests.models import InfoRequest


@dataclass(frozen=True)
class ReplyLine:
    """One line the applicant reads beside the reply: a sentence and, where it has one, its link (absolute, so
    that it can be typed from a printed letter)."""

    text: str
    url: str | None = None
    link_text: str | None = None


AnswerListener = Callable[[Session, InfoRequest], None]
ReplyLines = Callable[[Session, InfoRequest], list[ReplyLine]]

_answered: list[AnswerListener] = []
_reply_lines: list[ReplyLines] = []


def on_answered(listener: AnswerListener) -> None:
    """Run ``listener(session, request)`` once the answer step has been recorded (same unit of work)."""
    if listener not in _answered:
        _answered.append(listener)


def add_reply_lines(source: ReplyLines) -> None:
    """``source(session, request)`` gives lines shown to the applicant beside an answered request's reply."""
    if source not in _reply_lines:
        _reply_lines.append(source)


def answered(session: Session, req: InfoRequest) -> None:
    for listener in _answered:
        listener(session, req)


def reply_lines(session: Session, req: InfoRequest) -> list[ReplyLine]:
    if req.answered_on is None:
        return []
    out: list[ReplyLine] = []
    for source in _reply_lines:
        out.extend(source(session, req))
    return out
