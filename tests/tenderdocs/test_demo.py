"""The demo walks a procurement through its tender documents: drafted, confirmed, filed, a change ordered by the
finance department, the second version filed, the notice published, a clarification acknowledged by one holder
of three; loading again adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from sunshine.demo.tenderdocs import CANTEEN, load_demo_tenderdocs
from sunshine.tenderdocs import acks, service
from sunshine.trading.models import Project


def test_demo_tenderdocs(demo, db):
    with db.unit_of_work() as s:
        project = s.scalar(select(Project).where(Project.name == CANTEEN.name))
        assert project.state == "notice_published"
        document = service.document_of(s, project)
        assert (document.status, document.version) == ("filed", 2)
        orders = service.orders_of(s, document)
        assert len(orders) == 1 and orders[0].answered_version == 2 and not orders[0].after_publication
        [change] = acks.status(s, project)
        assert len(change.acknowledged) == 1 and len(change.pending) == 2
    assert load_demo_tenderdocs(db.unit_of_work) == 0
