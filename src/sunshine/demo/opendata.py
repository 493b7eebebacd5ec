"""Demo open data: every stage the demo's projects have published becomes an OCDS release, and the bulk
downloads (daily and full JSON Lines of releases and records, the main tables as CSV and xlsx) are made with
their hashes in the ledger, as the tick would at night. A second load adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from sunshine.opendata import exports, service
from sunshine.opendata.models import OpenDump


def load_demo_opendata(unit_of_work: Callable[[], AbstractContextManager[Session]]) -> int:
    with unit_of_work() as session:
        added = service.sync(session, everything=True).added
    with unit_of_work() as session:
        if added or session.scalar(select(OpenDump.id).limit(1)) is None:
            return added + len(exports.make_all(session))
    return added
