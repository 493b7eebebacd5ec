"""The population rules read the facts the tick keeps per section: on the demo's data the stored facts equal the
facts read afresh from the trading domains; a change to one project (a step since the watermark) replaces only that
project's facts, the fences are computed again over every stored section, and the finding the change makes (here a
heterogeneous supplier, R048, under a centre's lowered thresholds) is raised by the next tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from sunshine.config import get_settings
from sunshine.core import clock as core_clock
from sunshine.core.models import Alert
from sunshine.monitoring import facts, population, ruleset, service
from sunshine.monitoring.models import SectionFact
from sunshine.trading.models import Project, Section, Transition

LOWERED = """  - id: R048
    title: 中标品目跨度异常（Heterogeneous supplier）
    basis: 测试用的本地阈值
    certainty: 平台默认值
    severity: low
    stage: 中标结果
    watches: tick
    params: {digits: 3, minimum_contracting_processes: 1, threshold: 1, min_population: 1, minimum_variety: 1}
"""


def _fresh(s, since) -> dict[int, facts.SectionFacts]:
    recent = set(s.scalars(select(Project.id).where(Project.registered_at >= since)))
    return {f.section_id: f for f in facts.all_sections(s) if f.project_id in recent}


def _lowered(tmp_path, monkeypatch) -> None:
    text = ruleset.PACK.read_text(encoding="utf-8")
    start = text.index("  - id: R048")
    end = text.index("  - id: R058")
    pack = tmp_path / "rules.yaml"
    pack.write_text(text[:start] + LOWERED + text[end:], encoding="utf-8")
    monkeypatch.setenv("SUNSHINE_MONITORING_RULES", str(pack))
    get_settings.cache_clear()
    ruleset.reload()


def test_stored_facts_follow_a_change_and_the_fences_see_it(demo, db, clock, tmp_path, monkeypatch):
    clock.set(datetime.now(UTC) + timedelta(hours=2))
    with db.unit_of_work() as s:
        service.run(s, everything=True)
        since = core_clock.now() - timedelta(days=service.HORIZON_DAYS)
        stored = {f.section_id: f for f in population.stored(s, since)}
        assert stored and stored == _fresh(s, since)
        before = dict(s.execute(select(SectionFact.section_id, SectionFact.refreshed_at)).all())
        # a winner none of whose won sections is classified yet
        won = [f for f in stored.values() if f.winner_id is not None]
        target = next(f for f in won if not any(g.classification for g in won if g.winner_id == f.winner_id))
        s.execute(update(Section).where(Section.id == target.section_id).values(item_classification="C01"))
        project = s.get(Project, target.project_id)
        last = s.scalar(select(func.max(Transition.ledger_seq)).where(Transition.project_id == project.id)) or 0
        s.add(  # the step that changed it, since the watermark
            Transition(
                project_id=project.id,
                step="note",
                from_state=project.state,
                to_state=project.state,
                ledger_seq=last,
                at=core_clock.now() + timedelta(seconds=1),
            )
        )
    _lowered(tmp_path, monkeypatch)
    try:
        clock.set(clock.now() + timedelta(minutes=5))
        with db.unit_of_work() as s:
            report = service.run(s)
            assert f"monitoring:R048:tenderer:{target.winner_id}" in report.raised
            alert = s.scalar(select(Alert).where(Alert.key == f"monitoring:R048:tenderer:{target.winner_id}"))
            assert alert is not None and "C01" in alert.message
            since = core_clock.now() - timedelta(days=service.HORIZON_DAYS)
            stored = {f.section_id: f for f in population.stored(s, since)}
            assert stored[target.section_id].classification == "C01"
            assert stored == _fresh(s, since)  # the stored facts are what a full read gives
            after = dict(s.execute(select(SectionFact.section_id, SectionFact.refreshed_at)).all())
            changed = {k for k in after if after[k] != before.get(k)}
            same_project = set(s.scalars(select(Section.id).where(Section.project_id == target.project_id)))
            assert target.section_id in changed and changed <= same_project  # only the changed project read again
            assert service.run(s).raised == []  # nothing new: raised once
    finally:
        monkeypatch.delenv("SUNSHINE_MONITORING_RULES")
        get_settings.cache_clear()
        ruleset.reload()
