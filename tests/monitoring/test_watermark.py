"""The tick's evaluation is incremental and stays idempotent: on the demo's data a quiet run evaluates no project and
raises nothing; a project with a new step is evaluated alone, without raising again what was raised; a full run
over the horizon raises nothing new either (each fact once)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from sunshine.core import clock as core_clock
from sunshine.core.models import Alert
from sunshine.monitoring import service
from sunshine.monitoring.models import Watermark
from sunshine.trading.models import Project, Transition


def _alerts(s) -> int:
    return s.scalar(select(func.count(Alert.id)).where(Alert.domain == "monitoring"))


def test_quiet_runs_read_nothing_and_every_fact_is_raised_once(demo, db, clock):
    clock.set(datetime.now(UTC) + timedelta(hours=1))  # an hour after the demo's last step
    with db.unit_of_work() as s:
        before = _alerts(s)
        service.run(s)  # catches up with whatever the demo did after its own run
    clock.set(clock.now() + timedelta(hours=1))
    with db.unit_of_work() as s:
        assert service.run(s).raised == []
        mark = s.scalar(select(Watermark).where(Watermark.name == "tick"))
        assert mark.projects == 0  # nothing new since the last run: no project read
        assert _alerts(s) >= before > 0
        project = s.scalar(select(Project).where(Project.state == "opening").limit(1)) or s.scalar(
            select(Project).order_by(Project.id.desc()).limit(1)
        )
        last = s.scalar(select(func.max(Transition.ledger_seq)).where(Transition.project_id == project.id)) or 0
        s.add(  # a step recorded on one project since the watermark
            Transition(
                project_id=project.id,
                step="note",
                from_state=project.state,
                to_state=project.state,
                ledger_seq=last,
                at=core_clock.now() + timedelta(seconds=1),
            )
        )
    with db.unit_of_work() as s:
        count = _alerts(s)
        assert service.run(s).raised == []  # evaluated again: nothing raised twice
        assert s.scalar(select(Watermark.projects).where(Watermark.name == "tick")) == 1
        report = service.run(s, everything=True)
        assert report.raised == [] and _alerts(s) == count
        assert s.scalar(select(Watermark.projects).where(Watermark.name == "tick")) > 1
