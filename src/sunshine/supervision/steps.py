"""What social supervision registers with the layers below at ``domains.install()``: the observer kind of a
scheduled session (``observers``) and the listener that seats its supervisors at the owner's electronic session when
it opens, the draw purposes of drawing supervisors for a session and of choosing an open day's attendees
(``draws``), and the kinds of message it sends (``messaging``). It adds no lifecycle step."""

from __future__ import annotations

from sunshine.core import labels as core_labels
from sunshine.draws import purposes
from sunshine.messaging import service as messaging
from sunshine.observers import registry as observer_kinds
from sunshine.supervision import labels, opendays, schedule, sessions


def install() -> None:
    observer_kinds.register(sessions.KIND, sessions.KIND_LABEL, sessions.watch_link)
    core_labels.register_events(labels.EVENTS)  # the ledger page names supervision's events in Chinese
    observer_kinds.on_opened(sessions.on_opened)  # seated supervisors follow into the evaluation session
    purposes.register(sessions.PURPOSE, sessions.PURPOSE_LABEL, on_drawn=sessions.on_drawn, names=sessions.names)
    purposes.register(opendays.PURPOSE, opendays.PURPOSE_LABEL, on_drawn=opendays.on_drawn, names=lambda s, d: {})
    messaging.register_kind(schedule.MESSAGE_KIND, "每周监督安排")
    messaging.register_kind(sessions.MESSAGE_KIND, "社会监督场次")
    messaging.register_kind(opendays.MESSAGE_KIND, "开放日通知")
